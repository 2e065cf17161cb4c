//! Outbox: the mail waiting to go or retrying, and the mail that failed for
//! good lately (recipient masked; never a body, which may hold a code).

use super::page;
use crate::console::{Console, OutboxMail, OutboxPage, OUTBOX_FAILED_DAYS};
use crate::domain::{Action, EmailAddress};
use crate::state::AppState;
use crate::web::Ctx;

/// The Outbox page (the newest 200).
pub async fn outbox(app: &AppState, ctx: &Ctx) -> Console<OutboxPage> {
    page(app, ctx, Action::Read, "ops/outbox", async {
        let now = app.clock.now();
        let lines = app
            .store
            .outbox_lines(now - OUTBOX_FAILED_DAYS * 86_400, 200)
            .await?;
        let mails = lines
            .into_iter()
            .map(|l| {
                let (status, when) = match l.failed_at {
                    Some(at) => ("failed", at),
                    None if l.attempts == 0 || l.last_error.is_none() => ("queued", l.next_at),
                    None => ("retrying", l.next_at),
                };
                OutboxMail {
                    written: crate::mail::utc_time(l.created_at),
                    kind: l.kind,
                    to: EmailAddress::parse(&l.to)
                        .map(|e| e.masked())
                        .unwrap_or_else(|_| "***".into()),
                    subject: l.subject,
                    status: status.into(),
                    when: crate::mail::utc_time(when),
                    attempts: l.attempts,
                    last_error: l.last_error.unwrap_or_default(),
                }
            })
            .collect();
        Ok(OutboxPage { mails })
    })
    .await
}
