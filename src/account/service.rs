//! Forgot Username, Forgot Password and Register over the store, the hasher
//! and the mailer. They reuse the wizard's machinery: state on the server
//! behind a cookie, optimistic writes, email codes (keyed hash, 10 minutes,
//! single use, 5 tries, cooldown and caps), lockouts taken before the check,
//! and an audit event for every outcome.

use super::{FlowState, FlowView, Page};
use crate::auth::policy::NewPassword;
use crate::auth::{self, constant_time_eq, keyed_hash, random_code, random_token, token_hash};
use crate::domain::{EmailAddress, EmailCode, RegistrationCode, Tin, Username};
use crate::i18n::Msg;
use crate::state::AppState;
use crate::store::{FlowRow, Limit, RegisterOutcome};
use crate::wizard::api::{FieldError, Flash};
use crate::wizard::service::limits::*;
use crate::wizard::service::{short_reference, Ctx, Reply};
use tracing::{error, info, warn};

/// How long a registration code works unless the operator says otherwise.
pub const REGISTRATION_CODE_DAYS: i64 = 30;

/// The flows live as long as the wizard (PRODUCT.md's wizard lifetime).
const IDLE_SECS: i64 = WIZARD_IDLE_SECS;
const LIFETIME_SECS: i64 = WIZARD_LIFETIME_SECS;

/// A database fault: logged with a reference the page shows.
struct Fault(String);

impl From<sqlx::Error> for Fault {
    fn from(e: sqlx::Error) -> Self {
        let reference = short_reference();
        error!(reference = %reference, error = %e, "database error");
        Fault(reference)
    }
}

fn fault_reply(page: Page, f: Fault) -> Reply {
    Reply {
        location: format!("{}?fault={}", page.path(), f.0),
        set_cookie: None,
    }
}

fn to(page: Page) -> Reply {
    Reply {
        location: page.path().to_string(),
        set_cookie: None,
    }
}

fn notice(page: Page, notice: &str) -> Reply {
    Reply {
        location: format!("{}?notice={notice}", page.path()),
        set_cookie: None,
    }
}

fn cookie(token: &str, ctx: &Ctx) -> String {
    auth::named_cookie(auth::FLOW_COOKIE, token, LIFETIME_SECS, ctx.secure)
}

fn clear_cookie(ctx: &Ctx) -> String {
    auth::named_cookie(auth::FLOW_COOKIE, "", 0, ctx.secure)
}

fn field(field: &str, message: Msg) -> FieldError {
    FieldError {
        field: field.into(),
        message,
    }
}

fn flash(errors: Vec<FieldError>) -> Option<String> {
    serde_json::to_string(&Flash {
        errors,
        ..Flash::default()
    })
    .ok()
}

fn flash_info(info: Msg) -> Option<String> {
    serde_json::to_string(&Flash {
        info: Some(info),
        ..Flash::default()
    })
    .ok()
}

/// Records an audit event (the flow's id stands where a wizard's would).
async fn audit(app: &AppState, ctx: &Ctx, f: Option<&FlowRow>, action: &str, outcome: &str) {
    let e = crate::store::AuditEvent {
        wizard_id: f.map(|f| f.id.as_str()),
        legacy_account_id: None,
        address: &ctx.address,
        action,
        outcome,
    };
    info!(flow = e.wizard_id, address = %ctx.address, action, outcome, "sign-in page step");
    if let Err(err) = app.store.audit(app.clock.now(), &e).await {
        error!(error = %err, action, "could not record audit event");
    }
}

enum Loaded {
    Missing,
    Expired(FlowRow),
    Active(FlowRow, Page),
}

async fn load(app: &AppState, ctx: &Ctx) -> Result<Loaded, sqlx::Error> {
    let Some(token) = &ctx.flow else {
        return Ok(Loaded::Missing);
    };
    let Some(f) = app.store.flow_by_token_hash(&token_hash(token)).await? else {
        return Ok(Loaded::Missing);
    };
    let now = app.clock.now();
    let Some(page) = Page::from_db(&f.kind, &f.step) else {
        return Ok(Loaded::Expired(f));
    };
    if now - f.last_seen_at > IDLE_SECS || now - f.created_at > LIFETIME_SECS {
        return Ok(Loaded::Expired(f));
    }
    Ok(Loaded::Active(f, page))
}

