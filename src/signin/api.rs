//! Thin server functions of sign-in and My accounts.

use super::{AccountsState, SecondStepState, SignInState};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{passkey, service};
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
pub async fn add_old_account(
    password: String,
    code: Option<String>,
    state: Option<String>,
    credential: Option<String>,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::start_adding(
            &app,
            &ctx,
            &password,
            crate::flow::second::Given::of(&code, &state, &credential),
        )
        .await,
        "/",
    ));
    Ok(())
}

/// `Continue` on the second step of sign-in.
#[server(endpoint = "sign_in/second_step")]
pub async fn second_step(code: String, remember: Option<String>) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    let remember = remember.is_some_and(|r| r == "1");
    web::answer(reply(
        service::second_step(&app, &ctx, &code, remember).await,
        super::step::SignInStep::SECOND_PATH,
    ));
    Ok(())
}

/// What the second step's page shows.
#[server(endpoint = "sign_in/second_step_state")]
pub async fn load_second_step() -> Result<SecondStepState, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::second_step_state(&app, &ctx).await)
}

pub fn second_step_url() -> &'static str {
    <SecondStep as leptos::server_fn::ServerFn>::PATH
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

/// `Sign in with a passkey`: the browser's answer (JSON) to the sign-in
/// page's challenge, with the ceremony's sealed state.
#[server(endpoint = "sign_in/passkey")]
pub async fn sign_in_passkey(state: String, credential: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        passkey::sign_in(&app, &ctx, &state, &credential).await,
        "/",
    ));
    Ok(())
}

/// `Use your passkey` on the second step of sign-in.
#[server(endpoint = "sign_in/second_step_passkey")]
pub async fn second_step_passkey(
    state: String,
    credential: String,
    remember: Option<String>,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    let remember = remember.is_some_and(|r| r == "1");
    web::answer(reply(
        passkey::second_step(&app, &ctx, &state, &credential, remember).await,
        super::step::SignInStep::SECOND_PATH,
    ));
    Ok(())
}

pub fn sign_in_passkey_url() -> &'static str {
    <SignInPasskey as leptos::server_fn::ServerFn>::PATH
}

pub fn second_step_passkey_url() -> &'static str {
    <SecondStepPasskey as leptos::server_fn::ServerFn>::PATH
}
