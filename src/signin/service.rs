//! Sign-in sessions of new-portal users.

use super::step::SignInStep;
use super::{AccountsState, MyAccounts, SignInState};
use crate::auth::{self, random_token, token_hash, SESSION_COOKIE};
use crate::domain::{EmailAddress, Username};
use crate::flow::limits::{SESSION_IDLE_SECS, SESSION_LIFETIME_SECS};
use crate::flow::tries::{self, Counter, Try};
use crate::flow::{self, audit, Outcome, Stop};
use crate::i18n::Msg;
use crate::state::AppState;
use crate::store::{LinkedAccount, PortalUser};
use crate::web::{Ctx, Reply};
use crate::wizard::Step;

async fn failed(app: &AppState, ctx: &Ctx, username: &str, message: &str) -> Outcome {
    flow::failed_sign_in(app, ctx, SignInStep, username, Msg::new(message)).await
}

/// The sentence for a frozen login ("This wasn't me"), with its case's
/// support reference; None if the login may sign in.
async fn frozen(app: &AppState, user: &PortalUser) -> Result<Option<Msg>, Stop> {
    if app.store.login_usable(user.id).await? {
        return Ok(None);
    }
    let reference = app
        .store
        .open_case_of(user.id)
        .await?
        .unwrap_or_else(|| "-".into());
    Ok(Some(
        Msg::new("error-sign-in-frozen").text("reference", reference),
    ))
}

/// What the sign-in page shows again: the last failed sign-in of this
/// browser, if any (nothing once the record has expired).
pub async fn sign_in_state(app: &AppState, ctx: &Ctx) -> SignInState {
    let (username, error) = flow::kept_sign_in::<SignInStep>(app, ctx).await;
    SignInState { username, error }
}

/// `Login`: one generic message for every failure; five in a row lock the
/// login for 15 minutes (locked reads as wrong); old usernames of merged
/// accounts are not logins, so they never sign in.
pub async fn sign_in(app: &AppState, ctx: &Ctx, username: &str, password: &str) -> Outcome {
    let now = app.clock.now();
    let key = Username::parse(username)
        .map(|u| u.key())
        .unwrap_or_default();
    let user = app.store.portal_user_by_username_key(&key).await?;
    // The try is taken before the password is checked, under the username
    // typed whether or not it is a login, so parallel guesses get at most
    // five checks and an unknown username behaves as a known one.
    let taken = tries::take(app, Counter::SignIn, &key, user.as_ref().map(|u| u.id)).await?;
    if taken == Try::Busy {
        audit(app, ctx, None, "sign_in", "refused: busy").await;
        return failed(app, ctx, username, "error-busy").await;
    }
    let locked = taken == Try::Locked;
    let ok = app
        .hasher
        .verify(
            user.as_ref().map(|u| u.password_hash.clone()),
            password.to_string(),
        )
        .await;
    let right = ok && user.is_some() && !locked;
    tries::settle(app, taken, right).await?;
    let Some(user) = user.filter(|_| right) else {
        let outcome = if locked { "refused: locked" } else { "wrong" };
        audit(app, ctx, None, "sign_in", outcome).await;
        return failed(app, ctx, username, "error-sign-in").await;
    };
    // Frozen after "This wasn't me": said only to whoever knows the
    // password, with the case's reference for support.
    if let Some(message) = frozen(app, &user).await? {
        audit(app, ctx, None, "sign_in", "refused: frozen").await;
        return flow::failed_sign_in(app, ctx, SignInStep, username, message).await;
    }
    let token = random_token();
    app.store
        .insert_user_session(&token_hash(&token), user.id, now)
        .await?;
    flow::forget_sign_in::<SignInStep>(app, ctx).await?;
    audit(app, ctx, None, "sign_in", "ok").await;
    let cookie = auth::named_cookie(SESSION_COOKIE, &token, SESSION_LIFETIME_SECS, ctx.secure);
    Ok(Reply::to("/accounts").with_cookie(cookie))
}

async fn signed_in_user(app: &AppState, ctx: &Ctx) -> Result<Option<PortalUser>, Stop> {
    let Some(token) = &ctx.session else {
        return Ok(None);
    };
    let now = app.clock.now();
    let Some(id) = app
        .store
        .user_of_session(
            &token_hash(token),
            now - SESSION_IDLE_SECS,
            now - SESSION_LIFETIME_SECS,
            now,
        )
        .await?
    else {
        return Ok(None);
    };
    Ok(app.store.portal_user_by_id(id).await?)
}

pub async fn sign_out(app: &AppState, ctx: &Ctx) -> Outcome {
    if let Some(token) = &ctx.session {
        app.store.end_user_session(&token_hash(token)).await?;
        audit(app, ctx, None, "sign_out", "ok").await;
    }
    let cookie = auth::named_cookie(SESSION_COOKIE, "", 0, ctx.secure);
    Ok(Reply::to("/?notice=signed-out").with_cookie(cookie))
}

/// What My accounts shows.
pub async fn my_accounts(app: &AppState, ctx: &Ctx) -> AccountsState {
    match load_accounts(app, ctx).await {
        Ok(Some(me)) => AccountsState::SignedIn(me),
        Ok(None) => AccountsState::SignedOut,
        Err(Stop::Fault { reference, .. }) => AccountsState::Fault(reference),
        Err(Stop::Go(_)) => AccountsState::SignedOut,
    }
}

async fn load_accounts(app: &AppState, ctx: &Ctx) -> Result<Option<MyAccounts>, Stop> {
    let Some(user) = signed_in_user(app, ctx).await? else {
        return Ok(None);
    };
    let (username, list) = app
        .store
        .portal_user_accounts(user.id)
        .await?
        .unwrap_or_default();
    Ok(Some(MyAccounts {
        username,
        masked_email: EmailAddress::parse(&user.email)
            .map(|e| e.masked())
            .unwrap_or_default(),
        accounts: list.into_iter().map(LinkedAccount::summary).collect(),
    }))
}

/// Re-checks the user's password, then opens a wizard that adds to this
/// login (its email is already verified, so the email steps are skipped).
pub async fn start_adding(app: &AppState, ctx: &Ctx, password: &str) -> Outcome {
    let Some(user) = signed_in_user(app, ctx).await? else {
        return Ok(Reply::to("/"));
    };
    // The same counter as sign-in, taken before the check.
    let key = crate::domain::username_key(&user.username);
    let taken = tries::take(app, Counter::SignIn, &key, Some(user.id)).await?;
    if taken == Try::Busy {
        audit(app, ctx, None, "add_old_account", "refused: busy").await;
        return Ok(Reply::to("/accounts?error=busy"));
    }
    let locked = taken == Try::Locked;
    let ok = app
        .hasher
        .verify(Some(user.password_hash.clone()), password.to_string())
        .await;
    tries::settle(app, taken, ok && !locked).await?;
    if !ok || locked {
        audit(app, ctx, None, "add_old_account", "wrong password").await;
        return Ok(Reply::to("/accounts?error=password"));
    }
    if frozen(app, &user).await?.is_some() {
        audit(app, ctx, None, "add_old_account", "refused: frozen").await;
        return Ok(Reply::to("/"));
    }
    let (mut w, cookie) = flow::create(app, ctx, Step::Lookup).await?;
    let fresh = w.clone();
    w.email = Some(user.email.clone());
    w.email_verified = true;
    w.portal_user_id = Some(user.id);
    flow::save::<Step>(app, &fresh, w).await?;
    audit(app, ctx, None, "add_old_account", "wizard started").await;
    Ok(Reply::to(Step::Lookup.path()).with_cookie(cookie))
}
