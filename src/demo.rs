//! The demo data (listed in the README): the old accounts of
//! demo/accounts.csv, loaded into an empty database through the operators'
//! import, and the demo registration code.

use crate::auth::HashPool;
use crate::import::{FileFormat, Options};
use crate::store::{DbResult, Store};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

/// The demo's old accounts, in the import's CSV format (built in).
pub const DEMO_ACCOUNTS_CSV: &str = include_str!("../demo/accounts.csv");

/// The demo registration code (README), for a provider new to the insurer.
pub const DEMO_REGISTRATION_CODE: &str = "DEMO-REG1-2026";
pub const DEMO_REGISTRATION_TIN: &str = "456789012";
pub const DEMO_REGISTRATION_PRACTICE: &str = "Riverside Family Practice";

/// Loads the demo accounts if there are no legacy accounts yet, and the demo
/// registration code if there are no codes yet (it works for 30 days from
/// then). Returns how many accounts were loaded.
pub async fn load_if_empty(store: &Store, hasher: &HashPool, key: &[u8]) -> DbResult<usize> {
    let now = crate::state::Clock::default().now();
    if store.registration_code_count().await? == 0 {
        let tin = crate::domain::Tin::parse(DEMO_REGISTRATION_TIN).expect("demo TIN");
        let what = crate::recovery::service::CodeFor {
            tin: &tin,
            practice: DEMO_REGISTRATION_PRACTICE,
            role: "Practice manager",
            days: crate::recovery::service::REGISTRATION_CODE_DAYS,
            code: Some(DEMO_REGISTRATION_CODE),
        };
        crate::recovery::service::issue_registration_code(store, key, &what, now).await?;
    }
    if store.legacy_count().await? > 0 {
        return Ok(0);
    }
    let opts = Options {
        dry_run: false,
        chunk: 100,
        who: "demo data (LOAD_DEMO_DATA)".into(),
        file_name: "demo/accounts.csv".into(),
        at: now,
    };
    let mut refused = Vec::new();
    let summary = crate::import::run(
        store,
        hasher,
        key,
        FileFormat::Csv,
        std::io::Cursor::new(DEMO_ACCOUNTS_CSV.as_bytes()),
        Arc::new(AtomicU64::new(0)),
        &opts,
        |r| {
            if r.rejected {
                refused.push(format!("line {}: {}", r.line, r.code));
            }
        },
        |_| {},
    )
    .await
    .map_err(|e| sqlx::Error::Protocol(format!("demo data: {e}")))?;
    if !refused.is_empty() {
        return Err(sqlx::Error::Protocol(format!(
            "demo/accounts.csv refused: {}",
            refused.join(", ")
        )));
    }
    Ok((summary.inserted + summary.updated) as usize)
}
