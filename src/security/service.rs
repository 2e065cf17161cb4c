//! Sign-in and security: a signed-in login's second step.

use super::{AppSetup, BrowserView, MethodView, Security, SecurityState, ShownCodes};
use crate::auth::{self, backup_code_hash, random_backup_codes, sealed, totp};
use crate::flow::outbox::{self, Mail};
use crate::flow::second::{self, StepUp};
use crate::flow::{audit, notme, Outcome, Stop};
use crate::i18n::{text, text_of, Lang, Msg};
use crate::mail::utc_time;
use crate::signin::service::{must_protect, signed_in_user};
use crate::state::AppState;
use crate::store::{Change, Method, PortalUser};
use crate::web::{Ctx, Reply};

/// The name an authenticator app gets unless one is typed.
const DEFAULT_APP_NAME: &str = "Authenticator app";
/// The longest name of a method.
const NAME_MAX: usize = 60;
/// What the backup codes are sealed for in the cookie that carries them
/// to the page that shows them once.
const SHOWN_PURPOSE: &str = "backup codes shown once, v1";
/// The page that shows new backup codes, and the only path their cookie
/// is sent to.
const CODES_PATH: &str = "/security/backup-codes";

/// A method as listed (here and on the console's Find): never its secret.
pub fn method_view(m: &Method) -> MethodView {
    MethodView {
        id: m.id,
        kind: m.kind.clone(),
        name: m.name.clone(),
        added: utc_time(m.created_at),
        last_used: m.last_used_at.map(utc_time),
    }
}

/// A name as kept: trimmed, one line, at most [`NAME_MAX`] characters.
pub(super) fn clean_name(typed: &str) -> String {
    let name: String = typed
        .chars()
        .filter(|c| !c.is_control())
        .take(NAME_MAX)
        .collect::<String>()
        .trim()
        .to_string();
    if name.is_empty() {
        DEFAULT_APP_NAME.into()
    } else {
        name
    }
}

pub(super) async fn signed_in(app: &AppState, ctx: &Ctx) -> Result<PortalUser, Stop> {
    signed_in_user(app, ctx)
        .await?
        .ok_or_else(|| Stop::Go(Reply::to("/")))
}

/// What the pages of Sign-in and security show.
pub async fn security(app: &AppState, ctx: &Ctx) -> SecurityState {
    match load(app, ctx).await {
        Ok(s) => SecurityState::Ready(s),
        Err(Stop::Go(_)) => SecurityState::SignedOut,
        Err(Stop::Fault { reference, .. }) => SecurityState::Fault(reference),
    }
}

async fn load(app: &AppState, ctx: &Ctx) -> Result<Security, Stop> {
    let user = signed_in(app, ctx).await?;
    let steps = app.store.second_steps(user.id).await?;
    let setup = app.store.app_being_added(user.id).await?.and_then(|m| {
        let seed = totp::open_login_seed(&app.key, &m.secret)?;
        let url = totp::otpauth_url(&seed, &user.username)?;
        Some(AppSetup {
            name: m.name.clone(),
            qr_svg: totp::qr_svg(&url).unwrap_or_default(),
            key: totp::seed_text(&seed),
        })
    });
    let this = ctx.remember.as_deref().map(auth::token_hash);
    let browsers = app
        .store
        .remembered_browsers(user.id, app.clock.now())
        .await?
        .into_iter()
        .map(|b| BrowserView {
            id: b.id,
            this: this.as_deref() == Some(b.token_hash.as_str()),
            label: b.label,
            since: utc_time(b.created_at),
            last_used: utc_time(b.last_used_at),
        })
        .collect();
    Ok(Security {
        browsers,
        may_skip: !must_protect(app, &user, steps.any()).await?,
        username: user.username,
        methods: steps.methods.iter().map(method_view).collect(),
        backup_left: steps.backup_left,
        setup,
        passkeys: app.passkeys.is_some(),
        step_up: crate::flow::passkey::second_of(app, user.id, &steps.methods),
    })
}

/// A change of `user`'s second step made at `now`, with the mail that
/// reports it and its "This wasn't me" link; `what` is the catalogue key
/// of the change.
pub(super) fn reported_change(
    app: &AppState,
    ctx: &Ctx,
    user: &PortalUser,
    what: &str,
    now: i64,
) -> Change {
    let (link, not_me) = notme::new_link(app, now);
    let mail = Mail {
        kind: "second_step",
        to: user.email.clone(),
        subject: text_of(&ctx.lang, "mail-second-step-subject"),
        body: change_body(&ctx.lang, user, what, now, &link),
        not_me: Some(not_me),
    };
    Change {
        login: user.id,
        now,
        mails: outbox::prepare(app, vec![mail], now),
    }
}

/// The body of the mail that reports a change of `user`'s second step
/// (`what`, the catalogue key of the change) made at `now`, with its "This
/// wasn't me" `link`, in `lang`; also the console's reset mail's.
pub fn change_body(lang: &Lang, user: &PortalUser, what: &str, now: i64, link: &str) -> String {
    text(
        lang,
        &Msg::new("mail-second-step-body")
            .text("username", &user.username)
            .text("what", text_of(lang, what))
            .text("when", utc_time(now))
            .text("link", link),
    )
}

