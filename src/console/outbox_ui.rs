//! The Outbox page (`/ops/outbox`): every mail goes through the outbox;
//! this lists what is waiting or retrying, and what failed for good in the
//! last days, without a body (it may hold a code) and with the recipient
//! masked.

use super::api::load_outbox;
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
    view! {
        <p class="lead">{tr(&Msg::new("ops-outbox-lead").number("days", OUTBOX_FAILED_DAYS))}</p>
        {if o.mails.is_empty() {
            view! { <p role="status">{tr(&Msg::new("ops-outbox-none").number("days", OUTBOX_FAILED_DAYS))}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="figures">
                        <caption>{t("ops-outbox-caption")}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t("ops-col-written")}</th>
                                <th scope="col">{t("ops-col-mail")}</th>
                                <th scope="col">{t("ops-col-to")}</th>
                                <th scope="col">{t("ops-col-subject")}</th>
                                <th scope="col">{t("ops-col-status")}</th>
                                <th scope="col">{t("ops-col-tries")}</th>
                                <th scope="col">{t("ops-col-last-error")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {o.mails.into_iter().map(|m| {
                                let status = tr(&Msg::new(&format!("ops-outbox-{}", m.status)).text("when", m.when));
                                view! {
                                    <tr>
                                        <td>{m.written}</td>
                                        <td>{m.kind}</td>
                                        <td>{m.to}</td>
                                        <td>{m.subject}</td>
                                        <td>{status}</td>
                                        <td>{m.attempts}</td>
                                        <td>{m.last_error}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
