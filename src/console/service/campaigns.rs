//! Campaigns in the console (issue 32): the list and New campaign; a
//! campaign's page with its reach, the mail's preview, its figures per
//! wave (and their CSV); Start, Pause, Resume, Stop and Send a test
//! (support and admin, each with a reason, audited).

use super::{allowed, audit_op, page};
use crate::campaign::service::{self as campaigns, Spec};
use crate::console::{CampaignForm, CampaignLine, CampaignView, CampaignsPage, Console, WaveLine};
use crate::domain::{Action, EmailAddress};
use crate::flow::{Outcome, Stop};
use crate::state::AppState;
use crate::store::WaveFigures;
use crate::web::{Ctx, Reply};

/// The list's address, and a campaign's.
pub const PATH: &str = "/ops/campaigns";
pub const ONE: &str = "/ops/campaign";

fn time(at: i64) -> String {
    crate::mail::utc_time(at)
}

/// The Campaigns page.
pub async fn list(app: &AppState, ctx: &Ctx) -> Console<CampaignsPage> {
    page(app, ctx, Action::Read, "ops/campaigns", async {
        let sent = app.store.invitations_sent().await?;
        let campaigns = app
            .store
            .campaigns()
            .await?
            .into_iter()
            .map(|c| CampaignLine {
                sent: sent.get(&c.id).copied().unwrap_or(0),
                id: c.id,
                name: c.name,
                state: c.state,
                per_hour: c.per_hour,
                created: time(c.created_at),
            })
            .collect();
        let sources = app.store.sources().await?;
        Ok::<_, Stop>(CampaignsPage { campaigns, sources })
    })
    .await
}

fn wave_line(f: WaveFigures) -> WaveLine {
    WaveLine {
        wave: f.wave,
        sent: f.sent,
        bounced: f.bounced,
        unsubscribed: f.unsubscribed,
        started: f.started,
        finished_7: f.finished_7,
        finished_30: f.finished_30,
    }
}

/// A campaign's page.
pub async fn one(app: &AppState, ctx: &Ctx, id: &str) -> Console<Option<CampaignView>> {
    page(app, ctx, Action::Read, "ops/campaign", async {
        let Some(c) = (match id.trim().parse::<i64>() {
            Ok(id) => app.store.campaign(id).await?,
            Err(_) => None,
        }) else {
            return Ok::<_, Stop>(None);
        };
        let (addresses, accounts) = app.store.campaign_reach(&c).await?;
        let preview = campaigns::preview(app, &c).await?;
        let waves = app
            .store
            .campaign_figures(c.id)
            .await?
            .into_iter()
            .map(wave_line)
            .collect();
        Ok(Some(CampaignView {
            id: c.id,
            name: c.name,
            state: c.state,
            sources: c.sources,
            statuses: c.statuses,
            langs: c.langs,
            per_hour: c.per_hour,
            reminders: c.reminders,
            imported_before: c.imported_before.map(crate::mail::utc_day),
            created: time(c.created_at),
            started: c.started_at.map(time),
            ended: c.ended_at.map(time),
            addresses,
            accounts,
            preview,
            waves,
        }))
    })
    .await
}

