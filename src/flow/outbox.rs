//! Mail that is never lost. A step that causes a mail writes it into the
//! outbox in its own transaction ([`prepare`] seals the body and fixes the
//! `Message-ID`); a worker on every instance claims what is due, sends it,
//! and retries with backoff until the mail server takes it or it fails for
//! good. A mail is claimed by one worker at a time (a lease; on PostgreSQL
//! also `FOR UPDATE SKIP LOCKED`), and one whose worker died is due again
//! when the lease ends. An email code is sent at once by the request that
//! made it ([`deliver_now`]), so that the page can say if it could not go.

use crate::auth::{random_token, sealed};
use crate::state::AppState;
use crate::store::{ClaimedMail, NewMail};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tracing::{error, info, warn};

/// The sealed bodies' purpose (auth::sealed).
pub const PURPOSE: &str = "outbox-body";
/// A claim lasts this long past the mail's own timeout: a worker that dies
/// mid-send lets its mail go again after that.
const LEASE_MARGIN_SECS: i64 = 30;
/// Mails a worker claims at a time, at least (five for each connection).
const BATCH: i64 = 20;
/// First wait after a failure; it doubles each time, up to [`MAX_WAIT_SECS`].
const FIRST_WAIT_SECS: i64 = 30;
const MAX_WAIT_SECS: i64 = 300;
/// A mail not delivered within this long fails for good.
pub const GIVE_UP_SECS: i64 = 24 * 3600;
/// An email code is sent by the request that made it, once; a worker
/// takes one only if that request died first, and then does not send it
/// (the provider was told nothing, and asks again).
const CODE: &str = "code";
/// A campaign's invitation or reminder (campaign::service::KIND).
const CAMPAIGN: &str = "campaign";
/// An idle worker looks for mail written by other instances this often.
const LOOK_EVERY: Duration = Duration::from_secs(5);

/// A mail to write: what kind, to whom, subject and body in clear.
pub struct Mail {
    pub kind: &'static str,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The keyed hash and expiry of the "This wasn't me" link in `body`
    /// (flow::notme), if it has one.
    pub not_me: Option<(String, i64)>,
}

/// Ready for the outbox: the body sealed, a `Message-ID` of its own.
pub fn prepare(app: &AppState, mails: Vec<Mail>, now: i64) -> Vec<NewMail> {
    let domain = app
        .settings
        .mail_from
        .rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>').to_string())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "provider-portal.invalid".into());
    mails
        .into_iter()
        .map(|m| NewMail {
            next_at: if m.kind == CODE { now + 60 } else { now },
            give_up_at: if m.kind == CODE {
                now
            } else {
                now + GIVE_UP_SECS
            },
            kind: m.kind.to_string(),
            message_id: format!("<{}@{domain}>", random_token()),
            sealed_body: sealed::seal(&app.key, PURPOSE, m.body.as_bytes()),
            to: m.to,
            subject: m.subject,
            not_me: m.not_me,
            unsubscribe: None,
        })
        .collect()
}

/// Writes `mails` (a step whose only write is its mail) and wakes the
/// worker.
pub async fn enqueue(app: &AppState, mails: Vec<Mail>) -> Result<Vec<i64>, sqlx::Error> {
    let now = app.clock.now();
    let ids = app
        .store
        .enqueue_mail(&prepare(app, mails, now), now)
        .await?;
    wake(app);
    Ok(ids)
}

/// Tells this instance's worker that mail was written (after the commit).
pub fn wake(app: &AppState) {
    app.outbox.wake.notify_one();
}

/// The wait before try `attempts + 1`: 30 s, doubling, at most 5 minutes.
pub fn backoff(attempts: i64) -> i64 {
    let doublings = (attempts - 1).clamp(0, 10) as u32;
    (FIRST_WAIT_SECS << doublings).min(MAX_WAIT_SECS)
}

