//! The adversarial suite: attacks the running server over HTTP, as an
//! attacker would (not through the UI), on SQLite and on PostgreSQL.
//! Every attack must fail. Prints `attacks: N tried, N stopped` at the end
//! and exits non-zero if any attack got through.
//!
//! Each check below is one attack tried; it counts as stopped only when
//! what it asserts held. SECURITY.md maps the defences to these attacks.

#[path = "../common/mod.rs"]
mod common;

mod bad_input;
mod brute_force;
mod campaigns;
mod closing;
mod console;
mod enumeration;
mod faults;
mod hashing_flood;
mod headers;
mod import;
mod in_place;
mod logins;
mod mail_abuse;
mod not_me;
mod origins;
mod passkey;
mod proof_binding;
mod refusals;
mod second_step;
mod secrets;
mod sessions;
mod sign_in_paths;
mod slow_clients;
mod step_skipping;
mod support;
mod support_codes;
mod tries;
mod usernames;

use bad_input::*;
use brute_force::*;
use campaigns::*;
use closing::*;
use common::{same_countdown, stable, Db, LogBuffer, Page, TestApp};
use console::*;
use enumeration::*;
use faults::*;
use hashing_flood::*;
use headers::*;
use import::*;
use in_place::*;
use logins::*;
use mail_abuse::*;
use not_me::*;
use origins::*;
use passkey::*;
use proof_binding::*;
use refusals::*;
use second_step::*;
use secrets::*;
use sessions::*;
use sign_in_paths::*;
use slow_clients::*;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use step_skipping::*;
use support::*;
use support_codes::*;
use tries::*;
use usernames::*;

pub(crate) const JOHN: &str = "johnsmith@gmail.com";
pub(crate) const JOHN_TIN: &str = "836576879";
pub(crate) const JOHN_PASSWORD: &str = "Welcome#2019";
pub(crate) const BILLING: &str = "jsmith-billing";
pub(crate) const MJONES: &str = "mjones";
/// Tables a refused request may still write to: the audit trail and the
/// rate-limit counters.
pub(crate) const BOOKKEEPING: &[&str] =
    &["audit_events", "audit_repeats", "rate_events", "rate_keys"];

// ---- the tally ----------------------------------------------------------------

pub(crate) static TRIED: AtomicUsize = AtomicUsize::new(0);
pub(crate) static STOPPED: AtomicUsize = AtomicUsize::new(0);
pub(crate) static FAILURES: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// One attack tried: stopped if `held`, otherwise recorded and the attack
/// function ends (a panic, caught by the runner).
pub(crate) fn stopped_if(what: &str, held: bool, detail: impl std::fmt::Display) {
    TRIED.fetch_add(1, Ordering::SeqCst);
    if held {
        STOPPED.fetch_add(1, Ordering::SeqCst);
    } else {
        let msg = format!("{what}: {detail}");
        FAILURES.lock().unwrap().push(msg.clone());
        panic!("NOT STOPPED: {msg}");
    }
}

// ---- the log, captured ----------------------------------------------------------

pub(crate) static LOG: std::sync::OnceLock<LogBuffer> = std::sync::OnceLock::new();
pub(crate) static LOG_JSON: std::sync::OnceLock<LogBuffer> = std::sync::OnceLock::new();

/// The whole log so far, as text lines and then as JSON lines.
pub(crate) fn log_text() -> String {
    format!("{}\n{}", LOG.get().unwrap().text(), json_log_text())
}

/// The log so far as a SIEM receives it (`LOG_FORMAT=json`).
pub(crate) fn json_log_text() -> String {
    LOG_JSON.get().unwrap().text()
}

// ---- the runner -------------------------------------------------------------------------

type Attack = fn(Db) -> Pin<Box<dyn Future<Output = ()> + Send>>;

macro_rules! attacks {
    ($($name:ident),* $(,)?) => {
        vec![$((stringify!($name), (|db| Box::pin($name(db))) as Attack)),*]
    };
}

