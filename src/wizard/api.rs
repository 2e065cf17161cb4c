//! Thin server functions: read the request, call the service, answer with a
//! redirect to the page that shows the outcome. Every one of them is a
//! public HTTP endpoint and trusts nothing the browser says about the step.

#[cfg(feature = "ssr")]
use super::step::Step;
use leptos::prelude::*;

pub use super::view::{WizardState, WizardView};

#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::flow::reply;
#[cfg(feature = "ssr")]
use crate::web::{self, request};

/// Reads the wizard of this browser for the page being rendered.
#[server(endpoint = "wizard/state")]
pub async fn load_wizard() -> Result<WizardState, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::state(&app, &ctx).await)
}

/// Account Lookup: username and TIN (and a campaign's link it was opened
/// from, if it was).
#[server(endpoint = "wizard/lookup")]
pub async fn lookup_account(
    username: String,
    tin: String,
    invite: Option<String>,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::lookup_account(&app, &ctx, &username, &tin, invite.as_deref()).await,
        Step::Lookup.path(),
    ));
    Ok(())
}

/// Account Verification: the security answer or the PIN.
#[server(endpoint = "wizard/verify")]
pub async fn verify_security_answer(answer: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::verify_security_answer(&app, &ctx, &answer).await,
        Step::Verify.path(),
    ));
    Ok(())
}

/// Email Address Verification: sends a code.
#[server(endpoint = "wizard/email")]
pub async fn send_email_code(email: String, verify_email: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::send_email_code(&app, &ctx, &email, &verify_email).await,
        Step::Email.path(),
    ));
    Ok(())
}

/// Security Code Verification: `Request New Code`.
#[server(endpoint = "wizard/resend")]
pub async fn resend_email_code() -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::resend_email_code(&app, &ctx).await,
        Step::Code.path(),
    ));
    Ok(())
}

/// Security Code Verification: the code.
#[server(endpoint = "wizard/code")]
pub async fn verify_email_code(code: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::verify_email_code(&app, &ctx, &code).await,
        Step::Code.path(),
    ));
    Ok(())
}

/// Verify Username and Password: `Submit`.
#[server(endpoint = "wizard/password")]
pub async fn verify_legacy_password(
    username: String,
    password: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::verify_legacy_password(&app, &ctx, &username, &password).await,
        Step::Password.path(),
    ));
    Ok(())
}

/// Choose a New Password: the old password is below today's rules.
#[server(endpoint = "wizard/new_password")]
pub async fn choose_new_password(
    password: String,
    confirm_password: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::choose_new_password(&app, &ctx, &password, &confirm_password).await,
        Step::NewPassword.path(),
    ));
    Ok(())
}

/// Accounts to consolidate: `Add another account`.
#[server(endpoint = "wizard/another")]
pub async fn add_another_account() -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::add_another_account(&app, &ctx).await,
        Step::Review.path(),
    ));
    Ok(())
}

/// Accounts to consolidate: `Finish` merges everything in one transaction.
#[server(endpoint = "wizard/finish")]
pub async fn finish_consolidation() -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::finish(&app, &ctx).await,
        Step::Review.path(),
    ));
    Ok(())
}

/// `Previous`: one step back, keeping what was typed on this page (but secrets).
#[server(endpoint = "wizard/previous")]
pub async fn go_previous(
    email: Option<String>,
    verify_email: Option<String>,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::go_previous(&app, &ctx, email, verify_email).await,
        Step::Lookup.path(),
    ));
    Ok(())
}

/// `Cancel`: abandons the wizard; nothing is merged.
#[server(endpoint = "wizard/cancel")]
pub async fn cancel_wizard() -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::cancel_wizard(&app, &ctx).await,
        Step::Lookup.path(),
    ));
    Ok(())
}

macro_rules! url_of {
    ($($f:ident => $t:ty),* $(,)?) => {
        $(
            /// Where this server function's form posts.
            pub fn $f() -> &'static str {
                <$t as leptos::server_fn::ServerFn>::PATH
            }
        )*
    };
}

url_of! {
    lookup_account_url => LookupAccount,
    verify_security_answer_url => VerifySecurityAnswer,
    send_email_code_url => SendEmailCode,
    resend_email_code_url => ResendEmailCode,
    verify_email_code_url => VerifyEmailCode,
    verify_legacy_password_url => VerifyLegacyPassword,
    choose_new_password_url => ChooseNewPassword,
    go_previous_url => GoPrevious,
    add_another_account_url => AddAnotherAccount,
    finish_consolidation_url => FinishConsolidation,
    cancel_wizard_url => CancelWizard,
}
