//! Pages made outside Leptos: the health checks, the language switch and
//! the development mailbox.

use crate::state::AppState;
use crate::web::{css_href, escape, is_https};
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};

/// `/readyz`: 200 when the database answers within two seconds and every
/// migration this build carries is applied; 503 with a sentence (and a log
/// line) otherwise, so that a load balancer sends no user to an instance
/// that could only fail them. (`/livez` says only that the process answers.)
pub(super) async fn readyz(State(state): State<AppState>) -> Response {
    use crate::store::NotReady;
    let checked =
        tokio::time::timeout(std::time::Duration::from_secs(2), state.store.readiness()).await;
    let (status, text) = match checked {
        Ok(Ok(())) => (axum::http::StatusCode::OK, "ready"),
        Ok(Err(NotReady::Migrations)) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "not ready: the database lacks migrations this version needs",
        ),
        Ok(Err(NotReady::NoAnswer)) | Err(_) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "not ready: the database does not answer",
        ),
    };
    if status != axum::http::StatusCode::OK {
        tracing::warn!(reason = text, "readiness check failed");
    }
    (
        status,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        text,
    )
        .into_response()
}

/// `/ops/audit.csv`: the console's audit export (the console's service
/// checks the operator and streams the rows).
pub(super) async fn audit_csv(
    State(state): State<AppState>,
    axum::extract::Query(query): axum::extract::Query<crate::console::AuditQuery>,
    parts: http::request::Parts,
) -> Response {
    let ctx = crate::web::Ctx::from_parts(Some(&parts), &state.settings);
    crate::console::service::audit_csv(&state, &ctx, &query).await
}

/// `/ops/campaign.csv?id=N`: a campaign's figures per wave.
pub(super) async fn campaign_csv(
    State(state): State<AppState>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
    parts: http::request::Parts,
) -> Response {
    let ctx = crate::web::Ctx::from_parts(Some(&parts), &state.settings);
    let id = query.get("id").map(String::as_str).unwrap_or("");
    crate::console::service::campaigns::figures_csv(&state, &ctx, id).await
}

/// `/dev/mailbox`: the mail the app would have sent (only without SMTP_URL,
/// and never in production).
pub(super) async fn dev_mailbox(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Response {
    // Only for a page of this machine: a rebinding name that resolves to
    // 127.0.0.1 must not read the codes.
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !is_loopback_host(host) {
        return (axum::http::StatusCode::NOT_FOUND, "Not found").into_response();
    }
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
pub(super) async fn switch_language(
    axum::extract::Path(tag): axum::extract::Path<String>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
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
        let secure = is_https(&headers, &state.settings);
        // Lax: the choice also holds when a link from elsewhere opens the site.
        let cookie = cookie::Cookie::build((crate::i18n::COOKIE, lang.0))
            .path("/")
            .max_age(cookie::time::Duration::days(365))
            .same_site(cookie::SameSite::Lax)
            .http_only(true)
            .secure(secure)
            .build()
            .to_string();
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Where the language switch may go back to: a path of this site, short
/// and without control characters or backslashes.
fn is_local_path(p: &str) -> bool {
    super::guard::is_site_path(p)
        && p.len() <= 512
        && !p.chars().any(|c| c.is_control() || c == '\\')
}

/// `localhost`, `127.0.0.1` or `[::1]`, with or without a port.
fn is_loopback_host(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((n, port)) if !n.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => n,
        _ => host,
    };
    matches!(
        name.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "[::1]"
    )
}

/// `POST /unsubscribe/<token>`: a campaign's one-click unsubscribe. A mail
/// program posts `List-Unsubscribe=One-Click` (RFC 8058) and gets a plain
/// 200; the page's own button goes back to the page, which says it is
/// done. Honoured at once; no session, no cookie, nothing else needed.
pub(super) async fn unsubscribe(
    State(state): State<AppState>,
    axum::extract::Path(token): axum::extract::Path<String>,
    body: String,
) -> Response {
    use axum::http::StatusCode;
    let one_click = body
        .split('&')
        .any(|p| p.eq_ignore_ascii_case("List-Unsubscribe=One-Click"));
    match crate::campaign::service::unsubscribe(&state, &token).await {
        Ok(true) if one_click => (StatusCode::OK, "unsubscribed\n").into_response(),
        Ok(true) => axum::response::Redirect::to(&format!("/unsubscribe/{token}")).into_response(),
        Ok(false) => (StatusCode::NOT_FOUND, "no such link\n").into_response(),
        Err(e) => {
            let reference = crate::flow::database_fault(&e);
            (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("not done: try again in a minute (reference {reference})\n"),
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_mailbox_knows_loopback_hosts() {
        for ok in [
            "localhost:3000",
            "127.0.0.1:3000",
            "[::1]:3000",
            "LOCALHOST",
            "127.0.0.1",
        ] {
            assert!(super::is_loopback_host(ok), "{ok}");
        }
        for bad in [
            "rebind.example:3000",
            "127.0.0.1.evil.example",
            "",
            "0.0.0.0:3000",
        ] {
            assert!(!super::is_loopback_host(bad), "{bad}");
        }
    }

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
}
