//! Verify Username and Password, and Accounts to consolidate: Add another
//! account, Finish.

use super::{begin, consolidated_before, move_on, wrong_or_locked, Loaded};
use crate::auth::constant_time_eq;
use crate::auth::policy::NewPassword;
use crate::domain::Username;
use crate::flow::input::checked_new_password;
use crate::flow::tries::{self, Counter, Try};
use crate::flow::{self, audit, FieldError, Flash, Outcome, Stop};
use crate::i18n::Msg;
use crate::state::AppState;
use crate::store::{FinishOutcome, FinishWrites, FlowRow, StepWrite};
use crate::web::{Ctx, Reply};
use crate::wizard::step::{Action, Event, Step};
use tracing::{info, warn};

#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn verify_legacy_password(
    app: &AppState,
    ctx: &Ctx,
    username: &str,
    password: &str,
) -> Outcome {
    const ACTION: &str = "verify_legacy_password";
    let (old, _) = begin(app, ctx, Action::VerifyPassword).await?;
    let mut w = old.clone();
    // The username typed goes back to the page with any error (never the
    // password). It is kept in the flash, not in `username_draft`: that is
    // the username looked up, under which Account Verification counts tries.
    let typed: String = username.trim().chars().take(Username::MAX_LEN).collect();
    let refused =
        |errors: Vec<FieldError>| Flash::with_errors(errors).keep("username", &typed).stored();
    let mut errors = Vec::new();
    let user = Username::parse(username);
    if let Err(e) = &user {
        errors.push(FieldError::new("username", Msg::new(e.0)));
    }
    if password.is_empty() {
        errors.push(FieldError::new(
            "password",
            Msg::new("error-password-empty"),
        ));
    }
    let user = match user {
        Ok(u) if errors.is_empty() => u,
        _ => {
            w.flash = refused(errors);
            return flow::go(app, ctx, &old, w, Step::Password, None).await;
        }
    };
    let out_of_order = Reply::notice(Step::Lookup.path(), "out-of-order");
    let Some(account_id) = old.legacy_account_id else {
        return Ok(out_of_order);
    };
    let Some(account) = app.store.legacy_by_id(account_id).await? else {
        return Ok(out_of_order);
    };
    let account_key = crate::domain::username_key(&account.username);
    let taken = tries::take(app, Counter::Password, &account_key, Some(account.id)).await?;
    if taken == Try::Busy {
        w.flash = refused(vec![FieldError::new("password", Msg::new("error-busy"))]);
        let audited = Some((ACTION, "refused: busy"));
        return flow::go(app, ctx, &old, w, Step::Password, audited).await;
    }
    let locked = taken == Try::Locked;
    // The account proven in this wizard, and no other: a username typed here
    // that is not the looked-up account's is wrong, at the same cost.
    let same_account = constant_time_eq(&user.key(), &account_key);
    let ok = app
        .hasher
        .verify(
            same_account.then(|| account.password_hash.clone()),
            password.to_string(),
        )
        .await;
    tries::settle(app, taken, ok && !locked).await?;
    if !ok || locked {
        w.flash = refused(vec![FieldError::new(
            "password",
            Msg::new("error-password-wrong"),
        )]);
        let audited = Some((ACTION, wrong_or_locked(locked)));
        return flow::go(app, ctx, &old, w, Step::Password, audited).await;
    }
    if account.consolidated_into.is_some() {
        return consolidated_before(app, ctx, &old, w, Step::Password, ACTION).await;
    }
    // The first account's password becomes a new login's: one below
    // today's rules (too short, a common one, the username in it) is
    // replaced first, with the rules of Register.
    let becomes_login_password =
        old.portal_user_id.is_none() && app.store.wizard_accounts(&old.id).await?.is_empty();
    if becomes_login_password && NewPassword::parse(password, &account.username).is_err() {
        let next = move_on(&mut w, Step::Password, Event::PasswordBelowRules);
        w.flash = None;
        let cookie = flow::renew::<Step>(&mut w, ctx);
        let audited = Some((ACTION, "ok: below today's rules"));
        return Ok(flow::go(app, ctx, &old, w, next, audited)
            .await?
            .with_cookie(cookie));
    }
    let (next, new_hash) = add_to_list(app, &mut w, password, Step::Password).await;
    let cookie = flow::renew::<Step>(&mut w, ctx);
    let with = StepWrite::AddAccount {
        legacy_account_id: account.id,
        new_password_hash: &new_hash,
    };
    Ok(
        flow::go_with(app, ctx, &old, w, next, Some(&with), Some((ACTION, "ok")))
            .await?
            .with_cookie(cookie),
    )
}

/// The account proven joins the wizard's list with `password` (re-hashed;
/// the first one's becomes a new login's), and the wizard moves on from
/// `from` to Review: the next step and the hash, which the step's save
/// writes with the flow ([`StepWrite::AddAccount`]).
async fn add_to_list(
    app: &AppState,
    w: &mut FlowRow,
    password: &str,
    from: Step,
) -> (Step, String) {
    let new_hash = app.hasher.hash(password.to_string()).await;
    let event = match from {
        Step::NewPassword => Event::PasswordChosen,
        _ => Event::PasswordAccepted,
    };
    let next = move_on(w, from, event);
    w.flash = None;
    w.username_draft.clear();
    w.tin_draft.clear();
    (next, new_hash)
}

