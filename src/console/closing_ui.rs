//! The Closing dates page (`/ops/closing`): every old portal with the
//! accounts it still holds and its last day; admins set a date (the name
//! providers know the portal by, and what happens after the day) and
//! remove one, each with a reason.

use super::api::{load_closings, ops_closing_remove_url, ops_closing_set_url};
use super::table::{columns, last_day, DataTable};
use super::ui::{console_page, row_action, RowAction};
use super::{ClosingForm, ClosingLine, Closings, Console};
use crate::domain::Action;
use crate::flow::FieldError;
use crate::i18n::{t, Msg};
use crate::ui::{load_once, page_title, reference_of, ErrorSummary, Field};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OpsClosingPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || {
        query.with(|q| {
            q.get("notice")
                .filter(|n| {
                    ["closing-set", "closing-removed", "closing-gone"].contains(&n.as_str())
                })
                .map(|n| t(&format!("ops-notice-{n}")))
        })
    };
    // What Set kept after a refusal, and the portal whose Remove had no reason.
    let kept = move || {
        query.with(|q| ClosingForm {
            source: q.get("source").unwrap_or_default(),
            name: q.get("name").unwrap_or_default(),
            closes_on: q.get("closes_on").unwrap_or_default(),
            after: q.get("after").unwrap_or_default(),
            reason: q.get("reason").unwrap_or_default(),
            error: super::ui::error_key(q.get("error")),
            field: q.get("field").unwrap_or_default(),
        })
    };
    let remove = move || query.with(|q| q.get("remove"));
    let load = load_once(load_closings());
    view! {
        <Title text=page_title("ops-closing-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let state = load.await.unwrap_or_else(|e| Console::Fault(reference_of(&e)));
                    let (form, remove) = (kept(), remove());
                    console_page(state, "/ops/closing", "ops-closing-heading", notice(), move |me, c| {
                        closings(c, me.role.may(Action::SetClosing), form, remove).into_any()
                    })
                })
            }}
        </Suspense>
    }
}

fn closings(c: Closings, may: bool, form: ClosingForm, remove: Option<String>) -> impl IntoView {
    // An error of the Set form names its field; one of Remove, its row.
    let remove_error = remove.filter(|_| !form.error.is_empty());
    let mut errors = Vec::new();
    if let Some(source) = &remove_error {
        if let Some(n) = c.portals.iter().position(|p| &p.source == source) {
            errors.push(FieldError::new(
                &format!("remove-{}", n + 1),
                Msg::new("error-ops-reason-empty"),
            ));
        }
    } else if !form.error.is_empty() && !form.field.is_empty() {
        // The reason's and the choice's ids differ from their names.
        let ids = [("reason", "closing-reason"), ("after", "after-lookup")];
        let field = ids
            .iter()
            .find(|(name, _)| *name == form.field)
            .map_or(form.field.as_str(), |(_, id)| id);
        let field = field.to_string();
        errors.push(FieldError::new(&field, Msg::new(&form.error)));
    }
    let error_of = |field: &str| {
        (remove_error.is_none() && form.field == field && !form.error.is_empty())
            .then(|| t(&form.error))
    };
    let set = may.then(|| set_form(&c.portals, &form, &error_of));
    let mut headings = columns(&[
        "ops-col-source",
        "ops-col-name-shown",
        "ops-col-closes",
        "ops-col-not-moved",
        "ops-col-loaded",
        "ops-col-after",
    ]);
    if may {
        headings.push(t("ops-col-action"));
    }
    let rows = c
        .portals
        .into_iter()
        .enumerate()
        .map(|(n, p)| {
            let missing = remove_error.as_deref() == Some(p.source.as_str());
            portal_row(n + 1, p, may, missing).into_any()
        })
        .collect();
    view! {
        <p class="lead">{t("ops-closing-lead")}</p>
        <ErrorSummary errors=errors />
        <DataTable caption=t("ops-closing-caption") columns=headings rows=rows empty=t("ops-closing-none") />
        {set}
    }
}

fn set_form(
    portals: &[ClosingLine],
    form: &ClosingForm,
    error_of: &dyn Fn(&str) -> Option<String>,
) -> impl IntoView {
    let source_error = error_of("source");
    let after_error = error_of("after");
    let refuse = form.after == "refuse";
    let options = portals
        .iter()
        .map(|p| {
            let selected = form.source == p.source;
            view! { <option value=p.source.clone() selected=selected>{p.source.clone()}</option> }
        })
        .collect_view();
    view! {
        <h2>{t("ops-closing-set-heading")}</h2>
        <form method="post" action=ops_closing_set_url() class="search-form" novalidate=true>
            <div class=if source_error.is_some() { "field field--error" } else { "field" }>
                <label for="source">{t("ops-label-source")}</label>
                {source_error.clone().map(|e| view! { <p class="field-error" id="source-error">{e}</p> })}
                <select id="source" name="source" aria-describedby=source_error.as_ref().map(|_| "source-error")>
                    {options}
                </select>
            </div>
            <Field id="name" label=t("ops-label-portal-name") value=form.name.clone() hint=t("ops-hint-portal-name")
                error=error_of("name") maxlength=80 autocomplete="off" />
            <Field id="closes_on" label=t("ops-label-closes-on") value=form.closes_on.clone() hint=t("ops-hint-closes-on")
                error=error_of("closes_on") maxlength=10 autocomplete="off" />
            <fieldset class=if after_error.is_some() { "field field--error" } else { "field" }
                aria-describedby=after_error.as_ref().map(|_| "after-error")>
                <legend>{t("ops-label-after-closing")}</legend>
                {after_error.clone().map(|e| view! { <p class="field-error" id="after-error">{e}</p> })}
                <div class="choice">
                    <input id="after-lookup" type="radio" name="after" value="lookup" checked=!refuse />
                    <label for="after-lookup">{t("ops-after-lookup")}</label>
                </div>
                <div class="choice">
                    <input id="after-refuse" type="radio" name="after" value="refuse" checked=refuse />
                    <label for="after-refuse">{t("ops-after-refuse")}</label>
                </div>
            </fieldset>
            <Field id="closing-reason" name="reason" label=t("ops-label-reason") value=form.reason.clone() error=error_of("reason") maxlength=200 />
            <div class="buttons">
                <button type="submit" class="button button--primary">{t("ops-button-set-closing")}</button>
            </div>
        </form>
    }
}

fn portal_row(n: usize, p: ClosingLine, may: bool, missing: bool) -> impl IntoView {
    let dated = p.closes.is_some();
    let after = if !dated {
        String::new()
    } else if p.refuse_after {
        t("ops-after-refuse")
    } else {
        t("ops-after-lookup")
    };
    let action = (may && dated).then(|| {
        row_action(RowAction {
            url: ops_closing_remove_url(),
            name: "source",
            value: p.source.clone(),
            id: format!("remove-{n}"),
            label: format!("{} ({})", t("ops-label-reason"), p.source),
            error: missing.then(|| t("error-ops-reason-empty")),
            button: "ops-button-remove-closing",
        })
    });
    // Rows without Remove keep the column.
    let empty = (may && !dated).then(|| view! { <td></td> });
    view! {
        <tr>
            <th scope="row">{p.source.clone()}</th>
            <td>{p.name.unwrap_or_default()}</td>
            <td>{last_day(&p.closes)}</td>
            <td>{p.not_moved}</td>
            <td>{p.loaded}</td>
            <td>{after}</td>
            {action}
            {empty}
        </tr>
    }
}
