//! Wiring: settings -> state -> router -> serve.

use crate::app::{shell, App};
use crate::auth::{random_token, HashPool};
use crate::config::Settings;
use crate::mail::Mailer;
use crate::state::{AppState, Clock, FaultInjection};
use crate::store::Store;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tracing::info;

/// Builds the state: connects (and migrates) the database, loads the demo
/// data when asked, and picks the mailer.
pub async fn build_state(
    settings: Settings,
    leptos_options: LeptosOptions,
) -> Result<AppState, String> {
    let store = Store::connect(settings.database_url.expose())
        .await
        .map_err(|e| format!("database: {e}"))?;
    let hasher = HashPool::per_core();
    if settings.load_demo_data {
        let n = crate::demo::load_if_empty(&store, &hasher)
            .await
            .map_err(|e| format!("demo data: {e}"))?;
        if n > 0 {
            info!(accounts = n, "loaded the demo accounts");
        }
    }
    let key = match &settings.app_secret {
        Some(s) => s.expose().as_bytes().to_vec(),
        None => {
            if settings.production {
                tracing::warn!("APP_SECRET is not set: using a key kept in the database");
            }
            store
                .secret_or_insert("code_key", &random_token())
                .await
                .map_err(|e| format!("database: {e}"))?
                .into_bytes()
        }
    };
    let mailer = match &settings.smtp_url {
        Some(url) => {
            Mailer::smtp(url.expose(), &settings.mail_from).map_err(|e| format!("SMTP_URL: {e}"))?
        }
        None => Mailer::dev_mailbox(store.clone(), &settings.mail_from),
    };
    info!(database = ?store.backend(), mailer = mailer.kind(), "ready");
    Ok(AppState {
        leptos_options,
        store,
        mailer,
        hasher,
        settings: Arc::new(settings),
        key: Arc::new(key),
        clock: Clock::default(),
        faults: Arc::new(FaultInjection::default()),
    })
}

/// The whole application as an axum router.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let opts = state.leptos_options.clone();
    let ctx_state = state.clone();
    let mut app = Router::new()
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(ctx_state.clone()),
            move || shell(opts.clone()),
        )
        .route("/healthz", get(|| async { "ok" }));
    if state.settings.dev_mailbox() {
        app = app.route("/dev/mailbox", get(dev_mailbox));
    }
    app.fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn(same_origin_posts))
        .layer(DefaultBodyLimit::max(64 * 1024))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// Serves until the listener closes (or the process is stopped).
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    tokio::spawn(sweep_expired_wizards(state.clone()));
    let app = router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
}

/// Every five minutes, removes wizards past their lifetime, so abandoned
/// ones (and their codes) do not pile up. Safe on several instances at once.
async fn sweep_expired_wizards(state: AppState) {
    use crate::wizard::service::limits::{WIZARD_IDLE_SECS, WIZARD_LIFETIME_SECS};
    let mut every = tokio::time::interval(std::time::Duration::from_secs(300));
    loop {
        every.tick().await;
        match state
            .store
            .sweep_wizards(state.clock.now(), WIZARD_IDLE_SECS, WIZARD_LIFETIME_SECS)
            .await
        {
            Ok(0) => {}
            Ok(n) => info!(wizards = n, "removed expired wizards"),
            Err(e) => tracing::warn!(error = %e, "could not remove expired wizards"),
        }
    }
}

/// Leptos has no CSRF protection of its own: a state-changing request must
/// come from our own pages (the cookie is SameSite=Strict as well).
async fn same_origin_posts(req: Request, next: Next) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let h = req.headers();
        if h.get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == "cross-site" || v == "same-site")
        {
            return (
                StatusCode::FORBIDDEN,
                "Requests from other sites are not accepted.",
            )
                .into_response();
        }
        if let Some(origin) = h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            let host = h
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let origin_host = origin.split("://").nth(1).unwrap_or("");
            if origin == "null" || !origin_host.eq_ignore_ascii_case(host) {
                return (
                    StatusCode::FORBIDDEN,
                    "Requests from other sites are not accepted.",
                )
                    .into_response();
            }
        }
    }
    next.run(req).await
}

async fn security_headers(req: Request, next: Next) -> Response {
    let is_page = !req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    if is_page && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// `/dev/mailbox`: the mail the app would have sent (only without SMTP_URL,
/// and never in production).
async fn dev_mailbox(State(state): State<AppState>) -> Response {
    let mails = match state.store.dev_mail(50).await {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "reading the development mailbox");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "The development mailbox cannot be read right now.",
            )
                .into_response();
        }
    };
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Development mailbox - Provider Portal</title><link rel=\"stylesheet\" href=\"/pkg/provider-portal.css\"></head>\
         <body><main class=\"page\" id=\"main\"><h1>Development mailbox</h1>\
         <p class=\"lead\">Mail the app would have sent. It exists because SMTP_URL is not set; newest first.</p>",
    );
    if mails.is_empty() {
        html.push_str("<p>No mail yet.</p>");
    }
    for m in mails {
        html.push_str(&format!(
            "<article class=\"mail\"><h2>{}</h2><p class=\"hint\">To {} at {} (Unix time)</p><pre>{}</pre></article>",
            escape(&m.subject),
            escape(&m.to),
            m.at,
            escape(&m.body)
        ));
    }
    html.push_str("</main></body></html>");
    let mut res = Html(html).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Leptos options from cargo-leptos's environment, or sensible defaults when
/// the binary runs on its own (tests, benchmarks, a deployment).
pub async fn leptos_options(settings: &Settings) -> LeptosOptions {
    let mut opts = match leptos::config::get_configuration(None) {
        Ok(conf) if std::env::var("LEPTOS_OUTPUT_NAME").is_ok() => conf.leptos_options,
        _ => LeptosOptions::builder()
            .output_name("provider-portal")
            .site_root("target/site")
            .site_pkg_dir("pkg")
            .build(),
    };
    opts.site_addr = settings.site_addr;
    opts
}

#[cfg(test)]
mod tests {
    #[test]
    fn escape_html() {
        assert_eq!(
            super::escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
