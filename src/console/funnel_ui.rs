//! The wizard funnel's section of the Progress page: a period (a GET form,
//! so that it has an address) and a table of the steps.

use super::table::{columns, row, DataTable};
use super::Funnel;
use crate::flow::FieldError;
use crate::i18n::{t, tr, Msg};
use crate::ui::{ErrorSummary, Field};
use leptos::prelude::*;

/// `90 s` as `1 min 30 s`.
fn duration(secs: i64) -> String {
    match secs {
        s if s < 60 => tr(&Msg::new("ops-secs").number("n", s)),
        s if s < 3600 => tr(&Msg::new("ops-min-secs")
            .number("m", s / 60)
            .number("s", s % 60)),
        s => tr(&Msg::new("ops-hours-min")
            .number("h", s / 3600)
            .number("m", s % 3600 / 60)),
    }
}

pub(super) fn funnel_section(f: Funnel, errors: Vec<FieldError>) -> impl IntoView {
    let error_of = |field: &str| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| crate::i18n::tr(&e.message))
    };
    let (from_error, to_error) = (error_of("from"), error_of("to"));
    let steps = f
        .steps
        .into_iter()
        .map(|s| {
            let median = s
                .median_secs
                .map(duration)
                .unwrap_or_else(|| "–".to_string());
            row(
                Some(t(&s.key)),
                vec![s.reached.to_string(), s.stopped.to_string(), median],
            )
        })
        .collect();
    view! {
        <h2 id="funnel">{t("ops-funnel-heading")}</h2>
        <ErrorSummary errors=errors.clone() />
        <form method="get" action="/ops#funnel" class="search-form" novalidate=true>
            <Field id="from" label=t("ops-label-from") value=f.from.clone() hint=t("ops-hint-date") error=from_error maxlength=10 />
            <Field id="to" label=t("ops-label-to") value=f.to.clone() hint=t("ops-hint-date") error=to_error maxlength=10 />
            <div class="buttons">
                <button type="submit" class="button button--primary">{t("ops-button-show")}</button>
            </div>
        </form>
        <p>{tr(&Msg::new("ops-funnel-lead").number("count", f.begun).text("from", f.from).text("to", f.to))}</p>
        {(f.from_links.0 > 0).then(|| view! {
            <p>{tr(&Msg::new("ops-funnel-from-links").number("count", f.from_links.0).number("moved", f.from_links.1))}</p>
        })}
        <DataTable caption=t("ops-funnel-caption")
            columns=columns(&["ops-col-step", "ops-col-reached", "ops-col-stopped", "ops-col-median"])
            rows=steps />
    }
}
