//! The console's service: operators' sign-in and sessions, enrolment, and
//! the pages' figures. Every action is audited with the operator.

use super::step::OpsSignInStep;
use super::{
    Console, DayCount, EnrolState, Enrolment, ImportLine, Me, OpsSignInState, Progress,
    SourceFigures,
};
use crate::auth::{self, keyed_hash, random_token, token_hash, totp};
use crate::domain::{username_key, Action, Role, Username};
use crate::flow::limits::{OPS_IDLE_SECS, OPS_LIFETIME_SECS};
use crate::flow::tries::{self, Counter, Try};
use crate::flow::{self, audit_refusal, Outcome, Stop};
use crate::i18n::Msg;
use crate::state::AppState;
use crate::store::{NewOperator, Operator, OperatorEvent};
use crate::web::{Ctx, Reply};
use tracing::{error, info};

mod audit;
pub mod campaigns;
pub mod cases;
pub mod closing;
pub mod codes;
mod find;
pub mod funnel;
mod locks;
pub mod operators;
mod outbox;
mod stuck;
mod support;
pub use audit::{audit, audit_csv};
pub use find::{end_sessions, find, reset_second_step, search};
pub use locks::{locked, unlock};
pub use outbox::outbox;
pub use stuck::{stuck, DEFAULT_MINUTES};
pub use support::{forget_shown, issue_support_code, shown};

/// An enrolment link is good for 24 hours, once.
pub const ENROL_SECS: i64 = 24 * 3600;

/// Records an operator's action (or an attempt at one) in the audit trail;
/// a failure to record is logged, not shown.
pub async fn audit_op(
    app: &AppState,
    ctx: &Ctx,
    operator: Option<&Operator>,
    action: &str,
    target: Option<&str>,
    reason: Option<&str>,
    outcome: &str,
) {
    let e = event(ctx, operator, action, target, reason, outcome);
    record(app, operator, e, false).await
}

/// Records that an operator viewed a page (once per view: see
/// `Store::audit_operator_view`).
pub async fn audit_view(
    app: &AppState,
    ctx: &Ctx,
    operator: &Operator,
    action: &str,
    target: Option<&str>,
    outcome: &str,
) {
    let e = event(ctx, Some(operator), action, target, None, outcome);
    record(app, Some(operator), e, true).await
}

/// An operator's event, not yet about an old account.
fn event<'a>(
    ctx: &'a Ctx,
    operator: Option<&Operator>,
    action: &'a str,
    target: Option<&'a str>,
    reason: Option<&'a str>,
    outcome: &'a str,
) -> OperatorEvent<'a> {
    OperatorEvent {
        operator_id: operator.map(|o| o.id),
        legacy_account_id: None,
        address: &ctx.address,
        action,
        target,
        reason,
        outcome,
    }
}

/// Writes `e` (a page view: once per view) and logs it.
async fn record(app: &AppState, operator: Option<&Operator>, e: OperatorEvent<'_>, view: bool) {
    info!(operator = operator.map(|o| o.username.as_str()), address = %e.address, action = e.action, target = e.target, outcome = e.outcome, "console");
    flow::counted(e.action, e.outcome);
    let now = app.clock.now();
    let written = if view {
        app.store.audit_operator_view(now, &e).await
    } else {
        app.store.audit_operator(now, &e).await
    };
    if let Err(err) = written {
        error!(error = %err, action = e.action, "could not record audit event");
    }
}

/// The keyed hash under which an enrolment link's token is stored.
pub(super) fn enrol_hash(key: &[u8], token: &str) -> String {
    keyed_hash(key, &["operator enrolment", token])
}

/// What `provider-portal operator add` made: the operator's id and the
/// one-time token of the enrolment link.
pub struct Added {
    pub id: i64,
    pub token: String,
    pub expires: i64,
}

/// Adds an operator awaiting enrolment (the command `operator add`).
/// `Ok(None)` if the username is taken.
pub async fn add_operator(
    app_store: &crate::store::Store,
    key: &[u8],
    username: &Username,
    role: Role,
    now: i64,
) -> Result<Option<Added>, sqlx::Error> {
    let token = random_token();
    let seed = totp::seal_seed(key, &totp::new_seed());
    let expires = now + ENROL_SECS;
    let hash = enrol_hash(key, &token);
    let new = NewOperator {
        username: username.as_str(),
        username_key: &username.key(),
        role: role.as_str(),
        totp_seed: &seed,
        enrol_hash: &hash,
        enrol_expires: expires,
    };
    Ok(app_store
        .insert_operator(&new, now)
        .await?
        .map(|id| Added { id, token, expires }))
}

