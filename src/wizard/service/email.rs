//! Email Address Verification and Security Code Verification.

use super::{begin, move_on};
use crate::domain::EmailAddress;
use crate::flow::codes::{self, daily_cap, Checked, CodeMail, Sent};
use crate::flow::input::{checked_email, typed_email};
use crate::flow::{self, Flash, Outcome, Stop};
use crate::i18n::Msg;
use crate::state::AppState;
use crate::store::{FlowRow, StepWrite};
use crate::web::{Ctx, Reply};
use crate::wizard::step::{Action, Event, Step};

/// A code to the address for wizard `w`: besides the address's own cap, at
/// most ten code mails a day per old account, so nobody can flood a mailbox.
async fn send_code(
    app: &AppState,
    ctx: &Ctx,
    w: &FlowRow,
    email: &EmailAddress,
    action: &str,
) -> Result<Sent, Stop> {
    let caps = w
        .legacy_account_id
        .map(|id| daily_cap(format!("mail-account:{id}")))
        .into_iter()
        .collect();
    let mail = CodeMail {
        to: Some(email),
        caps,
        background: false,
    };
    codes::send_code(app, ctx, w, mail, action).await
}

#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn send_email_code(
    app: &AppState,
    ctx: &Ctx,
    email: &str,
    verify_email: &str,
) -> Outcome {
    let (old, _) = begin(app, ctx, Action::SendCode).await?;
    let mut w = old.clone();
    w.email_draft = typed_email(email);
    w.verify_email_draft = typed_email(verify_email);
    let email = match checked_email(email, verify_email) {
        Ok(e) => e,
        Err(error) => {
            w.flash = Flash::errors(vec![error]);
            return flow::go(
                app,
                ctx,
                &old,
                w,
                Step::Email,
                Some(("send_email_code", "invalid input")),
            )
            .await;
        }
    };
    match send_code(app, ctx, &old, &email, "send_email_code").await? {
        Sent::Refused(e) => {
            w.flash = Flash::errors(vec![e.on("email")]);
            flow::go(app, ctx, &old, w, Step::Email, None).await
        }
        Sent::Sent => {
            w.email = Some(email.as_str().to_string());
            w.email_verified = false;
            let next = move_on(&mut w, Step::Email, Event::CodeSent);
            w.flash = None;
            flow::go(app, ctx, &old, w, next, None).await
        }
    }
}

#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn resend_email_code(app: &AppState, ctx: &Ctx) -> Outcome {
    let (old, _) = begin(app, ctx, Action::ResendCode).await?;
    let mut w = old.clone();
    let Some(email) = old
        .email
        .as_deref()
        .and_then(|e| EmailAddress::parse(e).ok())
    else {
        return Ok(Reply::notice(Step::Code.path(), "out-of-order"));
    };
    w.flash = match send_code(app, ctx, &old, &email, "resend_email_code").await? {
        Sent::Refused(e) => Flash::errors(vec![e]),
        Sent::Sent => Flash::info(Msg::new("notice-new-code").text("email", email.masked())),
    };
    flow::go(app, ctx, &old, w, Step::Code, None).await
}

#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn verify_email_code(app: &AppState, ctx: &Ctx, code: &str) -> Outcome {
    let (old, _) = begin(app, ctx, Action::VerifyCode).await?;
    let mut w = old.clone();
    let code_id = match codes::verify_code(app, &old, code, true, true).await? {
        Checked::Accepted(id) => id,
        Checked::Refused(msg, outcome) => {
            w.flash = Flash::error("code", msg);
            return flow::go(
                app,
                ctx,
                &old,
                w,
                Step::Code,
                outcome.map(|o| ("verify_email_code", o)),
            )
            .await;
        }
    };
    w.email_verified = true;
    let next = move_on(&mut w, Step::Code, Event::CodeAccepted);
    w.flash = None;
    let cookie = flow::renew::<Step>(&mut w, ctx);
    let used = Some(&StepWrite::UseCode { code_id });
    let audited = Some(("verify_email_code", "ok"));
    Ok(flow::go_with(app, ctx, &old, w, next, used, audited)
        .await?
        .with_cookie(cookie))
}