/// Choose a New Password: the old account proven at the password step had a
/// password below today's rules; the one chosen here (the rules of Register)
/// becomes the new login's.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn choose_new_password(
    app: &AppState,
    ctx: &Ctx,
    password: &str,
    confirm: &str,
) -> Outcome {
    const ACTION: &str = "choose_new_password";
    let (old, _) = begin(app, ctx, Action::ChoosePassword).await?;
    let mut w = old.clone();
    let account = match old.legacy_account_id {
        Some(id) => app.store.legacy_by_id(id).await?,
        None => None,
    };
    let Some(account) = account else {
        return Ok(Reply::notice(Step::Lookup.path(), "out-of-order"));
    };
    if let Err(e) = checked_new_password(password, confirm, &account.username) {
        w.flash = Flash::errors(vec![e]);
        let audited = Some((ACTION, "refused: password rules"));
        return flow::go(app, ctx, &old, w, Step::NewPassword, audited).await;
    }
    let (next, new_hash) = add_to_list(app, &mut w, password, Step::NewPassword).await;
    let with = StepWrite::AddAccount {
        legacy_account_id: account.id,
        new_password_hash: &new_hash,
    };
    flow::go_with(app, ctx, &old, w, next, Some(&with), Some((ACTION, "ok"))).await
}

#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn add_another_account(app: &AppState, ctx: &Ctx) -> Outcome {
    let (old, _) = begin(app, ctx, Action::AddAnother).await?;
    let mut w = old.clone();
    let next = move_on(&mut w, Step::Review, Event::AnotherAccount);
    w.legacy_account_id = None;
    w.decoy_question = None;
    w.username_draft.clear();
    w.tin_draft.clear();
    w.flash = None;
    flow::go(app, ctx, &old, w, next, Some(("add_another_account", "ok"))).await
}

/// Merges every account of the wizard in one transaction. Submitted twice, it
/// shows the same Thank You once.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn finish(app: &AppState, ctx: &Ctx) -> Outcome {
    // Read once: a wizard at Done shows its Thank You again.
    let loaded = flow::load::<Step>(app, ctx).await?;
    if let Loaded::Active(_, Step::Done) = loaded {
        return Ok(Reply::to(Step::Done.path()));
    }
    let allowed = |s: Step| s.allows(Action::Finish);
    let (old, _) = flow::begin_loaded(
        app,
        ctx,
        loaded,
        allowed,
        Action::Finish.name(),
        Step::Lookup,
    )
    .await?;
    let now = app.clock.now();
    let Some(email) = old.email.clone().filter(|_| old.email_verified) else {
        return Ok(Reply::notice(Step::Review.path(), "out-of-order"));
    };
    let accounts = app.store.wizard_accounts(&old.id).await?;
    // A signed-in user adding accounts keeps their own login.
    let into_user = old.portal_user_id;
    let fail = app
        .faults
        .fail_next_finish
        .swap(false, std::sync::atomic::Ordering::SeqCst);
    let mails = crate::wizard::notify::merge_mails(app, &ctx.lang, &email, &accounts, now);
    let mails = crate::flow::outbox::prepare(app, mails, now);
    // With the merge, in its transaction: the wizard at Done on a new token
    // (which marks the end), the new login's session (a login that was
    // adding accounts is signed in already) and the audit event.
    let mut done = old.clone();
    let done_step = move_on(&mut done, Step::Review, Event::Finished);
    let cookie = flow::renew::<Step>(&mut done, ctx);
    let session = into_user.is_none().then(crate::auth::random_token);
    let session_hash = session.as_deref().map(crate::auth::token_hash);
    let writes = FinishWrites {
        token_hash: &done.token_hash,
        session_hash: session_hash.as_deref(),
        event: flow::audit_event(ctx, Some(&old), "finish", "merged"),
        fail_before_commit: fail,
    };
    let outcome = match app
        .store
        .finish(&old.id, &email, into_user, now, &mails, &writes)
        .await
    {
        Ok(o) => o,
        Err(e) => {
            audit(app, ctx, Some(&old), "finish", "fault").await;
            return Err(Stop::from(e));
        }
    };
    match outcome {
        FinishOutcome::Merged { portal_user_id } => {
            info!(
                portal_user_id,
                accounts = accounts.len(),
                "accounts consolidated"
            );
            flow::told(&writes.event, Some(&old));
            crate::flow::outbox::wake(app);
            // A new login is signed in: Thank You leads on to Protect your
            // new login.
            let session = session.map(|token| flow::session::cookie(ctx, &token));
            Ok(Reply::to(done_step.path())
                .with_cookie(cookie)
                .with_cookie_if(session))
        }
        FinishOutcome::AlreadyConsolidated { legacy_account_id } => {
            warn!("finish refused: an account was consolidated by another wizard first");
            app.store
                .remove_wizard_account(&old.id, legacy_account_id)
                .await?;
            let name = accounts
                .iter()
                .find(|(id, _, _)| *id == legacy_account_id)
                .map(|(_, a, _)| a.username.clone())
                .unwrap_or_default();
            let any_left = accounts.len() > 1;
            let mut w = old.clone();
            let next = move_on(&mut w, Step::Review, Event::AccountLost { any_left });
            if any_left {
                w.flash = Flash::error(
                    "finish",
                    Msg::new("error-finish-lost-account").text("name", name),
                );
            } else {
                w.legacy_account_id = None;
                w.flash = Flash::already_consolidated();
            }
            flow::go(
                app,
                ctx,
                &old,
                w,
                next,
                Some(("finish", "refused: already consolidated")),
            )
            .await
        }
        FinishOutcome::NothingToMerge => Ok(Reply::notice(Step::Lookup.path(), "out-of-order")),
        FinishOutcome::LoginFrozen => {
            // Frozen ("This wasn't me") while this wizard added to it.
            audit(app, ctx, Some(&old), "finish", "refused: frozen").await;
            Ok(Reply::to("/"))
        }
    }
}
