//! "This wasn't me": the links in the mails that report a consolidation or
//! a password reset (only their keyed hashes), the freeze they cause, and
//! the case an operator decides: undo the consolidation, or lift the
//! freeze. Each of these is one transaction.

use super::{Backend, DbResult, NewMail, Store};
use sqlx::Row;

/// What a not-me link is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotMeLink {
    /// Good: it would freeze this login.
    Live {
        login: i64,
        username: String,
    },
    Used,
    Expired,
    Unknown,
}

/// How a freeze ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frozen {
    /// The login is frozen (now or already), with its open case's reference.
    Frozen { login: i64, reference: String },
    /// The link was not good (the login untouched).
    Refused(NotMeLink),
}

/// An open case, or a decided one, as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub id: i64,
    pub reference: String,
    pub login: i64,
    pub username: String,
    pub email: String,
    pub opened_at: i64,
    pub address: String,
    pub decision: Option<String>,
    pub decided_at: Option<i64>,
}

/// How an operator's decision ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decided {
    /// Done: the login's old accounts (undo), with their ids.
    Done {
        login: i64,
        accounts: Vec<i64>,
    },
    /// Decided before (by another operator, or twice).
    AlreadyDecided,
    /// Undo refused: the first consolidation is older than the window.
    TooLate,
    NoSuchCase,
}

