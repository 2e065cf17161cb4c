//! Page parts every flow uses: fields, the error summary, the buttons of a
//! step, the accounts table, page titles and the notices a URL carries.

mod accounts;
mod fields;

pub use accounts::accounts_table;
pub use fields::{ErrorSummary, Field};

use crate::i18n::{t, tr, Msg};
use leptos::prelude::*;

/// A page's title: "Account Lookup - Provider Portal".
pub fn page_title(key: &str) -> String {
    tr(&Msg::new("page-title").text("page", t(key)))
}

/// Sends the browser elsewhere while the page is rendered on the server,
/// with a real redirect (302 Found) whatever the request accepts:
/// `leptos_axum::redirect` alone answers 200 with a Location to a client
/// that does not say it takes HTML (Leptos keeps that for its server
/// functions' own calls, which a page is not).
pub fn redirect_to(path: &str) {
    #[cfg(feature = "ssr")]
    {
        leptos_axum::redirect(path);
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(http::StatusCode::FOUND);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = path;
}

/// Sends the browser on to `path` (a page this one gives way to), with a
/// link there, named by `label`, for a client that does not follow.
pub fn gone_to(path: &'static str, label: &str) -> AnyView {
    redirect_to(path);
    view! { <p><a href=path>{t(label)}</a></p> }.into_any()
}

/// A page that could not be read: its heading, and the sentence of a
/// fault with its support reference.
pub fn fault_page(heading: &str, reference: String) -> AnyView {
    view! {
        <h1 id="page-heading" tabindex="-1" autofocus=true>{t(heading)}</h1>
        <div class="notice notice--error" role="alert">
            {tr(&Msg::new("notice-fault").text("reference", reference))}
        </div>
    }
    .into_any()
}

/// What follows a new login (Thank You, Registration Complete): Protect
/// your new login first, or the sign-in page.
pub fn protect_next() -> impl IntoView {
    view! {
        <h2>{t("protect-heading")}</h2>
        <p>{t("protect-text")}</p>
        <p>
            <a class="button button--primary" href="/security/protect">{t("protect-heading")}</a>
            " "
            <a class="button button--secondary" href="/">{t("button-go-to-sign-in")}</a>
        </p>
    }
}

/// A support reference carried in the URL (`?fault=`): only letters and
/// digits are ever shown.
pub fn fault_reference(fault: Option<String>) -> Option<String> {
    fault.filter(|r| r.len() <= 16 && r.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The reference in a server function's failure, for a page that could not
/// load its state.
pub fn reference_of(e: &ServerFnError) -> String {
    format!("{e}")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect()
}

/// A step's buttons: Next (the form's default), then Previous and Cancel,
/// which post the same form to their own server functions. Previous is
/// marked `data-previous`: with JavaScript, the browser's Back presses it.
#[component]
pub fn Buttons(
    next: &'static str,
    #[prop(default = None)] previous: Option<&'static str>,
    cancel: &'static str,
) -> impl IntoView {
    view! {
        <div class="buttons">
            <button type="submit" class="button button--primary">{t(next)}</button>
            {previous.map(|url| view! {
                <button type="submit" class="button button--secondary" formaction=url formnovalidate=true data-previous="">{t("button-previous")}</button>
            })}
            <button type="submit" class="button button--link" formaction=cancel formnovalidate=true>{t("button-cancel")}</button>
        </div>
    }
}

/// A page's load, run once however often the view asks for it. On the
/// server a `<Suspense>` builds its view three times (twice to find what
/// it waits for, then to render it); a loader called inside the view would
/// start each time, and the two runs dropped at their first wait would
/// still have sent their first query. Each clone awaits the one run.
pub type Load<T> =
    futures_util::future::Shared<std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>>;

/// Starts nothing yet: the load runs when the view first awaits it.
pub fn load_once<T>(load: impl std::future::Future<Output = T> + Send + 'static) -> Load<T>
where
    T: Clone + Send + Sync + 'static,
{
    let boxed: std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>> = Box::pin(load);
    futures_util::FutureExt::shared(boxed)
}
