//! Registration codes in the console (issue 17): the list (every role),
//! Issue (support and admin; the code shown once) and Revoke (support and
//! admin), each with a reason and audited.

use super::support::show_once;
use super::{allowed, audit_op, page};
use crate::console::{CodeForm, CodeLine, Codes, Console, Shown};
use crate::domain::{mask_tin_digits, Action, Tin};
use crate::flow::{Outcome, Stop};
use crate::recovery::service::{issue_registration_code_by, CodeFor, REGISTRATION_CODE_DAYS};
use crate::state::AppState;
use crate::web::{Ctx, Reply};

/// The page's address.
pub const PATH: &str = "/ops/codes";

/// How many codes the list shows, newest first.
const LISTED: i64 = 200;

/// The Registration codes page: the newest codes and their status.
pub async fn codes(app: &AppState, ctx: &Ctx) -> Console<Codes> {
    page(app, ctx, Action::Read, "ops/codes", async {
        let now = app.clock.now();
        let time = crate::mail::utc_time;
        let codes = app
            .store
            .registration_codes_newest(LISTED)
            .await?
            .into_iter()
            .map(|c| {
                let (status, since) = if let Some(at) = c.revoked_at {
                    ("revoked", Some(time(at)))
                } else if let Some(at) = c.used_at {
                    ("used", Some(time(at)))
                } else if c.expires_at <= now {
                    ("expired", None)
                } else if c.locked_until > now {
                    ("locked", Some(time(c.locked_until)))
                } else {
                    ("live", None)
                };
                CodeLine {
                    id: c.id,
                    tin: mask_tin_digits(&c.last4),
                    practice: c.practice,
                    role: c.role,
                    created: time(c.created_at),
                    expires: time(c.expires_at),
                    status: status.into(),
                    since,
                }
            })
            .collect();
        Ok::<_, Stop>(Codes { codes })
    })
    .await
}

/// `Issue a registration code`: for a TIN, a practice and a role, good for
/// 1 to 365 days (30 if left empty), with a reason. A refusal goes back to
/// the form with what was typed, but the TIN (it is never put in an
/// address).
pub async fn issue(app: &AppState, ctx: &Ctx, tin: &str, form: &CodeForm) -> Outcome {
    const ACTION: &str = "ops/registration_code";
    let op = allowed(app, ctx, Action::IssueCode, ACTION).await?;
    let back = |field: &str, error: &str| {
        let kept = CodeForm {
            field: field.into(),
            error: error.into(),
            ..form.clone()
        };
        Reply::to(&format!("{PATH}?{}", query(&kept)))
    };
    let Ok(tin) = Tin::parse(tin) else {
        return Ok(back("tin", "error-tin-format"));
    };
    let practice = form.practice.trim();
    if practice.is_empty() || practice.chars().count() > 200 {
        return Ok(back("practice", "error-ops-practice"));
    }
    let role = match form.role.trim() {
        "" => "Practice manager",
        r if r.chars().count() > 200 => return Ok(back("role", "error-ops-role")),
        r => r,
    };
    let days = match form.days.trim() {
        "" => REGISTRATION_CODE_DAYS,
        d => match d.parse::<i64>().ok().filter(|d| (1..=365).contains(d)) {
            Some(d) => d,
            None => return Ok(back("days", "error-ops-days")),
        },
    };
    let reason = form.reason.trim();
    if reason.is_empty() {
        return Ok(back("reason", "error-ops-reason-empty"));
    }
    let now = app.clock.now();
    let what = CodeFor {
        tin: &tin,
        practice,
        role,
        days,
        code: None,
    };
    let code = issue_registration_code_by(&app.store, &app.key, &what, Some(op.id), now).await?;
    let target = format!("tin:{}", tin.masked());
    audit_op(
        app,
        ctx,
        Some(&op),
        ACTION,
        Some(&target),
        Some(reason),
        "ok",
    )
    .await;
    let shown = Shown {
        kind: "registration-code".into(),
        subject: format!("{} ({practice}, {role})", tin.masked()),
        secret: code,
        expires: crate::mail::utc_time(now + days * 24 * 3600),
    };
    Ok(show_once(app, ctx, &op, &shown))
}

/// `Revoke` of a code not used yet (support and admin, with a reason).
pub async fn revoke(app: &AppState, ctx: &Ctx, code: &str, reason: &str) -> Outcome {
    const ACTION: &str = "ops/revoke_code";
    let op = allowed(app, ctx, Action::IssueCode, ACTION).await?;
    let Ok(id) = code.trim().parse::<i64>() else {
        return Ok(Reply::notice(PATH, "revoke-gone"));
    };
    let reason = reason.trim();
    if reason.is_empty() {
        return Ok(Reply::to(&format!(
            "{PATH}?revoke={id}&error=error-ops-reason-empty"
        )));
    }
    let target = format!("registration_code:{id}");
    let revoked = app
        .store
        .revoke_registration_code(id, app.clock.now())
        .await?;
    let outcome = if revoked { "ok" } else { "not live" };
    audit_op(
        app,
        ctx,
        Some(&op),
        ACTION,
        Some(&target),
        Some(reason),
        outcome,
    )
    .await;
    Ok(Reply::notice(
        PATH,
        if revoked { "revoked" } else { "revoke-gone" },
    ))
}

/// The form's fields as a query string.
fn query(f: &CodeForm) -> String {
    let e = crate::i18n::encode_query_value;
    format!(
        "practice={}&role={}&days={}&reason={}&error={}&field={}",
        e(&f.practice),
        e(&f.role),
        e(&f.days),
        e(&f.reason),
        e(&f.error),
        e(&f.field)
    )
}
