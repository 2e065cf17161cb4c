//! The flow over the store, the hasher and the mailer. Every action loads the
//! wizard of this browser, asks the step table whether it is allowed, and
//! writes the new state only if nobody moved the wizard meanwhile.

use super::api::{FieldError, Flash, WizardState, WizardView};
use super::step::{Action, Event, Step};
use crate::auth::{self, constant_time_eq, keyed_hash, random_code, random_token, token_hash};
use crate::config::Settings;
use crate::domain::{EmailAddress, EmailCode, Pin, Tin, Username};
use crate::i18n::{Lang, Msg};
use crate::state::AppState;
use crate::store::{AuditEvent, Counter, FinishOutcome, Limit, LinkedAccount, WizardRow};
use tracing::{error, info, warn};

/// PRODUCT.md's security numbers.
pub mod limits {
    pub const WRONG_TRIES: i64 = 5;
    pub const LOCK_SECS: i64 = 15 * 60;
    pub const CODE_TTL_SECS: i64 = 10 * 60;
    pub const CODE_TRIES: i64 = 5;
    pub const RESEND_COOLDOWN_SECS: i64 = 60;
    pub const SENDS_PER_HOUR: i64 = 5;
    pub const WIZARD_IDLE_SECS: i64 = 15 * 60;
    pub const WIZARD_LIFETIME_SECS: i64 = 60 * 60;
    /// Code mails per address and per old account in 24 hours, across all
    /// wizards and instances (issue 5: at most 10 code flows).
    pub const MAILS_PER_DAY: i64 = 10;
    pub const DAY_SECS: i64 = 24 * 3600;
}
use limits::*;

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

/// What the request tells us, read once.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub token: Option<String>,
    /// The sign-in session's token (`pp_session`).
    pub session: Option<String>,
    /// The Forgot Username, Forgot Password or Register flow's token (`pp_flow`).
    pub flow: Option<String>,
    pub address: String,
    pub secure: bool,
    /// The language of the request's pages, for the mail it sends.
    pub lang: Lang,
}

impl Ctx {
    pub fn from_parts(parts: Option<&http::request::Parts>, settings: &Settings) -> Ctx {
        let Some(parts) = parts else {
            return Ctx {
                token: None,
                session: None,
                flow: None,
                address: "unknown".into(),
                secure: false,
                lang: Lang::default(),
            };
        };
        let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let token = header("cookie")
            .and_then(|c| auth::cookie_value(c, auth::WIZARD_COOKIE))
            .filter(|t| t.len() == 64)
            .map(str::to_string);
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        let address = crate::guard::client_address(&parts.headers, peer, settings.trust_proxy);
        let secure = crate::guard::is_https(&parts.uri, &parts.headers, settings.trust_proxy);
        let cookie = |name: &str| {
            header("cookie")
                .and_then(|c| auth::cookie_value(c, name))
                .filter(|t| t.len() == 64)
                .map(str::to_string)
        };
        Ctx {
            token,
            session: cookie(auth::SESSION_COOKIE),
            flow: cookie(auth::FLOW_COOKIE),
            address,
            secure,
            lang: crate::i18n::from_headers(&parts.headers),
        }
    }
}

/// Where to send the browser next, and the cookie to set.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub location: String,
    pub set_cookie: Option<String>,
}

impl Reply {
    pub(crate) fn to(step: Step) -> Reply {
        Reply {
            location: step.path().to_string(),
            set_cookie: None,
        }
    }
    pub(crate) fn notice(step: Step, notice: &str) -> Reply {
        Reply {
            location: format!("{}?notice={notice}", step.path()),
            set_cookie: None,
        }
    }
    pub(crate) fn with_cookie(mut self, cookie: String) -> Reply {
        self.set_cookie = Some(cookie);
        self
    }
}

/// A database or mail fault: logged with a reference the user can quote.
pub(crate) struct Fault(pub(crate) String);

impl From<sqlx::Error> for Fault {
    fn from(e: sqlx::Error) -> Self {
        let reference = short_reference();
        error!(reference = %reference, error = %e, "database error");
        Fault(reference)
    }
}

pub(crate) fn short_reference() -> String {
    random_token()[..8].to_uppercase()
}

pub(crate) fn fault_reply(step: Step, f: Fault) -> Reply {
    Reply {
        location: format!("{}?fault={}", step.path(), f.0),
        set_cookie: None,
    }
}

enum Loaded {
    Missing,
    Expired(WizardRow),
    Active(WizardRow, Step),
}

