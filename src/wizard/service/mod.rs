//! The wizard over the flow engine, the store, the hasher and the mailer.
//! Every action loads this browser's wizard, asks the step table whether it
//! is allowed now, and writes the new state only if nobody moved the wizard
//! meanwhile. One file per page's actions.

mod accounts;
mod email;
mod lookup;

pub use accounts::{add_another_account, choose_new_password, finish, verify_legacy_password};
pub use email::{resend_email_code, send_email_code, verify_email_code};
pub use lookup::{lookup_account, verify_security_answer};

use super::step::{Action, Event, Step};
use super::view::{WizardState, WizardView};
use crate::flow::input::{masked_email, typed_email};
use crate::flow::{self, audit, codes, Flash, Outcome, Stop};
use crate::state::AppState;
use crate::store::{FlowRow, LinkedAccount};
use crate::web::{Ctx, Reply};

type Loaded = flow::Loaded<Step>;

/// The wizard, if `action` is allowed at its step now; otherwise the reply
/// that refuses it (nothing is written).
async fn begin(app: &AppState, ctx: &Ctx, action: Action) -> Result<(FlowRow, Step), Stop> {
    flow::begin(
        app,
        ctx,
        |s: Step| s.allows(action),
        action.name(),
        Step::Lookup,
    )
    .await
}

/// Moves `w` from `from` by `event`, as the step table says; returns the new step.
fn move_on(w: &mut FlowRow, from: Step, event: Event) -> Step {
    let next = from.then(event);
    w.step = next.as_str().into();
    next
}

/// What the audit trail says of a wrong secret.
fn wrong_or_locked(locked: bool) -> &'static str {
    if locked {
        "refused: locked"
    } else {
        "wrong"
    }
}

/// The account proven at `from` was consolidated before: back to Account
/// Lookup, whose page points to sign-in.
async fn consolidated_before(
    app: &AppState,
    ctx: &Ctx,
    old: &FlowRow,
    mut w: FlowRow,
    from: Step,
    action: &str,
) -> Outcome {
    let next = move_on(&mut w, from, Event::AlreadyConsolidated);
    w.legacy_account_id = None;
    w.decoy_question = None;
    w.flash = Flash::already_consolidated();
    let audited = Some((action, "refused: already consolidated"));
    flow::go(app, ctx, old, w, next, audited).await
}

// ---- the page's view ---------------------------------------------------------

pub async fn state(app: &AppState, ctx: &Ctx) -> WizardState {
    match view(app, ctx).await {
        Ok(s) => s,
        Err(Stop::Fault { reference, .. }) => WizardState::Fault(reference),
        Err(Stop::Go(_)) => WizardState::None,
    }
}

async fn view(app: &AppState, ctx: &Ctx) -> Result<WizardState, Stop> {
    let (w, step) = match flow::load::<Step>(app, ctx).await? {
        Loaded::Missing => return Ok(WizardState::None),
        Loaded::Expired(_) => return Ok(WizardState::Expired),
        Loaded::Active(w, s) => (w, s),
    };
    let mut question = w.decoy_question.clone().unwrap_or_default();
    if let Some(id) = w.legacy_account_id {
        if let Some(a) = app.store.legacy_by_id(id).await? {
            question = a.question;
        }
    }
    let resend_wait_secs = if step == Step::Code {
        codes::resend_wait(app, &w.id).await?
    } else {
        0
    };
    let mut sign_in_username = String::new();
    let mut accounts = Vec::new();
    if step == Step::Review || step == Step::Lookup {
        accounts = app
            .store
            .wizard_accounts(&w.id)
            .await?
            .into_iter()
            .map(|(_, a, _)| a.summary())
            .collect();
    }
    if let (Step::Done, Some(uid)) = (step, w.portal_user_id) {
        if let Some((u, list)) = app.store.portal_user_accounts(uid).await? {
            sign_in_username = u;
            accounts = list.into_iter().map(LinkedAccount::summary).collect();
        }
    }
    Ok(WizardState::Active(Box::new(WizardView {
        step,
        masked_email: masked_email(w.email.as_deref()),
        flash: Flash::of(w.flash.as_deref()),
        username: w.username_draft,
        tin: w.tin_draft,
        question,
        email: w.email_draft,
        verify_email: w.verify_email_draft,
        resend_wait_secs,
        sign_in_username,
        accounts,
        invite: String::new(),
    })))
}

// ---- Previous and Cancel -------------------------------------------------------

#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn go_previous(
    app: &AppState,
    ctx: &Ctx,
    email: Option<String>,
    verify_email: Option<String>,
) -> Outcome {
    let (old, step) = begin(app, ctx, Action::Previous).await?;
    previous_from(app, ctx, old, step, email, verify_email)
        .await
        .map_err(|s| s.at(step.path()))
}

async fn previous_from(
    app: &AppState,
    ctx: &Ctx,
    old: FlowRow,
    step: Step,
    email: Option<String>,
    verify_email: Option<String>,
) -> Outcome {
    let mut w = old.clone();
    // With an account already added (or a signed-in user), the email is
    // verified for good: Previous from the password step goes to the question.
    let added = app.store.wizard_accounts(&old.id).await?.len();
    let email_done = added > 0 || old.portal_user_id.is_some();
    let Some(prev) = step.after(Event::Back {
        email_verified: email_done,
    }) else {
        return Ok(Reply::notice(step.path(), "out-of-order"));
    };
    if step == Step::Email {
        w.email_draft = typed_email(&email.unwrap_or_default());
        w.verify_email_draft = typed_email(&verify_email.unwrap_or_default());
    }
    // Landing on a step means proving it again.
    match prev {
        Step::Lookup => {
            w.legacy_account_id = None;
            w.decoy_question = None;
        }
        Step::Email => w.email_verified = false,
        _ => {}
    }
    w.step = prev.as_str().into();
    w.flash = None;
    flow::go(app, ctx, &old, w, prev, Some(("previous", prev.as_str()))).await
}

#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn cancel_wizard(app: &AppState, ctx: &Ctx) -> Outcome {
    let clear = flow::clear_cookie::<Step>(ctx);
    match flow::load::<Step>(app, ctx).await? {
        Loaded::Missing => Ok(Reply::to("/").with_cookie(clear)),
        Loaded::Expired(w) | Loaded::Active(w, _) => {
            if w.step == Step::Done.as_str() {
                return Ok(Reply::to("/").with_cookie(clear));
            }
            app.store.delete_flow(&w.id).await?;
            audit(app, ctx, Some(&w), "cancel", "cancelled").await;
            Ok(Reply::to("/?notice=cancelled").with_cookie(clear))
        }
    }
}
