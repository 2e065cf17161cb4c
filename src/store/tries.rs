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
    /// An operator's sign-in to the console (password and TOTP code).
    Operator,
    /// A login's second step (an authenticator app's code or a backup code).
    SecondStep,
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
            Counter::Operator => ("operators", "failures", "locked_until"),
            Counter::SecondStep => ("portal_users", "second_failures", "second_locked_until"),
        }
    }

    /// As stored with a held try.
    fn name(self) -> &'static str {
        match self {
            Counter::Answer => "answer",
            Counter::Password => "password",
            Counter::SignIn => "sign_in",
            Counter::Registration => "registration",
            Counter::Operator => "operator",
            Counter::SecondStep => "second_step",
        }
    }
}

impl Counter {
    /// The counter stored as `name` ([`Counter::name`]'s inverse).
    pub fn named(name: &str) -> Option<Counter> {
        [
            Counter::Answer,
            Counter::Password,
            Counter::SignIn,
            Counter::Registration,
            Counter::Operator,
            Counter::SecondStep,
        ]
        .into_iter()
        .find(|c| c.name() == name)
    }

    pub fn as_str(self) -> &'static str {
        self.name()
    }
}

/// A lock in force, for the console's Locked page.
#[derive(Debug, Clone, PartialEq)]
pub struct Lock {
    pub counter: Counter,
    /// The locked row's id in its table.
    pub id: i64,
    /// Whose: a username, or a registration code's practice and last four.
    pub who: String,
    pub until: i64,
    /// The email to tell when the lock is lifted, if there is one.
    pub email: Option<String>,
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
        let key = format!("try:{}:{target}", counter.name());
        // The try is one insert, made only while the counter is not locked
        // and its run has a try left (failures counted plus tries held).
        // On SQLite it runs alone, without a transaction around it, so that
        // the one write lock is held for that statement only; on
        // PostgreSQL, after the target's key row is locked, so that takers
        // of one target queue.
        let insert = format!(
            "INSERT INTO tries_in_flight (counter, target, expires_at) SELECT $1, $2, $5 \
             WHERE COALESCE((SELECT {l} FROM {t} WHERE id = $4), 0) <= $3 \
               AND (SELECT COUNT(*) FROM tries_in_flight WHERE counter = $1 AND target = $2 AND expires_at > $3) \
                 + COALESCE((SELECT CASE WHEN {l} > 0 AND {l} <= $3 THEN 0 ELSE {f} END FROM {t} WHERE id = $4), 0) < $6 \
             RETURNING id"
        );
        // A refused insert is followed by a read of why; should the state
        // have changed between the two (a try settled), the insert is tried
        // again.
        for _ in 0..3 {
            let q = sqlx::query(&insert)
                .bind(counter.name())
                .bind(target)
                .bind(now)
                .bind(row.unwrap_or(-1))
                .bind(now + hold_secs)
                .bind(limit);
            let id = if self.backend == super::Backend::Sqlite {
                q.fetch_optional(&self.pool).await?
            } else {
                let mut tx = self.begin_write().await?;
                super::limits::lock_key(&mut tx, &key, now).await?;
                let id = q.fetch_optional(&mut *tx).await?;
                if id.is_some() {
                    super::commit(tx).await?;
                } else {
                    super::rollback(tx).await?;
                }
                id
            };
            if let Some(r) = id {
                let id: i64 = r.try_get(0)?;
                return Ok(Try::Held(Ticket { id, counter, row }));
            }
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
            .fetch_one(&self.pool)
            .await?;
            let held: i64 = r.try_get("held")?;
            let failures: Option<i64> = r.try_get("failures")?;
            let locked_until: Option<i64> = r.try_get("locked_until")?;
            if locked_until.unwrap_or(0) > now {
                return Ok(Try::Locked);
            }
            if failures.unwrap_or(0) + held >= limit {
                return Ok(Try::Busy);
            }
        }
        Ok(Try::Busy)
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
        if ticket.row.is_none() {
            // Nothing is counted for what does not exist: the try is
            // released, one statement.
            sqlx::query("DELETE FROM tries_in_flight WHERE id = $1")
                .bind(ticket.id)
                .execute(&self.pool)
                .await?;
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        if right {
            settle_right(&mut tx, &ticket).await?;
            return super::commit(tx).await;
        }
        if let Some(row) = ticket.row {
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
        sqlx::query("DELETE FROM tries_in_flight WHERE id = $1")
            .bind(ticket.id)
            .execute(&mut *tx)
            .await?;
        super::commit(tx).await?;
        Ok(())
    }

    /// A right password's sign-in, whole, in one transaction: the held try
    /// settled (the run of wrong tries ended), the audit event, the count
    /// of the login's sign-ins without a second step, and the new session
    /// (`session_hash`). Returns that count.
    pub async fn sign_in_right(
        &self,
        taken: Try,
        login: i64,
        session_hash: &str,
        now: i64,
        event: &super::AuditEvent<'_>,
    ) -> DbResult<i64> {
        let mut tx = self.begin_write().await?;
        if let Try::Held(ticket) = &taken {
            settle_right(&mut tx, ticket).await?;
        }
        super::limits::insert_audit(&mut *tx, now, event).await?;
        let unprotected: i64 = sqlx::query(super::second::COUNT_UNPROTECTED)
            .bind(login)
            .fetch_one(&mut *tx)
            .await?
            .try_get("unprotected_sign_ins")?;
        super::users::insert_session(&mut *tx, session_hash, login, now).await?;
        super::commit(tx).await?;
        Ok(unprotected)
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

    /// Every lock in force at `now`, soonest to end first.
    pub async fn locks_in_force(&self, now: i64) -> DbResult<Vec<Lock>> {
        let rows = sqlx::query(
            "SELECT 'answer' AS counter, id, username AS who, answer_locked_until AS until, email FROM legacy_accounts WHERE answer_locked_until > $1 \
             UNION ALL SELECT 'password', id, username, password_locked_until, email FROM legacy_accounts WHERE password_locked_until > $1 \
             UNION ALL SELECT 'sign_in', id, username, locked_until, email FROM portal_users WHERE locked_until > $1 \
             UNION ALL SELECT 'second_step', id, username, second_locked_until, email FROM portal_users WHERE second_locked_until > $1 \
             UNION ALL SELECT 'registration', id, practice || ' (TIN ' || last4 || ')', locked_until, NULL FROM registration_codes WHERE locked_until > $1 \
             UNION ALL SELECT 'operator', id, username, locked_until, NULL FROM operators WHERE locked_until > $1 \
             ORDER BY 4, 2",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .filter_map(|r| {
                let name: String = r.try_get("counter").ok()?;
                Some((Counter::named(&name)?, r))
            })
            .map(|(counter, r)| {
                Ok(Lock {
                    counter,
                    id: r.try_get("id")?,
                    who: r.try_get("who")?,
                    until: r.try_get("until")?,
                    email: r.try_get("email")?,
                })
            })
            .collect()
    }

    /// Lifts `counter`'s lock on row `id` and forgets its wrong tries;
    /// `false` if there was no lock in force at `now` (lifted already, or
    /// ended by itself).
    pub async fn unlock(
        &self,
        counter: Counter,
        id: i64,
        now: i64,
        mails: &[super::NewMail],
    ) -> DbResult<bool> {
        let (t, f, l) = counter.columns();
        let mut tx = self.begin_write().await?;
        let lifted = sqlx::query(&format!(
            "UPDATE {t} SET {f} = 0, {l} = 0 WHERE id = $1 AND {l} > $2"
        ))
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        // The provider's mail goes with the unlock, or neither does.
        if lifted {
            super::outbox::enqueue_in(&mut tx, mails, now).await?;
        }
        super::commit(tx).await?;
        Ok(lifted)
    }
}

/// A right verdict: the run of wrong tries ends (written only if there was
/// one, so that sign-ins to one login do not all write its row), and the
/// try is released.
async fn settle_right(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    ticket: &Ticket,
) -> DbResult<()> {
    if let Some(row) = ticket.row {
        let (t, f, l) = ticket.counter.columns();
        sqlx::query(&format!(
            "UPDATE {t} SET {f} = 0, {l} = 0 WHERE id = $1 AND ({f} <> 0 OR {l} <> 0)"
        ))
        .bind(row)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("DELETE FROM tries_in_flight WHERE id = $1")
        .bind(ticket.id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
