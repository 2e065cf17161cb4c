//! The demo accounts (listed in the README), loaded into an empty database.

use crate::auth::HashPool;
use crate::store::{DbResult, NewLegacyAccount, Store};

struct Demo {
    username: &'static str,
    password: &'static str,
    tins: &'static [&'static str],
    question: &'static str,
    answer: &'static str,
    pin: &'static str,
    practice: &'static str,
    role: &'static str,
}

const DEMO: &[Demo] = &[
    Demo {
        username: "johnsmith@gmail.com",
        password: "Welcome#2019",
        tins: &["836576879"],
        question: "What's your maiden name?",
        answer: "Smith",
        pin: "4826",
        practice: "Smith Family Medicine",
        role: "Practice manager",
    },
    Demo {
        username: "jsmith-billing",
        password: "Billing#2020",
        tins: &["836576879", "061234567"],
        question: "What city were you born in?",
        answer: "Hartford",
        pin: "1357",
        practice: "Smith Family Medicine Billing",
        role: "Billing staff",
    },
    Demo {
        username: "mjones",
        password: "Jones#2018",
        tins: &["123456789"],
        question: "What was the name of your first pet?",
        answer: "Rex",
        pin: "9024",
        practice: "Farmington Pediatrics",
        role: "Front desk",
    },
];

/// The demo registration code (README), for a provider new to the insurer.
pub const DEMO_REGISTRATION_CODE: &str = "DEMO-REG1-2026";
pub const DEMO_REGISTRATION_TIN: &str = "456789012";
pub const DEMO_REGISTRATION_PRACTICE: &str = "Riverside Family Practice";

/// Loads the demo accounts if there are no legacy accounts yet, and the demo
/// registration code if there are no codes yet (it works for 30 days from
/// then). Returns how many accounts were loaded.
pub async fn load_if_empty(store: &Store, hasher: &HashPool, key: &[u8]) -> DbResult<usize> {
    if store.registration_code_count().await? == 0 {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
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
    for d in DEMO {
        store
            .insert_legacy_account(
                NewLegacyAccount {
                    username: d.username,
                    password_hash: hasher.hash(d.password.into()).await,
                    tins: d.tins,
                    question: d.question,
                    // Answers are stored as typed by nobody: trimmed and lower-cased.
                    answer_hash: hasher.hash(d.answer.trim().to_lowercase()).await,
                    pin_hash: hasher.hash(d.pin.into()).await,
                    practice: d.practice,
                    role: d.role,
                    email: None,
                },
                key,
            )
            .await?;
    }
    Ok(DEMO.len())
}
