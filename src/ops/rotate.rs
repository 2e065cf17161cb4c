//! `provider-portal rotate-secret`: after `APP_SECRET` was replaced (the
//! new value in `APP_SECRET`, the old one in `APP_SECRET_PREVIOUS`, on
//! every instance), seals every sealed value of the database again under
//! the new secret, says what is kept only as a keyed hash (and so still
//! needs the old secret for a while), and records the run in the audit
//! trail. Safe to run while the servers run, and to run again.

use crate::auth::Keys;
use crate::flow::rotation::{reseal_column, KEYED_ONLY};
use crate::store::SealedColumn;

pub const USAGE: &str = "usage: provider-portal rotate-secret   (with APP_SECRET the new secret and APP_SECRET_PREVIOUS the old one)";

/// Runs the command; the process's exit code (1 if a value opens under
/// neither secret).
pub async fn run() -> i32 {
    let settings = match super::admin::settings() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let (Some(new), Some(old)) = (&settings.app_secret, &settings.app_secret_previous) else {
        eprintln!(
            "rotate-secret needs the new secret in APP_SECRET and the one it replaces in APP_SECRET_PREVIOUS (docs/deploy.md, Replacing APP_SECRET)\n{USAGE}"
        );
        return 2;
    };
    if let Some(weak) = super::admin::secret_weakness(new.expose()) {
        eprintln!("the new {weak}");
        return 2;
    }
    let store = match super::admin::open_store(&settings).await {
        Ok(store) => store,
        Err(code) => return code,
    };
    let keys = crate::server::configured_keys(&settings).expect("APP_SECRET is set");
    println!(
        "sealing again under the secret {} what was sealed under {}",
        Keys::id_of(keys.current()),
        Keys::id_of(old.expose().as_bytes())
    );
    let (mut resealed, mut unreadable) = (0, 0);
    for column in SealedColumn::ALL {
        match reseal_column(&store, &keys, column).await {
            Ok(t) => {
                println!(
                    "  {}: {} sealed again, {} under the new secret already{}{}",
                    column.name(),
                    t.resealed,
                    t.current,
                    if t.changed > 0 {
                        format!(
                            ", {} changed meanwhile (written under the new one)",
                            t.changed
                        )
                    } else {
                        String::new()
                    },
                    if t.unreadable > 0 {
                        format!(", {} open under neither secret", t.unreadable)
                    } else {
                        String::new()
                    },
                );
                resealed += t.resealed;
                unreadable += t.unreadable;
            }
            Err(e) => {
                eprintln!("database: {e}; run the command again");
                store.pool().close().await;
                return 1;
            }
        }
    }
    println!("Sign-in sessions, wizards under way and remembered browsers hold no value of the secret: nothing to do for them.");
    println!("Kept only as keyed hashes, so read under APP_SECRET_PREVIOUS until then:");
    for what in KEYED_ONLY {
        println!("  - {what}");
    }
    println!("Keep APP_SECRET_PREVIOUS for 30 days and run the import of the old portals' file again; then remove it from every instance and restart them.");
    let who = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    let event = crate::store::OperatorEvent {
        operator_id: None,
        legacy_account_id: None,
        address: &format!("operator:{who}"),
        action: "ops_rotate_secret",
        target: Some(&format!("secret:{}", Keys::id_of(keys.current()))),
        reason: None,
        outcome: &format!("ok: {resealed} sealed again, {unreadable} unreadable"),
    };
    let now = crate::state::Clock::default().now();
    if let Err(e) = store.audit_operator(now, &event).await {
        eprintln!("could not record the audit event ({e})");
    }
    store.pool().close().await;
    if unreadable > 0 {
        eprintln!("{unreadable} values open under neither secret: is APP_SECRET_PREVIOUS the secret they were sealed under?");
        1
    } else {
        0
    }
}
