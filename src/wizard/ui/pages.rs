use crate::campaign::api::load_invite;
use crate::domain::Check;
use crate::flow::{FieldError, Flash};
use crate::i18n::{t, tr, Msg};
use crate::islands::{ResendCountdown, ShowPassword};
use crate::ui::{
    accounts_table, fault_reference, load_once, page_title, redirect_to, reference_of,
    ErrorSummary, Field,
};
use crate::wizard::api::{
    add_another_account_url, cancel_wizard_url, choose_new_password_url, finish_consolidation_url,
    go_previous_url, load_wizard, lookup_account_url, resend_email_code_url, send_email_code_url,
    verify_email_code_url, verify_legacy_password_url, verify_security_answer_url, WizardState,
    WizardView,
};
use crate::wizard::step::{Step, STEP_COUNT};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn error_for(errors: &[FieldError], field: &str) -> Option<String> {
    Flash::error_for(errors, field)
}

/// A notice carried in the URL (`?notice=` or `?fault=`), which needs no
/// stored state.
fn notice_text(notice: Option<String>, fault: Option<String>) -> Option<(String, &'static str)> {
    if let Some(r) = fault_reference(fault) {
        return Some((
            tr(&Msg::new("notice-fault-step").text("reference", r)),
            "notice notice--error",
        ));
    }
    let key = match notice.as_deref()? {
        "out-of-order" => "notice-out-of-order",
        "expired" => "notice-expired",
        _ => return None,
    };
    Some((t(key), "notice"))
}

