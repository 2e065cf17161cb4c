//! A login's passkeys (WebAuthn): second_steps rows of kind `passkey`, each
//! with its credential sealed in `secret` and its credential id in the
//! clear (unique: a credential belongs to one login); the user handle the
//! passkeys carry; and the challenges already answered (each works once).

use super::second::{commit_method, method_of, Change, METHOD_COLUMNS};
use super::{DbResult, Store};
use sqlx::Row;

/// The kind of a passkey method, as stored.
pub const PASSKEY: &str = "passkey";

impl Store {
    /// The login's passkeys, oldest first (their sealed credentials in
    /// `secret`).
    pub async fn passkeys(&self, login: i64) -> DbResult<Vec<super::Method>> {
        sqlx::query(&format!(
            "SELECT {METHOD_COLUMNS} FROM second_steps \
             WHERE portal_user_id = $1 AND kind = $2 AND confirmed_at IS NOT NULL ORDER BY id"
        ))
        .bind(login)
        .bind(PASSKEY)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(method_of)
        .collect()
    }

    /// The user handle of the login's passkeys, made (from `new`) on the
    /// first call; the handle another call made first wins.
    pub async fn passkey_handle(&self, login: i64, new: &str) -> DbResult<String> {
        sqlx::query(
            "UPDATE portal_users SET passkey_handle = $2 WHERE id = $1 AND passkey_handle IS NULL",
        )
        .bind(login)
        .bind(new)
        .execute(&self.pool)
        .await?;
        Ok(
            sqlx::query("SELECT passkey_handle FROM portal_users WHERE id = $1")
                .bind(login)
                .fetch_one(&self.pool)
                .await?
                .try_get::<Option<String>, _>("passkey_handle")?
                .unwrap_or_default(),
        )
    }

    /// The login whose passkeys carry `handle`.
    pub async fn login_of_passkey_handle(&self, handle: &str) -> DbResult<Option<i64>> {
        sqlx::query("SELECT id FROM portal_users WHERE passkey_handle = $1")
            .bind(handle)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get("id"))
            .transpose()
    }

    /// Adds a passkey (its credential id `credential_id`, its credential
    /// sealed in `sealed`), with the login's first backup codes if `codes`
    /// holds them, and the mail that reports it; `false` if that credential
    /// is registered already (to this login or another).
    pub async fn add_passkey(
        &self,
        change: &Change,
        name: &str,
        credential_id: &str,
        sealed: &str,
        codes: &[String],
    ) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let added = sqlx::query(
            "INSERT INTO second_steps (portal_user_id, kind, name, secret, created_at, confirmed_at, credential_id) \
             VALUES ($1, $2, $3, $4, $5, $5, $6) ON CONFLICT (credential_id) DO NOTHING",
        )
        .bind(change.login)
        .bind(PASSKEY)
        .bind(name)
        .bind(sealed)
        .bind(change.now)
        .bind(credential_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !added {
            return Ok(false);
        }
        commit_method(tx, change, codes).await?;
        Ok(true)
    }

    /// A passkey was used: when, and its credential as updated (its
    /// counter, its backup state) if it changed.
    pub async fn passkey_used(&self, id: i64, sealed: Option<&str>, now: i64) -> DbResult<()> {
        sqlx::query(
            "UPDATE second_steps SET last_used_at = $2, secret = COALESCE($3, secret) WHERE id = $1",
        )
        .bind(id)
        .bind(now)
        .bind(sealed)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Takes challenge `id` (valid until `expires_at`): `false` if it was
    /// answered before. The expired ones are cleared on the way.
    pub async fn take_passkey_challenge(
        &self,
        id: &str,
        expires_at: i64,
        now: i64,
    ) -> DbResult<bool> {
        sqlx::query("DELETE FROM passkey_challenges_used WHERE expires_at < $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(sqlx::query(
            "INSERT INTO passkey_challenges_used (id, expires_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(expires_at)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }
}
