//! The shell, the routes and the pages outside the wizard.

use crate::wizard::step::Step;
use crate::wizard::ui::WizardPage;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    hooks::use_query_map,
    path, SsrMode,
};

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The Content-Security-Policy's nonce for this response's inline script.
    #[cfg(feature = "ssr")]
    if let Some(n) = use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<crate::guard::CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(n.0));
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="description" content="Move your old provider portal accounts into one new portal login." />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/provider-portal.css" />
        <Title text="Provider Portal" />
        <a class="skip-link" href="#main">"Skip to main content"</a>
        <header class="site-header">
            <div class="site-header__inner">
                <a class="site-header__name" href="/">"Provider Portal"</a>
            </div>
        </header>
        <Router>
            <main id="main" class="page">
                <Routes fallback=NotFound>
                    <Route path=path!("") view=SignInPage />
                    <Route path=path!("wizard/lookup") view=|| view! { <WizardPage step=Step::Lookup /> } ssr=SsrMode::Async />
                    <Route path=path!("wizard/verify") view=|| view! { <WizardPage step=Step::Verify /> } ssr=SsrMode::Async />
                    <Route path=path!("wizard/email") view=|| view! { <WizardPage step=Step::Email /> } ssr=SsrMode::Async />
                    <Route path=path!("wizard/code") view=|| view! { <WizardPage step=Step::Code /> } ssr=SsrMode::Async />
                    <Route path=path!("wizard/password") view=|| view! { <WizardPage step=Step::Password /> } ssr=SsrMode::Async />
                    <Route path=path!("wizard/done") view=|| view! { <WizardPage step=Step::Done /> } ssr=SsrMode::Async />
                    <Route path=path!("wizard/accounts") view=|| view! { <WizardPage step=Step::Review /> } ssr=SsrMode::Async />
                    <Route path=path!("accounts") view=crate::signin::MyAccountsPage ssr=SsrMode::Async />
                    <Route path=path!("help") view=HelpPage />
                    <Route path=path!("forgot-username") view=|| view! { <LaterPage title="Forgot Username" /> } />
                    <Route path=path!("forgot-password") view=|| view! { <LaterPage title="Forgot Password" /> } />
                    <Route path=path!("register") view=|| view! { <LaterPage title="Register" /> } />
                </Routes>
            </main>
        </Router>
        <footer class="site-footer">
            <p>"Provider Portal. " <a href="/help">"Quick guide"</a></p>
        </footer>
    }
}

/// The sign-in page: the site's front page.
#[component]
fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || {
        query.with(|q| match q.get("notice").as_deref() {
            Some("cancelled") => Some("You cancelled the account set-up. Nothing was changed."),
            Some("signed-out") => Some("You are signed out."),
            _ => None,
        })
    };
    let failed = move || query.with(|q| q.get("error").as_deref() == Some("credentials"));
    let typed = move || query.with(|q| q.get("username").unwrap_or_default());
    let fault = move || {
        query.with(|q| {
            q.get("fault")
                .filter(|r| r.len() <= 16 && r.chars().all(|c| c.is_ascii_alphanumeric()))
        })
    };
    view! {
        <Title text="Sign in - Provider Portal" />
        <h1 id="page-heading">"Sign in"</h1>
        {move || notice().map(|n| view! { <div class="notice" role="status">{n}</div> })}
        {move || fault().map(|r| view! {
            <div class="notice notice--error" role="alert">
                {format!("Something went wrong on our side. Please try again in a minute. If it keeps happening, contact support and quote reference {r}.")}
            </div>
        })}
        {move || failed().then(|| view! {
            <div class="error-summary" role="alert" tabindex="-1" id="error-summary">
                <h2>"There is a problem"</h2>
                <ul><li><a href="#password">"The username or password is not right. Check both and try again. After 5 wrong tries, sign-in is locked for 15 minutes."</a></li></ul>
            </div>
        })}
        <div class="signin">
            <form class="signin__form" method="post" action=crate::signin::sign_in_url() novalidate=true>
                <div class="field">
                    <label for="username">"Username"</label>
                    <input id="username" name="username" type="text" autocomplete="username" spellcheck="false" autocapitalize="none" maxlength="254" value=typed />
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" maxlength="128"
                        aria-invalid=move || failed().then_some("true") />
                </div>
                <div class="buttons">
                    <button type="submit" class="button button--primary">"Login"</button>
                </div>
                <ul class="signin__links">
                    <li><a href="/forgot-username">"Forgot Username"</a></li>
                    <li><a href="/forgot-password">"Forgot Password"</a></li>
                    <li><a href="/register">"Register"</a></li>
                </ul>
            </form>
            <div class="signin__info">
                <p>
                    "If you have an account with us and it's your first time visiting our new portal, please "
                    <a href="/wizard/lookup">"click here to continue"</a> "."
                </p>
                <p>"If you're new, and have a registration code, click Register below to begin."</p>
                <p>
                    "If you haven't received a code or are having trouble, "
                    <a href="/help#registration">"view our quick guide"</a>
                    " for more information."
                </p>
            </div>
        </div>
    }
}

