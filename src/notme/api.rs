//! Thin server functions of "This wasn't me".

use super::NotMeState;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::flow::reply;
#[cfg(feature = "ssr")]
use crate::web::{self, request};

/// What the link `token` is (reading it changes nothing).
#[server(endpoint = "not_me/state")]
pub async fn load_not_me(token: String) -> Result<NotMeState, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::state(&app, &ctx, &token).await)
}

/// `Freeze the login` on the link's page.
#[server(endpoint = "not_me")]
pub async fn confirm_not_me(token: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::confirm(&app, &ctx, &token).await,
        super::step::NotMeStep::Confirm.path(),
    ));
    Ok(())
}

pub fn confirm_not_me_url() -> &'static str {
    <ConfirmNotMe as leptos::server_fn::ServerFn>::PATH
}
