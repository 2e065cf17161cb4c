//! Find an account: by username (an old account or a login) or by TIN (its
//! keyed hash; only masked TINs are shown), with the old account's status
//! and trail, and a login's accounts and sessions (End all sessions).

use super::{allowed, audit::line, audit_op, audit_view};
use crate::console::{AccountStatus, CampaignMail, Console, Found, LoginCard, OldAccountCard};
use crate::domain::{mask_tin_digits, username_key, Action, EmailAddress, Tin};
use crate::flow::limits::SESSION_IDLE_SECS;
use crate::flow::outbox::{self, Mail};
use crate::flow::{notme, Outcome, Stop};
use crate::security::service::{change_body, method_view};
use crate::state::AppState;
use crate::store::{AuditFilter, OldStatus};
use crate::store::{Change, PortalUser};
use crate::web::{Ctx, Reply};

/// `Find`: the search goes into the page's address, a TIN only as its
/// keyed hash (never the digits: addresses land in history and logs).
pub async fn search(app: &AppState, ctx: &Ctx, q: &str) -> Outcome {
    allowed(app, ctx, Action::Read, "ops/find").await?;
    let q = q.trim();
    Ok(Reply::to(&match Tin::parse(q) {
        // Under each secret during a rotation (comma-separated).
        Ok(tin) => format!(
            "/ops/find?tin={}",
            crate::auth::tin_hashes(&app.key, tin.digits()).join(",")
        ),
        Err(_) => format!("/ops/find?q={}", crate::i18n::encode_query_value(q)),
    }))
}

/// The Find an account page: by username `q`, or by a TIN's keyed hash.
pub async fn find(app: &AppState, ctx: &Ctx, q: &str, tin: &str) -> Console<Found> {
    let op = match allowed(app, ctx, Action::Read, "ops/find").await {
        Ok(op) => op,
        Err(Stop::Go(_)) => return Console::SignedOut,
        Err(Stop::Fault { reference, .. }) => return Console::Fault(reference),
    };
    match found(app, q, tin).await {
        Ok((found, searched_for)) => {
            if found.searched {
                let outcome = format!(
                    "found {} old, {} logins",
                    found.accounts.len(),
                    found.logins.len()
                );
                audit_view(app, ctx, &op, "ops/find", Some(&searched_for), &outcome).await;
            }
            Console::Page(super::me(&op), found)
        }
        Err(Stop::Fault { reference, .. }) => Console::Fault(reference),
        Err(Stop::Go(_)) => Console::SignedOut,
    }
}

/// What the search finds, and how it is named in the trail (a TIN masked).
async fn found(app: &AppState, q: &str, tin: &str) -> Result<(Found, String), Stop> {
    let (q, tin) = (q.trim(), tin.trim());
    let now = app.clock.now();
    // The TIN's keyed hashes (two during a rotation); the first that finds.
    let hashes: Vec<&str> = tin.split(',').take(2).collect();
    let is_hash = |h: &str| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit());
    let (ids, login, named) = if !tin.is_empty() && hashes.iter().all(|h| is_hash(h)) {
        let (mut ids, mut tin) = (Vec::new(), hashes[0]);
        for hash in &hashes {
            ids = app.store.legacy_ids_by_tin_hash(hash).await?;
            if !ids.is_empty() {
                tin = hash;
                break;
            }
        }
        let masked = match ids.first() {
            Some(id) => app
                .store
                .tin_last4_of(*id, tin)
                .await?
                .map(|l| mask_tin_digits(&l)),
            None => None,
        };
        let named = format!("tin:{}", masked.as_deref().unwrap_or("(none found)"));
        (ids, None, named)
    } else if !q.is_empty() {
        let key = username_key(q);
        let ids = app
            .store
            .legacy_id_by_username_key(&key)
            .await?
            .into_iter()
            .collect();
        let login = app
            .store
            .portal_user_by_username_key(&key)
            .await?
            .map(|u| u.id);
        (
            ids,
            login,
            format!("username:{}", q.chars().take(254).collect::<String>()),
        )
    } else {
        return Ok((
            Found {
                searched: false,
                tin: None,
                accounts: vec![],
                logins: vec![],
            },
            String::new(),
        ));
    };
    let mut accounts = Vec::new();
    for id in ids {
        let Some(v) = app.store.old_account_view(id).await? else {
            continue;
        };
        let filter = AuditFilter {
            legacy_account_id: Some(id),
            ..Default::default()
        };
        let trail = app
            .store
            .audit_page(&filter, 20, 0)
            .await?
            .into_iter()
            .map(line)
            .collect();
        accounts.push(OldAccountCard {
            username: v.username,
            source: v.source,
            practice: v.practice,
            role: v.role,
            masked_tins: v.tins_last4.iter().map(|t| mask_tin_digits(t)).collect(),
            status: match v.status {
                OldStatus::NotStarted => AccountStatus::NotStarted,
                OldStatus::InFlow { kind, step, seen } => AccountStatus::InFlow {
                    kind,
                    step,
                    seen: crate::mail::utc_time(seen),
                },
                OldStatus::Consolidated { login, at } => AccountStatus::Consolidated {
                    login,
                    on: crate::mail::utc_time(at),
                },
            },
            trail,
            support_code: app
                .store
                .live_support_code(id, now)
                .await?
                .map(|c| (crate::mail::utc_time(c.expires_at), c.tries_left)),
            campaign_mail: match app.store.campaign_mail_stop(id).await? {
                (false, _) => CampaignMail::NoAddress,
                (true, None) => CampaignMail::Open,
                (true, Some((why, at))) if why == "unsubscribed" => {
                    CampaignMail::Unsubscribed(crate::mail::utc_time(at))
                }
                (true, Some((_, at))) => CampaignMail::Bouncing(crate::mail::utc_time(at)),
            },
        });
    }
    let mut logins = Vec::new();
    if let Some(id) = login {
        let steps = app.store.second_steps(id).await?;
        if let Some(l) = app.store.login_view(id, now - SESSION_IDLE_SECS).await? {
            logins.push(LoginCard {
                id: l.id,
                username: l.username,
                masked_email: EmailAddress::parse(&l.email)
                    .map(|e| e.masked())
                    .unwrap_or_default(),
                created: crate::mail::utc_time(l.created_at),
                accounts: l.accounts.into_iter().map(|a| a.summary()).collect(),
                sessions: l.sessions,
                second_steps: steps.methods.iter().map(method_view).collect(),
                backup_left: steps.backup_left,
            });
        }
    }
    let tin = named.strip_prefix("tin:").map(str::to_string);
    Ok((
        Found {
            searched: true,
            tin,
            accounts,
            logins,
        },
        named,
    ))
}