/// The quick guide: one section per step, each page links to its own.
#[component]
fn HelpPage() -> impl IntoView {
    view! {
        <Title text="Quick guide - Provider Portal" />
        <h1 id="page-heading">"Quick guide: moving your accounts to the new portal"</h1>
        <p class="lead">"If you had several accounts on the old portals (one per Tax ID Number, practice or system), you can move them all into one login on the new portal. It takes about five minutes for the first account. Have ready: each old account's username and password, a Tax ID Number (TIN) it bills under, the answer to its security question (or its PIN), and your own email address."</p>
        <nav aria-label="Steps in this guide">
            <ol class="toc">
                <li><a href="#start">"Start"</a></li>
                <li><a href="#account-lookup">"Account Lookup"</a></li>
                <li><a href="#account-verification">"Account Verification"</a></li>
                <li><a href="#email-address-verification">"Email Address Verification"</a></li>
                <li><a href="#security-code-verification">"Security Code Verification"</a></li>
                <li><a href="#verify-username-and-password">"Verify Username and Password"</a></li>
                <li><a href="#add-another-account">"Add another account or Finish"</a></li>
                <li><a href="#thank-you">"Thank You"</a></li>
                <li><a href="#registration">"Registration codes"</a></li>
            </ol>
        </nav>
        <section id="start">
            <h2>"Start"</h2>
            <p>"On the sign-in page, find the sentence that begins \"If you have an account with us and it's your first time visiting our new portal\" and select " <a href="/wizard/lookup">"click here to continue"</a> "."</p>
        </section>
        <section id="account-lookup">
            <h2>"1. Account Lookup"</h2>
            <p>"Enter the username of one of your old accounts and any Tax ID Number that account bills under. You can type the TIN with or without the dash (836576879 or 83-6576879). Select Next."</p>
        </section>
        <section id="account-verification">
            <h2>"2. Account Verification"</h2>
            <p>"The page shows the security question of the account. Type the answer (capital letters don't matter), or the account's PIN instead. After 5 wrong tries this step is locked for 15 minutes. If the answer is not accepted, select Previous and check the username and TIN."</p>
        </section>
        <section id="email-address-verification">
            <h2>"3. Email Address Verification"</h2>
            <p>"Enter your own email address, not a shared one, in both Email and Verify Email. We send a 6-digit code to it, and use it later if you forget your username or password."</p>
        </section>
        <section id="security-code-verification">
            <h2>"4. Security Code Verification"</h2>
            <p>"Enter the 6-digit code from the email. It works once, for 10 minutes. If it does not arrive within a few minutes, check your spam or junk folder, then select Request New Code (you can ask for a new code once a minute, up to 5 times an hour). A new code replaces the old one. To fix the address, select Previous."</p>
        </section>
        <section id="verify-username-and-password">
            <h2>"5. Verify Username and Password"</h2>
            <p>"Enter the username and password of the same old account and select Submit. After 5 wrong tries this step is locked for 15 minutes."</p>
        </section>
        <section id="add-another-account">
            <h2>"Accounts to consolidate: Add another account or Finish"</h2>
            <p>"After Submit, the page lists the accounts added so far. Select Add another account to add the next old account: you answer its security question (or give its PIN) and enter its username and password; your email is already verified, so those steps are skipped. When the list is complete, select Finish: everything is merged at once. Nothing is merged before Finish."</p>
        </section>
        <section id="thank-you">
            <h2>"Thank You"</h2>
            <p>"The page lists the accounts and Tax ID Numbers (only the last four digits are shown) now under one login, and the username to sign in with. Its password is that account's password."</p>
        </section>
        <section id="registration">
            <h2>"Registration codes"</h2>
            <p>"If you are new to us, the insurer gives you a registration code for your TIN. If you have not received one, or it does not work, contact provider support."</p>
        </section>
        <section id="cancel">
            <h2>"Cancel, Previous and time limits"</h2>
            <p>"Cancel stops at any point and changes nothing. Previous goes one step back and keeps what you typed (except passwords, answers and codes). For your security the set-up ends after 15 minutes without activity, or 60 minutes in all; nothing is changed until the last step."</p>
        </section>
    }
}

/// Pages of the sign-in page that later work completes.
#[component]
fn LaterPage(title: &'static str) -> impl IntoView {
    view! {
        <Title text=format!("{title} - Provider Portal") />
        <h1 id="page-heading">{title}</h1>
        <p>"This part of the new portal is not open yet. Please contact provider support, or read the " <a href="/help">"quick guide"</a> "."</p>
        <p><a href="/">"Back to sign in"</a></p>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found - Provider Portal" />
        <h1 id="page-heading">"Page not found"</h1>
        <p>"If you typed the web address, check it is correct. " <a href="/">"Go to the sign-in page"</a> "."</p>
    }
}
