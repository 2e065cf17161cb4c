//! A login's second step: its methods (an authenticator app now; passkeys
//! to come), its ten backup codes, and the browsers it remembers. Each change that is mailed writes its
//! mail (and the mail's "This wasn't me" link) in the change's own
//! transaction.

use super::notme::insert_links;
use super::outbox::enqueue_in;
use super::{DbResult, NewMail, Store};
use sqlx::any::AnyRow;
use sqlx::Row;

/// The kind of an authenticator-app method, as stored.
pub const APP: &str = "app";

/// One method of a login's second step, as stored. `secret` is sealed
/// (auth::totp); it never leaves the service.
#[derive(Debug, Clone, PartialEq)]
pub struct Method {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub secret: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub totp_step: i64,
}

/// A login's second step: its confirmed methods and its backup codes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SecondSteps {
    pub methods: Vec<Method>,
    /// Backup codes not used yet.
    pub backup_left: i64,
    /// When the live set of backup codes was made.
    pub backup_made_at: Option<i64>,
}

impl SecondSteps {
    /// Whether the login has a second step to ask for.
    pub fn any(&self) -> bool {
        !self.methods.is_empty()
    }
}

/// A browser a login remembers.
#[derive(Debug, Clone, PartialEq)]
pub struct Remembered {
    pub id: i64,
    pub label: String,
    pub created_at: i64,
    pub last_used_at: i64,
    pub token_hash: String,
}

/// A change to a login's second step, with the mail that reports it.
pub struct Change {
    pub login: i64,
    pub now: i64,
    pub mails: Vec<NewMail>,
}

pub(super) const METHOD_COLUMNS: &str =
    "id, kind, name, secret, created_at, last_used_at, totp_step";

pub(super) fn method_of(r: &AnyRow) -> DbResult<Method> {
    Ok(Method {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        name: r.try_get("name")?,
        secret: r.try_get("secret")?,
        created_at: r.try_get("created_at")?,
        last_used_at: r.try_get("last_used_at")?,
        totp_step: r.try_get("totp_step")?,
    })
}

pub(super) type Tx = sqlx::Transaction<'static, sqlx::Any>;

async fn write_mails(tx: &mut Tx, c: &Change) -> DbResult<()> {
    enqueue_in(tx, &c.mails, c.now).await?;
    insert_links(tx, &c.mails, c.login, c.now).await
}

/// Commits a method added: with the login's first backup codes if `codes`
/// holds them, and the mail that reports it.
pub(super) async fn commit_method(mut tx: Tx, change: &Change, codes: &[String]) -> DbResult<()> {
    if !codes.is_empty() {
        replace_codes(&mut tx, change.login, codes, change.now).await?;
    }
    write_mails(&mut tx, change).await?;
    super::commit(tx).await?;
    Ok(())
}

