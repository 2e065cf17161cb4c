//! The rest of the sign-in page: Forgot Username, Forgot Password and
//! Register with a registration code. Like the wizard, each page is rendered
//! on the server from the flow's state (kept in the database behind the
//! `pp_flow` cookie), and each form posts to a server function that answers
//! with a redirect to the page that shows the outcome.

#[cfg(feature = "ssr")]
pub mod service;

use crate::i18n::{t, tr, Msg};
use crate::islands::{ResendCountdown, ShowPassword};
use crate::wizard::api::{FieldError, Flash};
use crate::wizard::ui::{ErrorSummary, Field};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// Every page of the three flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Page {
    FuEmail,
    FuSent,
    FpUsername,
    FpCode,
    FpNew,
    RegStart,
    RegAccount,
    RegCode,
    RegPassword,
    RegDone,
}

impl Page {
    pub const ALL: [Page; 10] = [
        Page::FuEmail,
        Page::FuSent,
        Page::FpUsername,
        Page::FpCode,
        Page::FpNew,
        Page::RegStart,
        Page::RegAccount,
        Page::RegCode,
        Page::RegPassword,
        Page::RegDone,
    ];

    /// The flow it belongs to, as stored.
    pub fn kind(self) -> &'static str {
        match self {
            Page::FuEmail | Page::FuSent => "forgot_username",
            Page::FpUsername | Page::FpCode | Page::FpNew => "forgot_password",
            _ => "register",
        }
    }

    /// The step, as stored.
    pub fn step(self) -> &'static str {
        match self {
            Page::FuEmail => "email",
            Page::FuSent => "sent",
            Page::FpUsername => "username",
            Page::FpCode | Page::RegCode => "code",
            Page::FpNew => "new_password",
            Page::RegStart => "registration_code",
            Page::RegAccount => "account",
            Page::RegPassword => "password",
            Page::RegDone => "done",
        }
    }

    /// The page for a stored flow; with an unknown step, its first page.
    pub fn from_db(kind: &str, step: &str) -> Option<Page> {
        Page::ALL
            .into_iter()
            .find(|p| p.kind() == kind && p.step() == step)
            .or_else(|| {
                (step.is_empty())
                    .then(|| Page::ALL.into_iter().find(|p| p.kind() == kind))
                    .flatten()
            })
    }

    /// The page a flow of this kind starts at.
    pub fn first(self) -> Page {
        match self.kind() {
            "forgot_username" => Page::FuEmail,
            "forgot_password" => Page::FpUsername,
            _ => Page::RegStart,
        }
    }

    pub fn is_code(self) -> bool {
        matches!(self, Page::FpCode | Page::RegCode)
    }

    pub fn path(self) -> &'static str {
        match self {
            Page::FuEmail => "/forgot-username",
            Page::FuSent => "/forgot-username/sent",
            Page::FpUsername => "/forgot-password",
            Page::FpCode => "/forgot-password/code",
            Page::FpNew => "/forgot-password/new",
            Page::RegStart => "/register",
            Page::RegAccount => "/register/account",
            Page::RegCode => "/register/code",
            Page::RegPassword => "/register/password",
            Page::RegDone => "/register/done",
        }
    }

    /// The catalogue key of the page's heading.
    pub fn heading(self) -> &'static str {
        match self {
            Page::FuEmail => "link-forgot-username",
            Page::FuSent => "heading-check-email",
            Page::FpUsername => "link-forgot-password",
            Page::FpCode | Page::RegCode => "step-code",
            Page::FpNew => "heading-new-password",
            Page::RegStart => "link-register",
            Page::RegAccount => "heading-create-login",
            Page::RegPassword => "heading-choose-password",
            Page::RegDone => "heading-registered",
        }
    }

    /// The quick guide's section for the page.
    pub fn help_anchor(self) -> &'static str {
        match self.kind() {
            "forgot_username" => "/help#forgot-username",
            "forgot_password" => "/help#forgot-password",
            _ => "/help#registration",
        }
    }
}

