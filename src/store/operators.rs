//! Operators' logins, their console sessions, and what the console reads
//! about the migration as a whole.

use super::{DbResult, Store};
use sqlx::any::AnyRow;
use sqlx::Row;

/// An operator login. The TOTP seed is as stored (encrypted).
#[derive(Clone)]
pub struct Operator {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub password_hash: Option<String>,
    pub totp_seed: Option<String>,
    pub totp_step: i64,
    pub enrol_expires: i64,
    pub disabled: bool,
}

impl Operator {
    /// Whether the operator has set a password and an authenticator.
    pub fn enrolled(&self) -> bool {
        self.password_hash.is_some()
    }
}

const OPERATOR_COLUMNS: &str =
    "id, username, role, password_hash, totp_seed, totp_step, enrol_expires, disabled";

fn operator_from_row(r: &AnyRow) -> DbResult<Operator> {
    Ok(Operator {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        role: r.try_get("role")?,
        password_hash: r.try_get("password_hash")?,
        totp_seed: r.try_get("totp_seed")?,
        totp_step: r.try_get("totp_step")?,
        enrol_expires: r.try_get("enrol_expires")?,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
    })
}

/// An operator as the console's Operators page lists it.
#[derive(Debug, Clone)]
pub struct OperatorLine {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub enrolled: bool,
    pub disabled: bool,
    /// When the enrolment link stops working (0: none).
    pub enrol_expires: i64,
    pub created_at: i64,
    /// The last moment a console session of theirs was seen.
    pub last_seen: Option<i64>,
}

/// A new operator, before enrolment.
pub struct NewOperator<'a> {
    pub username: &'a str,
    pub username_key: &'a str,
    pub role: &'a str,
    /// Encrypted.
    pub totp_seed: &'a str,
    pub enrol_hash: &'a str,
    pub enrol_expires: i64,
}

/// The migration in figures, for the console's Progress page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceProgress {
    /// The old portal (`(demo)` for accounts loaded without one).
    pub source: String,
    pub loaded: i64,
    pub consolidated: i64,
    /// Held by a wizard in progress (not yet consolidated).
    pub in_wizard: i64,
}

/// One import run, as its audit event tells it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRun {
    pub at: i64,
    /// `operator:<who>` as the command recorded it.
    pub who: String,
    pub action: String,
    /// The file's name and digest, and the counts.
    pub what: String,
}

/// How stale a console session's `last_seen` may get before a request
/// writes it again.
const SEEN_EVERY_SECS: i64 = 60;