async fn load(app: &AppState, ctx: &Ctx) -> Result<Loaded, sqlx::Error> {
    let Some(token) = &ctx.token else {
        return Ok(Loaded::Missing);
    };
    let Some(w) = app.store.wizard_by_token_hash(&token_hash(token)).await? else {
        return Ok(Loaded::Missing);
    };
    let now = app.clock.now();
    let Some(step) = Step::from_db(&w.step) else {
        return Ok(Loaded::Expired(w));
    };
    if now - w.last_seen_at > WIZARD_IDLE_SECS || now - w.created_at > WIZARD_LIFETIME_SECS {
        return Ok(Loaded::Expired(w));
    }
    Ok(Loaded::Active(w, step))
}

/// The wizard, if `action` is allowed at its step now; otherwise the reply
/// that refuses it (nothing is written).
async fn begin(
    app: &AppState,
    ctx: &Ctx,
    action: Action,
) -> Result<Result<(WizardRow, Step), Reply>, Fault> {
    match load(app, ctx).await? {
        Loaded::Missing => Ok(Err(Reply::notice(Step::Lookup, "out-of-order"))),
        Loaded::Expired(w) => {
            app.store.delete_wizard(&w.id).await?;
            audit(app, ctx, Some(&w), action_name(action), "expired").await;
            Ok(Err(
                Reply::notice(Step::Lookup, "expired").with_cookie(auth::clear_cookie(ctx.secure))
            ))
        }
        Loaded::Active(w, step) if step.allows(action) => Ok(Ok((w, step))),
        Loaded::Active(w, step) => {
            audit(
                app,
                ctx,
                Some(&w),
                action_name(action),
                "refused: out of order",
            )
            .await;
            Ok(Err(Reply::notice(step, "out-of-order")))
        }
    }
}

fn action_name(a: Action) -> &'static str {
    match a {
        Action::LookupAccount => "lookup_account",
        Action::AnswerQuestion => "verify_security_answer",
        Action::SendCode => "send_email_code",
        Action::ResendCode => "resend_email_code",
        Action::VerifyCode => "verify_email_code",
        Action::VerifyPassword => "verify_legacy_password",
        Action::AddAnother => "add_another_account",
        Action::Finish => "finish",
        Action::Previous => "previous",
        Action::Cancel => "cancel",
    }
}

/// Records an audit event; a failure to record is logged, not shown.
pub(crate) async fn audit(
    app: &AppState,
    ctx: &Ctx,
    w: Option<&WizardRow>,
    action: &str,
    outcome: &str,
) {
    let e = AuditEvent {
        wizard_id: w.map(|w| w.id.as_str()),
        legacy_account_id: w.and_then(|w| w.legacy_account_id),
        address: &ctx.address,
        action,
        outcome,
    };
    info!(wizard = e.wizard_id, account = e.legacy_account_id, address = %ctx.address, action, outcome, "wizard step");
    if let Err(err) = app.store.audit(app.clock.now(), &e).await {
        error!(error = %err, action, "could not record audit event");
    }
}

/// Writes `new` over `old` if nobody moved the wizard meanwhile.
async fn save(
    app: &AppState,
    old: &WizardRow,
    mut new: WizardRow,
) -> Result<Result<(), Reply>, Fault> {
    new.last_seen_at = app.clock.now();
    if app
        .store
        .update_wizard(&new, &old.step, &old.token_hash)
        .await?
    {
        Ok(Ok(()))
    } else {
        let step = Step::from_db(&old.step).unwrap_or(Step::Lookup);
        Ok(Err(Reply::notice(step, "out-of-order")))
    }
}

