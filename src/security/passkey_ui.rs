//! Passkeys on Sign-in and security: the section that offers one (shown
//! only where the browser can make one) and the page where it is made.

use super::api::{load_passkey_setup, passkey_finish_url, passkey_start_url};
use super::PasskeySetupState;
use crate::flow::FieldError;
use crate::i18n::{t, Msg};
use crate::islands::{step_up_mode, step_up_passkey, PasskeyForm};
use crate::ui::{fault_page, gone_to, load_once, page_title, reference_of, ErrorSummary, Field};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// "Add a passkey": the password (and a code, if the login has a second
/// step) first. Hidden until the browser shows it can make a passkey.
/// `error` is the field and the sentence of a refused step-up.
pub fn add_passkey_section(
    second_step: bool,
    primary: bool,
    error: Option<(&'static str, String)>,
    step_up: Option<crate::domain::PasskeyCeremony>,
) -> impl IntoView {
    let (field, message) = error.unzip();
    let (mode, options) = step_up_mode(&step_up);
    let for_field = move |f: &str| message.clone().filter(|_| field == Some(f));
    view! {
        <section class="passkey-offer" data-passkey-only="" hidden=true aria-labelledby="passkey-heading">
            <h2 id="passkey-heading">{t("passkey-add-heading")}</h2>
            <p>{t("passkey-text")}</p>
            <form method="post" action=passkey_start_url() novalidate=true data-passkey=mode data-options=options>
                <Field id="passkey-password" name="password" label=t("label-password") kind="password"
                    autocomplete="current-password" maxlength=128 error=for_field("password") />
                {second_step.then(|| view! {
                    <Field id="passkey-code" name="code" label=t("label-second-step-code")
                        hint=t("hint-second-step-code") autocomplete="one-time-code" maxlength=32
                        error=for_field("code") />
                })}
                {step_up_passkey(step_up, t("hint-step-up-passkey"))}
                <div class="buttons">
                    <button type="submit" class=if primary { "button button--primary" } else { "button button--secondary" }>
                        {t("button-add-passkey")}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// Add a passkey: the browser makes it (a fingerprint, a face, a screen
/// lock or a security key), named here.
#[component]
pub fn PasskeyPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || {
        query.with(|q| match q.get("error").as_deref() {
            Some("registered") => Some("error-passkey-registered"),
            Some(_) => Some("error-passkey-add"),
            None => None,
        })
    };
    let load = load_once(load_passkey_setup());
    view! {
        <Title text=page_title("passkey-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    match load.await.unwrap_or_else(|e| PasskeySetupState::Fault(reference_of(&e))) {
                        PasskeySetupState::Ready(ceremony) => {
                            let error = error();
                            view! {
                                <h1 id="page-heading" tabindex="-1" autofocus=error.is_none()>{t("passkey-heading")}</h1>
                                {error.map(|key| view! { <ErrorSummary errors=vec![FieldError::new("passkey-name", Msg::new(key))] /> })}
                                <p class="lead">{t("passkey-step-text")}</p>
                                <PasskeyForm action=passkey_finish_url() mode="create" ceremony=ceremony
                                    label=t("button-create-passkey") primary=true>
                                    <Field id="passkey-name" name="name" label=t("label-passkey-name")
                                        hint=t("hint-passkey-name") value=t("passkey-default-name") maxlength=60 />
                                </PasskeyForm>
                                <noscript><p>{t("passkey-needs-script")}</p></noscript>
                                <p><a href="/security">{t("link-back-security")}</a></p>
                            }.into_any()
                        }
                        PasskeySetupState::NotStepped => gone_to("/security", "security-heading"),
                        PasskeySetupState::SignedOut => gone_to("/", "signin-heading"),
                        PasskeySetupState::Fault(reference) => fault_page("passkey-heading", reference),
                    }
                })
            }}
        </Suspense>
    }
}
