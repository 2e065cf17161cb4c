//! Wiring: settings -> state -> router -> serve, and what stands in front
//! of the pages (the guard, the form checks).

mod forms;
mod guard;
mod listen;
pub mod logs;
pub mod metrics;
mod pages;
mod refused;

pub use forms::{MAX_BODY_BYTES, MAX_FIELD_BYTES};
pub use guard::content_security_policy;

use crate::app::{shell, App};
use crate::auth::{random_token, HashPool};
use crate::config::Settings;
use crate::mail::Mailer;
use crate::state::{AppState, Clock, FaultInjection, Outbox};
use crate::store::Store;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::middleware;
use axum::response::Response;
use axum::routing::{get, post};
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
    let store = Store::open(settings.database_url.expose(), settings.migrate_at_start)
        .await
        .map_err(|e| format!("database: {e}"))?;
    if !settings.migrate_at_start {
        let state = store
            .migration_state()
            .await
            .map_err(|e| format!("database: {e}"))?;
        if !state.complete() {
            return Err(format!(
                "the database lacks migrations this version needs ({} to apply, {} failed, {} changed) and MIGRATE_AT_START=0: run `provider-portal migrate` first",
                state.pending.len(),
                state.failed.len(),
                state.changed.len()
            ));
        }
    }
    let hasher = HashPool::per_core();
    if hasher.lowered() {
        tracing::info!(
            threads = hasher.size(),
            "hashing runs below every other thread (SCHED_IDLE)"
        );
    }
    let key = app_key(&settings, &store).await?;
    if std::env::var_os("AUDIT_RETENTION_DAYS").is_some() {
        tracing::warn!("AUDIT_RETENTION_DAYS is no longer read: the audit trail is append-only (SECURITY.md, Audit)");
    }
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
        Some(url) => Mailer::smtp(
            url.expose(),
            &settings.mail_from,
            settings.mail_timeout,
            settings.mail_connections,
        )
        .map_err(|e| format!("SMTP_URL: {e}"))?,
        None => Mailer::dev_mailbox(&settings.mail_from),
    };
    info!(database = ?store.backend(), mailer = mailer.kind(), "ready");
    Ok(AppState {
        leptos_options,
        store,
        mailer,
        hasher,
        key: Arc::new(key),
        clock: Clock::default(),
        faults: Arc::new(FaultInjection::default()),
        outbox: Arc::new(Outbox::default()),
        passkeys: crate::flow::passkey::relying_party(&settings).map(Arc::new),
        closings: Arc::default(),
        settings: Arc::new(settings),
    })
}

/// The keys of the keyed hashes and sealed values: `APP_SECRET` (and
/// `APP_SECRET_PREVIOUS` while it is being replaced), or else one
/// generated once and kept in the database (development).
pub async fn app_key(settings: &Settings, store: &Store) -> Result<crate::auth::Keys, String> {
    Ok(match configured_keys(settings) {
        Some(keys) => keys,
        None => {
            if settings.production {
                tracing::warn!("APP_SECRET is not set: using a key kept in the database");
            }
            if settings.app_secret_previous.is_some() {
                tracing::warn!("APP_SECRET_PREVIOUS is read only beside APP_SECRET: ignored");
            }
            store
                .secret_or_insert("code_key", &random_token())
                .await
                .map_err(|e| format!("database: {e}"))?
                .into_bytes()
                .into()
        }
    })
}

/// The keys `APP_SECRET` (and `APP_SECRET_PREVIOUS`) give; None without
/// `APP_SECRET`.
pub fn configured_keys(settings: &Settings) -> Option<crate::auth::Keys> {
    let secret = settings.app_secret.as_ref()?;
    Some(crate::auth::Keys::new(
        secret.expose().as_bytes().to_vec(),
        settings
            .app_secret_previous
            .as_ref()
            .map(|p| p.expose().as_bytes().to_vec()),
    ))
}

/// The whole application as an axum router.
pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
}