fn flash_errors(errors: Vec<FieldError>) -> Option<String> {
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

fn field(field: &str, message: Msg) -> FieldError {
    FieldError {
        field: field.into(),
        message,
    }
}

/// A new session id for the same wizard (after each proof).
fn renew(w: &mut WizardRow, ctx: &Ctx) -> String {
    let token = random_token();
    w.token_hash = token_hash(&token);
    auth::session_cookie(&token, ctx.secure)
}

macro_rules! try_begin {
    ($app:expr, $ctx:expr, $action:expr, $fault_step:expr) => {
        match begin($app, $ctx, $action).await {
            Ok(Ok(x)) => x,
            Ok(Err(reply)) => return reply,
            Err(f) => return fault_reply($fault_step, f),
        }
    };
}

macro_rules! try_save {
    ($app:expr, $old:expr, $new:expr, $step:expr) => {
        match save($app, $old, $new).await {
            Ok(Ok(())) => {}
            Ok(Err(reply)) => return reply,
            Err(f) => return fault_reply($step, f),
        }
    };
}

macro_rules! db {
    ($e:expr, $step:expr) => {
        match $e.await {
            Ok(v) => v,
            Err(err) => return fault_reply($step, Fault::from(err)),
        }
    };
}

// ---- the page's view ---------------------------------------------------------

pub async fn state(app: &AppState, ctx: &Ctx) -> WizardState {
    match view(app, ctx).await {
        Ok(s) => s,
        Err(Fault(r)) => WizardState::Fault(r),
    }
}

async fn view(app: &AppState, ctx: &Ctx) -> Result<WizardState, Fault> {
    let (w, step) = match load(app, ctx).await? {
        Loaded::Missing => return Ok(WizardState::None),
        Loaded::Expired(_) => return Ok(WizardState::Expired),
        Loaded::Active(w, s) => (w, s),
    };
    let now = app.clock.now();
    let mut question = w.decoy_question.clone().unwrap_or_default();
    if let Some(id) = w.legacy_account_id {
        if let Some(a) = app.store.legacy_by_id(id).await? {
            question = a.question;
        }
    }
    let masked_email = w
        .email
        .as_deref()
        .and_then(|e| EmailAddress::parse(e).ok())
        .map(|e| e.masked())
        .unwrap_or_default();
    let mut resend_wait_secs = 0;
    if step == Step::Code {
        let (_, last) = app.store.code_sends_since(&w.id, now - 3600).await?;
        if let Some(last) = last {
            resend_wait_secs = (RESEND_COOLDOWN_SECS - (now - last)).max(0);
        }
    }
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
    let flash = w
        .flash
        .as_deref()
        .and_then(|f| serde_json::from_str(f).ok())
        .unwrap_or_default();
    Ok(WizardState::Active(Box::new(WizardView {
        step,
        username: w.username_draft,
        tin: w.tin_draft,
        question,
        email: w.email_draft,
        verify_email: w.verify_email_draft,
        masked_email,
        resend_wait_secs,
        flash,
        sign_in_username,
        accounts,
    })))
}

// ---- Account Lookup ----------------------------------------------------------

#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn lookup_account(app: &AppState, ctx: &Ctx, username: &str, tin: &str) -> Reply {
    let now = app.clock.now();
    // Lookup is where a wizard starts: a browser without one (or with an
    // expired one) gets a new one.
    let loaded = db!(load(app, ctx), Step::Lookup);
    let (old, mut cookie) = match loaded {
        Loaded::Active(w, Step::Lookup) => (w, None),
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
            return Reply::notice(step, "out-of-order");
        }
        Loaded::Missing | Loaded::Expired(_) | Loaded::Active(_, _) => {
            if let Loaded::Expired(w) = &loaded {
                db!(app.store.delete_wizard(&w.id), Step::Lookup);
            }
            let token = random_token();
            let w =
                WizardRow::new_at_lookup(random_token()[..32].to_string(), token_hash(&token), now);
            db!(app.store.insert_wizard(&w), Step::Lookup);
            (w, Some(auth::session_cookie(&token, ctx.secure)))
        }
    };
    let mut w = old.clone();
    w.username_draft = username.trim().chars().take(Username::MAX_LEN).collect();
    // A full TIN is never stored or shown again (PRODUCT.md); what is kept
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
                errors.push(field("username", Msg::new(e.0)));
            }
            if let Err(e) = t {
                errors.push(field("tin", Msg::new(e.0)));
            }
            w.flash = flash_errors(errors);
            try_save!(app, &old, w, Step::Lookup);
            audit(app, ctx, Some(&old), "lookup_account", "invalid input").await;
            let reply = Reply::to(Step::Lookup);
            return match cookie.take() {
                Some(c) => reply.with_cookie(c),
                None => reply,
            };
        }
    };
    // The same queries run whether or not the pair matches; an unknown pair
    // gets a decoy question, so the reply has the same shape.
    let account = db!(app.store.legacy_by_username_key(&user.key()), Step::Lookup);
    let matched = db!(
        app.store.legacy_has_tin(
            account.as_ref().map(|a| a.id),
            &auth::tin_hash(&app.key, tin.digits())
        ),
        Step::Lookup
    );
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
    w.step = Step::Lookup
        .after(Event::LookedUp)
        .expect("table")
        .as_str()
        .into();
    try_save!(app, &old, w.clone(), Step::Lookup);
    audit(
        app,
        ctx,
        Some(&w),
        "lookup_account",
        if legacy_id.is_some() {
            "matched"
        } else {
            "no match (decoy)"
        },
    )
    .await;
    let reply = Reply::to(Step::Verify);
    match cookie {
        Some(c) => reply.with_cookie(c),
        None => reply,
    }
}