/// `Set up an authenticator app`: a new seed, sealed, waiting for the
/// first code the app shows.
pub async fn start_app(app: &AppState, ctx: &Ctx) -> Outcome {
    let user = signed_in(app, ctx).await?;
    let sealed_seed = totp::seal_login_seed(&app.key, &totp::new_seed());
    app.store
        .begin_app(user.id, DEFAULT_APP_NAME, &sealed_seed, app.clock.now())
        .await?;
    audit(app, ctx, None, "security/app_start", "ok").await;
    Ok(Reply::to("/security/app"))
}

/// The shown-once cookie sent only to `path` for `max_age` seconds,
/// carrying `value` for `login`, sealed for `purpose`.
pub(super) fn shown_for_login(
    app: &AppState,
    ctx: &Ctx,
    (path, purpose): (&'static str, &str),
    login: i64,
    value: &str,
    max_age: i64,
) -> String {
    let sealed = sealed::seal(&app.key, purpose, format!("{login}\t{value}").as_bytes());
    auth::shown_cookie_at(path, &sealed, max_age, ctx.secure)
}

/// What the shown-once cookie of this request carries for `login`, sealed
/// for `purpose` (see [`shown_for_login`]); None if nothing, or another
/// login's.
pub(super) fn shown_of_login(
    app: &AppState,
    ctx: &Ctx,
    purpose: &str,
    login: i64,
) -> Option<String> {
    let opened = sealed::open(&app.key, purpose, ctx.shown.as_deref()?)?;
    let opened = String::from_utf8(opened).ok()?;
    let (who, value) = opened.split_once('\t')?;
    (who == login.to_string()).then(|| value.to_string())
}

/// The cookie that carries `codes` to the page that shows them once.
fn shown_cookie(app: &AppState, ctx: &Ctx, login: i64, codes: &[String]) -> String {
    let to = (CODES_PATH, SHOWN_PURPOSE);
    shown_for_login(app, ctx, to, login, &codes.join(" "), auth::SHOWN_SECS)
}

/// New backup codes for `login`: their keyed hashes to store, and the
/// cookie that shows them once.
fn make_codes(app: &AppState, ctx: &Ctx, login: i64) -> (Vec<String>, String) {
    let codes = random_backup_codes();
    let hashes = codes
        .iter()
        .map(|c| backup_code_hash(&app.key, login, c))
        .collect();
    let printed: Vec<String> = codes.iter().map(|c| c.printed()).collect();
    (hashes, shown_cookie(app, ctx, login, &printed))
}

/// The backup codes that come with a method added, when it is the login's
/// first (or the login has none left): their hashes to store, and the
/// cookie that shows them once; none otherwise.
pub(super) async fn codes_with_method(
    app: &AppState,
    ctx: &Ctx,
    login: i64,
) -> Result<(Vec<String>, Option<String>), Stop> {
    let steps = app.store.second_steps(login).await?;
    if steps.any() && steps.backup_left > 0 {
        return Ok((Vec::new(), None));
    }
    let (hashes, cookie) = make_codes(app, ctx, login);
    Ok((hashes, Some(cookie)))
}

/// Where a method added leads: its backup codes if it came with them (the
/// `cookie` that shows them), else Sign-in and security saying `notice`.
pub(super) fn method_added(cookie: Option<String>, notice: &str) -> Reply {
    match cookie {
        Some(c) => Reply::to(CODES_PATH).with_cookie(c),
        None => Reply::to(&format!("/security?notice={notice}")),
    }
}

/// `Turn on`: the app's first code proves it reads the key. The login's
/// first method comes with its ten backup codes, shown next.
pub async fn confirm_app(app: &AppState, ctx: &Ctx, name: &str, code: &str) -> Outcome {
    const ACTION: &str = "security/app_confirm";
    let user = signed_in(app, ctx).await?;
    let name = clean_name(name);
    let Some(pending) = app.store.app_being_added(user.id).await? else {
        return Ok(Reply::to("/security"));
    };
    let now = app.clock.now();
    let step = totp::open_login_seed(&app.key, &pending.secret)
        .and_then(|seed| totp::check(&seed, code, now));
    let Some(step) = step else {
        app.store
            .name_app_being_added(user.id, pending.id, &name)
            .await?;
        audit(app, ctx, None, ACTION, "wrong").await;
        return Ok(Reply::to("/security/app?error=code"));
    };
    let (hashes, cookie) = codes_with_method(app, ctx, user.id).await?;
    let change = reported_change(app, ctx, &user, "mail-second-step-app-added", now);
    if !app
        .store
        .confirm_app(&change, pending.id, &name, step, &hashes)
        .await?
    {
        return Ok(Reply::to("/security"));
    }
    outbox::wake(app);
    audit(app, ctx, None, ACTION, "ok: authenticator app added").await;
    Ok(method_added(cookie, "app-added"))
}

/// Where a step-up that failed sends the browser back to.
pub(super) fn refused(form: &str, failed: StepUp) -> Reply {
    let error = match failed {
        StepUp::Busy => "busy",
        StepUp::WrongCode(_) => "code",
        _ => "password",
    };
    Reply::to(&format!("/security?form={form}&error={error}"))
}

/// `Make new backup codes`: the old ones stop working.
pub async fn new_backup_codes(
    app: &AppState,
    ctx: &Ctx,
    password: &str,
    given: second::Given<'_>,
) -> Outcome {
    const ACTION: &str = "security/backup_codes";
    let user = signed_in(app, ctx).await?;
    let proof = second::step_up(app, &user, password, given).await?;
    if proof != StepUp::Proven {
        audit(app, ctx, None, ACTION, proof.audited()).await;
        return Ok(refused("codes", proof));
    }
    if !app.store.second_steps(user.id).await?.any() {
        return Ok(Reply::to("/security"));
    }
    let now = app.clock.now();
    let (hashes, cookie) = make_codes(app, ctx, user.id);
    let change = reported_change(app, ctx, &user, "mail-second-step-codes", now);
    app.store.replace_backup_codes(&change, &hashes).await?;
    outbox::wake(app);
    audit(app, ctx, None, ACTION, "ok: new backup codes").await;
    Ok(Reply::to(CODES_PATH).with_cookie(cookie))
}

/// The backup codes just made, once; and the cookie that removes them.
pub async fn shown_codes(app: &AppState, ctx: &Ctx) -> (ShownCodes, Option<String>) {
    let user = match signed_in_user(app, ctx).await {
        Ok(Some(u)) => u,
        Ok(None) => return (ShownCodes::SignedOut, None),
        Err(Stop::Fault { reference, .. }) => return (ShownCodes::Fault(reference), None),
        Err(Stop::Go(_)) => return (ShownCodes::SignedOut, None),
    };
    let forget = ctx
        .shown
        .as_ref()
        .map(|_| auth::shown_cookie_at(CODES_PATH, "", 0, ctx.secure));
    // Only to the login they were made for.
    let codes = shown_of_login(app, ctx, SHOWN_PURPOSE, user.id)
        .map(|codes| codes.split(' ').map(str::to_string).collect::<Vec<_>>());
    match codes {
        Some(c) => (ShownCodes::Codes(c), forget),
        None => (ShownCodes::Gone, forget),
    }
}

/// `Rename`.
pub async fn rename(app: &AppState, ctx: &Ctx, method: &str, name: &str) -> Outcome {
    let user = signed_in(app, ctx).await?;
    let Ok(id) = method.trim().parse::<i64>() else {
        return Ok(Reply::to("/security?form=rename&error=method"));
    };
    if !app
        .store
        .rename_method(user.id, id, &clean_name(name))
        .await?
    {
        return Ok(Reply::to("/security?form=rename&error=method"));
    }
    audit(app, ctx, None, "security/rename", "ok").await;
    Ok(Reply::to("/security?notice=renamed"))
}

/// `Remove`: the login's other sessions end; the last method takes the
/// backup codes with it.
pub async fn remove(
    app: &AppState,
    ctx: &Ctx,
    method: &str,
    password: &str,
    given: second::Given<'_>,
) -> Outcome {
    const ACTION: &str = "security/remove";
    let user = signed_in(app, ctx).await?;
    let Ok(id) = method.trim().parse::<i64>() else {
        return Ok(Reply::to("/security?form=remove&error=method"));
    };
    let proof = second::step_up(app, &user, password, given).await?;
    if proof != StepUp::Proven {
        audit(app, ctx, None, ACTION, proof.audited()).await;
        return Ok(refused("remove", proof));
    }
    let now = app.clock.now();
    let change = reported_change(app, ctx, &user, "mail-second-step-removed", now);
    let keep = ctx
        .session
        .as_deref()
        .map(auth::token_hash)
        .unwrap_or_default();
    if !app.store.remove_method(&change, id, &keep).await? {
        return Ok(Reply::to("/security?form=remove&error=method"));
    }
    outbox::wake(app);
    audit(app, ctx, None, ACTION, "ok: removed").await;
    Ok(Reply::to("/security?notice=removed"))
}

/// `Forget` a remembered browser (`browser` its id), or `all` of them:
/// they are asked for the second step again. Making the login stronger
/// needs no step-up.
pub async fn forget_browser(app: &AppState, ctx: &Ctx, browser: &str) -> Outcome {
    let user = signed_in(app, ctx).await?;
    let which = match browser.trim() {
        "all" => None,
        id => match id.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return Ok(Reply::to("/security")),
        },
    };
    let n = app.store.forget_browsers(user.id, which).await?;
    audit(
        app,
        ctx,
        None,
        "security/forget_browser",
        &format!("ok: {n} forgotten"),
    )
    .await;
    Ok(Reply::to("/security?notice=browsers-forgotten"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_one_trimmed_line_of_sixty_characters_at_most() {
        assert_eq!(clean_name("  Phone \n"), "Phone");
        assert_eq!(clean_name(""), DEFAULT_APP_NAME);
        assert_eq!(clean_name("a\u{0007}b"), "ab");
        assert_eq!(clean_name(&"x".repeat(100)).chars().count(), NAME_MAX);
    }
}