/// Everything a page of the flows shows. Holds no secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowView {
    pub page: Page,
    pub username: String,
    pub tin: String,
    pub email: String,
    pub verify_email: String,
    pub masked_email: String,
    /// Register: the practice and masked TIN of the code.
    pub practice: String,
    pub masked_tin: String,
    pub resend_wait_secs: i64,
    pub flash: Flash,
    /// Registration Complete: the username to sign in with.
    pub sign_in_username: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FlowState {
    None,
    /// It timed out (at the flow whose first page is given).
    Expired(Page),
    Active(Box<FlowView>),
    /// The database could not be read; the reference is in the log.
    Fault(String),
}

#[cfg(feature = "ssr")]
use crate::wizard::api::server::{answer, ctx};

/// Reads this browser's flow for the page being rendered.
#[server(endpoint = "flow/state")]
pub async fn load_flow() -> Result<FlowState, ServerFnError> {
    let (app, ctx) = ctx();
    Ok(service::state(&app, &ctx).await)
}

/// Forgot Username: `Next`.
#[server(endpoint = "forgot_username")]
pub async fn forgot_username(email: String) -> Result<(), ServerFnError> {
    let (app, ctx) = ctx();
    answer(service::forgot_username(&app, &ctx, &email).await);
    Ok(())
}

/// Forgot Password: `Next`.
#[server(endpoint = "forgot_password")]
pub async fn forgot_password(username: String) -> Result<(), ServerFnError> {
    let (app, ctx) = ctx();
    answer(service::forgot_password(&app, &ctx, &username).await);
    Ok(())
}

/// Security Code Verification of Forgot Password or Register: `Next`.
#[server(endpoint = "flow/code")]
pub async fn verify_flow_code(code: String) -> Result<(), ServerFnError> {
    let (app, ctx) = ctx();
    answer(service::verify_code(&app, &ctx, &code).await);
    Ok(())
}

/// Security Code Verification of Forgot Password or Register: `Request New Code`.
#[server(endpoint = "flow/resend")]
pub async fn resend_flow_code() -> Result<(), ServerFnError> {
    let (app, ctx) = ctx();
    answer(service::resend_code(&app, &ctx).await);
    Ok(())
}

/// Choose a New Password: `Save Password`.
#[server(endpoint = "forgot_password/new")]
pub async fn reset_password(
    password: String,
    confirm_password: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = ctx();
    answer(service::reset_password(&app, &ctx, &password, &confirm_password).await);
    Ok(())
}

/// Register: the registration code and its TIN.
#[server(endpoint = "register/start")]
pub async fn register_start(registration_code: String, tin: String) -> Result<(), ServerFnError> {
    let (app, ctx) = ctx();
    answer(service::register_start(&app, &ctx, &registration_code, &tin).await);
    Ok(())
}

/// Create Your Login: username and email.
#[server(endpoint = "register/account")]
pub async fn register_account(
    username: String,
    email: String,
    verify_email: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = ctx();
    answer(service::register_account(&app, &ctx, &username, &email, &verify_email).await);
    Ok(())
}

/// Choose a Password: `Create Account`.
#[server(endpoint = "register/password")]
pub async fn register_password(
    password: String,
    confirm_password: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = ctx();
    answer(service::register_password(&app, &ctx, &password, &confirm_password).await);
    Ok(())
}

/// `Previous` on Register's code page.
#[server(endpoint = "flow/previous")]
pub async fn flow_previous() -> Result<(), ServerFnError> {
    let (app, ctx) = ctx();
    answer(service::previous(&app, &ctx).await);
    Ok(())
}

/// `Cancel` on any page of the flows.
#[server(endpoint = "flow/cancel")]
pub async fn flow_cancel() -> Result<(), ServerFnError> {
    let (app, ctx) = ctx();
    answer(service::cancel(&app, &ctx).await);
    Ok(())
}

