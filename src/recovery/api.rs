//! Thin server functions of Forgot Username, Forgot Password and Register:
//! read the request, call the service, answer with a redirect to the page
//! that shows the outcome.

use super::view::FlowState;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{service, step::Page};
#[cfg(feature = "ssr")]
use crate::flow::reply;
#[cfg(feature = "ssr")]
use crate::web::{self, request};

/// Reads this browser's flow for the page being rendered.
#[server(endpoint = "flow/state")]
pub async fn load_flow() -> Result<FlowState, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::state(&app, &ctx).await)
}

/// Forgot Username: `Next`.
#[server(endpoint = "forgot_username")]
pub async fn forgot_username(email: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::forgot_username(&app, &ctx, &email).await,
        Page::FuEmail.path(),
    ));
    Ok(())
}

/// Forgot Password: `Next`.
#[server(endpoint = "forgot_password")]
pub async fn forgot_password(username: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::forgot_password(&app, &ctx, &username).await,
        Page::FpUsername.path(),
    ));
    Ok(())
}

/// Security Code Verification of Forgot Password or Register: `Next`.
#[server(endpoint = "flow/code")]
pub async fn verify_flow_code(code: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::verify_code(&app, &ctx, &code).await,
        Page::FpCode.path(),
    ));
    Ok(())
}

/// Security Code Verification of Forgot Password or Register: `Request New Code`.
#[server(endpoint = "flow/resend")]
pub async fn resend_flow_code() -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::resend_code(&app, &ctx).await,
        Page::FpCode.path(),
    ));
    Ok(())
}

/// Choose a New Password: `Save Password`.
#[server(endpoint = "forgot_password/new")]
pub async fn reset_password(
    password: String,
    confirm_password: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::reset_password(&app, &ctx, &password, &confirm_password).await,
        Page::FpNew.path(),
    ));
    Ok(())
}

/// Register: the registration code and its TIN.
#[server(endpoint = "register/start")]
pub async fn register_start(registration_code: String, tin: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::register_start(&app, &ctx, &registration_code, &tin).await,
        Page::RegStart.path(),
    ));
    Ok(())
}

/// Create Your Login: username and email.
#[server(endpoint = "register/account")]
pub async fn register_account(
    username: String,
    email: String,
    verify_email: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::register_account(&app, &ctx, &username, &email, &verify_email).await,
        Page::RegAccount.path(),
    ));
    Ok(())
}

/// Choose a Password: `Create Account`.
#[server(endpoint = "register/password")]
pub async fn register_password(
    password: String,
    confirm_password: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::register_password(&app, &ctx, &password, &confirm_password).await,
        Page::RegPassword.path(),
    ));
    Ok(())
}

/// `Previous` on Register's code page.
#[server(endpoint = "flow/previous")]
pub async fn flow_previous() -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::previous(&app, &ctx).await,
        Page::RegCode.path(),
    ));
    Ok(())
}

/// `Cancel` on any page of the flows.
#[server(endpoint = "flow/cancel")]
pub async fn flow_cancel() -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::cancel(&app, &ctx).await,
        Page::FuEmail.path(),
    ));
    Ok(())
}

/// Where a server function's form posts.
pub fn url<T: leptos::server_fn::ServerFn>() -> &'static str {
    T::PATH
}
