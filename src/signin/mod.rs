//! Sign-in to the new portal, My accounts, Sign out, and adding a further
//! old account later.

pub mod api;
#[cfg(feature = "ssr")]
pub mod passkey;
#[cfg(feature = "ssr")]
pub mod service;
pub mod step;
pub mod ui;

use crate::domain::AccountSummary;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

pub use ui::{MyAccountsPage, SecondStepPage, SignInPage};

/// What My accounts shows. Holds no secret; TINs are masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyAccounts {
    pub username: String,
    pub masked_email: String,
    pub accounts: Vec<AccountSummary>,
    /// Whether the login has a second step (adding an account asks for it).
    pub second_step: bool,
    /// The login's passkeys asked for by the step-up (where it has one).
    pub step_up: Option<crate::domain::PasskeyCeremony>,
}

/// My accounts, as read for the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AccountsState {
    SignedOut,
    SignedIn(MyAccounts),
    /// `TWO_STEP=required` and the grace is spent: add a second step first.
    MustProtect,
    /// The database could not be read; the reference is in the log.
    Fault(String),
}

/// What the sign-in page shows again after a failed sign-in: the username
/// typed (never the password) and why it failed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SignInState {
    pub username: String,
    pub error: Option<Msg>,
    /// "Sign in with a passkey", where passkeys can work.
    pub passkey: Option<crate::domain::PasskeyCeremony>,
}

/// The second step's page, as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SecondStepState {
    /// A code is asked for; `error` is what the last one tried left.
    Asked {
        error: Option<Msg>,
        /// The login's passkeys, asked for by the browser.
        passkey: Option<crate::domain::PasskeyCeremony>,
    },
    /// No sign-in is waiting for a second step here.
    NotAsked,
    Fault(String),
}
