use crate::auth;
use crate::config::Settings;
use crate::i18n::Lang;
use axum::http::HeaderMap;
use std::net::IpAddr;

/// What the request tells us, read once.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The consolidation wizard's token (`pp_wizard`).
    pub wizard: Option<String>,
    /// The Forgot Username, Forgot Password or Register flow's token (`pp_flow`).
    pub flow: Option<String>,
    /// The sign-in session's token (`pp_session`).
    pub session: Option<String>,
    /// What a failed sign-in left for the sign-in page (`pp_signin`).
    pub signin: Option<String>,
    /// An operator's console session (`pp_ops`, sent only to `/ops`).
    pub ops: Option<String>,
    /// A sealed value shown once (`pp_shown`, sent only to `/ops`, or to
    /// the page of new backup codes).
    pub shown: Option<String>,
    /// A browser remembered for a login's second step (`pp_remember`).
    pub remember: Option<String>,
    /// What the browser says it is, in a few words ("Firefox · Windows"),
    /// for the list of remembered browsers.
    pub browser: String,
    pub address: String,
    pub secure: bool,
    /// The language of the request's pages, for the mail it sends.
    pub lang: Lang,
}

impl Ctx {
    /// The context of a request that carries no session (refusals at the edge).
    pub fn anonymous(address: String, secure: bool, lang: Lang) -> Ctx {
        Ctx {
            wizard: None,
            flow: None,
            session: None,
            signin: None,
            ops: None,
            shown: None,
            remember: None,
            browser: String::new(),
            address,
            secure,
            lang,
        }
    }

    pub fn from_parts(parts: Option<&http::request::Parts>, settings: &Settings) -> Ctx {
        let Some(parts) = parts else {
            return Ctx::anonymous("unknown".into(), false, Lang::default());
        };
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        let cookies = parts
            .headers
            .get("cookie")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let secure = is_https(&parts.headers, settings);
        // Tokens are 64 hex digits; anything else is nobody's. Over HTTPS
        // only the `__Host-` cookie counts.
        let token = |name: &str| {
            auth::cookie_value(cookies, &auth::cookie_name(name, secure)).filter(|t| t.len() == 64)
        };
        Ctx {
            wizard: token(auth::WIZARD_COOKIE),
            flow: token(auth::FLOW_COOKIE),
            session: token(auth::SESSION_COOKIE),
            signin: token(auth::SIGNIN_COOKIE),
            ops: auth::cookie_value(cookies, &auth::ops_cookie_name(secure))
                .filter(|t| t.len() == 64),
            shown: auth::cookie_value(cookies, &auth::shown_cookie_name(secure))
                .filter(|v| v.len() <= 4096),
            remember: token(auth::REMEMBER_COOKIE),
            browser: browser_label(
                parts
                    .headers
                    .get(http::header::USER_AGENT)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or(""),
            ),
            address: client_address(&parts.headers, peer, settings.trust_proxy),
            secure,
            lang: crate::i18n::from_headers(&parts.headers),
        }
    }

    /// The token of the cookie `name`, if the request carried one.
    pub fn token(&self, name: &str) -> Option<&str> {
        match name {
            auth::WIZARD_COOKIE => self.wizard.as_deref(),
            auth::FLOW_COOKIE => self.flow.as_deref(),
            auth::SESSION_COOKIE => self.session.as_deref(),
            auth::SIGNIN_COOKIE => self.signin.as_deref(),
            _ => None,
        }
    }
}

/// A browser named in a few words from its `User-Agent` ("Firefox ·
/// Windows", the same in every language): enough to tell one's own
/// browsers apart; the header itself is not kept.
pub fn browser_label(user_agent: &str) -> String {
    let has = |s: &str| user_agent.contains(s);
    let browser = if has("Firefox/") {
        "Firefox"
    } else if has("Edg/") {
        "Edge"
    } else if has("Chrome/") || has("Chromium/") {
        "Chrome"
    } else if has("Safari/") {
        "Safari"
    } else {
        "Browser"
    };
    let system = if has("iPhone") || has("iPad") {
        "iOS"
    } else if has("Android") {
        "Android"
    } else if has("Windows") {
        "Windows"
    } else if has("Mac OS X") || has("Macintosh") {
        "macOS"
    } else if has("Linux") || has("X11") {
        "Linux"
    } else {
        return browser.to_string();
    };
    format!("{browser} · {system}")
}

/// The address a request came from: the peer, or, behind a trusted proxy
/// (`TRUST_PROXY=1`), the last `X-Forwarded-For` entry, which that proxy
/// wrote. Entries before it are the client's own words and never used, so
/// a spoofed header cannot move a rate limit to a fresh address.
pub fn client_address(headers: &HeaderMap, peer: Option<IpAddr>, trust_proxy: bool) -> String {
    let forwarded = if trust_proxy {
        headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .next_back()
            .and_then(|v| v.rsplit(',').next())
            .and_then(|s| s.trim().parse::<IpAddr>().ok())
    } else {
        None
    };
    forwarded
        .or(peer)
        .map(|a| a.to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// The client a per-address limit counts: an IPv4 address as it is, an
/// IPv6 address by its /64. One home line or one mobile device gets a whole
/// /64 (RFC 6177, and what ISPs assign), so counting single IPv6 addresses
/// would give every client 2^64 fresh budgets.
pub fn client_key(address: &str) -> String {
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        _ => address.to_string(),
    }
}

/// Whether the browser reached us over HTTPS: as the site's public address
/// says, or as the trusted proxy says with `X-Forwarded-Proto`; never as
/// the request line says (an absolute-form `GET https://…` is the client's
/// own word).
pub fn is_https(headers: &HeaderMap, settings: &Settings) -> bool {
    settings.public_url.as_ref().is_some_and(|p| p.https)
        || (settings.trust_proxy
            && headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|p| p.eq_ignore_ascii_case("https")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn only_the_proxys_own_entry_counts() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 10.0.0.9"),
        );
        let peer = Some("127.0.0.1".parse().unwrap());
        assert_eq!(client_address(&h, peer, true), "10.0.0.9");
        assert_eq!(client_address(&h, peer, false), "127.0.0.1");
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("not an address"),
        );
        assert_eq!(client_address(&h, peer, true), "127.0.0.1");
    }

    #[test]
    fn a_browser_is_named_in_a_few_words() {
        let firefox =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
        assert_eq!(browser_label(firefox), "Firefox · Windows");
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
        assert_eq!(browser_label(chrome), "Chrome · Linux");
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
        assert_eq!(browser_label(safari), "Safari · iOS");
        assert_eq!(browser_label("curl/8.0"), "Browser");
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        assert_eq!(client_key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_eq!(client_key("2001:db8:1:2:ffff::2"), "2001:db8:1:2::/64");
        assert_ne!(client_key("2001:db8:1:3::1"), client_key("2001:db8:1:2::1"));
        assert_eq!(client_key("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(client_key("192.0.2.7"), "192.0.2.7");
        assert_eq!(client_key("unknown"), "unknown");
    }
}
