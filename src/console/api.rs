//! Thin server functions of the console. They live under `/ops/api/`, the
//! only place besides the pages where the console's cookie (path `/ops`)
//! is sent.
//!
//! A server function takes its form's fields, one argument each (a plain
//! HTML form posts them so): the campaign form has eight. The macro's
//! client half does not carry an attribute of the function, hence this for
//! the module.
#![allow(clippy::too_many_arguments)]

use super::{
    AuditQuery, AuditView, CasesPage, Closings, Codes, Console, EnrolState, Found, Locked,
    Operators, OpsSignInState, OutboxPage, Progress, Shown, Stuck,
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
pub async fn load_progress(from: String, to: String) -> Result<Console<Progress>, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::progress(&app, &ctx, &from, &to).await)
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

/// The Cases page ("This wasn't me").
#[server(prefix = "/ops/api", endpoint = "cases")]
pub async fn load_cases() -> Result<Console<CasesPage>, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::cases::cases(&app, &ctx).await)
}

/// `Undo the consolidation` / `Lift the freeze` on the Cases page (support
/// and admin).
#[server(prefix = "/ops/api", endpoint = "case")]
pub async fn ops_decide_case(
    case: String,
    decision: String,
    reason: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::cases::decide(&app, &ctx, &case, &decision, &reason).await,
        "/ops/cases",
    ));
    Ok(())
}

pub fn ops_decide_case_url() -> &'static str {
    <OpsDecideCase as leptos::server_fn::ServerFn>::PATH
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

/// `Reset second step` of a login (support and admin).
#[server(prefix = "/ops/api", endpoint = "reset_second_step")]
pub async fn ops_reset_second_step(login: String, reason: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::reset_second_step(&app, &ctx, &login, &reason).await,
        "/ops/find",
    ));
    Ok(())
}

pub fn ops_reset_second_step_url() -> &'static str {
    <OpsResetSecondStep as leptos::server_fn::ServerFn>::PATH
}

pub fn ops_end_sessions_url() -> &'static str {
    <OpsEndSessions as leptos::server_fn::ServerFn>::PATH
}

/// `Issue a support code` for an old account (support and admin).
#[server(prefix = "/ops/api", endpoint = "support_code")]
pub async fn ops_support_code(account: String, code_reason: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::issue_support_code(&app, &ctx, &account, &code_reason).await,
        "/ops/find",
    ));
    Ok(())
}

pub fn ops_support_code_url() -> &'static str {
    <OpsSupportCode as leptos::server_fn::ServerFn>::PATH
}

/// The page that shows a code once; the value is removed from the browser
/// as it is shown.
#[server(prefix = "/ops/api", endpoint = "shown")]
pub async fn load_shown() -> Result<Console<Option<Shown>>, ServerFnError> {
    let (app, ctx) = request();
    let state = service::shown(&app, &ctx).await;
    if let Some(cookie) = service::forget_shown(&ctx) {
        web::set_cookie(&cookie);
    }
    Ok(state)
}

/// The Registration codes page.
#[server(prefix = "/ops/api", endpoint = "codes")]
pub async fn load_codes() -> Result<Console<Codes>, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::codes::codes(&app, &ctx).await)
}

/// `Issue a registration code` (support and admin).
#[server(prefix = "/ops/api", endpoint = "registration_code")]
pub async fn ops_registration_code(
    tin: String,
    practice: String,
    role: String,
    days: String,
    reason: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    let form = super::CodeForm {
        practice,
        role,
        days,
        reason,
        ..Default::default()
    };
    web::answer(reply(
        service::codes::issue(&app, &ctx, &tin, &form).await,
        service::codes::PATH,
    ));
    Ok(())
}

pub fn ops_registration_code_url() -> &'static str {
    <OpsRegistrationCode as leptos::server_fn::ServerFn>::PATH
}

/// `Revoke` of a registration code (support and admin).
#[server(prefix = "/ops/api", endpoint = "revoke_code")]
pub async fn ops_revoke_code(code_id: String, reason: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::codes::revoke(&app, &ctx, &code_id, &reason).await,
        service::codes::PATH,
    ));
    Ok(())
}

pub fn ops_revoke_code_url() -> &'static str {
    <OpsRevokeCode as leptos::server_fn::ServerFn>::PATH
}

/// The Operators page (admin).
#[server(prefix = "/ops/api", endpoint = "operators")]
pub async fn load_operators() -> Result<Console<Operators>, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::operators::operators(&app, &ctx).await)
}

/// `Add the operator` (admin).
#[server(prefix = "/ops/api", endpoint = "operator_add")]
pub async fn ops_operator_add(
    username: String,
    role: String,
    reason: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::operators::add(&app, &ctx, &username, &role, &reason).await,
        service::operators::PATH,
    ));
    Ok(())
}

pub fn ops_operator_add_url() -> &'static str {
    <OpsOperatorAdd as leptos::server_fn::ServerFn>::PATH
}

