use super::fields::{ErrorSummary, Field};
use crate::islands::{ResendCountdown, ShowPassword};
use crate::wizard::api::{
    add_another_account_url, cancel_wizard_url, finish_consolidation_url, go_previous_url,
    load_wizard, lookup_account_url, resend_email_code_url, send_email_code_url,
    verify_email_code_url, verify_legacy_password_url, verify_security_answer_url, AccountSummary,
    FieldError, WizardState, WizardView,
};
use crate::wizard::step::{Step, STEP_COUNT};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Sends the browser elsewhere while the page is rendered on the server.
fn redirect_to(path: &str) {
    #[cfg(feature = "ssr")]
    leptos_axum::redirect(path);
    #[cfg(not(feature = "ssr"))]
    let _ = path;
}

fn error_for(errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.clone())
}

/// A notice carried in the URL (`?notice=` or `?fault=`), which needs no
/// stored state.
fn notice_text(notice: Option<String>, fault: Option<String>) -> Option<(String, &'static str)> {
    if let Some(r) = fault.filter(|r| r.len() <= 16 && r.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return Some((
            format!("Something went wrong on our side and that step was not completed. What you entered before is kept: please try again in a minute. If it keeps happening, contact support and quote reference {r}."),
            "notice notice--error",
        ));
    }
    let text = match notice.as_deref()? {
        "out-of-order" => "That page was out of date, so nothing was changed. You can carry on from here.",
        "expired" => "For your security, the account set-up ends after 15 minutes without activity or 60 minutes in all. Nothing was changed: please start again.",
        _ => return None,
    };
    Some((text.to_string(), "notice"))
}

