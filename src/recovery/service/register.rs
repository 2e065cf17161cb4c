//! Register with a registration code, and the operators' side of the codes.

use super::{begin, move_on, new_password, register_cap, save, start};
use crate::auth::{self, constant_time_eq, keyed_hash};
use crate::domain::{RegistrationCode, Tin, Username};
use crate::flow::codes::{self, CodeMail, Sent};
use crate::flow::input::{checked_email, typed_email};
use crate::flow::tries::{self, Counter, Try};
use crate::flow::{self, audit, FieldError, Flash, Outcome};
use crate::i18n::Msg;
use crate::recovery::step::{Action, Event, Page};
use crate::state::AppState;
use crate::store::RegisterOutcome;
use crate::web::{Ctx, Reply};
use tracing::{info, warn};

/// How long a registration code works unless the operator says otherwise.
pub const REGISTRATION_CODE_DAYS: i64 = 30;

/// `Next` on Register: the registration code and the TIN it was issued for.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn register_start(app: &AppState, ctx: &Ctx, code: &str, tin: &str) -> Outcome {
    let page = Page::RegStart;
    let (old, cookie) = start(app, ctx, page).await?;
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
                errors.push(FieldError::new("registration_code", Msg::new(e.0)));
            }
            if let Err(e) = t {
                errors.push(FieldError::new("tin", Msg::new(e.0)));
            }
            f.flash = Flash::errors(errors);
            return Ok(flow::go(
                app,
                ctx,
                &old,
                f,
                page,
                Some(("register_start", "invalid input")),
            )
            .await?
            .with_cookie_if(cookie));
        }
    };
    // Under the current secret, or the previous one during a rotation (a
    // code lives 30 days).
    let (mut code_hash, mut row) = (String::new(), None);
    for hash in app.key.hashes(&["registration-code", code.expose()]) {
        let found = app.store.registration_code_by_hash(&hash).await?;
        let is_here = found.is_some();
        if code_hash.is_empty() || is_here {
            (code_hash, row) = (hash, found);
        }
        if is_here {
            break;
        }
    }
    // The try is taken before the TIN is compared, as for answers and PINs,
    // under the code typed whether or not it exists.
    let taken = tries::take(
        app,
        Counter::Registration,
        &code_hash,
        row.as_ref().map(|r| r.id),
    )
    .await?;
    if taken == Try::Busy {
        f.flash = Flash::error("registration_code", Msg::new("error-busy"));
        return Ok(flow::go(
            app,
            ctx,
            &old,
            f,
            page,
            Some(("register_start", "refused: busy")),
        )
        .await?
        .with_cookie_if(cookie));
    }
    let locked = taken == Try::Locked;
    let tin_ok = row.as_ref().is_some_and(|r| {
        auth::tin_hashes(&app.key, tin.digits())
            .iter()
            .any(|h| constant_time_eq(&r.tin, h))
    });
    tries::settle(app, taken, tin_ok && !locked).await?;
    let row = match row {
        Some(r) if tin_ok && !locked => r,
        _ => {
            f.flash = Flash::error("registration_code", Msg::new("error-registration-wrong"));
            let outcome = if locked { "refused: locked" } else { "wrong" };
            return Ok(
                flow::go(app, ctx, &old, f, page, Some(("register_start", outcome)))
                    .await?
                    .with_cookie_if(cookie),
            );
        }
    };
    // Only the holder of the code and its TIN learns why it no longer works.
    let gone = if row.used_at.is_some() {
        Some(("error-registration-used", "refused: code used"))
    } else if row.expires_at <= now {
        Some(("error-registration-expired", "refused: code expired"))
    } else {
        None
    };
    if let Some((key, outcome)) = gone {
        f.flash = Flash::error("registration_code", Msg::new(key));
        return Ok(
            flow::go(app, ctx, &old, f, page, Some(("register_start", outcome)))
                .await?
                .with_cookie_if(cookie),
        );
    }
    f.registration_code_id = Some(row.id);
    f.flash = None;
    let next = move_on(&mut f, page, Event::RegistrationCodeAccepted);
    let c = flow::renew::<Page>(&mut f, ctx);
    Ok(
        flow::go(app, ctx, &old, f, next, Some(("register_start", "ok")))
            .await?
            .with_cookie(c),
    )
}

