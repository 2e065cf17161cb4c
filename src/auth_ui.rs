//! The sign-in form's server function.

use leptos::prelude::*;

/// `Login` on the sign-in page. Signing in to consolidated accounts is built
/// by the next issue; until then this says so plainly.
#[server(endpoint = "sign_in")]
pub async fn sign_in(username: String, password: String) -> Result<(), ServerFnError> {
    let _ = (username, password);
    leptos_axum::redirect("/?notice=sign-in-later");
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::SEE_OTHER);
    }
    Ok(())
}

pub fn sign_in_url() -> &'static str {
    <SignIn as leptos::server_fn::ServerFn>::PATH
}