/// The flow, if it is at `page` now; otherwise the reply that refuses the
/// call (nothing is written): a server function called out of order
/// changes nothing.
async fn begin(
    app: &AppState,
    ctx: &Ctx,
    pages: &[Page],
    action: &str,
) -> Result<Result<(FlowRow, Page), Reply>, Fault> {
    let first = pages[0].first();
    match load(app, ctx).await? {
        Loaded::Missing => Ok(Err(notice(first, "out-of-order"))),
        Loaded::Expired(f) => {
            app.store.delete_flow(&f.id).await?;
            audit(app, ctx, Some(&f), action, "expired").await;
            Ok(Err(notice(first, "expired").with_cookie(clear_cookie(ctx))))
        }
        Loaded::Active(f, page) if pages.contains(&page) => Ok(Ok((f, page))),
        Loaded::Active(f, page) => {
            audit(app, ctx, Some(&f), action, "refused: out of order").await;
            let back = if page.kind() == first.kind() {
                page
            } else {
                first
            };
            Ok(Err(notice(back, "out-of-order")))
        }
    }
}

/// Writes `new` over `old` if nobody moved the flow meanwhile.
async fn save(app: &AppState, old: &FlowRow, mut new: FlowRow) -> Result<Result<(), Reply>, Fault> {
    new.last_seen_at = app.clock.now();
    if app
        .store
        .update_flow(&new, &old.step, &old.token_hash)
        .await?
    {
        Ok(Ok(()))
    } else {
        let page = Page::from_db(&old.kind, &old.step).unwrap_or(Page::FuEmail);
        Ok(Err(notice(page, "out-of-order")))
    }
}

/// A new session id for the same flow (after each proof).
fn renew(f: &mut FlowRow, ctx: &Ctx) -> String {
    let token = random_token();
    f.token_hash = token_hash(&token);
    cookie(&token, ctx)
}

macro_rules! try_begin {
    ($app:expr, $ctx:expr, $pages:expr, $action:expr) => {
        match begin($app, $ctx, $pages, $action).await {
            Ok(Ok(x)) => x,
            Ok(Err(reply)) => return reply,
            Err(f) => return fault_reply($pages[0], f),
        }
    };
}

macro_rules! try_save {
    ($app:expr, $old:expr, $new:expr, $page:expr) => {
        match save($app, $old, $new).await {
            Ok(Ok(())) => {}
            Ok(Err(reply)) => return reply,
            Err(f) => return fault_reply($page, f),
        }
    };
}

macro_rules! db {
    ($e:expr, $page:expr) => {
        match $e.await {
            Ok(v) => v,
            Err(err) => return fault_reply($page, Fault::from(err)),
        }
    };
}

/// The flow that a first page's form continues: this browser's, if it is of
/// the same kind and still at that page; otherwise a new one (which replaces
/// any other flow of this browser).
async fn start(app: &AppState, ctx: &Ctx, page: Page) -> Result<(FlowRow, Option<String>), Fault> {
    match load(app, ctx).await? {
        Loaded::Active(f, p) if p == page => Ok((f, None)),
        loaded => {
            if let Loaded::Active(f, _) | Loaded::Expired(f) = &loaded {
                app.store.delete_flow(&f.id).await?;
            }
            let token = random_token();
            let f = FlowRow::new(
                random_token()[..32].to_string(),
                token_hash(&token),
                page.kind(),
                page.step(),
                app.clock.now(),
            );
            app.store.insert_flow(&f).await?;
            Ok((f, Some(cookie(&token, ctx))))
        }
    }
}

fn with(reply: Reply, cookie: Option<String>) -> Reply {
    match cookie {
        Some(c) => reply.with_cookie(c),
        None => reply,
    }
}

// ---- the page's view ------------------------------------------------------------

pub async fn state(app: &AppState, ctx: &Ctx) -> FlowState {
    match view(app, ctx).await {
        Ok(s) => s,
        Err(Fault(r)) => FlowState::Fault(r),
    }
}

async fn view(app: &AppState, ctx: &Ctx) -> Result<FlowState, Fault> {
    let (f, page) = match load(app, ctx).await? {
        Loaded::Missing => return Ok(FlowState::None),
        Loaded::Expired(f) => {
            let first = Page::from_db(&f.kind, "").unwrap_or(Page::FuEmail).first();
            return Ok(FlowState::Expired(first));
        }
        Loaded::Active(f, p) => (f, p),
    };
    let now = app.clock.now();
    let masked_email = f
        .email
        .as_deref()
        .and_then(|e| EmailAddress::parse(e).ok())
        .map(|e| e.masked())
        .unwrap_or_default();
    let mut resend_wait_secs = 0;
    if page.is_code() {
        let (_, last) = app.store.code_sends_since(&f.id, now - 3600).await?;
        if let Some(last) = last {
            resend_wait_secs = (RESEND_COOLDOWN_SECS - (now - last)).max(0);
        }
    }
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
    let flash = f
        .flash
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default();
    Ok(FlowState::Active(Box::new(FlowView {
        page,
        username: f.username_draft,
        tin: f.tin_draft,
        email: f.email_draft,
        verify_email: f.verify_email_draft,
        masked_email,
        practice,
        masked_tin,
        resend_wait_secs,
        flash,
        sign_in_username,
    })))
}

