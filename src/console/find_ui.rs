//! The Find an account page (`/ops/find?q=…`) and the Stuck page
//! (`/ops/stuck?minutes=…`).

use super::api::{
    load_found, load_shown, load_stuck, ops_end_sessions_url, ops_find_url,
    ops_reset_second_step_url, ops_support_code_url,
};
use super::table::{columns, row, DataTable};
use super::ui::{console_page, trail_table};
use super::{AccountStatus, CampaignMail, Console, Found, LoginCard, OldAccountCard, Shown, Stuck};
use crate::domain::Action;
use crate::flow::FieldError;
use crate::i18n::{t, tr, Msg};
use crate::ui::{accounts_table, load_once, page_title, reference_of, ErrorSummary, Field};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OpsFindPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|q| q.get("q").unwrap_or_default());
    let tin = move || query.with(|q| q.get("tin").unwrap_or_default());
    let notice = move || {
        query.with(|q| match q.get("notice").as_deref() {
            Some("sessions-ended") => Some(t("ops-notice-sessions-ended")),
            Some("second-step-reset") => Some(t("ops-notice-second-step-reset")),
            Some("support-code-consolidated") => Some(t("ops-notice-support-code-consolidated")),
            _ => None,
        })
    };
    // The field whose reason was left empty: `reason` (End all sessions) or
    // `code_reason` (Issue a support code).
    let reason_missing = move || {
        query.with(|q| {
            q.get("error")
                .filter(|e| ["reason", "code_reason", "reset_reason"].contains(&e.as_str()))
        })
    };
    let load = load_once(untrack(move || load_found(q(), tin())));
    view! {
        <Title text=page_title("ops-find-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let typed = q();
                    let missing = reason_missing();
                    let state = load.await.unwrap_or_else(|e| Console::Fault(reference_of(&e)));
                    console_page(state, "/ops/find", "ops-find-heading", notice(), move |me, f| {
                        found(typed, f, me.role.may(Action::EndSessions), missing.as_deref()).into_any()
                    })
                })
            }}
        </Suspense>
    }
}

/// Ending sessions and issuing codes are both support's (`may`).
fn found(typed: String, f: Found, may: bool, reason_missing: Option<&str>) -> impl IntoView {
    let nothing = f.searched && f.accounts.is_empty() && f.logins.is_empty();
    let for_tin = f
        .tin
        .clone()
        .map(|m| tr(&Msg::new("ops-find-for-tin").text("tin", m)));
    let errors: Vec<FieldError> = reason_missing
        .map(|field| FieldError::new(field, Msg::new("error-ops-reason-empty")))
        .into_iter()
        .collect();
    // A code is issued for one account found by its username: with several
    // (a TIN's), the operator finds the one first.
    let one = f.accounts.len() == 1;
    let code_error = reason_missing == Some("code_reason");
    let end_error = reason_missing
        .filter(|r| *r == "reason" || *r == "reset_reason")
        .map(str::to_string);
    view! {
        <ErrorSummary errors=errors />
        <form method="post" action=ops_find_url() class="search-form" novalidate=true>
            <Field id="q" label=t("ops-label-find") value=typed hint=t("ops-hint-find") maxlength=254 />
            <div class="buttons">
                <button type="submit" class="button button--primary">{t("ops-button-find")}</button>
            </div>
        </form>
        {for_tin.map(|s| view! { <p>{s}</p> })}
        {nothing.then(|| view! { <p role="status">{t("ops-find-none")}</p> })}
        {f.accounts.into_iter().map(|a| old_account(a, may && one, code_error)).collect_view()}
        {f.logins.into_iter().map(|l| login(l, may, end_error.clone())).collect_view()}
    }
}

fn status(s: AccountStatus) -> String {
    match s {
        AccountStatus::NotStarted => t("ops-status-not-started"),
        AccountStatus::InFlow { kind, step, seen } => tr(&Msg::new("ops-status-in-flow")
            .text("flow", kind)
            .text("step", step)
            .text("seen", seen)),
        AccountStatus::Consolidated { login, on } => tr(&Msg::new("ops-status-consolidated")
            .text("login", login)
            .text("on", on)),
    }
}