async fn replace_codes(tx: &mut Tx, login: i64, hashes: &[String], now: i64) -> DbResult<()> {
    sqlx::query("DELETE FROM backup_codes WHERE portal_user_id = $1")
        .bind(login)
        .execute(&mut **tx)
        .await?;
    for h in hashes {
        sqlx::query(
            "INSERT INTO backup_codes (portal_user_id, code_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(login)
        .bind(h)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

impl Store {
    /// The login's confirmed methods, oldest first, and its backup codes.
    pub async fn second_steps(&self, login: i64) -> DbResult<SecondSteps> {
        let methods = sqlx::query(&format!(
            "SELECT {METHOD_COLUMNS} FROM second_steps \
             WHERE portal_user_id = $1 AND confirmed_at IS NOT NULL ORDER BY id"
        ))
        .bind(login)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(method_of)
        .collect::<DbResult<Vec<_>>>()?;
        let r = sqlx::query(
            "SELECT COUNT(*) AS n, MAX(created_at) AS made FROM backup_codes \
             WHERE portal_user_id = $1 AND used_at IS NULL",
        )
        .bind(login)
        .fetch_one(&self.pool)
        .await?;
        Ok(SecondSteps {
            methods,
            backup_left: r.try_get("n")?,
            backup_made_at: r.try_get("made")?,
        })
    }

    /// What a right password's sign-in asks of its login, in one read:
    /// whether it may sign in (not frozen by "This wasn't me", not
    /// disabled), and whether it has a second step to ask for.
    pub async fn sign_in_checks(&self, login: i64) -> DbResult<(bool, bool)> {
        let r = sqlx::query(
            "SELECT \
               (SELECT COUNT(*) FROM portal_users WHERE id = $1 AND frozen_at IS NULL AND disabled_at IS NULL) AS usable, \
               (SELECT COUNT(*) FROM second_steps WHERE portal_user_id = $1 AND confirmed_at IS NOT NULL) AS methods",
        )
        .bind(login)
        .fetch_one(&self.pool)
        .await?;
        let (usable, methods): (i64, i64) = (r.try_get("usable")?, r.try_get("methods")?);
        Ok((usable > 0, methods > 0))
    }

    /// The authenticator app being set up for the login, if any.
    pub async fn app_being_added(&self, login: i64) -> DbResult<Option<Method>> {
        let r = sqlx::query(&format!(
            "SELECT {METHOD_COLUMNS} FROM second_steps \
             WHERE portal_user_id = $1 AND kind = $2 AND confirmed_at IS NULL ORDER BY id DESC LIMIT 1"
        ))
        .bind(login)
        .bind(APP)
        .fetch_optional(&self.pool)
        .await?;
        r.as_ref().map(method_of).transpose()
    }

    /// Starts setting up an authenticator app with the sealed seed
    /// `secret`, in place of any set-up left unfinished.
    pub async fn begin_app(&self, login: i64, name: &str, secret: &str, now: i64) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM second_steps WHERE portal_user_id = $1 AND confirmed_at IS NULL")
            .bind(login)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO second_steps (portal_user_id, kind, name, secret, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(login)
        .bind(APP)
        .bind(name)
        .bind(secret)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        super::commit(tx).await
    }

    /// Keeps the name typed for an app being set up (a wrong code).
    pub async fn name_app_being_added(&self, login: i64, id: i64, name: &str) -> DbResult<()> {
        sqlx::query(
            "UPDATE second_steps SET name = $3 WHERE id = $1 AND portal_user_id = $2 AND confirmed_at IS NULL",
        )
        .bind(id)
        .bind(login)
        .bind(name)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Confirms the app being set up (its code at TOTP step `step` was
    /// right), with the login's first backup codes if `codes` holds them;
    /// `false` if it was confirmed or replaced meanwhile.
    pub async fn confirm_app(
        &self,
        change: &Change,
        id: i64,
        name: &str,
        step: i64,
        codes: &[String],
    ) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE second_steps SET confirmed_at = $3, name = $4, totp_step = $5 \
             WHERE id = $1 AND portal_user_id = $2 AND confirmed_at IS NULL",
        )
        .bind(id)
        .bind(change.login)
        .bind(change.now)
        .bind(name)
        .bind(step)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !done {
            return Ok(false);
        }
        commit_method(tx, change, codes).await?;
        Ok(true)
    }

    /// Takes TOTP step `step` of method `id` (a code works once): `false`
    /// if that step or a later one was taken already.
    pub async fn take_totp(&self, id: i64, step: i64, now: i64) -> DbResult<bool> {
        Ok(sqlx::query(
            "UPDATE second_steps SET totp_step = $2, last_used_at = $3 \
             WHERE id = $1 AND totp_step < $2 AND confirmed_at IS NOT NULL",
        )
        .bind(id)
        .bind(step)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }

    /// Uses the login's backup code of keyed hash `hash`: `false` if it is
    /// none of its live codes.
    pub async fn use_backup_code(&self, login: i64, hash: &str, now: i64) -> DbResult<bool> {
        Ok(sqlx::query(
            "UPDATE backup_codes SET used_at = $3 \
             WHERE portal_user_id = $1 AND code_hash = $2 AND used_at IS NULL",
        )
        .bind(login)
        .bind(hash)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }

    /// New backup codes in place of the old, all of them.
    pub async fn replace_backup_codes(&self, change: &Change, codes: &[String]) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        replace_codes(&mut tx, change.login, codes, change.now).await?;
        write_mails(&mut tx, change).await?;
        super::commit(tx).await
    }

    /// Renames method `id` of the login; `false` if it has none such.
    pub async fn rename_method(&self, login: i64, id: i64, name: &str) -> DbResult<bool> {
        Ok(sqlx::query(
            "UPDATE second_steps SET name = $3 WHERE id = $1 AND portal_user_id = $2 AND confirmed_at IS NOT NULL",
        )
        .bind(id)
        .bind(login)
        .bind(name)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }

    /// Removes method `id` of the login and ends the login's other
    /// sessions (all but the one whose hash is `keep`) and the wizards
    /// adding to it; the last method takes the backup codes and the
    /// remembered browsers with it. `false` if the login has no such
    /// method (removed already).
    pub async fn remove_method(&self, change: &Change, id: i64, keep: &str) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let removed = sqlx::query(
            "DELETE FROM second_steps WHERE id = $1 AND portal_user_id = $2 AND confirmed_at IS NOT NULL",
        )
        .bind(id)
        .bind(change.login)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !removed {
            return Ok(false);
        }
        let left: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM second_steps WHERE portal_user_id = $1 AND confirmed_at IS NOT NULL",
        )
        .bind(change.login)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        if left == 0 {
            replace_codes(&mut tx, change.login, &[], change.now).await?;
            sqlx::query("DELETE FROM remembered_browsers WHERE portal_user_id = $1")
                .bind(change.login)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM user_sessions WHERE portal_user_id = $1 AND token_hash <> $2")
            .bind(change.login)
            .bind(keep)
            .execute(&mut *tx)
            .await?;
        // A wizard adding to the login may be another session's.
        super::users::end_login_flows(&mut tx, change.login).await?;
        write_mails(&mut tx, change).await?;
        super::commit(tx).await?;
        Ok(true)
    }

    /// Support's reset: every method and backup code of the login goes,
    /// every session and remembered browser, and the wizards adding to it;
    /// the login enrols again at its next sign-in.
    /// Returns how many methods there were.
    pub async fn reset_second_step(&self, change: &Change) -> DbResult<u64> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "DELETE FROM second_steps WHERE portal_user_id = $1 AND confirmed_at IS NOT NULL",
        )
        .bind(change.login)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query("DELETE FROM second_steps WHERE portal_user_id = $1")
            .bind(change.login)
            .execute(&mut *tx)
            .await?;
        replace_codes(&mut tx, change.login, &[], change.now).await?;
        sqlx::query("DELETE FROM remembered_browsers WHERE portal_user_id = $1")
            .bind(change.login)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE portal_users SET second_failures = 0, second_locked_until = 0, unprotected_sign_ins = 0 WHERE id = $1",
        )
        .bind(change.login)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM user_sessions WHERE portal_user_id = $1")
            .bind(change.login)
            .execute(&mut *tx)
            .await?;
        super::users::end_login_flows(&mut tx, change.login).await?;
        write_mails(&mut tx, change).await?;
        super::commit(tx).await?;
        Ok(n)
    }

    /// Logins with a second step, by kind of method, and how many in all
    /// (a login with two kinds counts once in all).
    pub async fn second_step_figures(&self) -> DbResult<(Vec<(String, i64)>, i64)> {
        let by_kind = sqlx::query(
            "SELECT kind, COUNT(DISTINCT portal_user_id) AS n FROM second_steps \
             WHERE confirmed_at IS NOT NULL GROUP BY kind ORDER BY kind",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("kind")?, r.try_get("n")?)))
        .collect::<DbResult<Vec<_>>>()?;
        let all: i64 = sqlx::query(
            "SELECT COUNT(DISTINCT portal_user_id) AS n FROM second_steps WHERE confirmed_at IS NOT NULL",
        )
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?;
        Ok((by_kind, all))
    }

    // ---- remembered browsers ------------------------------------------------

    /// Remembers a browser of the login (its token's hash) until `expires`.
    pub async fn remember_browser(
        &self,
        login: i64,
        token_hash: &str,
        label: &str,
        now: i64,
        expires: i64,
    ) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO remembered_browsers (portal_user_id, token_hash, label, created_at, last_used_at, expires_at) \
             VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(login)
        .bind(token_hash)
        .bind(label)
        .bind(now)
        .bind(expires)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Whether the browser of token hash `token_hash` is remembered for
    /// login `login` at `now` (and if so, it was used now). A token of
    /// another login's browser is not this login's.
    pub async fn remembered(&self, login: i64, token_hash: &str, now: i64) -> DbResult<bool> {
        Ok(sqlx::query(
            "UPDATE remembered_browsers SET last_used_at = $3 \
             WHERE portal_user_id = $1 AND token_hash = $2 AND expires_at > $3",
        )
        .bind(login)
        .bind(token_hash)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }

    /// The login's remembered browsers at `now`.
    pub async fn remembered_browsers(&self, login: i64, now: i64) -> DbResult<Vec<Remembered>> {
        sqlx::query(
            "SELECT id, label, created_at, last_used_at, token_hash FROM remembered_browsers \
             WHERE portal_user_id = $1 AND expires_at > $2 ORDER BY last_used_at DESC, id",
        )
        .bind(login)
        .bind(now)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(Remembered {
                id: r.try_get("id")?,
                label: r.try_get("label")?,
                created_at: r.try_get("created_at")?,
                last_used_at: r.try_get("last_used_at")?,
                token_hash: r.try_get("token_hash")?,
            })
        })
        .collect()
    }

    /// Forgets the login's remembered browser `id`, or all of them
    /// (`None`); how many.
    pub async fn forget_browsers(&self, login: i64, id: Option<i64>) -> DbResult<u64> {
        let q = match id {
            Some(id) => {
                sqlx::query("DELETE FROM remembered_browsers WHERE portal_user_id = $1 AND id = $2")
                    .bind(login)
                    .bind(id)
            }
            None => {
                sqlx::query("DELETE FROM remembered_browsers WHERE portal_user_id = $1").bind(login)
            }
        };
        Ok(q.execute(&self.pool).await?.rows_affected())
    }
}

/// Counts one more sign-in without a second step; returns the count.
pub(crate) const COUNT_UNPROTECTED: &str =
    "UPDATE portal_users SET unprotected_sign_ins = unprotected_sign_ins + 1 WHERE id = $1 RETURNING unprotected_sign_ins";
