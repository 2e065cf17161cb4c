//! The shell, the routes and the pages outside the wizard.

use crate::console::{
    OpsAuditPage, OpsCampaignPage, OpsCampaignsPage, OpsCasesPage, OpsClosingPage, OpsCodesPage,
    OpsEnrolPage, OpsFindPage, OpsLockedPage, OpsOperatorsPage, OpsOutboxPage, OpsProgressPage,
    OpsShownPage, OpsSignInPage, OpsStuckPage,
};
use crate::i18n::{t, tr, Msg};
use crate::notme::{NotMeDonePage, NotMePage};
use crate::recovery::{FlowPage, Page};
use crate::security::{AppSetupPage, BackupCodesPage, PasskeyPage, ProtectPage, SecurityPage};
use crate::signin::{MyAccountsPage, SecondStepPage, SignInPage};
use crate::ui::page_title;
use crate::wizard::step::Step;
use crate::wizard::ui::WizardPage;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    hooks::use_location,
    path, SsrMode,
};

/// The HTML document around every page, in the language of the request.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<http::request::Parts>() {
        // The Content-Security-Policy's nonce for this response's inline script.
        if let Some(n) = parts.extensions.get::<crate::web::CspNonce>().cloned() {
            provide_context(leptos::nonce::Nonce::from_value(n.0));
        }
        provide_context(crate::i18n::from_headers(&parts.headers));
    }
    let lang = crate::i18n::current().0;
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="description" content=t("meta-description") />
                <AutoReload options=options.clone() />
                <HashedStylesheet options=options.clone() id="leptos" />
                <IslandScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The islands' bootstrap, in place of Leptos' `HydrationScripts`, which
/// also preloads the JS and the WASM at once from `<head>`, where on a slow
/// mobile link they compete with the stylesheet for the first paint
/// (Lighthouse's LCP: 1.20 s with them, under 1 s without). Here nothing is
/// preloaded: when the browser is idle after the page is painted, one module
/// script fetches the JS and the WASM, starts them and hydrates the islands
/// (there is one, `Enhance`), as Leptos' own island script does. Until then
/// the page works as it does without JavaScript.
#[component]
fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    // As `HydrationScripts` does in islands mode: only islands hydrate.
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    let (js, wasm) = asset_names(&options);
    let pkg = options.site_pkg_dir.to_string();
    let script = format!(
        "(()=>{{const start=()=>import(\"/{pkg}/{js}.js\").then(async(m)=>{{\
         await m.default({{module_or_path:\"/{pkg}/{wasm}.wasm\"}});m.hydrate();\
         for(const el of document.querySelectorAll(\"leptos-island\")){{\
         const f=m[el.dataset.component];if(f)f(el);}}}});\
         if(\"requestIdleCallback\" in window)requestIdleCallback(start);else setTimeout(start,1);}})();"
    );
    let nonce = leptos::nonce::use_nonce();
    view! { <script type="module" nonce=nonce>{script}</script> }
}