impl Store {
    /// Adds an operator awaiting enrolment; `Ok(None)` if the username is
    /// taken (without regard to case).
    pub async fn insert_operator(&self, o: &NewOperator<'_>, now: i64) -> DbResult<Option<i64>> {
        let r = sqlx::query(
            "INSERT INTO operators (username, username_key, role, totp_seed, enrol_hash, enrol_expires, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username_key) DO NOTHING RETURNING id",
        )
        .bind(o.username)
        .bind(o.username_key)
        .bind(o.role)
        .bind(o.totp_seed)
        .bind(o.enrol_hash)
        .bind(o.enrol_expires)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| r.try_get(0)).transpose()
    }

    /// The operator whose enrolment link has this keyed hash, if the link
    /// is still good at `now`.
    pub async fn operator_by_enrol_hash(&self, hash: &str, now: i64) -> DbResult<Option<Operator>> {
        let r = sqlx::query(&format!(
            "SELECT {OPERATOR_COLUMNS} FROM operators WHERE enrol_hash = $1 AND enrol_expires > $2 AND disabled = 0"
        ))
        .bind(hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        r.as_ref().map(operator_from_row).transpose()
    }

    /// Enrolment: the password is set, the link is spent, and the code that
    /// proved the authenticator is its first accepted step. `false` if the
    /// link was spent or expired meanwhile (a second tab).
    pub async fn enrol_operator(
        &self,
        id: i64,
        enrol_hash: &str,
        password_hash: &str,
        step: i64,
        now: i64,
    ) -> DbResult<bool> {
        Ok(sqlx::query(
            "UPDATE operators SET password_hash = $3, totp_step = $4, enrol_hash = NULL, enrol_expires = 0, failures = 0, locked_until = 0 \
             WHERE id = $1 AND enrol_hash = $2 AND enrol_expires > $5 AND disabled = 0",
        )
        .bind(id)
        .bind(enrol_hash)
        .bind(password_hash)
        .bind(step)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }

    /// Every operator, by username.
    pub async fn operators_list(&self) -> DbResult<Vec<OperatorLine>> {
        sqlx::query(
            "SELECT id, username, role, \
                    CAST(CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS BIGINT) AS enrolled, \
                    disabled, enrol_expires, created_at, \
                    (SELECT MAX(s.last_seen) FROM operator_sessions s WHERE s.operator_id = operators.id) AS last_seen \
             FROM operators ORDER BY username_key",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(OperatorLine {
                id: r.try_get("id")?,
                username: r.try_get("username")?,
                role: r.try_get("role")?,
                enrolled: r.try_get::<i64, _>("enrolled")? == 1,
                disabled: r.try_get::<i64, _>("disabled")? != 0,
                enrol_expires: r.try_get("enrol_expires")?,
                created_at: r.try_get("created_at")?,
                last_seen: r.try_get("last_seen")?,
            })
        })
        .collect()
    }

    /// Disables (every session ends) or enables an operator. False if it
    /// was so already.
    pub async fn set_operator_disabled(&self, id: i64, disabled: bool) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let changed =
            sqlx::query("UPDATE operators SET disabled = $2 WHERE id = $1 AND disabled <> $2")
                .bind(id)
                .bind(i64::from(disabled))
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
        if disabled {
            sqlx::query("DELETE FROM operator_sessions WHERE operator_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        super::commit(tx).await?;
        Ok(changed)
    }

    /// Reset TOTP: the operator enrols again from a new link (a new
    /// authenticator and a new password); until then they cannot sign in,
    /// and every session of theirs ends. False for a disabled operator.
    pub async fn reset_operator_enrolment(
        &self,
        id: i64,
        sealed_seed: &str,
        enrol_hash: &str,
        enrol_expires: i64,
    ) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE operators SET password_hash = NULL, totp_seed = $2, totp_step = 0, enrol_hash = $3, \
             enrol_expires = $4, failures = 0, locked_until = 0 WHERE id = $1 AND disabled = 0",
        )
        .bind(id)
        .bind(sealed_seed)
        .bind(enrol_hash)
        .bind(enrol_expires)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        sqlx::query("DELETE FROM operator_sessions WHERE operator_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        super::commit(tx).await?;
        Ok(changed)
    }

    pub async fn operator_by_username_key(&self, key: &str) -> DbResult<Option<Operator>> {
        let sql = format!("SELECT {OPERATOR_COLUMNS} FROM operators WHERE username_key = $1");
        self.one(&sql, key, operator_from_row).await
    }

    pub async fn operator_by_id(&self, id: i64) -> DbResult<Option<Operator>> {
        let sql = format!("SELECT {OPERATOR_COLUMNS} FROM operators WHERE id = $1");
        self.one(&sql, id, operator_from_row).await
    }

    /// Takes TOTP time step `step` for the operator: `true` only if it is
    /// later than every step accepted before, so that a code is good once,
    /// even when two sign-ins race with it.
    pub async fn take_totp_step(&self, id: i64, step: i64) -> DbResult<bool> {
        Ok(
            sqlx::query("UPDATE operators SET totp_step = $2 WHERE id = $1 AND totp_step < $2")
                .bind(id)
                .bind(step)
                .execute(&self.pool)
                .await?
                .rows_affected()
                == 1,
        )
    }

    pub async fn insert_operator_session(
        &self,
        token_hash: &str,
        id: i64,
        now: i64,
    ) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO operator_sessions (token_hash, operator_id, created_at, last_seen) VALUES ($1, $2, $3, $3)",
        )
        .bind(token_hash)
        .bind(id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The operator of a live session (seen since `seen_since`, begun after
    /// `begun_after`, operator not disabled), marking it seen at `now`.
    pub async fn operator_of_session(
        &self,
        token_hash: &str,
        seen_since: i64,
        begun_after: i64,
        now: i64,
    ) -> DbResult<Option<Operator>> {
        // The session and its operator in one read.
        let columns = OPERATOR_COLUMNS
            .split(", ")
            .map(|c| format!("o.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let row = sqlx::query(&format!(
            "SELECT {columns}, s.last_seen FROM operator_sessions s JOIN operators o ON o.id = s.operator_id \
             WHERE s.token_hash = $1 AND s.last_seen >= $2 AND s.created_at > $3"
        ))
        .bind(token_hash)
        .bind(seen_since)
        .bind(begun_after)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let operator = operator_from_row(&row)?;
        // Seen again: written at most once a minute (a write on every page
        // would queue each view behind the database's one writer), so a
        // session idle for 15 minutes may end up to a minute sooner.
        if row.try_get::<i64, _>("last_seen")? < now - SEEN_EVERY_SECS {
            sqlx::query(
                "UPDATE operator_sessions SET last_seen = $2 WHERE token_hash = $1 AND last_seen < $2",
            )
            .bind(token_hash)
            .bind(now)
            .execute(&self.pool)
            .await?;
        }
        Ok(Some(operator).filter(|o| !o.disabled && o.enrolled()))
    }

    pub async fn end_operator_session(&self, token_hash: &str) -> DbResult<()> {
        sqlx::query("DELETE FROM operator_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Removes console sessions idle since `idle_before` or begun before
    /// `begun_before`.
    pub async fn sweep_operator_sessions(
        &self,
        idle_before: i64,
        begun_before: i64,
    ) -> DbResult<u64> {
        Ok(
            sqlx::query("DELETE FROM operator_sessions WHERE last_seen < $1 OR created_at <= $2")
                .bind(idle_before)
                .bind(begun_before)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }

    // ---- the migration in figures ------------------------------------------

    /// Old accounts by source: loaded, consolidated, held by a wizard. The
    /// first two are kept by triggers as accounts are loaded and
    /// consolidated (migration 0011); the third reads only the wizards and
    /// flows in progress.
    pub async fn progress_by_source(&self) -> DbResult<Vec<SourceProgress>> {
        let rows = sqlx::query(
            "SELECT s.source, s.loaded, \
               CAST(COALESCE((SELECT SUM(d.consolidated) FROM figure_days d WHERE d.source = s.source), 0) AS BIGINT) AS consolidated \
             FROM figure_sources s ORDER BY s.source",
        )
        .fetch_all(&self.pool)
        .await?;
        let held = sqlx::query(
            "SELECT COALESCE(la.source, '(demo)') AS source, COUNT(*) AS n FROM legacy_accounts la \
             WHERE la.consolidated_into IS NULL AND la.id IN ( \
               SELECT legacy_account_id FROM flows WHERE legacy_account_id IS NOT NULL AND step <> 'done' \
               UNION SELECT legacy_account_id FROM wizard_accounts) \
             GROUP BY COALESCE(la.source, '(demo)')",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get::<String, _>("source")?, r.try_get::<i64, _>("n")?)))
        .collect::<DbResult<std::collections::HashMap<String, i64>>>()?;
        rows.iter()
            .map(|r| {
                let source: String = r.try_get("source")?;
                Ok(SourceProgress {
                    in_wizard: held.get(&source).copied().unwrap_or(0),
                    source,
                    loaded: r.try_get("loaded")?,
                    consolidated: r.try_get("consolidated")?,
                })
            })
            .collect()
    }

    /// How many new-portal logins exist (kept by a trigger).
    pub async fn logins_created(&self) -> DbResult<i64> {
        sqlx::query("SELECT n FROM figure_logins WHERE id = 1")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)
    }

    /// The last `limit` import runs, newest first.
    pub async fn import_runs(&self, limit: i64) -> DbResult<Vec<ImportRun>> {
        let rows = sqlx::query(
            "SELECT at, address, action, outcome FROM audit_events \
             WHERE action IN ('import', 'import (dry run)') ORDER BY at DESC, id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ImportRun {
                    at: r.try_get("at")?,
                    who: r
                        .try_get::<Option<String>, _>("address")?
                        .unwrap_or_default(),
                    action: r.try_get("action")?,
                    what: r.try_get("outcome")?,
                })
            })
            .collect()
    }

    /// Old accounts consolidated per UTC day since `from` (Unix seconds):
    /// (day number since 1970, count), days without any left out.
    pub async fn consolidations_per_day(&self, from: i64) -> DbResult<Vec<(i64, i64)>> {
        let rows = sqlx::query(
            "SELECT day, CAST(SUM(consolidated) AS BIGINT) AS n FROM figure_days \
             WHERE day >= $1 / 86400 GROUP BY day ORDER BY 1",
        )
        .bind(from)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("day")?, r.try_get("n")?)))
            .collect()
    }
}
