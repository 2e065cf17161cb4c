//! The Cases page (`/ops/cases`): the "This wasn't me" reports, open ones
//! first, each with the frozen login, its old accounts, when and from where
//! it was reported, the consolidation's trail (every step of the wizards
//! that consolidated it), a link to Find, and (support and admin)
//! Undo the consolidation / Lift the freeze with a reason.

use super::api::{load_cases, ops_decide_case_url};
use super::ui::{console_page, trail_table};
use super::{CaseLine, CasesPage, Console};
use crate::domain::Action;
use crate::flow::FieldError;
use crate::i18n::{encode_query_value, t, tr, Msg};
use crate::ui::{load_once, page_title, reference_of, ErrorSummary};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OpsCasesPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || {
        query.with(|q| {
            q.get("notice")
                .filter(|n| {
                    [
                        "case-undone",
                        "case-lifted",
                        "case-decided",
                        "case-too-late",
                        "case-gone",
                        "not-allowed",
                    ]
                    .contains(&n.as_str())
                })
                .map(|n| t(&format!("ops-notice-{n}")))
        })
    };
    // The case whose decision was sent without a reason.
    let reason_missing = move || {
        query.with(|q| {
            q.get("case")
                .filter(|_| q.get("error").as_deref() == Some("reason"))
                .and_then(|c| c.parse::<i64>().ok())
        })
    };
    let load = load_once(load_cases());
    view! {
        <Title text=page_title("ops-cases-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let state = load.await.unwrap_or_else(|e| Console::Fault(reference_of(&e)));
                    let missing = reason_missing();
                    console_page(state, "/ops/cases", "ops-cases-heading", notice(), move |me, c| {
                        cases(c, me.role.may(Action::DecideCase), missing).into_any()
                    })
                })
            }}
        </Suspense>
    }
}

fn cases(c: CasesPage, may_decide: bool, missing: Option<i64>) -> impl IntoView {
    let errors = missing
        .map(|id| {
            vec![FieldError::new(
                &format!("reason-{id}"),
                Msg::new("error-ops-reason-empty"),
            )]
        })
        .unwrap_or_default();
    view! {
        <p class="lead">{t("ops-cases-lead")}</p>
        <ErrorSummary errors=errors />
        {if c.cases.is_empty() {
            view! { <p role="status">{t("ops-cases-none")}</p> }.into_any()
        } else {
            c.cases.into_iter().map(|case| one_case(case, may_decide, missing)).collect_view().into_any()
        }}
    }
}

fn one_case(c: CaseLine, may_decide: bool, missing: Option<i64>) -> impl IntoView {
    let open = c.status == "open";
    let heading = tr(&Msg::new("ops-case-heading")
        .text("reference", c.reference.clone())
        .text("username", c.username.clone()));
    let status = if open {
        t("ops-case-open")
    } else {
        tr(&Msg::new(&format!("ops-case-{}", c.status)).text("when", c.decided.clone()))
    };
    let find = format!("/ops/find?q={}", encode_query_value(&c.username));
    let id = format!("reason-{}", c.id);
    let error = (missing == Some(c.id)).then(|| t("error-ops-reason-empty"));
    let invalid = error.is_some();
    let trail = c.trail;
    view! {
        <section class="case" aria-labelledby=format!("case-{}", c.id)>
            <h2 id=format!("case-{}", c.id)>{heading}</h2>
            <dl class="facts">
                <dt>{t("ops-case-status")}</dt><dd>{status}</dd>
                <dt>{t("ops-case-reported")}</dt><dd>{tr(&Msg::new("ops-case-reported-at").text("when", c.opened).text("address", c.address))}</dd>
                <dt>{t("ops-case-email")}</dt><dd>{c.email}</dd>
                <dt>{t("ops-case-accounts")}</dt>
                <dd>{if c.accounts.is_empty() {
                    t("ops-case-no-accounts")
                } else {
                    c.accounts.iter().map(|(u, p)| format!("{p} ({u})")).collect::<Vec<_>>().join(", ")
                }}</dd>
            </dl>
            {open.then(|| trail_table(t("ops-case-trail-caption"), t("ops-case-trail-none"), trail))}
            <p><a href=find>{t("ops-case-trail")}</a></p>
            {(open && may_decide).then(|| view! {
                <form method="post" action=ops_decide_case_url() novalidate=true>
                    <input type="hidden" name="case" value=c.id.to_string() />
                    <div class=if invalid { "field field--error" } else { "field" }>
                        <label for=id.clone()>{t("ops-label-reason")}</label>
                        {error.map(|e| view! { <p class="field-error" id=format!("{id}-error")>{e}</p> })}
                        <input id=id.clone() name="reason" type="text" maxlength="200" required=true
                            aria-invalid=invalid.then_some("true")
                            aria-describedby=invalid.then(|| format!("{id}-error")) />
                    </div>
                    <div class="buttons">
                        <button type="submit" name="decision" value="undo" class="button button--primary">{t("ops-button-undo")}</button>
                        <button type="submit" name="decision" value="lift" class="button button--secondary">{t("ops-button-lift")}</button>
                    </div>
                </form>
            })}
        </section>
    }
}
