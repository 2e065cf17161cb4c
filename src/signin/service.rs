//! Sign-in sessions of new-portal users.

use super::step::SignInStep;
use super::{AccountsState, MyAccounts, SecondStepState, SignInState};
use crate::auth::{self, token_hash, SESSION_COOKIE};
use crate::domain::{EmailAddress, Username};
use crate::flow::limits::{SESSION_IDLE_SECS, SESSION_LIFETIME_SECS};
use crate::flow::second::{self, Checked, StepUp};
use crate::flow::tries::{self, Counter, Try};
use crate::flow::{self, audit, Flash, Loaded, Outcome, Stop};
use crate::i18n::Msg;
use crate::state::AppState;
use crate::store::{LinkedAccount, PortalUser};
use crate::web::{Ctx, Reply};
use crate::wizard::Step;

pub(super) async fn failed(app: &AppState, ctx: &Ctx, username: &str, message: &str) -> Outcome {
    flow::failed_sign_in(app, ctx, SignInStep::Password, username, Msg::new(message)).await
}

/// The page of Sign-in and security that asks a login without a second
/// step to add one.
pub const PROTECT_PATH: &str = "/security/protect";

/// The sentence for a frozen login ("This wasn't me"), with its case's
/// support reference; None if the login may sign in.
pub(super) async fn frozen(app: &AppState, user: &PortalUser) -> Result<Option<Msg>, Stop> {
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
    SignInState {
        username,
        error,
        passkey: crate::flow::passkey::start_sign_in(app),
    }
}

/// `Login`: one generic message for every failure; five in a row lock the
/// login for 15 minutes (locked reads as wrong); old usernames of merged
/// accounts are not logins, so they never sign in.
pub async fn sign_in(app: &AppState, ctx: &Ctx, username: &str, password: &str) -> Outcome {
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
    let Some(user) = user.filter(|_| right) else {
        tries::settle(app, taken, false).await?;
        let outcome = if locked { "refused: locked" } else { "wrong" };
        audit(app, ctx, None, "sign_in", outcome).await;
        return failed(app, ctx, username, "error-sign-in").await;
    };
    // Frozen after "This wasn't me": said only to whoever knows the
    // password, with the case's reference for support.
    // A right password's try is settled with the rest of the sign-in's
    // writes, in one transaction, on the way most sign-ins take.
    let (usable, second_step) = app.store.sign_in_checks(user.id).await?;
    if let Some(message) = if usable {
        None
    } else {
        frozen(app, &user).await?
    } {
        tries::settle(app, taken, true).await?;
        audit(app, ctx, None, "sign_in", "refused: frozen").await;
        return flow::failed_sign_in(app, ctx, SignInStep::Password, username, message).await;
    }
    if second_step {
        tries::settle(app, taken, true).await?;
        // A browser this login remembers goes on without it.
        if let Some(token) = &ctx.remember {
            let now = app.clock.now();
            if app
                .store
                .remembered(user.id, &token_hash(token), now)
                .await?
            {
                audit(app, ctx, None, "sign_in", "ok: remembered browser").await;
                return open_session(app, ctx, user.id, "/accounts").await;
            }
        }
        // The second step: a flow of its own on a fresh token, holding the
        // login; no session until it is done.
        flow::forget_sign_in::<SignInStep>(app, ctx).await?;
        let (_, cookie) = flow::create_with(app, ctx, SignInStep::SecondStep, |f| {
            f.portal_user_id = Some(user.id)
        })
        .await?;
        audit(app, ctx, None, "sign_in", "ok: second step asked").await;
        return Ok(Reply::to(SignInStep::SECOND_PATH).with_cookie(cookie));
    }
    // Without a second step: the try settled, the audit event, the count
    // of such sign-ins and the session, in one commit. My accounts offers
    // a second step; once TWO_STEP=required's grace is spent, Protect your
    // new login asks for one first.
    let token = auth::random_token();
    let event = flow::audit_event(ctx, None, "sign_in", "ok");
    let sign_ins = app
        .store
        .sign_in_right(taken, user.id, &token_hash(&token), app.clock.now(), &event)
        .await?;
    flow::told(&event, None);
    let to = if app.settings.two_step.must_add(sign_ins) {
        PROTECT_PATH
    } else {
        "/accounts"
    };
    flow::forget_sign_in::<SignInStep>(app, ctx).await?;
    Ok(Reply::to(to).with_cookie(flow::session::cookie(ctx, &token)))
}

