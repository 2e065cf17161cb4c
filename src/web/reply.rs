use super::Ctx;
use crate::state::AppState;
use axum::http::{header, StatusCode};
use leptos::prelude::*;

/// What a server function answers: where to send the browser next (a page
/// that shows the outcome), and the cookies to set.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub location: String,
    pub cookies: Vec<String>,
}

impl Reply {
    /// To the page at `path`.
    pub fn to(path: &str) -> Reply {
        Reply {
            location: path.to_string(),
            cookies: Vec::new(),
        }
    }

    /// To the page at `path`, which says `notice` (`out-of-order`, `expired`, ...).
    pub fn notice(path: &str, notice: &str) -> Reply {
        Reply::to(&format!("{path}?notice={notice}"))
    }

    /// To the page at `path`, which shows the support reference of a fault.
    pub fn fault(path: &str, reference: &str) -> Reply {
        Reply::to(&format!("{path}?fault={reference}"))
    }

    pub fn with_cookie(mut self, cookie: String) -> Reply {
        self.cookies.push(cookie);
        self
    }

    /// With `cookie` if there is one.
    pub fn with_cookie_if(self, cookie: Option<String>) -> Reply {
        match cookie {
            Some(c) => self.with_cookie(c),
            None => self,
        }
    }
}

/// The state and the request's context, inside a server function.
pub fn request() -> (AppState, Ctx) {
    let app = expect_context::<AppState>();
    let parts = use_context::<http::request::Parts>();
    let ctx = Ctx::from_parts(parts.as_ref(), &app.settings);
    (app, ctx)
}

/// Adds a `Set-Cookie` to the page being rendered (its loader runs before
/// the head is sent: `SsrMode::Async`).
pub fn set_cookie(cookie: &str) {
    if let (Some(res), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        header::HeaderValue::from_str(cookie),
    ) {
        res.append_header(header::SET_COOKIE, v);
    }
}

/// Sends the browser to `reply.location` with 303, and sets the cookie.
pub fn answer(reply: Reply) {
    let res = expect_context::<leptos_axum::ResponseOptions>();
    for c in &reply.cookies {
        if let Ok(v) = header::HeaderValue::from_str(c) {
            res.append_header(header::SET_COOKIE, v);
        }
    }
    res.insert_header(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    leptos_axum::redirect(&reply.location);
    res.set_status(StatusCode::SEE_OTHER);
}