// ---- codes by email -----------------------------------------------------------------

/// Sends (or, for a flow whose username named nobody, only stores) a new
/// code for the flow: the wizard's cooldown, hourly cap and daily caps per
/// address and per login apply. `Ok(Err(..))` is what the page says.
async fn send_code(
    app: &AppState,
    ctx: &Ctx,
    f: &FlowRow,
    to: Option<&EmailAddress>,
    daily_key: &str,
    action: &str,
    in_background: bool,
) -> Result<Result<(), FieldError>, Fault> {
    let now = app.clock.now();
    let (sent_last_hour, last) = app.store.code_sends_since(&f.id, now - 3600).await?;
    if let Some(last) = last {
        let wait = RESEND_COOLDOWN_SECS - (now - last);
        if wait > 0 {
            audit(app, ctx, Some(f), action, "refused: too soon").await;
            return Ok(Err(field(
                "code",
                Msg::new("error-code-too-soon").number("seconds", wait),
            )));
        }
    }
    if sent_last_hour >= SENDS_PER_HOUR {
        audit(app, ctx, Some(f), action, "refused: hourly limit").await;
        return Ok(Err(field("code", Msg::new("error-code-hourly-limit"))));
    }
    let mut daily = vec![Limit {
        key: format!("mail-{daily_key}"),
        window: DAY_SECS,
        limit: MAILS_PER_DAY,
    }];
    if let Some(to) = to {
        daily.push(Limit {
            key: format!(
                "mail-to:{}",
                keyed_hash(&app.key, &["mail-to", &to.as_str().to_lowercase()])
            ),
            window: DAY_SECS,
            limit: MAILS_PER_DAY,
        });
    }
    let capped = app.store.rate_take(&daily, now).await?.is_some();
    if capped && !in_background {
        audit(app, ctx, Some(f), action, "refused: daily mail limit").await;
        return Ok(Err(field("code", Msg::new("error-code-daily-limit"))));
    }
    let code = random_code();
    let code_id = app
        .store
        .replace_code(
            &f.id,
            to.map(|t| t.as_str()).unwrap_or(""),
            &keyed_hash(&app.key, &["email-code", &f.id, &code]),
            now,
            CODE_TTL_SECS,
        )
        .await?;
    let Some(to) = to.filter(|_| !capped) else {
        // Forgot Password for an unknown username (or a capped one): the
        // same work and the same page, and no mail.
        audit(
            app,
            ctx,
            Some(f),
            action,
            if capped {
                "not sent: daily mail limit"
            } else {
                "not sent: no such login"
            },
        )
        .await;
        return Ok(Ok(()));
    };
    let body = crate::i18n::text(&ctx.lang, &Msg::new("mail-code-body").text("code", &code));
    let subject = crate::i18n::text_of(&ctx.lang, "mail-code-subject");
    if in_background {
        // The reply must not take longer for a real login than for nobody.
        let (app2, to) = (app.clone(), to.as_str().to_string());
        tokio::spawn(async move {
            if let Err(e) = app2.mailer.send(&to, &subject, &body, now).await {
                let reference = short_reference();
                error!(reference = %reference, error = %e, mailer = app2.mailer.kind(), "could not send the password reset code");
                let _ = app2.store.close_code(code_id, "void").await;
            }
        });
        audit(app, ctx, Some(f), action, "sent").await;
        return Ok(Ok(()));
    }
    if let Err(e) = app.mailer.send(to.as_str(), &subject, &body, now).await {
        let reference = short_reference();
        error!(reference = %reference, error = %e, mailer = app.mailer.kind(), "could not send the verification email");
        app.store.close_code(code_id, "void").await?;
        audit(app, ctx, Some(f), action, "fault: mail not sent").await;
        return Ok(Err(field(
            "email",
            Msg::new("error-mail-fault").text("reference", reference),
        )));
    }
    audit(app, ctx, Some(f), action, "sent").await;
    Ok(Ok(()))
}