// ---- Account Verification ----------------------------------------------------

/// Lower-cased and trimmed: answers match without regard to case and spaces.
fn normalize_answer(s: &str) -> String {
    s.trim().to_lowercase()
}

#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn verify_security_answer(app: &AppState, ctx: &Ctx, answer: &str) -> Reply {
    let (old, _) = try_begin!(app, ctx, Action::AnswerQuestion, Step::Verify);
    let mut w = old.clone();
    let now = app.clock.now();
    if answer.trim().is_empty() {
        w.flash = flash_errors(vec![field("answer", Msg::new("error-answer-empty"))]);
        try_save!(app, &old, w, Step::Verify);
        return Reply::to(Step::Verify);
    }
    let account = match old.legacy_account_id {
        Some(id) => db!(app.store.legacy_by_id(id), Step::Verify),
        None => None,
    };
    // The try is taken before the answer is checked, atomically, so that
    // parallel guesses get no more than five evaluations between them.
    let taken = db!(
        app.store.take_attempt(
            account.as_ref().map(|a| a.id),
            Counter::Answer,
            now,
            WRONG_TRIES,
            LOCK_SECS
        ),
        Step::Verify
    );
    let locked = account.is_some() && taken.is_none();
    // The hashing work is the same whether the account is real, a decoy or
    // locked; only the result is thrown away.
    let mut ok = app
        .hasher
        .verify(
            account.as_ref().map(|a| a.answer_hash.clone()),
            normalize_answer(answer),
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
    let account = match (account, ok && !locked) {
        (Some(a), true) => a,
        (_, _) => {
            w.flash = flash_errors(vec![field("answer", Msg::new("error-answer-wrong"))]);
            try_save!(app, &old, w, Step::Verify);
            audit(
                app,
                ctx,
                Some(&old),
                "verify_security_answer",
                if locked { "refused: locked" } else { "wrong" },
            )
            .await;
            return Reply::to(Step::Verify);
        }
    };
    db!(
        app.store.reset_failures(account.id, Counter::Answer),
        Step::Verify
    );
    if account.consolidated_into.is_some() {
        w.step = Step::Verify
            .after(Event::AlreadyConsolidated)
            .expect("table")
            .as_str()
            .into();
        w.legacy_account_id = None;
        w.decoy_question = None;
        w.flash = serde_json::to_string(&Flash {
            already_consolidated: true,
            ..Flash::default()
        })
        .ok();
        try_save!(app, &old, w, Step::Verify);
        audit(
            app,
            ctx,
            Some(&old),
            "verify_security_answer",
            "refused: already consolidated",
        )
        .await;
        return Reply::to(Step::Lookup);
    }
    let in_list = db!(app.store.wizard_accounts(&old.id), Step::Verify)
        .iter()
        .any(|(id, _, _)| *id == account.id);
    if in_list {
        w.step = Step::Lookup.as_str().into();
        w.legacy_account_id = None;
        w.flash = flash_info(Msg::new("notice-already-in-list"));
        try_save!(app, &old, w, Step::Verify);
        audit(
            app,
            ctx,
            Some(&old),
            "verify_security_answer",
            "refused: already in the list",
        )
        .await;
        return Reply::to(Step::Lookup);
    }
    let next = Step::Verify
        .after(Event::AnswerAccepted {
            email_verified: old.email_verified,
        })
        .expect("table");
    w.step = next.as_str().into();
    w.flash = None;
    let cookie = renew(&mut w, ctx);
    try_save!(app, &old, w, Step::Verify);
    audit(app, ctx, Some(&old), "verify_security_answer", "ok").await;
    Reply::to(next).with_cookie(cookie)
}

// ---- Email Address Verification and Security Code Verification ---------------

