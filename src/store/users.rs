//! New-portal logins and their sign-in sessions.

use super::flows::{delete_flows, Param};
use super::{DbResult, LinkedAccount, Store};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A new-portal login.
#[derive(Clone)]
pub struct PortalUser {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub email: String,
    pub locked_until: i64,
    /// Sign-ins made without a second step (`TWO_STEP=required`'s grace).
    pub unprotected_sign_ins: i64,
}

const USER_COLUMNS: &str = "id, username, password_hash, email, locked_until, unprotected_sign_ins";

fn portal_user_from_row(r: &AnyRow) -> DbResult<PortalUser> {
    Ok(PortalUser {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        password_hash: r.try_get("password_hash")?,
        email: r.try_get("email")?,
        locked_until: r.try_get("locked_until")?,
        unprotected_sign_ins: r.try_get("unprotected_sign_ins")?,
    })
}

impl Store {
    /// The portal user's username and the accounts now under it.
    pub async fn portal_user_accounts(
        &self,
        user_id: i64,
    ) -> DbResult<Option<(String, Vec<LinkedAccount>)>> {
        let Some(u) = sqlx::query("SELECT username FROM portal_users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let username: String = u.try_get("username")?;
        let list = self.accounts_of(user_id, &username).await?;
        Ok(Some((username, list)))
    }

    /// The accounts now under login `user_id` (named `username`, read by
    /// the caller already).
    pub async fn accounts_of(&self, user_id: i64, username: &str) -> DbResult<Vec<LinkedAccount>> {
        let rows = sqlx::query(
            "SELECT la.id, la.username, la.practice, la.role FROM portal_links pl JOIN legacy_accounts la ON la.id = pl.legacy_account_id \
             WHERE pl.portal_user_id = $1 ORDER BY la.id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        // Practices registered with a code come first: they are the login's own.
        let mut out = self.portal_practices(user_id, username).await?;
        for r in rows {
            let id: i64 = r.try_get("id")?;
            out.push(LinkedAccount {
                username: r.try_get("username")?,
                practice: r.try_get("practice")?,
                role: r.try_get("role")?,
                tins: self.legacy_tins(id).await?,
            });
        }
        Ok(out)
    }

    // ---- portal users and their sessions ------------------------------------------

    pub async fn portal_user_by_username_key(&self, key: &str) -> DbResult<Option<PortalUser>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM portal_users WHERE username_key = $1");
        self.one(&sql, key, portal_user_from_row).await
    }

    /// The login with this username key if it may sign in and reset its
    /// password: neither frozen ("This wasn't me") nor disabled. One read,
    /// the same for a frozen login as for an unknown username.
    pub async fn usable_portal_user_by_username_key(
        &self,
        key: &str,
    ) -> DbResult<Option<PortalUser>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM portal_users WHERE username_key = $1 AND frozen_at IS NULL AND disabled_at IS NULL"
        );
        self.one(&sql, key, portal_user_from_row).await
    }

    pub async fn portal_user_by_id(&self, id: i64) -> DbResult<Option<PortalUser>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM portal_users WHERE id = $1");
        self.one(&sql, id, portal_user_from_row).await
    }

    pub async fn insert_user_session(
        &self,
        token_hash: &str,
        user_id: i64,
        now: i64,
    ) -> DbResult<()> {
        insert_session(&self.pool, token_hash, user_id, now).await
    }

    /// The user of a session that was active since `seen_since` and began
    /// after `begun_after` (touching it), if any.
    pub async fn user_of_session(
        &self,
        token_hash: &str,
        seen_since: i64,
        begun_after: i64,
        now: i64,
    ) -> DbResult<Option<i64>> {
        let r = sqlx::query(
            "UPDATE user_sessions SET last_seen_at = $3 \
             WHERE token_hash = $1 AND last_seen_at >= $2 AND created_at > $4 RETURNING portal_user_id",
        )
        .bind(token_hash)
        .bind(seen_since)
        .bind(now)
        .bind(begun_after)
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| r.try_get("portal_user_id")).transpose()
    }

    /// Sign out: the session ends, and with it every flow bound to its
    /// login (a wizard opened from My accounts adds to that login).
    pub async fn end_user_session(&self, token_hash: &str) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        let user: Option<i64> =
            sqlx::query("DELETE FROM user_sessions WHERE token_hash = $1 RETURNING portal_user_id")
                .bind(token_hash)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get("portal_user_id"))
                .transpose()?;
        if let Some(user_id) = user {
            end_login_flows(&mut tx, user_id).await?;
        }
        super::commit(tx).await
    }

    /// Deletes sessions idle since before `seen_before` or begun before
    /// `begun_before`. Returns how many.
    pub async fn sweep_user_sessions(&self, seen_before: i64, begun_before: i64) -> DbResult<u64> {
        Ok(
            sqlx::query("DELETE FROM user_sessions WHERE last_seen_at < $1 OR created_at < $2")
                .bind(seen_before)
                .bind(begun_before)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
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

    /// Sets a login's new password in one transaction with the end of the
    /// Forgot Password flow (`flow_id`) that reset it: every session of the
    /// login ends, and every wizard bound to it, its sign-in lockout is
    /// cleared, and the mails are written. Returns how many sessions ended;
    /// `None`, with nothing changed, if that flow was gone (the same reset
    /// submitted twice: one reset, one mail).
    pub async fn reset_password(
        &self,
        user_id: i64,
        password_hash: &str,
        (now, mails): (i64, &[super::NewMail]),
        flow_id: &str,
    ) -> DbResult<Option<u64>> {
        let mut tx = self.begin_write().await?;
        if delete_flows(&mut tx, "id = $1", &[Param::Text(flow_id.into())]).await? == 0 {
            super::rollback(tx).await?;
            return Ok(None);
        }
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
        end_login_flows(&mut tx, user_id).await?;
        super::outbox::enqueue_in(&mut tx, mails, now).await?;
        super::notme::insert_links(&mut tx, mails, user_id, now).await?;
        super::commit(tx).await?;
        Ok(Some(n))
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
}

/// Ends the wizards bound to a login (opened from My accounts to add to it),
/// with their codes and proven accounts: when the login's sessions end, a
/// wizard's cookie alone must not go on adding accounts to it.
pub(super) async fn end_login_flows(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
) -> DbResult<()> {
    let bound = "portal_user_id = $1 AND kind = 'wizard' AND step <> 'done'";
    delete_flows(tx, bound, &[Param::Int(user_id)]).await?;
    Ok(())
}

/// A new session of login `user_id` through `db` (the pool, or the
/// transaction that signs the login in).
pub(crate) async fn insert_session<'c, E>(
    db: E,
    token_hash: &str,
    user_id: i64,
    now: i64,
) -> DbResult<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query("INSERT INTO user_sessions (token_hash, portal_user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)")
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}