/// The enrolment page of the link `token`.
pub async fn enrolment(app: &AppState, ctx: &Ctx, token: &str) -> EnrolState {
    match enrolment_of(app, token).await {
        Ok(Some((op, seed, _))) => {
            let url = totp::otpauth_url(&seed, &op.username).unwrap_or_default();
            EnrolState::Ready(Enrolment {
                username: op.username.clone(),
                role: Role::parse(&op.role).unwrap_or(Role::Auditor),
                qr_svg: totp::qr_svg(&url).unwrap_or_default(),
                seed_text: totp::seed_text(&seed),
            })
        }
        Ok(None) => {
            audit_refusal(app, ctx, "ops/enrol", "refused: unknown or expired link").await;
            EnrolState::Invalid
        }
        Err(Stop::Fault { reference, .. }) => EnrolState::Fault(reference),
        Err(Stop::Go(_)) => EnrolState::Invalid,
    }
}

/// The operator of the link `token`, its seed, and the keyed hash the
/// link is stored under (the current secret's, or during a rotation the
/// previous one's).
async fn enrolment_of(
    app: &AppState,
    token: &str,
) -> Result<Option<(Operator, Vec<u8>, String)>, Stop> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let now = app.clock.now();
    let mut found = None;
    for key in app.key.all() {
        let hash = enrol_hash(key, token);
        if let Some(op) = app.store.operator_by_enrol_hash(&hash, now).await? {
            found = Some((op, hash));
            break;
        }
    }
    let Some((op, hash)) = found else {
        return Ok(None);
    };
    let Some(seed) = op
        .totp_seed
        .as_deref()
        .and_then(|s| totp::open_seed(&app.key, s))
    else {
        error!(operator = %op.username, "the TOTP seed does not open under this APP_SECRET");
        return Ok(None);
    };
    Ok(Some((op, seed, hash)))
}

/// `Finish enrolment`: the password (the providers' rules) and a code from
/// the authenticator, which proves it was set up.
pub async fn enrol(
    app: &AppState,
    ctx: &Ctx,
    token: &str,
    password: &str,
    confirm: &str,
    code: &str,
) -> Outcome {
    let page = |error: &str| {
        Reply::to(&format!(
            "/ops/enrol?token={}&error={error}",
            crate::i18n::encode_query_value(token)
        ))
    };
    let Some((op, seed, link_hash)) = enrolment_of(app, token).await? else {
        audit_refusal(app, ctx, "ops/enrol", "refused: unknown or expired link").await;
        return Ok(page("link"));
    };
    if let Err(e) = flow::input::checked_new_password(password, confirm, &op.username) {
        audit_op(
            app,
            ctx,
            Some(&op),
            "ops_enrol",
            None,
            None,
            "refused: password",
        )
        .await;
        return Ok(page(&e.message.key));
    }
    let now = app.clock.now();
    let Some(step) = totp::check(&seed, code, now) else {
        audit_op(app, ctx, Some(&op), "ops_enrol", None, None, "wrong code").await;
        return Ok(page("error-ops-code-wrong"));
    };
    let hash = app.hasher.hash(password.to_string()).await;
    if !app
        .store
        .enrol_operator(op.id, &link_hash, &hash, step, now)
        .await?
    {
        return Ok(page("link"));
    }
    audit_op(
        app,
        ctx,
        Some(&op),
        "ops_enrol",
        Some(&format!("operator:{}", op.username)),
        None,
        "ok",
    )
    .await;
    Ok(Reply::notice(OpsSignInStep::PATH, "enrolled"))
}

async fn failed(app: &AppState, ctx: &Ctx, username: &str, message: &str) -> Outcome {
    flow::failed_sign_in(app, ctx, OpsSignInStep, username, Msg::new(message)).await
}

/// What the console's sign-in page shows again.
pub async fn sign_in_state(app: &AppState, ctx: &Ctx) -> OpsSignInState {
    let (username, error) = flow::kept_sign_in::<OpsSignInStep>(app, ctx).await;
    OpsSignInState { username, error }
}

