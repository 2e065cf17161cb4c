//! The application's shared state, handed to every route and server function.

use crate::auth::HashPool;
use crate::config::Settings;
use crate::mail::Mailer;
use crate::store::Store;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// Wall-clock seconds, with an offset that tests move forward to expire
/// codes and wizards without waiting.
#[derive(Clone, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> i64 {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        secs + self.offset.load(Ordering::Relaxed)
    }

    pub fn advance(&self, secs: i64) {
        self.offset.fetch_add(secs, Ordering::Relaxed);
    }
}

/// Test-only switches (never set in production).
#[derive(Default)]
pub struct FaultInjection {
    /// Make the next Finish fail just before it commits.
    pub fail_next_finish: std::sync::atomic::AtomicBool,
    /// Make the next undo of a consolidation fail midway.
    pub fail_next_undo: std::sync::atomic::AtomicBool,
}

/// This instance's part in the outbox: its worker's name (for its leases)
/// and the bell that wakes it.
pub struct Outbox {
    pub holder: String,
    pub wake: tokio::sync::Notify,
    /// Set when the process stops: the worker finishes its send and ends.
    pub stopping: std::sync::atomic::AtomicBool,
}

impl Default for Outbox {
    fn default() -> Self {
        Outbox {
            holder: crate::auth::random_token()[..16].to_string(),
            wake: tokio::sync::Notify::new(),
            stopping: std::sync::atomic::AtomicBool::new(false),
        }
    }
}

/// How long the old portals' closing dates are kept before they are read
/// again, in seconds. Another instance sees a change within this time;
/// this one at once.
const KEPT_SECS: i64 = 60;

/// The old portals' closing dates as last read, and when (closing::service).
#[derive(Default)]
pub struct KeptClosings(std::sync::Mutex<Option<(i64, Arc<Vec<crate::store::Closing>>)>>);

impl KeptClosings {
    pub fn fresh(&self, now: i64) -> Option<Arc<Vec<crate::store::Closing>>> {
        let kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        kept.as_ref()
            .filter(|(at, _)| now - *at < KEPT_SECS && *at <= now)
            .map(|(_, c)| c.clone())
    }

    pub fn keep(&self, now: i64, closings: Arc<Vec<crate::store::Closing>>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some((now, closings));
    }

    /// Read the dates again at the next page (a date was set or removed).
    pub fn forget(&self) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub mailer: Mailer,
    pub hasher: HashPool,
    pub settings: Arc<Settings>,
    /// The keys of the keyed hashes and sealed values: `APP_SECRET`, and
    /// during a rotation the previous one, still read (auth::Keys).
    pub key: Arc<crate::auth::Keys>,
    pub clock: Clock,
    pub faults: Arc<FaultInjection>,
    /// This instance's outbox worker (flow::outbox).
    pub outbox: Arc<Outbox>,
    /// Passkeys' relying party (flow::passkey), None where no passkey can
    /// work (`PUBLIC_URL` an address by number).
    pub passkeys: Option<Arc<webauthn_rs::prelude::Webauthn>>,
    /// The old portals' closing dates as last read (closing::service).
    pub closings: Arc<KeptClosings>,
}
