//! The closing notices on the sign-in page and the quick guide: "Your old
//! <name> account works until <date>: move it now", one line per portal
//! that closes within 90 days, a plain link into the wizard (no JavaScript
//! needed).

use super::api::load_closing_notices;
use crate::i18n::{t, tr, Msg};
use crate::ui::load_once;
use leptos::prelude::*;

/// The notices, or nothing when no portal closes soon.
#[component]
pub fn ClosingNotices() -> impl IntoView {
    let load = load_once(load_closing_notices());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let notices = load.await.unwrap_or_default();
                    (!notices.is_empty()).then(|| view! {
                        <div class="notice notice--closing" role="region" aria-label=t("closing-notices-label")>
                            {notices.into_iter().map(|n| view! {
                                <p>
                                    {format!("{} ", tr(&Msg::new("closing-notice").text("portal", n.name).day("date", &n.closes_on)))}
                                    <a href="/wizard/lookup">{t("closing-notice-link")}</a> "."
                                </p>
                            }).collect_view()}
                        </div>
                    })
                })
            }}
        </Suspense>
    }
}