/// Sends a notice in the background; a failure is logged, not shown.
fn mail_later(app: &AppState, to: String, subject: String, body: String) {
    let app = app.clone();
    let now = app.clock.now();
    tokio::spawn(async move {
        if let Err(e) = app.mailer.send(&to, &subject, &body, now).await {
            let reference = short_reference();
            error!(reference = %reference, error = %e, mailer = app.mailer.kind(), subject = %subject, "could not send a notice");
        }
    });
}

// ---- Forgot Username ---------------------------------------------------------------

/// `Next` on Forgot Username: the usernames of the logins with this email
/// are mailed to it. The page says the same whether or not there are any.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn forgot_username(app: &AppState, ctx: &Ctx, email: &str) -> Reply {
    let page = Page::FuEmail;
    let (old, cookie) = match start(app, ctx, page).await {
        Ok(x) => x,
        Err(f) => return fault_reply(page, f),
    };
    let mut f = old.clone();
    f.email_draft = email.trim().chars().take(EmailAddress::MAX_LEN).collect();
    let email = match EmailAddress::parse(email) {
        Ok(e) => e,
        Err(e) => {
            f.flash = flash(vec![field("email", Msg::new(e.0))]);
            try_save!(app, &old, f, page);
            audit(app, ctx, Some(&old), "forgot_username", "invalid input").await;
            return with(to(page), cookie);
        }
    };
    let names = db!(app.store.portal_usernames_by_email(email.as_str()), page);
    let capped = db!(
        app.store.rate_take(
            &[Limit {
                key: format!(
                    "mail-to:{}",
                    keyed_hash(&app.key, &["mail-to", &email.as_str().to_lowercase()])
                ),
                window: DAY_SECS,
                limit: MAILS_PER_DAY,
            }],
            app.clock.now()
        ),
        page
    )
    .is_some();
    let outcome = match (names.is_empty(), capped) {
        (true, _) => "not sent: no such login",
        (false, true) => "not sent: daily mail limit",
        (false, false) => {
            let list: String = names.iter().map(|n| format!("    {n}\n")).collect();
            let body = crate::i18n::text(
                &ctx.lang,
                &Msg::new("mail-username-body").text("list", list),
            );
            let subject = crate::i18n::text_of(&ctx.lang, "mail-username-subject");
            mail_later(app, email.as_str().to_string(), subject, body);
            "sent"
        }
    };
    f.email = Some(email.as_str().to_string());
    f.email_draft.clear();
    f.flash = None;
    f.step = Page::FuSent.step().into();
    try_save!(app, &old, f, page);
    audit(app, ctx, Some(&old), "forgot_username", outcome).await;
    with(to(Page::FuSent), cookie)
}

// ---- Forgot Password -----------------------------------------------------------------

/// `Next` on Forgot Password: a code goes to the login's email. Known and
/// unknown usernames get the same page, the same work and the same time.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn forgot_password(app: &AppState, ctx: &Ctx, username: &str) -> Reply {
    let page = Page::FpUsername;
    let (old, cookie) = match start(app, ctx, page).await {
        Ok(x) => x,
        Err(f) => return fault_reply(page, f),
    };
    let mut f = old.clone();
    f.username_draft = username.trim().chars().take(Username::MAX_LEN).collect();
    let user = match Username::parse(username) {
        Ok(u) => u,
        Err(e) => {
            f.flash = flash(vec![field("username", Msg::new(e.0))]);
            try_save!(app, &old, f, page);
            audit(app, ctx, Some(&old), "forgot_password", "invalid input").await;
            return with(to(page), cookie);
        }
    };
    let login = db!(app.store.portal_user_by_username_key(&user.key()), page);
    let to_addr = login
        .as_ref()
        .and_then(|u| EmailAddress::parse(&u.email).ok());
    f.portal_user_id = login.as_ref().map(|u| u.id);
    let daily_key = format!("reset:{}", keyed_hash(&app.key, &["reset", &user.key()]));
    match send_code(
        app,
        ctx,
        &old,
        to_addr.as_ref(),
        &daily_key,
        "forgot_password",
        true,
    )
    .await
    {
        Err(fault) => return fault_reply(page, fault),
        Ok(Err(e)) => {
            f.flash = flash(vec![FieldError {
                field: "username".into(),
                ..e
            }]);
            try_save!(app, &old, f, page);
            return with(to(page), cookie);
        }
        Ok(Ok(())) => {}
    }
    f.flash = None;
    f.step = Page::FpCode.step().into();
    try_save!(app, &old, f, page);
    with(to(Page::FpCode), cookie)
}