async fn send_code(
    app: &AppState,
    ctx: &Ctx,
    w: &WizardRow,
    email: &EmailAddress,
    action: &str,
) -> Result<Result<(), FieldError>, Fault> {
    let now = app.clock.now();
    let (sent_last_hour, last) = app.store.code_sends_since(&w.id, now - 3600).await?;
    if let Some(last) = last {
        let wait = RESEND_COOLDOWN_SECS - (now - last);
        if wait > 0 {
            audit(app, ctx, Some(w), action, "refused: too soon").await;
            return Ok(Err(field(
                "code",
                Msg::new("error-code-too-soon").number("seconds", wait),
            )));
        }
    }
    if sent_last_hour >= SENDS_PER_HOUR {
        audit(app, ctx, Some(w), action, "refused: hourly limit").await;
        return Ok(Err(field("code", Msg::new("error-code-hourly-limit"))));
    }
    // Across wizards (and instances): an address, or an old account, gets
    // at most ten code mails a day, so nobody can flood a mailbox.
    let mut daily = vec![Limit {
        key: format!(
            "mail-to:{}",
            keyed_hash(&app.key, &["mail-to", &email.as_str().to_lowercase()])
        ),
        window: DAY_SECS,
        limit: MAILS_PER_DAY,
    }];
    if let Some(id) = w.legacy_account_id {
        daily.push(Limit {
            key: format!("mail-account:{id}"),
            window: DAY_SECS,
            limit: MAILS_PER_DAY,
        });
    }
    if app.store.rate_take(&daily, now).await?.is_some() {
        audit(app, ctx, Some(w), action, "refused: daily mail limit").await;
        return Ok(Err(field("code", Msg::new("error-code-daily-limit"))));
    }
    let code = random_code();
    let code_id = app
        .store
        .replace_code(
            &w.id,
            email.as_str(),
            &keyed_hash(&app.key, &["email-code", &w.id, &code]),
            now,
            CODE_TTL_SECS,
        )
        .await?;
    let body = crate::i18n::text(&ctx.lang, &Msg::new("mail-code-body").text("code", &code));
    let subject = crate::i18n::text_of(&ctx.lang, "mail-code-subject");
    if let Err(e) = app.mailer.send(email.as_str(), &subject, &body, now).await {
        let reference = short_reference();
        error!(reference = %reference, error = %e, mailer = app.mailer.kind(), "could not send the verification email");
        app.store.close_code(code_id, "void").await?;
        audit(app, ctx, Some(w), action, "fault: mail not sent").await;
        return Ok(Err(field(
            "email",
            Msg::new("error-mail-fault").text("reference", reference),
        )));
    }
    audit(app, ctx, Some(w), action, "sent").await;
    Ok(Ok(()))
}

#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn send_email_code(app: &AppState, ctx: &Ctx, email: &str, verify_email: &str) -> Reply {
    let (old, _) = try_begin!(app, ctx, Action::SendCode, Step::Email);
    let mut w = old.clone();
    w.email_draft = email.trim().chars().take(EmailAddress::MAX_LEN).collect();
    w.verify_email_draft = verify_email
        .trim()
        .chars()
        .take(EmailAddress::MAX_LEN)
        .collect();
    let mut errors = Vec::new();
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
            w.flash = flash_errors(errors);
            try_save!(app, &old, w, Step::Email);
            audit(app, ctx, Some(&old), "send_email_code", "invalid input").await;
            return Reply::to(Step::Email);
        }
    };
    match send_code(app, ctx, &old, &email, "send_email_code").await {
        Err(f) => fault_reply(Step::Email, f),
        Ok(Err(mut e)) => {
            e.field = "email".into();
            w.flash = flash_errors(vec![e]);
            try_save!(app, &old, w, Step::Email);
            Reply::to(Step::Email)
        }
        Ok(Ok(())) => {
            w.email = Some(email.as_str().to_string());
            w.email_verified = false;
            w.step = Step::Email
                .after(Event::CodeSent)
                .expect("table")
                .as_str()
                .into();
            w.flash = None;
            try_save!(app, &old, w, Step::Email);
            Reply::to(Step::Code)
        }
    }
}

#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn resend_email_code(app: &AppState, ctx: &Ctx) -> Reply {
    let (old, _) = try_begin!(app, ctx, Action::ResendCode, Step::Code);
    let mut w = old.clone();
    let Some(email) = old
        .email
        .as_deref()
        .and_then(|e| EmailAddress::parse(e).ok())
    else {
        return Reply::notice(Step::Code, "out-of-order");
    };
    match send_code(app, ctx, &old, &email, "resend_email_code").await {
        Err(f) => fault_reply(Step::Code, f),
        Ok(Err(e)) => {
            w.flash = flash_errors(vec![e]);
            try_save!(app, &old, w, Step::Code);
            Reply::to(Step::Code)
        }
        Ok(Ok(())) => {
            w.flash = flash_info(Msg::new("notice-new-code").text("email", email.masked()));
            try_save!(app, &old, w, Step::Code);
            Reply::to(Step::Code)
        }
    }
}