fn url<T: leptos::server_fn::ServerFn>() -> &'static str {
    T::PATH
}

fn error_for(errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| tr(&e.message))
}

fn redirect_to(path: &str) {
    #[cfg(feature = "ssr")]
    leptos_axum::redirect(path);
    #[cfg(not(feature = "ssr"))]
    let _ = path;
}

fn blank(page: Page) -> FlowView {
    FlowView {
        page,
        username: String::new(),
        tin: String::new(),
        email: String::new(),
        verify_email: String::new(),
        masked_email: String::new(),
        practice: String::new(),
        masked_tin: String::new(),
        resend_wait_secs: 0,
        flash: Flash::default(),
        sign_in_username: String::new(),
    }
}

/// One page of the flows, from this browser's flow on the server: a first
/// page starts afresh unless the flow is at it; any other page redirects to
/// where the flow really is.
#[component]
pub fn FlowPage(page: Page) -> impl IntoView {
    let query = use_query_map();
    let notice = move || {
        query.with(|q| {
            if let Some(r) = q
                .get("fault")
                .filter(|r| r.len() <= 16 && r.chars().all(|c| c.is_ascii_alphanumeric()))
            {
                return Some((
                    tr(&Msg::new("notice-fault-step").text("reference", r)),
                    "notice notice--error",
                ));
            }
            match q.get("notice").as_deref() {
                Some("out-of-order") => Some((t("notice-out-of-order"), "notice")),
                Some("expired") => Some((t("notice-flow-expired"), "notice")),
                _ => None,
            }
        })
    };
    view! {
        <Title text=crate::app::page_title(page.heading()) />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || Suspend::new(async move {
                let state = load_flow().await.unwrap_or_else(|e| FlowState::Fault(format!("{e}").chars().filter(char::is_ascii_alphanumeric).take(8).collect()));
                let notice = notice();
                match state {
                    FlowState::Fault(r) => view! {
                        <h1 id="page-heading" tabindex="-1" autofocus=true>{t(page.heading())}</h1>
                        <div class="notice notice--error" role="alert">
                            {tr(&Msg::new("fault-open-flow").text("reference", r))}
                        </div>
                    }.into_any(),
                    FlowState::Active(v) if v.page == page => body(*v, notice).into_any(),
                    _ if page == page.first() => body(blank(page), notice).into_any(),
                    FlowState::Active(v) if v.page.kind() == page.kind() => {
                        redirect_to(v.page.path());
                        view! { <p>{format!("{} ", t("continuing-at"))} <a href=v.page.path()>{t(v.page.heading())}</a></p> }.into_any()
                    }
                    state => {
                        let first = page.first();
                        let path = if matches!(state, FlowState::Expired(_)) { format!("{}?notice=expired", first.path()) } else { first.path().to_string() };
                        redirect_to(&path);
                        view! { <p>{format!("{} ", t("starting-at"))} <a href=path>{t(first.heading())}</a></p> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Next (the default button), then Previous and Cancel where they apply.
#[component]
fn Buttons(next: &'static str, #[prop(default = false)] previous: bool) -> impl IntoView {
    view! {
        <div class="buttons">
            <button type="submit" class="button button--primary">{t(next)}</button>
            {previous.then(|| view! {
                <button type="submit" class="button button--secondary" formaction={url::<FlowPrevious>()} formnovalidate=true>{t("button-previous")}</button>
            })}
            <button type="submit" class="button button--link" formaction={url::<FlowCancel>()} formnovalidate=true>{t("button-cancel")}</button>
        </div>
    }
}

fn body(v: FlowView, notice: Option<(String, &'static str)>) -> impl IntoView {
    let page = v.page;
    let errors = v.flash.errors.clone();
    let info = v.flash.info.clone();
    let content = match page {
        Page::FuEmail => forgot_username_page(&v, &errors).into_any(),
        Page::FuSent => sent_page(&v).into_any(),
        Page::FpUsername => forgot_password_page(&v, &errors).into_any(),
        Page::FpCode | Page::RegCode => code_page(&v, &errors).into_any(),
        Page::FpNew | Page::RegPassword => password_page(&v, &errors).into_any(),
        Page::RegStart => register_page(&v, &errors).into_any(),
        Page::RegAccount => account_page(&v, &errors).into_any(),
        Page::RegDone => done_page(&v).into_any(),
    };
    view! {
        <h1 id="page-heading" tabindex="-1" autofocus=errors.is_empty()>{t(page.heading())}</h1>
        {notice.map(|(text, class)| view! { <div class=class role="status">{text}</div> })}
        {info.map(|i| view! { <div class="notice notice--success" role="status">{tr(&i)}</div> })}
        <ErrorSummary errors=errors />
        {content}
        <p class="help-link">{format!("{} ", t("help-link-lead"))} <a href=page.help_anchor()>{t("help-link")}</a></p>
    }
}

fn forgot_username_page(v: &FlowView, errors: &[FieldError]) -> impl IntoView {
    view! {
        <p class="lead">{t("forgot-username-lead")}</p>
        <form method="post" action={url::<ForgotUsername>()} novalidate=true>
            <Field id="email" label=t("label-email") kind="email" value=v.email.clone() autocomplete="email"
                error=error_for(errors, "email") />
            <Buttons next="button-next" />
        </form>
    }
}

fn sent_page(v: &FlowView) -> impl IntoView {
    view! {
        <p class="lead">{tr(&Msg::new("forgot-username-sent").text("email", v.masked_email.clone()))}</p>
        <ul class="checklist">
            <li>{t("code-no-mail-spam")}</li>
            <li>{t("forgot-username-other-address")}</li>
        </ul>
        <p><a class="button button--primary" href="/">{t("back-to-sign-in")}</a></p>
    }
}

fn forgot_password_page(v: &FlowView, errors: &[FieldError]) -> impl IntoView {
    view! {
        <p class="lead">{t("forgot-password-lead")}</p>
        <form method="post" action={url::<ForgotPassword>()} novalidate=true>
            <Field id="username" label=t("label-username") value=v.username.clone() autocomplete="username"
                error=error_for(errors, "username") />
            <Buttons next="button-next" />
        </form>
        <p>{t("forgot-password-username-help")} " " <a href="/forgot-username">{t("link-forgot-username")}</a> "."</p>
    }
}

/// Next comes before Request New Code, so that Enter in the code field
/// verifies the code.
fn code_page(v: &FlowView, errors: &[FieldError]) -> impl IntoView {
    let reset = v.page == Page::FpCode;
    let lead = if reset {
        t("forgot-password-code-lead")
    } else {
        tr(&Msg::new("register-code-lead").text("email", v.masked_email.clone()))
    };
    view! {
        <p class="lead">{lead}</p>
        <form method="post" action={url::<VerifyFlowCode>()} novalidate=true>
            <Field id="code" label=t("label-code") value="" autocomplete="one-time-code" inputmode="numeric"
                hint=t("hint-code") error=error_for(errors, "code") maxlength=16 />
            <Buttons next="button-next" previous=!reset />
            <div class="resend">
                <ResendCountdown wait_secs=v.resend_wait_secs
                    now=t("countdown-now")
                    one=tr(&Msg::new("countdown-wait").number("seconds", 1))
                    other=tr(&Msg::new("countdown-wait").number("seconds", 99)).replace("99", "{n}") />
                <button type="submit" class="button button--secondary" formaction={url::<ResendFlowCode>()} formnovalidate=true>{t("button-new-code")}</button>
            </div>
        </form>
        <h2>{t("code-no-mail-heading")}</h2>
        <ul class="checklist">
            <li>{t("code-no-mail-spam")}</li>
            {reset.then(|| view! { <li>{t("forgot-password-no-mail-address")}</li> })}
            <li>{t("code-no-mail-wait")}</li>
            <li>{t("code-no-mail-office")}</li>
            <li>{t("code-no-mail-support")}</li>
        </ul>
    }
}

/// Choose a (New) Password. The rules are said before the fields; the
/// typed passwords are never sent back.
fn password_page(v: &FlowView, errors: &[FieldError]) -> impl IntoView {
    let reset = v.page == Page::FpNew;
    let (label, confirm_label, button, action) = if reset {
        (
            t("label-new-password"),
            t("label-confirm-new-password"),
            "button-save-password",
            url::<ResetPassword>(),
        )
    } else {
        (
            t("label-password"),
            t("label-confirm-password"),
            "button-create-account",
            url::<RegisterPassword>(),
        )
    };
    view! {
        <p class="lead">{if reset { t("new-password-lead") } else { t("choose-password-lead") }}</p>
        <form method="post" action=action novalidate=true>
            <Field id="password" label=label kind="password" value="" autocomplete="new-password"
                hint=t("hint-new-password") error=error_for(errors, "password") maxlength=512 />
            <ShowPassword target="password".to_string() show=t("show-password") hide=t("hide-password") />
            <Field id="confirm_password" label=confirm_label kind="password" value="" autocomplete="new-password"
                error=error_for(errors, "confirm_password") maxlength=512 />
            <ShowPassword target="confirm_password".to_string() show=t("show-password") hide=t("hide-password") />
            <Buttons next=button />
        </form>
    }
}

fn register_page(v: &FlowView, errors: &[FieldError]) -> impl IntoView {
    view! {
        <p class="lead">{t("register-lead")}</p>
        <form method="post" action={url::<RegisterStart>()} novalidate=true>
            <Field id="registration_code" label=t("label-registration-code") value="" autocomplete="off"
                hint=t("hint-registration-code") error=error_for(errors, "registration_code") maxlength=32 />
            <Field id="tin" label=t("label-tin") value=v.tin.clone() inputmode="numeric" autocomplete="off"
                hint=t("hint-tin") error=error_for(errors, "tin") maxlength=11 />
            <Buttons next="button-next" />
        </form>
        <p>{t("register-no-code")} " " <a href="/help#registration">{t("help-link")}</a> "."</p>
    }
}

fn account_page(v: &FlowView, errors: &[FieldError]) -> impl IntoView {
    view! {
        <p class="lead">{t("create-login-lead")}</p>
        <dl class="facts">
            <dt>{t("col-practice")}</dt><dd>{v.practice.clone()}</dd>
            <dt>{t("label-tin")}</dt><dd>{v.masked_tin.clone()}</dd>
        </dl>
        <form method="post" action={url::<RegisterAccount>()} novalidate=true>
            <Field id="username" label=t("label-username") value=v.username.clone() autocomplete="username"
                hint=t("hint-new-username") error=error_for(errors, "username") />
            <Field id="email" label=t("label-email") kind="email" value=v.email.clone() autocomplete="email"
                hint=t("hint-own-email") error=error_for(errors, "email") />
            <Field id="verify_email" label=t("label-verify-email") kind="email" value=v.verify_email.clone() autocomplete="email"
                hint=t("hint-verify-email") error=error_for(errors, "verify_email") />
            <Buttons next="button-next" />
        </form>
    }
}

fn done_page(v: &FlowView) -> impl IntoView {
    view! {
        <div class="panel panel--success">
            <p>{t("registered-start")}</p>
            <p class="panel__username">{v.sign_in_username.clone()}</p>
            <p>{t("registered-end")}</p>
        </div>
        <dl class="facts">
            <dt>{t("col-practice")}</dt><dd>{v.practice.clone()}</dd>
            <dt>{t("label-tin")}</dt><dd>{v.masked_tin.clone()}</dd>
        </dl>
        <p><a class="button button--primary" href="/">{t("button-go-to-sign-in")}</a></p>
    }
}
