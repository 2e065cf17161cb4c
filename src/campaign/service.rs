//! Campaigns at work: created and started (the console, the command line),
//! paused, resumed and stopped; a worker on every instance queues each
//! running campaign's due mail into the outbox at its rate (of two
//! instances ticking at once, one writes: store::campaigns); the links and
//! the one-click unsubscribe.

use super::mail::{compose, Letter};
use super::{allowed, next_wave_at, parse_rate, parse_reminders, step_ms, UnsubscribeState};
use super::{LANGS, STATUSES};
use crate::auth::{keyed_hash, random_token};
use crate::flow::outbox;
use crate::state::AppState;
use crate::store::{AccountLine, AddressWrite, CampaignRow, DueAddress, NewCampaign, Store};
use std::time::Duration;
use tracing::{info, warn};

/// Addresses a tick takes at most, per campaign.
pub const BATCH: i64 = 100;
/// The outbox's kind of a campaign's mail, and of a test of it.
pub const KIND: &str = "campaign";
pub const TEST_KIND: &str = "campaign_test";
/// A running campaign's worker looks for due mail this often.
const TICK_EVERY: Duration = Duration::from_secs(2);

/// A campaign as typed (console, command line).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Spec {
    pub name: String,
    /// Old portals (none: every one).
    pub sources: Vec<String>,
    pub statuses: Vec<String>,
    pub langs: Vec<String>,
    pub per_hour: String,
    pub reminders: String,
    /// Only the accounts imported before this day, `YYYY-MM-DD` (empty:
    /// any time).
    pub imported_before: String,
}

/// A field refused and why (a catalogue key).
pub type Refusal = (&'static str, &'static str);

/// The keyed hash of a campaign's token (links and unsubscribe).
fn token_hash(key: &[u8], token: &str) -> String {
    keyed_hash(key, &["campaign", token])
}

/// Creates a draft from `spec`, by `operator`; its id, or the field refused.
pub async fn create(
    store: &Store,
    spec: &Spec,
    operator: Option<i64>,
    now: i64,
) -> Result<Result<i64, Refusal>, sqlx::Error> {
    let name = spec.name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Ok(Err(("name", "error-campaign-name")));
    }
    let known = store.sources().await?;
    if spec.sources.iter().any(|s| !known.contains(s)) {
        return Ok(Err(("sources", "error-ops-source")));
    }
    if spec.statuses.is_empty()
        || spec
            .statuses
            .iter()
            .any(|s| !STATUSES.contains(&s.as_str()))
    {
        return Ok(Err(("statuses", "error-campaign-statuses")));
    }
    if spec.langs.is_empty() || spec.langs.iter().any(|l| !LANGS.contains(&l.as_str())) {
        return Ok(Err(("langs", "error-campaign-langs")));
    }
    let per_hour = match parse_rate(&spec.per_hour) {
        Ok(r) => r,
        Err(e) => return Ok(Err(("per_hour", e))),
    };
    let reminders = match parse_reminders(&spec.reminders) {
        Ok(r) => r,
        Err(e) => return Ok(Err(("reminders", e))),
    };
    // Before the day: from its first second on, an account is left out.
    let imported_before = match spec.imported_before.trim() {
        "" => None,
        day => match crate::closing::day_start(day) {
            None => return Ok(Err(("imported_before", "error-campaign-imported-before"))),
            start => start,
        },
    };
    // In a fixed order, whatever order they were picked in.
    let ordered = |all: &[&str], picked: &[String]| -> Vec<String> {
        all.iter()
            .filter(|a| picked.iter().any(|p| p == *a))
            .map(|a| a.to_string())
            .collect()
    };
    let new = NewCampaign {
        name,
        sources: &spec.sources,
        statuses: &ordered(&STATUSES, &spec.statuses),
        langs: &ordered(&LANGS, &spec.langs),
        per_hour,
        reminders: &reminders,
        imported_before,
    };
    Ok(Ok(store.create_campaign(&new, operator, now).await?))
}

/// Starts draft `id`: the addresses it writes to, or None if it was no
/// draft.
pub async fn start(store: &Store, id: i64, now: i64) -> Result<Option<i64>, sqlx::Error> {
    let started = store.start_campaign(id, now).await?;
    if let Some(n) = started {
        info!(campaign = id, addresses = n, "campaign started");
    }
    Ok(started)
}

/// `pause`, `resume` or `stop` of campaign `id`; whether it changed.
pub async fn change(store: &Store, id: i64, change: &str, now: i64) -> Result<bool, sqlx::Error> {
    let (from, to): (&[&str], &str) = match change {
        "pause" => (&["running"], "paused"),
        "resume" => (&["paused"], "running"),
        "stop" => (&["draft", "running", "paused"], "stopped"),
        _ => return Ok(false),
    };
    store.move_campaign(id, from, to, now).await
}

