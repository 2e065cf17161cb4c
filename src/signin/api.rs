//! Thin server functions of sign-in and My accounts.

use super::{AccountsState, SignInState};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::flow::reply;
#[cfg(feature = "ssr")]
use crate::web::{self, request};

/// `Login` on the sign-in page.
#[server(endpoint = "sign_in")]
pub async fn sign_in(username: String, password: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::sign_in(&app, &ctx, &username, &password).await,
        "/",
    ));
    Ok(())
}

/// `Sign out` on My accounts.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(service::sign_out(&app, &ctx).await, "/"));
    Ok(())
}

/// My accounts: re-enter the password, then consolidate a further old account.
#[server(endpoint = "add_old_account")]
pub async fn add_old_account(password: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::start_adding(&app, &ctx, &password).await,
        "/",
    ));
    Ok(())
}

/// The signed-in user's accounts.
#[server(endpoint = "my_accounts")]
pub async fn load_my_accounts() -> Result<AccountsState, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::my_accounts(&app, &ctx).await)
}

pub fn sign_in_url() -> &'static str {
    <SignIn as leptos::server_fn::ServerFn>::PATH
}

pub fn sign_out_url() -> &'static str {
    <SignOut as leptos::server_fn::ServerFn>::PATH
}

pub fn add_old_account_url() -> &'static str {
    <AddOldAccount as leptos::server_fn::ServerFn>::PATH
}

/// What the sign-in page shows again after a failed sign-in.
#[server(endpoint = "sign_in_state")]
pub async fn load_sign_in_state() -> Result<SignInState, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::sign_in_state(&app, &ctx).await)
}
