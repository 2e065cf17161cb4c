//! Campaigns in the console (issue 32): the list with New campaign
//! (`/ops/campaigns`), and a campaign's page (`/ops/campaign?id=N`): what
//! it picks and how many it reaches, the mail as providers read it, Start,
//! Pause, Resume and Stop, Send a test, and the figures per wave with
//! their CSV. Plain forms, no JavaScript needed.

use super::api::{
    load_campaign, load_campaigns, ops_campaign_change_url, ops_campaign_create_url,
    ops_campaign_test_url,
};
use super::table::{columns, row, DataTable};
use super::ui::console_page;
use super::{CampaignForm, CampaignView, CampaignsPage, Console};
use crate::domain::Action;
use crate::flow::FieldError;
use crate::i18n::{t, tr, Msg};
use crate::ui::{load_once, page_title, reference_of, ErrorSummary, Field};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OpsCampaignsPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || {
        query.with(|q| {
            (q.get("notice").as_deref() == Some("campaign-gone"))
                .then(|| t("ops-notice-campaign-gone"))
        })
    };
    let kept = move || {
        query.with(|q| {
            let get = |k: &str| q.get(k).unwrap_or_default();
            CampaignForm {
                name: get("name"),
                source: get("source"),
                statuses: vec![get("statuses")],
                langs: vec![get("langs")],
                per_hour: get("per_hour"),
                reminders: get("reminders"),
                imported_before: get("imported_before"),
                reason: get("reason"),
                error: super::ui::error_key(q.get("error")),
                field: get("field"),
            }
        })
    };
    let load = load_once(load_campaigns());
    view! {
        <Title text=page_title("ops-campaigns-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let state = load.await.unwrap_or_else(|e| Console::Fault(reference_of(&e)));
                    let form = kept();
                    console_page(state, "/ops/campaigns", "ops-campaigns-heading", notice(), move |me, c| {
                        campaigns(c, me.role.may(Action::RunCampaign), form).into_any()
                    })
                })
            }}
        </Suspense>
    }
}

