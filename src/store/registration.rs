//! Registration codes the insurer issues for a TIN, and Register's last step.

use super::{last4, DbResult, Store};
use sqlx::any::AnyRow;
use sqlx::Row;

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
    pub created_at: i64,
    pub revoked_at: Option<i64>,
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
        created_at: r.try_get("created_at")?,
        revoked_at: r.try_get("revoked_at")?,
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
    /// The operator who issued it from the console (none: the command line).
    pub issued_by: Option<i64>,
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
    // ---- registration codes ------------------------------------------------------

    pub async fn insert_registration_code(
        &self,
        c: &NewRegistrationCode<'_>,
        now: i64,
    ) -> DbResult<i64> {
        sqlx::query(
            "INSERT INTO registration_codes (code_hash, tin, last4, practice, role, created_at, expires_at, issued_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(c.code_hash)
        .bind(c.tin_hash)
        .bind(last4(c.tin_digits))
        .bind(c.practice)
        .bind(c.role)
        .bind(now)
        .bind(c.expires_at)
        .bind(c.issued_by)
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
        self.one(
            "SELECT * FROM registration_codes WHERE code_hash = $1",
            code_hash,
            code_from_row,
        )
        .await
    }

    /// The newest `limit` codes, newest first (the console's list).
    pub async fn registration_codes_newest(
        &self,
        limit: i64,
    ) -> DbResult<Vec<RegistrationCodeRow>> {
        sqlx::query("SELECT * FROM registration_codes ORDER BY created_at DESC, id DESC LIMIT $1")
            .bind(limit)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(code_from_row)
            .collect()
    }

    /// Revokes a code not used, revoked or expired yet: it expires now, so
    /// Register refuses it as it refuses an expired one. False if there was
    /// no such code.
    pub async fn revoke_registration_code(&self, id: i64, now: i64) -> DbResult<bool> {
        Ok(sqlx::query(
            "UPDATE registration_codes SET revoked_at = $2, expires_at = $2 \
             WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2",
        )
        .bind(id)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }

    pub async fn registration_code_by_id(&self, id: i64) -> DbResult<Option<RegistrationCodeRow>> {
        self.one(
            "SELECT * FROM registration_codes WHERE id = $1",
            id,
            code_from_row,
        )
        .await
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
            super::rollback(tx).await?;
            return Ok(RegisterOutcome::CodeGone);
        }
        let key = crate::domain::username_key(username);
        let taken: i64 = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM portal_users WHERE username_key = $1) + \
                    (SELECT COUNT(*) FROM legacy_accounts WHERE username_key = $1) AS n",
        )
        .bind(&key)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        if taken > 0 {
            super::rollback(tx).await?;
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
            super::rollback(tx).await?;
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
            "UPDATE flows SET step = 'done', portal_user_id = $2, flash = NULL, last_seen_at = $3 WHERE id = $1",
        )
        .bind(flow_id)
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        super::commit(tx).await?;
        Ok(RegisterOutcome::Created {
            portal_user_id: user_id,
        })
    }
}