/// The application with `extra` routes behind the same layers (the benchmark
/// measures a bare handler there, to compare server functions with it).
pub fn router_with(state: AppState, extra: Router<AppState>) -> Router {
    // The metrics' recorder, installed by the first router of the process.
    metrics::handle();
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
        .route("/livez", get(|| async { "ok" }))
        .route("/readyz", get(pages::readyz))
        .route("/metrics", get(metrics::scrape))
        .route("/ops/audit.csv", get(pages::audit_csv))
        .route("/ops/campaign.csv", get(pages::campaign_csv))
        .route("/lang/{tag}", get(pages::switch_language))
        .route("/unsubscribe/{token}", post(pages::unsubscribe))
        .route("/guide/{lang}/{file}", get(crate::guide::serve))
        .merge(extra);
    if state.settings.dev_mailbox() {
        info!("development mailbox at /dev/mailbox (loopback only)");
        app = app.route("/dev/mailbox", get(pages::dev_mailbox));
    } else if state.settings.smtp_url.is_none() && !state.settings.production {
        tracing::warn!(
            addr = %state.settings.site_addr,
            "development mailbox off: not listening on a loopback address"
        );
    }
    app.fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            forms::checked_forms,
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
        .layer(middleware::from_fn(guard::local_redirects))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            guard::own_host_only,
        ))
        .layer(DefaultBodyLimit::max(forms::MAX_BODY_BYTES))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(metrics::timed))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            logs::with_request_id,
        ))
        .with_state(state)
}

/// Serves until the process is stopped: connections bounded in number and
/// in time (`listen`), expired flows swept in the background.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    serve_until(state, listener, std::future::pending()).await
}

/// [`serve`] until `stop` resolves (SIGTERM: [`stop_signal`]); then no new
/// connection is taken, the requests in flight finish (up to
/// `SHUTDOWN_TIMEOUT_SECS`), the outbox worker finishes the mail it is
/// sending, and the database's connections are closed.
pub async fn serve_until(
    state: AppState,
    listener: tokio::net::TcpListener,
    stop: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let sweeper = tokio::spawn(sweep_expired_flows(state.clone()));
    let worker = tokio::spawn(crate::flow::outbox::worker(state.clone()));
    let campaigns = tokio::spawn(crate::campaign::service::worker(state.clone()));
    let metrics_apart = match state.settings.metrics_addr {
        Some(addr) => {
            let apart = tokio::net::TcpListener::bind(addr).await?;
            info!(%addr, "metrics at /metrics on their own address");
            Some(tokio::spawn(metrics::serve_apart(state.clone(), apart)))
        }
        None => None,
    };
    // A few descriptors stay for the database pool, the mail and the files.
    let files = listen::raise_open_file_limit();
    let max = state
        .settings
        .max_connections
        .min(files.saturating_sub(64).max(1) as usize);
    let limits = listen::ConnLimits {
        max,
        header_timeout: state.settings.request_timeout,
        drain: state.settings.shutdown_timeout,
    };
    info!(
        max_connections = max,
        open_files = files,
        "accepting connections"
    );
    let left = listen::serve_bounded(router(state.clone()), listener, limits, stop).await;
    if left > 0 {
        tracing::warn!(
            connections = left,
            "stopping: the shutdown's time ran out; the connections still open are closed"
        );
    }
    sweeper.abort();
    // A tick is one transaction: stopped between ticks or within one, it
    // leaves nothing half written.
    campaigns.abort();
    if let Some(m) = metrics_apart {
        m.abort();
    }
    // The worker finishes the mail it is sending (a send takes at most
    // MAIL_TIMEOUT_SECS) and releases the rest of its batch to the others.
    crate::flow::outbox::stop(&state);
    let patience = state.settings.mail_timeout + std::time::Duration::from_secs(5);
    if tokio::time::timeout(patience, worker).await.is_err() {
        tracing::warn!("stopping: the outbox worker did not finish its send in time");
    }
    state.store.pool().close().await;
    info!("stopped");
    Ok(())
}

/// Resolves on SIGTERM (systemd, a container's stop) or Ctrl-C.
pub async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => info!("stopping: interrupted"),
        () = term => info!("stopping: SIGTERM"),
    }
}

/// Every five minutes, [`sweep`].
async fn sweep_expired_flows(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(300));
    loop {
        every.tick().await;
        sweep(&state).await;
    }
}

