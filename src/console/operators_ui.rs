//! The Operators page (`/ops/operators`, admin): Add an operator (the
//! enrolment link is shown once), and per operator Disable or Enable and
//! Reset TOTP, with a reason.

use super::api::{load_operators, ops_operator_add_url, ops_operator_change_url};
use super::table::{columns, DataTable};
use super::ui::console_page;
use super::{Console, OperatorCard, Operators};
use crate::domain::Role;
use crate::flow::FieldError;
use crate::i18n::{t, Msg};
use crate::ui::{load_once, page_title, reference_of, ErrorSummary, Field};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// What Add kept after a refusal, or the row whose change was refused.
#[derive(Clone, Default)]
struct Kept {
    username: String,
    role: String,
    reason: String,
    field: String,
    error: String,
    operator: Option<i64>,
}

#[component]
pub fn OpsOperatorsPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || {
        query.with(|q| {
            q.get("notice")
                .filter(|n| {
                    [
                        "disabled",
                        "enabled",
                        "unchanged",
                        "not-oneself",
                        "operator-gone",
                    ]
                    .contains(&n.as_str())
                })
                .map(|n| t(&format!("ops-notice-operator-{n}")))
        })
    };
    let kept = move || {
        query.with(|q| Kept {
            username: q.get("username").unwrap_or_default(),
            role: q.get("role").unwrap_or_default(),
            reason: q.get("reason").unwrap_or_default(),
            field: q.get("field").unwrap_or_default(),
            error: super::ui::error_key(q.get("error")),
            operator: q.get("operator").and_then(|o| o.parse().ok()),
        })
    };
    let load = load_once(load_operators());
    view! {
        <Title text=page_title("ops-operators-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let state = load.await.unwrap_or_else(|e| Console::Fault(reference_of(&e)));
                    let kept = kept();
                    console_page(state, "/ops/operators", "ops-operators-heading", notice(), move |_, o| {
                        operators(o, kept).into_any()
                    })
                })
            }}
        </Suspense>
    }
}

fn operators(o: Operators, kept: Kept) -> impl IntoView {
    let row_error = kept.operator.filter(|_| !kept.error.is_empty());
    let add_error = |field: &str| {
        (row_error.is_none() && kept.field == field && !kept.error.is_empty())
            .then(|| t(&kept.error))
    };
    let mut errors = Vec::new();
    if let Some(id) = row_error {
        errors.push(FieldError::new(
            &format!("reason-{id}"),
            Msg::new(&kept.error),
        ));
    } else if !kept.error.is_empty() && !kept.field.is_empty() {
        let field = if kept.field == "reason" {
            "add-reason"
        } else if kept.field == "role" {
            "add-role"
        } else {
            "username"
        };
        errors.push(FieldError::new(field, Msg::new(&kept.error)));
    }
    let role_error = add_error("role");
    let reason_error = add_error("reason");
    let chosen = kept.role.clone();
    let rows = o
        .operators
        .into_iter()
        .map(|c| operator_row(c, row_error).into_any())
        .collect();
    view! {
        <ErrorSummary errors=errors />
        <h2>{t("ops-operators-add-heading")}</h2>
        <form method="post" action=ops_operator_add_url() class="search-form" novalidate=true>
            <Field id="username" label=t("label-username") value=kept.username.clone() autocomplete="off"
                error=add_error("username") maxlength=254 />
            <div class=if role_error.is_some() { "field field--error" } else { "field" }>
                <label for="add-role">{t("ops-label-role")}</label>
                {role_error.clone().map(|e| view! { <p class="field-error" id="add-role-error">{e}</p> })}
                <select id="add-role" name="role" aria-describedby=role_error.as_ref().map(|_| "add-role-error")>
                    {Role::ALL.into_iter().rev().map(|r| {
                        let selected = chosen == r.as_str();
                        view! { <option value=r.as_str() selected=selected>{t(r.label())}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class=if reason_error.is_some() { "field field--error" } else { "field" }>
                <label for="add-reason">{t("ops-label-reason")}</label>
                {reason_error.clone().map(|e| view! { <p class="field-error" id="add-reason-error">{e}</p> })}
                <input id="add-reason" name="reason" type="text" maxlength="200" value=kept.reason.clone()
                    aria-invalid=reason_error.as_ref().map(|_| "true")
                    aria-describedby=reason_error.as_ref().map(|_| "add-reason-error") />
            </div>
            <div class="buttons">
                <button type="submit" class="button button--primary">{t("ops-button-add-operator")}</button>
            </div>
        </form>
        <DataTable caption=t("ops-operators-caption")
            columns=columns(&["label-username", "ops-label-role", "ops-fact-status", "ops-fact-created", "ops-col-last-seen", "ops-col-action"])
            rows=rows />
    }
}

fn operator_row(c: OperatorCard, row_error: Option<i64>) -> impl IntoView {
    let id = format!("reason-{}", c.id);
    let error = (row_error == Some(c.id)).then(|| t("error-ops-reason-empty"));
    let disabled = c.status == "disabled";
    let action = if c.me {
        view! { <td>{t("ops-operator-you")}</td> }.into_any()
    } else {
        let label = format!("{} ({})", t("ops-label-reason"), c.username);
        let (toggle, toggle_text) = if disabled {
            ("enable", "ops-button-enable")
        } else {
            ("disable", "ops-button-disable")
        };
        view! {
            <td>
                <form method="post" action=ops_operator_change_url() novalidate=true class="inline-form">
                    <input type="hidden" name="operator" value=c.id.to_string() />
                    <label for=id.clone()>{label}</label>
                    {error.clone().map(|e| view! { <p class="field-error" id=format!("{id}-error")>{e}</p> })}
                    <input id=id.clone() name="reason" type="text" maxlength="200" required=true
                        aria-invalid=error.as_ref().map(|_| "true")
                        aria-describedby=error.as_ref().map(|_| format!("{id}-error")) />
                    <button type="submit" name="change" value=toggle class="button button--secondary">{t(toggle_text)}</button>
                    {(!disabled).then(|| view! {
                        <button type="submit" name="change" value="reset" class="button button--secondary">{t("ops-button-reset-totp")}</button>
                    })}
                </form>
            </td>
        }
        .into_any()
    };
    view! {
        <tr>
            <th scope="row">{c.username}</th>
            <td>{t(c.role.label())}</td>
            <td>{t(&format!("ops-operator-status-{}", c.status))}</td>
            <td>{c.created}</td>
            <td>{c.last_seen.unwrap_or_else(|| t("ops-never"))}</td>
            {action}
        </tr>
    }
}