/// `Disable`, `Enable` or `Reset TOTP` of an operator (admin).
#[server(prefix = "/ops/api", endpoint = "operator_change")]
pub async fn ops_operator_change(
    operator: String,
    change: String,
    reason: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::operators::change(&app, &ctx, &operator, &change, &reason).await,
        service::operators::PATH,
    ));
    Ok(())
}

pub fn ops_operator_change_url() -> &'static str {
    <OpsOperatorChange as leptos::server_fn::ServerFn>::PATH
}

/// The Stuck page: flows idle `minutes` or longer.
#[server(prefix = "/ops/api", endpoint = "stuck")]
pub async fn load_stuck(minutes: i64) -> Result<Console<Stuck>, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::stuck(&app, &ctx, minutes).await)
}

/// The Outbox page.
#[server(prefix = "/ops/api", endpoint = "outbox")]
pub async fn load_outbox() -> Result<Console<OutboxPage>, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::outbox(&app, &ctx).await)
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

/// The Closing dates page.
#[server(prefix = "/ops/api", endpoint = "closings")]
pub async fn load_closings() -> Result<Console<Closings>, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::closing::closings(&app, &ctx).await)
}

/// `Save the closing date` of an old portal (admin).
#[server(prefix = "/ops/api", endpoint = "closing_set")]
pub async fn ops_closing_set(
    source: String,
    name: String,
    closes_on: String,
    after: Option<String>,
    reason: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    let form = super::ClosingForm {
        source,
        name,
        closes_on,
        after: after.unwrap_or_default(),
        reason,
        ..Default::default()
    };
    web::answer(reply(
        service::closing::set(&app, &ctx, &form).await,
        service::closing::PATH,
    ));
    Ok(())
}

pub fn ops_closing_set_url() -> &'static str {
    <OpsClosingSet as leptos::server_fn::ServerFn>::PATH
}

/// `Remove the date` of an old portal (admin).
#[server(prefix = "/ops/api", endpoint = "closing_remove")]
pub async fn ops_closing_remove(source: String, reason: String) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::closing::remove(&app, &ctx, &source, &reason).await,
        service::closing::PATH,
    ));
    Ok(())
}

pub fn ops_closing_remove_url() -> &'static str {
    <OpsClosingRemove as leptos::server_fn::ServerFn>::PATH
}

/// The Campaigns page.
#[server(prefix = "/ops/api", endpoint = "campaigns")]
pub async fn load_campaigns() -> Result<Console<super::CampaignsPage>, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::campaigns::list(&app, &ctx).await)
}

/// A campaign's page (`None`: no such campaign).
#[server(prefix = "/ops/api", endpoint = "campaign")]
pub async fn load_campaign(
    id: String,
) -> Result<Console<Option<super::CampaignView>>, ServerFnError> {
    let (app, ctx) = request();
    Ok(service::campaigns::one(&app, &ctx, &id).await)
}

/// `Create the draft` (support and admin). `statuses` is `all` or one
/// status; `langs` is `en es`, `en` or `es`.
#[server(prefix = "/ops/api", endpoint = "campaign_create")]
pub async fn ops_campaign_create(
    name: String,
    source: String,
    statuses: String,
    langs: String,
    per_hour: String,
    reminders: String,
    // A form of an older page (kept open over an upgrade) has no such field.
    #[server(default)] imported_before: String,
    reason: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    let statuses = match statuses.as_str() {
        "all" => crate::campaign::STATUSES
            .iter()
            .map(|s| s.to_string())
            .collect(),
        one => vec![one.to_string()],
    };
    let form = super::CampaignForm {
        name,
        source,
        statuses,
        langs: langs.split_whitespace().map(str::to_string).collect(),
        per_hour,
        reminders,
        imported_before,
        reason,
        ..Default::default()
    };
    web::answer(reply(
        service::campaigns::create(&app, &ctx, &form).await,
        service::campaigns::PATH,
    ));
    Ok(())
}

pub fn ops_campaign_create_url() -> &'static str {
    <OpsCampaignCreate as leptos::server_fn::ServerFn>::PATH
}

/// `Start`, `Pause`, `Resume` or `Stop` of a campaign (support and admin).
#[server(prefix = "/ops/api", endpoint = "campaign_change")]
pub async fn ops_campaign_change(
    campaign: String,
    change: String,
    reason: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::campaigns::act(&app, &ctx, &campaign, &change, &reason).await,
        service::campaigns::PATH,
    ));
    Ok(())
}

pub fn ops_campaign_change_url() -> &'static str {
    <OpsCampaignChange as leptos::server_fn::ServerFn>::PATH
}

/// `Send a test` of a campaign's invitation (support and admin).
#[server(prefix = "/ops/api", endpoint = "campaign_test")]
pub async fn ops_campaign_test(
    campaign: String,
    address: String,
    reason: String,
) -> Result<(), ServerFnError> {
    let (app, ctx) = request();
    web::answer(reply(
        service::campaigns::test(&app, &ctx, &campaign, &address, &reason).await,
        service::campaigns::PATH,
    ));
    Ok(())
}

pub fn ops_campaign_test_url() -> &'static str {
    <OpsCampaignTest as leptos::server_fn::ServerFn>::PATH
}