enum Delivered {
    Sent,
    /// Failed, with the failure's class.
    Failed(&'static str),
}

fn lease(app: &AppState, now: i64) -> i64 {
    now + app.settings.mail_timeout.as_secs() as i64 + LEASE_MARGIN_SECS
}

/// Sends mail `id` now, in this request: Ok once the mail server took it;
/// otherwise the failure's class (logged with `reference`), and the mail
/// fails for good if it is a code, or waits for the worker's next try.
pub async fn deliver_now(app: &AppState, id: i64) -> Result<(), &'static str> {
    let now = app.clock.now();
    let holder = &app.outbox.holder;
    let claimed = app
        .store
        .claim_mail((i64::MAX, now), lease(app, now), holder, 1, Some(id))
        .await
        .map_err(|e| {
            error!(error = %e, "could not claim a mail to send it");
            "database"
        })?;
    let Some(mail) = claimed.into_iter().next() else {
        // Another worker has it (or it is done): not this request's to say.
        return Ok(());
    };
    match deliver(app, &mail, true).await {
        Delivered::Sent => Ok(()),
        Delivered::Failed(class) => Err(class),
    }
}

/// Claims and sends the mail due now, a batch at a time, until none is
/// due; how many were sent. A batch goes out on up to `MAIL_CONNECTIONS`
/// connections at once (a mail server takes one message at a time on each,
/// and waits for a message's end); the mails to one address in the order
/// they were written.
pub async fn deliver_due(app: &AppState) -> usize {
    use futures_util::stream::{self, StreamExt};
    let senders = app.settings.mail_connections.max(1);
    let batch = (senders as i64 * 5).max(BATCH);
    let mut sent = 0;
    loop {
        let now = app.clock.now();
        let claimed = match app
            .store
            .claim_mail((now, now), lease(app, now), &app.outbox.holder, batch, None)
            .await
        {
            Ok(c) => c,
            Err(e) => {
                warn!(error = %e, "could not claim mail from the outbox");
                return sent;
            }
        };
        if claimed.is_empty() {
            return sent;
        }
        let claimed_at = Instant::now();
        let went: Vec<usize> = stream::iter(by_address(claimed))
            .map(|mails| send_in_order(app, mails, claimed_at))
            .buffer_unordered(senders)
            .collect()
            .await;
        sent += went.iter().sum::<usize>();
        if stopping(app) {
            return sent;
        }
    }
}

/// The claimed mails grouped by address, each group in the order written
/// (PostgreSQL returns a claim's rows in no particular order).
fn by_address(mut mails: Vec<ClaimedMail>) -> Vec<Vec<ClaimedMail>> {
    mails.sort_by_key(|m| m.id);
    let mut groups: Vec<Vec<ClaimedMail>> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for mail in mails {
        let address = mail.to.trim().to_lowercase();
        match at.get(&address) {
            Some(&i) => groups[i].push(mail),
            None => {
                at.insert(address, groups.len());
                groups.push(vec![mail]);
            }
        }
    }
    groups
}

/// Sends `mails` one after the other; how many went. When the process
/// stops, or the batch has been going for [`LEASE_MARGIN_SECS`] (a slow
/// mail server: the claim would run out), the rest go back at once, for
/// another worker or this one's next claim, so that no mail is sent twice.
async fn send_in_order(app: &AppState, mails: Vec<ClaimedMail>, claimed_at: Instant) -> usize {
    let mut sent = 0;
    for (i, mail) in mails.iter().enumerate() {
        let late = claimed_at.elapsed() >= Duration::from_secs(LEASE_MARGIN_SECS as u64);
        if stopping(app) || late {
            for rest in &mails[i..] {
                if let Err(e) = app.store.release_mail(rest.id, &app.outbox.holder).await {
                    warn!(outbox_id = rest.id, error = %e, "could not release a mail; its lease runs out");
                }
            }
            return sent;
        }
        if let Delivered::Sent = deliver(app, mail, false).await {
            sent += 1;
        }
    }
    sent
}