#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn verify_email_code(app: &AppState, ctx: &Ctx, code: &str) -> Reply {
    let (old, _) = try_begin!(app, ctx, Action::VerifyCode, Step::Code);
    let mut w = old.clone();
    let now = app.clock.now();
    let wrong = |w: &mut WizardRow, msg: Msg| {
        w.flash = flash_errors(vec![field("code", msg)]);
    };
    let code = match EmailCode::parse(code) {
        Ok(c) => c,
        Err(e) => {
            wrong(&mut w, Msg::new(e.0));
            try_save!(app, &old, w, Step::Code);
            return Reply::to(Step::Code);
        }
    };
    let active = db!(app.store.active_code(&old.id), Step::Code);
    let Some(active) = active.filter(|c| Some(c.email.as_str()) == old.email.as_deref()) else {
        wrong(&mut w, Msg::new("error-code-void"));
        try_save!(app, &old, w, Step::Code);
        audit(
            app,
            ctx,
            Some(&old),
            "verify_email_code",
            "refused: no active code",
        )
        .await;
        return Reply::to(Step::Code);
    };
    if active.expires_at <= now {
        db!(app.store.close_code(active.id, "void"), Step::Code);
        wrong(&mut w, Msg::new("error-code-expired"));
        try_save!(app, &old, w, Step::Code);
        audit(
            app,
            ctx,
            Some(&old),
            "verify_email_code",
            "refused: expired",
        )
        .await;
        return Reply::to(Step::Code);
    }
    // Each try is taken atomically before it is evaluated, so concurrent
    // guesses cannot get more than five evaluations.
    let Some(attempt) = db!(
        app.store.take_code_attempt(active.id, CODE_TRIES),
        Step::Code
    ) else {
        wrong(&mut w, Msg::new("error-code-void"));
        try_save!(app, &old, w, Step::Code);
        audit(
            app,
            ctx,
            Some(&old),
            "verify_email_code",
            "refused: no tries left",
        )
        .await;
        return Reply::to(Step::Code);
    };
    let expected = keyed_hash(&app.key, &["email-code", &old.id, code.expose()]);
    if !constant_time_eq(&expected, &active.code_hash) {
        let left = CODE_TRIES - attempt;
        if left <= 0 {
            db!(app.store.close_code(active.id, "void"), Step::Code);
            wrong(&mut w, Msg::new("error-code-used-up"));
        } else {
            wrong(&mut w, Msg::new("error-code-wrong").number("left", left));
        }
        try_save!(app, &old, w, Step::Code);
        audit(app, ctx, Some(&old), "verify_email_code", "wrong").await;
        return Reply::to(Step::Code);
    }
    if !db!(app.store.close_code(active.id, "used"), Step::Code) {
        wrong(&mut w, Msg::new("error-code-void"));
        try_save!(app, &old, w, Step::Code);
        return Reply::to(Step::Code);
    }
    w.email_verified = true;
    w.step = Step::Code
        .after(Event::CodeAccepted)
        .expect("table")
        .as_str()
        .into();
    w.flash = None;
    let cookie = renew(&mut w, ctx);
    try_save!(app, &old, w, Step::Code);
    audit(app, ctx, Some(&old), "verify_email_code", "ok").await;
    Reply::to(Step::Password).with_cookie(cookie)
}

// ---- Verify Username and Password, and the merge ------------------------------

