//! The Closing dates page (issue 32): every old portal with its accounts
//! not moved yet and its closing date; Set a closing date and Remove the
//! date (admin, each with a reason, audited).

use super::{allowed, audit_op, page};
use crate::closing::days_left;
use crate::console::{ClosingForm, ClosingLine, Closings, Console};
use crate::domain::Action;
use crate::flow::{Outcome, Stop};
use crate::state::AppState;
use crate::store::Closing;
use crate::web::{Ctx, Reply};

/// The page's address.
pub const PATH: &str = "/ops/closing";

/// The longest name shown to providers.
const NAME_MOST: usize = 80;

/// The Closing dates page.
pub async fn closings(app: &AppState, ctx: &Ctx) -> Console<Closings> {
    page(app, ctx, Action::Read, "ops/closing", async {
        let (figures, dates) = tokio::try_join!(
            async { Ok::<_, Stop>(app.store.progress_by_source().await?) },
            async { Ok(app.store.closings().await?) },
        )?;
        let now = app.clock.now();
        let mut portals: Vec<ClosingLine> = figures
            .into_iter()
            .map(|f| {
                let date = dates.iter().find(|c| c.source == f.source);
                ClosingLine {
                    name: date.map(|c| c.name.clone()),
                    closes: date.map(|c| (c.closes_on.clone(), days_left(c.closes_at, now))),
                    refuse_after: date.is_some_and(|c| c.refuse_after),
                    not_moved: f.loaded - f.consolidated,
                    loaded: f.loaded,
                    source: f.source,
                }
            })
            .collect();
        // Soonest first; the portals with no date after, by name.
        portals.sort_by(|a, b| {
            let key = |l: &ClosingLine| (l.closes.is_none(), l.closes.clone(), l.source.clone());
            key(a).cmp(&key(b))
        });
        Ok(Closings { portals })
    })
    .await
}

/// `Save the closing date`: an old portal listed, the name shown to
/// providers (its own name when empty), the last day, what happens after
/// it, and a reason. A refusal goes back to the form with what was typed.
pub async fn set(app: &AppState, ctx: &Ctx, form: &ClosingForm) -> Outcome {
    const ACTION: &str = "ops/closing_set";
    let op = allowed(app, ctx, Action::SetClosing, ACTION).await?;
    let back = |field: &str, error: &str| {
        let kept = ClosingForm {
            field: field.into(),
            error: error.into(),
            ..form.clone()
        };
        Reply::to(&format!("{PATH}?{}", query(&kept)))
    };
    let source = form.source.trim();
    if !app.store.sources().await?.iter().any(|s| s == source) {
        return Ok(back("source", "error-ops-source"));
    }
    let name = match form.name.trim() {
        "" => source,
        n if n.chars().count() > NAME_MOST || n.chars().any(char::is_control) => {
            return Ok(back("name", "error-ops-portal-name"))
        }
        n => n,
    };
    let closes_on = form.closes_on.trim();
    let Some(closes_at) = crate::closing::end_of_day(closes_on) else {
        return Ok(back("closes_on", "error-ops-closes-on"));
    };
    let refuse_after = match form.after.as_str() {
        "lookup" => false,
        "refuse" => true,
        _ => return Ok(back("after", "error-ops-after-closing")),
    };
    let reason = form.reason.trim();
    if reason.is_empty() {
        return Ok(back("reason", "error-ops-reason-empty"));
    }
    let closing = Closing {
        source: source.into(),
        name: name.into(),
        closes_on: closes_on.into(),
        closes_at,
        refuse_after,
        set_at: app.clock.now(),
    };
    app.store.set_closing(&closing, Some(op.id)).await?;
    app.closings.forget();
    let target = format!("source:{source}");
    let outcome = format!(
        "ok: {closes_on}, {}",
        if refuse_after {
            "refuse after"
        } else {
            "lookup after"
        }
    );
    audit_op(
        app,
        ctx,
        Some(&op),
        ACTION,
        Some(&target),
        Some(reason),
        &outcome,
    )
    .await;
    Ok(Reply::notice(PATH, "closing-set"))
}

/// `Remove the date` of an old portal (admin, with a reason).
pub async fn remove(app: &AppState, ctx: &Ctx, source: &str, reason: &str) -> Outcome {
    const ACTION: &str = "ops/closing_remove";
    let op = allowed(app, ctx, Action::SetClosing, ACTION).await?;
    let reason = reason.trim();
    if reason.is_empty() {
        let e = crate::i18n::encode_query_value;
        return Ok(Reply::to(&format!(
            "{PATH}?remove={}&error=error-ops-reason-empty",
            e(source)
        )));
    }
    let removed = app.store.remove_closing(source).await?;
    app.closings.forget();
    let target = format!("source:{source}");
    let outcome = if removed { "ok" } else { "no date" };
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
        if removed {
            "closing-removed"
        } else {
            "closing-gone"
        },
    ))
}

/// The form's fields as a query string.
fn query(f: &ClosingForm) -> String {
    let e = crate::i18n::encode_query_value;
    format!(
        "source={}&name={}&closes_on={}&after={}&reason={}&error={}&field={}",
        e(&f.source),
        e(&f.name),
        e(&f.closes_on),
        e(&f.after),
        e(&f.reason),
        e(&f.error),
        e(&f.field)
    )
}