/// `Next` on Create Your Login: the username and the email, which gets a code.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn register_account(
    app: &AppState,
    ctx: &Ctx,
    username: &str,
    email: &str,
    verify_email: &str,
) -> Outcome {
    let (old, page) = begin(app, ctx, Action::RegisterAccount).await?;
    let mut f = old.clone();
    f.username_draft = username.trim().chars().take(Username::MAX_LEN).collect();
    f.email_draft = typed_email(email);
    f.verify_email_draft = typed_email(verify_email);
    let mut errors = Vec::new();
    match Username::parse_new(username) {
        Err(e) => errors.push(FieldError::new("username", Msg::new(e.0))),
        Ok(u) => {
            if app.store.username_taken(&u.key()).await? {
                errors.push(FieldError::new(
                    "username",
                    Msg::new("error-username-taken"),
                ));
            }
        }
    }
    let email = match checked_email(email, verify_email) {
        Ok(e) if errors.is_empty() => e,
        checked => {
            errors.extend(checked.err());
            f.flash = Flash::errors(errors);
            return flow::go(
                app,
                ctx,
                &old,
                f,
                page,
                Some(("register_account", "invalid input")),
            )
            .await;
        }
    };
    let mail = CodeMail {
        to: Some(&email),
        caps: register_cap(&old),
        background: false,
    };
    match codes::send_code(app, ctx, &old, mail, "register_account").await? {
        Sent::Refused(e) => {
            f.flash = Flash::errors(vec![e.on("email")]);
            flow::go(app, ctx, &old, f, page, None).await
        }
        Sent::Sent => {
            f.email = Some(email.as_str().to_string());
            f.email_verified = false;
            f.flash = None;
            let next = move_on(&mut f, page, Event::CodeSent);
            flow::go(app, ctx, &old, f, next, None).await
        }
    }
}

/// `Create Account` on Choose a Password: the login is created in one
/// transaction with the code's practice and TIN; the code is used up.
#[tracing::instrument(skip_all, fields(address = %ctx.address))]
pub async fn register_password(
    app: &AppState,
    ctx: &Ctx,
    password: &str,
    confirm: &str,
) -> Outcome {
    let (old, page) = begin(app, ctx, Action::RegisterPassword).await?;
    let mut f = old.clone();
    let (Some(code_id), Some(email), true) = (
        old.registration_code_id,
        old.email.clone(),
        old.email_verified,
    ) else {
        return Ok(Reply::notice(Page::RegStart.path(), "out-of-order"));
    };
    let typed = (password, confirm);
    let new_password = new_password(app, ctx, &old, page, typed, &old.username_draft).await?;
    let hash = app.hasher.hash(new_password.expose().to_string()).await;
    let now = app.clock.now();
    let outcome = app
        .store
        .register(&old.id, code_id, &old.username_draft, &hash, &email, now)
        .await?;
    let (event, audited) = match outcome {
        RegisterOutcome::Created { portal_user_id } => {
            info!(portal_user_id, "registered");
            audit(app, ctx, Some(&old), "register_password", "registered").await;
            // The transaction moved the flow to done; a new token marks the end.
            let mut expected = old.clone();
            let done = move_on(&mut expected, page, Event::Registered);
            expected.portal_user_id = Some(portal_user_id);
            expected.flash = None;
            let mut renewed = expected.clone();
            let c = flow::renew::<Page>(&mut renewed, ctx);
            save(app, &expected, renewed)
                .await
                .map_err(|s| s.at(done.path()))?;
            // The new login is signed in, to protect it next.
            let session = flow::session::open(app, ctx, portal_user_id).await?;
            return Ok(Reply::to(done.path()).with_cookie(c).with_cookie(session));
        }
        RegisterOutcome::UsernameTaken => {
            warn!("register: the username was taken meanwhile");
            f.flash = Flash::error("username", Msg::new("error-username-taken"));
            (Event::UsernameTaken, "refused: username taken")
        }
        RegisterOutcome::CodeGone => {
            f.registration_code_id = None;
            f.flash = Flash::error("registration_code", Msg::new("error-registration-gone"));
            (Event::RegistrationCodeGone, "refused: code used or expired")
        }
    };
    f.email_verified = false;
    let next = move_on(&mut f, page, event);
    flow::go(
        app,
        ctx,
        &old,
        f,
        next,
        Some(("register_password", audited)),
    )
    .await
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
    issue_registration_code_by(store, key, what, None, now).await
}

/// [`issue_registration_code`] by an operator of the console.
pub async fn issue_registration_code_by(
    store: &crate::store::Store,
    key: &[u8],
    what: &CodeFor<'_>,
    operator: Option<i64>,
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
                issued_by: operator,
            },
            now,
        )
        .await?;
    Ok(code)
}
