//! The page a campaign's unsubscribe link opens (`/unsubscribe/<token>`):
//! it asks before it unsubscribes (a link checker that opens it changes
//! nothing); a mail program's one-click POST to the same address
//! unsubscribes at once (server::pages::unsubscribe).

use super::api::load_unsubscribe;
use super::UnsubscribeState;
use crate::i18n::{t, tr, Msg};
use crate::ui::{load_once, page_title, reference_of};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let params = use_params_map();
    let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
    let load = load_once(load_unsubscribe(token.clone()));
    view! {
        <Title text=page_title("unsubscribe-heading") />
        <h1 id="page-heading" tabindex="-1" autofocus=true>{t("unsubscribe-heading")}</h1>
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let (load, token) = (load.clone(), token.clone());
                Suspend::new(async move {
                    match load.await.unwrap_or_else(|e| UnsubscribeState::Fault(reference_of(&e))) {
                        UnsubscribeState::Ready { masked, done: true } => view! {
                            <div class="notice notice--success" role="status">
                                {tr(&Msg::new("unsubscribe-done").text("address", masked))}
                            </div>
                            <p><a href="/">{t("unsubscribe-to-sign-in")}</a></p>
                        }.into_any(),
                        UnsubscribeState::Ready { masked, done: false } => view! {
                            <p class="lead">{tr(&Msg::new("unsubscribe-lead").text("address", masked))}</p>
                            <p>{t("unsubscribe-still")}</p>
                            <form method="post" action=format!("/unsubscribe/{token}")>
                                <div class="buttons">
                                    <button type="submit" name="confirm" value="1" class="button button--primary">{t("unsubscribe-button")}</button>
                                </div>
                            </form>
                        }.into_any(),
                        UnsubscribeState::Invalid => view! {
                            <div class="notice notice--error" role="alert">{t("unsubscribe-invalid")}</div>
                        }.into_any(),
                        UnsubscribeState::Fault(r) => view! {
                            <div class="notice notice--error" role="alert">
                                {tr(&Msg::new("notice-fault").text("reference", r))}
                            </div>
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