#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn verify_legacy_password(
    app: &AppState,
    ctx: &Ctx,
    username: &str,
    password: &str,
) -> Reply {
    let (old, _) = try_begin!(app, ctx, Action::VerifyPassword, Step::Password);
    let mut w = old.clone();
    let now = app.clock.now();
    let mut errors = Vec::new();
    let user = Username::parse(username);
    if let Err(e) = &user {
        errors.push(field("username", Msg::new(e.0)));
    }
    if password.is_empty() {
        errors.push(field("password", Msg::new("error-password-empty")));
    }
    if !errors.is_empty() {
        w.flash = flash_errors(errors);
        try_save!(app, &old, w, Step::Password);
        return Reply::to(Step::Password);
    }
    let user = user.expect("checked");
    let Some(account_id) = old.legacy_account_id else {
        return Reply::notice(Step::Lookup, "out-of-order");
    };
    let Some(account) = db!(app.store.legacy_by_id(account_id), Step::Password) else {
        return Reply::notice(Step::Lookup, "out-of-order");
    };
    let taken = db!(
        app.store.take_attempt(
            Some(account.id),
            Counter::Password,
            now,
            WRONG_TRIES,
            LOCK_SECS
        ),
        Step::Password
    );
    let locked = taken.is_none();
    // The account proven in this wizard, and no other: a username typed here
    // that is not the looked-up account's is wrong, at the same cost.
    let same_account = constant_time_eq(&user.key(), &account.username.to_lowercase());
    let ok = app
        .hasher
        .verify(
            same_account.then(|| account.password_hash.clone()),
            password.to_string(),
        )
        .await;
    if !ok || locked {
        w.flash = flash_errors(vec![field("password", Msg::new("error-password-wrong"))]);
        try_save!(app, &old, w, Step::Password);
        audit(
            app,
            ctx,
            Some(&old),
            "verify_legacy_password",
            if locked { "refused: locked" } else { "wrong" },
        )
        .await;
        return Reply::to(Step::Password);
    }
    db!(
        app.store.reset_failures(account.id, Counter::Password),
        Step::Password
    );
    if account.consolidated_into.is_some() {
        w.step = Step::Lookup.as_str().into();
        w.legacy_account_id = None;
        w.flash = serde_json::to_string(&Flash {
            already_consolidated: true,
            ..Flash::default()
        })
        .ok();
        try_save!(app, &old, w, Step::Password);
        audit(
            app,
            ctx,
            Some(&old),
            "verify_legacy_password",
            "refused: already consolidated",
        )
        .await;
        return Reply::to(Step::Lookup);
    }
    let new_hash = app.hasher.hash(password.to_string()).await;
    db!(
        app.store.add_wizard_account(&old.id, account.id, &new_hash),
        Step::Password
    );
    w.step = Step::Password
        .after(Event::PasswordAccepted)
        .expect("table")
        .as_str()
        .into();
    w.flash = None;
    w.username_draft.clear();
    w.tin_draft.clear();
    let cookie = renew(&mut w, ctx);
    try_save!(app, &old, w, Step::Password);
    audit(app, ctx, Some(&old), "verify_legacy_password", "ok").await;
    Reply::to(Step::Review).with_cookie(cookie)
}

// ---- Accounts to consolidate: Add another account, Finish ------------------------

#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn add_another_account(app: &AppState, ctx: &Ctx) -> Reply {
    let (old, _) = try_begin!(app, ctx, Action::AddAnother, Step::Review);
    let mut w = old.clone();
    w.step = Step::Review
        .after(Event::AnotherAccount)
        .expect("table")
        .as_str()
        .into();
    w.legacy_account_id = None;
    w.decoy_question = None;
    w.username_draft.clear();
    w.tin_draft.clear();
    w.flash = None;
    try_save!(app, &old, w, Step::Review);
    audit(app, ctx, Some(&old), "add_another_account", "ok").await;
    Reply::to(Step::Lookup)
}

