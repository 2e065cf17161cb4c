use serde::{Deserialize, Serialize};

/// An account as a page lists it (Accounts to consolidate, Thank You, My
/// accounts): the TINs masked, no secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub username: String,
    pub practice: String,
    pub role: String,
    pub masked_tins: Vec<String>,
}