/// `Next` on a code page (Forgot Password or Register).
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn verify_code(app: &AppState, ctx: &Ctx, code: &str) -> Reply {
    let (old, page) = try_begin!(app, ctx, &[Page::FpCode, Page::RegCode], "verify_flow_code");
    let mut f = old.clone();
    let now = app.clock.now();
    macro_rules! wrong {
        ($msg:expr, $outcome:expr) => {{
            f.flash = flash(vec![field("code", $msg)]);
            try_save!(app, &old, f, page);
            if let Some(o) = $outcome {
                audit(app, ctx, Some(&old), "verify_flow_code", o).await;
            }
            return to(page);
        }};
    }
    let code = match EmailCode::parse(code) {
        Ok(c) => c,
        Err(e) => wrong!(Msg::new(e.0), None::<&str>),
    };
    let Some(active) = db!(app.store.active_code(&old.id), page) else {
        wrong!(Msg::new("error-code-void"), Some("refused: no active code"));
    };
    if active.expires_at <= now {
        db!(app.store.close_code(active.id, "void"), page);
        wrong!(Msg::new("error-code-expired"), Some("refused: expired"));
    }
    let Some(attempt) = db!(app.store.take_code_attempt(active.id, CODE_TRIES), page) else {
        wrong!(Msg::new("error-code-void"), Some("refused: no tries left"));
    };
    let expected = keyed_hash(&app.key, &["email-code", &old.id, code.expose()]);
    // A flow for an unknown username has a code nobody was sent: the same
    // path, never right.
    let known = page != Page::FpCode || old.portal_user_id.is_some();
    if !constant_time_eq(&expected, &active.code_hash) || !known {
        let left = CODE_TRIES - attempt;
        if left <= 0 {
            db!(app.store.close_code(active.id, "void"), page);
            wrong!(Msg::new("error-code-used-up"), Some("wrong"));
        }
        wrong!(
            Msg::new("error-code-wrong").number("left", left),
            Some("wrong")
        );
    }
    if !db!(app.store.close_code(active.id, "used"), page) {
        wrong!(Msg::new("error-code-void"), None::<&str>);
    }
    let next = if page == Page::FpCode {
        Page::FpNew
    } else {
        Page::RegPassword
    };
    f.email_verified = true;
    f.step = next.step().into();
    f.flash = None;
    let c = renew(&mut f, ctx);
    try_save!(app, &old, f, page);
    audit(app, ctx, Some(&old), "verify_flow_code", "ok").await;
    to(next).with_cookie(c)
}

/// `Request New Code` on a code page.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn resend_code(app: &AppState, ctx: &Ctx) -> Reply {
    let (old, page) = try_begin!(app, ctx, &[Page::FpCode, Page::RegCode], "resend_flow_code");
    let mut f = old.clone();
    let sent = if page == Page::FpCode {
        let login = match old.portal_user_id {
            Some(id) => db!(app.store.portal_user_by_id(id), page),
            None => None,
        };
        let to_addr = login
            .as_ref()
            .and_then(|u| EmailAddress::parse(&u.email).ok());
        let daily_key = format!(
            "reset:{}",
            keyed_hash(&app.key, &["reset", &old.username_draft.to_lowercase()])
        );
        send_code(
            app,
            ctx,
            &old,
            to_addr.as_ref(),
            &daily_key,
            "resend_flow_code",
            true,
        )
        .await
    } else {
        let Some(email) = old
            .email
            .as_deref()
            .and_then(|e| EmailAddress::parse(e).ok())
        else {
            return notice(page, "out-of-order");
        };
        let daily_key = format!("register:{}", old.registration_code_id.unwrap_or(-1));
        send_code(
            app,
            ctx,
            &old,
            Some(&email),
            &daily_key,
            "resend_flow_code",
            false,
        )
        .await
    };
    match sent {
        Err(fault) => fault_reply(page, fault),
        Ok(Err(e)) => {
            f.flash = flash(vec![FieldError {
                field: "code".into(),
                ..e
            }]);
            try_save!(app, &old, f, page);
            to(page)
        }
        Ok(Ok(())) => {
            f.flash = flash_info(Msg::new("notice-new-flow-code"));
            try_save!(app, &old, f, page);
            to(page)
        }
    }
}

