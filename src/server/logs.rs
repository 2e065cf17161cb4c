//! The log: lines for people, or one JSON object a line for a SIEM
//! (`LOG_FORMAT=json`), and a request id on every line a request writes.
//!
//! Every request gets an id: the `X-Request-Id` a trusted proxy sent
//! (`TRUST_PROXY=1`, and only a short id of plain characters), else one made
//! here. It is returned in the response's `X-Request-Id`, and it is a field
//! of the span `request` that wraps the request's work, with the client's
//! address, the method and the route (never the query, never a path's own
//! values: a link's token must not reach the log), which every JSON line
//! of the request carries at its top level. The request ends with one
//! line, `request`, with its status and time (`seconds`).

use crate::config::LogFormat;
use crate::state::AppState;
use crate::web::client_address;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{Map, Value};
use std::net::SocketAddr;
use tracing::Instrument;
use tracing_subscriber::fmt::format::{JsonFields, Writer};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields};
use tracing_subscriber::EnvFilter;

/// The header that carries a request's id, both ways.
pub const REQUEST_ID: &str = "x-request-id";

/// What the log shows unless `RUST_LOG` says otherwise.
pub const DEFAULT_FILTER: &str = "info,sqlx=warn";

/// Installs the process's log in `format`, filtered by `RUST_LOG`.
pub fn init(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    install(format, filter, std::io::stderr);
}

/// Installs a log in `format` that writes through `writer` (the tests
/// capture it); false if the process has one already.
pub fn install<W>(format: LogFormat, filter: EnvFilter, writer: W) -> bool
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let registry = tracing_subscriber::registry().with(filter);
    match format {
        LogFormat::Text => registry
            .with(tracing_subscriber::fmt::layer().with_writer(writer))
            .try_init()
            .is_ok(),
        LogFormat::Json => registry.with(json_layer(writer)).try_init().is_ok(),
    }
}

/// The JSON lines ([`FlatJson`]).
pub fn json_layer<S, W>(writer: W) -> impl tracing_subscriber::Layer<S>
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    tracing_subscriber::fmt::layer()
        .fmt_fields(JsonFields::new())
        .event_format(FlatJson)
        .with_writer(writer)
}

/// One JSON object a line, flat: `timestamp` (RFC 3339, UTC), `level`,
/// `target`, then the fields of every span the event is in, outermost
/// first (the request's `request_id`, `client`, `method` and `route`),
/// then the event's own (`message` and the rest), each at the top level,
/// so that a SIEM finds a request's id on every line of it by one name.
pub struct FlatJson;

impl<S, N> FormatEvent<S, N> for FlatJson
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &tracing::Event<'_>,
    ) -> std::fmt::Result {
        let mut line = Map::new();
        let now = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        line.insert("timestamp".into(), now.into());
        line.insert("level".into(), event.metadata().level().as_str().into());
        line.insert("target".into(), event.metadata().target().into());
        if let Some(scope) = ctx.event_scope() {
            for span in scope.from_root() {
                let extensions = span.extensions();
                let Some(fields) = extensions.get::<FormattedFields<N>>() else {
                    continue;
                };
                if let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(fields) {
                    line.extend(fields);
                }
            }
        }
        event.record(&mut Fields(&mut line));
        writeln!(writer, "{}", Value::Object(line))
    }
}

/// An event's fields into the line.
struct Fields<'a>(&'a mut Map<String, Value>);

impl tracing::field::Visit for Fields<'_> {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_i64(&mut self, field: &tracing::field::Field, value: i64) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_u64(&mut self, field: &tracing::field::Field, value: u64) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_f64(&mut self, field: &tracing::field::Field, value: f64) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_bool(&mut self, field: &tracing::field::Field, value: bool) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().into(), format!("{value:?}").into());
    }
}

/// The request's id, for what the request's work hands on (a spawned task).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// A proxy's id is taken as it is only if it is short and plain (it goes
/// into log lines and a header).
fn acceptable(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Sixteen random hex digits.
fn new_id() -> String {
    crate::auth::random_token()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect()
}

/// The request's id, span and closing line (the outermost layer but the
/// metrics' timer).
pub async fn with_request_id(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let trust = state.settings.trust_proxy;
    let id = trust
        .then(|| req.headers().get(REQUEST_ID))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .filter(|v| acceptable(v))
        .map(str::to_string)
        .unwrap_or_else(new_id);
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let client = client_address(req.headers(), peer, trust);
    let route = super::metrics::route_of(&req);
    let method = req.method().clone();
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", request_id = %id, client = %client, method = %method, route = %route);
    let started = std::time::Instant::now();
    // At debug level (RUST_LOG=provider_portal::server::logs=debug): what
    // was accepted, for a test that stops the server under load.
    span.in_scope(|| tracing::debug!("request begins"));
    let mut res = next.run(req).instrument(span.clone()).await;
    let status = res.status().as_u16();
    // In seconds, to the microsecond (as Prometheus counts time): a whole
    // number of milliseconds could read, by chance, as a PIN or a code.
    let seconds = (started.elapsed().as_secs_f64() * 1e6).round() / 1e6;
    span.in_scope(|| tracing::info!(status, seconds, "request"));
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_short_ids_are_taken_from_a_proxy() {
        assert!(acceptable("5f0c1e2d-aa.b_9"));
        for bad in ["", "a b", "x\"y", "ünï", &"a".repeat(65), "a\nb"] {
            assert!(!acceptable(bad), "{bad:?}");
        }
        let id = new_id();
        assert_eq!(id.len(), 16);
        assert!(acceptable(&id));
    }
}
