//! The Outbox page (`/ops/outbox`): every mail goes through the outbox;
//! this lists what is waiting or retrying, and what failed for good in the
//! last days, without a body (it may hold a code) and with the recipient
//! masked.

use super::api::load_outbox;
use super::table::{columns, row, DataTable};
use super::ui::console_page;
use super::{Console, OutboxPage, OUTBOX_FAILED_DAYS};
use crate::i18n::{t, tr, Msg};
use crate::ui::{load_once, page_title, reference_of};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OpsOutboxPage() -> impl IntoView {
    let load = load_once(load_outbox());
    view! {
        <Title text=page_title("ops-outbox-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let state = load.await.unwrap_or_else(|e| Console::Fault(reference_of(&e)));
                    console_page(state, "/ops/outbox", "ops-outbox-heading", None, |_, o| outbox(o).into_any())
                })
            }}
        </Suspense>
    }
}

fn outbox(o: OutboxPage) -> impl IntoView {
    let mails = o
        .mails
        .into_iter()
        .map(|m| {
            let status = tr(&Msg::new(&format!("ops-outbox-{}", m.status)).text("when", m.when));
            row(
                None,
                vec![
                    m.written,
                    m.kind,
                    m.to,
                    m.subject,
                    status,
                    m.attempts.to_string(),
                    m.last_error,
                ],
            )
        })
        .collect();
    view! {
        <p class="lead">{tr(&Msg::new("ops-outbox-lead").number("days", OUTBOX_FAILED_DAYS))}</p>
        <DataTable caption=t("ops-outbox-caption")
            columns=columns(&["ops-col-written", "ops-col-mail", "ops-col-to", "ops-col-subject", "ops-col-status", "ops-col-tries", "ops-col-last-error"])
            rows=mails empty=tr(&Msg::new("ops-outbox-none").number("days", OUTBOX_FAILED_DAYS)) />
    }
}