/// `Save Password` on Choose a New Password: the login's password changes,
/// every session of it ends, and a notice is mailed.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn reset_password(app: &AppState, ctx: &Ctx, password: &str, confirm: &str) -> Reply {
    let page = Page::FpNew;
    let (old, _) = try_begin!(app, ctx, &[page], "reset_password");
    let mut f = old.clone();
    let (Some(user_id), true) = (old.portal_user_id, old.email_verified) else {
        return notice(Page::FpUsername, "out-of-order");
    };
    let Some(user) = db!(app.store.portal_user_by_id(user_id), page) else {
        return notice(Page::FpUsername, "out-of-order");
    };
    let checked = match NewPassword::parse(password, &user.username) {
        Err(e) => Err(field("password", Msg::new(e.0))),
        Ok(_) if password != confirm => Err(field(
            "confirm_password",
            Msg::new(if confirm.is_empty() {
                "error-confirm-password-empty"
            } else {
                "error-confirm-password-different"
            }),
        )),
        Ok(p) => Ok(p),
    };
    let new_password = match checked {
        Ok(p) => p,
        Err(e) => {
            f.flash = flash(vec![e]);
            try_save!(app, &old, f, page);
            audit(
                app,
                ctx,
                Some(&old),
                "reset_password",
                "refused: password rules",
            )
            .await;
            return to(page);
        }
    };
    let hash = app.hasher.hash(new_password.expose().to_string()).await;
    let ended = db!(app.store.reset_password(user.id, &hash), page);
    db!(app.store.delete_flow(&old.id), page);
    audit(app, ctx, Some(&old), "reset_password", "ok").await;
    info!(sessions_ended = ended, "password reset");
    let when = crate::wizard::notify::utc_time(app.clock.now());
    mail_later(
        app,
        user.email.clone(),
        crate::i18n::text_of(&ctx.lang, "mail-password-changed-subject"),
        crate::i18n::text(
            &ctx.lang,
            &Msg::new("mail-password-changed-body")
                .text("username", &user.username)
                .text("when", when),
        ),
    );
    Reply {
        location: "/?notice=password-changed".into(),
        set_cookie: Some(clear_cookie(ctx)),
    }
}

// ---- Register ---------------------------------------------------------------------------

/// `Next` on Register: the registration code and the TIN it was issued for.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn register_start(app: &AppState, ctx: &Ctx, code: &str, tin: &str) -> Reply {
    let page = Page::RegStart;
    let (old, cookie) = match start(app, ctx, page).await {
        Ok(x) => x,
        Err(f) => return fault_reply(page, f),
    };
    let mut f = old.clone();
    let now = app.clock.now();
    let parsed = (RegistrationCode::parse(code), Tin::parse(tin));
    // A valid TIN is not kept (as in Account Lookup); one typed wrong is, to be fixed.
    f.tin_draft = if parsed.1.is_ok() {
        String::new()
    } else {
        tin.trim().chars().take(20).collect()
    };
    let (code, tin) = match parsed {
        (Ok(c), Ok(t)) => (c, t),
        (c, t) => {
            let mut errors = Vec::new();
            if let Err(e) = c {
                errors.push(field("registration_code", Msg::new(e.0)));
            }
            if let Err(e) = t {
                errors.push(field("tin", Msg::new(e.0)));
            }
            f.flash = flash(errors);
            try_save!(app, &old, f, page);
            audit(app, ctx, Some(&old), "register_start", "invalid input").await;
            return with(to(page), cookie);
        }
    };
    let row = db!(
        app.store.registration_code_by_hash(&keyed_hash(
            &app.key,
            &["registration-code", code.expose()]
        )),
        page
    );
    // The try is taken before the TIN is compared, as for answers and PINs.
    let taken = db!(
        app.store.take_registration_attempt(
            row.as_ref().map(|r| r.id),
            now,
            WRONG_TRIES,
            LOCK_SECS
        ),
        page
    );
    let locked = row.is_some() && taken.is_none();
    let tin_ok = row
        .as_ref()
        .is_some_and(|r| constant_time_eq(&r.tin, &auth::tin_hash(&app.key, tin.digits())));
    let row = match row {
        Some(r) if tin_ok && !locked => r,
        _ => {
            f.flash = flash(vec![field(
                "registration_code",
                Msg::new("error-registration-wrong"),
            )]);
            try_save!(app, &old, f, page);
            audit(
                app,
                ctx,
                Some(&old),
                "register_start",
                if locked { "refused: locked" } else { "wrong" },
            )
            .await;
            return with(to(page), cookie);
        }
    };
    db!(app.store.reset_registration_failures(row.id), page);
    // Only the holder of the code and its TIN learns why it no longer works.
    let gone = if row.used_at.is_some() {
        Some(("error-registration-used", "refused: code used"))
    } else if row.expires_at <= now {
        Some(("error-registration-expired", "refused: code expired"))
    } else {
        None
    };
    if let Some((key, outcome)) = gone {
        f.flash = flash(vec![field("registration_code", Msg::new(key))]);
        try_save!(app, &old, f, page);
        audit(app, ctx, Some(&old), "register_start", outcome).await;
        return with(to(page), cookie);
    }
    f.registration_code_id = Some(row.id);
    f.flash = None;
    f.step = Page::RegAccount.step().into();
    let c = renew(&mut f, ctx);
    try_save!(app, &old, f, page);
    audit(app, ctx, Some(&old), "register_start", "ok").await;
    to(Page::RegAccount).with_cookie(c)
}