fn old_account(a: OldAccountCard, may_issue: bool, reason_missing: bool) -> impl IntoView {
    let heading = tr(&Msg::new("ops-old-account-heading").text("username", a.username.clone()));
    let consolidated = matches!(a.status, AccountStatus::Consolidated { .. });
    let live_code = match &a.support_code {
        Some((until, left)) => tr(&Msg::new("ops-support-code-live")
            .text("until", until.clone())
            .number("tries", *left)),
        None => t("ops-support-code-none"),
    };
    let campaign_mail = match a.campaign_mail {
        CampaignMail::Open => t("ops-campaign-mail-open"),
        CampaignMail::NoAddress => t("ops-campaign-mail-no-address"),
        CampaignMail::Unsubscribed(since) => {
            tr(&Msg::new("ops-campaign-mail-unsubscribed").text("since", since))
        }
        CampaignMail::Bouncing(since) => {
            tr(&Msg::new("ops-campaign-mail-bouncing").text("since", since))
        }
    };
    let issue = (may_issue && !consolidated).then(|| {
        let error = reason_missing.then(|| t("error-ops-reason-empty"));
        view! {
            <form method="post" action=ops_support_code_url() novalidate=true>
                <input type="hidden" name="account" value=a.username.clone() />
                <Field id="code_reason" label=t("ops-label-reason") hint=t("ops-hint-support-code") error=error maxlength=200 />
                <div class="buttons">
                    <button type="submit" class="button button--secondary">{t("ops-button-support-code")}</button>
                </div>
            </form>
        }
    });
    view! {
        <section class="card">
            <h2>{heading}</h2>
            <dl class="facts">
                <dt>{t("ops-col-source")}</dt><dd>{a.source}</dd>
                <dt>{t("ops-fact-practice")}</dt><dd>{a.practice}</dd>
                <dt>{t("ops-fact-role")}</dt><dd>{a.role}</dd>
                <dt>{t("ops-fact-tins")}</dt><dd>{a.masked_tins.join(", ")}</dd>
                <dt>{t("ops-fact-status")}</dt><dd>{status(a.status)}</dd>
                <dt>{t("ops-fact-support-code")}</dt><dd>{live_code}</dd>
                <dt>{t("ops-fact-campaign-mail")}</dt><dd>{campaign_mail}</dd>
            </dl>
            {issue}
            {trail_table(t("ops-trail-caption"), t("ops-trail-none"), a.trail)}
        </section>
    }
}

/// A login found: its facts, accounts and second steps; support ends its
/// sessions or resets its second step (`may_act`), each with a reason.
fn login(l: LoginCard, may_act: bool, reason_missing: Option<String>) -> impl IntoView {
    let heading = tr(&Msg::new("ops-login-heading").text("username", l.username.clone()));
    let error_for = |field: &str| {
        (reason_missing.as_deref() == Some(field)).then(|| t("error-ops-reason-empty"))
    };
    let (error, reset_error) = (error_for("reason"), error_for("reset_reason"));
    let has_second_step = !l.second_steps.is_empty();
    let methods = l
        .second_steps
        .iter()
        .map(|m| {
            let used = m.last_used.clone().unwrap_or_else(|| t("security-never"));
            tr(&Msg::new("ops-second-step-method")
                .text("name", m.name.clone())
                .text("kind", t(&format!("security-kind-{}", m.kind)))
                .text("added", m.added.clone())
                .text("used", used))
        })
        .collect::<Vec<_>>();
    view! {
        <section class="card">
            <h2>{heading}</h2>
            <dl class="facts">
                <dt>{t("ops-fact-email")}</dt><dd>{l.masked_email}</dd>
                <dt>{t("ops-fact-created")}</dt><dd>{l.created}</dd>
                <dt>{t("ops-fact-sessions")}</dt><dd>{l.sessions}</dd>
                <dt>{t("ops-fact-second-step")}</dt>
                <dd>
                    {if has_second_step {
                        view! {
                            <ul class="plain">{methods.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                            <p>{tr(&Msg::new("security-codes-left").number("left", l.backup_left))}</p>
                        }.into_any()
                    } else {
                        t("ops-second-step-none").into_any()
                    }}
                </dd>
            </dl>
            {accounts_table(&l.accounts)}
            {(may_act && has_second_step).then(|| view! {
                <h3>{t("ops-reset-heading")}</h3>
                <p>{t("ops-reset-text")}</p>
                <form method="post" action=ops_reset_second_step_url() novalidate=true>
                    <input type="hidden" name="login" value=l.id.to_string() />
                    <Field id="reset_reason" name="reason" label=t("ops-label-reason") error=reset_error maxlength=200 />
                    <div class="buttons">
                        <button type="submit" class="button button--secondary">{t("ops-button-reset-second-step")}</button>
                    </div>
                </form>
            })}
            {may_act.then(|| view! {
                <form method="post" action=ops_end_sessions_url() novalidate=true>
                    <input type="hidden" name="login" value=l.id.to_string() />
                    <Field id="reason" label=t("ops-label-reason") error=error maxlength=200 />
                    <div class="buttons">
                        <button type="submit" class="button button--secondary">{t("ops-button-end-sessions")}</button>
                    </div>
                </form>
            })}
        </section>
    }
}

/// The Stuck page: flows idle at a step for `minutes` or longer.
#[component]
pub fn OpsStuckPage() -> impl IntoView {
    let query = use_query_map();
    let minutes = move || {
        query.with(|q| {
            q.get("minutes")
                .and_then(|m| m.trim().parse::<i64>().ok())
                .unwrap_or(5)
        })
    };
    let load = load_once(untrack(move || load_stuck(minutes())));
    view! {
        <Title text=page_title("ops-stuck-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let state = load.await.unwrap_or_else(|e| Console::Fault(reference_of(&e)));
                    console_page(state, "/ops/stuck", "ops-stuck-heading", None, |_, s| stuck(s).into_any())
                })
            }}
        </Suspense>
    }
}