/// `Create the draft`: a refusal goes back to the form with what was typed.
pub async fn create(app: &AppState, ctx: &Ctx, form: &CampaignForm) -> Outcome {
    const ACTION: &str = "ops/campaign_create";
    let op = allowed(app, ctx, Action::RunCampaign, ACTION).await?;
    let back = |field: &str, error: &str| {
        let kept = CampaignForm {
            field: field.into(),
            error: error.into(),
            ..form.clone()
        };
        Reply::to(&format!("{PATH}?{}", query(&kept)))
    };
    let reason = form.reason.trim();
    let spec = Spec {
        name: form.name.clone(),
        sources: [form.source.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        statuses: form.statuses.clone(),
        langs: form.langs.clone(),
        per_hour: form.per_hour.clone(),
        reminders: form.reminders.clone(),
        imported_before: form.imported_before.clone(),
    };
    if reason.is_empty() {
        return Ok(back("reason", "error-ops-reason-empty"));
    }
    let id = match campaigns::create(&app.store, &spec, Some(op.id), app.clock.now()).await? {
        Ok(id) => id,
        Err((field, error)) => {
            let field = if field == "sources" { "source" } else { field };
            return Ok(back(field, error));
        }
    };
    let target = format!("campaign:{id}");
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
    Ok(Reply::to(&format!("{ONE}?id={id}&notice=created")))
}

/// `Start`, `Pause`, `Resume` or `Stop` (with a reason).
pub async fn act(app: &AppState, ctx: &Ctx, id: &str, change: &str, reason: &str) -> Outcome {
    let action = match change {
        "start" => "ops/campaign_start",
        "pause" => "ops/campaign_pause",
        "resume" => "ops/campaign_resume",
        "stop" => "ops/campaign_stop",
        _ => "ops/campaign_change",
    };
    let op = allowed(app, ctx, Action::RunCampaign, action).await?;
    let Ok(id) = id.trim().parse::<i64>() else {
        return Ok(Reply::notice(PATH, "campaign-gone"));
    };
    let here = format!("{ONE}?id={id}");
    if reason.trim().is_empty() {
        return Ok(Reply::to(&format!(
            "{here}&error=error-ops-reason-empty&field=reason"
        )));
    }
    let now = app.clock.now();
    let done = match change {
        "start" => campaigns::start(&app.store, id, now).await?.is_some(),
        "pause" | "resume" | "stop" => campaigns::change(&app.store, id, change, now).await?,
        _ => false,
    };
    let target = format!("campaign:{id}");
    let outcome = if done { "ok" } else { "refused: state" };
    audit_op(
        app,
        ctx,
        Some(&op),
        action,
        Some(&target),
        Some(reason.trim()),
        outcome,
    )
    .await;
    let notice = if done {
        format!("campaign-{change}")
    } else {
        "campaign-unchanged".into()
    };
    Ok(Reply::to(&format!("{here}&notice={notice}")))
}

/// `Send a test` of the invitation to the address typed (with a reason).
pub async fn test(app: &AppState, ctx: &Ctx, id: &str, address: &str, reason: &str) -> Outcome {
    const ACTION: &str = "ops/campaign_test";
    let op = allowed(app, ctx, Action::RunCampaign, ACTION).await?;
    let Some(c) = (match id.trim().parse::<i64>() {
        Ok(id) => app.store.campaign(id).await?,
        Err(_) => None,
    }) else {
        return Ok(Reply::notice(PATH, "campaign-gone"));
    };
    let here = format!("{ONE}?id={}", c.id);
    let e = crate::i18n::encode_query_value;
    let to = match EmailAddress::parse(address) {
        Ok(a) => a,
        Err(err) => {
            return Ok(Reply::to(&format!(
                "{here}&error={}&field=address&address={}",
                err.0,
                e(address)
            )))
        }
    };
    if reason.trim().is_empty() {
        return Ok(Reply::to(&format!(
            "{here}&error=error-ops-reason-empty&field=test-reason&address={}",
            e(address)
        )));
    }
    campaigns::test_send(app, &c, to.as_str()).await?;
    let target = format!("campaign:{} to:{}", c.id, to.masked());
    audit_op(
        app,
        ctx,
        Some(&op),
        ACTION,
        Some(&target),
        Some(reason.trim()),
        "ok",
    )
    .await;
    Ok(Reply::to(&format!("{here}&notice=campaign-test")))
}

/// `Export CSV` of a campaign's figures per wave (every role that reads).
pub async fn figures_csv(app: &AppState, ctx: &Ctx, id: &str) -> axum::response::Response {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    let op = match allowed(app, ctx, Action::Export, "ops/campaign_export").await {
        Ok(op) => op,
        Err(Stop::Go(reply)) => {
            return (StatusCode::SEE_OTHER, [(header::LOCATION, reply.location)]).into_response()
        }
        Err(Stop::Fault { reference, .. }) => return super::audit::fault(&reference),
    };
    let Ok(id) = id.trim().parse::<i64>() else {
        return (StatusCode::NOT_FOUND, "no such campaign\n").into_response();
    };
    let figures = match app.store.campaign_figures(id).await {
        Ok(f) => f,
        Err(e) => return super::audit::fault(&crate::flow::database_fault(&e)),
    };
    let target = format!("campaign:{id}");
    audit_op(
        app,
        ctx,
        Some(&op),
        "ops/campaign_export",
        Some(&target),
        None,
        "ok",
    )
    .await;
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record([
        "wave",
        "sent",
        "bounced",
        "unsubscribed",
        "wizards_begun",
        "moved_within_7_days",
        "moved_within_30_days",
    ]);
    for f in figures {
        let cells = [
            f.wave,
            f.sent,
            f.bounced,
            f.unsubscribed,
            f.started,
            f.finished_7,
            f.finished_30,
        ];
        let _ = out.write_record(cells.iter().map(|n| n.to_string()));
    }
    let body = out.into_inner().unwrap_or_default();
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"campaign-{id}.csv\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// The form's fields as a query string.
fn query(f: &CampaignForm) -> String {
    let e = crate::i18n::encode_query_value;
    let mut q = format!(
        "name={}&source={}&per_hour={}&reminders={}&imported_before={}&reason={}&error={}&field={}",
        e(&f.name),
        e(&f.source),
        e(&f.per_hour),
        e(&f.reminders),
        e(&f.imported_before),
        e(&f.reason),
        e(&f.error),
        e(&f.field)
    );
    let statuses = if f.statuses.len() == crate::campaign::STATUSES.len() {
        "all".to_string()
    } else {
        f.statuses.join(" ")
    };
    q.push_str(&format!(
        "&statuses={}&langs={}",
        e(&statuses),
        e(&f.langs.join(" "))
    ));
    q
}