/// One page of the wizard. It reads the wizard's state on the server, and
/// redirects to the step the wizard is really at.
#[component]
pub fn WizardPage(step: Step) -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.with(|q| notice_text(q.get("notice"), q.get("fault")));
    let title = format!("{} - Provider Portal", step.heading());
    view! {
        <Title text=title />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let state = load_wizard().await.unwrap_or_else(|e| WizardState::Fault(format!("{e}").chars().filter(char::is_ascii_alphanumeric).take(8).collect()));
                let notice = notice();
                match state {
                    WizardState::Active(v) if v.step == step => page(*v, notice).into_any(),
                    WizardState::Active(v) if step == Step::Lookup && v.step == Step::Done => {
                        page(WizardView { step: Step::Lookup, ..blank() }, notice).into_any()
                    }
                    WizardState::Active(v) => {
                        redirect_to(v.step.path());
                        view! { <p>"Continuing at " <a href=v.step.path()>{v.step.heading()}</a></p> }.into_any()
                    }
                    WizardState::None | WizardState::Expired if step != Step::Lookup => {
                        let path = if matches!(state, WizardState::Expired) { "/wizard/lookup?notice=expired" } else { "/wizard/lookup" };
                        redirect_to(path);
                        view! { <p>"Starting at " <a href=path>"Account Lookup"</a></p> }.into_any()
                    }
                    WizardState::None => page(blank(), notice).into_any(),
                    WizardState::Expired => {
                        page(blank(), notice.or_else(|| notice_text(Some("expired".into()), None))).into_any()
                    }
                    WizardState::Fault(r) => view! {
                        <h1>{step.heading()}</h1>
                        <div class="notice notice--error" role="alert">
                            {format!("We cannot open your account set-up right now. Please try again in a minute. If it keeps happening, contact support and quote reference {r}.")}
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn blank() -> WizardView {
    WizardView {
        step: Step::Lookup,
        username: String::new(),
        tin: String::new(),
        question: String::new(),
        email: String::new(),
        verify_email: String::new(),
        masked_email: String::new(),
        resend_wait_secs: 0,
        flash: Default::default(),
        sign_in_username: String::new(),
        accounts: Vec::new(),
    }
}

/// "Step 2 of 5", and which steps are done.
#[component]
fn StepIndicator(step: Step) -> impl IntoView {
    let n = step.number();
    view! {
        <nav class="steps" aria-label="Progress">
            <p class="steps__count">{format!("Step {n} of {STEP_COUNT}")}</p>
            <ol>
                {Step::ALL[..5]
                    .iter()
                    .map(|s| {
                        let state = if s.number() < n { "done" } else if *s == step { "current" } else { "todo" };
                        let label = match state {
                            "done" => format!("{} (completed)", s.heading()),
                            _ => s.heading().to_string(),
                        };
                        view! {
                            <li class=format!("steps__item steps__item--{state}") aria-current=(*s == step).then_some("step")>
                                {label}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}

/// Next (the default button), Previous and Cancel.
#[component]
fn Buttons(next: &'static str, #[prop(default = true)] previous: bool) -> impl IntoView {
    view! {
        <div class="buttons">
            <button type="submit" class="button button--primary">{next}</button>
            {previous.then(|| view! {
                <button type="submit" class="button button--secondary" formaction=go_previous_url() formnovalidate=true>"Previous"</button>
            })}
            <button type="submit" class="button button--link" formaction=cancel_wizard_url() formnovalidate=true>"Cancel"</button>
        </div>
    }
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
        Step::Review => review(&v).into_any(),
        Step::Done => thank_you(&v).into_any(),
    };
    view! {
        {(step.number() <= STEP_COUNT).then(|| view! { <StepIndicator step=step /> })}
        <h1 id="page-heading" tabindex="-1">{step.heading()}</h1>
        {notice.map(|(text, class)| view! { <div class=class role="status">{text}</div> })}
        {already.then(|| view! {
            <div class="notice" role="status">
                "This account has already been moved to the new portal, so there is nothing more to do for it. "
                <a href="/">"Sign in"</a>" with your new portal username and password."
            </div>
        })}
        {info.map(|i| view! { <div class="notice notice--success" role="status">{i}</div> })}
        <ErrorSummary errors=errors />
        {body}
        <p class="help-link">"Having trouble? " <a href=step.help_anchor()>"View our quick guide."</a></p>
    }
}

fn lookup(v: &WizardView, errors: &[FieldError]) -> impl IntoView {
    let added = (!v.accounts.is_empty()).then(|| {
        let names: Vec<String> = v.accounts.iter().map(|a| a.username.clone()).collect();
        view! { <p class="hint">{format!("Already in your list: {}.", names.join(", "))}</p> }
    });
    view! {
        {added}
        <p class="lead">"We need to look up your information before you begin. Enter your username, and any Tax ID number associated with your account, then click Next to continue."</p>
        <form method="post" action=lookup_account_url() novalidate=true>
            <Field id="username" label="Username".into() value=v.username.clone() autocomplete="username"
                error=error_for(errors, "username") maxlength=254 />
            <Field id="tin" label="Tax ID Number".into() value=v.tin.clone() inputmode="numeric" autocomplete="off"
                hint="9 digits, with or without the dash: 836576879 or 83-6576879" error=error_for(errors, "tin") maxlength=11 />
            <Buttons next="Next" previous=false />
        </form>
    }
}

fn verify(v: &WizardView, errors: &[FieldError]) -> impl IntoView {
    view! {
        <p class="lead">"Please enter the answer to your security question or your pin below to verify your account."</p>
        <form method="post" action=verify_security_answer_url() novalidate=true>
            <Field id="answer" label=v.question.clone() autocomplete="off"
                hint="Type the answer, or the account's PIN instead. Capital letters don't matter. After 5 wrong tries this step is locked for 15 minutes."
                error=error_for(errors, "answer") maxlength=128 />
            <Buttons next="Next" />
        </form>
    }
}

fn email(v: &WizardView, errors: &[FieldError]) -> impl IntoView {
    view! {
        <p class="lead">"Please enter your own email address and not a shared one. We will email you a code for verification. We will also use this email address in case you forget your username or need to reset your password."</p>
        <form method="post" action=send_email_code_url() novalidate=true>
            <Field id="email" label="Email".into() kind="email" value=v.email.clone() autocomplete="email"
                error=error_for(errors, "email") />
            <Field id="verify_email" label="Verify Email".into() kind="email" value=v.verify_email.clone() autocomplete="email"
                hint="Type the same address again." error=error_for(errors, "verify_email") />
            <Buttons next="Next" />
        </form>
    }
}

fn code(v: &WizardView, errors: &[FieldError]) -> impl IntoView {
    view! {
        <p class="lead">
            "We emailed a 6-digit code to " <strong>{v.masked_email.clone()}</strong>
            ". It can take a minute to arrive: if you don't see it, check your spam or junk folder. The code works for 10 minutes."
        </p>
        <form method="post" action=verify_email_code_url() novalidate=true>
            <Field id="code" label="Verification Code".into() value="" autocomplete="one-time-code" inputmode="numeric"
                hint="The 6 digits from the email, like 123456." error=error_for(errors, "code") maxlength=16 />
            <div class="resend">
                <ResendCountdown wait_secs=v.resend_wait_secs />
                <button type="submit" class="button button--secondary" formaction=resend_email_code_url() formnovalidate=true>"Request New Code"</button>
            </div>
            <Buttons next="Next" />
        </form>
        <p class="hint">"Wrong address? Select Previous to change it."</p>
    }
}

fn password(v: &WizardView, errors: &[FieldError]) -> impl IntoView {
    let _ = v;
    view! {
        <p class="lead">"Enter username and password for your existing account."</p>
        <form method="post" action=verify_legacy_password_url() novalidate=true>
            <Field id="username" label="Username".into() value="" autocomplete="username" error=error_for(errors, "username") />
            <Field id="password" label="Password".into() kind="password" value="" autocomplete="current-password"
                hint="After 5 wrong tries this step is locked for 15 minutes." error=error_for(errors, "password") maxlength=128 />
            <ShowPassword target="password".to_string() />
            <div class="buttons">
                <button type="submit" class="button button--primary">"Submit"</button>
                <button type="submit" class="button button--secondary" formaction=go_previous_url() formnovalidate=true>"Previous"</button>
                <button type="submit" class="button button--link" formaction=cancel_wizard_url() formnovalidate=true>"Cancel"</button>
            </div>
        </form>
    }
}

/// Practices, old usernames, roles and masked TINs, as a table.
pub fn accounts_table(accounts: &[AccountSummary]) -> impl IntoView {
    view! {
        <table class="accounts">
            <caption class="visually-hidden">"Accounts"</caption>
            <thead>
                <tr><th scope="col">"Practice"</th><th scope="col">"Old username"</th><th scope="col">"Role"</th><th scope="col">"Tax ID Numbers"</th></tr>
            </thead>
            <tbody>
                {accounts.iter().map(|a| view! {
                    <tr>
                        <td>{a.practice.clone()}</td>
                        <td>{a.username.clone()}</td>
                        <td>{a.role.clone()}</td>
                        <td>{a.masked_tins.join(", ")}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

fn review(v: &WizardView) -> impl IntoView {
    view! {
        <p class="lead">"These old accounts are ready to be moved into one login. Nothing has been merged yet."</p>
        {accounts_table(&v.accounts)}
        <p>"Do you have another old account? Add it now, so that all your Tax ID Numbers are under one login. When the list is complete, select Finish."</p>
        <form method="post" action=finish_consolidation_url()>
            <div class="buttons">
                <button type="submit" class="button button--primary">"Finish"</button>
                <button type="submit" class="button button--secondary" formaction=add_another_account_url()>"Add another account"</button>
                <button type="submit" class="button button--link" formaction=cancel_wizard_url() formnovalidate=true>"Cancel"</button>
            </div>
        </form>
    }
}

fn thank_you(v: &WizardView) -> impl IntoView {
    view! {
        <div class="panel panel--success">
            <p>"Your accounts are now under one login. Sign in to the new portal with the username"</p>
            <p class="panel__username">{v.sign_in_username.clone()}</p>
            <p>"and the password of that account."</p>
        </div>
        <h2>"Accounts under this login"</h2>
        {accounts_table(&v.accounts)}
        <p><a class="button button--primary" href="/">"Go to sign in"</a></p>
    }
}
