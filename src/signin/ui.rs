//! The sign-in page (the site's front page) and My accounts.

use super::api::{
    add_old_account_url, load_my_accounts, load_second_step, load_sign_in_state,
    second_step_passkey_url, second_step_url, sign_in_passkey_url, sign_in_url, sign_out_url,
};
use super::{AccountsState, MyAccounts, SecondStepState, SignInState};
use crate::flow::FieldError;
use crate::i18n::{t, tr, Msg};
use crate::islands::{step_up_mode, step_up_passkey, PasskeyForm, ShowPassword};
use crate::ui::{
    accounts_table, fault_page, fault_reference, gone_to, load_once, page_title, reference_of,
    ErrorSummary, Field,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The sign-in page: the site's front page. After a failed sign-in it shows
/// the message and the username typed again, read from the server.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || {
        query.with(|q| match q.get("notice").as_deref() {
            Some("cancelled") => Some(t("notice-cancelled")),
            Some("signed-out") => Some(t("notice-signed-out")),
            Some("password-changed") => Some(t("notice-password-changed")),
            _ => None,
        })
    };
    let fault = move || query.with(|q| fault_reference(q.get("fault")));
    let load = load_once(load_sign_in_state());
    view! {
        <Title text=page_title("signin-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let state = load.await.unwrap_or_default();
                    sign_in_form(state, notice(), fault())
                })
            }}
        </Suspense>
    }
}

fn sign_in_form(
    state: SignInState,
    notice: Option<String>,
    fault: Option<String>,
) -> impl IntoView {
    let error = state.error.as_ref().map(tr);
    let failed = error.is_some();
    // With passkeys, the browser may offer them from the username field.
    let username_complete = if state.passkey.is_some() {
        "username webauthn"
    } else {
        "username"
    };
    let passkey = state.passkey.map(|ceremony| {
        view! {
            <PasskeyForm action=sign_in_passkey_url() mode="sign-in" ceremony=ceremony label=t("button-passkey-sign-in") />
        }
    });
    view! {
        <h1 id="page-heading" tabindex="-1" autofocus=!failed>{t("signin-heading")}</h1>
        {notice.map(|n| view! { <div class="notice" role="status">{n}</div> })}
        <crate::closing::ClosingNotices />
        {fault.map(|r| view! {
            <div class="notice notice--error" role="alert">
                {tr(&Msg::new("notice-fault").text("reference", r))}
            </div>
        })}
        {error.clone().map(|e| view! {
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" id="error-summary" autofocus=true>
                <h2 id="error-summary-title">{t("error-summary-title")}</h2>
                <ul><li><a href="#password">{e}</a></li></ul>
            </div>
        })}
        <div class="signin">
            <div class="signin__form">
            <form method="post" action=sign_in_url() novalidate=true>
                <div class="field">
                    <label for="username">{t("label-username")}</label>
                    <input id="username" name="username" type="text" autocomplete=username_complete spellcheck="false" autocapitalize="none" maxlength="254" value=state.username />
                </div>
                <div class=if failed { "field field--error" } else { "field" }>
                    <label for="password">{t("label-password")}</label>
                    {error.map(|e| view! {
                        <p class="field-error" id="password-error">
                            <span class="visually-hidden">{format!("{} ", t("error-prefix"))}</span>{e}
                        </p>
                    })}
                    <input id="password" name="password" type="password" autocomplete="current-password" maxlength="128"
                        aria-invalid=failed.then_some("true")
                        aria-describedby=failed.then_some("password-error") />
                </div>
                <ShowPassword target="password".to_string() show=t("show-password") hide=t("hide-password") />
                <div class="buttons">
                    <button type="submit" class="button button--primary">{t("button-login")}</button>
                </div>
            </form>
            {passkey}
                <ul class="signin__links">
                    <li><a href="/forgot-username">{t("link-forgot-username")}</a></li>
                    <li><a href="/forgot-password">{t("link-forgot-password")}</a></li>
                    <li><a href="/register">{t("link-register")}</a></li>
                </ul>
            </div>
            <div class="signin__info">
                <p>
                    {format!("{} ", t("signin-first-visit"))}
                    <a href="/wizard/lookup">{t("signin-first-visit-link")}</a> "."
                </p>
                <p>{t("signin-new")}</p>
                <p>
                    {format!("{} ", t("signin-trouble"))}
                    <a href="/help#registration">{t("signin-trouble-link")}</a>
                    {format!(" {}", t("signin-trouble-end"))}
                </p>
            </div>
        </div>
    }
}

