//! Locked: every lock in force, and Unlock (support and admin, with a
//! reason; the provider is told by mail where there is an address).

use super::{allowed, audit_op, page};
use crate::console::{LockLine, Locked};
use crate::domain::{Action, EmailAddress};
use crate::flow::outbox::{self, Mail};
use crate::flow::Outcome;
use crate::i18n::{text, text_of, Lang, Msg};
use crate::state::AppState;
use crate::store::{Counter, Lock};
use crate::web::{Ctx, Reply};

/// The Locked page.
pub async fn locked(app: &AppState, ctx: &Ctx) -> crate::console::Console<Locked> {
    page(app, ctx, Action::Read, "ops/locked", async {
        let now = app.clock.now();
        let locks = app.store.locks_in_force(now).await?;
        Ok(Locked {
            locks: locks
                .into_iter()
                .map(|l| LockLine {
                    lock: format!("{}:{}", l.counter.as_str(), l.id),
                    kind: l.counter.as_str().to_string(),
                    who: l.who,
                    ends: crate::mail::utc_time(l.until),
                    minutes_left: (l.until - now + 59) / 60,
                })
                .collect(),
        })
    })
    .await
}

/// `Unlock`: lifts one lock, with the reason the operator typed.
pub async fn unlock(app: &AppState, ctx: &Ctx, lock: &str, reason: &str) -> Outcome {
    let op = allowed(app, ctx, Action::Unlock, "ops/unlock").await?;
    let reason = reason.trim();
    let Some((counter, id)) = lock
        .split_once(':')
        .and_then(|(c, id)| Some((Counter::named(c)?, id.parse::<i64>().ok()?)))
    else {
        return Ok(Reply::notice("/ops/locked", "unlock-gone"));
    };
    if reason.is_empty() {
        return Ok(Reply::to(&format!(
            "/ops/locked?error=reason&lock={}",
            crate::i18n::encode_query_value(lock)
        )));
    }
    let now = app.clock.now();
    let target = format!("{}:{id}", counter.as_str());
    // What the mail needs, read before the lock is lifted.
    let found = app
        .store
        .locks_in_force(now)
        .await?
        .into_iter()
        .find(|l| l.counter == counter && l.id == id);
    let mails = found
        .as_ref()
        .and_then(|l| mail_to_the_provider(l, now))
        .map(|m| outbox::prepare(app, vec![m], now))
        .unwrap_or_default();
    if !app.store.unlock(counter, id, now, &mails).await? {
        audit_op(
            app,
            ctx,
            Some(&op),
            "ops/unlock",
            Some(&target),
            Some(reason),
            "no lock in force",
        )
        .await;
        return Ok(Reply::notice("/ops/locked", "unlock-gone"));
    }
    audit_op(
        app,
        ctx,
        Some(&op),
        "ops/unlock",
        Some(&target),
        Some(reason),
        "ok",
    )
    .await;
    outbox::wake(app);
    Ok(Reply::notice("/ops/locked", "unlocked"))
}

/// The mail to the lock's owner, if the account has an address, in every
/// language of the site (the provider's own is not known here); it goes
/// into the outbox with the unlock.
fn mail_to_the_provider(l: &Lock, now: i64) -> Option<Mail> {
    let to = l
        .email
        .as_deref()
        .filter(|e| EmailAddress::parse(e).is_ok())?;
    let body_in = |lang: &Lang| {
        text(
            lang,
            &Msg::new("mail-unlocked-body")
                .text("account", &l.who)
                .text(
                    "lock",
                    text_of(lang, &format!("ops-lock-{}", l.counter.as_str())),
                )
                .text("when", crate::mail::utc_time(now)),
        )
    };
    let (subject, body) = super::in_every_language(body_in, "mail-unlocked-subject");
    Some(Mail {
        kind: "unlocked",
        to: to.to_string(),
        subject,
        body,
        not_me: None,
    })
}
