//! The closing notices' server function, called by the sign-in page and
//! the quick guide as they render.

use super::ClosingNotice;
use leptos::prelude::*;

/// The old portals that close soon.
#[server(endpoint = "closing_notices")]
pub async fn load_closing_notices() -> Result<Vec<ClosingNotice>, ServerFnError> {
    let (app, _) = crate::web::request();
    Ok(super::service::notices(&app).await)
}