/// `Next` on Create Your Login: the username and the email, which gets a code.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn register_account(
    app: &AppState,
    ctx: &Ctx,
    username: &str,
    email: &str,
    verify_email: &str,
) -> Reply {
    let page = Page::RegAccount;
    let (old, _) = try_begin!(app, ctx, &[page], "register_account");
    let mut f = old.clone();
    f.username_draft = username.trim().chars().take(Username::MAX_LEN).collect();
    f.email_draft = email.trim().chars().take(EmailAddress::MAX_LEN).collect();
    f.verify_email_draft = verify_email
        .trim()
        .chars()
        .take(EmailAddress::MAX_LEN)
        .collect();
    let mut errors = Vec::new();
    match Username::parse(username) {
        Err(e) => errors.push(field("username", Msg::new(e.0))),
        Ok(u) => {
            if db!(app.store.username_taken(&u.key()), page) {
                errors.push(field("username", Msg::new("error-username-taken")));
            }
        }
    }
    let parsed = EmailAddress::parse(email);
    match &parsed {
        Err(e) => errors.push(field("email", Msg::new(e.0))),
        Ok(a) => match EmailAddress::parse(verify_email) {
            Ok(b) if a.same_as(&b) => {}
            Err(_) if verify_email.trim().is_empty() => {
                errors.push(field("verify_email", Msg::new("error-verify-email-empty")))
            }
            _ => errors.push(field(
                "verify_email",
                Msg::new("error-verify-email-different"),
            )),
        },
    }
    let email = match (parsed, errors.is_empty()) {
        (Ok(e), true) => e,
        _ => {
            f.flash = flash(errors);
            try_save!(app, &old, f, page);
            audit(app, ctx, Some(&old), "register_account", "invalid input").await;
            return to(page);
        }
    };
    let daily_key = format!("register:{}", old.registration_code_id.unwrap_or(-1));
    match send_code(
        app,
        ctx,
        &old,
        Some(&email),
        &daily_key,
        "register_account",
        false,
    )
    .await
    {
        Err(fault) => fault_reply(page, fault),
        Ok(Err(e)) => {
            f.flash = flash(vec![FieldError {
                field: "email".into(),
                ..e
            }]);
            try_save!(app, &old, f, page);
            to(page)
        }
        Ok(Ok(())) => {
            f.email = Some(email.as_str().to_string());
            f.email_verified = false;
            f.flash = None;
            f.step = Page::RegCode.step().into();
            try_save!(app, &old, f, page);
            to(Page::RegCode)
        }
    }
}

