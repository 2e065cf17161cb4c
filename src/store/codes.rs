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

    /// How many codes this flow was sent since `since`, and when the last one
    /// went (a send that failed does not count).
    pub async fn code_sends_since(
        &self,
        flow_id: &str,
        since: i64,
    ) -> DbResult<(i64, Option<i64>)> {
        let r = sqlx::query("SELECT COUNT(*) AS n, MAX(created_at) AS last_at FROM email_codes WHERE flow_id = $1 AND created_at > $2 AND status <> 'failed'")
            .bind(flow_id)
            .bind(since)
            .fetch_one(&self.pool)
            .await?;
        Ok((r.try_get("n")?, r.try_get("last_at")?))
    }

    /// Stores a new code of the flow. `at_once`: it replaces the earlier
    /// ones now (voided, atomically); otherwise it waits, `pending`, until
    /// [`Store::activate_code`] once its mail went, so that a send that fails
    /// leaves the code already in the provider's mailbox working.
    pub async fn store_code(
        &self,
        flow_id: &str,
        email: &str,
        code_hash: &str,
        (now, ttl): (i64, i64),
        at_once: bool,
        mail: Option<&super::NewMail>,
    ) -> DbResult<(i64, Option<i64>)> {
        let mut tx = self.begin_write().await?;
        if at_once {
            void_active_codes(&mut tx, flow_id).await?;
        }
        let id: i64 = sqlx::query(
            "INSERT INTO email_codes (flow_id, email, code_hash, created_at, expires_at, status) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(flow_id)
        .bind(email)
        .bind(code_hash)
        .bind(now)
        .bind(now + ttl)
        .bind(if at_once { "active" } else { "pending" })
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        // Its mail, in the same transaction (the outbox).
        let mail_id = match mail {
            Some(m) => super::outbox::enqueue_in(&mut tx, std::slice::from_ref(m), now)
                .await?
                .first()
                .copied(),
            None => None,
        };
        super::commit(tx).await?;
        Ok((id, mail_id))
    }

    /// A pending code's mail went: it replaces the flow's earlier codes.
    pub async fn activate_code(&self, flow_id: &str, code_id: i64) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        void_active_codes(&mut tx, flow_id).await?;
        sqlx::query(
            "UPDATE email_codes SET status = 'active' WHERE id = $1 AND status = 'pending'",
        )
        .bind(code_id)
        .execute(&mut *tx)
        .await?;
        super::commit(tx).await
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
        close_code(&mut *self.pool.acquire().await?, code_id, status).await
    }
}

/// Closes a code still open (`status`: used or void), on `conn` (a
/// transaction's, for a step that uses its code as it moves on); false if
/// it was closed already.
pub(super) async fn close_code(
    conn: &mut sqlx::AnyConnection,
    code_id: i64,
    status: &str,
) -> DbResult<bool> {
    let r = sqlx::query(
        "UPDATE email_codes SET status = $2 WHERE id = $1 AND status IN ('active', 'pending')",
    )
    .bind(code_id)
    .bind(status)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

async fn void_active_codes(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    flow_id: &str,
) -> DbResult<()> {
    sqlx::query("UPDATE email_codes SET status = 'void' WHERE flow_id = $1 AND status = 'active'")
        .bind(flow_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
