//! The outbox: every mail, written in the same transaction as the step that
//! causes it, then claimed and delivered by a worker on any instance (a
//! lease, and on PostgreSQL `FOR UPDATE SKIP LOCKED`), retried until it is
//! sent or fails for good. The body arrives here sealed; this module never
//! sees a mail in clear.

use super::{Backend, DbResult, Store};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A mail to write into the outbox.
#[derive(Debug, Clone)]
pub struct NewMail {
    /// What it is (`code`, `merged`, `notice`, `reset`, `unlocked`, ...).
    pub kind: String,
    pub to: String,
    pub subject: String,
    /// Sealed (auth::sealed): it may hold a code.
    pub sealed_body: String,
    /// `<...@...>`, fixed now: every attempt sends the same message.
    pub message_id: String,
    /// When a worker may first take it (an email code: only if the
    /// request that sends it at once died first).
    pub next_at: i64,
    /// When delivery is given up if it has not succeeded.
    pub give_up_at: i64,
    /// The keyed hash and expiry of the "This wasn't me" link the body
    /// holds, written with the mail for the login it reports on.
    pub not_me: Option<(String, i64)>,
    /// Where the mail's reader unsubscribes (a campaign's mail: the
    /// `List-Unsubscribe` header, RFC 8058's one click).
    pub unsubscribe: Option<String>,
}

/// A mail claimed for delivery.
#[derive(Debug, Clone)]
pub struct ClaimedMail {
    pub id: i64,
    pub message_id: String,
    pub kind: String,
    pub to: String,
    pub subject: String,
    pub sealed_body: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
    pub give_up_at: i64,
    pub unsubscribe: Option<String>,
}

/// A line of the console's outbox page: no body, which may hold a code.
#[derive(Debug, Clone)]
pub struct OutboxLine {
    pub id: i64,
    pub kind: String,
    pub to: String,
    pub subject: String,
    pub created_at: i64,
    pub next_at: i64,
    pub attempts: i64,
    pub sent_at: Option<i64>,
    pub failed_at: Option<i64>,
    pub last_error: Option<String>,
}

const CLAIMED: &str =
    "id, message_id, kind, recipient, subject, body, attempts, give_up_at, unsubscribe";

fn claimed(r: &AnyRow) -> DbResult<ClaimedMail> {
    Ok(ClaimedMail {
        id: r.try_get("id")?,
        message_id: r.try_get("message_id")?,
        kind: r.try_get("kind")?,
        to: r.try_get("recipient")?,
        subject: r.try_get("subject")?,
        sealed_body: r.try_get("body")?,
        attempts: r.try_get("attempts")?,
        give_up_at: r.try_get("give_up_at")?,
        unsubscribe: r.try_get("unsubscribe")?,
    })
}

/// Writes `mails` due at `now` inside `tx`; their ids, in order.
pub(super) async fn enqueue_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    mails: &[NewMail],
    now: i64,
) -> DbResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(mails.len());
    for m in mails {
        let id: i64 = sqlx::query(
            "INSERT INTO outbox (message_id, kind, recipient, subject, body, created_at, next_at, give_up_at, unsubscribe) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(&m.message_id)
        .bind(&m.kind)
        .bind(&m.to)
        .bind(&m.subject)
        .bind(&m.sealed_body)
        .bind(now)
        .bind(m.next_at)
        .bind(m.give_up_at)
        .bind(&m.unsubscribe)
        .fetch_one(&mut **tx)
        .await?
        .try_get("id")?;
        ids.push(id);
    }
    Ok(ids)
}

impl Store {
    /// Writes `mails` in a transaction of their own (for a step whose only
    /// write is the mail); their ids.
    pub async fn enqueue_mail(&self, mails: &[NewMail], now: i64) -> DbResult<Vec<i64>> {
        let mut tx = self.begin_write().await?;
        let ids = enqueue_in(&mut tx, mails, now).await?;
        super::commit(tx).await?;
        Ok(ids)
    }

