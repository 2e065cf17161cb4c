//! Forgot Username, Forgot Password and Register over the flow engine: state
//! on the server behind a cookie, optimistic writes, email codes, lockouts
//! taken before the check, and an audit event for every outcome.

mod forgot;
mod register;

pub use forgot::{forgot_password, forgot_username, reset_password};
pub use register::{
    issue_registration_code, issue_registration_code_by, register_account, register_password,
    register_start, CodeFor, REGISTRATION_CODE_DAYS,
};

use super::step::{Action, Event, Page};
use super::view::{FlowState, FlowView};
use crate::auth::keyed_hash;
use crate::auth::policy::NewPassword;
use crate::domain::EmailAddress;
use crate::flow::codes::{self, daily_cap, Checked, CodeMail, Sent};
use crate::flow::input::checked_new_password;
use crate::flow::{self, audit, Flash, Outcome, Stop};
use crate::i18n::Msg;
use crate::state::AppState;
use crate::store::{FlowRow, StepWrite};
use crate::web::{Ctx, Reply};

type Loaded = flow::Loaded<Page>;

/// The flow, if `action` is allowed at its page now; otherwise the reply
/// that refuses it (nothing is written).
async fn begin(app: &AppState, ctx: &Ctx, action: Action) -> Result<(FlowRow, Page), Stop> {
    flow::begin(
        app,
        ctx,
        |p: Page| p.allows(action),
        action.name(),
        action.home(),
    )
    .await
}

/// Writes `new` over `old` if nobody moved the flow meanwhile.
async fn save(app: &AppState, old: &FlowRow, new: FlowRow) -> Result<(), Stop> {
    flow::save::<Page>(app, old, new).await
}

/// Moves `f` from `from` by `event`, as the table says; returns the new page.
fn move_on(f: &mut FlowRow, from: Page, event: Event) -> Page {
    let next = from.then(event);
    f.step = next.step().into();
    next
}

/// The flow that a first page's form continues: this browser's, if it is
/// still at that page; otherwise a new one (which replaces any other flow
/// of this browser) and the cookie that carries it.
async fn start(app: &AppState, ctx: &Ctx, page: Page) -> Result<(FlowRow, Option<String>), Stop> {
    match flow::load::<Page>(app, ctx).await? {
        Loaded::Active(f, p) if p == page => Ok((f, None)),
        loaded => {
            if let Loaded::Active(f, _) | Loaded::Expired(f) = &loaded {
                app.store.delete_flow(&f.id).await?;
            }
            let (f, cookie) = flow::create(app, ctx, page).await?;
            Ok((f, Some(cookie)))
        }
    }
}

/// The new password typed on `page` (and its confirmation), if it keeps the
/// rules for `username`; otherwise the flow stays at `page`, which says why.
async fn new_password(
    app: &AppState,
    ctx: &Ctx,
    old: &FlowRow,
    page: Page,
    (password, confirm): (&str, &str),
    username: &str,
) -> Result<NewPassword, Stop> {
    let error = match checked_new_password(password, confirm, username) {
        Ok(p) => return Ok(p),
        Err(e) => e,
    };
    let mut f = old.clone();
    f.flash = Flash::errors(vec![error]);
    let action = match page {
        Page::FpNew => "reset_password",
        _ => "register_password",
    };
    let audited = Some((action, "refused: password rules"));
    Err(Stop::Go(flow::go(app, ctx, old, f, page, audited).await?))
}

// ---- the page's view ------------------------------------------------------------

pub async fn state(app: &AppState, ctx: &Ctx) -> FlowState {
    match view(app, ctx).await {
        Ok(s) => s,
        Err(Stop::Fault { reference, .. }) => FlowState::Fault(reference),
        Err(Stop::Go(_)) => FlowState::None,
    }
}

async fn view(app: &AppState, ctx: &Ctx) -> Result<FlowState, Stop> {
    let (f, page) = match flow::load::<Page>(app, ctx).await? {
        Loaded::Missing => return Ok(FlowState::None),
        Loaded::Expired(f) => {
            let first = Page::from_db(&f.kind, "").unwrap_or(Page::FuEmail).first();
            return Ok(FlowState::Expired(first));
        }
        Loaded::Active(f, p) => (f, p),
    };
    let resend_wait_secs = if page.is_code() {
        codes::resend_wait(app, &f.id).await?
    } else {
        0
    };
    let (mut practice, mut masked_tin) = (String::new(), String::new());
    if let Some(id) = f.registration_code_id {
        if let Some(c) = app.store.registration_code_by_id(id).await? {
            practice = c.practice;
            masked_tin = crate::domain::mask_tin_digits(&c.last4);
        }
    }
    let mut sign_in_username = String::new();
    if let (Page::RegDone, Some(uid)) = (page, f.portal_user_id) {
        if let Some(u) = app.store.portal_user_by_id(uid).await? {
            sign_in_username = u.username;
        }
    }
    Ok(FlowState::Active(Box::new(FlowView {
        page,
        masked_email: crate::flow::input::masked_email(f.email.as_deref()),
        flash: Flash::of(f.flash.as_deref()),
        username: f.username_draft,
        tin: f.tin_draft,
        email: f.email_draft,
        verify_email: f.verify_email_draft,
        practice,
        masked_tin,
        resend_wait_secs,
        sign_in_username,
    })))
}

