//! Account Lookup and Account Verification.

use super::{begin, consolidated_before, move_on, wrong_or_locked, Loaded};
use crate::auth::{self, keyed_hash};
use crate::domain::{Pin, SupportCode, Tin, Username};
use crate::flow::tries::{self, Counter, Try};
use crate::flow::{self, audit, FieldError, Flash, Outcome};
use crate::i18n::Msg;
use crate::state::AppState;
use crate::web::{Ctx, Reply};
use crate::wizard::step::{Action, Event, Step};

/// Questions a decoy may ask: the same pool the real accounts use, so a
/// decoy cannot be told from a real one.
const DECOY_QUESTIONS: &[&str] = &[
    "What's your maiden name?",
    "What city were you born in?",
    "What was the name of your first pet?",
    "What is your mother's maiden name?",
    "What was the make of your first car?",
    "What street did you grow up on?",
];

#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn lookup_account(
    app: &AppState,
    ctx: &Ctx,
    username: &str,
    tin: &str,
    invite: Option<&str>,
) -> Outcome {
    // Lookup is where a wizard starts: a browser without one (or with an
    // expired one) gets a new one.
    let loaded = flow::load::<Step>(app, ctx).await?;
    // A browser without a wizard gets a fresh one, stored with the
    // lookup's outcome (one insert).
    let (old, cookie, stored) = match loaded {
        Loaded::Active(w, Step::Lookup) => (w, None, true),
        // A finished wizard is kept for its Thank You page; a lookup after it
        // starts a new one.
        Loaded::Active(w, step) if step != Step::Done => {
            audit(
                app,
                ctx,
                Some(&w),
                "lookup_account",
                "refused: out of order",
            )
            .await;
            return Ok(Reply::notice(step.path(), "out-of-order"));
        }
        Loaded::Missing | Loaded::Expired(_) | Loaded::Active(_, _) => {
            if let Loaded::Expired(w) = &loaded {
                app.store.delete_flow(&w.id).await?;
            }
            let (w, cookie) = flow::fresh(app, ctx, Step::Lookup);
            (w, Some(cookie), false)
        }
    };
    let stored = stored.then_some(&old);
    let mut w = old.clone();
    // A token that reached Account Lookup may have been set by someone else
    // (cookie tossing), who would then see the question: lookup always
    // gives this browser a token of its own.
    let cookie = cookie.or_else(|| Some(flow::renew::<Step>(&mut w, ctx)));
    w.username_draft = username.trim().chars().take(Username::MAX_LEN).collect();
    // A full TIN is never stored or shown again (SECURITY.md); what is kept
    // for the page is a TIN typed wrong, so that it can be corrected.
    let parsed = (Username::parse(username), Tin::parse(tin));
    w.tin_draft = if parsed.1.is_ok() {
        String::new()
    } else {
        tin.trim().chars().take(20).collect()
    };
    let (user, tin) = match parsed {
        (Ok(u), Ok(t)) => (u, t),
        (u, t) => {
            let mut errors = Vec::new();
            if let Err(e) = u {
                errors.push(FieldError::new("username", Msg::new(e.0)));
            }
            if let Err(e) = t {
                errors.push(FieldError::new("tin", Msg::new(e.0)));
            }
            w.flash = Flash::errors(errors);
            flow::keep::<Step>(
                app,
                ctx,
                stored,
                w,
                Some(("lookup_account", "invalid input")),
            )
            .await?;
            return Ok(Reply::to(Step::Lookup.path()).with_cookie_if(cookie));
        }
    };
    // The same queries run whether or not the pair matches; an unknown pair
    // gets a decoy question, so the reply has the same shape.
    let account = app.store.legacy_by_username_key(&user.key()).await?;
    let matched = app
        .store
        .legacy_has_tin_of(
            account.as_ref().map(|a| a.id),
            &auth::tin_hashes(&app.key, tin.digits()),
        )
        .await?;
    let (legacy_id, decoy) = match (&account, matched) {
        (Some(a), true) => (Some(a.id), None),
        // A known username with a wrong TIN keeps its own question, so that
        // trying several TINs shows nothing.
        (Some(a), false) => (None, Some(a.question.clone())),
        (None, _) => {
            let h = keyed_hash(&app.key, &["decoy", &user.key()]);
            let n = u64::from_str_radix(&h[..8], 16).unwrap_or(0) as usize % DECOY_QUESTIONS.len();
            (None, Some(DECOY_QUESTIONS[n].to_string()))
        }
    };
    w.legacy_account_id = legacy_id;
    w.decoy_question = decoy;
    w.flash = None;
    let next = move_on(&mut w, Step::Lookup, Event::LookedUp);
    let outcome = if legacy_id.is_some() {
        "matched"
    } else {
        "no match (decoy)"
    };
    let flow_id = w.id.clone();
    flow::keep::<Step>(app, ctx, stored, w, Some(("lookup_account", outcome))).await?;
    // Begun from a campaign's link: counted for its wave (issue 32).
    if let Some(invite) = invite {
        crate::campaign::service::record_start(app, invite, &flow_id).await;
    }
    Ok(Reply::to(next.path()).with_cookie_if(cookie))
}