    /// Claims up to `limit` mails due by `due_by` (or only mail `only`)
    /// and not claimed at `now`, for `holder` until `lease_until`: no
    /// other worker takes them meanwhile; one whose holder died is due
    /// again once its lease ends. Each claim counts an attempt.
    pub async fn claim_mail(
        &self,
        (due_by, now): (i64, i64),
        lease_until: i64,
        holder: &str,
        limit: i64,
        only: Option<i64>,
    ) -> DbResult<Vec<ClaimedMail>> {
        let skip_locked = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let only_clause = if only.is_some() { " AND id = $6" } else { "" };
        let sql = format!(
            "UPDATE outbox SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL \
               AND next_at <= $5 AND (claimed_until IS NULL OR claimed_until < $3){only_clause} \
               ORDER BY next_at, id LIMIT $4{skip_locked}) \
             RETURNING {CLAIMED}"
        );
        let mut q = sqlx::query(&sql)
            .bind(holder)
            .bind(lease_until)
            .bind(now)
            .bind(limit)
            .bind(due_by);
        if let Some(id) = only {
            q = q.bind(id);
        }
        let mut tx = self.begin_write().await?;
        let rows = q.fetch_all(&mut *tx).await?;
        super::commit(tx).await?;
        rows.iter().map(claimed).collect()
    }

    /// Mail `id`, claimed by `holder`, was handed to the mail server: done,
    /// and its body emptied. False if the claim was lost meanwhile (its
    /// lease ran out and another worker took it).
    pub async fn mail_sent(&self, id: i64, holder: &str, now: i64) -> DbResult<bool> {
        let r = sqlx::query(
            "UPDATE outbox SET sent_at = $3, body = '', claimed_by = NULL, claimed_until = NULL, last_error = NULL \
             WHERE id = $1 AND claimed_by = $2 AND sent_at IS NULL",
        )
        .bind(id)
        .bind(holder)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Mail `id` failed with `error` (a class, never the server's text):
    /// tried again at `retry_at`, or, if None, failed for good (its body
    /// emptied).
    pub async fn mail_not_sent(
        &self,
        id: i64,
        holder: &str,
        now: i64,
        error: &str,
        retry_at: Option<i64>,
    ) -> DbResult<()> {
        let q = match retry_at {
            Some(at) => sqlx::query(
                "UPDATE outbox SET next_at = $3, last_error = $4, claimed_by = NULL, claimed_until = NULL \
                 WHERE id = $1 AND claimed_by = $2 AND sent_at IS NULL",
            )
            .bind(id)
            .bind(holder)
            .bind(at),
            None => sqlx::query(
                "UPDATE outbox SET failed_at = $3, body = '', last_error = $4, claimed_by = NULL, claimed_until = NULL \
                 WHERE id = $1 AND claimed_by = $2 AND sent_at IS NULL",
            )
            .bind(id)
            .bind(holder)
            .bind(now),
        };
        q.bind(error).execute(&self.pool).await?;
        Ok(())
    }

    /// Gives back a claimed mail not yet tried (a stopping worker's batch):
    /// due again at once, its claim's attempt not counted.
    pub async fn release_mail(&self, id: i64, holder: &str) -> DbResult<()> {
        sqlx::query(
            "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL, attempts = attempts - 1 \
             WHERE id = $1 AND claimed_by = $2 AND sent_at IS NULL AND failed_at IS NULL",
        )
        .bind(id)
        .bind(holder)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// When the next mail not yet done is due (a read only: an idle worker
    /// takes no write lock), or None if there is none.
    pub async fn next_mail_due(&self) -> DbResult<Option<i64>> {
        let row = sqlx::query(
            "SELECT MIN(CASE WHEN claimed_until IS NULL OR claimed_until < next_at THEN next_at ELSE claimed_until + 1 END) AS due \
             FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL",
        )
        .fetch_one(&self.pool)
        .await?;
        row.try_get("due")
    }

    /// The mail not yet sent (queued, retrying) and the mail failed for
    /// good since `failed_since`, newest first; at most `limit`.
    pub async fn outbox_lines(&self, failed_since: i64, limit: i64) -> DbResult<Vec<OutboxLine>> {
        let rows = sqlx::query(
            "SELECT id, kind, recipient, subject, created_at, next_at, attempts, sent_at, failed_at, last_error FROM outbox \
             WHERE (sent_at IS NULL AND failed_at IS NULL) OR failed_at >= $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(failed_since)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OutboxLine {
                    id: r.try_get("id")?,
                    kind: r.try_get("kind")?,
                    to: r.try_get("recipient")?,
                    subject: r.try_get("subject")?,
                    created_at: r.try_get("created_at")?,
                    next_at: r.try_get("next_at")?,
                    attempts: r.try_get("attempts")?,
                    sent_at: r.try_get("sent_at")?,
                    failed_at: r.try_get("failed_at")?,
                    last_error: r.try_get("last_error")?,
                })
            })
            .collect()
    }
}