fn stuck(s: Stuck) -> impl IntoView {
    let none = s.groups.is_empty();
    let groups = s
        .groups
        .into_iter()
        .map(|g| {
            row(
                Some(g.kind),
                vec![
                    g.step,
                    g.flows.to_string(),
                    g.longest.to_string(),
                    g.shortest.to_string(),
                ],
            )
        })
        .collect();
    let flows = s
        .flows
        .into_iter()
        .map(|f| {
            row(
                None,
                vec![
                    f.kind,
                    f.step,
                    f.idle.to_string(),
                    f.age.to_string(),
                    f.account,
                ],
            )
        })
        .collect();
    view! {
        <p class="lead">{tr(&Msg::new("ops-stuck-lead").number("minutes", s.minutes))}</p>
        <form method="get" action="/ops/stuck" class="search-form" novalidate=true>
            <Field id="minutes" label=t("ops-label-minutes") value=s.minutes.to_string() hint=t("ops-hint-minutes")
                inputmode="numeric" maxlength=2 />
            <div class="buttons">
                <button type="submit" class="button button--primary">{t("ops-button-show")}</button>
            </div>
        </form>
        {(!none).then(|| view! {
            <DataTable caption=t("ops-stuck-groups-caption") columns=columns(&["ops-col-flow", "ops-col-step", "ops-col-flows", "ops-col-longest", "ops-col-shortest"])
                rows=groups />
            <DataTable caption=t("ops-stuck-flows-caption") columns=columns(&["ops-col-flow", "ops-col-step", "ops-col-idle", "ops-col-age", "ops-col-account"])
                rows=flows />
        })}
        {none.then(|| view! { <p role="status">{t("ops-stuck-none")}</p> })}
    }
}

/// `/ops/shown`: a code just issued, shown once to the operator who issued
/// it (the value is removed from the browser as the page is sent).
#[component]
pub fn OpsShownPage() -> impl IntoView {
    let load = load_once(load_shown());
    view! {
        <Title text=page_title("ops-shown-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let state = load.await.unwrap_or_else(|e| Console::Fault(reference_of(&e)));
                    console_page(state, "/ops/shown", "ops-shown-heading", None, |_, s| shown(s).into_any())
                })
            }}
        </Suspense>
    }
}

fn shown(s: Option<Shown>) -> impl IntoView {
    let Some(s) = s else {
        return view! { <p role="status">{t("ops-shown-gone")}</p> }.into_any();
    };
    let (lead, using, back, back_text) = if s.kind == "registration-code" {
        (
            "ops-shown-registration-lead",
            "ops-shown-registration-use",
            "/ops/codes".to_string(),
            t("ops-shown-to-codes"),
        )
    } else if s.kind == "enrol-link" {
        (
            "ops-shown-enrol-lead",
            "ops-shown-enrol-use",
            "/ops/operators".to_string(),
            t("ops-shown-to-operators"),
        )
    } else {
        (
            "ops-shown-support-lead",
            "ops-shown-support-use",
            format!(
                "/ops/find?q={}",
                crate::i18n::encode_query_value(&s.subject)
            ),
            tr(&Msg::new("ops-shown-back").text("account", s.subject.clone())),
        )
    };
    view! {
        <p class="lead">{tr(&Msg::new(lead).text("account", s.subject))}</p>
        <p class="shown-code"><strong>{s.secret}</strong></p>
        <p>{tr(&Msg::new(using).text("until", s.expires))}</p>
        <p><a href=back>{back_text}</a></p>
    }
    .into_any()
}