/// A new session of login `login` (the sign-in flow, done, is forgotten),
/// and the browser sent to `to`.
pub(super) async fn open_session(app: &AppState, ctx: &Ctx, login: i64, to: &str) -> Outcome {
    let cookie = flow::session::open(app, ctx, login).await?;
    flow::forget_sign_in::<SignInStep>(app, ctx).await?;
    Ok(Reply::to(to).with_cookie(cookie))
}

/// The second step's page: the login it is for, and what the last code
/// tried left to say.
pub async fn second_step_state(app: &AppState, ctx: &Ctx) -> SecondStepState {
    match flow::load::<SignInStep>(app, ctx).await {
        Ok(Loaded::Active(f, SignInStep::SecondStep)) => {
            let passkey = match f.portal_user_id {
                Some(login) => match crate::flow::passkey::start_second(app, login).await {
                    Ok(p) => p,
                    Err(Stop::Fault { reference, .. }) => return SecondStepState::Fault(reference),
                    Err(Stop::Go(_)) => None,
                },
                None => None,
            };
            SecondStepState::Asked {
                error: Flash::of(f.flash.as_deref())
                    .errors
                    .into_iter()
                    .next()
                    .map(|e| e.message),
                passkey,
            }
        }
        Ok(_) => SecondStepState::NotAsked,
        Err(Stop::Fault { reference, .. }) => SecondStepState::Fault(reference),
        Err(Stop::Go(_)) => SecondStepState::NotAsked,
    }
}

/// The sign-in flow at its second step, and the login it is for; else
/// where an answer out of order goes.
pub(super) async fn at_second_step(
    app: &AppState,
    ctx: &Ctx,
) -> Result<Result<(crate::store::FlowRow, PortalUser), Reply>, Stop> {
    let is_second = |s: SignInStep| s == SignInStep::SecondStep;
    let (f, _) = flow::begin::<SignInStep>(
        app,
        ctx,
        is_second,
        "sign_in/second_step",
        SignInStep::Password,
    )
    .await?;
    let user = match f.portal_user_id {
        Some(id) => app.store.portal_user_by_id(id).await?,
        None => None,
    };
    Ok(user
        .map(|u| (f, u))
        .ok_or_else(|| Reply::notice("/", "out-of-order")))
}

/// The second step of sign-in: a code from the login's authenticator app,
/// or one of its backup codes. Five wrong in a row lock it for 15 minutes.
pub async fn second_step(app: &AppState, ctx: &Ctx, code: &str, remember: bool) -> Outcome {
    const ACTION: &str = "sign_in/second_step";
    let (f, user) = match at_second_step(app, ctx).await? {
        Ok(at) => at,
        Err(out_of_order) => return Ok(out_of_order),
    };
    let checked = second::check(app, user.id, code).await?;
    let Checked::Right(proof) = checked else {
        audit(app, ctx, Some(&f), ACTION, checked.audited()).await;
        let message = match checked {
            Checked::Busy => "error-busy",
            _ => "error-second-step",
        };
        let mut again = f.clone();
        again.flash = Flash::error("code", Msg::new(message));
        flow::save::<SignInStep>(app, &f, again).await?;
        return Ok(Reply::to(SignInStep::SECOND_PATH));
    };
    let to = match proof {
        second::Proof::Backup { left } if left <= 3 => "/security?notice=backup-codes-low",
        _ => "/accounts",
    };
    second_step_done(app, ctx, &f, &user, proof.audited(), to, remember).await
}

