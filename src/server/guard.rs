//! What stands in front of every page: security headers (CSP with a
//! per-response nonce, HSTS behind HTTPS) and the same-origin rule for
//! POSTs (Leptos has no CSRF protection of its own).

use super::forms::{form_action, UNKNOWN_ADDRESS};
use super::refused::{count_refusal, ctx_of, peer};
use crate::i18n::Msg;
use crate::state::AppState;
use crate::web::{is_https, refusal, CspNonce};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// The Content-Security-Policy for a response with this nonce. Scripts run
/// only from our origin or with the nonce; WebAssembly may compile
/// (`'wasm-unsafe-eval'`, not `'unsafe-eval'`); no inline style, no plugin,
/// no `<base>`, no framing.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

pub async fn security_headers(
    State(app): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let is_page = !req.uri().path().starts_with("/pkg/");
    let https = is_https(req.headers(), &app.settings);
    let nonce = crate::auth::random_token()[..32].to_string();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    if let Ok(v) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        h.insert("content-security-policy", v);
    }
    if https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    if is_page && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Leptos has no CSRF protection of its own: a state-changing request must
/// come from our own pages (the cookies are SameSite=Strict as well).
pub async fn same_origin_posts(State(app): State<AppState>, req: Request, next: Next) -> Response {
    // A campaign's one-click unsubscribe (RFC 8058) is posted by the
    // reader's mail program, from anywhere; it needs only its token.
    let one_click = req.uri().path().starts_with("/unsubscribe/");
    if req.method() != Method::GET && req.method() != Method::HEAD && !one_click {
        let h = req.headers();
        let cross_fetch = h
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == "cross-site" || v == "same-site");
        // Scheme, host and port must all be the site's: the configured
        // public address, or (development) this request's Host and scheme.
        let site = site_origin(h, &app.settings);
        let origin = h.get(header::ORIGIN);
        let foreign_origin = origin.is_some_and(|o| {
            let origin = o.to_str().unwrap_or("null");
            origin == "null" || !origin.eq_ignore_ascii_case(&site)
        });
        // Without Origin (defence in depth: current browsers send it on
        // every cross-site POST, and SameSite=Strict withholds our
        // cookies), a Referer that is there must be of our site; and an
        // operator's action (current browsers only) needs one or the other.
        let referer = h.get(header::REFERER).map(|r| r.to_str().unwrap_or(""));
        let foreign_referer = origin.is_none()
            && match referer {
                Some(r) => origin_of(r).is_none_or(|o| !o.eq_ignore_ascii_case(&site)),
                None => req.uri().path().starts_with("/ops/api/"),
            };
        if cross_fetch || foreign_origin || foreign_referer {
            let https = is_https(req.headers(), &app.settings);
            let ctx = ctx_of(&app, req.headers(), peer(&req), https);
            // Our forms by name; any other address (an attacker's pick)
            // under one name, the address itself (cut short) beside it.
            let path = req.uri().path();
            let (action, target) = match form_action(path) {
                Some(action) => (action, None),
                None => (
                    UNKNOWN_ADDRESS.to_string(),
                    Some(path.chars().take(100).collect::<String>()),
                ),
            };
            let outcome = "refused: cross-site";
            let target = target.as_deref();
            if let Some(res) = count_refusal(&app, &ctx, &action, outcome, target, "/").await {
                return res;
            }
            return refusal(
                StatusCode::FORBIDDEN,
                &ctx.lang,
                "refused-title-cross-site",
                &Msg::new("refused-cross-site"),
                "/",
            );
        }
    }
    next.run(req).await
}

/// `scheme://host[:port]` of an absolute URL (a Referer), if it is one.
fn origin_of(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    {
        return None;
    }
    let authority = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&url[..scheme.len() + 3 + authority])
}

/// The origin of the site's own pages.
fn site_origin(h: &HeaderMap, settings: &crate::config::Settings) -> String {
    match &settings.public_url {
        Some(p) => p.origin(),
        None => {
            let scheme = if is_https(h, settings) {
                "https"
            } else {
                "http"
            };
            let host = h
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            format!("{scheme}://{host}")
        }
    }
}

/// Only the configured site is served: a request for another Host (a DNS
/// rebinding name, a stray vhost) gets 421 and nothing else. The health
/// checks answer any Host, since load balancers probe by address.
pub async fn own_host_only(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let Some(public) = &app.settings.public_url else {
        return next.run(req).await;
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()))
        .unwrap_or("");
    if host.eq_ignore_ascii_case(&public.host) || is_probe(req.uri().path()) {
        return next.run(req).await;
    }
    refusal(
        StatusCode::MISDIRECTED_REQUEST,
        &crate::i18n::from_headers(req.headers()),
        "refused-title-host",
        &Msg::new("refused-host"),
        &format!("{}/", public.origin()),
    )
}

/// The paths a load balancer probes, and the metrics (which need their
/// token): answered whatever the Host.
fn is_probe(path: &str) -> bool {
    matches!(path, "/healthz" | "/livez" | "/readyz" | "/metrics")
}

/// No response sends the browser off this site: a Location that is not a
/// path of ours (leptos_axum answers a form post without JavaScript with a
/// redirect to its Referer, which may be any site) becomes the front page.
pub async fn local_redirects(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let off_site = res
        .headers()
        .get(header::LOCATION)
        .is_some_and(|l| !l.to_str().is_ok_and(is_site_path));
    if off_site {
        res.headers_mut()
            .insert(header::LOCATION, HeaderValue::from_static("/"));
    }
    res
}

/// A path of this site ("/wizard/code?x=1"), never another site ("//evil",
/// "/\\evil", "https://…").
pub(super) fn is_site_path(p: &str) -> bool {
    p.starts_with('/') && !p.starts_with("//") && !p.starts_with("/\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_of_a_referer() {
        assert_eq!(
            origin_of("https://portal.example/ops/find?q=1"),
            Some("https://portal.example")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:3000"),
            Some("http://127.0.0.1:3000")
        );
        assert_eq!(
            origin_of("https://portal.example.evil.example/"),
            Some("https://portal.example.evil.example")
        );
        assert_eq!(
            origin_of("https://portal.example@evil.example/"),
            Some("https://portal.example@evil.example")
        );
        assert_eq!(origin_of("/ops/find"), None);
        assert_eq!(origin_of("not a url"), None);
    }

    #[test]
    fn csp_has_the_nonce_and_no_unsafe_inline() {
        let p = content_security_policy("abc");
        assert!(p.contains("script-src 'self' 'nonce-abc'"));
        assert!(!p.contains("unsafe-inline"));
        for d in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(p.contains(d), "{d}");
        }
    }
}
