//! What the console's Find an account shows: an old account's status and a
//! login's accounts and sessions. Masked TINs only (last four digits).

use super::users::end_login_flows;
use super::{DbResult, LinkedAccount, Store};
use sqlx::Row;

/// Where an old account is in the migration.
#[derive(Debug, Clone, PartialEq)]
pub enum OldStatus {
    NotStarted,
    /// Held by a flow: its kind, its step, when it was last seen.
    InFlow {
        kind: String,
        step: String,
        seen: i64,
    },
    /// Consolidated into this login at this time.
    Consolidated {
        login: String,
        at: i64,
    },
}

/// An old account as the console shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct OldAccountView {
    pub id: i64,
    pub username: String,
    pub source: String,
    pub practice: String,
    pub role: String,
    pub tins_last4: Vec<String>,
    pub status: OldStatus,
}

/// A new-portal login as the console shows it.
#[derive(Debug, Clone)]
pub struct LoginView {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub created_at: i64,
    pub accounts: Vec<LinkedAccount>,
    /// Sessions seen since `seen_since`.
    pub sessions: i64,
}

/// Flows idle at one step.
#[derive(Debug, Clone, PartialEq)]
pub struct StuckGroup {
    pub kind: String,
    pub step: String,
    pub flows: i64,
    /// The longest and the shortest time idle, in seconds.
    pub longest_idle: i64,
    pub shortest_idle: i64,
}

/// One idle flow.
#[derive(Debug, Clone, PartialEq)]
pub struct StuckFlow {
    pub kind: String,
    pub step: String,
    pub idle: i64,
    /// Since it began, in seconds.
    pub age: i64,
    /// The old account it is at, if one is known yet.
    pub account: Option<String>,
}

/// The flows that move through steps (not the sign-in pages' failure records).
const FLOW_KINDS: &str = "'wizard', 'forgot_username', 'forgot_password', 'register'";

