//! Sign-in to the new portal, My accounts, Sign out, and adding a further
//! old account later.

#[cfg(feature = "ssr")]
pub mod service;

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
        <Title text="My accounts - Provider Portal" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match load_my_accounts().await {
                    Ok(Some(me)) => my_accounts(me, wrong_password()).into_any(),
                    Ok(None) => {
                        #[cfg(feature = "ssr")]
                        leptos_axum::redirect("/");
                        view! { <p><a href="/">"Sign in"</a></p> }.into_any()
                    }
                    Err(e) => view! {
                        <h1 id="page-heading">"My accounts"</h1>
                        <div class="notice notice--error" role="alert">
                            {format!("We cannot show your accounts right now. Please try again in a minute. If it keeps happening, contact support and quote {e}.")}
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn my_accounts(me: MyAccounts, wrong_password: bool) -> impl IntoView {
    let add_error =
        wrong_password.then_some("The password is not right. Check it and try again.".to_string());
    view! {
        <h1 id="page-heading" tabindex="-1">"My accounts"</h1>
        <p class="lead">"Signed in as " <strong>{me.username.clone()}</strong> ". Email: " {me.masked_email.clone()}</p>
        {crate::wizard::ui::accounts_table(&me.accounts)}
        <h2>"Add another old account"</h2>
        <p>"To move a further old account under this login, confirm your password first."</p>
        <form method="post" action=add_old_account_url() novalidate=true>
            <crate::wizard::ui::Field id="password" label="Password".into() kind="password" autocomplete="current-password"
                error=add_error maxlength=128 />
            <div class="buttons">
                <button type="submit" class="button button--secondary">"Add an old account"</button>
            </div>
        </form>
        <form method="post" action=sign_out_url()>
            <div class="buttons">
                <button type="submit" class="button button--primary">"Sign out"</button>
            </div>
        </form>
    }
}
