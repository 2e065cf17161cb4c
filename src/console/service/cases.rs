//! Cases: the "This wasn't me" reports, and their decision (support and
//! admin, with a reason): undo the consolidation (within 30 days of it) or
//! lift the freeze. Each is one transaction with its mails, audited.

use super::{allowed, audit::line, audit_op, in_every_language, page};
use crate::console::{CaseLine, CasesPage, Console};
use crate::domain::{Action, EmailAddress};
use crate::flow::outbox::{self, Mail};
use crate::flow::Outcome;
use crate::i18n::{text, Msg};
use crate::state::AppState;
use crate::store::{AuditFilter, Decided};
use crate::web::{Ctx, Reply};

/// An undo is possible this long after the login's first consolidation.
pub const UNDO_WINDOW_SECS: i64 = 30 * 86_400;

/// How many events of a consolidation's trail an open case shows.
pub const CASE_TRAIL_LINES: i64 = 60;

/// The Cases page: open cases first (oldest first), each with the trail of
/// the wizards that consolidated its login (every step: when, from where,
/// with what outcome, so which proofs were given), then the newest decided
/// ones; at most 200.
pub async fn cases(app: &AppState, ctx: &Ctx) -> Console<CasesPage> {
    page(app, ctx, Action::Read, "ops/cases", async {
        let mut cases = Vec::new();
        for c in app.store.cases(200).await? {
            let accounts = app
                .store
                .login_old_accounts(c.login)
                .await?
                .into_iter()
                .map(|(u, p, _)| (u, p))
                .collect();
            let trail = if c.decided_at.is_none() {
                let only = AuditFilter {
                    consolidated_into: Some(c.login),
                    ..Default::default()
                };
                app.store
                    .audit_page(&only, CASE_TRAIL_LINES, 0)
                    .await?
                    .into_iter()
                    .map(line)
                    .collect()
            } else {
                Vec::new()
            };
            cases.push(CaseLine {
                id: c.id,
                reference: c.reference,
                username: c.username,
                email: EmailAddress::parse(&c.email)
                    .map(|e| e.masked())
                    .unwrap_or_else(|_| "***".into()),
                opened: crate::mail::utc_time(c.opened_at),
                address: c.address,
                accounts,
                status: c.decision.clone().unwrap_or_else(|| "open".into()),
                decided: c.decided_at.map(crate::mail::utc_time).unwrap_or_default(),
                trail,
            });
        }
        Ok(CasesPage { cases })
    })
    .await
}

/// `Undo the consolidation` or `Lift the freeze` on case `case`, with the
/// reason the operator typed.
pub async fn decide(
    app: &AppState,
    ctx: &Ctx,
    case: &str,
    decision: &str,
    reason: &str,
) -> Outcome {
    let action = match decision {
        "undo" => "ops/case_undo",
        _ => "ops/case_lift",
    };
    let op = allowed(app, ctx, Action::DecideCase, action).await?;
    let reason = reason.trim();
    let Ok(id) = case.trim().parse::<i64>() else {
        return Ok(Reply::notice("/ops/cases", "case-gone"));
    };
    if reason.is_empty() {
        return Ok(Reply::to(&format!("/ops/cases?error=reason&case={id}")));
    }
    let target = format!("case:{id}");
    let now = app.clock.now();
    let Some(c) = app.store.case(id).await? else {
        return Ok(Reply::notice("/ops/cases", "case-gone"));
    };
    let olds = app.store.login_old_accounts(c.login).await?;
    let when = crate::mail::utc_time(now);
    let mut mails = Vec::new();
    let (outcome, notice) = if decision == "undo" {
        let list: String = olds
            .iter()
            .map(|(u, p, _)| format!("  - {p} ({u})\n"))
            .collect();
        let (subject, body) = in_every_language(
            |l| {
                text(
                    l,
                    &Msg::new("mail-undone-body")
                        .text("username", &c.username)
                        .text("when", &when)
                        .text("list", &list),
                )
            },
            "mail-undone-subject",
        );
        let mut to: Vec<String> = vec![c.email.clone()];
        for (_, _, e) in &olds {
            if let Some(e) = e
                .as_ref()
                .filter(|e| !to.iter().any(|t| t.eq_ignore_ascii_case(e)))
            {
                to.push(e.clone());
            }
        }
        for t in to {
            mails.push(Mail {
                kind: "undone",
                to: t,
                subject: subject.clone(),
                body: body.clone(),
                not_me: None,
            });
        }
        let mails = outbox::prepare(app, mails, now);
        let fail = app
            .faults
            .fail_next_undo
            .swap(false, std::sync::atomic::Ordering::SeqCst);
        let r = app
            .store
            .undo_case(id, (op.id, reason, now), UNDO_WINDOW_SECS, &mails, fail)
            .await?;
        (r, "case-undone")
    } else {
        let (subject, body) = in_every_language(
            |l| {
                text(
                    l,
                    &Msg::new("mail-lifted-body")
                        .text("username", &c.username)
                        .text("when", &when),
                )
            },
            "mail-lifted-subject",
        );
        mails.push(Mail {
            kind: "lifted",
            to: c.email.clone(),
            subject,
            body,
            not_me: None,
        });
        let mails = outbox::prepare(app, mails, now);
        let r = app
            .store
            .lift_case(id, (op.id, reason, now), &mails)
            .await?;
        (r, "case-lifted")
    };
    let (audited, notice) = match outcome {
        Decided::Done { .. } => {
            outbox::wake(app);
            ("ok", notice)
        }
        Decided::AlreadyDecided => ("already decided", "case-decided"),
        Decided::TooLate => ("refused: more than 30 days", "case-too-late"),
        Decided::NoSuchCase => ("no such case", "case-gone"),
    };
    audit_op(
        app,
        ctx,
        Some(&op),
        action,
        Some(&target),
        Some(reason),
        audited,
    )
    .await;
    Ok(Reply::notice("/ops/cases", notice))
}
