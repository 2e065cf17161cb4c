//! Thin server functions of Sign-in and security.

use super::{PasskeySetupState, SecurityState, ShownCodes};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{passkey, service};
#[cfg(feature = "ssr")]
use crate::flow::reply;
#[cfg(feature = "ssr")]
use crate::flow::second::Given;
#[cfg(feature = "ssr")]
use crate::web::{self, request};

/// The login's second step, for every page but the backup codes.
#[server(endpoint = "security")]
pub async fn load_security() -> Result<SecurityState, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::security(&app, &ctx).await)
}

/// The backup codes just made, shown once: the page removes them from the
/// browser as it shows them.
#[server(endpoint = "security/backup_codes_shown")]
pub async fn load_backup_codes() -> Result<ShownCodes, ServerFnError> {
    let (app, ctx) = request();
    let (shown, forget) = service::shown_codes(&app, &ctx).await;
    if let Some(cookie) = forget {
        web::set_cookie(&cookie);
    }
    Ok(shown)
}

/// `Set up an authenticator app`.
#[server(endpoint = "security/app_start")]
pub async fn app_start() -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(service::start_app(&app, &ctx).await, "/security"));
    Ok(())
}

/// `Turn on` with the first code the new app shows.
#[server(endpoint = "security/app_confirm")]
pub async fn app_confirm(name: String, code: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::confirm_app(&app, &ctx, &name, &code).await,
        "/security/app",
    ));
    Ok(())
}

/// `Make new backup codes`, after the password and the second step again.
#[server(endpoint = "security/backup_codes")]
pub async fn new_backup_codes(
    password: String,
    code: Option<String>,
    state: Option<String>,
    credential: Option<String>,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::new_backup_codes(&app, &ctx, &password, Given::of(&code, &state, &credential))
            .await,
        "/security",
    ));
    Ok(())
}

/// `Rename`.
#[server(endpoint = "security/rename")]
pub async fn rename_method(method: String, name: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::rename(&app, &ctx, &method, &name).await,
        "/security",
    ));
    Ok(())
}

/// `Remove`, after the password and the second step again.
#[server(endpoint = "security/remove")]
pub async fn remove_method(
    method: String,
    password: String,
    code: Option<String>,
    state: Option<String>,
    credential: Option<String>,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::remove(
            &app,
            &ctx,
            &method,
            &password,
            Given::of(&code, &state, &credential),
        )
        .await,
        "/security",
    ));
    Ok(())
}

/// `Forget` a remembered browser, or all of them.
#[server(endpoint = "security/forget_browser")]
pub async fn forget_browser(browser: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::forget_browser(&app, &ctx, &browser).await,
        "/security",
    ));
    Ok(())
}

pub fn forget_browser_url() -> &'static str {
    <ForgetBrowser as leptos::server_fn::ServerFn>::PATH
}

pub fn app_start_url() -> &'static str {
    <AppStart as leptos::server_fn::ServerFn>::PATH
}
pub fn app_confirm_url() -> &'static str {
    <AppConfirm as leptos::server_fn::ServerFn>::PATH
}
pub fn new_backup_codes_url() -> &'static str {
    <NewBackupCodes as leptos::server_fn::ServerFn>::PATH
}
pub fn rename_url() -> &'static str {
    <RenameMethod as leptos::server_fn::ServerFn>::PATH
}
pub fn remove_url() -> &'static str {
    <RemoveMethod as leptos::server_fn::ServerFn>::PATH
}

/// `Add a passkey`, after the password and the second step again.
#[server(endpoint = "security/passkey_start")]
pub async fn passkey_start(
    password: String,
    code: Option<String>,
    state: Option<String>,
    credential: Option<String>,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        passkey::start(&app, &ctx, &password, Given::of(&code, &state, &credential)).await,
        "/security",
    ));
    Ok(())
}

/// What the page that makes a passkey shows.
#[server(endpoint = "security/passkey_setup")]
pub async fn load_passkey_setup() -> Result<PasskeySetupState, ServerFnError> {
    use crate::flow::Stop;
    let (app, ctx) = request();
    Ok(match passkey::setup(&app, &ctx).await {
        Ok(Some(s)) => PasskeySetupState::Ready(s),
        Ok(None) => PasskeySetupState::NotStepped,
        Err(Stop::Go(_)) => PasskeySetupState::SignedOut,
        Err(Stop::Fault { reference, .. }) => PasskeySetupState::Fault(reference),
    })
}

/// `Create passkey`: the credential the browser made (JSON), with the
/// ceremony's sealed state.
#[server(endpoint = "security/passkey_finish")]
pub async fn passkey_finish(
    name: String,
    state: String,
    credential: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        passkey::finish(&app, &ctx, &name, &state, &credential).await,
        passkey::PASSKEY_PATH,
    ));
    Ok(())
}

pub fn passkey_start_url() -> &'static str {
    <PasskeyStart as leptos::server_fn::ServerFn>::PATH
}
pub fn passkey_finish_url() -> &'static str {
    <PasskeyFinish as leptos::server_fn::ServerFn>::PATH
}
