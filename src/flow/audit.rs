use crate::state::AppState;
use crate::store::{AuditEvent, FlowRow};
use crate::web::Ctx;
use tracing::{error, info};

/// Records an audit event of `flow` (none for a request outside a flow:
/// sign-in, refusals at the edge); a failure to record is logged, not shown.
pub async fn audit(app: &AppState, ctx: &Ctx, flow: Option<&FlowRow>, action: &str, outcome: &str) {
    let e = AuditEvent {
        flow_id: flow.map(|f| f.id.as_str()),
        legacy_account_id: flow.and_then(|f| f.legacy_account_id),
        address: &ctx.address,
        action,
        outcome,
    };
    let kind = flow.map_or("wizard", |f| f.kind.as_str());
    info!(flow = e.flow_id, account = e.legacy_account_id, address = %ctx.address, action, outcome, "{} step", kind.replace('_', " "));
    if let Err(err) = app.store.audit(app.clock.now(), &e).await {
        error!(error = %err, action, "could not record audit event");
    }
}

/// Records a refusal at the edge (outside any flow), aggregated: one row
/// per address, action, outcome and minute with a count, and one log line
/// for the first of them, so a client repeating a refused request grows
/// neither the trail nor the log by a line per request.
pub async fn audit_refusal(app: &AppState, ctx: &Ctx, action: &str, outcome: &str) {
    // Its own task: the count and the event are one transaction, which a
    // request dropped midway (a page's render cancelled, a client gone)
    // must not leave open on its connection (on SQLite it would hold the
    // write lock).
    let (store, now) = (app.store.clone(), app.clock.now());
    let (address, act, out) = (ctx.address.clone(), action.to_string(), outcome.to_string());
    let recorded =
        tokio::spawn(async move { store.audit_refusal(now, &address, &act, &out).await })
            .await
            .unwrap_or(Ok(0));
    match recorded {
        Ok(1) => {
            info!(address = %ctx.address, action, outcome, "refused (repeats this minute are counted, not logged)")
        }
        Ok(_) => {}
        Err(err) => error!(error = %err, action, "could not record audit event"),
    }
}
