//! The link's page (`/not-me?token=…`: what will happen, and a button; the
//! page alone changes nothing) and the page after (`/not-me/done?ref=…`).

use super::api::{confirm_not_me_url, load_not_me};
use super::step::shown_reference;
use super::NotMeState;
use crate::i18n::{t, tr, Msg};
use crate::ui::{fault_reference, load_once, page_title, reference_of};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn fault_notice(reference: String) -> impl IntoView {
    view! {
        <div class="notice notice--error" role="alert">
            {tr(&Msg::new("notice-fault").text("reference", reference))}
        </div>
    }
}

#[component]
pub fn NotMePage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let invalid = move || query.with(|q| q.get("notice").as_deref() == Some("invalid"));
    let fault = move || query.with(|q| fault_reference(q.get("fault")));
    let load = load_once(untrack(move || {
        let token = token();
        let invalid = invalid() || token.is_empty();
        async move {
            if invalid {
                Ok(NotMeState::Invalid)
            } else {
                load_not_me(token).await
            }
        }
    }));
    view! {
        <Title text=page_title("notme-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let token = token();
                    let state = load.await.unwrap_or_else(|e| NotMeState::Fault(reference_of(&e)));
                    let fault = fault();
                    view! {
                        <h1 id="page-heading" tabindex="-1" autofocus=true>{t("notme-heading")}</h1>
                        {fault.map(fault_notice)}
                        {match state {
                            NotMeState::Live { username } => view! {
                                <p class="lead">{tr(&Msg::new("notme-lead").text("username", username))}</p>
                                <ul>
                                    <li>{t("notme-effect-sessions")}</li>
                                    <li>{t("notme-effect-sign-in")}</li>
                                    <li>{t("notme-effect-support")}</li>
                                </ul>
                                <form method="post" action=confirm_not_me_url() novalidate=true>
                                    <input type="hidden" name="token" value=token />
                                    <div class="buttons">
                                        <button type="submit" class="button button--primary">{t("notme-button")}</button>
                                        <a class="button button--secondary" href="/">{t("notme-cancel")}</a>
                                    </div>
                                </form>
                            }.into_any(),
                            NotMeState::Invalid => view! {
                                <div class="notice notice--error" role="alert">{t("notme-invalid")}</div>
                            }.into_any(),
                            NotMeState::Fault(reference) => fault_notice(reference).into_any(),
                        }}
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn NotMeDonePage() -> impl IntoView {
    let query = use_query_map();
    let reference = move || {
        query.with(|q| {
            q.get("ref")
                .and_then(|r| shown_reference(&r).map(str::to_string))
        })
    };
    view! {
        <Title text=page_title("notme-done-heading") />
        <h1 id="page-heading" tabindex="-1" autofocus=true>{t("notme-done-heading")}</h1>
        <div class="notice" role="status">{t("notme-done-lead")}</div>
        <p>{t("notme-done-next")}</p>
        {move || reference().map(|r| view! {
            <p>{tr(&Msg::new("notme-done-reference").text("reference", r))}</p>
        })}
        <p><a href="/">{t("notme-done-home")}</a></p>
    }
}