/// My accounts: the practices, masked TINs and roles under this login.
#[component]
pub fn MyAccountsPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || {
        query.with(|q| match q.get("error").as_deref() {
            Some("password") => Some("error-password-recheck"),
            Some("code") => Some("error-second-step"),
            Some("busy") => Some("error-busy"),
            _ => None,
        })
    };
    let load = load_once(load_my_accounts());
    view! {
        <Title text=page_title("accounts-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let state = load.await.unwrap_or_else(|e| AccountsState::Fault(reference_of(&e)));
                    match state {
                        AccountsState::SignedIn(me) => my_accounts(me, error()).into_any(),
                        AccountsState::MustProtect => gone_to("/security/protect", "protect-heading"),
                        AccountsState::SignedOut => gone_to("/", "signin-heading"),
                        AccountsState::Fault(reference) => view! {
                            <h1 id="page-heading" tabindex="-1" autofocus=true>{t("accounts-heading")}</h1>
                            <div class="notice notice--error" role="alert">
                                {tr(&Msg::new("fault-accounts").text("reference", reference))}
                            </div>
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// My accounts; `error` is the catalogue key of what the re-check of the
/// password said, if it failed.
fn my_accounts(me: MyAccounts, error: Option<&'static str>) -> impl IntoView {
    let code_wrong = error == Some("error-second-step");
    let add_error = error.filter(|_| !code_wrong).map(t);
    let code_error = error.filter(|_| code_wrong).map(t);
    let field = if code_wrong { "code" } else { "password" };
    let (mode, options) = step_up_mode(&me.step_up);
    view! {
        <h1 id="page-heading" tabindex="-1" autofocus=error.is_none()>{t("accounts-heading")}</h1>
        {error.map(|key| view! {
            <ErrorSummary errors=vec![FieldError::new(field, Msg::new(key))] />
        })}
        <p class="lead">
            {format!("{} ", t("accounts-signed-in-as"))} <strong>{me.username.clone()}</strong> ". "
            {format!("{} ", t("accounts-email"))} {me.masked_email.clone()}
        </p>
        {(!me.second_step).then(|| view! {
            <div class="panel panel--offer">
                <h2>{t("protect-offer-heading")}</h2>
                <p>{t("protect-text")}</p>
                <p><a class="button button--primary" href="/security/protect">{t("protect-heading")}</a></p>
            </div>
        })}
        {accounts_table(&me.accounts)}
        <p><a href="/security">{t("security-heading")}</a></p>
        <h2>{t("accounts-add-heading")}</h2>
        <p>{if me.second_step { t("accounts-add-text-second-step") } else { t("accounts-add-text") }}</p>
        <form method="post" action=add_old_account_url() novalidate=true data-passkey=mode data-options=options>
            <Field id="password" label=t("label-password") kind="password" autocomplete="current-password"
                error=add_error maxlength=128 />
            <ShowPassword target="password".to_string() show=t("show-password") hide=t("hide-password") />
            {me.second_step.then(|| view! {
                <Field id="code" label=t("label-second-step-code") hint=t("hint-second-step-code")
                    autocomplete="one-time-code" error=code_error maxlength=32 />
            })}
            {step_up_passkey(me.step_up.clone(), t("hint-step-up-passkey"))}
            <div class="buttons">
                <button type="submit" class="button button--secondary">{t("button-add-old-account")}</button>
            </div>
        </form>
        <form method="post" action=sign_out_url()>
            <div class="buttons">
                <button type="submit" class="button button--primary">{t("button-sign-out")}</button>
            </div>
        </form>
    }
}

/// The second step of sign-in: a code from the authenticator app, or a
/// backup code, in one field (as Account Verification takes an answer or a
/// PIN).
#[component]
pub fn SecondStepPage() -> impl IntoView {
    let load = load_once(load_second_step());
    view! {
        <Title text=page_title("second-step-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    match load.await.unwrap_or_else(|e| SecondStepState::Fault(reference_of(&e))) {
                        SecondStepState::Asked { error, passkey } => second_step_form(error, passkey).into_any(),
                        SecondStepState::NotAsked => gone_to("/", "signin-heading"),
                        SecondStepState::Fault(reference) => fault_page("second-step-heading", reference),
                    }
                })
            }}
        </Suspense>
    }
}

fn second_step_form(
    error: Option<Msg>,
    passkey: Option<crate::domain::PasskeyCeremony>,
) -> impl IntoView {
    let failed = error.is_some();
    let message = error.as_ref().map(tr);
    // A login with a passkey: the browser asks for it (where it can), and
    // the code field stays for the app and the backup codes.
    let passkey = passkey.map(|ceremony| {
        view! {
            <PasskeyForm action=second_step_passkey_url() mode="get" ceremony=ceremony label=t("button-use-passkey") primary=true>
                <div class="field checkbox">
                    <input type="checkbox" id="remember-passkey" name="remember" value="1" />
                    <label for="remember-passkey">{t("label-remember-browser")}</label>
                </div>
            </PasskeyForm>
            <p class="passkey-or" data-passkey-only="" hidden=true>{t("second-step-or-code")}</p>
        }
    });
    view! {
        <h1 id="page-heading" tabindex="-1" autofocus=!failed>{t("second-step-heading")}</h1>
        {error.map(|e| view! { <ErrorSummary errors=vec![FieldError::new("code", e)] /> })}
        <p class="lead">{t("second-step-text")}</p>
        {passkey}
        <form method="post" action=second_step_url() novalidate=true>
            <Field id="code" label=t("label-second-step-code") hint=t("hint-second-step-code")
                autocomplete="one-time-code" error=message maxlength=32 autofocus=!failed />
            <div class="field checkbox">
                <input type="checkbox" id="remember" name="remember" value="1" />
                <label for="remember">{t("label-remember-browser")}</label>
            </div>
            <div class="buttons">
                <button type="submit" class="button button--primary">{t("button-continue")}</button>
            </div>
        </form>
        <p>{t("second-step-lost")}</p>
        <p><a href="/">{t("second-step-other-login")}</a></p>
    }
}
