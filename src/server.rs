//! Wiring: settings -> state -> router -> serve.

use crate::app::{shell, App};
use crate::auth::{random_token, HashPool};
use crate::config::Settings;
use crate::guard;
use crate::mail::Mailer;
use crate::state::{AppState, Clock, FaultInjection};
use crate::store::Store;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderValue};
use axum::middleware;
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
    let key = app_key(&settings, &store).await?;
    let protected = store
        .protect_tins(&key)
        .await
        .map_err(|e| format!("database: {e}"))?;
    if protected > 0 {
        info!(tins = protected, "stored TINs as keyed hashes");
    }
    if settings.load_demo_data {
        let n = crate::demo::load_if_empty(&store, &hasher, &key)
            .await
            .map_err(|e| format!("demo data: {e}"))?;
        if n > 0 {
            info!(accounts = n, "loaded the demo accounts");
        }
    }
    let mailer = match &settings.smtp_url {
        Some(url) => {
            Mailer::smtp(url.expose(), &settings.mail_from).map_err(|e| format!("SMTP_URL: {e}"))?
        }
        None => Mailer::dev_mailbox(&settings.mail_from),
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

/// The key of the keyed hashes: `APP_SECRET`, or else one generated once
/// and kept in the database (development).
pub async fn app_key(settings: &Settings, store: &Store) -> Result<Vec<u8>, String> {
    Ok(match &settings.app_secret {
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
    })
}

/// The whole application as an axum router.
pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
}

/// The application with `extra` routes behind the same layers (the benchmark
/// measures a bare handler there, to compare server functions with it).
pub fn router_with(state: AppState, extra: Router<AppState>) -> Router {
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
        .route("/healthz", get(|| async { "ok" }))
        .route("/lang/{tag}", get(switch_language))
        .route("/guide/{lang}/{file}", get(crate::guide::serve))
        .merge(extra);
    if state.settings.dev_mailbox() {
        app = app.route("/dev/mailbox", get(dev_mailbox));
    }
    app.fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            guard::checked_forms,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            guard::same_origin_posts,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            guard::security_headers,
        ))
        .layer(middleware::from_fn(asset_cache))
        .layer(DefaultBodyLimit::max(guard::MAX_BODY_BYTES))
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
        match state
            .store
            .sweep_flows(state.clock.now(), WIZARD_IDLE_SECS, WIZARD_LIFETIME_SECS)
            .await
        {
            Ok(0) => {}
            Ok(n) => info!(flows = n, "removed expired sign-in page flows"),
            Err(e) => tracing::warn!(error = %e, "could not remove expired flows"),
        }
        let day = crate::wizard::service::limits::DAY_SECS;
        if let Err(e) = state.store.sweep_rate_events(state.clock.now(), day).await {
            tracing::warn!(error = %e, "could not forget old rate-limit events");
        }
    }
}

/// `/dev/mailbox`: the mail the app would have sent (only without SMTP_URL,
/// and never in production).
async fn dev_mailbox(State(state): State<AppState>) -> Response {
    let mails = state.mailer.dev_mail(50);
    let html = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Development mailbox - Provider Portal</title><link rel=\"stylesheet\" href=\"CSS_HREF\"></head>\
         <body><main class=\"page\" id=\"main\"><h1>Development mailbox</h1>\
         <p class=\"lead\">Mail the app would have sent. It exists because SMTP_URL is not set; newest first.</p>",
    );
    let mut html = html.replace("CSS_HREF", css_href());
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

/// `GET /lang/{tag}?next=/wizard/verify`: the language switch. Remembers the
/// choice in a cookie for a year and goes back to the same page (only ever a
/// path of this site), so the user keeps their place.
async fn switch_language(
    axum::extract::Path(tag): axum::extract::Path<String>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
    State(state): State<AppState>,
) -> Response {
    let next = q
        .get("next")
        .map(String::as_str)
        .filter(|n| is_local_path(n))
        .unwrap_or("/");
    let mut res = axum::response::Redirect::to(next).into_response();
    if let Some(lang) = crate::i18n::supported(&tag) {
        let secure = guard::is_https(&uri, &headers, state.settings.trust_proxy);
        let cookie = format!(
            "{}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{}",
            crate::i18n::COOKIE,
            lang.0,
            if secure { "; Secure" } else { "" }
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A path of this site ("/wizard/code?x=1"), never another site ("//evil",
/// "/\\evil", "https://…").
fn is_local_path(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && !p.starts_with("/\\")
        && p.len() <= 512
        && !p.chars().any(|c| c.is_control() || c == '\\')
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
    let from_cargo_leptos = std::env::var("LEPTOS_OUTPUT_NAME").is_ok();
    let mut opts = match from_cargo_leptos.then(|| leptos::config::get_configuration(None)) {
        Some(Ok(conf)) => conf.leptos_options,
        _ => LeptosOptions::builder()
            .output_name("provider-portal")
            .site_root("target/site")
            .site_pkg_dir("pkg")
            .build(),
    };
    opts.site_addr = settings.site_addr;
    // `cargo leptos build` names the assets by their content and lists the
    // names in hash.txt next to the server binary; a binary started on its
    // own (tests, Playwright, a deployment) finds it there. `cargo leptos
    // watch` (make run) builds unhashed names and writes no hash.txt.
    opts.hash_files = hash_file().is_some();
    opts
}

/// hash.txt next to the running binary: `js: …`, `wasm: …`, `css: …`.
fn hash_file() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    std::fs::read_to_string(exe.parent()?.join("hash.txt")).ok()
}

/// The stylesheet's address, with its content hash when the build has one
/// (for pages rendered outside Leptos: refusals, the development mailbox).
pub fn css_href() -> &'static str {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        let hash = hash_file().and_then(|h| {
            h.lines()
                .find_map(|l| l.trim().strip_prefix("css:").map(|v| v.trim().to_string()))
        });
        match hash {
            Some(h) => format!("/pkg/provider-portal.{h}.css"),
            None => "/pkg/provider-portal.css".to_string(),
        }
    })
}

/// Assets under /pkg/ with a content hash in their name never change: a year
/// in every cache. Without hashed names (development), always revalidate.
async fn asset_cache(req: axum::extract::Request, next: middleware::Next) -> Response {
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    if path.starts_with("/pkg/") && res.status().is_success() {
        let hashed = path
            .rsplit('/')
            .next()
            .is_some_and(|f| f.split('.').count() >= 3);
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(if hashed {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            }),
        );
    }
    res
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_language_switch_only_goes_back_to_this_site() {
        for ok in ["/", "/wizard/code", "/?error=credentials&username=a%20b"] {
            assert!(super::is_local_path(ok), "{ok}");
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "",
            "evil",
            "/a\nb",
        ] {
            assert!(!super::is_local_path(bad), "{bad}");
        }
    }

    #[test]
    fn escape_html() {
        assert_eq!(
            super::escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