// ---- codes by email -----------------------------------------------------------------

/// `Next` on a code page (Forgot Password or Register).
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn verify_code(app: &AppState, ctx: &Ctx, code: &str) -> Outcome {
    let (old, page) = begin(app, ctx, Action::VerifyCode).await?;
    let mut f = old.clone();
    // A flow for an unknown username has a code nobody was sent: the same
    // path, never right.
    let known = page != Page::FpCode || old.portal_user_id.is_some();
    let checked = codes::verify_code(app, &old, code, false, known)
        .await
        .map_err(|s| s.at(page.path()))?;
    let code_id = match checked {
        Checked::Accepted(id) => id,
        Checked::Refused(msg, outcome) => {
            f.flash = Flash::error("code", msg);
            return flow::go(
                app,
                ctx,
                &old,
                f,
                page,
                outcome.map(|o| ("verify_flow_code", o)),
            )
            .await
            .map_err(|s| s.at(page.path()));
        }
    };
    f.email_verified = true;
    let next = move_on(&mut f, page, Event::CodeAccepted);
    f.flash = None;
    let cookie = flow::renew::<Page>(&mut f, ctx);
    let used = Some(&StepWrite::UseCode { code_id });
    let audited = Some(("verify_flow_code", "ok"));
    Ok(flow::go_with(app, ctx, &old, f, next, used, audited)
        .await
        .map_err(|s| s.at(page.path()))?
        .with_cookie(cookie))
}

/// The caps of Forgot Password's code mails: ten a day per username.
fn reset_cap(app: &AppState, username_key: &str) -> Vec<crate::store::Limit> {
    vec![daily_cap(format!(
        "mail-reset:{}",
        keyed_hash(&app.key, &["reset", username_key])
    ))]
}

/// The caps of Register's code mails: ten a day per registration code.
fn register_cap(f: &FlowRow) -> Vec<crate::store::Limit> {
    vec![daily_cap(format!(
        "mail-register:{}",
        f.registration_code_id.unwrap_or(-1)
    ))]
}

/// `Request New Code` on a code page.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn resend_code(app: &AppState, ctx: &Ctx) -> Outcome {
    let (old, page) = begin(app, ctx, Action::ResendCode).await?;
    resend_at(app, ctx, old, page)
        .await
        .map_err(|s| s.at(page.path()))
}

async fn resend_at(app: &AppState, ctx: &Ctx, old: FlowRow, page: Page) -> Outcome {
    let mut f = old.clone();
    let sent = if page == Page::FpCode {
        let login = match old.portal_user_id {
            Some(id) => app.store.portal_user_by_id(id).await?,
            None => None,
        };
        let to = login.and_then(|u| EmailAddress::parse(&u.email).ok());
        let mail = CodeMail {
            to: to.as_ref(),
            caps: reset_cap(app, &crate::domain::username_key(&old.username_draft)),
            background: true,
        };
        codes::send_code(app, ctx, &old, mail, "resend_flow_code").await?
    } else {
        let Some(email) = old
            .email
            .as_deref()
            .and_then(|e| EmailAddress::parse(e).ok())
        else {
            return Ok(Reply::notice(page.path(), "out-of-order"));
        };
        let mail = CodeMail {
            to: Some(&email),
            caps: register_cap(&old),
            background: false,
        };
        codes::send_code(app, ctx, &old, mail, "resend_flow_code").await?
    };
    f.flash = match sent {
        Sent::Refused(e) => Flash::errors(vec![e.on("code")]),
        Sent::Sent => Flash::info(Msg::new("notice-new-flow-code")),
    };
    flow::go(app, ctx, &old, f, page, None).await
}

// ---- Previous and Cancel -------------------------------------------------------------------

/// `Previous` on Register's code page: back to fix the username or email.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn previous(app: &AppState, ctx: &Ctx) -> Outcome {
    let (old, page) = begin(app, ctx, Action::Previous).await?;
    let mut f = old.clone();
    let next = move_on(&mut f, page, Event::Back);
    f.email_verified = false;
    f.flash = None;
    flow::go(app, ctx, &old, f, next, Some(("flow_previous", "ok")))
        .await
        .map_err(|s| s.at(page.path()))
}

/// `Cancel`: the flow ends and nothing changes; back to sign-in.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn cancel(app: &AppState, ctx: &Ctx) -> Outcome {
    let done = Reply::to("/?notice=cancelled").with_cookie(flow::clear_cookie::<Page>(ctx));
    match flow::load::<Page>(app, ctx).await? {
        Loaded::Missing => Ok(done),
        Loaded::Expired(f) | Loaded::Active(f, _) => {
            app.store.delete_flow(&f.id).await?;
            audit(app, ctx, Some(&f), "flow_cancel", "cancelled").await;
            Ok(done)
        }
    }
}
