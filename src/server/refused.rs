//! Refusals at the edge, counted before anything is written: one client
//! repeating a refused request (a malformed form, a foreign origin) gets
//! 429 once past its address's refusal limit, and what is recorded grows by
//! at most a row per address, action, outcome and minute.

use crate::flow::{audit_refusal, short_reference};
use crate::i18n::{Lang, Msg};
use crate::state::AppState;
use crate::store::Limit;
use crate::web::{client_key, refusal, Ctx};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;

/// Counts a refusal against the address's refusal limit (15 minutes), then
/// records it (aggregated). Past the limit, the 429 to send instead, and
/// nothing is recorded; otherwise `None`, and the caller answers.
pub async fn count_refusal(
    app: &AppState,
    ctx: &Ctx,
    action: &str,
    outcome: &str,
    page: &str,
) -> Option<Response> {
    let limit = Limit {
        key: format!("ip-refusal:{}", client_key(&ctx.address)),
        window: 15 * 60,
        limit: app.settings.ip_limits.refusals,
    };
    match app.store.rate_take(&[limit], app.clock.now()).await {
        Ok(None) => {
            audit_refusal(app, ctx, action, outcome).await;
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