impl Store {
    /// Flows idle since `idle_since` or longer, by kind and step.
    pub async fn stuck_groups(&self, now: i64, idle_since: i64) -> DbResult<Vec<StuckGroup>> {
        let rows = sqlx::query(&format!(
            "SELECT kind, step, COUNT(*) AS n, MIN(last_seen_at) AS oldest, MAX(last_seen_at) AS newest \
             FROM flows WHERE kind IN ({FLOW_KINDS}) AND last_seen_at <= $1 GROUP BY kind, step ORDER BY kind, step"
        ))
        .bind(idle_since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StuckGroup {
                    kind: r.try_get("kind")?,
                    step: r.try_get("step")?,
                    flows: r.try_get("n")?,
                    longest_idle: now - r.try_get::<i64, _>("oldest")?,
                    shortest_idle: now - r.try_get::<i64, _>("newest")?,
                })
            })
            .collect()
    }

    /// The `limit` flows idle longest (since `idle_since` or before).
    pub async fn stuck_flows(
        &self,
        now: i64,
        idle_since: i64,
        limit: i64,
    ) -> DbResult<Vec<StuckFlow>> {
        let rows = sqlx::query(&format!(
            "SELECT f.kind, f.step, f.last_seen_at, f.created_at, la.username AS account \
             FROM flows f LEFT JOIN legacy_accounts la ON la.id = f.legacy_account_id \
             WHERE f.kind IN ({FLOW_KINDS}) AND f.last_seen_at <= $1 ORDER BY f.last_seen_at LIMIT $2"
        ))
        .bind(idle_since)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StuckFlow {
                    kind: r.try_get("kind")?,
                    step: r.try_get("step")?,
                    idle: now - r.try_get::<i64, _>("last_seen_at")?,
                    age: now - r.try_get::<i64, _>("created_at")?,
                    account: r.try_get("account")?,
                })
            })
            .collect()
    }

    /// The old accounts holding a TIN, given as its keyed hash.
    pub async fn legacy_ids_by_tin_hash(&self, hash: &str) -> DbResult<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT legacy_account_id FROM legacy_tins WHERE tin = $1 ORDER BY 1 LIMIT 50",
        )
        .bind(hash)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| r.try_get(0)).collect()
    }

    /// The last four digits stored with an account's TIN hash.
    pub async fn tin_last4_of(&self, id: i64, hash: &str) -> DbResult<Option<String>> {
        sqlx::query("SELECT last4 FROM legacy_tins WHERE legacy_account_id = $1 AND tin = $2")
            .bind(id)
            .bind(hash)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get(0))
            .transpose()
    }

    pub async fn old_account_view(&self, id: i64) -> DbResult<Option<OldAccountView>> {
        let Some(r) = sqlx::query(
            "SELECT la.id, la.username, COALESCE(la.source, '(demo)') AS source, la.practice, la.role, \
               la.consolidated_at, pu.username AS login \
             FROM legacy_accounts la LEFT JOIN portal_users pu ON pu.id = la.consolidated_into WHERE la.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let login: Option<String> = r.try_get("login")?;
        let status = match login {
            Some(login) => OldStatus::Consolidated {
                login,
                at: r.try_get::<Option<i64>, _>("consolidated_at")?.unwrap_or(0),
            },
            None => {
                let flow = sqlx::query(
                    "SELECT f.kind, f.step, f.last_seen_at FROM flows f WHERE f.legacy_account_id = $1 \
                     UNION ALL SELECT f.kind, f.step, f.last_seen_at FROM wizard_accounts wa JOIN flows f ON f.id = wa.wizard_id \
                       WHERE wa.legacy_account_id = $1 \
                     ORDER BY 3 DESC LIMIT 1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                match flow {
                    Some(f) => OldStatus::InFlow {
                        kind: f.try_get("kind")?,
                        step: f.try_get("step")?,
                        seen: f.try_get("last_seen_at")?,
                    },
                    None => OldStatus::NotStarted,
                }
            }
        };
        Ok(Some(OldAccountView {
            id,
            username: r.try_get("username")?,
            source: r.try_get("source")?,
            practice: r.try_get("practice")?,
            role: r.try_get("role")?,
            tins_last4: self.legacy_tins(id).await?,
            status,
        }))
    }

    pub async fn login_view(&self, user_id: i64, seen_since: i64) -> DbResult<Option<LoginView>> {
        let Some(u) = self.portal_user_by_id(user_id).await? else {
            return Ok(None);
        };
        let created_at: i64 = sqlx::query("SELECT created_at FROM portal_users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let sessions: i64 = sqlx::query(
            "SELECT COUNT(*) FROM user_sessions WHERE portal_user_id = $1 AND last_seen_at >= $2",
        )
        .bind(user_id)
        .bind(seen_since)
        .fetch_one(&self.pool)
        .await?
        .try_get(0)?;
        let accounts = self
            .portal_user_accounts(user_id)
            .await?
            .map(|(_, a)| a)
            .unwrap_or_default();
        Ok(Some(LoginView {
            id: u.id,
            username: u.username,
            email: u.email,
            created_at,
            accounts,
            sessions,
        }))
    }

    /// Ends every session of a login, and the flows bound to it; how many
    /// sessions there were.
    pub async fn end_all_user_sessions(&self, user_id: i64) -> DbResult<u64> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM user_sessions WHERE portal_user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        end_login_flows(&mut tx, user_id).await?;
        super::commit(tx).await?;
        Ok(n)
    }

    /// Whether old account `id` has an address, and why no campaign
    /// writes to that address and since when (`unsubscribed` or
    /// `bouncing`; issue 32), if none does.
    pub async fn campaign_mail_stop(&self, id: i64) -> DbResult<(bool, Option<(String, i64)>)> {
        let r = sqlx::query(
            "SELECT TRIM(COALESCE(la.email, '')) AS email, x.reason, x.at FROM legacy_accounts la \
             LEFT JOIN mail_suppressions x ON x.address = LOWER(TRIM(la.email)) WHERE la.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = r else {
            return Ok((false, None));
        };
        let stop = match r.try_get::<Option<String>, _>("reason")? {
            Some(reason) => Some((reason, r.try_get("at")?)),
            None => None,
        };
        Ok((!r.try_get::<String, _>("email")?.is_empty(), stop))
    }
}