/// The names of the JS and WASM files: with their content hash from
/// hash.txt when the build wrote one (as `HydrationScripts` reads them).
fn asset_names(options: &LeptosOptions) -> (String, String) {
    let name = options.output_name.to_string();
    #[cfg(feature = "ssr")]
    if options.hash_files {
        if let Some(hashes) = crate::web::hash_file() {
            let of = |kind: &str| {
                hashes.lines().find_map(|l| {
                    let (k, v) = l.trim().split_once(':')?;
                    (k.trim() == kind).then(|| format!("{name}.{}", v.trim()))
                })
            };
            if let (Some(js), Some(wasm)) = (of("js"), of("wasm")) {
                return (js, wasm);
            }
        }
    }
    let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
        name.clone()
    } else {
        format!("{name}_bg")
    };
    (name, wasm)
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text=t("site-name") />
        <Router>
            <a class="skip-link" href="#main">{t("skip-link")}</a>
            <header class="site-header">
                <div class="site-header__inner">
                    <a class="site-header__name" href="/">{t("site-name")}</a>
                    <LanguageSwitch />
                </div>
            </header>
            <main id="main" class="page" data-working=t("button-working") data-offline=t("nav-offline") data-retry=t("nav-retry")>
                <Routes fallback=NotFound>
                    <Route path=path!("") view=SignInPage ssr=SsrMode::Async />
                    <Route path=path!("wizard/lookup") view=|| view! { <WizardPage step=Step::Lookup /> } ssr=SsrMode::Async />
                    <Route path=path!("wizard/verify") view=|| view! { <WizardPage step=Step::Verify /> } ssr=SsrMode::Async />
                    <Route path=path!("wizard/email") view=|| view! { <WizardPage step=Step::Email /> } ssr=SsrMode::Async />
                    <Route path=path!("wizard/code") view=|| view! { <WizardPage step=Step::Code /> } ssr=SsrMode::Async />
                    <Route path=path!("wizard/password") view=|| view! { <WizardPage step=Step::Password /> } ssr=SsrMode::Async />
                    <Route path=path!("wizard/new-password") view=|| view! { <WizardPage step=Step::NewPassword /> } ssr=SsrMode::Async />
                    <Route path=path!("wizard/done") view=|| view! { <WizardPage step=Step::Done /> } ssr=SsrMode::Async />
                    <Route path=path!("wizard/accounts") view=|| view! { <WizardPage step=Step::Review /> } ssr=SsrMode::Async />
                    <Route path=path!("accounts") view=MyAccountsPage ssr=SsrMode::Async />
                    <Route path=path!("sign-in/second-step") view=SecondStepPage ssr=SsrMode::Async />
                    <Route path=path!("security") view=SecurityPage ssr=SsrMode::Async />
                    <Route path=path!("security/protect") view=ProtectPage ssr=SsrMode::Async />
                    <Route path=path!("security/app") view=AppSetupPage ssr=SsrMode::Async />
                    <Route path=path!("security/passkey") view=PasskeyPage ssr=SsrMode::Async />
                    <Route path=path!("security/backup-codes") view=BackupCodesPage ssr=SsrMode::Async />
                    <Route path=path!("help") view=HelpPage ssr=SsrMode::Async />
                    <Route path=path!("not-me") view=NotMePage ssr=SsrMode::Async />
                    <Route path=path!("not-me/done") view=NotMeDonePage />
                    <Route path=path!("unsubscribe/:token") view=crate::campaign::UnsubscribePage ssr=SsrMode::Async />
                    <Route path=path!("forgot-username") view=|| view! { <FlowPage page=Page::FuEmail /> } ssr=SsrMode::Async />
                    <Route path=path!("forgot-username/sent") view=|| view! { <FlowPage page=Page::FuSent /> } ssr=SsrMode::Async />
                    <Route path=path!("forgot-password") view=|| view! { <FlowPage page=Page::FpUsername /> } ssr=SsrMode::Async />
                    <Route path=path!("forgot-password/code") view=|| view! { <FlowPage page=Page::FpCode /> } ssr=SsrMode::Async />
                    <Route path=path!("forgot-password/new") view=|| view! { <FlowPage page=Page::FpNew /> } ssr=SsrMode::Async />
                    <Route path=path!("register") view=|| view! { <FlowPage page=Page::RegStart /> } ssr=SsrMode::Async />
                    <Route path=path!("register/account") view=|| view! { <FlowPage page=Page::RegAccount /> } ssr=SsrMode::Async />
                    <Route path=path!("register/code") view=|| view! { <FlowPage page=Page::RegCode /> } ssr=SsrMode::Async />
                    <Route path=path!("register/password") view=|| view! { <FlowPage page=Page::RegPassword /> } ssr=SsrMode::Async />
                    <Route path=path!("register/done") view=|| view! { <FlowPage page=Page::RegDone /> } ssr=SsrMode::Async />
                    <Route path=path!("ops") view=OpsProgressPage ssr=SsrMode::Async />
                    <Route path=path!("ops/sign-in") view=OpsSignInPage ssr=SsrMode::Async />
                    <Route path=path!("ops/locked") view=OpsLockedPage ssr=SsrMode::Async />
                    <Route path=path!("ops/audit") view=OpsAuditPage ssr=SsrMode::Async />
                    <Route path=path!("ops/find") view=OpsFindPage ssr=SsrMode::Async />
                    <Route path=path!("ops/stuck") view=OpsStuckPage ssr=SsrMode::Async />
                    <Route path=path!("ops/outbox") view=OpsOutboxPage ssr=SsrMode::Async />
                    <Route path=path!("ops/cases") view=OpsCasesPage ssr=SsrMode::Async />
                    <Route path=path!("ops/shown") view=OpsShownPage ssr=SsrMode::Async />
                    <Route path=path!("ops/codes") view=OpsCodesPage ssr=SsrMode::Async />
                    <Route path=path!("ops/closing") view=OpsClosingPage ssr=SsrMode::Async />
                    <Route path=path!("ops/campaigns") view=OpsCampaignsPage ssr=SsrMode::Async />
                    <Route path=path!("ops/campaign") view=OpsCampaignPage ssr=SsrMode::Async />
                    <Route path=path!("ops/operators") view=OpsOperatorsPage ssr=SsrMode::Async />
                    <Route path=path!("ops/enrol") view=OpsEnrolPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{t("site-name")} ". " <a href="/help">{t("footer-guide")}</a></p>
            </footer>
            <crate::islands::Enhance />
        </Router>
    }
}

