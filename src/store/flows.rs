//! The store's part for Forgot Username, Forgot Password and Register: their
//! flows, registration codes, and the practices a login holds directly.

use super::{attempt_set, last4, take, DbResult, LinkedAccount, Store};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A Forgot Username, Forgot Password or Register flow, as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowRow {
    pub id: String,
    pub token_hash: String,
    /// `forgot_username`, `forgot_password` or `register`.
    pub kind: String,
    pub step: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// Forgot Password: the login, if the username named one.
    pub portal_user_id: Option<i64>,
    /// Register: the code proven with its TIN.
    pub registration_code_id: Option<i64>,
    pub username_draft: String,
    /// A TIN typed wrong (a valid one is never kept).
    pub tin_draft: String,
    pub email_draft: String,
    pub verify_email_draft: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub flash: Option<String>,
}

impl FlowRow {
    pub fn new(id: String, token_hash: String, kind: &str, step: &str, now: i64) -> FlowRow {
        FlowRow {
            id,
            token_hash,
            kind: kind.into(),
            step: step.into(),
            created_at: now,
            last_seen_at: now,
            portal_user_id: None,
            registration_code_id: None,
            username_draft: String::new(),
            tin_draft: String::new(),
            email_draft: String::new(),
            verify_email_draft: String::new(),
            email: None,
            email_verified: false,
            flash: None,
        }
    }
}

const FLOW_COLUMNS: &str =
    "id, token_hash, kind, step, created_at, last_seen_at, portal_user_id, registration_code_id, \
     username_draft, tin_draft, email_draft, verify_email_draft, email, email_verified, flash";

fn flow_from_row(r: &AnyRow) -> DbResult<FlowRow> {
    Ok(FlowRow {
        id: r.try_get("id")?,
        token_hash: r.try_get("token_hash")?,
        kind: r.try_get("kind")?,
        step: r.try_get("step")?,
        created_at: r.try_get("created_at")?,
        last_seen_at: r.try_get("last_seen_at")?,
        portal_user_id: r.try_get("portal_user_id")?,
        registration_code_id: r.try_get("registration_code_id")?,
        username_draft: r.try_get("username_draft")?,
        tin_draft: r.try_get("tin_draft")?,
        email_draft: r.try_get("email_draft")?,
        verify_email_draft: r.try_get("verify_email_draft")?,
        email: r.try_get("email")?,
        email_verified: r.try_get::<i64, _>("email_verified")? != 0,
        flash: r.try_get("flash")?,
    })
}

/// A registration code as stored (its hash only).
#[derive(Clone, Debug)]
pub struct RegistrationCodeRow {
    pub id: i64,
    /// Keyed hash of the TIN it was issued for.
    pub tin: String,
    pub last4: String,
    pub practice: String,
    pub role: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    pub locked_until: i64,
}

fn code_from_row(r: &AnyRow) -> DbResult<RegistrationCodeRow> {
    Ok(RegistrationCodeRow {
        id: r.try_get("id")?,
        tin: r.try_get("tin")?,
        last4: r.try_get("last4")?,
        practice: r.try_get("practice")?,
        role: r.try_get("role")?,
        expires_at: r.try_get("expires_at")?,
        used_at: r.try_get("used_at")?,
        locked_until: r.try_get("locked_until")?,
    })
}

/// A code to issue (operators' command line, demo data).
pub struct NewRegistrationCode<'a> {
    pub code_hash: &'a str,
    pub tin_hash: &'a str,
    pub tin_digits: &'a str,
    pub practice: &'a str,
    pub role: &'a str,
    pub expires_at: i64,
}

/// How Register's last step ended.
#[derive(Debug, Clone, PartialEq)]
pub enum RegisterOutcome {
    Created {
        portal_user_id: i64,
    },
    /// Used meanwhile (another browser) or expired.
    CodeGone,
    /// Somebody took the username meanwhile.
    UsernameTaken,
}

impl Store {
    // ---- flows ------------------------------------------------------------------

