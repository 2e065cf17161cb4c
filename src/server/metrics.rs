//! Prometheus metrics (issue 17), recorded with the `metrics` crate and
//! rendered by `metrics-exporter-prometheus`. Not public: `/metrics` answers
//! only a bearer token equal to `METRICS_TOKEN`; or, with `METRICS_ADDR`, on
//! a listener of its own (meant for a private network) and not on the site.
//!
//! What is recorded (README, "Metrics"):
//! - `portal_http_request_duration_seconds{route,method,status}`: time to
//!   the response's head, by route (the matched route; `other` for files and
//!   unknown addresses, so that a scan cannot add labels).
//! - `portal_steps_total{action,outcome}`: every audited step (flow::audit,
//!   the console's actions, refusals), digits in an outcome read as `n`
//!   (flow::audit::counted).
//! - `portal_hash_jobs` (queued or running), `portal_hash_admitted`,
//!   `portal_hash_refused_total`: the hashing pool.
//! - `portal_mail_sent_total`, `portal_mail_failed_total`.

use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;
use subtle::ConstantTimeEq;
use tracing::warn;

const DURATION: &str = "portal_http_request_duration_seconds";

/// The process's recorder, installed once (every server of a test binary
/// shares it); `None` if another recorder was installed first.
pub fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let buckets = [
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ];
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(DURATION.into()), &buckets)
                .and_then(|b| b.install_recorder())
                .map_err(|e| warn!(error = %e, "metrics are not recorded"))
                .ok()
        })
        .as_ref()
}

/// The route a request matched (its pattern, never the path's own values),
/// or `other` for files and unknown addresses: the metrics' label and the
/// log's `route`.
pub fn route_of(req: &Request) -> String {
    req.extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "other".into())
}

/// Times every request, labelled by its route.
pub async fn timed(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = route_of(&req);
    let method = req.method().as_str().to_string();
    let res = next.run(req).await;
    metrics::histogram!(
        DURATION,
        "route" => route,
        "method" => method,
        "status" => res.status().as_u16().to_string()
    )
    .record(started.elapsed().as_secs_f64());
    res
}

/// The text Prometheus reads, with the gauges taken now: the hashing
/// pool's, and the logins by second step (`portal_logins{second_step=…}`:
/// `app`, and `none`; one read of the database, left out if it fails).
pub async fn render(app: &AppState) -> String {
    metrics::gauge!("portal_hash_jobs").set(app.hasher.waiting() as f64);
    metrics::gauge!("portal_hash_admitted").set(app.hasher.admitted() as f64);
    // Counters kept by the pool itself: read, not counted here.
    metrics::counter!("portal_hash_rescued_total").absolute(app.hasher.rescued());
    // Waits for SQLite's one write lock (store/busy.rs); 0 on PostgreSQL.
    metrics::counter!("portal_sqlite_lock_waits_total").absolute(crate::store::sqlite_lock_waits());
    let figures = async {
        let logins = app.store.logins_created().await?;
        let (by_kind, protected) = app.store.second_step_figures().await?;
        Ok::<_, sqlx::Error>((logins, by_kind, protected))
    };
    match figures.await {
        Ok((logins, by_kind, protected)) => {
            // A fixed set of labels, each always present (0 until used).
            for kind in [crate::store::APP, crate::store::PASSKEY] {
                let n = by_kind
                    .iter()
                    .find(|(k, _)| k == kind)
                    .map_or(0, |(_, n)| *n);
                metrics::gauge!("portal_logins", "second_step" => kind).set(n as f64);
            }
            let none = (logins - protected).max(0);
            metrics::gauge!("portal_logins", "second_step" => "none").set(none as f64);
        }
        Err(e) => warn!(error = %e, "metrics: the logins' second steps could not be read"),
    }
    handle().map(|h| h.render()).unwrap_or_default()
}

fn text(body: String) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

/// `GET /metrics` on the site: only with `Authorization: Bearer` and the
/// token of `METRICS_TOKEN` (compared in constant time). Without a token
/// configured, or with `METRICS_ADDR` instead, the site has no metrics.
pub async fn scrape(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let on_site = app.settings.metrics_addr.is_none();
    let Some(token) = app.settings.metrics_token.as_ref().filter(|_| on_site) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !bool::from(sent.as_bytes().ct_eq(token.expose().as_bytes())) {
        warn!(
            with_token = !sent.is_empty(),
            "metrics refused: no or wrong bearer token"
        );
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))],
            "A bearer token is needed.\n",
        )
            .into_response();
    }
    text(render(&app).await)
}

/// Serves `/metrics` (and nothing else) on `METRICS_ADDR`, without a token:
/// the address is meant to be reachable only from the monitoring network.
pub async fn serve_apart(app: AppState, listener: tokio::net::TcpListener) {
    let router = axum::Router::new().route(
        "/metrics",
        axum::routing::get(|State(app): State<AppState>| async move { text(render(&app).await) }),
    );
    if let Err(e) = axum::serve(listener, router.with_state(app)).await {
        warn!(error = %e, "the metrics listener stopped");
    }
}