/// Sends a claimed mail and records how it went. `by_request`: the
/// request that wrote it is sending it (the only way a code is sent).
async fn deliver(app: &AppState, mail: &ClaimedMail, by_request: bool) -> Delivered {
    let holder = &app.outbox.holder;
    let body =
        sealed::open(&app.key, PURPOSE, &mail.sealed_body).and_then(|b| String::from_utf8(b).ok());
    let result = match body {
        _ if mail.kind == CODE && !by_request => {
            warn!(outbox_id = mail.id, "an email code whose request ended before sending it: not sent");
            Err(("abandoned", false))
        }
        Some(body) => app
            .mailer
            .send(
                &mail.to,
                (&mail.subject, &body),
                &mail.message_id,
                mail.unsubscribe.as_deref(),
                app.clock.now(),
            )
            .await
            .map_err(|e| {
                let (class, again) = e.class();
                // The server's words may quote the address; not the body.
                warn!(outbox_id = mail.id, kind = %mail.kind, attempt = mail.attempts, error = %e, class, "could not send a mail");
                (class, again)
            }),
        None => {
            error!(outbox_id = mail.id, "a mail's body does not open under APP_SECRET");
            Err(("unreadable", false))
        }
    };
    let now = app.clock.now();
    let recorded = match result {
        Ok(()) => app
            .store
            .mail_sent(mail.id, holder, now)
            .await
            .map(|_| Delivered::Sent),
        Err((class, again)) => {
            let retry_at = Some(now + backoff(mail.attempts))
                .filter(|at| again && mail.kind != CODE && *at <= mail.give_up_at);
            if retry_at.is_none() {
                error!(outbox_id = mail.id, kind = %mail.kind, attempts = mail.attempts, class, "a mail failed for good");
            }
            let recorded = app
                .store
                .mail_not_sent(mail.id, holder, now, class, retry_at)
                .await
                .map(|_| Delivered::Failed(class));
            // A campaign's mail refused for good: no campaign writes to
            // that address again (issue 32).
            if class == "rejected" && mail.kind == CAMPAIGN {
                bouncing(app, mail, now).await;
            }
            recorded
        }
    };
    recorded.unwrap_or_else(|e| {
        // Sent but not recorded: the lease runs out and it goes again, with
        // the same Message-ID.
        error!(outbox_id = mail.id, error = %e, "could not record a mail's delivery");
        Delivered::Failed("database")
    })
}

/// The worker: delivers what is due, then sleeps until the next mail is
/// due, mail is written here ([`wake`]), or [`LOOK_EVERY`] passes (mail
/// written by another instance, a lease run out).
pub async fn worker(app: AppState) {
    info!(holder = %app.outbox.holder, "outbox worker started");
    loop {
        if stopping(&app) {
            info!(holder = %app.outbox.holder, "outbox worker stopped");
            return;
        }
        // A read first: a worker with nothing due takes no write lock.
        let wait = match app.store.next_mail_due().await {
            Ok(Some(due)) => (due - app.clock.now()).min(LOOK_EVERY.as_secs() as i64),
            Ok(None) => LOOK_EVERY.as_secs() as i64,
            Err(e) => {
                warn!(error = %e, "could not read the outbox");
                LOOK_EVERY.as_secs() as i64
            }
        };
        if wait <= 0 {
            if deliver_due(&app).await == 0 {
                // Due, yet nothing went (another worker took it, or the
                // mail server refused): do not spin.
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            continue;
        }
        let wait = Duration::from_secs(wait as u64);
        let _ = tokio::time::timeout(wait, app.outbox.wake.notified()).await;
    }
}

/// Marks the address of campaign mail `mail` as bouncing.
async fn bouncing(app: &AppState, mail: &ClaimedMail, now: i64) {
    let marked = async {
        let campaign = app.store.campaign_of_mail(mail.id).await?;
        let address = campaign
            .as_ref()
            .map_or_else(|| mail.to.to_lowercase(), |(_, a)| a.clone());
        app.store
            .suppress_address(&address, "bouncing", campaign.map(|(c, _)| c), now)
            .await
    }
    .await;
    match marked {
        Ok(_) => info!(
            outbox_id = mail.id,
            "a campaign's address bounces: no campaign writes to it again"
        ),
        Err(e) => error!(outbox_id = mail.id, error = %e, "could not mark a bouncing address"),
    }
}

/// Tells this instance's worker to end after the mail it is sending.
pub fn stop(app: &AppState) {
    app.outbox
        .stopping
        .store(true, std::sync::atomic::Ordering::SeqCst);
    app.outbox.wake.notify_one();
}

fn stopping(app: &AppState) -> bool {
    app.outbox
        .stopping
        .load(std::sync::atomic::Ordering::SeqCst)
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_doubles_up_to_five_minutes() {
        let waits: Vec<i64> = (1..=6).map(backoff).collect();
        assert_eq!(waits, vec![30, 60, 120, 240, 300, 300]);
        assert_eq!(backoff(0), 30);
        assert_eq!(backoff(1000), 300);
    }
}
