//! Sign-in sessions of new-portal users.

use super::MyAccounts;
use crate::auth::{self, random_token, token_hash, SESSION_COOKIE};
use crate::domain::{EmailAddress, Username};
use crate::state::AppState;
use crate::store::{PortalUser, WizardRow};
use crate::wizard::service::{audit, limits, short_reference, Ctx, Reply};
use crate::wizard::Step;
use tracing::error;

/// A sign-in session ends after this long without a request.
pub const SESSION_IDLE_SECS: i64 = 30 * 60;

fn failed(username: &str) -> Reply {
    let kept: String = username.trim().chars().take(Username::MAX_LEN).collect();
    let encoded: String = url_encode(&kept);
    Reply {
        location: format!("/?error=credentials&username={encoded}"),
        set_cookie: None,
    }
}

fn fault() -> Reply {
    let r = short_reference();
    Reply {
        location: format!("/?fault={r}"),
        set_cookie: None,
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `Login`: one generic message for every failure; five in a row lock the
/// login for 15 minutes (locked reads as wrong); old usernames of merged
/// accounts are not logins, so they never sign in.
pub async fn sign_in(app: &AppState, ctx: &Ctx, username: &str, password: &str) -> Reply {
    let now = app.clock.now();
    let key = Username::parse(username)
        .map(|u| u.key())
        .unwrap_or_default();
    let user = match app.store.portal_user_by_username_key(&key).await {
        Ok(u) => u,
        Err(e) => {
            error!(error = %e, "sign-in: database");
            return fault();
        }
    };
    // The try is taken before the password is checked (same statement for an
    // unknown username), so parallel guesses get at most five evaluations.
    let taken = match app
        .store
        .take_sign_in_attempt(
            user.as_ref().map(|u| u.id),
            now,
            limits::WRONG_TRIES,
            limits::LOCK_SECS,
        )
        .await
    {
        Ok(t) => t,
        Err(e) => {
            error!(error = %e, "sign-in: database");
            return fault();
        }
    };
    let locked = user.is_some() && taken.is_none();
    let ok = app
        .hasher
        .verify(
            user.as_ref().map(|u| u.password_hash.clone()),
            password.to_string(),
        )
        .await;
    let Some(user) = user.filter(|_| ok && !locked) else {
        audit(
            app,
            ctx,
            None,
            "sign_in",
            if locked { "refused: locked" } else { "wrong" },
        )
        .await;
        return failed(username);
    };
    let token = random_token();
    let stored = async {
        app.store.reset_sign_in_failures(user.id).await?;
        app.store
            .insert_user_session(&token_hash(&token), user.id, now)
            .await
    };
    if let Err(e) = stored.await {
        error!(error = %e, "sign-in: database");
        return fault();
    }
    audit(app, ctx, None, "sign_in", "ok").await;
    Reply {
        location: "/accounts".into(),
        set_cookie: Some(auth::named_cookie(
            SESSION_COOKIE,
            &token,
            8 * 3600,
            ctx.secure,
        )),
    }
}

async fn signed_in_user(app: &AppState, ctx: &Ctx) -> Result<Option<PortalUser>, sqlx::Error> {
    let Some(token) = &ctx.session else {
        return Ok(None);
    };
    let now = app.clock.now();
    let Some(id) = app
        .store
        .user_of_session(&token_hash(token), now - SESSION_IDLE_SECS, now)
        .await?
    else {
        return Ok(None);
    };
    app.store.portal_user_by_id(id).await
}

pub async fn sign_out(app: &AppState, ctx: &Ctx) -> Reply {
    if let Some(token) = &ctx.session {
        if let Err(e) = app.store.delete_user_session(&token_hash(token)).await {
            error!(error = %e, "sign-out: database");
            return fault();
        }
        audit(app, ctx, None, "sign_out", "ok").await;
    }
    Reply {
        location: "/?notice=signed-out".into(),
        set_cookie: Some(auth::named_cookie(SESSION_COOKIE, "", 0, ctx.secure)),
    }
}

/// The page's data; `Err` holds a support reference.
pub async fn my_accounts(app: &AppState, ctx: &Ctx) -> Result<Option<MyAccounts>, String> {
    let fault = |e: sqlx::Error| {
        let r = short_reference();
        error!(reference = %r, error = %e, "my accounts: database");
        r
    };
    let Some(user) = signed_in_user(app, ctx).await.map_err(fault)? else {
        return Ok(None);
    };
    let (username, list) = app
        .store
        .portal_user_accounts(user.id)
        .await
        .map_err(fault)?
        .unwrap_or_default();
    Ok(Some(MyAccounts {
        username,
        masked_email: EmailAddress::parse(&user.email)
            .map(|e| e.masked())
            .unwrap_or_default(),
        accounts: list
            .into_iter()
            .map(crate::store::LinkedAccount::summary)
            .collect(),
    }))
}

/// Re-checks the user's password, then opens a wizard that adds to this
/// login (its email is already verified, so the email steps are skipped).
pub async fn start_adding(app: &AppState, ctx: &Ctx, password: &str) -> Reply {
    let now = app.clock.now();
    let user = match signed_in_user(app, ctx).await {
        Ok(Some(u)) => u,
        Ok(None) => {
            return Reply {
                location: "/".into(),
                set_cookie: None,
            }
        }
        Err(e) => {
            error!(error = %e, "add account: database");
            return fault();
        }
    };
    // The same counter as sign-in, taken before the check.
    let taken = match app
        .store
        .take_sign_in_attempt(Some(user.id), now, limits::WRONG_TRIES, limits::LOCK_SECS)
        .await
    {
        Ok(t) => t,
        Err(e) => {
            error!(error = %e, "add account: database");
            return fault();
        }
    };
    let ok = app
        .hasher
        .verify(Some(user.password_hash.clone()), password.to_string())
        .await;
    if !ok || taken.is_none() {
        audit(app, ctx, None, "add_old_account", "wrong password").await;
        return Reply {
            location: "/accounts?error=password".into(),
            set_cookie: None,
        };
    }
    if let Err(e) = app.store.reset_sign_in_failures(user.id).await {
        error!(error = %e, "add account: database");
        return fault();
    }
    let token = random_token();
    let mut w = WizardRow::new_at_lookup(random_token()[..32].to_string(), token_hash(&token), now);
    w.email = Some(user.email.clone());
    w.email_verified = true;
    w.portal_user_id = Some(user.id);
    if let Err(e) = app.store.insert_wizard(&w).await {
        error!(error = %e, "add account: database");
        return fault();
    }
    audit(app, ctx, None, "add_old_account", "wizard started").await;
    Reply::to(Step::Lookup).with_cookie(auth::session_cookie(&token, ctx.secure))
}