/// One pass over the running campaigns: the mails queued.
pub async fn tick(app: &AppState) -> usize {
    let running = match app.store.running_campaigns().await {
        Ok(r) => r,
        Err(e) => {
            warn!(error = %e, "could not read the running campaigns");
            return 0;
        }
    };
    let mut queued = 0;
    for c in running {
        match tick_campaign(app, &c).await {
            Ok(n) => queued += n,
            Err(e) => {
                warn!(campaign = c.id, error = %e, "a campaign's tick failed; the next one tries again")
            }
        }
    }
    if queued > 0 {
        outbox::wake(app);
    }
    queued
}

/// Queues what campaign `c`'s pace allows now; the mails queued.
async fn tick_campaign(app: &AppState, c: &CampaignRow) -> Result<usize, sqlx::Error> {
    let now = app.clock.now();
    let (n, from) = allowed(c.paced_ms, now * 1000, c.per_hour, BATCH);
    if n == 0 {
        app.store.finish_campaign_if_done(c.id, now).await?;
        return Ok(0);
    }
    let due = app.store.due_addresses(c.id, now, n).await?;
    if due.is_empty() {
        app.store.finish_campaign_if_done(c.id, now).await?;
        return Ok(0);
    }
    let closings = crate::closing::service::closings(app).await?;
    let writes: Vec<AddressWrite> = due
        .iter()
        .map(|d| address_write(app, c, d, &closings, now))
        .collect();
    let sends = writes
        .iter()
        .filter(|w| matches!(w, AddressWrite::Send { .. }))
        .count() as i64;
    let pace = (c.paced_ms, from + sends * step_ms(c.per_hour));
    Ok(app
        .store
        .write_tick(c.id, pace, &writes, now)
        .await?
        .unwrap_or(0))
}

/// What a tick does for one address: its wave's mail, or its end.
fn address_write(
    app: &AppState,
    c: &CampaignRow,
    d: &DueAddress,
    closings: &[crate::store::Closing],
    now: i64,
) -> AddressWrite {
    if let Some(why) = &d.suppressed {
        let why = if why == "bouncing" {
            "bouncing"
        } else {
            "unsubscribed"
        };
        return AddressWrite::End {
            id: d.id,
            waves_before: d.waves,
            why,
        };
    }
    if d.accounts.is_empty() {
        return AddressWrite::End {
            id: d.id,
            waves_before: d.waves,
            why: "finished",
        };
    }
    let origin = app.settings.site_origin();
    let key = app.key.current();
    let mut tokens = Vec::new();
    let mut links = Vec::new();
    for (id, _, _, _) in &d.accounts {
        let token = random_token();
        tokens.push((token_hash(key, &token), Some(*id)));
        links.push(format!("{origin}/wizard/lookup?invite={token}"));
    }
    let unsubscribe_token = random_token();
    tokens.push((token_hash(key, &unsubscribe_token), None));
    let unsubscribe = format!("{origin}/unsubscribe/{unsubscribe_token}");
    let (subject, body) = letter(
        app,
        c,
        d.waves + 1,
        (&d.accounts, &links),
        &unsubscribe,
        (closings, now),
    );
    let mut mail = outbox::prepare(
        app,
        vec![outbox::Mail {
            kind: KIND,
            to: d.address.clone(),
            subject,
            body,
            not_me: None,
        }],
        now,
    )
    .remove(0);
    mail.unsubscribe = Some(unsubscribe);
    let first_at = d.first_at.unwrap_or(now);
    AddressWrite::Send {
        id: d.id,
        waves_before: d.waves,
        mail: Box::new(mail),
        tokens,
        next_at: next_wave_at(first_at, &c.reminders, d.waves as usize + 1),
    }
}

/// The mail of wave `wave` of campaign `c` listing `accounts` (id,
/// username, practice, source), each with its link, and the closing dates
/// of their portals still open.
fn letter(
    app: &AppState,
    c: &CampaignRow,
    wave: i64,
    (accounts, links): (&[AccountLine], &[String]),
    unsubscribe: &str,
    (closings, now): (&[crate::store::Closing], i64),
) -> (String, String) {
    let listed: Vec<(String, String, String)> = accounts
        .iter()
        .zip(links)
        .map(|((_, username, practice, _), link)| {
            (username.clone(), practice.clone(), link.clone())
        })
        .collect();
    let closes: Vec<(String, String)> = closings
        .iter()
        .filter(|cl| cl.closes_at > now && accounts.iter().any(|a| a.3 == cl.source))
        .map(|cl| (cl.name.clone(), cl.closes_on.clone()))
        .collect();
    let letter = Letter {
        wave,
        accounts: &listed,
        closings: &closes,
        unsubscribe,
        guide: &format!("{}/help", app.settings.site_origin()),
    };
    compose(&c.langs, &letter)
}