/// Links to this same page in every other language, each named in its own
/// language. Following one keeps the user's place: the wizard's step is on
/// the server, and the address (with its query) comes back unchanged.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let location = use_location();
    let search = location.search.get_untracked();
    let search = search.trim_start_matches('?');
    let here = if search.is_empty() {
        location.pathname.get_untracked()
    } else {
        format!("{}?{search}", location.pathname.get_untracked())
    };
    let next = crate::i18n::encode_query_value(&here);
    let others = crate::i18n::others();
    view! {
        <nav class="language" aria-label=t("language-nav")>
            <ul>
                {others
                    .into_iter()
                    .map(|(tag, name)| {
                        let href = format!("/lang/{tag}?next={next}");
                        view! { <li><a href=href lang=tag.clone() hreflang=tag data-reload="">{name}</a></li> }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// The quick guide: one section per step, each with a picture of the page
/// in the reader's language; each page's "View our quick guide" link opens
/// its own section.
#[component]
fn HelpPage() -> impl IntoView {
    // (section id and picture, heading, text, the page pictured)
    let sections: [(&str, &str, &str, &str); 10] = [
        (
            "start",
            "help-start-heading",
            "help-start-text",
            "signin-heading",
        ),
        (
            "account-lookup",
            "help-lookup-heading",
            "help-lookup-text",
            "step-lookup",
        ),
        (
            "account-verification",
            "help-verify-heading",
            "help-verify-text",
            "step-verify",
        ),
        (
            "email-address-verification",
            "help-email-heading",
            "help-email-text",
            "step-email",
        ),
        (
            "security-code-verification",
            "help-code-heading",
            "help-code-text",
            "step-code",
        ),
        (
            "verify-username-and-password",
            "help-password-heading",
            "help-password-text",
            "step-password",
        ),
        (
            "add-another-account",
            "help-review-heading",
            "help-review-text",
            "step-review",
        ),
        (
            "thank-you",
            "help-done-heading",
            "help-done-text",
            "step-done",
        ),
        (
            "protect-your-new-login",
            "protect-heading",
            "help-protect-text",
            "protect-heading",
        ),
        (
            "confirm-its-you",
            "second-step-heading",
            "help-second-step-text",
            "second-step-heading",
        ),
    ];
    view! {
        <Title text=page_title("help-title") />
        <h1 id="page-heading" tabindex="-1">{t("help-heading")}</h1>
        <p class="lead">{t("help-lead")}</p>
        <crate::closing::ClosingNotices />
        <nav aria-label=t("help-toc-label")>
            <ol class="toc">
                {sections.iter().map(|(id, heading, _, _)| view! {
                    <li><a href=format!("#{id}")>{t(heading)}</a></li>
                }).collect_view()}
                <li><a href="#registration">{t("help-registration-heading")}</a></li>
                <li><a href="#forgot-username">{t("link-forgot-username")}</a></li>
                <li><a href="#forgot-password">{t("link-forgot-password")}</a></li>
                <li><a href="#cancel">{t("help-cancel-heading")}</a></li>
            </ol>
        </nav>
        {sections.iter().map(|(id, heading, text, pictured)| view! {
            <section id=*id aria-labelledby=format!("{id}-heading")>
                <h2 id=format!("{id}-heading")>{t(heading)}</h2>
                <p>{t(text)}</p>
                {guide_picture(id, pictured)}
            </section>
        }).collect_view()}
        <section id="registration" aria-labelledby="registration-heading">
            <h2 id="registration-heading">{t("help-registration-heading")}</h2>
            <p>{t("help-registration-text")}</p>
            <p>{t("help-registration-steps")}</p>
            <p>{t("help-registration-trouble")}</p>
            {guide_picture("registration", "link-register")}
        </section>
        <section id="forgot-username" aria-labelledby="forgot-username-heading">
            <h2 id="forgot-username-heading">{t("link-forgot-username")}</h2>
            <p>{t("help-forgot-username-text")}</p>
            {guide_picture("forgot-username", "link-forgot-username")}
        </section>
        <section id="forgot-password" aria-labelledby="forgot-password-heading">
            <h2 id="forgot-password-heading">{t("link-forgot-password")}</h2>
            <p>{t("help-forgot-password-text")}</p>
            {guide_picture("forgot-password", "link-forgot-password")}
        </section>
        <section id="cancel" aria-labelledby="cancel-heading">
            <h2 id="cancel-heading">{t("help-cancel-heading")}</h2>
            <p>{t("help-cancel-text")}</p>
        </section>
        <section id="faults" aria-labelledby="faults-heading">
            <h2 id="faults-heading">{t("help-faults-heading")}</h2>
            <p>{t("help-faults-text")}</p>
        </section>
    }
}

/// The phone-width screenshot of a step (taken by the Playwright suite from
/// our own pages), in the reader's language when there is one.
fn guide_picture(id: &str, page: &str) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let shot = crate::guide::find(&crate::i18n::current(), id);
    #[cfg(not(feature = "ssr"))]
    let shot: Option<(String, u32, u32)> = {
        let _ = id;
        None
    };
    shot.map(|(src, width, height)| {
        let alt = tr(&Msg::new("help-picture-alt").text("page", t(page)));
        view! {
            <figure class="guide-shot">
                <img src=src width=width height=height alt=alt loading="lazy" decoding="async" />
            </figure>
        }
    })
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=page_title("not-found-heading") />
        <h1 id="page-heading" tabindex="-1" autofocus=true>{t("not-found-heading")}</h1>
        <p>{format!("{} ", t("not-found-text"))} <a href="/">{t("not-found-link")}</a> "."</p>
    }
}