/// `Sign in`: the password and a fresh code of the operator's authenticator.
/// One message for every failure; five in a row lock for 15 minutes (a
/// locked sign-in reads as wrong); a code already used is wrong.
pub async fn sign_in(
    app: &AppState,
    ctx: &Ctx,
    username: &str,
    password: &str,
    code: &str,
) -> Outcome {
    let now = app.clock.now();
    let key = username_key(username.trim());
    let op = app
        .store
        .operator_by_username_key(&key)
        .await?
        .filter(|o| o.enrolled() && !o.disabled);
    let taken = tries::take(app, Counter::Operator, &key, op.as_ref().map(|o| o.id)).await?;
    if taken == Try::Busy {
        audit_op(app, ctx, None, "ops_sign_in", None, None, "refused: busy").await;
        return failed(app, ctx, username, "error-busy").await;
    }
    let locked = taken == Try::Locked;
    let password_ok = app
        .hasher
        .verify(
            op.as_ref().and_then(|o| o.password_hash.clone()),
            password.to_string(),
        )
        .await;
    let step = op
        .as_ref()
        .and_then(|o| o.totp_seed.as_deref())
        .and_then(|s| totp::open_seed(&app.key, s))
        .and_then(|seed| totp::check(&seed, code, now));
    let mut outcome = if locked { "refused: locked" } else { "wrong" };
    let mut right = password_ok && step.is_some() && op.is_some() && !locked;
    if let (true, Some(o), Some(step)) = (right, &op, step) {
        // A code is good once: a step at or before the last one accepted is
        // a replay, even of a code that is otherwise right.
        if !app.store.take_totp_step(o.id, step).await? {
            right = false;
            outcome = "refused: code already used";
        }
    }
    tries::settle(app, taken, right).await?;
    let Some(op) = op.filter(|_| right) else {
        audit_op(app, ctx, None, "ops_sign_in", None, None, outcome).await;
        return failed(app, ctx, username, "error-ops-sign-in").await;
    };
    let token = random_token();
    app.store
        .insert_operator_session(&token_hash(&token), op.id, now)
        .await?;
    flow::forget_sign_in::<OpsSignInStep>(app, ctx).await?;
    audit_op(app, ctx, Some(&op), "ops_sign_in", None, None, "ok").await;
    let cookie = auth::ops_cookie(&token, OPS_LIFETIME_SECS, ctx.secure);
    Ok(Reply::to("/ops").with_cookie(cookie))
}

/// The operator of this request's console session, if it is live.
pub async fn signed_in(app: &AppState, ctx: &Ctx) -> Result<Option<Operator>, Stop> {
    let Some(token) = &ctx.ops else {
        return Ok(None);
    };
    let now = app.clock.now();
    Ok(app
        .store
        .operator_of_session(
            &token_hash(token),
            now - OPS_IDLE_SECS,
            now - OPS_LIFETIME_SECS,
            now,
        )
        .await?)
}

/// The operator, if signed in and allowed `action`; otherwise the refusal
/// is audited and the caller gets `Err` (no session: `Ok(None)`-like
/// `Stop::Go` to the sign-in page).
pub async fn allowed(
    app: &AppState,
    ctx: &Ctx,
    action: Action,
    what: &str,
) -> Result<Operator, Stop> {
    let Some(op) = signed_in(app, ctx).await? else {
        audit_refusal(app, ctx, what, "refused: no console session").await;
        return Err(Stop::Go(Reply::to(OpsSignInStep::PATH)));
    };
    let role = Role::parse(&op.role).unwrap_or(Role::Auditor);
    if !role.may(action) {
        audit_op(app, ctx, Some(&op), what, None, None, "refused: role").await;
        return Err(Stop::Go(Reply::notice("/ops", "not-allowed")));
    }
    Ok(op)
}

/// `Sign out`: the session ends.
pub async fn sign_out(app: &AppState, ctx: &Ctx) -> Outcome {
    if let Some(token) = &ctx.ops {
        let op = signed_in(app, ctx).await?;
        app.store.end_operator_session(&token_hash(token)).await?;
        if op.is_some() {
            audit_op(app, ctx, op.as_ref(), "ops_sign_out", None, None, "ok").await;
        }
    }
    let cookie = auth::ops_cookie("", 0, ctx.secure);
    Ok(Reply::notice(OpsSignInStep::PATH, "signed-out").with_cookie(cookie))
}

fn me(op: &Operator) -> Me {
    Me {
        username: op.username.clone(),
        role: Role::parse(&op.role).unwrap_or(Role::Auditor),
    }
}

/// A console page's data: `load` runs only for a signed-in operator whose
/// role may `action`; the page's visit is audited.
async fn page<T>(
    app: &AppState,
    ctx: &Ctx,
    action: Action,
    what: &str,
    load: impl std::future::Future<Output = Result<T, Stop>>,
) -> Console<T> {
    let op = match allowed(app, ctx, action, what).await {
        Ok(op) => op,
        Err(Stop::Go(r)) if r.location != OpsSignInStep::PATH => return Console::Refused,
        Err(Stop::Go(_)) => return Console::SignedOut,
        Err(Stop::Fault { reference, .. }) => return Console::Fault(reference),
    };
    match load.await {
        Ok(data) => {
            audit_view(app, ctx, &op, what, None, "viewed").await;
            Console::Page(me(&op), data)
        }
        Err(Stop::Fault { reference, .. }) => Console::Fault(reference),
        Err(Stop::Go(_)) => Console::SignedOut,
    }
}