/// Lower-cased and trimmed: answers match without regard to case and spaces.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn verify_security_answer(app: &AppState, ctx: &Ctx, answer: &str) -> Outcome {
    const ACTION: &str = "verify_security_answer";
    let (old, _) = begin(app, ctx, Action::AnswerQuestion).await?;
    let mut w = old.clone();
    if answer.trim().is_empty() {
        w.flash = Flash::error("answer", Msg::new("error-answer-empty"));
        return flow::go(app, ctx, &old, w, Step::Verify, None).await;
    }
    let account = match old.legacy_account_id {
        Some(id) => app.store.legacy_by_id(id).await?,
        None => None,
    };
    // The try is taken before the answer is checked, under the username
    // looked up (a decoy's too), so that parallel guesses get no more than
    // five checks between them and a decoy behaves as a real account.
    let target = crate::domain::username_key(&old.username_draft);
    let taken = tries::take(
        app,
        Counter::Answer,
        &target,
        account.as_ref().map(|a| a.id),
    )
    .await?;
    if taken == Try::Busy {
        w.flash = Flash::error("answer", Msg::new("error-busy"));
        let audited = Some((ACTION, "refused: busy"));
        return flow::go(app, ctx, &old, w, Step::Verify, audited).await;
    }
    let locked = taken == Try::Locked;
    // The hashing work is the same whether the account is real, a decoy or
    // locked; only the result is thrown away.
    let mut ok = app
        .hasher
        .verify(
            account.as_ref().map(|a| a.answer_hash.clone()),
            // As its old portal hashed it (docs/import.md).
            match &account {
                Some(a) if a.answer_as_typed => crate::domain::answer_as_typed(answer),
                _ => crate::domain::normalise_answer(answer),
            },
        )
        .await;
    if !ok {
        if let Ok(pin) = Pin::parse(answer) {
            ok = app
                .hasher
                .verify(
                    account.as_ref().map(|a| a.pin_hash.clone()),
                    pin.expose().to_string(),
                )
                .await;
        }
    }
    // A support code (issue 17), given by provider support to one who can
    // answer neither: checked when the answer and PIN were not right, even
    // while the step is locked (the code has five tries of its own).
    // A decoy runs the same query (for no account), so that a code-shaped
    // answer takes as long for it as for a real account.
    let mut by_code = false;
    if let (false, Some(code)) = (ok, SupportCode::parse(answer)) {
        let id = account.as_ref().map_or(0, |a| a.id);
        for key in app.key.all() {
            let hash = auth::support_code_hash(key, id, &code);
            if app
                .store
                .take_support_code(id, &hash, app.clock.now())
                .await?
            {
                by_code = account.is_some();
                break;
            }
        }
    }
    let right = (ok && account.is_some() && !locked) || by_code;
    tries::settle(app, taken, right).await?;
    let account = match account.filter(|_| right) {
        Some(a) => a,
        None => {
            w.flash = Flash::error("answer", Msg::new("error-answer-wrong"));
            let audited = Some((ACTION, wrong_or_locked(locked)));
            return flow::go(app, ctx, &old, w, Step::Verify, audited).await;
        }
    };
    if account.consolidated_into.is_some() {
        return consolidated_before(app, ctx, &old, w, Step::Verify, ACTION).await;
    }
    // Its old portal closed and the operators chose to move its accounts no
    // more: said only now, after the proof, as "already consolidated" is.
    if let Some(closed) = crate::closing::service::refusing(app, &account).await? {
        let next = move_on(&mut w, Step::Verify, Event::PortalClosed);
        w.legacy_account_id = None;
        w.flash = Flash::error(
            "username",
            Msg::new("notice-portal-closed")
                .text("portal", closed.name)
                .day("date", &closed.closes_on),
        );
        let audited = Some((ACTION, "refused: portal closed"));
        return flow::go(app, ctx, &old, w, next, audited).await;
    }
    let in_list = app
        .store
        .wizard_accounts(&old.id)
        .await?
        .iter()
        .any(|(id, _, _)| *id == account.id);
    if in_list {
        let next = move_on(&mut w, Step::Verify, Event::AlreadyInList);
        w.legacy_account_id = None;
        w.flash = Flash::info(Msg::new("notice-already-in-list"));
        return flow::go(
            app,
            ctx,
            &old,
            w,
            next,
            Some((ACTION, "refused: already in the list")),
        )
        .await;
    }
    let next = move_on(
        &mut w,
        Step::Verify,
        Event::AnswerAccepted {
            email_verified: old.email_verified,
        },
    );
    w.flash = None;
    let cookie = flow::renew::<Step>(&mut w, ctx);
    let outcome = if by_code { "ok: support code" } else { "ok" };
    Ok(flow::go(app, ctx, &old, w, next, Some((ACTION, outcome)))
        .await?
        .with_cookie(cookie))
}
