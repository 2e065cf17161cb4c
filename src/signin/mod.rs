//! Sign-in to the new portal, My accounts, Sign out, and adding a further
//! old account later.

#[cfg(feature = "ssr")]
pub mod service;

use crate::i18n::{t, tr, Msg};
use crate::wizard::api::AccountSummary;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// What My accounts shows. Holds no secret; TINs are masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyAccounts {
    pub username: String,
    pub masked_email: String,
    pub accounts: Vec<AccountSummary>,
}

#[cfg(feature = "ssr")]
fn ctx() -> (crate::state::AppState, crate::wizard::service::Ctx) {
    crate::wizard::api::server::ctx()
}

/// `Login` on the sign-in page.
#[server(endpoint = "sign_in")]
pub async fn sign_in(username: String, password: String) -> Result<(), ServerFnError> {
    let (app, ctx) = ctx();
    crate::wizard::api::server::answer(service::sign_in(&app, &ctx, &username, &password).await);
    Ok(())
}

/// `Sign out` on My accounts.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), ServerFnError> {
    let (app, ctx) = ctx();
    crate::wizard::api::server::answer(service::sign_out(&app, &ctx).await);
    Ok(())
}

/// My accounts: re-enter the password, then consolidate a further old account.
#[server(endpoint = "add_old_account")]
pub async fn add_old_account(password: String) -> Result<(), ServerFnError> {
    let (app, ctx) = ctx();
    crate::wizard::api::server::answer(service::start_adding(&app, &ctx, &password).await);
    Ok(())
}

/// The signed-in user's accounts, or `None` when not signed in.
#[server(endpoint = "my_accounts")]
pub async fn load_my_accounts() -> Result<Option<MyAccounts>, ServerFnError> {
    let (app, ctx) = ctx();
    service::my_accounts(&app, &ctx)
        .await
        .map_err(|r| ServerFnError::new(format!("reference {r}")))
}

pub fn sign_in_url() -> &'static str {
    <SignIn as leptos::server_fn::ServerFn>::PATH
}

fn sign_out_url() -> &'static str {
    <SignOut as leptos::server_fn::ServerFn>::PATH
}

fn add_old_account_url() -> &'static str {
    <AddOldAccount as leptos::server_fn::ServerFn>::PATH
}

/// My accounts: the practices, masked TINs and roles under this login.
#[component]
pub fn MyAccountsPage() -> impl IntoView {
    let query = use_query_map();
    let wrong_password = move || query.with(|q| q.get("error").as_deref() == Some("password"));
    view! {
        <Title text=crate::app::page_title("accounts-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || Suspend::new(async move {
                match load_my_accounts().await {
                    Ok(Some(me)) => my_accounts(me, wrong_password()).into_any(),
                    Ok(None) => {
                        #[cfg(feature = "ssr")]
                        leptos_axum::redirect("/");
                        view! { <p><a href="/">{t("signin-heading")}</a></p> }.into_any()
                    }
                    Err(e) => view! {
                        <h1 id="page-heading" tabindex="-1" autofocus=true>{t("accounts-heading")}</h1>
                        <div class="notice notice--error" role="alert">
                            {tr(&Msg::new("fault-accounts").text("reference", reference_of(&e)))}
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The support reference in a server function's error ("reference AB12CD").
fn reference_of(e: &ServerFnError) -> String {
    let text = e.to_string();
    let r = text.rsplit(' ').next().unwrap_or("");
    r.chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect()
}

fn my_accounts(me: MyAccounts, wrong_password: bool) -> impl IntoView {
    let add_error = wrong_password.then(|| t("error-password-recheck"));
    view! {
        <h1 id="page-heading" tabindex="-1" autofocus=!wrong_password>{t("accounts-heading")}</h1>
        {wrong_password.then(|| view! {
            <crate::wizard::ui::ErrorSummary errors=vec![crate::wizard::api::FieldError {
                field: "password".into(),
                message: Msg::new("error-password-recheck"),
            }] />
        })}
        <p class="lead">
            {format!("{} ", t("accounts-signed-in-as"))} <strong>{me.username.clone()}</strong> ". "
            {format!("{} ", t("accounts-email"))} {me.masked_email.clone()}
        </p>
        {crate::wizard::ui::accounts_table(&me.accounts)}
        <h2>{t("accounts-add-heading")}</h2>
        <p>{t("accounts-add-text")}</p>
        <form method="post" action=add_old_account_url() novalidate=true>
            <crate::wizard::ui::Field id="password" label=t("label-password") kind="password" autocomplete="current-password"
                error=add_error maxlength=128 />
            <crate::islands::ShowPassword target="password".to_string() show=t("show-password") hide=t("hide-password") />
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
