//! What a wizard page shows, read from the server. Holds no secret.

use super::step::Step;
use crate::domain::AccountSummary;
use crate::flow::Flash;
use serde::{Deserialize, Serialize};

/// Everything a wizard page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WizardView {
    pub step: Step,
    pub username: String,
    pub tin: String,
    pub question: String,
    pub email: String,
    pub verify_email: String,
    pub masked_email: String,
    /// Seconds until `Request New Code` may send again.
    pub resend_wait_secs: i64,
    pub flash: Flash,
    /// On Thank You: the username to sign in with, and the accounts.
    pub sign_in_username: String,
    pub accounts: Vec<AccountSummary>,
    /// Account Lookup opened from a campaign's link (`?invite=`): its
    /// token, sent back with Next so that the wizard counts as begun from
    /// it (issue 32). Set by the page, never read from the wizard.
    #[serde(default)]
    pub invite: String,
}

impl WizardView {
    /// A page at `step` with nothing typed yet.
    pub fn blank(step: Step) -> WizardView {
        WizardView {
            step,
            username: String::new(),
            tin: String::new(),
            question: String::new(),
            email: String::new(),
            verify_email: String::new(),
            masked_email: String::new(),
            resend_wait_secs: 0,
            flash: Flash::default(),
            sign_in_username: String::new(),
            accounts: Vec::new(),
            invite: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WizardState {
    /// No wizard in this browser.
    None,
    /// It timed out; nothing was merged.
    Expired,
    Active(Box<WizardView>),
    /// The database could not be read; the reference is in the log.
    Fault(String),
}