/// A `<select>` of (value, label) with `chosen` selected.
fn select(
    id: &'static str,
    label: String,
    options: Vec<(String, String)>,
    chosen: &str,
    error: Option<String>,
) -> impl IntoView {
    let chosen = chosen.to_string();
    view! {
        <div class=if error.is_some() { "field field--error" } else { "field" }>
            <label for=id>{label}</label>
            {error.clone().map(|e| view! { <p class="field-error" id=format!("{id}-error")>{e}</p> })}
            <select id=id name=id aria-describedby=error.as_ref().map(|_| format!("{id}-error"))>
                {options.into_iter().map(|(value, label)| {
                    let selected = value == chosen;
                    view! { <option value=value selected=selected>{label}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

fn campaigns(c: CampaignsPage, may: bool, form: CampaignForm) -> impl IntoView {
    let error_of =
        |field: &str| (form.field == field && !form.error.is_empty()).then(|| t(&form.error));
    let mut errors = Vec::new();
    if !form.error.is_empty() && !form.field.is_empty() {
        let id = if form.field == "reason" {
            "campaign-reason"
        } else {
            form.field.as_str()
        };
        errors.push(FieldError::new(id, Msg::new(&form.error)));
    }
    let create = may.then(|| {
        let mut sources = vec![(String::new(), t("ops-campaign-every-portal"))];
        sources.extend(c.sources.iter().map(|s| (s.clone(), s.clone())));
        let statuses = ["all", "not_started", "in_wizard", "stuck"]
            .iter()
            .map(|s| (s.to_string(), t(&format!("ops-campaign-status-{s}"))))
            .collect();
        let langs = ["en es", "en", "es"]
            .iter()
            .map(|l| (l.to_string(), t(&format!("ops-campaign-langs-{}", l.replace(' ', "-")))))
            .collect();
        view! {
            <h2>{t("ops-campaign-new-heading")}</h2>
            <form method="post" action=ops_campaign_create_url() class="search-form" novalidate=true>
                <Field id="name" label=t("ops-label-campaign-name") value=form.name.clone() error=error_of("name")
                    maxlength=100 autocomplete="off" />
                {select("source", t("ops-label-source"), sources, &form.source, error_of("source"))}
                {select("statuses", t("ops-label-statuses"), statuses, form.statuses.first().map_or("all", |s| s.as_str()), error_of("statuses"))}
                {select("langs", t("ops-label-langs"), langs, form.langs.first().map_or("en es", |s| s.as_str()), error_of("langs"))}
                <Field id="per_hour" label=t("ops-label-per-hour") value=form.per_hour.clone() hint=t("ops-hint-per-hour")
                    inputmode="numeric" error=error_of("per_hour") maxlength=9 autocomplete="off" />
                <Field id="reminders" label=t("ops-label-reminders") value=form.reminders.clone() hint=t("ops-hint-reminders")
                    error=error_of("reminders") maxlength=40 autocomplete="off" />
                <Field id="imported_before" label=t("ops-label-imported-before") value=form.imported_before.clone()
                    hint=t("ops-hint-imported-before") error=error_of("imported_before") maxlength=10 autocomplete="off" />
                <Field id="campaign-reason" name="reason" label=t("ops-label-reason") value=form.reason.clone() error=error_of("reason") maxlength=200 />
                <div class="buttons">
                    <button type="submit" class="button button--primary">{t("ops-button-create-campaign")}</button>
                </div>
            </form>
        }
    });
    let rows = c
        .campaigns
        .into_iter()
        .map(|l| {
            view! {
                <tr>
                    <th scope="row"><a href=format!("/ops/campaign?id={}", l.id)>{l.name}</a></th>
                    <td>{t(&format!("ops-campaign-state-{}", l.state))}</td>
                    <td>{l.per_hour}</td>
                    <td>{l.sent}</td>
                    <td>{l.created}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    view! {
        <p class="lead">{t("ops-campaigns-lead")}</p>
        <ErrorSummary errors=errors />
        <DataTable caption=t("ops-campaigns-caption")
            columns=columns(&["ops-col-campaign", "ops-fact-status", "ops-label-per-hour", "ops-col-invited", "ops-fact-created"])
            rows=rows empty=t("ops-campaigns-none") />
        {create}
    }
}

#[component]
pub fn OpsCampaignPage() -> impl IntoView {
    let query = use_query_map();
    let id = query.with_untracked(|q| q.get("id").unwrap_or_default());
    let notice = move || {
        query.with(|q| {
            q.get("notice")
                .filter(|n| {
                    [
                        "created",
                        "campaign-start",
                        "campaign-pause",
                        "campaign-resume",
                        "campaign-stop",
                        "campaign-test",
                        "campaign-unchanged",
                    ]
                    .contains(&n.as_str())
                })
                .map(|n| t(&format!("ops-notice-{}", n.trim_start_matches("campaign-"))))
        })
    };
    let kept = move || {
        query.with(|q| {
            (
                q.get("field").unwrap_or_default(),
                super::ui::error_key(q.get("error")),
                q.get("address").unwrap_or_default(),
            )
        })
    };
    let load = load_once(load_campaign(id));
    view! {
        <Title text=page_title("ops-campaign-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let state = load.await.unwrap_or_else(|e| Console::Fault(reference_of(&e)));
                    let kept = kept();
                    console_page(state, "/ops/campaigns", "ops-campaign-heading", notice(), move |me, c| {
                        match c {
                            Some(c) => campaign(c, me.role.may(Action::RunCampaign), kept).into_any(),
                            None => view! { <p>{t("ops-notice-campaign-gone")}</p> }.into_any(),
                        }
                    })
                })
            }}
        </Suspense>
    }
}

fn campaign(
    c: CampaignView,
    may: bool,
    (field, error, address): (String, String, String),
) -> impl IntoView {
    let error_of = |f: &str| (field == f && !error.is_empty()).then(|| t(&error));
    let mut errors = Vec::new();
    if !error.is_empty() {
        // The field's id: the reason of a change or of a test, or the address.
        let id = if field == "reason" {
            String::from("change-reason")
        } else if field.ends_with("reason") {
            field.clone()
        } else {
            String::from("address")
        };
        let id = id.as_str();
        errors.push(FieldError::new(id, Msg::new(&error)));
    }
    let sources = if c.sources.is_empty() {
        t("ops-campaign-every-portal")
    } else {
        c.sources.join(", ")
    };
    let statuses = c
        .statuses
        .iter()
        .map(|s| t(&format!("ops-campaign-status-{s}")))
        .collect::<Vec<_>>()
        .join(", ");
    let langs = t(&format!("ops-campaign-langs-{}", c.langs.join("-")));
    let reminders = if c.reminders.is_empty() {
        t("ops-campaign-no-reminders")
    } else {
        tr(&Msg::new("ops-campaign-reminder-days").text(
            "days",
            c.reminders
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ))
    };
    let changes: &[&str] = match c.state.as_str() {
        "draft" => &["start", "stop"],
        "running" => &["pause", "stop"],
        "paused" => &["resume", "stop"],
        _ => &[],
    };
    let act = (may && !changes.is_empty()).then(|| {
        let reason_error = error_of("reason");
        view! {
            <form method="post" action=ops_campaign_change_url() class="inline-form" novalidate=true>
                <input type="hidden" name="campaign" value=c.id.to_string() />
                <label for="change-reason">{t("ops-label-reason")}</label>
                {reason_error.clone().map(|e| view! { <p class="field-error" id="change-reason-error">{e}</p> })}
                <input id="change-reason" name="reason" type="text" maxlength="200" required=true
                    aria-invalid=reason_error.as_ref().map(|_| "true")
                    aria-describedby=reason_error.as_ref().map(|_| "change-reason-error") />
                {changes.iter().map(|ch| view! {
                    <button type="submit" name="change" value=*ch
                        class=if *ch == "start" || *ch == "resume" { "button button--primary" } else { "button button--secondary" }>
                        {t(&format!("ops-button-campaign-{ch}"))}
                    </button>
                }).collect_view()}
            </form>
        }
    });
    let preview = match c.preview {
        Some((subject, body)) => view! {
            <figure class="mail-preview">
                <figcaption>{tr(&Msg::new("ops-campaign-preview-subject").text("subject", subject))}</figcaption>
                <pre>{body}</pre>
            </figure>
        }
        .into_any(),
        None => view! { <p>{t("ops-campaign-preview-none")}</p> }.into_any(),
    };
    let test = may.then(|| {
        view! {
            <h2>{t("ops-campaign-test-heading")}</h2>
            <p>{t("ops-campaign-test-text")}</p>
            <form method="post" action=ops_campaign_test_url() class="search-form" novalidate=true>
                <input type="hidden" name="campaign" value=c.id.to_string() />
                <Field id="address" label=t("ops-label-test-address") kind="email" value=address.clone()
                    error=error_of("address") autocomplete="email" />
                <Field id="test-reason" name="reason" label=t("ops-label-reason") error=error_of("test-reason") maxlength=200 />
                <div class="buttons">
                    <button type="submit" class="button button--secondary">{t("ops-button-campaign-test")}</button>
                </div>
            </form>
        }
    });
    let waves = c
        .waves
        .iter()
        .map(|w| {
            let name = if w.wave == 1 {
                t("ops-campaign-wave-invitation")
            } else {
                tr(&Msg::new("ops-campaign-wave-reminder").number("n", w.wave - 1))
            };
            row(
                Some(name),
                [
                    w.sent,
                    w.bounced,
                    w.unsubscribed,
                    w.started,
                    w.finished_7,
                    w.finished_30,
                ]
                .iter()
                .map(i64::to_string)
                .collect(),
            )
        })
        .collect();
    view! {
        <h2>{c.name.clone()}</h2>
        <ErrorSummary errors=errors />
        <dl class="facts">
            <dt>{t("ops-fact-status")}</dt><dd>{t(&format!("ops-campaign-state-{}", c.state))}</dd>
            <dt>{t("ops-label-source")}</dt><dd>{sources}</dd>
            <dt>{t("ops-label-statuses")}</dt><dd>{statuses}</dd>
            <dt>{t("ops-label-langs")}</dt><dd>{langs}</dd>
            <dt>{t("ops-label-per-hour")}</dt><dd>{c.per_hour}</dd>
            <dt>{t("ops-label-reminders")}</dt><dd>{reminders}</dd>
            <dt>{t("ops-label-imported-before")}</dt>
            <dd>{c.imported_before.clone().unwrap_or_else(|| t("ops-campaign-imported-any"))}</dd>
            <dt>{t("ops-fact-created")}</dt><dd>{c.created}</dd>
            <dt>{t("ops-campaign-started")}</dt><dd>{c.started.unwrap_or_else(|| t("ops-never"))}</dd>
            {c.ended.map(|e| view! { <dt>{t("ops-campaign-ended")}</dt><dd>{e}</dd> })}
        </dl>
        <p>{tr(&Msg::new("ops-campaign-reach").number("addresses", c.addresses).number("accounts", c.accounts))}</p>
        {act}
        <h2>{t("ops-campaign-figures-heading")}</h2>
        <DataTable caption=t("ops-campaign-figures-heading") caption_hidden=true
            columns=columns(&["ops-col-wave", "ops-col-sent", "ops-col-bounced", "ops-col-unsubscribed",
                "ops-col-begun", "ops-col-moved-7", "ops-col-moved-30"])
            rows=waves empty=t("ops-campaign-figures-none") />
        <p><a class="button button--secondary" href=format!("/ops/campaign.csv?id={}", c.id) download="">{t("ops-button-export")}</a></p>
        <h2>{t("ops-campaign-preview-heading")}</h2>
        <p>{t("ops-campaign-preview-text")}</p>
        {preview}
        {test}
    }
}