/// One page of the wizard. It reads the wizard's state on the server, and
/// redirects to the step the wizard is really at.
#[component]
pub fn WizardPage(step: Step) -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.with(|q| notice_text(q.get("notice"), q.get("fault")));
    let title = page_title(step.heading());
    let load = load_once(load_wizard());
    // A campaign's link: the username it fills in, and its token.
    let invite = query.with_untracked(|q| q.get("invite").filter(|_| step == Step::Lookup));
    let invited = load_once(async move {
        match invite {
            Some(token) => load_invite(token.clone())
                .await
                .ok()
                .flatten()
                .map(|username| (token, username)),
            None => None,
        }
    });
    view! {
        <Title text=title />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                let invited = invited.clone();
                Suspend::new(async move {
                    let state = load.await.unwrap_or_else(|e| WizardState::Fault(reference_of(&e)));
                    let notice = notice();
                    let blank = |invited: Option<(String, String)>| {
                        let mut v = WizardView::blank(Step::Lookup);
                        if let Some((token, username)) = invited {
                            v.username = username;
                            v.invite = token;
                        }
                        v
                    };
                    let invited = invited.await;
                    match state {
                        WizardState::Active(mut v) if v.step == step => {
                            // At Account Lookup with nothing typed: the link's username.
                            if let Some((token, username)) = invited.filter(|_| v.username.is_empty()) {
                                v.username = username;
                                v.invite = token;
                            }
                            page(*v, notice).into_any()
                        }
                        WizardState::Active(v) if step == Step::Lookup && v.step == Step::Done => {
                            page(blank(invited), notice).into_any()
                        }
                        WizardState::Active(v) => {
                            redirect_to(v.step.path());
                            view! { <p>{format!("{} ", t("continuing-at"))} <a href=v.step.path()>{t(v.step.heading())}</a></p> }.into_any()
                        }
                        WizardState::None | WizardState::Expired if step != Step::Lookup => {
                            let path = if matches!(state, WizardState::Expired) { "/wizard/lookup?notice=expired" } else { "/wizard/lookup" };
                            redirect_to(path);
                            view! { <p>{format!("{} ", t("starting-at"))} <a href=path>{t(Step::Lookup.heading())}</a></p> }.into_any()
                        }
                        WizardState::None => page(blank(invited), notice).into_any(),
                        WizardState::Expired => {
                            page(blank(invited), notice.or_else(|| notice_text(Some("expired".into()), None))).into_any()
                        }
                        WizardState::Fault(r) => view! {
                            <h1 id="page-heading" tabindex="-1" autofocus=true>{t(step.heading())}</h1>
                            <div class="notice notice--error" role="alert">
                                {tr(&Msg::new("fault-open-wizard").text("reference", r))}
                            </div>
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// "Step 2 of 5", and which steps are done.
#[component]
fn StepIndicator(step: Step) -> impl IntoView {
    let n = step.number();
    view! {
        <nav class="steps" aria-label=t("steps-label")>
            <p class="steps__count">{tr(&Msg::new("steps-count").number("n", n.into()).number("count", STEP_COUNT.into()))}</p>
            <ol>
                {Step::ALL[..5]
                    .iter()
                    .map(|s| {
                        let state = if s.number() < n { "done" } else if s.number() == n { "current" } else { "todo" };
                        let label = match state {
                            "done" => tr(&Msg::new("steps-done").text("step", t(s.heading()))),
                            "current" => tr(&Msg::new("steps-current").text("step", t(s.heading()))),
                            _ => tr(&Msg::new("steps-todo").text("step", t(s.heading()))),
                        };
                        view! {
                            <li class=format!("steps__item steps__item--{state}") aria-current=(s.number() == n).then_some("step")>
                                <span aria-hidden="true">{(state == "done").then_some("✓ ")}{t(s.heading())}</span>
                                <span class="visually-hidden">{label}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}

/// Next (the default button), Previous and Cancel.
fn buttons(next: &'static str, previous: bool) -> impl IntoView {
    let previous = previous.then(go_previous_url);
    view! { <crate::ui::Buttons next=next previous=previous cancel=cancel_wizard_url() /> }
}

fn page(v: WizardView, notice: Option<(String, &'static str)>) -> impl IntoView {
    let step = v.step;
    let errors = v.flash.errors.clone();
    let info = v.flash.info.clone();
    let already = v.flash.already_consolidated;
    let body = match step {
        Step::Lookup => lookup(&v, &errors).into_any(),
        Step::Verify => verify(&v, &errors).into_any(),
        Step::Email => email(&v, &errors).into_any(),
        Step::Code => code(&v, &errors).into_any(),
        Step::Password => password(&v, &errors).into_any(),
        Step::NewPassword => new_password(&errors).into_any(),
        Step::Review => review(&v).into_any(),
        Step::Done => thank_you(&v).into_any(),
    };
    view! {
        {(step.number() <= STEP_COUNT).then(|| view! { <StepIndicator step=step /> })}
        <h1 id="page-heading" tabindex="-1" autofocus=errors.is_empty()>{t(step.heading())}</h1>
        {notice.map(|(text, class)| view! { <div class=class role="status">{text}</div> })}
        {already.then(|| view! {
            <div class="notice" role="status">
                {format!("{} ", t("notice-already-consolidated"))}
                <a href="/">{t("notice-already-consolidated-link")}</a> {format!(" {}", t("notice-already-consolidated-end"))}
            </div>
        })}
        {info.map(|i| view! { <div class="notice notice--success" role="status">{tr(&i)}</div> })}
        <ErrorSummary errors=errors />
        {body}
        <p class="help-link">{format!("{} ", t("help-link-lead"))} <a href=step.help_anchor()>{t("help-link")}</a></p>
    }
}

fn lookup(v: &WizardView, errors: &[FieldError]) -> impl IntoView {
    let added = (!v.accounts.is_empty()).then(|| {
        let names: Vec<String> = v.accounts.iter().map(|a| a.username.clone()).collect();
        view! { <p class="hint">{tr(&Msg::new("lookup-already").text("names", names.join(", ")))}</p> }
    });
    view! {
        {added}
        <p class="lead">{t("lookup-lead")}</p>
        <form method="post" action=lookup_account_url() novalidate=true>
            {(!v.invite.is_empty()).then(|| view! { <input type="hidden" name="invite" value=v.invite.clone() /> })}
            <Field id="username" check=Check::Username label=t("label-username") value=v.username.clone() autocomplete="username"
                error=error_for(errors, "username") maxlength=254 />
            <Field id="tin" check=Check::Tin label=t("label-tin") value=v.tin.clone() inputmode="numeric" autocomplete="off"
                hint=t("hint-tin") error=error_for(errors, "tin") maxlength=11 />
            {buttons("button-next", false)}
        </form>
    }
}

fn verify(v: &WizardView, errors: &[FieldError]) -> impl IntoView {
    view! {
        <p class="lead">{t("verify-lead")}</p>
        <form method="post" action=verify_security_answer_url() novalidate=true>
            <Field id="answer" label=crate::i18n::question_text(&v.question) autocomplete="off"
                hint=t("hint-answer")
                error=error_for(errors, "answer") maxlength=128 />
            {buttons("button-next", true)}
        </form>
        <h2>{t("verify-no-answer-heading")}</h2>
        <p>{t("verify-no-answer-text")}</p>
    }
}

fn email(v: &WizardView, errors: &[FieldError]) -> impl IntoView {
    view! {
        <p class="lead">{t("email-lead")}</p>
        <form method="post" action=send_email_code_url() novalidate=true>
            <Field id="email" check=Check::Email label=t("label-email") kind="email" value=v.email.clone() autocomplete="email"
                error=error_for(errors, "email") />
            <Field id="verify_email" check=Check::VerifyEmail label=t("label-verify-email") kind="email" value=v.verify_email.clone() autocomplete="email"
                hint=t("hint-verify-email") error=error_for(errors, "verify_email") />
            {buttons("button-next", true)}
        </form>
    }
}

/// Next comes before Request New Code in the form, so that Enter in the
/// code field (the form's default button) verifies the code.
fn code(v: &WizardView, errors: &[FieldError]) -> impl IntoView {
    view! {
        <p class="lead">
            {format!("{} ", t("code-lead-start"))} <strong>{v.masked_email.clone()}</strong>
            {t("code-lead-end")}
        </p>
        <form method="post" action=verify_email_code_url() novalidate=true>
            <Field id="code" check=Check::Code label=t("label-code") value="" autocomplete="one-time-code" inputmode="numeric"
                hint=t("hint-code") error=error_for(errors, "code") maxlength=16 />
            {buttons("button-next", true)}
            <div class="resend">
                <ResendCountdown wait_secs=v.resend_wait_secs
                    now=t("countdown-now")
                    one=tr(&Msg::new("countdown-wait").number("seconds", 1))
                    other=tr(&Msg::new("countdown-wait").number("seconds", 99)).replace("99", "{n}") />
                <button type="submit" class="button button--secondary" formaction=resend_email_code_url() formnovalidate=true>{t("button-new-code")}</button>
            </div>
        </form>
        <h2>{t("code-no-mail-heading")}</h2>
        <ul class="checklist">
            <li>{t("code-no-mail-spam")}</li>
            <li>{t("code-no-mail-address")}</li>
            <li>{t("code-no-mail-wait")}</li>
            <li>{t("code-no-mail-office")}</li>
            <li>{t("code-no-mail-support")}</li>
        </ul>
    }
}

/// The username typed comes back with an error (kept in the flash); the
/// password never does.
fn password(v: &WizardView, errors: &[FieldError]) -> impl IntoView {
    view! {
        <p class="lead">{t("password-lead")}</p>
        <form method="post" action=verify_legacy_password_url() novalidate=true>
            <Field id="username" check=Check::Username label=t("label-username") value=v.flash.kept("username") autocomplete="username" error=error_for(errors, "username") />
            <Field id="password" label=t("label-password") kind="password" value="" autocomplete="current-password"
                hint=t("hint-password") error=error_for(errors, "password") maxlength=128 />
            <ShowPassword target="password".to_string() show=t("show-password") hide=t("hide-password") />
            {buttons("button-submit", true)}
        </form>
    }
}

/// The old password proven is below today's rules: the new login's
/// password is chosen here (the same fields and rules as Register).
fn new_password(errors: &[FieldError]) -> impl IntoView {
    view! {
        <p class="lead">{t("wizard-new-password-lead")}</p>
        <form method="post" action=choose_new_password_url() novalidate=true>
            <Field id="password" check=Check::NewPassword label=t("label-new-password") kind="password" value="" autocomplete="new-password"
                hint=t("hint-new-password") error=error_for(errors, "password") maxlength=512 />
            <ShowPassword target="password".to_string() show=t("show-password") hide=t("hide-password") />
            <Field id="confirm_password" check=Check::ConfirmPassword label=t("label-confirm-new-password") kind="password" value="" autocomplete="new-password"
                error=error_for(errors, "confirm_password") maxlength=512 />
            <ShowPassword target="confirm_password".to_string() show=t("show-password") hide=t("hide-password") />
            {buttons("button-next", true)}
        </form>
    }
}

fn review(v: &WizardView) -> impl IntoView {
    view! {
        <p class="lead">{t("review-lead")}</p>
        {accounts_table(&v.accounts)}
        <p>{t("review-more")}</p>
        <form method="post" action=finish_consolidation_url()>
            <div class="buttons">
                <button type="submit" id="finish" class="button button--primary">{t("button-finish")}</button>
                <button type="submit" class="button button--secondary" formaction=add_another_account_url()>{t("button-add-another")}</button>
                <button type="submit" class="button button--link" formaction=cancel_wizard_url() formnovalidate=true>{t("button-cancel")}</button>
            </div>
        </form>
    }
}

fn thank_you(v: &WizardView) -> impl IntoView {
    view! {
        <div class="panel panel--success">
            <p>{t("done-start")}</p>
            <p class="panel__username">{v.sign_in_username.clone()}</p>
            <p>{t("done-end")}</p>
        </div>
        <h2>{t("done-list-heading")}</h2>
        {accounts_table(&v.accounts)}
        {crate::ui::protect_next()}
    }
}
