//! Thin server functions of the console. They live under `/ops/api/`, the
//! only place besides the pages where the console's cookie (path `/ops`)
//! is sent.

use super::{
    AuditQuery, AuditView, Console, EnrolState, Found, Locked, OpsSignInState, Progress, Stuck,
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::flow::reply;
#[cfg(feature = "ssr")]
use crate::web::{self, request};

/// `Sign in` on the console's sign-in page.
#[server(prefix = "/ops/api", endpoint = "sign_in")]
pub async fn ops_sign_in(
    username: String,
    password: String,
    code: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::sign_in(&app, &ctx, &username, &password, &code).await,
        super::step::OpsSignInStep::PATH,
    ));
    Ok(())
}

/// `Sign out` on every console page.
#[server(prefix = "/ops/api", endpoint = "sign_out")]
pub async fn ops_sign_out() -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::sign_out(&app, &ctx).await,
        super::step::OpsSignInStep::PATH,
    ));
    Ok(())
}

/// `Finish enrolment`: a password and the first code of the authenticator.
#[server(prefix = "/ops/api", endpoint = "enrol")]
pub async fn ops_enrol(
    token: String,
    password: String,
    confirm_password: String,
    code: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::enrol(&app, &ctx, &token, &password, &confirm_password, &code).await,
        "/ops/enrol",
    ));
    Ok(())
}

/// What the console's sign-in page shows again after a failed sign-in.
#[server(prefix = "/ops/api", endpoint = "sign_in_state")]
pub async fn load_ops_sign_in_state() -> Result<OpsSignInState, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::sign_in_state(&app, &ctx).await)
}

/// The enrolment page of the link `token`.
#[server(prefix = "/ops/api", endpoint = "enrol_state")]
pub async fn load_enrolment(token: String) -> Result<EnrolState, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::enrolment(&app, &ctx, &token).await)
}

/// The Progress page's figures.
#[server(prefix = "/ops/api", endpoint = "progress")]
pub async fn load_progress() -> Result<Console<Progress>, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::progress(&app, &ctx).await)
}

/// The Locked page's locks.
#[server(prefix = "/ops/api", endpoint = "locked")]
pub async fn load_locked() -> Result<Console<Locked>, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::locked(&app, &ctx).await)
}

/// `Unlock` on the Locked page (support and admin).
#[server(prefix = "/ops/api", endpoint = "unlock")]
pub async fn ops_unlock(lock: String, reason: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::unlock(&app, &ctx, &lock, &reason).await,
        "/ops/locked",
    ));
    Ok(())
}

/// One page of the audit search.
#[server(prefix = "/ops/api", endpoint = "audit")]
pub async fn load_audit(query: AuditQuery) -> Result<Console<AuditView>, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::audit(&app, &ctx, &query).await)
}

/// `Find` on Find an account.
#[server(prefix = "/ops/api", endpoint = "find")]
pub async fn ops_find(q: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(service::search(&app, &ctx, &q).await, "/ops/find"));
    Ok(())
}

/// Find an account: what a username (`q`) or a TIN's keyed hash finds.
#[server(prefix = "/ops/api", endpoint = "found")]
pub async fn load_found(q: String, tin: String) -> Result<Console<Found>, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::find(&app, &ctx, &q, &tin).await)
}

pub fn ops_find_url() -> &'static str {
    <OpsFind as leptos::server_fn::ServerFn>::PATH
}

/// `End all sessions` of a login (support and admin).
#[server(prefix = "/ops/api", endpoint = "end_sessions")]
pub async fn ops_end_sessions(login: String, reason: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::end_sessions(&app, &ctx, &login, &reason).await,
        "/ops/find",
    ));
    Ok(())
}

pub fn ops_end_sessions_url() -> &'static str {
    <OpsEndSessions as leptos::server_fn::ServerFn>::PATH
}

/// The Stuck page: flows idle `minutes` or longer.
#[server(prefix = "/ops/api", endpoint = "stuck")]
pub async fn load_stuck(minutes: i64) -> Result<Console<Stuck>, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::stuck(&app, &ctx, minutes).await)
}

pub fn ops_unlock_url() -> &'static str {
    <OpsUnlock as leptos::server_fn::ServerFn>::PATH
}

pub fn ops_sign_in_url() -> &'static str {
    <OpsSignIn as leptos::server_fn::ServerFn>::PATH
}

pub fn ops_sign_out_url() -> &'static str {
    <OpsSignOut as leptos::server_fn::ServerFn>::PATH
}

pub fn ops_enrol_url() -> &'static str {
    <OpsEnrol as leptos::server_fn::ServerFn>::PATH
}