/// The invitation of campaign `c` as the first address it writes to would
/// read it (its accounts' usernames and practices; the links, which are
/// made as the mail is written, shown as `…`); None when it writes to
/// nobody.
pub async fn preview(
    app: &AppState,
    c: &CampaignRow,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let accounts = app.store.campaign_sample(c).await?;
    if accounts.is_empty() {
        return Ok(None);
    }
    let origin = app.settings.site_origin();
    let links = vec![format!("{origin}/wizard/lookup?invite=…"); accounts.len()];
    let closings = crate::closing::service::closings(app).await?;
    let now = app.clock.now();
    let unsubscribe = format!("{origin}/unsubscribe/…");
    Ok(Some(letter(
        app,
        c,
        1,
        (&accounts, &links),
        &unsubscribe,
        (&closings, now),
    )))
}

/// A test of campaign `c`'s invitation to `to`: its text and the closing
/// dates of its portals, listing a made-up account whose link leads
/// nowhere (no real account's name leaves for an address typed in the
/// console), subject marked as a test, through the outbox.
pub async fn test_send(app: &AppState, c: &CampaignRow, to: &str) -> Result<(), sqlx::Error> {
    let origin = app.settings.site_origin();
    let source = c.sources.first().cloned().unwrap_or_default();
    let sample = [(
        0,
        "jsmith-sample".to_string(),
        "Sample Family Practice".to_string(),
        source,
    )];
    let closings = crate::closing::service::closings(app).await?;
    let now = app.clock.now();
    let links = [format!("{origin}/wizard/lookup?invite=test")];
    let (subject, body) = letter(
        app,
        c,
        1,
        (&sample, &links),
        &format!("{origin}/unsubscribe/test"),
        (&closings, now),
    );
    outbox::enqueue(
        app,
        vec![outbox::Mail {
            kind: TEST_KIND,
            to: to.to_string(),
            subject: format!("[Test] {subject}"),
            body,
            not_me: None,
        }],
    )
    .await?;
    Ok(())
}

/// The worker: a tick now and then, on every instance.
pub async fn worker(app: AppState) {
    loop {
        if app
            .outbox
            .stopping
            .load(std::sync::atomic::Ordering::SeqCst)
        {
            return;
        }
        tick(&app).await;
        tokio::time::sleep(TICK_EVERY).await;
    }
}

/// The token's record, under the current secret or the previous one.
async fn token(
    app: &AppState,
    token: &str,
) -> Result<Option<(String, (i64, String, i64, Option<i64>))>, sqlx::Error> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    for key in app.key.all() {
        let hash = token_hash(key, token);
        if let Some(found) = app.store.campaign_token(&hash).await? {
            return Ok(Some((hash, found)));
        }
    }
    Ok(None)
}

/// The username a link fills in on Account Lookup, if it is a link.
pub async fn invited_username(app: &AppState, invite: &str) -> Option<String> {
    let found = token(app, invite).await.ok()??;
    let account = found.1 .3?;
    let a = app.store.legacy_by_id(account).await.ok()??;
    Some(a.username)
}

/// Counts wizard `flow` as begun from link `invite` (once); anything that
/// is no link is ignored, and a fault only logged: the lookup goes on.
pub async fn record_start(app: &AppState, invite: &str, flow: &str) {
    let result = async {
        if let Some((hash, (_, _, _, Some(_)))) = token(app, invite).await? {
            app.store
                .record_campaign_start(&hash, flow, app.clock.now())
                .await?;
        }
        Ok::<_, sqlx::Error>(())
    }
    .await;
    if let Err(e) = result {
        warn!(error = %e, "could not count a wizard begun from a campaign's link");
    }
}

/// The unsubscribe page of `token`.
pub async fn unsubscribe_state(app: &AppState, token_text: &str) -> UnsubscribeState {
    match token(app, token_text).await {
        Ok(Some((_, (_, address, _, _)))) => match app.store.suppression_of(&address).await {
            Ok(s) => UnsubscribeState::Ready {
                masked: crate::domain::EmailAddress::parse(&address)
                    .map(|e| e.masked())
                    .unwrap_or_else(|_| "***".into()),
                done: s.is_some_and(|(why, _)| why == "unsubscribed"),
            },
            Err(e) => UnsubscribeState::Fault(crate::flow::database_fault(&e)),
        },
        Ok(None) => UnsubscribeState::Invalid,
        Err(e) => UnsubscribeState::Fault(crate::flow::database_fault(&e)),
    }
}

/// Unsubscribes the address of `token` from every campaign, at once:
/// whether the token was one.
pub async fn unsubscribe(app: &AppState, token_text: &str) -> Result<bool, sqlx::Error> {
    let Some((_, (campaign, address, _, _))) = token(app, token_text).await? else {
        return Ok(false);
    };
    let new = app
        .store
        .suppress_address(&address, "unsubscribed", Some(campaign), app.clock.now())
        .await?;
    if new {
        info!(campaign, "an address unsubscribed");
    }
    Ok(true)
}