/// Merges every account of the wizard in one transaction. Submitted twice, it
/// shows the same Thank You once.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn finish(app: &AppState, ctx: &Ctx) -> Reply {
    if let Ok(Loaded::Active(_, Step::Done)) = load(app, ctx).await {
        return Reply::to(Step::Done);
    }
    let (old, _) = try_begin!(app, ctx, Action::Finish, Step::Review);
    let now = app.clock.now();
    let Some(email) = old.email.clone().filter(|_| old.email_verified) else {
        return Reply::notice(Step::Review, "out-of-order");
    };
    let accounts = db!(app.store.wizard_accounts(&old.id), Step::Review);
    // A signed-in user adding accounts keeps their own login.
    let into_user = old.portal_user_id;
    let fail = app
        .faults
        .fail_next_finish
        .swap(false, std::sync::atomic::Ordering::SeqCst);
    let outcome = match app
        .store
        .finish(&old.id, &email, into_user, now, fail)
        .await
    {
        Ok(o) => o,
        Err(e) => {
            audit(app, ctx, Some(&old), "finish", "fault").await;
            return fault_reply(Step::Review, Fault::from(e));
        }
    };
    match outcome {
        FinishOutcome::Merged { portal_user_id } => {
            info!(
                portal_user_id,
                accounts = accounts.len(),
                "accounts consolidated"
            );
            audit(app, ctx, Some(&old), "finish", "merged").await;
            crate::wizard::notify::after_merge(app, &ctx.lang, &email, &accounts, now).await;
            // The transaction moved the wizard to Done; a new session id marks the end.
            let mut expected = old.clone();
            expected.step = Step::Done.as_str().into();
            let mut done = expected.clone();
            done.portal_user_id = Some(portal_user_id);
            done.flash = None;
            let cookie = renew(&mut done, ctx);
            match save(app, &expected, done).await {
                Ok(Ok(())) => Reply::to(Step::Done).with_cookie(cookie),
                Ok(Err(r)) => r,
                Err(f) => fault_reply(Step::Done, f),
            }
        }
        FinishOutcome::AlreadyConsolidated { legacy_account_id } => {
            warn!("finish refused: an account was consolidated by another wizard first");
            db!(
                app.store.remove_wizard_account(&old.id, legacy_account_id),
                Step::Review
            );
            let name = accounts
                .iter()
                .find(|(id, _, _)| *id == legacy_account_id)
                .map(|(_, a, _)| a.username.clone())
                .unwrap_or_default();
            let remaining = accounts.len().saturating_sub(1);
            let mut w = old.clone();
            if remaining == 0 {
                w.step = Step::Lookup.as_str().into();
                w.legacy_account_id = None;
                w.flash = serde_json::to_string(&Flash {
                    already_consolidated: true,
                    ..Flash::default()
                })
                .ok();
            } else {
                w.flash = flash_errors(vec![field(
                    "finish",
                    Msg::new("error-finish-lost-account").text("name", name),
                )]);
            }
            let to = if remaining == 0 {
                Step::Lookup
            } else {
                Step::Review
            };
            try_save!(app, &old, w, Step::Review);
            audit(
                app,
                ctx,
                Some(&old),
                "finish",
                "refused: already consolidated",
            )
            .await;
            Reply::to(to)
        }
        FinishOutcome::NothingToMerge => Reply::notice(Step::Lookup, "out-of-order"),
    }
}

// ---- Previous and Cancel -------------------------------------------------------

#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn go_previous(
    app: &AppState,
    ctx: &Ctx,
    email: Option<String>,
    verify_email: Option<String>,
) -> Reply {
    let (old, step) = try_begin!(app, ctx, Action::Previous, Step::Lookup);
    let mut w = old.clone();
    // With an account already added (or a signed-in user), the email is
    // verified for good: Previous from the password step goes to the question.
    let added = db!(app.store.wizard_accounts(&old.id), step).len();
    let email_done = added > 0 || old.portal_user_id.is_some();
    let Some(prev) = step.after(Event::Back {
        email_verified: email_done,
    }) else {
        return Reply::notice(step, "out-of-order");
    };
    if step == Step::Email {
        w.email_draft = email
            .unwrap_or_default()
            .trim()
            .chars()
            .take(EmailAddress::MAX_LEN)
            .collect();
        w.verify_email_draft = verify_email
            .unwrap_or_default()
            .trim()
            .chars()
            .take(EmailAddress::MAX_LEN)
            .collect();
    }
    // Landing on a step means proving it again.
    match prev {
        Step::Lookup => {
            w.legacy_account_id = None;
            w.decoy_question = None;
        }
        Step::Email => w.email_verified = false,
        Step::Verify => {}
        _ => {}
    }
    w.step = prev.as_str().into();
    w.flash = None;
    try_save!(app, &old, w, step);
    audit(app, ctx, Some(&old), "previous", prev.as_str()).await;
    Reply::to(prev)
}

#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn cancel_wizard(app: &AppState, ctx: &Ctx) -> Reply {
    let clear = auth::clear_cookie(ctx.secure);
    match db!(load(app, ctx), Step::Lookup) {
        Loaded::Missing => Reply {
            location: "/".into(),
            set_cookie: Some(clear),
        },
        Loaded::Expired(w) | Loaded::Active(w, _) => {
            if w.step == Step::Done.as_str() {
                return Reply {
                    location: "/".into(),
                    set_cookie: Some(clear),
                };
            }
            db!(app.store.delete_wizard(&w.id), Step::Lookup);
            audit(app, ctx, Some(&w), "cancel", "cancelled").await;
            Reply {
                location: "/?notice=cancelled".into(),
                set_cookie: Some(clear),
            }
        }
    }
}
