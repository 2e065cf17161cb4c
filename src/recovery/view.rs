//! What a page of the flows shows, read from the server. Holds no secret.

use super::step::Page;
use crate::flow::Flash;
use serde::{Deserialize, Serialize};

/// Everything a page of the flows shows. Holds no secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowView {
    pub page: Page,
    pub username: String,
    pub tin: String,
    pub email: String,
    pub verify_email: String,
    pub masked_email: String,
    /// Register: the practice and masked TIN of the code.
    pub practice: String,
    pub masked_tin: String,
    pub resend_wait_secs: i64,
    pub flash: Flash,
    /// Registration Complete: the username to sign in with.
    pub sign_in_username: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FlowState {
    None,
    /// It timed out (at the flow whose first page is given).
    Expired(Page),
    Active(Box<FlowView>),
    /// The database could not be read; the reference is in the log.
    Fault(String),
}

impl FlowView {
    /// A page with nothing typed yet.
    pub fn blank(page: Page) -> FlowView {
        FlowView {
            page,
            username: String::new(),
            tin: String::new(),
            email: String::new(),
            verify_email: String::new(),
            masked_email: String::new(),
            practice: String::new(),
            masked_tin: String::new(),
            resend_wait_secs: 0,
            flash: Flash::default(),
            sign_in_username: String::new(),
        }
    }
}
