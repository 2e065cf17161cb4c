//! Rate limits shared by every instance, and the audit trail (append-only:
//! nothing here updates or deletes an event).

use super::{DbResult, Store};
use sqlx::Row;

/// One rate limit: at most `limit` events per `window` seconds under `key`.
#[derive(Debug, Clone)]
pub struct Limit {
    pub key: String,
    pub window: i64,
    pub limit: i64,
}

/// One operator's action, for the audit trail. Never holds a secret or a
/// full TIN.
#[derive(Debug, Clone)]
pub struct OperatorEvent<'a> {
    /// None when nobody is signed in yet (a failed sign-in, an enrolment).
    pub operator_id: Option<i64>,
    pub legacy_account_id: Option<i64>,
    pub address: &'a str,
    pub action: &'a str,
    pub target: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub outcome: &'a str,
}

/// One audit record. Never holds a secret or a full TIN.
#[derive(Debug, Clone)]
pub struct AuditEvent<'a> {
    pub flow_id: Option<&'a str>,
    pub legacy_account_id: Option<i64>,
    pub address: &'a str,
    pub action: &'a str,
    pub outcome: &'a str,
}

impl Store {
    // ---- rate limits (shared by every instance) ----------------------------------

    /// Counts one event under every limit, all or none: `Ok(None)` if each
    /// is under its limit (the events are recorded), `Ok(Some(secs))` with
    /// the wait until the first full one frees a place otherwise. Keys are
    /// locked in a fixed order, so concurrent callers queue, never deadlock.
    ///
    /// Events older than a window are not counted; the sweep deletes them
    /// later ([`Store::sweep_rate_events`]). Each limit is taken in one
    /// statement, an insert that happens only while the count is under the
    /// limit; several in one transaction, rolled back if one is full. One
    /// limit (every request's per-address limit) on SQLite runs without a
    /// transaction around it, so that the one write lock is held for that
    /// statement alone, not across round trips between the runtime and
    /// the database's thread (under load each waits for a busy runtime,
    /// and every other writer waits behind it).
    pub async fn rate_take(&self, limits: &[Limit], now: i64) -> DbResult<Option<i64>> {
        let mut sorted: Vec<&Limit> = limits.iter().collect();
        sorted.sort_by(|a, b| a.key.cmp(&b.key));
        // A statement alone commits itself.
        if let ([l], super::Backend::Sqlite) = (&sorted[..], self.backend) {
            if take_one(&self.pool, l, now).await? {
                return Ok(None);
            }
            return Ok(Some(self.rate_wait(l, now).await?));
        }
        let mut tx = self.begin_write().await?;
        if self.backend == super::Backend::Postgres {
            // Takers of one key queue here; SQLite holds the one write
            // lock already.
            for l in &sorted {
                lock_key(&mut tx, &l.key, now).await?;
            }
        }
        for l in &sorted {
            if !take_one(&mut *tx, l, now).await? {
                super::rollback(tx).await?;
                return Ok(Some(self.rate_wait(l, now).await?));
            }
        }
        super::commit(tx).await?;
        Ok(None)
    }

    /// Seconds until full limit `l` frees a place (at least 1).
    async fn rate_wait(&self, l: &Limit, now: i64) -> DbResult<i64> {
        let first: Option<i64> =
            sqlx::query("SELECT MIN(at) AS first FROM rate_events WHERE key = $1 AND at > $2")
                .bind(&l.key)
                .bind(now - l.window)
                .fetch_one(&self.pool)
                .await?
                .try_get("first")?;
        Ok((first.unwrap_or(now) + l.window - now).max(1))
    }

    /// Forgets rate-limit events older than `horizon` seconds.
    pub async fn sweep_rate_events(&self, now: i64, horizon: i64) -> DbResult<u64> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM rate_events WHERE at <= $1")
            .bind(now - horizon)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query("DELETE FROM rate_keys WHERE touched <= $1")
            .bind(now - horizon)
            .execute(&mut *tx)
            .await?;
        super::commit(tx).await?;
        Ok(n)
    }

    pub async fn audit(&self, now: i64, e: &AuditEvent<'_>) -> DbResult<()> {
        insert_audit(&self.pool, now, e).await
    }

    /// Records what an operator did: who, from where, the action, its
    /// target, the reason the operator typed, and the outcome.
    pub async fn audit_operator(&self, now: i64, e: &OperatorEvent<'_>) -> DbResult<()> {
        self.insert_operator_event(now, e, "").await
    }

    /// Records that an operator viewed a page (`e.action`, `e.target`),
    /// once: the same page viewed again by the same operator from the same
    /// address within two seconds (a reload, a double click) is one view.
    pub async fn audit_operator_view(&self, now: i64, e: &OperatorEvent<'_>) -> DbResult<()> {
        self.insert_operator_event(
            now,
            e,
            " WHERE NOT EXISTS (SELECT 1 FROM audit_events WHERE operator_id = $6 AND action = $4 \
               AND COALESCE(target, '') = COALESCE($7, '') AND address = $3 AND at >= $1 - 2)",
        )
        .await
    }

    async fn insert_operator_event(
        &self,
        now: i64,
        e: &OperatorEvent<'_>,
        only: &str,
    ) -> DbResult<()> {
        sqlx::query(&format!(
            "INSERT INTO audit_events (at, flow_id, legacy_account_id, address, action, outcome, operator_id, target, reason) \
             SELECT $1, NULL, $2, $3, $4, $5, $6, $7, $8{only}"
        ))
        .bind(now)
        .bind(e.legacy_account_id)
        .bind(e.address)
        .bind(e.action)
        .bind(e.outcome)
        .bind(e.operator_id)
        .bind(e.target)
        .bind(e.reason)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

/// Counts one event under limit `l` if it is under it (one insert, made
/// only then); whether it was counted.
async fn take_one<'c, E>(db: E, l: &Limit, now: i64) -> DbResult<bool>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let r = sqlx::query(
        "INSERT INTO rate_events (key, at) SELECT $1, $2 \
         WHERE (SELECT COUNT(*) FROM rate_events WHERE key = $1 AND at > $3) < $4",
    )
    .bind(&l.key)
    .bind(now)
    .bind(now - l.window)
    .bind(l.limit)
    .execute(db)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Locks `key`'s row for the rest of transaction `tx` (PostgreSQL: whoever
/// takes the same key next waits for this transaction's end), creating it
/// if needed.
pub(super) async fn lock_key(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    key: &str,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO rate_keys (key, touched) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET touched = $2",
    )
    .bind(key)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes audit event `e` at `now` through `db`: the pool, or the
/// transaction of the write the event belongs to (one commit for both).
pub(crate) async fn insert_audit<'c, E>(db: E, now: i64, e: &AuditEvent<'_>) -> DbResult<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query("INSERT INTO audit_events (at, flow_id, legacy_account_id, address, action, outcome) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(now)
        .bind(e.flow_id)
        .bind(e.legacy_account_id)
        .bind(e.address)
        .bind(e.action)
        .bind(e.outcome)
        .execute(db)
        .await?;
    Ok(())
}