/// The Progress page: old accounts by source, logins, import runs, and the
/// wizard funnel of the wizards begun from `from` to `to` (`YYYY-MM-DD`,
/// UTC, inclusive; the last 30 days when empty or typed wrong).
pub async fn progress(app: &AppState, ctx: &Ctx, from: &str, to: &str) -> Console<Progress> {
    page(app, ctx, Action::Read, "ops/progress", async {
        let today = app.clock.now().div_euclid(86_400);
        // Each a read of its own, side by side (SQLite serves readers
        // beside the writer; PostgreSQL on separate connections).
        let (
            by_source,
            closings,
            runs,
            days,
            logins,
            (funnel, funnel_errors),
            (second_steps, protected),
        ) = tokio::try_join!(
            async { Ok::<_, Stop>(app.store.progress_by_source().await?) },
            async { Ok(app.store.closings().await?) },
            async { Ok(app.store.import_runs(20).await?) },
            async {
                Ok(app
                    .store
                    .consolidations_per_day((today - 29) * 86_400)
                    .await?)
            },
            async { Ok(app.store.logins_created().await?) },
            funnel_of(app, today, from, to),
            async { Ok(app.store.second_step_figures().await?) },
        )?;
        let sources: Vec<SourceFigures> = by_source
            .into_iter()
            .map(|s| SourceFigures {
                closes: closings.iter().find(|c| c.source == s.source).map(|c| {
                    let left = crate::closing::days_left(c.closes_at, app.clock.now());
                    (c.closes_on.clone(), left)
                }),
                not_started: s.loaded - s.consolidated - s.in_wizard,
                source: s.source,
                loaded: s.loaded,
                consolidated: s.consolidated,
                in_wizard: s.in_wizard,
            })
            .collect();
        let mut total = SourceFigures {
            source: String::new(),
            loaded: 0,
            consolidated: 0,
            in_wizard: 0,
            not_started: 0,
            closes: None,
        };
        for s in &sources {
            total.loaded += s.loaded;
            total.consolidated += s.consolidated;
            total.in_wizard += s.in_wizard;
            total.not_started += s.not_started;
        }
        let imports = runs
            .into_iter()
            .map(|r| ImportLine {
                when: crate::mail::utc_time(r.at),
                who: r.who.trim_start_matches("operator:").to_string(),
                dry_run: r.action != "import",
                what: r.what,
            })
            .collect();
        let counts: std::collections::HashMap<i64, i64> = days.into_iter().collect();
        let per_day: Vec<DayCount> = (today - 29..=today)
            .map(|d| DayCount {
                day: crate::mail::utc_day(d * 86_400),
                count: counts.get(&d).copied().unwrap_or(0),
            })
            .collect();
        Ok(Progress {
            funnel,
            funnel_errors,
            chart_svg: crate::console::chart::bars(&per_day),
            per_day,
            sources,
            total,
            logins,
            unprotected: (logins - protected).max(0),
            second_steps,
            imports,
        })
    })
    .await
}

/// The funnel of the period typed, or of the last 30 days (with what was
/// wrong) when it cannot be read.
async fn funnel_of(
    app: &AppState,
    today: i64,
    from: &str,
    to: &str,
) -> Result<(crate::console::Funnel, Vec<flow::FieldError>), Stop> {
    let day = |d: i64| crate::mail::utc_day(d * 86_400);
    let mut errors = Vec::new();
    let mut read = |field: &str, typed: &str, default: i64| match typed.trim() {
        "" => default * 86_400,
        t => audit::day_start(t).unwrap_or_else(|| {
            errors.push(flow::FieldError::new(
                field,
                crate::i18n::Msg::new("error-ops-date"),
            ));
            default * 86_400
        }),
    };
    let start = read("from", from, today - 29);
    let end = read("to", to, today);
    let (start, end) = if errors.is_empty() && start <= end {
        (start, end)
    } else {
        ((today - 29) * 86_400, today * 86_400)
    };
    let mut f = funnel::funnel(app, start, end + 86_400).await?;
    f.from = day(start / 86_400);
    f.to = day(end / 86_400);
    Ok((f, errors))
}

/// A mail's subject and body in every language of the site, one after
/// the other (the provider's own language is not known to the console).
pub(super) fn in_every_language(
    body: impl Fn(&crate::i18n::Lang) -> String,
    subject_key: &str,
) -> (String, String) {
    let langs = crate::i18n::available();
    let subject = langs
        .iter()
        .map(|l| crate::i18n::text_of(l, subject_key))
        .collect::<Vec<_>>()
        .join(" / ");
    let body = langs
        .iter()
        .map(body)
        .collect::<Vec<_>>()
        .join("\n\n---\n\n");
    (subject, body)
}