    pub async fn insert_flow(&self, f: &FlowRow) -> DbResult<()> {
        sqlx::query(&format!(
            "INSERT INTO account_flows ({FLOW_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
        ))
        .bind(&f.id)
        .bind(&f.token_hash)
        .bind(&f.kind)
        .bind(&f.step)
        .bind(f.created_at)
        .bind(f.last_seen_at)
        .bind(f.portal_user_id)
        .bind(f.registration_code_id)
        .bind(&f.username_draft)
        .bind(&f.tin_draft)
        .bind(&f.email_draft)
        .bind(&f.verify_email_draft)
        .bind(&f.email)
        .bind(f.email_verified as i64)
        .bind(&f.flash)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn flow_by_token_hash(&self, token_hash: &str) -> DbResult<Option<FlowRow>> {
        sqlx::query(&format!(
            "SELECT {FLOW_COLUMNS} FROM account_flows WHERE token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(flow_from_row)
        .transpose()
    }

    /// Writes `f` if the flow is still at `old_step` with `old_token_hash`
    /// (nobody moved it meanwhile). Returns whether it was written.
    pub async fn update_flow(
        &self,
        f: &FlowRow,
        old_step: &str,
        old_token_hash: &str,
    ) -> DbResult<bool> {
        let r = sqlx::query(
            "UPDATE account_flows SET token_hash = $3, step = $4, last_seen_at = $5, portal_user_id = $6, \
             registration_code_id = $7, username_draft = $8, tin_draft = $9, email_draft = $10, \
             verify_email_draft = $11, email = $12, email_verified = $13, flash = $14 \
             WHERE id = $1 AND step = $2 AND token_hash = $15",
        )
        .bind(&f.id)
        .bind(old_step)
        .bind(&f.token_hash)
        .bind(&f.step)
        .bind(f.last_seen_at)
        .bind(f.portal_user_id)
        .bind(f.registration_code_id)
        .bind(&f.username_draft)
        .bind(&f.tin_draft)
        .bind(&f.email_draft)
        .bind(&f.verify_email_draft)
        .bind(&f.email)
        .bind(f.email_verified as i64)
        .bind(&f.flash)
        .bind(old_token_hash)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Removes a flow and its email codes.
    pub async fn delete_flow(&self, id: &str) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM email_codes WHERE wizard_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM account_flows WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes flows idle longer than `idle` or older than `lifetime`.
    pub async fn sweep_flows(&self, now: i64, idle: i64, lifetime: i64) -> DbResult<u64> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "DELETE FROM email_codes WHERE wizard_id IN (SELECT id FROM account_flows WHERE last_seen_at < $1 OR created_at < $2)",
        )
        .bind(now - idle)
        .bind(now - lifetime)
        .execute(&mut *tx)
        .await?;
        let n = sqlx::query("DELETE FROM account_flows WHERE last_seen_at < $1 OR created_at < $2")
            .bind(now - idle)
            .bind(now - lifetime)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(n)
    }

    // ---- portal users, by email and by name --------------------------------------

    /// Usernames of the logins whose email is `email` (without regard to case).
    pub async fn portal_usernames_by_email(&self, email: &str) -> DbResult<Vec<String>> {
        let rows =
            sqlx::query("SELECT username FROM portal_users WHERE LOWER(email) = $1 ORDER BY id")
                .bind(email.to_lowercase())
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(|r| r.try_get("username")).collect()
    }

    /// Whether a login or an old account (which becomes a login when it is
    /// consolidated) already has this username key.
    pub async fn username_taken(&self, key: &str) -> DbResult<bool> {
        let n: i64 = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM portal_users WHERE username_key = $1) + \
                    (SELECT COUNT(*) FROM legacy_accounts WHERE username_key = $1) AS n",
        )
        .bind(key)
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?;
        Ok(n > 0)
    }

