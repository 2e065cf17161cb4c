//! Support verification codes (issue 17): support issues one for an old
//! account whose provider can answer neither the question nor the PIN,
//! after checking the caller by the insurer's own procedure. The code is
//! shown once, on `/ops/shown`, to the operator who issued it.

use super::{allowed, page, record};
use crate::auth::{self, sealed};
use crate::console::{Console, Shown};
use crate::domain::{username_key, Action};
use crate::flow::limits::SUPPORT_CODE_SECS;
use crate::flow::{Outcome, Stop};
use crate::state::AppState;
use crate::store::{Operator, OperatorEvent};
use crate::web::{Ctx, Reply};

/// What the shown-once cookie is sealed for.
const SHOWN_PURPOSE: &str = "console value shown once, v1";

/// `Issue a support code` on Find an account (support and admin, with a
/// reason). A new code revokes the account's code before it.
pub async fn issue_support_code(app: &AppState, ctx: &Ctx, account: &str, reason: &str) -> Outcome {
    const ACTION: &str = "ops/support_code";
    let op = allowed(app, ctx, Action::IssueCode, ACTION).await?;
    let Some(a) = app
        .store
        .legacy_by_username_key(&username_key(account.trim()))
        .await?
    else {
        return Ok(Reply::to("/ops/find"));
    };
    let back = format!(
        "/ops/find?q={}",
        crate::i18n::encode_query_value(&a.username)
    );
    let reason = reason.trim();
    if reason.is_empty() {
        return Ok(Reply::to(&format!("{back}&error=code_reason")));
    }
    let target = format!("account:{}", a.username);
    let mut e = OperatorEvent {
        operator_id: Some(op.id),
        legacy_account_id: Some(a.id),
        address: &ctx.address,
        action: ACTION,
        target: Some(&target),
        reason: Some(reason),
        outcome: "refused: consolidated",
    };
    if a.consolidated_into.is_some() {
        record(app, Some(&op), e, false).await;
        return Ok(Reply::to(&format!(
            "{back}&notice=support-code-consolidated"
        )));
    }
    let code = auth::random_support_code();
    let now = app.clock.now();
    let expires = now + SUPPORT_CODE_SECS;
    app.store
        .insert_support_code(
            a.id,
            &auth::support_code_hash(&app.key, a.id, &code),
            op.id,
            now,
            expires,
        )
        .await?;
    e.outcome = "ok";
    record(app, Some(&op), e, false).await;
    let shown = Shown {
        kind: "support-code".into(),
        subject: a.username.clone(),
        secret: code.printed(),
        expires: crate::mail::utc_time(expires),
    };
    Ok(show_once(app, ctx, &op, &shown))
}

/// To `/ops/shown`, which shows `shown` once to `op`: sealed in a cookie
/// sent only to `/ops`, for a few minutes at most.
pub(super) fn show_once(app: &AppState, ctx: &Ctx, op: &Operator, shown: &Shown) -> Reply {
    // Fields are separated by tabs; one typed into a practice's name reads
    // as a space.
    let text = [
        op.username.as_str(),
        &shown.kind,
        &shown.subject,
        &shown.secret,
        &shown.expires,
    ]
    .map(|f| f.replace('\t', " "))
    .join("\t");
    let sealed = sealed::seal(&app.key, SHOWN_PURPOSE, text.as_bytes());
    Reply::to("/ops/shown").with_cookie(auth::shown_cookie(&sealed, auth::SHOWN_SECS, ctx.secure))
}

/// The `/ops/shown` page: what the shown-once cookie holds, if it was
/// sealed here for the operator signed in. The caller removes the cookie
/// ([`forget_shown`]), so a reload shows nothing.
pub async fn shown(app: &AppState, ctx: &Ctx) -> Console<Option<Shown>> {
    let opened = ctx
        .shown
        .as_deref()
        .and_then(|s| sealed::open(&app.key, SHOWN_PURPOSE, s))
        .and_then(|b| String::from_utf8(b).ok());
    let state = page(app, ctx, Action::Read, "ops/shown", async {
        Ok::<_, Stop>(opened.as_deref().and_then(|s| {
            let f: Vec<&str> = s.split('\t').collect();
            let [who, kind, subject, secret, expires] = f[..] else {
                return None;
            };
            Some((
                who.to_string(),
                Shown {
                    kind: kind.into(),
                    subject: subject.into(),
                    secret: secret.into(),
                    expires: expires.into(),
                },
            ))
        }))
    })
    .await;
    match state {
        // Only to the operator who asked for it.
        Console::Page(m, data) => {
            let data = data.filter(|(who, _)| *who == m.username).map(|(_, s)| s);
            Console::Page(m, data)
        }
        Console::SignedOut => Console::SignedOut,
        Console::Refused => Console::Refused,
        Console::Fault(r) => Console::Fault(r),
    }
}

/// The `Set-Cookie` that removes the shown-once value, if the request
/// carried one.
pub fn forget_shown(ctx: &Ctx) -> Option<String> {
    ctx.shown
        .as_ref()
        .map(|_| auth::shown_cookie("", 0, ctx.secure))
}
