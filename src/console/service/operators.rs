//! Operators managed from the console (admin): Add (the enrolment link shown
//! once), Disable and Enable, and Reset TOTP (a new enrolment: a new
//! authenticator and a new password). Each with a reason, audited. An admin
//! cannot disable or reset themselves (another admin can).

use super::support::show_once;
use super::{add_operator, allowed, audit_op, page, ENROL_SECS};
use crate::auth::{random_token, totp};
use crate::console::{Console, OperatorCard, Operators, Shown};
use crate::domain::{Action, Role, Username};
use crate::flow::{Outcome, Stop};
use crate::state::AppState;
use crate::web::{Ctx, Reply};

/// The page's address.
pub const PATH: &str = "/ops/operators";

/// The Operators page.
pub async fn operators(app: &AppState, ctx: &Ctx) -> Console<Operators> {
    let now = app.clock.now();
    let state = page(app, ctx, Action::ManageOperators, "ops/operators", async {
        Ok::<_, Stop>(app.store.operators_list().await?)
    })
    .await;
    let Console::Page(m, list) = state else {
        return match state {
            Console::Fault(r) => Console::Fault(r),
            Console::Refused => Console::Refused,
            _ => Console::SignedOut,
        };
    };
    let operators = list
        .into_iter()
        .map(|o| OperatorCard {
            status: if o.disabled {
                "disabled"
            } else if o.enrolled {
                "enrolled"
            } else if o.enrol_expires > now {
                "awaiting"
            } else {
                "link-expired"
            }
            .into(),
            me: o.username == m.username,
            id: o.id,
            username: o.username,
            role: Role::parse(&o.role).unwrap_or(Role::Auditor),
            created: crate::mail::utc_time(o.created_at),
            last_seen: o.last_seen.map(crate::mail::utc_time),
        })
        .collect();
    Console::Page(m, Operators { operators })
}

/// `Add an operator`: the enrolment link is shown once, to this admin.
pub async fn add(app: &AppState, ctx: &Ctx, username: &str, role: &str, reason: &str) -> Outcome {
    const ACTION: &str = "ops/operator_add";
    let op = allowed(app, ctx, Action::ManageOperators, ACTION).await?;
    let e = crate::i18n::encode_query_value;
    let back = |field: &str, error: &str| {
        Reply::to(&format!(
            "{PATH}?username={}&role={}&reason={}&field={field}&error={error}",
            e(username),
            e(role),
            e(reason)
        ))
    };
    let name = match Username::parse_new(username) {
        Ok(n) => n,
        Err(err) => return Ok(back("username", err.0)),
    };
    let Some(role) = Role::parse(role) else {
        return Ok(back("role", "error-ops-role-choose"));
    };
    let reason = reason.trim();
    if reason.is_empty() {
        return Ok(back("reason", "error-ops-reason-empty"));
    }
    let now = app.clock.now();
    let Some(added) = add_operator(&app.store, &app.key, &name, role, now).await? else {
        return Ok(back("username", "error-ops-operator-taken"));
    };
    let target = format!("operator:{}", name.as_str());
    let outcome = format!("ok: {}", role.as_str());
    audit_op(
        app,
        ctx,
        Some(&op),
        ACTION,
        Some(&target),
        Some(reason),
        &outcome,
    )
    .await;
    Ok(show_once(
        app,
        ctx,
        &op,
        &enrol_link(app, name.as_str(), role, &added.token, added.expires),
    ))
}

fn enrol_link(app: &AppState, username: &str, role: Role, token: &str, expires: i64) -> Shown {
    Shown {
        kind: "enrol-link".into(),
        subject: format!("{username} ({})", role.as_str()),
        secret: format!("{}/ops/enrol?token={token}", app.settings.site_origin()),
        expires: crate::mail::utc_time(expires),
    }
}

/// What an admin does to another operator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    Disable,
    Enable,
    ResetTotp,
}

impl Change {
    pub fn parse(s: &str) -> Option<Change> {
        match s {
            "disable" => Some(Change::Disable),
            "enable" => Some(Change::Enable),
            "reset" => Some(Change::ResetTotp),
            _ => None,
        }
    }

    fn action(self) -> &'static str {
        match self {
            Change::Disable => "ops/operator_disable",
            Change::Enable => "ops/operator_enable",
            Change::ResetTotp => "ops/operator_reset_totp",
        }
    }
}

/// Disable, Enable or Reset TOTP of operator `id`, with a reason.
pub async fn change(app: &AppState, ctx: &Ctx, id: &str, change: &str, reason: &str) -> Outcome {
    let Some(change) = Change::parse(change.trim()) else {
        return Ok(Reply::to(PATH));
    };
    let op = allowed(app, ctx, Action::ManageOperators, change.action()).await?;
    let target = match id.trim().parse::<i64>() {
        Ok(id) => app.store.operator_by_id(id).await?,
        Err(_) => None,
    };
    let Some(target) = target else {
        return Ok(Reply::notice(PATH, "operator-gone"));
    };
    let reason = reason.trim();
    if reason.is_empty() {
        return Ok(Reply::to(&format!(
            "{PATH}?operator={}&error=error-ops-reason-empty",
            target.id
        )));
    }
    let named = format!("operator:{}", target.username);
    if target.id == op.id {
        audit_op(
            app,
            ctx,
            Some(&op),
            change.action(),
            Some(&named),
            Some(reason),
            "refused: oneself",
        )
        .await;
        return Ok(Reply::notice(PATH, "not-oneself"));
    }
    let now = app.clock.now();
    let (done, reply) = match change {
        Change::Disable | Change::Enable => {
            let done = app
                .store
                .set_operator_disabled(target.id, change == Change::Disable)
                .await?;
            let notice = if change == Change::Disable {
                "disabled"
            } else {
                "enabled"
            };
            (
                done,
                Reply::notice(PATH, if done { notice } else { "unchanged" }),
            )
        }
        Change::ResetTotp => {
            let token = random_token();
            let seed = totp::seal_seed(&app.key, &totp::new_seed());
            let expires = now + ENROL_SECS;
            let hash = super::enrol_hash(&app.key, &token);
            let done = app
                .store
                .reset_operator_enrolment(target.id, &seed, &hash, expires)
                .await?;
            let role = Role::parse(&target.role).unwrap_or(Role::Auditor);
            let link = enrol_link(app, &target.username, role, &token, expires);
            let reply = if done {
                show_once(app, ctx, &op, &link)
            } else {
                Reply::notice(PATH, "unchanged")
            };
            (done, reply)
        }
    };
    let outcome = if done { "ok" } else { "unchanged" };
    audit_op(
        app,
        ctx,
        Some(&op),
        change.action(),
        Some(&named),
        Some(reason),
        outcome,
    )
    .await;
    Ok(reply)
}
