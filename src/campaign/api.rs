//! The campaigns' server functions for the provider's pages: the
//! unsubscribe page and the username a link fills in.

use super::UnsubscribeState;
use leptos::prelude::*;

/// The unsubscribe page of `token`.
#[server(endpoint = "unsubscribe_state")]
pub async fn load_unsubscribe(token: String) -> Result<UnsubscribeState, ServerFnError> {
    let (app, _) = crate::web::request();
    Ok(super::service::unsubscribe_state(&app, &token).await)
}

/// The username a campaign's link (`?invite=`) fills in on Account Lookup.
#[server(endpoint = "invite")]
pub async fn load_invite(invite: String) -> Result<Option<String>, ServerFnError> {
    let (app, _) = crate::web::request();
    Ok(super::service::invited_username(&app, &invite).await)
}
