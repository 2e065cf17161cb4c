//! Emailed codes, the same for every flow: a keyed hash stored, 10 minutes,
//! single use, five tries taken before each check, a 60-second cooldown,
//! five a flow an hour, ten a day per address and per account.

use super::flash::FieldError;
use super::limits::*;
use super::outbox::{self, Mail};
use super::{audit, short_reference, Stop};
use crate::auth::{constant_time_eq, keyed_hash, random_code};
use crate::domain::{EmailAddress, EmailCode};
use crate::i18n::{text, text_of, Msg};
use crate::state::AppState;
use crate::store::{FlowRow, Limit};
use crate::web::Ctx;
use tracing::error;

/// Where a code goes, and the caps it counts against.
pub struct CodeMail<'a> {
    /// The address. `None`: the flow named nobody (Forgot Password for an
    /// unknown username); the code is stored, the same work done, and no
    /// mail sent.
    pub to: Option<&'a EmailAddress>,
    /// Daily caps beside the address's own (see [`daily_cap`]).
    pub caps: Vec<Limit>,
    /// Sent after the reply, so that the reply takes no longer for a real
    /// login than for nobody; a capped mail is then dropped without a word
    /// and a failure only logged.
    pub background: bool,
}

/// A cap of [`MAILS_PER_DAY`] code mails a day under `key`, across flows
/// and instances.
pub fn daily_cap(key: String) -> Limit {
    Limit {
        key,
        window: DAY_SECS,
        limit: MAILS_PER_DAY,
    }
}

/// The cap of the mailbox itself, however its address is spelt (its keyed
/// hash: no address is stored).
pub fn address_cap(app: &AppState, to: &EmailAddress) -> Limit {
    daily_cap(format!(
        "mail-to:{}",
        keyed_hash(&app.key, &["mail-to", &mailbox_of(to.as_str())])
    ))
}

/// The mailbox an address reaches: lower-case, without a `+tag`, and at
/// Gmail (which ignores them) without dots and with its one domain.
fn mailbox_of(address: &str) -> String {
    let lower = address.to_lowercase();
    let Some((local, domain)) = lower.rsplit_once('@') else {
        return lower;
    };
    let local = local.split('+').next().unwrap_or(local);
    match domain {
        "gmail.com" | "googlemail.com" => format!("{}@gmail.com", local.replace('.', "")),
        _ => format!("{local}@{domain}"),
    }
}

/// How a send ended.
pub enum Sent {
    Sent,
    /// Too soon, or a cap reached, or the mail server refused: what the page says.
    Refused(FieldError),
}

/// Sends a new code for flow `f` (voiding the one before).
pub async fn send_code(
    app: &AppState,
    ctx: &Ctx,
    f: &FlowRow,
    mail: CodeMail<'_>,
    action: &str,
) -> Result<Sent, Stop> {
    let now = app.clock.now();
    let (sent_last_hour, last) = app.store.code_sends_since(&f.id, now - 3600).await?;
    if let Some(last) = last {
        let wait = RESEND_COOLDOWN_SECS - (now - last);
        if wait > 0 {
            audit(app, ctx, Some(f), action, "refused: too soon").await;
            return Ok(Sent::Refused(FieldError::new(
                "code",
                Msg::new("error-code-too-soon").number("seconds", wait),
            )));
        }
    }
    if sent_last_hour >= SENDS_PER_HOUR {
        audit(app, ctx, Some(f), action, "refused: hourly limit").await;
        return Ok(Sent::Refused(FieldError::new(
            "code",
            Msg::new("error-code-hourly-limit"),
        )));
    }
    // The mailbox's cap; a send to nobody (an unknown username) takes a
    // cap of its own flow instead, which it never fills: known and unknown
    // take as many limits, so the same work and the same time (a rate limit
    // alone is one statement, several are a transaction).
    let mut caps = mail.caps;
    caps.push(match mail.to {
        Some(to) => address_cap(app, to),
        None => daily_cap(format!(
            "mail-to:{}",
            keyed_hash(&app.key, &["mail-to-nobody", &f.id])
        )),
    });
    let capped = app.store.rate_take(&caps, now).await?.is_some();
    if capped && !mail.background {
        audit(app, ctx, Some(f), action, "refused: daily mail limit").await;
        return Ok(Sent::Refused(FieldError::new(
            "code",
            Msg::new("error-code-daily-limit"),
        )));
    }
    let code = random_code();
    // Mailed now: the code replaces the earlier ones only once its mail went.
    let after_mail = !mail.background && mail.to.is_some() && !capped;
    let to = mail.to.filter(|_| !capped);
    // The mail goes into the outbox with the code, and this request sends
    // it at once (flow::outbox::deliver_now).
    let letter = to.map(|to| Mail {
        kind: "code",
        to: to.as_str().to_string(),
        subject: text_of(&ctx.lang, "mail-code-subject"),
        body: text(&ctx.lang, &Msg::new("mail-code-body").text("code", &code)),
        not_me: None,
    });
    let letter = letter.map(|l| outbox::prepare(app, vec![l], now).remove(0));
    let (code_id, mail_id) = app
        .store
        .store_code(
            &f.id,
            mail.to.map(|t| t.as_str()).unwrap_or(""),
            &keyed_hash(&app.key, &["email-code", &f.id, &code]),
            (now, CODE_TTL_SECS),
            !after_mail,
            letter.as_ref(),
        )
        .await?;
    let Some(mail_id) = mail_id else {
        let outcome = if capped {
            "not sent: daily mail limit"
        } else {
            "not sent: no such login"
        };
        audit(app, ctx, Some(f), action, outcome).await;
        return Ok(Sent::Sent);
    };
    if mail.background {
        let app2 = app.clone();
        tokio::spawn(async move {
            if send_logged(&app2, mail_id, "the password reset code")
                .await
                .is_err()
            {
                let _ = app2.store.close_code(code_id, "failed").await;
            }
        });
        audit(app, ctx, Some(f), action, "sent").await;
        return Ok(Sent::Sent);
    }
    if let Err(reference) = send_logged(app, mail_id, "the verification email").await {
        // A send that failed neither starts the cooldown nor voids the
        // code the provider may already have.
        app.store.close_code(code_id, "failed").await?;
        audit(app, ctx, Some(f), action, "fault: mail not sent").await;
        return Ok(Sent::Refused(FieldError::new(
            "email",
            Msg::new("error-mail-fault").text("reference", reference),
        )));
    }
    app.store.activate_code(&f.id, code_id).await?;
    audit(app, ctx, Some(f), action, "sent").await;
    Ok(Sent::Sent)
}

