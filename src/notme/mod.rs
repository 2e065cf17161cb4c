//! "This wasn't me": the page that a mail's link opens (it changes nothing
//! until its button is pressed: mail scanners open links), the freeze it
//! confirms, and the page that says what happens next. The link itself is
//! made with the mail (flow::notme); an operator decides the case in the
//! console.

pub mod api;
#[cfg(feature = "ssr")]
pub mod service;
pub mod step;
pub mod ui;

use serde::{Deserialize, Serialize};

pub use ui::{NotMeDonePage, NotMePage};

/// What the link's page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum NotMeState {
    /// The link works: the login it would freeze.
    Live { username: String },
    /// Used already, more than 30 days old, or not one of ours.
    Invalid,
    /// The database could not be read; the reference is in the log.
    Fault(String),
}
