//! The HTTP edge that every flow shares: the request's context (client
//! address, HTTPS, cookies, language), the reply a server function gives (a
//! redirect, maybe a cookie), and HTML for pages made outside Leptos.

mod ctx;
mod html;
mod reply;

pub use ctx::{client_address, client_key, is_https, Ctx};

/// The nonce of this response's inline scripts (the islands bootstrap), put
/// in the request by the security headers' layer for the shell to use.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);
pub use html::{css_href, escape, hash_file, refusal};
pub use reply::{answer, request, set_cookie, Reply};
