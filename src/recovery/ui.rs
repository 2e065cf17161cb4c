//! The pages of the flows. Like the wizard's, each is rendered on the
//! server from the flow's state (kept in the database behind the `pp_flow`
//! cookie), and each form posts to a server function that answers with a
//! redirect to the page that shows the outcome.

use super::api::*;
use super::step::Page;
use super::view::{FlowState, FlowView};
use crate::domain::Check;
use crate::flow::{FieldError, Flash};
use crate::i18n::{t, tr, Msg};
use crate::islands::{ResendCountdown, ShowPassword};
use crate::ui::{
    fault_reference, load_once, page_title, redirect_to, reference_of, ErrorSummary, Field,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn error_for(errors: &[FieldError], field: &str) -> Option<String> {
    Flash::error_for(errors, field)
}

/// One page of the flows, from this browser's flow on the server: a first
/// page starts afresh unless the flow is at it; any other page redirects to
/// where the flow really is.
#[component]
pub fn FlowPage(page: Page) -> impl IntoView {
    let query = use_query_map();
    let notice = move || {
        query.with(|q| {
            if let Some(r) = fault_reference(q.get("fault")) {
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
    let load = load_once(load_flow());
    view! {
        <Title text=page_title(page.heading()) />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let state = load.await.unwrap_or_else(|e| FlowState::Fault(reference_of(&e)));
                    let notice = notice();
                    match state {
                        FlowState::Fault(r) => view! {
                            <h1 id="page-heading" tabindex="-1" autofocus=true>{t(page.heading())}</h1>
                            <div class="notice notice--error" role="alert">
                                {tr(&Msg::new("fault-open-flow").text("reference", r))}
                            </div>
                        }.into_any(),
                        FlowState::Active(v) if v.page == page => body(*v, notice).into_any(),
                        _ if page == page.first() => body(FlowView::blank(page), notice).into_any(),
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
                })
            }}
        </Suspense>
    }
}

/// Next (the default button), then Previous and Cancel where they apply.
fn buttons(next: &'static str, previous: bool) -> impl IntoView {
    let previous = previous.then(url::<FlowPrevious>);
    let cancel = url::<FlowCancel>();
    view! { <crate::ui::Buttons next=next previous=previous cancel=cancel /> }
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
            <Field id="email" check=Check::Email label=t("label-email") kind="email" value=v.email.clone() autocomplete="email"
                error=error_for(errors, "email") />
            {buttons("button-next", false)}
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
            <Field id="username" check=Check::Username label=t("label-username") value=v.username.clone() autocomplete="username"
                error=error_for(errors, "username") />
            {buttons("button-next", false)}
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
            <Field id="code" check=Check::Code label=t("label-code") value="" autocomplete="one-time-code" inputmode="numeric"
                hint=t("hint-code") error=error_for(errors, "code") maxlength=16 />
            {buttons("button-next", !reset)}
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
            <Field id="password" check=Check::NewPassword label=label kind="password" value="" autocomplete="new-password"
                hint=t("hint-new-password") error=error_for(errors, "password") maxlength=512 />
            <ShowPassword target="password".to_string() show=t("show-password") hide=t("hide-password") />
            <Field id="confirm_password" check=Check::ConfirmPassword label=confirm_label kind="password" value="" autocomplete="new-password"
                error=error_for(errors, "confirm_password") maxlength=512 />
            <ShowPassword target="confirm_password".to_string() show=t("show-password") hide=t("hide-password") />
            {buttons(button, false)}
        </form>
    }
}

fn register_page(v: &FlowView, errors: &[FieldError]) -> impl IntoView {
    view! {
        <p class="lead">{t("register-lead")}</p>
        <form method="post" action={url::<RegisterStart>()} novalidate=true>
            <Field id="registration_code" check=Check::RegistrationCode label=t("label-registration-code") value="" autocomplete="off"
                hint=t("hint-registration-code") error=error_for(errors, "registration_code") maxlength=32 />
            <Field id="tin" check=Check::Tin label=t("label-tin") value=v.tin.clone() inputmode="numeric" autocomplete="off"
                hint=t("hint-tin") error=error_for(errors, "tin") maxlength=11 />
            {buttons("button-next", false)}
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
            <Field id="username" check=Check::Username label=t("label-username") value=v.username.clone() autocomplete="username"
                hint=t("hint-new-username") error=error_for(errors, "username") />
            <Field id="email" check=Check::Email label=t("label-email") kind="email" value=v.email.clone() autocomplete="email"
                hint=t("hint-own-email") error=error_for(errors, "email") />
            <Field id="verify_email" check=Check::VerifyEmail label=t("label-verify-email") kind="email" value=v.verify_email.clone() autocomplete="email"
                hint=t("hint-verify-email") error=error_for(errors, "verify_email") />
            {buttons("button-next", false)}
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
        {crate::ui::protect_next()}
    }
}
