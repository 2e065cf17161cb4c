//! The sign-in page (the site's front page) and My accounts.

use super::api::{add_old_account_url, load_my_accounts, sign_in_url, sign_out_url};
use super::{AccountsState, MyAccounts};
use crate::flow::FieldError;
use crate::i18n::{t, tr, Msg};
use crate::islands::ShowPassword;
use crate::ui::{accounts_table, fault_reference, page_title, reference_of, ErrorSummary, Field};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The sign-in page: the site's front page.
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
    let failed = move || query.with(|q| q.get("error").as_deref() == Some("credentials"));
    let typed = move || query.with(|q| q.get("username").unwrap_or_default());
    let fault = move || query.with(|q| fault_reference(q.get("fault")));
    view! {
        <Title text=page_title("signin-heading") />
        <h1 id="page-heading" tabindex="-1" autofocus=move || !failed()>{t("signin-heading")}</h1>
        {move || notice().map(|n| view! { <div class="notice" role="status">{n}</div> })}
        {move || fault().map(|r| view! {
            <div class="notice notice--error" role="alert">
                {tr(&Msg::new("notice-fault").text("reference", r))}
            </div>
        })}
        {move || failed().then(|| view! {
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" id="error-summary" autofocus=true>
                <h2 id="error-summary-title">{t("error-summary-title")}</h2>
                <ul><li><a href="#password">{t("error-sign-in")}</a></li></ul>
            </div>
        })}
        <div class="signin">
            <form class="signin__form" method="post" action=sign_in_url() novalidate=true>
                <div class="field">
                    <label for="username">{t("label-username")}</label>
                    <input id="username" name="username" type="text" autocomplete="username" spellcheck="false" autocapitalize="none" maxlength="254" value=typed />
                </div>
                <div class=move || if failed() { "field field--error" } else { "field" }>
                    <label for="password">{t("label-password")}</label>
                    {move || failed().then(|| view! {
                        <p class="field-error" id="password-error">
                            <span class="visually-hidden">{format!("{} ", t("error-prefix"))}</span>{t("error-sign-in")}
                        </p>
                    })}
                    <input id="password" name="password" type="password" autocomplete="current-password" maxlength="128"
                        aria-invalid=move || failed().then_some("true")
                        aria-describedby=move || failed().then_some("password-error") />
                </div>
                <ShowPassword target="password".to_string() show=t("show-password") hide=t("hide-password") />
                <div class="buttons">
                    <button type="submit" class="button button--primary">{t("button-login")}</button>
                </div>
                <ul class="signin__links">
                    <li><a href="/forgot-username">{t("link-forgot-username")}</a></li>
                    <li><a href="/forgot-password">{t("link-forgot-password")}</a></li>
                    <li><a href="/register">{t("link-register")}</a></li>
                </ul>
            </form>
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
    let wrong_password = move || query.with(|q| q.get("error").as_deref() == Some("password"));
    view! {
        <Title text=page_title("accounts-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || Suspend::new(async move {
                let state = load_my_accounts().await.unwrap_or_else(|e| AccountsState::Fault(reference_of(&e)));
                match state {
                    AccountsState::SignedIn(me) => my_accounts(me, wrong_password()).into_any(),
                    AccountsState::SignedOut => {
                        #[cfg(feature = "ssr")]
                        leptos_axum::redirect("/");
                        view! { <p><a href="/">{t("signin-heading")}</a></p> }.into_any()
                    }
                    AccountsState::Fault(reference) => view! {
                        <h1 id="page-heading" tabindex="-1" autofocus=true>{t("accounts-heading")}</h1>
                        <div class="notice notice--error" role="alert">
                            {tr(&Msg::new("fault-accounts").text("reference", reference))}
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn my_accounts(me: MyAccounts, wrong_password: bool) -> impl IntoView {
    let add_error = wrong_password.then(|| t("error-password-recheck"));
    view! {
        <h1 id="page-heading" tabindex="-1" autofocus=!wrong_password>{t("accounts-heading")}</h1>
        {wrong_password.then(|| view! {
            <ErrorSummary errors=vec![FieldError::new("password", Msg::new("error-password-recheck"))] />
        })}
        <p class="lead">
            {format!("{} ", t("accounts-signed-in-as"))} <strong>{me.username.clone()}</strong> ". "
            {format!("{} ", t("accounts-email"))} {me.masked_email.clone()}
        </p>
        {accounts_table(&me.accounts)}
        <h2>{t("accounts-add-heading")}</h2>
        <p>{t("accounts-add-text")}</p>
        <form method="post" action=add_old_account_url() novalidate=true>
            <Field id="password" label=t("label-password") kind="password" autocomplete="current-password"
                error=add_error maxlength=128 />
            <ShowPassword target="password".to_string() show=t("show-password") hide=t("hide-password") />
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