/// `Create Account` on Choose a Password: the login is created in one
/// transaction with the code's practice and TIN; the code is used up.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn register_password(app: &AppState, ctx: &Ctx, password: &str, confirm: &str) -> Reply {
    let page = Page::RegPassword;
    let (old, _) = try_begin!(app, ctx, &[page], "register_password");
    let mut f = old.clone();
    let (Some(code_id), Some(email), true) = (
        old.registration_code_id,
        old.email.clone(),
        old.email_verified,
    ) else {
        return notice(Page::RegStart, "out-of-order");
    };
    let checked = match NewPassword::parse(password, &old.username_draft) {
        Err(e) => Err(field("password", Msg::new(e.0))),
        Ok(_) if password != confirm => Err(field(
            "confirm_password",
            Msg::new(if confirm.is_empty() {
                "error-confirm-password-empty"
            } else {
                "error-confirm-password-different"
            }),
        )),
        Ok(p) => Ok(p),
    };
    let new_password = match checked {
        Ok(p) => p,
        Err(e) => {
            f.flash = flash(vec![e]);
            try_save!(app, &old, f, page);
            audit(
                app,
                ctx,
                Some(&old),
                "register_password",
                "refused: password rules",
            )
            .await;
            return to(page);
        }
    };
    let hash = app.hasher.hash(new_password.expose().to_string()).await;
    let now = app.clock.now();
    let outcome = db!(
        app.store
            .register(&old.id, code_id, &old.username_draft, &hash, &email, now),
        page
    );
    match outcome {
        RegisterOutcome::Created { portal_user_id } => {
            info!(portal_user_id, "registered");
            audit(app, ctx, Some(&old), "register_password", "registered").await;
            // The transaction moved the flow to done; a new session id marks the end.
            let mut expected = old.clone();
            expected.step = Page::RegDone.step().into();
            expected.portal_user_id = Some(portal_user_id);
            expected.flash = None;
            let mut done = expected.clone();
            let c = renew(&mut done, ctx);
            match save(app, &expected, done).await {
                Ok(Ok(())) => to(Page::RegDone).with_cookie(c),
                Ok(Err(r)) => r,
                Err(fault) => fault_reply(Page::RegDone, fault),
            }
        }
        RegisterOutcome::UsernameTaken => {
            warn!("register: the username was taken meanwhile");
            f.step = Page::RegAccount.step().into();
            f.email_verified = false;
            f.flash = flash(vec![field("username", Msg::new("error-username-taken"))]);
            try_save!(app, &old, f, page);
            audit(
                app,
                ctx,
                Some(&old),
                "register_password",
                "refused: username taken",
            )
            .await;
            to(Page::RegAccount)
        }
        RegisterOutcome::CodeGone => {
            f.step = Page::RegStart.step().into();
            f.registration_code_id = None;
            f.email_verified = false;
            f.flash = flash(vec![field(
                "registration_code",
                Msg::new("error-registration-gone"),
            )]);
            try_save!(app, &old, f, page);
            audit(
                app,
                ctx,
                Some(&old),
                "register_password",
                "refused: code used or expired",
            )
            .await;
            to(Page::RegStart)
        }
    }
}

// ---- Previous and Cancel -------------------------------------------------------------------

/// `Previous` on Register's code page: back to fix the username or email.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn previous(app: &AppState, ctx: &Ctx) -> Reply {
    let (old, page) = try_begin!(app, ctx, &[Page::RegCode], "flow_previous");
    let mut f = old.clone();
    f.step = Page::RegAccount.step().into();
    f.email_verified = false;
    f.flash = None;
    try_save!(app, &old, f, page);
    audit(app, ctx, Some(&old), "flow_previous", "ok").await;
    to(Page::RegAccount)
}

/// `Cancel`: the flow ends and nothing changes; back to sign-in.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn cancel(app: &AppState, ctx: &Ctx) -> Reply {
    let done = Reply {
        location: "/?notice=cancelled".into(),
        set_cookie: Some(clear_cookie(ctx)),
    };
    match load(app, ctx).await {
        Ok(Loaded::Missing) => done,
        Ok(Loaded::Expired(f) | Loaded::Active(f, _)) => {
            if let Err(e) = app.store.delete_flow(&f.id).await {
                return fault_reply(Page::FuEmail, Fault::from(e));
            }
            audit(app, ctx, Some(&f), "flow_cancel", "cancelled").await;
            done
        }
        Err(e) => fault_reply(Page::FuEmail, Fault::from(e)),
    }
}

// ---- operators: registration codes --------------------------------------------------------

/// What an operator issues a registration code for.
pub struct CodeFor<'a> {
    pub tin: &'a Tin,
    pub practice: &'a str,
    pub role: &'a str,
    /// How long it works.
    pub days: i64,
    /// A code chosen in advance (the demo data's); otherwise a random one.
    pub code: Option<&'a str>,
}

/// Issues a registration code; returns the code, which is shown once and
/// stored only as a keyed hash.
pub async fn issue_registration_code(
    store: &crate::store::Store,
    key: &[u8],
    what: &CodeFor<'_>,
    now: i64,
) -> Result<String, sqlx::Error> {
    let code = what
        .code
        .map(str::to_string)
        .unwrap_or_else(auth::random_registration_code);
    let parsed = RegistrationCode::parse(&code).expect("issued codes parse");
    let code_hash = keyed_hash(key, &["registration-code", parsed.expose()]);
    store
        .insert_registration_code(
            &crate::store::NewRegistrationCode {
                code_hash: &code_hash,
                tin_hash: &auth::tin_hash(key, what.tin.digits()),
                tin_digits: what.tin.digits(),
                practice: what.practice,
                role: what.role,
                expires_at: now + what.days * 24 * 3600,
            },
            now,
        )
        .await?;
    Ok(code)
}
