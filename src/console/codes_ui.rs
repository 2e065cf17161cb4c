//! The Registration codes page (`/ops/codes`): Issue (support and admin),
//! the newest codes with their status, and Revoke.

use super::api::{load_codes, ops_registration_code_url, ops_revoke_code_url};
use super::table::{columns, DataTable};
use super::ui::{console_page, row_action, RowAction};
use super::{CodeForm, CodeLine, Codes, Console};
use crate::domain::Action;
use crate::flow::FieldError;
use crate::i18n::{t, tr, Msg};
use crate::ui::{load_once, page_title, reference_of, ErrorSummary, Field};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OpsCodesPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || {
        query.with(|q| match q.get("notice").as_deref() {
            Some("revoked") => Some(t("ops-notice-revoked")),
            Some("revoke-gone") => Some(t("ops-notice-revoke-gone")),
            _ => None,
        })
    };
    // What Issue kept after a refusal, and the code whose Revoke had no reason.
    let kept = move || {
        query.with(|q| CodeForm {
            practice: q.get("practice").unwrap_or_default(),
            role: q.get("role").unwrap_or_default(),
            days: q.get("days").unwrap_or_default(),
            reason: q.get("reason").unwrap_or_default(),
            error: super::ui::error_key(q.get("error")),
            field: q.get("field").unwrap_or_default(),
        })
    };
    let revoke = move || query.with(|q| q.get("revoke").and_then(|r| r.parse::<i64>().ok()));
    let load = load_once(load_codes());
    view! {
        <Title text=page_title("ops-codes-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let state = load.await.unwrap_or_else(|e| Console::Fault(reference_of(&e)));
                    let (form, revoke) = (kept(), revoke());
                    console_page(state, "/ops/codes", "ops-codes-heading", notice(), move |me, c| {
                        codes(c, me.role.may(Action::IssueCode), form, revoke).into_any()
                    })
                })
            }}
        </Suspense>
    }
}

fn codes(c: Codes, may: bool, form: CodeForm, revoke: Option<i64>) -> impl IntoView {
    // An error of the Issue form names its field; one of Revoke, its row.
    let revoke_error = revoke.filter(|_| !form.error.is_empty());
    let mut errors = Vec::new();
    if let Some(id) = revoke_error {
        errors.push(FieldError::new(
            &format!("reason-{id}"),
            Msg::new("error-ops-reason-empty"),
        ));
    } else if !form.error.is_empty() && !form.field.is_empty() {
        let field = if form.field == "reason" {
            "code-reason".to_string()
        } else {
            form.field.clone()
        };
        errors.push(FieldError::new(&field, Msg::new(&form.error)));
    }
    let error_of = |field: &str| {
        (revoke_error.is_none() && form.field == field && !form.error.is_empty())
            .then(|| t(&form.error))
    };
    let issue = may.then(|| view! {
        <h2>{t("ops-codes-issue-heading")}</h2>
        <form method="post" action=ops_registration_code_url() class="search-form" novalidate=true>
            <Field id="tin" label=t("label-tin") hint=t("ops-hint-code-tin") inputmode="numeric" autocomplete="off"
                error=error_of("tin") maxlength=11 />
            <Field id="practice" label=t("ops-fact-practice") value=form.practice.clone() error=error_of("practice") maxlength=200 />
            <Field id="role" label=t("ops-fact-role") value=form.role.clone() hint=t("ops-hint-code-role") error=error_of("role") maxlength=200 />
            <Field id="days" label=t("ops-label-days") value=form.days.clone() hint=t("ops-hint-days") inputmode="numeric"
                error=error_of("days") maxlength=3 />
            <div class="field">
                <label for="code-reason">{t("ops-label-reason")}</label>
                {error_of("reason").map(|e| view! { <p class="field-error" id="code-reason-error">{e}</p> })}
                <input id="code-reason" name="reason" type="text" maxlength="200" value=form.reason.clone()
                    aria-invalid=error_of("reason").map(|_| "true")
                    aria-describedby=error_of("reason").map(|_| "code-reason-error") />
            </div>
            <div class="buttons">
                <button type="submit" class="button button--primary">{t("ops-button-issue-code")}</button>
            </div>
        </form>
    });
    let mut headings = columns(&[
        "ops-fact-tins",
        "ops-fact-practice",
        "ops-fact-role",
        "ops-fact-created",
        "ops-col-expires",
        "ops-fact-status",
    ]);
    if may {
        headings.push(t("ops-col-action"));
    }
    let rows = c
        .codes
        .into_iter()
        .map(|l| code_row(l, may, revoke_error).into_any())
        .collect();
    view! {
        <ErrorSummary errors=errors />
        {issue}
        <h2>{t("ops-codes-list-heading")}</h2>
        <DataTable caption=t("ops-codes-caption") columns=headings rows=rows empty=t("ops-codes-none") />
    }
}

fn code_row(l: CodeLine, may: bool, revoke_error: Option<i64>) -> impl IntoView {
    let status = match &l.since {
        Some(since) => {
            tr(&Msg::new(&format!("ops-code-status-{}", l.status)).text("since", since.clone()))
        }
        None => t(&format!("ops-code-status-{}", l.status)),
    };
    let revocable = may && matches!(l.status.as_str(), "live" | "locked");
    let action = revocable.then(|| {
        row_action(RowAction {
            url: ops_revoke_code_url(),
            name: "code_id",
            value: l.id.to_string(),
            id: format!("reason-{}", l.id),
            label: format!("{} ({} {})", t("ops-label-reason"), l.tin, l.practice),
            error: (revoke_error == Some(l.id)).then(|| t("error-ops-reason-empty")),
            button: "ops-button-revoke",
        })
    });
    // Rows without Revoke keep the column.
    let empty = (may && !revocable).then(|| view! { <td></td> });
    view! {
        <tr>
            <th scope="row">{l.tin}</th>
            <td>{l.practice}</td>
            <td>{l.role}</td>
            <td>{l.created}</td>
            <td>{l.expires}</td>
            <td>{status}</td>
            {action}
            {empty}
        </tr>
    }
}