/// Writes the not-me links of `mails` for `login` (inside `tx`).
pub(super) async fn insert_links(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    mails: &[NewMail],
    login: i64,
    now: i64,
) -> DbResult<()> {
    for (hash, expires) in mails.iter().filter_map(|m| m.not_me.as_ref()) {
        sqlx::query(
            "INSERT INTO not_me_tokens (token_hash, portal_user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(hash)
        .bind(login)
        .bind(now)
        .bind(*expires)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

impl Store {
    /// What the link with this keyed hash is at `now` (a read: opening the
    /// link changes nothing).
    pub async fn not_me_link(&self, hash: &str, now: i64) -> DbResult<NotMeLink> {
        let row = sqlx::query(
            "SELECT t.portal_user_id, t.expires_at, t.used_at, u.username FROM not_me_tokens t \
             JOIN portal_users u ON u.id = t.portal_user_id WHERE t.token_hash = $1",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else {
            return Ok(NotMeLink::Unknown);
        };
        Ok(if r.try_get::<Option<i64>, _>("used_at")?.is_some() {
            NotMeLink::Used
        } else if r.try_get::<i64, _>("expires_at")? <= now {
            NotMeLink::Expired
        } else {
            NotMeLink::Live {
                login: r.try_get("portal_user_id")?,
                username: r.try_get("username")?,
            }
        })
    }

    /// Confirms the link: in one transaction it is used, the login frozen,
    /// every session of it ended and its wizards and recovery flows
    /// closed, a case opened (or the open one kept) with `reference`, and
    /// `mails` written.
    pub async fn freeze(
        &self,
        hash: &str,
        (now, address): (i64, &str),
        reference: &str,
        mails: &[NewMail],
    ) -> DbResult<Frozen> {
        let mut tx = self.begin_write().await?;
        let login: Option<i64> = sqlx::query(
            "UPDATE not_me_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
             RETURNING portal_user_id",
        )
        .bind(hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.try_get("portal_user_id"))
        .transpose()?;
        let Some(login) = login else {
            super::rollback(tx).await?;
            return Ok(Frozen::Refused(self.not_me_link(hash, now).await?));
        };
        // The login's row first: a Finish adding to it waits, then sees it
        // frozen (see flows::finish).
        sqlx::query("UPDATE portal_users SET frozen_at = COALESCE(frozen_at, $2) WHERE id = $1")
            .bind(login)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let open: Option<String> = sqlx::query(
            "SELECT reference FROM cases WHERE portal_user_id = $1 AND decided_at IS NULL",
        )
        .bind(login)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.try_get("reference"))
        .transpose()?;
        let reference = match open {
            Some(r) => r,
            None => {
                sqlx::query(
                    "INSERT INTO cases (reference, portal_user_id, opened_at, address) VALUES ($1, $2, $3, $4)",
                )
                .bind(reference)
                .bind(login)
                .bind(now)
                .bind(address)
                .execute(&mut *tx)
                .await?;
                reference.to_string()
            }
        };
        sqlx::query("DELETE FROM user_sessions WHERE portal_user_id = $1")
            .bind(login)
            .execute(&mut *tx)
            .await?;
        super::users::end_login_flows(&mut tx, login).await?;
        super::outbox::enqueue_in(&mut tx, mails, now).await?;
        super::commit(tx).await?;
        Ok(Frozen::Frozen { login, reference })
    }

    /// The reference of the login's open case, if it is frozen.
    pub async fn open_case_of(&self, login: i64) -> DbResult<Option<String>> {
        sqlx::query(
            "SELECT c.reference FROM cases c JOIN portal_users u ON u.id = c.portal_user_id \
             WHERE c.portal_user_id = $1 AND c.decided_at IS NULL AND u.frozen_at IS NOT NULL",
        )
        .bind(login)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| r.try_get("reference"))
        .transpose()
    }

    /// Whether the login may sign in, reset its password or take accounts:
    /// neither frozen nor disabled.
    pub async fn login_usable(&self, login: i64) -> DbResult<bool> {
        Ok(sqlx::query(
            "SELECT 1 AS one FROM portal_users WHERE id = $1 AND frozen_at IS NULL AND disabled_at IS NULL",
        )
        .bind(login)
        .fetch_optional(&self.pool)
        .await?
        .is_some())
    }

    /// The old accounts under a login: (username, practice, email of
    /// record), for the case page and the mails of a decision.
    pub async fn login_old_accounts(
        &self,
        login: i64,
    ) -> DbResult<Vec<(String, String, Option<String>)>> {
        let rows = sqlx::query(
            "SELECT la.username, la.practice, la.email FROM portal_links pl JOIN legacy_accounts la ON la.id = pl.legacy_account_id \
             WHERE pl.portal_user_id = $1 ORDER BY la.id",
        )
        .bind(login)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("username")?,
                    r.try_get("practice")?,
                    r.try_get("email")?,
                ))
            })
            .collect()
    }

    /// The open cases, oldest first, then the newest decided ones; at most
    /// `limit`.
    pub async fn cases(&self, limit: i64) -> DbResult<Vec<CaseRow>> {
        sqlx::query(&format!(
            "{CASE_SELECT} ORDER BY CASE WHEN c.decided_at IS NULL THEN 0 ELSE 1 END, \
               CASE WHEN c.decided_at IS NULL THEN c.opened_at ELSE -c.decided_at END, c.id LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(case_row)
        .collect()
    }

    /// Case `id`, open or decided.
    pub async fn case(&self, id: i64) -> DbResult<Option<CaseRow>> {
        sqlx::query(&format!("{CASE_SELECT} WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(case_row)
            .transpose()
    }

    /// Undo: in one transaction, every old account of the case's login goes
    /// back to "not consolidated" (its links kept in undone_links), the
    /// login is disabled (kept; its username freed for the owner's new
    /// wizard), its sessions end, the case is decided, and `mails` are
    /// written. Refused if the login's first consolidation is older than
    /// `window` seconds. `fail_midway` (tests): fail after the accounts
    /// were returned, before the commit.
    pub async fn undo_case(
        &self,
        case_id: i64,
        (operator, reason, now): (i64, &str, i64),
        window: i64,
        mails: &[NewMail],
        fail_midway: bool,
    ) -> DbResult<Decided> {
        let mut tx = self.begin_write().await?;
        let login = match open_case(&mut tx, self.backend, case_id).await? {
            Ok(login) => login,
            Err(decided) => {
                super::rollback(tx).await?;
                return Ok(decided);
            }
        };
        // The login's row first (as freeze and Finish do).
        sqlx::query(
            "UPDATE portal_users SET disabled_at = $2, frozen_at = COALESCE(frozen_at, $2), \
             username_key = 'undone:' || CAST(id AS TEXT) || ':' || username_key WHERE id = $1 AND disabled_at IS NULL",
        )
        .bind(login)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let first: Option<i64> = sqlx::query(
            "SELECT MIN(linked_at) AS first FROM portal_links WHERE portal_user_id = $1",
        )
        .bind(login)
        .fetch_one(&mut *tx)
        .await?
        .try_get("first")?;
        if first.is_some_and(|f| now - f > window) {
            super::rollback(tx).await?;
            return Ok(Decided::TooLate);
        }
        let accounts: Vec<i64> = sqlx::query(
            "SELECT legacy_account_id FROM portal_links WHERE portal_user_id = $1 ORDER BY legacy_account_id",
        )
        .bind(login)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.try_get("legacy_account_id"))
        .collect::<Result<_, _>>()?;
        sqlx::query(
            "INSERT INTO undone_links (case_id, portal_user_id, legacy_account_id, linked_at, undone_at) \
             SELECT $1, portal_user_id, legacy_account_id, linked_at, $3 FROM portal_links WHERE portal_user_id = $2",
        )
        .bind(case_id)
        .bind(login)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM portal_links WHERE portal_user_id = $1")
            .bind(login)
            .execute(&mut *tx)
            .await?;
        for id in &accounts {
            sqlx::query(
                "UPDATE legacy_accounts SET consolidated_into = NULL, consolidated_at = NULL WHERE id = $1 AND consolidated_into = $2",
            )
            .bind(id)
            .bind(login)
            .execute(&mut *tx)
            .await?;
        }
        if fail_midway {
            super::rollback(tx).await?;
            return Err(sqlx::Error::Protocol(
                "injected failure in the middle of an undo".into(),
            ));
        }
        sqlx::query("DELETE FROM user_sessions WHERE portal_user_id = $1")
            .bind(login)
            .execute(&mut *tx)
            .await?;
        super::users::end_login_flows(&mut tx, login).await?;
        decide(&mut tx, case_id, "undone", (operator, reason, now)).await?;
        super::outbox::enqueue_in(&mut tx, mails, now).await?;
        super::commit(tx).await?;
        Ok(Decided::Done { login, accounts })
    }

    /// Lift the freeze: in one transaction the login may sign in again,
    /// the case is decided, and `mails` are written.
    pub async fn lift_case(
        &self,
        case_id: i64,
        (operator, reason, now): (i64, &str, i64),
        mails: &[NewMail],
    ) -> DbResult<Decided> {
        let mut tx = self.begin_write().await?;
        let login = match open_case(&mut tx, self.backend, case_id).await? {
            Ok(login) => login,
            Err(decided) => {
                super::rollback(tx).await?;
                return Ok(decided);
            }
        };
        sqlx::query(
            "UPDATE portal_users SET frozen_at = NULL WHERE id = $1 AND disabled_at IS NULL",
        )
        .bind(login)
        .execute(&mut *tx)
        .await?;
        decide(&mut tx, case_id, "lifted", (operator, reason, now)).await?;
        super::outbox::enqueue_in(&mut tx, mails, now).await?;
        super::commit(tx).await?;
        Ok(Decided::Done {
            login,
            accounts: Vec::new(),
        })
    }
}

/// The login of case `id` if it is still open, its row locked on
/// PostgreSQL (two operators deciding at once: one waits, then finds it
/// decided); else why no decision can be made.
async fn open_case(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    id: i64,
) -> DbResult<Result<i64, Decided>> {
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let row = sqlx::query(&format!(
        "SELECT portal_user_id, decided_at FROM cases WHERE id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else {
        return Ok(Err(Decided::NoSuchCase));
    };
    if row.try_get::<Option<i64>, _>("decided_at")?.is_some() {
        return Ok(Err(Decided::AlreadyDecided));
    }
    Ok(Ok(row.try_get("portal_user_id")?))
}

const CASE_SELECT: &str =
    "SELECT c.id, c.reference, c.portal_user_id, u.username, u.email, c.opened_at, c.address, c.decision, c.decided_at \
     FROM cases c JOIN portal_users u ON u.id = c.portal_user_id";

fn case_row(r: &sqlx::any::AnyRow) -> DbResult<CaseRow> {
    Ok(CaseRow {
        id: r.try_get("id")?,
        reference: r.try_get("reference")?,
        login: r.try_get("portal_user_id")?,
        username: r.try_get("username")?,
        email: r.try_get("email")?,
        opened_at: r.try_get("opened_at")?,
        address: r.try_get("address")?,
        decision: r.try_get("decision")?,
        decided_at: r.try_get("decided_at")?,
    })
}

async fn decide(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    decision: &str,
    (operator, reason, now): (i64, &str, i64),
) -> DbResult<()> {
    sqlx::query(
        "UPDATE cases SET decision = $2, decided_at = $3, decided_by = $4, reason = $5 WHERE id = $1 AND decided_at IS NULL",
    )
    .bind(id)
    .bind(decision)
    .bind(now)
    .bind(operator)
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