/// Removes flows and sign-in sessions past their lifetime (so abandoned
/// ones and their codes do not pile up), tries whose holder died and old
/// rate-limit events; never an audit event: the trail is append-only.
/// Folds the audit events since the last sweep into the wizard funnel.
/// On PostgreSQL one instance sweeps at a time (an advisory lock); the
/// others skip their turn. False when skipped.
pub async fn sweep(state: &AppState) -> bool {
    let lock = match state.store.try_job_lock(SWEEP_LOCK).await {
        Ok(Some(lock)) => lock,
        Ok(None) => {
            tracing::debug!("another instance is sweeping");
            return false;
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not take the sweep's lock");
            return false;
        }
    };
    sweep_now(state).await;
    lock.release().await;
    true
}

/// The advisory lock's key of the sweep (any number no other job uses).
pub const SWEEP_LOCK: i64 = 0x0070_7073_7765_6570;

async fn sweep_now(state: &AppState) {
    use crate::flow::limits::*;
    let now = state.clock.now();
    match state
        .store
        .sweep_flows(now, FLOW_IDLE_SECS, FLOW_LIFETIME_SECS)
        .await
    {
        Ok(0) => {}
        Ok(n) => info!(flows = n, "removed expired flows"),
        Err(e) => tracing::warn!(error = %e, "could not remove expired flows"),
    }
    let sessions = state
        .store
        .sweep_user_sessions(now - SESSION_IDLE_SECS, now - SESSION_LIFETIME_SECS)
        .await;
    match sessions {
        Ok(0) => {}
        Ok(n) => info!(sessions = n, "removed ended sign-in sessions"),
        Err(e) => tracing::warn!(error = %e, "could not remove ended sign-in sessions"),
    }
    match state
        .store
        .sweep_operator_sessions(now - OPS_IDLE_SECS, now - OPS_LIFETIME_SECS)
        .await
    {
        Ok(0) => {}
        Ok(n) => info!(sessions = n, "removed ended console sessions"),
        Err(e) => tracing::warn!(error = %e, "could not remove ended console sessions"),
    }
    if let Err(e) = state.store.sweep_tries(now).await {
        tracing::warn!(error = %e, "could not forget expired tries");
    }
    if let Err(e) = state.store.sweep_rate_events(now, DAY_SECS).await {
        tracing::warn!(error = %e, "could not forget old rate-limit events");
    }
    match crate::console::service::funnel::fold(state).await {
        Ok(0) => {}
        Ok(n) => info!(events = n, "folded audit events into the funnel"),
        Err(e) => tracing::warn!(error = %e, "could not fold audit events into the funnel"),
    }
}

/// Leptos options from cargo-leptos's environment, or sensible defaults when
/// the binary runs on its own (tests, benchmarks, a deployment).
pub async fn leptos_options(settings: &Settings) -> LeptosOptions {
    let from_cargo_leptos = std::env::var("LEPTOS_OUTPUT_NAME").is_ok();
    let mut opts = match from_cargo_leptos.then(|| leptos::config::get_configuration(None)) {
        Some(Ok(conf)) => conf.leptos_options,
        _ => LeptosOptions::builder()
            .output_name("provider-portal")
            .site_root(site_root(settings).to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .build(),
    };
    opts.site_addr = settings.site_addr;
    // `cargo leptos build` names the assets by their content and lists the
    // names in hash.txt next to the server binary; a binary started on its
    // own (tests, Playwright, a deployment) finds it there. `cargo leptos
    // watch` (make run) builds unhashed names and writes no hash.txt.
    opts.hash_files = crate::web::hash_file().is_some();
    opts
}

/// The site's files: `LEPTOS_SITE_ROOT`; else `site` beside the binary
/// (the release artefact: the binary finds its own files, wherever it was
/// unpacked); else `target/site` (the source tree).
pub fn site_root(settings: &Settings) -> std::path::PathBuf {
    if let Some(root) = &settings.site_root {
        return root.clone();
    }
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|d| d.join("site")))
        .filter(|d| d.join("pkg").is_dir());
    beside.unwrap_or_else(|| "target/site".into())
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