    /// Sets a login's new password in one transaction: every session of the
    /// login ends and its sign-in lockout is cleared. Returns how many
    /// sessions ended.
    pub async fn reset_password(&self, user_id: i64, password_hash: &str) -> DbResult<u64> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE portal_users SET password_hash = $2, failures = 0, locked_until = 0 WHERE id = $1",
        )
        .bind(user_id)
        .bind(password_hash)
        .execute(&mut *tx)
        .await?;
        let n = sqlx::query("DELETE FROM user_sessions WHERE portal_user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(n)
    }

    /// The practices a login holds directly (registered with a code).
    pub async fn portal_practices(
        &self,
        user_id: i64,
        username: &str,
    ) -> DbResult<Vec<LinkedAccount>> {
        let rows = sqlx::query(
            "SELECT practice, role, last4 FROM portal_practices WHERE portal_user_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(LinkedAccount {
                    username: username.to_string(),
                    practice: r.try_get("practice")?,
                    role: r.try_get("role")?,
                    tins: vec![r.try_get("last4")?],
                })
            })
            .collect()
    }

    // ---- registration codes ------------------------------------------------------

    pub async fn insert_registration_code(
        &self,
        c: &NewRegistrationCode<'_>,
        now: i64,
    ) -> DbResult<i64> {
        sqlx::query(
            "INSERT INTO registration_codes (code_hash, tin, last4, practice, role, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(c.code_hash)
        .bind(c.tin_hash)
        .bind(last4(c.tin_digits))
        .bind(c.practice)
        .bind(c.role)
        .bind(now)
        .bind(c.expires_at)
        .fetch_one(&self.pool)
        .await?
        .try_get("id")
    }

    pub async fn registration_code_count(&self) -> DbResult<i64> {
        sqlx::query("SELECT COUNT(*) AS n FROM registration_codes")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")
    }

    pub async fn registration_code_by_hash(
        &self,
        code_hash: &str,
    ) -> DbResult<Option<RegistrationCodeRow>> {
        sqlx::query("SELECT * FROM registration_codes WHERE code_hash = $1")
            .bind(code_hash)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(code_from_row)
            .transpose()
    }

    pub async fn registration_code_by_id(&self, id: i64) -> DbResult<Option<RegistrationCodeRow>> {
        sqlx::query("SELECT * FROM registration_codes WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(code_from_row)
            .transpose()
    }

    /// Takes one try with a code before its TIN is compared (as
    /// [`Store::take_attempt`]): five wrong TINs in a row lock the code.
    /// Runs the same statement for an unknown code (id -1).
    pub async fn take_registration_attempt(
        &self,
        id: Option<i64>,
        now: i64,
        limit: i64,
        lock_secs: i64,
    ) -> DbResult<Option<i64>> {
        let sql = format!(
            "UPDATE registration_codes SET {} WHERE id = $1 AND locked_until <= $2 RETURNING failures",
            attempt_set("failures", "locked_until")
        );
        take(&self.pool, &sql, id.unwrap_or(-1), now, limit, lock_secs).await
    }

    pub async fn reset_registration_failures(&self, id: i64) -> DbResult<()> {
        sqlx::query("UPDATE registration_codes SET failures = 0, locked_until = 0 WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Register's last step, in one transaction: the code is used (once,
    /// before it expires), the login is created with the code's practice and
    /// TIN, and the flow is marked done.
    pub async fn register(
        &self,
        flow_id: &str,
        code_id: i64,
        username: &str,
        password_hash: &str,
        email: &str,
        now: i64,
    ) -> DbResult<RegisterOutcome> {
        let mut tx = self.begin_write().await?;
        let used = sqlx::query(
            "UPDATE registration_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(code_id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if used != 1 {
            tx.rollback().await?;
            return Ok(RegisterOutcome::CodeGone);
        }
        let key = username.to_lowercase();
        let taken: i64 = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM portal_users WHERE username_key = $1) + \
                    (SELECT COUNT(*) FROM legacy_accounts WHERE username_key = $1) AS n",
        )
        .bind(&key)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        if taken > 0 {
            tx.rollback().await?;
            return Ok(RegisterOutcome::UsernameTaken);
        }
        // ON CONFLICT: two registrations racing for one username; the loser
        // gets no row rather than an error.
        let Some(row) = sqlx::query(
            "INSERT INTO portal_users (username, username_key, password_hash, email, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (username_key) DO NOTHING RETURNING id",
        )
        .bind(username)
        .bind(&key)
        .bind(password_hash)
        .bind(email)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?
        else {
            tx.rollback().await?;
            return Ok(RegisterOutcome::UsernameTaken);
        };
        let user_id: i64 = row.try_get("id")?;
        sqlx::query(
            "INSERT INTO portal_practices (portal_user_id, practice, role, tin, last4, created_at) \
             SELECT $1, practice, role, tin, last4, $2 FROM registration_codes WHERE id = $3",
        )
        .bind(user_id)
        .bind(now)
        .bind(code_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE registration_codes SET portal_user_id = $1 WHERE id = $2")
            .bind(user_id)
            .bind(code_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE account_flows SET step = 'done', portal_user_id = $2, flash = NULL, last_seen_at = $3 WHERE id = $1",
        )
        .bind(flow_id)
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(RegisterOutcome::Created {
            portal_user_id: user_id,
        })
    }
}
