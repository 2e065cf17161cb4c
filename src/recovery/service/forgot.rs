//! Forgot Username and Forgot Password.

use super::{begin, move_on, reset_cap, save, start};
use crate::auth::policy::NewPassword;
use crate::domain::{EmailAddress, Username};
use crate::flow::codes::{self, address_cap, notify_later, CodeMail, Sent};
use crate::flow::input::typed_email;
use crate::flow::{audit, FieldError, Flash, Outcome};
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
            save(app, &old, f).await?;
            audit(app, ctx, Some(&old), "forgot_username", "invalid input").await;
            return Ok(Reply::to(page.path()).with_cookie_if(cookie));
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
            notify_later(app, email.as_str().to_string(), subject, body);
            "sent"
        }
    };
    f.email = Some(email.as_str().to_string());
    f.email_draft.clear();
    f.flash = None;
    let next = move_on(&mut f, page, Event::UsernamesSent);
    save(app, &old, f).await?;
    audit(app, ctx, Some(&old), "forgot_username", outcome).await;
    Ok(Reply::to(next.path()).with_cookie_if(cookie))
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
            save(app, &old, f).await?;
            audit(app, ctx, Some(&old), "forgot_password", "invalid input").await;
            return Ok(Reply::to(page.path()).with_cookie_if(cookie));
        }
    };
    let login = app.store.portal_user_by_username_key(&user.key()).await?;
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
        save(app, &old, f).await?;
        return Ok(Reply::to(page.path()).with_cookie_if(cookie));
    }
    f.flash = None;
    let next = move_on(&mut f, page, Event::CodeSent);
    save(app, &old, f).await?;
    Ok(Reply::to(next.path()).with_cookie_if(cookie))
}

/// A new password and its confirmation, checked by the rules for `username`.
pub(crate) fn checked_password(
    password: &str,
    confirm: &str,
    username: &str,
) -> Result<NewPassword, FieldError> {
    let new = NewPassword::parse(password, username)
        .map_err(|e| FieldError::new("password", Msg::new(e.0)))?;
    if password != confirm {
        let key = if confirm.is_empty() {
            "error-confirm-password-empty"
        } else {
            "error-confirm-password-different"
        };
        return Err(FieldError::new("confirm_password", Msg::new(key)));
    }
    Ok(new)
}

/// `Save Password` on Choose a New Password: the login's password changes,
/// every session of it ends, and a notice is mailed.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn reset_password(app: &AppState, ctx: &Ctx, password: &str, confirm: &str) -> Outcome {
    let (old, page) = begin(app, ctx, Action::ResetPassword).await?;
    let mut f = old.clone();
    let out_of_order = Reply::notice(Page::FpUsername.path(), "out-of-order");
    let (Some(user_id), true) = (old.portal_user_id, old.email_verified) else {
        return Ok(out_of_order);
    };
    let Some(user) = app.store.portal_user_by_id(user_id).await? else {
        return Ok(out_of_order);
    };
    let new_password = match checked_password(password, confirm, &user.username) {
        Ok(p) => p,
        Err(e) => {
            f.flash = Flash::errors(vec![e]);
            save(app, &old, f).await?;
            audit(
                app,
                ctx,
                Some(&old),
                "reset_password",
                "refused: password rules",
            )
            .await;
            return Ok(Reply::to(page.path()));
        }
    };
    let hash = app.hasher.hash(new_password.expose().to_string()).await;
    let ended = app.store.reset_password(user.id, &hash).await?;
    app.store.delete_flow(&old.id).await?;
    audit(app, ctx, Some(&old), "reset_password", "ok").await;
    info!(sessions_ended = ended, "password reset");
    let when = crate::mail::utc_time(app.clock.now());
    notify_later(
        app,
        user.email.clone(),
        text_of(&ctx.lang, "mail-password-changed-subject"),
        text(
            &ctx.lang,
            &Msg::new("mail-password-changed-body")
                .text("username", &user.username)
                .text("when", when),
        ),
    );
    Ok(Reply::to("/?notice=password-changed").with_cookie(crate::flow::clear_cookie::<Page>(ctx)))
}
