//! Emailed codes of every flow (only their keyed hashes).

use super::{DbResult, Store};
use sqlx::Row;

/// An emailed code as stored (only its keyed hash).
#[derive(Clone, Debug)]
pub struct CodeRow {
    pub id: i64,
    pub email: String,
    pub code_hash: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub attempts: i64,
}

impl Store {
    // ---- email codes ----------------------------------------------------------

    /// How many codes this wizard was sent since `since`, and when the last one went.
    pub async fn code_sends_since(
        &self,
        flow_id: &str,
        since: i64,
    ) -> DbResult<(i64, Option<i64>)> {
        let r = sqlx::query("SELECT COUNT(*) AS n, MAX(created_at) AS last_at FROM email_codes WHERE flow_id = $1 AND created_at > $2")
            .bind(flow_id)
            .bind(since)
            .fetch_one(&self.pool)
            .await?;
        Ok((r.try_get("n")?, r.try_get("last_at")?))
    }

    /// Voids every earlier code of the wizard and stores a new one, atomically.
    pub async fn replace_code(
        &self,
        flow_id: &str,
        email: &str,
        code_hash: &str,
        now: i64,
        ttl: i64,
    ) -> DbResult<i64> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE email_codes SET status = 'void' WHERE flow_id = $1 AND status = 'active'",
        )
        .bind(flow_id)
        .execute(&mut *tx)
        .await?;
        let id: i64 = sqlx::query(
            "INSERT INTO email_codes (flow_id, email, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(flow_id)
        .bind(email)
        .bind(code_hash)
        .bind(now)
        .bind(now + ttl)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn active_code(&self, flow_id: &str) -> DbResult<Option<CodeRow>> {
        let r = sqlx::query(
            "SELECT id, email, code_hash, created_at, expires_at, attempts FROM email_codes \
             WHERE flow_id = $1 AND status = 'active' ORDER BY id DESC LIMIT 1",
        )
        .bind(flow_id)
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| {
            Ok(CodeRow {
                id: r.try_get("id")?,
                email: r.try_get("email")?,
                code_hash: r.try_get("code_hash")?,
                created_at: r.try_get("created_at")?,
                expires_at: r.try_get("expires_at")?,
                attempts: r.try_get("attempts")?,
            })
        })
        .transpose()
    }

    /// Takes one try of a code: `Some(n)` is this try's number (1..=max);
    /// `None` when the code is no longer active or its tries are used up.
    pub async fn take_code_attempt(&self, code_id: i64, max: i64) -> DbResult<Option<i64>> {
        let r = sqlx::query(
            "UPDATE email_codes SET attempts = attempts + 1 WHERE id = $1 AND status = 'active' AND attempts < $2 RETURNING attempts",
        )
        .bind(code_id)
        .bind(max)
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| r.try_get("attempts")).transpose()
    }

    /// Moves an active code to `status`; false if it was no longer active
    /// (so a code is used at most once, whatever the concurrency).
    pub async fn close_code(&self, code_id: i64, status: &str) -> DbResult<bool> {
        let r =
            sqlx::query("UPDATE email_codes SET status = $2 WHERE id = $1 AND status = 'active'")
                .bind(code_id)
                .bind(status)
                .execute(&self.pool)
                .await?;
        Ok(r.rows_affected() == 1)
    }
}
