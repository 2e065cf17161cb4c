//! Lockout counters: tries at one secret, held while the secret is checked,
//! and the wrong ones in a row with the lock they set.

use super::{DbResult, Store};
use sqlx::Row;

/// Which secret's counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// An old account's security answer or PIN.
    Answer,
    /// An old account's password.
    Password,
    /// A new-portal login's password (sign-in, and its re-check on My accounts).
    SignIn,
    /// The TIN given with a registration code.
    Registration,
}

impl Counter {
    /// (table, failures column, locked-until column)
    fn columns(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Counter::Answer => ("legacy_accounts", "answer_failures", "answer_locked_until"),
            Counter::Password => (
                "legacy_accounts",
                "password_failures",
                "password_locked_until",
            ),
            Counter::SignIn => ("portal_users", "failures", "locked_until"),
            Counter::Registration => ("registration_codes", "failures", "locked_until"),
        }
    }

    /// As stored with a held try.
    fn name(self) -> &'static str {
        match self {
            Counter::Answer => "answer",
            Counter::Password => "password",
            Counter::SignIn => "sign_in",
            Counter::Registration => "registration",
        }
    }
}

/// What taking a try found.
#[derive(Debug, PartialEq, Eq)]
pub enum Try {
    /// The try is held until its verdict is given (or it expires).
    Held(Ticket),
    /// The counter is locked: the secret is checked at the same cost, but
    /// the answer is "wrong" whatever it was.
    Locked,
    /// The run's remaining tries are all being checked now: come back shortly.
    Busy,
}

/// A try being checked.
#[derive(Debug, PartialEq, Eq)]
pub struct Ticket {
    id: i64,
    counter: Counter,
    row: Option<i64>,
}

impl Store {
    /// Takes one try at a secret *before* it is checked, so that concurrent
    /// guesses get no more than `limit` evaluations in a run: the tries
    /// counted wrong plus those being checked never exceed `limit`. The try
    /// is held until [`Store::settle_try`] gives its verdict; a holder that
    /// dies first (a killed process) leaves a try that expires after
    /// `hold_secs` and counts for nothing. `target` names what is guessed at,
    /// whether or not it exists (`row` is its counter's row, if any), so an
    /// unknown target behaves as a known one; a run after an expired lock
    /// starts again at 0.
    pub async fn take_try(
        &self,
        counter: Counter,
        target: &str,
        row: Option<i64>,
        now: i64,
        limit: i64,
        hold_secs: i64,
    ) -> DbResult<Try> {
        let (t, f, l) = counter.columns();
        let mut tx = self.begin_write().await?;
        // Takers of one target queue on its key's row (PostgreSQL); SQLite
        // holds the write lock already.
        sqlx::query(
            "INSERT INTO rate_keys (key, touched) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET touched = $2",
        )
        .bind(format!("try:{}:{target}", counter.name()))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let r = sqlx::query(&format!(
            "SELECT \
               (SELECT COUNT(*) FROM tries_in_flight WHERE counter = $1 AND target = $2 AND expires_at > $3) AS held, \
               (SELECT CASE WHEN {l} > 0 AND {l} <= $3 THEN 0 ELSE {f} END FROM {t} WHERE id = $4) AS failures, \
               (SELECT {l} FROM {t} WHERE id = $4) AS locked_until"
        ))
        .bind(counter.name())
        .bind(target)
        .bind(now)
        .bind(row.unwrap_or(-1))
        .fetch_one(&mut *tx)
        .await?;
        let held: i64 = r.try_get("held")?;
        let failures: Option<i64> = r.try_get("failures")?;
        let locked_until: Option<i64> = r.try_get("locked_until")?;
        if locked_until.unwrap_or(0) > now {
            tx.rollback().await?;
            return Ok(Try::Locked);
        }
        if failures.unwrap_or(0) + held >= limit {
            tx.rollback().await?;
            return Ok(Try::Busy);
        }
        let id: i64 = sqlx::query(
            "INSERT INTO tries_in_flight (counter, target, expires_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(counter.name())
        .bind(target)
        .bind(now + hold_secs)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        tx.commit().await?;
        Ok(Try::Held(Ticket { id, counter, row }))
    }

    /// A held try's verdict, in one transaction with its release: right
    /// ends the run of wrong tries; wrong counts one, and the `limit`-th in
    /// a row locks until `now + lock_secs`. A wrong verdict counts even if
    /// its hold had expired meanwhile.
    pub async fn settle_try(
        &self,
        ticket: Ticket,
        right: bool,
        now: i64,
        limit: i64,
        lock_secs: i64,
    ) -> DbResult<()> {
        let (t, f, l) = ticket.counter.columns();
        let mut tx = self.begin_write().await?;
        match (ticket.row, right) {
            (None, _) => {}
            (Some(row), true) => {
                sqlx::query(&format!("UPDATE {t} SET {f} = 0, {l} = 0 WHERE id = $1"))
                    .bind(row)
                    .execute(&mut *tx)
                    .await?;
            }
            (Some(row), false) => {
                let expired = format!("{l} > 0 AND {l} <= $2");
                let run = format!("(CASE WHEN {expired} THEN 1 ELSE {f} + 1 END)");
                sqlx::query(&format!(
                    "UPDATE {t} SET {f} = {run}, \
                       {l} = CASE WHEN {run} >= $3 THEN $2 + $4 WHEN {expired} THEN 0 ELSE {l} END \
                     WHERE id = $1"
                ))
                .bind(row)
                .bind(now)
                .bind(limit)
                .bind(lock_secs)
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query("DELETE FROM tries_in_flight WHERE id = $1")
            .bind(ticket.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets held tries past their expiry (their holders died).
    pub async fn sweep_tries(&self, now: i64) -> DbResult<u64> {
        Ok(
            sqlx::query("DELETE FROM tries_in_flight WHERE expires_at <= $1")
                .bind(now)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }
}
