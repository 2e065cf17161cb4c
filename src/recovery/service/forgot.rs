//! Forgot Username and Forgot Password.

use super::{begin, move_on, new_password, reset_cap, start};
use crate::domain::{EmailAddress, Username};
use crate::flow::codes::{self, address_cap, CodeMail, Sent};
use crate::flow::input::typed_email;
use crate::flow::outbox::{self, Mail};
use crate::flow::{self, audit, Flash, Outcome};
use crate::i18n::{text, text_of, Msg};
use crate::recovery::step::{Action, Event, Page};
use crate::state::AppState;
use crate::web::{Ctx, Reply};
use tracing::info;

/// `Next` on Forgot Username: the usernames of the logins with this email
/// are mailed to it. The page says the same whether or not there are any.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn forgot_username(app: &AppState, ctx: &Ctx, email: &str) -> Outcome {
    let page = Page::FuEmail;
    let (old, cookie) = start(app, ctx, page).await?;
    let mut f = old.clone();
    f.email_draft = typed_email(email);
    let email = match EmailAddress::parse(email) {
        Ok(e) => e,
        Err(e) => {
            f.flash = Flash::error("email", Msg::new(e.0));
            let reply = flow::go(
                app,
                ctx,
                &old,
                f,
                page,
                Some(("forgot_username", "invalid input")),
            )
            .await?;
            return Ok(reply.with_cookie_if(cookie));
        }
    };
    let names = app.store.portal_usernames_by_email(email.as_str()).await?;
    let capped = app
        .store
        .rate_take(&[address_cap(app, &email)], app.clock.now())
        .await?
        .is_some();
    let outcome = match (names.is_empty(), capped) {
        (true, _) => "not sent: no such login",
        (false, true) => "not sent: daily mail limit",
        (false, false) => {
            let list: String = names.iter().map(|n| format!("    {n}\n")).collect();
            let body = text(
                &ctx.lang,
                &Msg::new("mail-username-body").text("list", list),
            );
            let subject = text_of(&ctx.lang, "mail-username-subject");
            // Written before the flow moves on: accepted means it will go.
            let to = email.as_str().to_string();
            outbox::enqueue(
                app,
                vec![Mail {
                    kind: "username",
                    to,
                    subject,
                    body,
                    not_me: None,
                }],
            )
            .await?;
            "sent"
        }
    };
    f.email = Some(email.as_str().to_string());
    f.email_draft.clear();
    f.flash = None;
    let next = move_on(&mut f, page, Event::UsernamesSent);
    Ok(
        flow::go(app, ctx, &old, f, next, Some(("forgot_username", outcome)))
            .await?
            .with_cookie_if(cookie),
    )
}

/// `Next` on Forgot Password: a code goes to the login's email. Known and
/// unknown usernames get the same page, the same work and the same time.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn forgot_password(app: &AppState, ctx: &Ctx, username: &str) -> Outcome {
    let page = Page::FpUsername;
    let (old, cookie) = start(app, ctx, page).await?;
    let mut f = old.clone();
    f.username_draft = username.trim().chars().take(Username::MAX_LEN).collect();
    let user = match Username::parse(username) {
        Ok(u) => u,
        Err(e) => {
            f.flash = Flash::error("username", Msg::new(e.0));
            let reply = flow::go(
                app,
                ctx,
                &old,
                f,
                page,
                Some(("forgot_password", "invalid input")),
            )
            .await?;
            return Ok(reply.with_cookie_if(cookie));
        }
    };
    // A frozen or disabled login gets what an unknown username gets: the
    // same page, and no code.
    let login = app
        .store
        .usable_portal_user_by_username_key(&user.key())
        .await?;
    let to = login
        .as_ref()
        .and_then(|u| EmailAddress::parse(&u.email).ok());
    f.portal_user_id = login.as_ref().map(|u| u.id);
    let mail = CodeMail {
        to: to.as_ref(),
        caps: reset_cap(app, &user.key()),
        background: true,
    };
    if let Sent::Refused(e) = codes::send_code(app, ctx, &old, mail, "forgot_password").await? {
        f.flash = Flash::errors(vec![e.on("username")]);
        return Ok(flow::go(app, ctx, &old, f, page, None)
            .await?
            .with_cookie_if(cookie));
    }
    f.flash = None;
    let next = move_on(&mut f, page, Event::CodeSent);
    Ok(flow::go(app, ctx, &old, f, next, None)
        .await?
        .with_cookie_if(cookie))
}

/// `Save Password` on Choose a New Password: the login's password changes,
/// every session of it ends, and a notice is mailed.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn reset_password(app: &AppState, ctx: &Ctx, password: &str, confirm: &str) -> Outcome {
    let (old, page) = begin(app, ctx, Action::ResetPassword).await?;
    let out_of_order = Reply::notice(Page::FpUsername.path(), "out-of-order");
    let (Some(user_id), true) = (old.portal_user_id, old.email_verified) else {
        return Ok(out_of_order);
    };
    let Some(user) = app.store.portal_user_by_id(user_id).await? else {
        return Ok(out_of_order);
    };
    let typed = (password, confirm);
    let new_password = new_password(app, ctx, &old, page, typed, &user.username).await?;
    let hash = app.hasher.hash(new_password.expose().to_string()).await;
    let now = app.clock.now();
    let (link, not_me) = crate::flow::notme::new_link(app, now);
    let notice = Mail {
        kind: "reset",
        to: user.email.clone(),
        subject: text_of(&ctx.lang, "mail-password-changed-subject"),
        body: text(
            &ctx.lang,
            &Msg::new("mail-password-changed-body")
                .text("username", &user.username)
                .text("when", crate::mail::utc_time(now))
                .text("link", link),
        ),
        not_me: Some(not_me),
    };
    let mails = outbox::prepare(app, vec![notice], now);
    // The password, the mail and the flow's end are one transaction; the
    // same reset submitted twice resets once and says so twice.
    let done =
        Reply::to("/?notice=password-changed").with_cookie(crate::flow::clear_cookie::<Page>(ctx));
    let Some(ended) = app
        .store
        .reset_password(user.id, &hash, (now, &mails), &old.id)
        .await?
    else {
        return Ok(done);
    };
    outbox::wake(app);
    audit(app, ctx, Some(&old), "reset_password", "ok").await;
    info!(sessions_ended = ended, "password reset");
    Ok(done)
}
