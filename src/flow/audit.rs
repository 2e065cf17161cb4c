use crate::state::AppState;
use crate::store::{AuditEvent, FlowRow};
use crate::web::Ctx;
use tracing::{error, info};

/// Records an audit event of `flow` (none for a request outside a flow:
/// sign-in, refusals at the edge); a failure to record is logged, not shown.
pub async fn audit(app: &AppState, ctx: &Ctx, flow: Option<&FlowRow>, action: &str, outcome: &str) {
    let e = event(ctx, flow, action, outcome);
    told(&e, flow);
    if let Err(err) = app.store.audit(app.clock.now(), &e).await {
        error!(error = %err, action, "could not record audit event");
    }
}

/// The event [`audit`] records, for a write that carries it in its own
/// transaction (one commit for the step and its event); [`told`] once
/// written.
pub fn event<'a>(
    ctx: &'a Ctx,
    flow: Option<&'a FlowRow>,
    action: &'a str,
    outcome: &'a str,
) -> AuditEvent<'a> {
    AuditEvent {
        flow_id: flow.map(|f| f.id.as_str()),
        legacy_account_id: flow.and_then(|f| f.legacy_account_id),
        address: &ctx.address,
        action,
        outcome,
    }
}

/// The log line and the count of an audit event (of `flow`, if any).
pub fn told(e: &AuditEvent<'_>, flow: Option<&FlowRow>) {
    let kind = flow.map_or("wizard", |f| f.kind.as_str());
    info!(flow = e.flow_id, account = e.legacy_account_id, address = %e.address, action = e.action, outcome = e.outcome, "{} step", kind.replace('_', " "));
    counted(e.action, e.outcome);
}

/// Records a refusal at the edge (outside any flow), aggregated: one row
/// per address, action, outcome and minute with a count, and one log line
/// for the first of them, so a client repeating a refused request grows
/// neither the trail nor the log by a line per request.
pub async fn audit_refusal(app: &AppState, ctx: &Ctx, action: &str, outcome: &str) {
    audit_refusal_of(app, ctx, action, outcome, None).await
}

/// [`audit_refusal`] with what was refused (`target`: the unknown address
/// a request went to, cut short), kept with the first event of its minute.
pub async fn audit_refusal_of(
    app: &AppState,
    ctx: &Ctx,
    action: &str,
    outcome: &str,
    target: Option<&str>,
) {
    // Its own task: the count and the event are one transaction, which a
    // request dropped midway (a page's render cancelled, a client gone)
    // must not leave open on its connection (on SQLite it would hold the
    // write lock).
    counted(action, outcome);
    let (store, now) = (app.store.clone(), app.clock.now());
    let (address, act, out) = (ctx.address.clone(), action.to_string(), outcome.to_string());
    let target = target.map(str::to_string);
    let recorded = tokio::spawn(async move {
        store
            .audit_refusal(now, &address, &act, &out, target.as_deref())
            .await
    })
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

/// Counts an audited step in the metrics (`portal_steps_total`, by action
/// and outcome; server::metrics). Digits in an outcome read as `n` (`ok: 3
/// ended` is `ok: n ended`), so that counts in outcomes add no labels.
pub fn counted(action: &str, outcome: &str) {
    metrics::counter!(
        "portal_steps_total",
        "action" => action.to_string(),
        "outcome" => outcome_label(outcome)
    )
    .increment(1);
}

fn outcome_label(outcome: &str) -> String {
    let mut out = String::with_capacity(outcome.len());
    let mut in_number = false;
    for c in outcome.chars().take(60) {
        if c.is_ascii_digit() {
            if !in_number {
                out.push('n');
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn outcome_labels_have_no_numbers() {
        assert_eq!(super::outcome_label("ok: 31 ended"), "ok: n ended");
        assert_eq!(
            super::outcome_label("found 1 old, 20 logins"),
            "found n old, n logins"
        );
        assert_eq!(super::outcome_label("refused: busy"), "refused: busy");
    }
}
