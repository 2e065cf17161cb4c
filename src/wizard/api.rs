//! Thin server functions: read the request, call the service, answer with a
//! redirect to the page that shows the outcome. Every one of them is a
//! public HTTP endpoint and trusts nothing the browser says about the step.

use super::step::Step;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A message beside a field (and in the error summary).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldError {
    /// The input's `id`/`name`.
    pub field: String,
    /// What to say, rendered in the reader's language.
    pub message: crate::i18n::Msg,
}

/// What the last action left for the page to say.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Flash {
    #[serde(default)]
    pub errors: Vec<FieldError>,
    /// A neutral message ("We sent a new code").
    #[serde(default)]
    pub info: Option<crate::i18n::Msg>,
    /// The account was consolidated before: point to sign-in.
    #[serde(default)]
    pub already_consolidated: bool,
}

/// An account as listed on Thank You: TINs masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub username: String,
    pub practice: String,
    pub role: String,
    pub masked_tins: Vec<String>,
}

/// Everything a wizard page shows. Holds no secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WizardView {
    pub step: Step,
    pub username: String,
    pub tin: String,
    pub question: String,
    pub email: String,
    pub verify_email: String,
    pub masked_email: String,
    /// Seconds until `Request New Code` may send again.
    pub resend_wait_secs: i64,
    pub flash: Flash,
    /// On Thank You: the username to sign in with, and the accounts.
    pub sign_in_username: String,
    pub accounts: Vec<AccountSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WizardState {
    /// No wizard in this browser.
    None,
    /// It timed out; nothing was merged.
    Expired,
    Active(Box<WizardView>),
    /// The database could not be read; the reference is in the log.
    Fault(String),
}

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use crate::state::AppState;
    use crate::wizard::service::{Ctx, Reply};
    use axum::http::{header, StatusCode};
    use leptos::prelude::*;

    pub fn ctx() -> (AppState, Ctx) {
        let app = expect_context::<AppState>();
        let parts = use_context::<http::request::Parts>();
        let ctx = Ctx::from_parts(parts.as_ref(), &app.settings);
        (app, ctx)
    }

    /// Sends the browser to `reply.location` with 303, and sets the cookie.
    pub fn answer(reply: Reply) {
        let res = expect_context::<leptos_axum::ResponseOptions>();
        if let Some(c) = &reply.set_cookie {
            if let Ok(v) = header::HeaderValue::from_str(c) {
                res.append_header(header::SET_COOKIE, v);
            }
        }
        res.insert_header(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
        leptos_axum::redirect(&reply.location);
        res.set_status(StatusCode::SEE_OTHER);
    }
}

/// Reads the wizard of this browser for the page being rendered.
#[server(endpoint = "wizard/state")]
pub async fn load_wizard() -> Result<WizardState, ServerFnError> {
    let (app, ctx) = server::ctx();
    Ok(crate::wizard::service::state(&app, &ctx).await)
}

/// Account Lookup: username and TIN.
#[server(endpoint = "wizard/lookup")]
pub async fn lookup_account(username: String, tin: String) -> Result<(), ServerFnError> {
    let (app, ctx) = server::ctx();
    server::answer(crate::wizard::service::lookup_account(&app, &ctx, &username, &tin).await);
    Ok(())
}

/// Account Verification: the security answer or the PIN.
#[server(endpoint = "wizard/verify")]
pub async fn verify_security_answer(answer: String) -> Result<(), ServerFnError> {
    let (app, ctx) = server::ctx();
    server::answer(crate::wizard::service::verify_security_answer(&app, &ctx, &answer).await);
    Ok(())
}

/// Email Address Verification: sends a code.
#[server(endpoint = "wizard/email")]
pub async fn send_email_code(email: String, verify_email: String) -> Result<(), ServerFnError> {
    let (app, ctx) = server::ctx();
    server::answer(
        crate::wizard::service::send_email_code(&app, &ctx, &email, &verify_email).await,
    );
    Ok(())
}

/// Security Code Verification: `Request New Code`.
#[server(endpoint = "wizard/resend")]
pub async fn resend_email_code() -> Result<(), ServerFnError> {
    let (app, ctx) = server::ctx();
    server::answer(crate::wizard::service::resend_email_code(&app, &ctx).await);
    Ok(())
}

/// Security Code Verification: the code.
#[server(endpoint = "wizard/code")]
pub async fn verify_email_code(code: String) -> Result<(), ServerFnError> {
    let (app, ctx) = server::ctx();
    server::answer(crate::wizard::service::verify_email_code(&app, &ctx, &code).await);
    Ok(())
}

/// Verify Username and Password: `Submit`.
#[server(endpoint = "wizard/password")]
pub async fn verify_legacy_password(
    username: String,
    password: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = server::ctx();
    server::answer(
        crate::wizard::service::verify_legacy_password(&app, &ctx, &username, &password).await,
    );
    Ok(())
}

/// Accounts to consolidate: `Add another account`.
#[server(endpoint = "wizard/another")]
pub async fn add_another_account() -> Result<(), ServerFnError> {
    let (app, ctx) = server::ctx();
    server::answer(crate::wizard::service::add_another_account(&app, &ctx).await);
    Ok(())
}

/// Accounts to consolidate: `Finish` merges everything in one transaction.
#[server(endpoint = "wizard/finish")]
pub async fn finish_consolidation() -> Result<(), ServerFnError> {
    let (app, ctx) = server::ctx();
    server::answer(crate::wizard::service::finish(&app, &ctx).await);
    Ok(())
}

/// `Previous`: one step back, keeping what was typed on this page (but secrets).
#[server(endpoint = "wizard/previous")]
pub async fn go_previous(
    email: Option<String>,
    verify_email: Option<String>,
) -> Result<(), ServerFnError> {
    let (app, ctx) = server::ctx();
    server::answer(crate::wizard::service::go_previous(&app, &ctx, email, verify_email).await);
    Ok(())
}

/// `Cancel`: abandons the wizard; nothing is merged.
#[server(endpoint = "wizard/cancel")]
pub async fn cancel_wizard() -> Result<(), ServerFnError> {
    let (app, ctx) = server::ctx();
    server::answer(crate::wizard::service::cancel_wizard(&app, &ctx).await);
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
    go_previous_url => GoPrevious,
    add_another_account_url => AddAnotherAccount,
    finish_consolidation_url => FinishConsolidation,
    cancel_wizard_url => CancelWizard,
}
