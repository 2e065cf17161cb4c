//! "This wasn't me" over the store: the link read, and the freeze.

use super::step::{Confirmed, NotMeStep};
use super::NotMeState;
use crate::flow::outbox::{self, Mail};
use crate::flow::{notme, short_reference, Outcome};
use crate::i18n::{text, text_of, Msg};
use crate::state::AppState;
use crate::store::{Frozen, NotMeLink, OperatorEvent};
use crate::web::{Ctx, Reply};
use tracing::{error, info};

/// The link's page: whether the link works, and which login it freezes.
pub async fn state(app: &AppState, _ctx: &Ctx, token: &str) -> NotMeState {
    match notme::find_link(app, token.trim(), app.clock.now()).await {
        Ok((_, NotMeLink::Live { username, .. })) => NotMeState::Live { username },
        Ok(_) => NotMeState::Invalid,
        Err(e) => {
            let reference = short_reference();
            error!(reference = %reference, error = %e, "could not read a not-me link");
            NotMeState::Fault(reference)
        }
    }
}

async fn record(app: &AppState, ctx: &Ctx, login: Option<i64>, outcome: &str) {
    let target = login.map(|l| format!("login:{l}"));
    let e = OperatorEvent {
        operator_id: None,
        legacy_account_id: None,
        address: &ctx.address,
        action: "not_me",
        target: target.as_deref(),
        reason: None,
        outcome,
    };
    if let Err(err) = app.store.audit_operator(app.clock.now(), &e).await {
        error!(error = %err, "could not record a not-me report");
    }
    crate::flow::counted("not_me", outcome);
}

/// `Freeze the login`: the link is used, the login frozen (its sessions
/// end, sign-in and Forgot Password refuse it, nothing is added to it), a
/// case opened for support, and the login's address told; the reporter
/// goes to the page that says what happens next.
pub async fn confirm(app: &AppState, ctx: &Ctx, token: &str) -> Outcome {
    let now = app.clock.now();
    let invalid = || Reply::notice(NotMeStep::after(Confirmed::Invalid).path(), "invalid");
    let (hash, NotMeLink::Live { login, .. }) = notme::find_link(app, token.trim(), now).await?
    else {
        record(app, ctx, None, "refused: link not valid").await;
        return Ok(invalid());
    };
    let reference = short_reference();
    let user = app.store.portal_user_by_id(login).await?;
    let mail = user.map(|u| Mail {
        kind: "frozen",
        to: u.email,
        subject: text_of(&ctx.lang, "mail-frozen-subject"),
        body: text(
            &ctx.lang,
            &Msg::new("mail-frozen-body")
                .text("username", u.username)
                .text("reference", &reference),
        ),
        not_me: None,
    });
    let mails = outbox::prepare(app, mail.into_iter().collect(), now);
    match app
        .store
        .freeze(&hash, (now, &ctx.address), &reference, &mails)
        .await?
    {
        Frozen::Frozen { login, reference } => {
            outbox::wake(app);
            info!(login, reference = %reference, "login frozen: this wasn't me");
            record(app, ctx, Some(login), "frozen").await;
            let done = NotMeStep::after(Confirmed::Frozen).path();
            Ok(Reply::to(&format!("{done}?ref={reference}")))
        }
        Frozen::Refused(_) => {
            // Used or expired between the read and the freeze.
            record(app, ctx, Some(login), "refused: link not valid").await;
            Ok(invalid())
        }
    }
}