/// How a code check ended.
pub enum Checked {
    /// The code (its id) is right: the step's save marks it used, in the
    /// same transaction as the flow's move ([`StepWrite::UseCode`]).
    ///
    /// [`StepWrite::UseCode`]: crate::store::StepWrite::UseCode
    Accepted(i64),
    /// What the page says, and what the audit records (after the flow is saved).
    Refused(Msg, Option<&'static str>),
}

/// Checks a typed code against flow `f`'s active code. Each try is taken
/// atomically before it is evaluated, so concurrent guesses get no more
/// than five evaluations. `bound_to_email`: the code must have been sent to
/// the flow's current address. `known`: false for a flow that named nobody,
/// whose code is never right (the same path and work).
pub async fn verify_code(
    app: &AppState,
    f: &FlowRow,
    typed: &str,
    bound_to_email: bool,
    known: bool,
) -> Result<Checked, Stop> {
    let refused =
        |key: &str, outcome: Option<&'static str>| Ok(Checked::Refused(Msg::new(key), outcome));
    let code = match EmailCode::parse(typed) {
        Ok(c) => c,
        Err(e) => return refused(e.0, None),
    };
    let active = app.store.active_code(&f.id).await?;
    let Some(active) =
        active.filter(|c| !bound_to_email || Some(c.email.as_str()) == f.email.as_deref())
    else {
        return refused("error-code-void", Some("refused: no active code"));
    };
    if active.expires_at <= app.clock.now() {
        app.store.close_code(active.id, "void").await?;
        return refused("error-code-expired", Some("refused: expired"));
    }
    let Some(attempt) = app.store.take_code_attempt(active.id, CODE_TRIES).await? else {
        return refused("error-code-void", Some("refused: no tries left"));
    };
    // Under the current secret, or the previous one during a rotation.
    let right = app
        .key
        .hashes(&["email-code", &f.id, code.expose()])
        .iter()
        .any(|expected| constant_time_eq(expected, &active.code_hash));
    if !right || !known {
        let left = CODE_TRIES - attempt;
        if left <= 0 {
            app.store.close_code(active.id, "void").await?;
            return refused("error-code-used-up", Some("wrong"));
        }
        return Ok(Checked::Refused(
            Msg::new("error-code-wrong").number("left", left),
            Some("wrong"),
        ));
    }
    Ok(Checked::Accepted(active.id))
}

/// Seconds until `Request New Code` may send again for flow `flow_id`.
pub async fn resend_wait(app: &AppState, flow_id: &str) -> Result<i64, Stop> {
    let now = app.clock.now();
    let (_, last) = app.store.code_sends_since(flow_id, now - 3600).await?;
    Ok(last.map_or(0, |last| (RESEND_COOLDOWN_SECS - (now - last)).max(0)))
}

/// Sends outbox mail `mail_id` now. A failure is logged as "could not send
/// `what`" with a support reference, which is returned for the page to
/// quote.
async fn send_logged(app: &AppState, mail_id: i64, what: &str) -> Result<(), String> {
    outbox::deliver_now(app, mail_id).await.map_err(|class| {
        let reference = short_reference();
        error!(reference = %reference, class, mailer = app.mailer.kind(), outbox_id = mail_id, "could not send {what}");
        reference
    })
}

#[cfg(test)]
mod tests {
    use super::mailbox_of;

    #[test]
    fn one_mailbox_however_spelt() {
        let one = mailbox_of("victim@gmail.com");
        for other in [
            "Victim@Gmail.com",
            "victim+news@gmail.com",
            "v.i.c.t.i.m@gmail.com",
            "vic.tim+x@googlemail.com",
        ] {
            assert_eq!(mailbox_of(other), one, "{other}");
        }
        // Elsewhere a dot may matter; a +tag is dropped everywhere.
        assert_ne!(mailbox_of("a.b@example.com"), mailbox_of("ab@example.com"));
        assert_eq!(mailbox_of("ab+x@Example.com"), "ab@example.com");
    }
}