/// `End all sessions` of a login (support and admin, with a reason).
pub async fn end_sessions(app: &AppState, ctx: &Ctx, login: &str, reason: &str) -> Outcome {
    let op = allowed(app, ctx, Action::EndSessions, "ops/end_sessions").await?;
    let Some((user, back)) = login_of(app, login).await? else {
        return Ok(Reply::to("/ops/find"));
    };
    let reason = reason.trim();
    if reason.is_empty() {
        return Ok(Reply::to(&format!("{back}&error=reason")));
    }
    let n = app.store.end_all_user_sessions(user.id).await?;
    let target = format!("login:{}", user.username);
    audit_op(
        app,
        ctx,
        Some(&op),
        "ops/end_sessions",
        Some(&target),
        Some(reason),
        &format!("ok: {n} ended"),
    )
    .await;
    Ok(Reply::to(&format!("{back}&notice=sessions-ended")))
}

/// The login named by a console form's `login` field, and the Find page
/// that shows it.
async fn login_of(app: &AppState, login: &str) -> Result<Option<(PortalUser, String)>, Stop> {
    let user = match login.trim().parse::<i64>() {
        Ok(id) => app.store.portal_user_by_id(id).await?,
        Err(_) => None,
    };
    Ok(user.map(|u| {
        let back = format!(
            "/ops/find?q={}",
            crate::i18n::encode_query_value(&u.username)
        );
        (u, back)
    }))
}

/// `Reset second step` of a login that lost its own (support and admin,
/// with a reason, after the insurer's own check of who is calling): every
/// method and backup code goes, every session ends, and the login's
/// address is mailed with a "This wasn't me" link. It sets one up again
/// at its next sign-in.
pub async fn reset_second_step(app: &AppState, ctx: &Ctx, login: &str, reason: &str) -> Outcome {
    const ACTION: &str = "ops/reset_second_step";
    let op = allowed(app, ctx, Action::ResetSecondStep, ACTION).await?;
    let Some((user, back)) = login_of(app, login).await? else {
        return Ok(Reply::to("/ops/find"));
    };
    let reason = reason.trim();
    if reason.is_empty() {
        return Ok(Reply::to(&format!("{back}&error=reset_reason")));
    }
    let now = app.clock.now();
    let (link, not_me) = notme::new_link(app, now);
    let body_in =
        |lang: &crate::i18n::Lang| change_body(lang, &user, "mail-second-step-reset", now, &link);
    let (subject, body) = super::in_every_language(body_in, "mail-second-step-subject");
    let mail = Mail {
        kind: "second_step",
        to: user.email.clone(),
        subject,
        body,
        not_me: Some(not_me),
    };
    let change = Change {
        login: user.id,
        now,
        mails: outbox::prepare(app, vec![mail], now),
    };
    let n = app.store.reset_second_step(&change).await?;
    outbox::wake(app);
    let target = format!("login:{}", user.username);
    let outcome = format!("ok: {n} removed");
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
    Ok(Reply::to(&format!("{back}&notice=second-step-reset")))
}