fn main() {
    // The log in both formats, each captured: what the secret scans read
    // is what a person's terminal and a SIEM would receive.
    let buffer = LogBuffer::default();
    let json = LogBuffer::default();
    LOG.set(buffer.clone()).ok();
    LOG_JSON.set(json.clone()).ok();
    {
        use tracing_subscriber::layer::SubscriberExt;
        use tracing_subscriber::util::SubscriberInitExt;
        tracing_subscriber::registry()
            .with(tracing_subscriber::EnvFilter::new(
                "info,provider_portal=trace,sqlx=debug,tower_http=debug",
            ))
            .with(
                tracing_subscriber::fmt::layer()
                    .with_ansi(false)
                    .with_writer(move || buffer.clone()),
            )
            .with(provider_portal::server::logs::json_layer(move || {
                json.clone()
            }))
            .init();
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let only = std::env::args().nth(1).filter(|a| !a.starts_with('-'));
    let all: Vec<(&str, Attack)> = attacks![
        step_skipping,
        proof_binding,
        brute_force_codes,
        brute_force_answers_and_pins,
        brute_force_passwords_and_sign_in,
        enumeration,
        mail_abuse,
        sessions_and_csrf,
        rate_limits_per_address,
        bad_input,
        headers,
        hashing_flood,
        secrets_at_rest_and_in_logs,
        sign_in_paths,
        login_sessions_and_races,
        mail_server_that_never_answers,
        look_alike_usernames,
        origins_and_hosts,
        slow_clients,
        tries_in_flight,
        refused_requests_flood,
        in_place_requests,
        hostile_import_files,
        console_access,
        support_codes,
        metrics_without_token,
        csv_formulas_in_the_export,
        not_me_links,
        second_step,
        passkeys,
        closing_dates,
        campaign_links,
    ];
    let started = Instant::now();
    let mut crashed = Vec::new();
    for db in [Db::Sqlite, Db::Postgres] {
        if db == Db::Postgres && common::postgres_admin_url().is_none() {
            println!("attacks on PostgreSQL: SKIPPED (no TEST_DATABASE_URL)");
            continue;
        }
        for (name, attack) in &all {
            if only
                .as_deref()
                .is_some_and(|o| !o.split(',').any(|o| name.contains(o)))
            {
                continue;
            }
            let before = TRIED.load(Ordering::SeqCst);
            let t = Instant::now();
            let result = rt.block_on(async { tokio::spawn(attack(db)).await });
            let n = TRIED.load(Ordering::SeqCst) - before;
            match result {
                Ok(()) => println!(
                    "  {db:?} {name}: {n} attacks stopped ({:.1} s)",
                    t.elapsed().as_secs_f64()
                ),
                Err(e) => {
                    println!("  {db:?} {name}: FAILED after {n} attacks: {e}");
                    crashed.push(format!("{db:?} {name}"));
                }
            }
        }
    }
    let tried = TRIED.load(Ordering::SeqCst);
    let stopped = STOPPED.load(Ordering::SeqCst);
    for f in FAILURES.lock().unwrap().iter() {
        println!("NOT STOPPED: {f}");
    }
    for c in &crashed {
        println!("FAILED TO RUN: {c}");
    }
    println!("log: {} bytes", LOG.get().unwrap().0.lock().unwrap().len());
    // A failed run leaves its whole log behind, to read what an attack found
    // (and any run does with KEEP_ATTACKS_LOG set).
    if tried != stopped || !crashed.is_empty() || std::env::var_os("KEEP_ATTACKS_LOG").is_some() {
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/target/attacks.log");
        if std::fs::write(file, log_text()).is_ok() {
            println!("the log is in {file}");
        }
    }
    println!(
        "attacks: {tried} tried, {stopped} stopped ({:.0} s)",
        started.elapsed().as_secs_f64()
    );
    if tried != stopped || !crashed.is_empty() || tried == 0 {
        std::process::exit(1);
    }
}
