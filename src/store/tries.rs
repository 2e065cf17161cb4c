//! Lockout counters: wrong tries in a row at one secret, and the lock they set.

use super::{DbResult, Store};
use sqlx::Row;

/// Which secret's counter.
#[derive(Debug, Clone, Copy)]
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
}

impl Store {
    /// Takes one try at a secret *before* it is checked, so that concurrent
    /// guesses get no more than `limit` evaluations: the `limit`-th try in a
    /// row locks until `now + lock_secs` (a right answer then resets it), and
    /// a run after an expired lock starts again at 1. Returns the tries in
    /// the run; `None` when the counter is locked or there is no such row
    /// (id -1 runs the same statement, at the same cost).
    pub async fn take_attempt(
        &self,
        id: Option<i64>,
        counter: Counter,
        now: i64,
        limit: i64,
        lock_secs: i64,
    ) -> DbResult<Option<i64>> {
        let (t, f, l) = counter.columns();
        let sql = format!(
            "UPDATE {t} SET \
               {f} = CASE WHEN {l} > 0 AND {l} <= $2 THEN 1 ELSE {f} + 1 END, \
               {l} = CASE WHEN {l} > 0 AND {l} <= $2 THEN (CASE WHEN 1 >= $3 THEN $2 + $4 ELSE 0 END) \
                          WHEN {f} + 1 >= $3 THEN $2 + $4 ELSE {l} END \
             WHERE id = $1 AND {l} <= $2 RETURNING {f}"
        );
        sqlx::query(&sql)
            .bind(id.unwrap_or(-1))
            .bind(now)
            .bind(limit)
            .bind(lock_secs)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get(0))
            .transpose()
    }

    /// A right answer: the run of wrong tries ends.
    pub async fn reset_failures(&self, id: i64, counter: Counter) -> DbResult<()> {
        let (t, f, l) = counter.columns();
        sqlx::query(&format!("UPDATE {t} SET {f} = 0, {l} = 0 WHERE id = $1"))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
