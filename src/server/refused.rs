//! Refusals at the edge, counted before anything is written: one client
//! repeating a refused request (a malformed form, a foreign origin) gets
//! 429 once past its address's refusal limit, and what is recorded grows by
//! at most a row per address, action, outcome and minute.

use crate::flow::{audit_refusal_of, short_reference};
use crate::i18n::{Lang, Msg};
use crate::state::AppState;
use crate::store::Limit;
use crate::web::{client_address, client_key, refusal, Ctx};
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};

/// Counts a refusal against the address's refusal limit (15 minutes), then
/// records it (aggregated). Past the limit, the 429 to send instead, and
/// nothing is recorded; otherwise `None`, and the caller answers.
/// `target`: what the request went to, if the action does not say it.
pub async fn count_refusal(
    app: &AppState,
    ctx: &Ctx,
    action: &str,
    outcome: &str,
    target: Option<&str>,
    page: &str,
) -> Option<Response> {
    let limit = Limit {
        key: format!("ip-refusal:{}", client_key(&ctx.address)),
        window: 15 * 60,
        limit: app.settings.ip_limits.refusals,
    };
    match app.store.rate_take(&[limit], app.clock.now()).await {
        Ok(None) => {
            audit_refusal_of(app, ctx, action, outcome, target).await;
            None
        }
        Ok(Some(wait)) => Some(too_many(&ctx.lang, page, wait)),
        Err(e) => {
            // Refused either way; only the count and the record are lost.
            tracing::warn!(reference = %short_reference(), error = %e, action, outcome, "refusal: database");
            None
        }
    }
}

/// 429 with `Retry-After`: too many requests (or refusals) from this address.
pub fn too_many(lang: &Lang, page: &str, wait: i64) -> Response {
    let minutes = (wait + 59) / 60;
    let mut res = refusal(
        StatusCode::TOO_MANY_REQUESTS,
        lang,
        "refused-title-rate",
        &Msg::new("refused-rate").number("minutes", minutes),
        page,
    );
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

pub(super) fn peer(req: &Request) -> Option<IpAddr> {
    req.extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

/// The context of a request refused before any flow is read.
pub(super) fn ctx_of(
    app: &AppState,
    headers: &HeaderMap,
    peer: Option<IpAddr>,
    secure: bool,
) -> Ctx {
    Ctx::anonymous(
        client_address(headers, peer, app.settings.trust_proxy),
        secure,
        crate::i18n::from_headers(headers),
    )
}