/// The second step proven (`how`, as audited): a session, and the browser
/// remembered for 30 days if asked; a login frozen meanwhile is refused.
pub(super) async fn second_step_done(
    app: &AppState,
    ctx: &Ctx,
    f: &crate::store::FlowRow,
    user: &PortalUser,
    how: &str,
    to: &str,
    remember: bool,
) -> Outcome {
    const ACTION: &str = "sign_in/second_step";
    let f = Some(f);
    // Frozen since the password was checked: the same sentence as there.
    if let Some(message) = frozen(app, user).await? {
        audit(app, ctx, f, ACTION, "refused: frozen").await;
        return flow::failed_sign_in(app, ctx, SignInStep::Password, &user.username, message).await;
    }
    audit(app, ctx, f, ACTION, how).await;
    let reply = open_session(app, ctx, user.id, to).await?;
    if !remember {
        return Ok(reply);
    }
    // Remember this browser for 30 days: a token of its own in a cookie,
    // its hash here, listed on Sign-in and security.
    let token = auth::random_token();
    let now = app.clock.now();
    app.store
        .remember_browser(
            user.id,
            &token_hash(&token),
            &ctx.browser,
            now,
            now + auth::REMEMBER_SECS,
        )
        .await?;
    audit(app, ctx, f, ACTION, "browser remembered").await;
    let cookie = auth::named_cookie(
        auth::REMEMBER_COOKIE,
        &token,
        auth::REMEMBER_SECS,
        ctx.secure,
    );
    Ok(reply.with_cookie(cookie))
}

pub async fn signed_in_user(app: &AppState, ctx: &Ctx) -> Result<Option<PortalUser>, Stop> {
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
        Err(Stop::Go(r)) if r.location == PROTECT_PATH => AccountsState::MustProtect,
        Err(Stop::Go(_)) => AccountsState::SignedOut,
    }
}

/// Whether `user`, without a second step, must add one before going on
/// (`TWO_STEP=required`, its grace spent).
pub async fn must_protect(
    app: &AppState,
    user: &PortalUser,
    has_second_step: bool,
) -> Result<bool, Stop> {
    if has_second_step {
        return Ok(false);
    }
    Ok(app.settings.two_step.must_add(user.unprotected_sign_ins))
}

async fn load_accounts(app: &AppState, ctx: &Ctx) -> Result<Option<MyAccounts>, Stop> {
    let Some(user) = signed_in_user(app, ctx).await? else {
        return Ok(None);
    };
    let steps = app.store.second_steps(user.id).await?;
    let second_step = steps.any();
    if must_protect(app, &user, second_step).await? {
        return Err(Stop::Go(Reply::to(PROTECT_PATH)));
    }
    let list = app.store.accounts_of(user.id, &user.username).await?;
    let username = user.username.clone();
    Ok(Some(MyAccounts {
        username,
        masked_email: EmailAddress::parse(&user.email)
            .map(|e| e.masked())
            .unwrap_or_default(),
        accounts: list.into_iter().map(LinkedAccount::summary).collect(),
        second_step,
        step_up: crate::flow::passkey::second_of(app, user.id, &steps.methods),
    }))
}

/// Re-checks the user's password, then opens a wizard that adds to this
/// login (its email is already verified, so the email steps are skipped).
pub async fn start_adding(
    app: &AppState,
    ctx: &Ctx,
    password: &str,
    given: second::Given<'_>,
) -> Outcome {
    let Some(user) = signed_in_user(app, ctx).await? else {
        return Ok(Reply::to("/"));
    };
    // The password again, and the second step if the login has one.
    match second::step_up(app, &user, password, given).await? {
        StepUp::Proven => {}
        failed => {
            audit(app, ctx, None, "add_old_account", failed.audited()).await;
            let error = match failed {
                StepUp::Busy => "busy",
                StepUp::WrongCode(_) => "code",
                _ => "password",
            };
            return Ok(Reply::to(&format!("/accounts?error={error}")));
        }
    }
    if frozen(app, &user).await?.is_some() {
        audit(app, ctx, None, "add_old_account", "refused: frozen").await;
        return Ok(Reply::to("/"));
    }
    let (_, cookie) = flow::create_with(app, ctx, Step::Lookup, |w| {
        w.email = Some(user.email.clone());
        w.email_verified = true;
        w.portal_user_id = Some(user.id);
    })
    .await?;
    audit(app, ctx, None, "add_old_account", "wizard started").await;
    Ok(Reply::to(Step::Lookup.path()).with_cookie(cookie))
}
