//! My accounts > Sign-in and security: a login's second step. Protect your
//! new login (offered after Thank You, after Register and at sign-in), an
//! authenticator app set up with a QR code or its key as text, ten backup
//! codes shown once, and each method listed, renamed or removed. A change
//! that weakens the login (removing a method, new backup codes) asks for
//! the password and the second step again; every change is mailed with a
//! "This wasn't me" link.

pub mod api;
#[cfg(feature = "ssr")]
pub mod passkey;
pub mod passkey_ui;
#[cfg(feature = "ssr")]
pub mod service;
pub mod ui;

use serde::{Deserialize, Serialize};

pub use passkey_ui::PasskeyPage;
pub use ui::{AppSetupPage, BackupCodesPage, ProtectPage, SecurityPage};

/// One method, as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodView {
    pub id: i64,
    /// `app` (an authenticator app) or `passkey`.
    pub kind: String,
    pub name: String,
    pub added: String,
    pub last_used: Option<String>,
}

/// A browser the login remembers (no second step asked there for 30 days).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BrowserView {
    pub id: i64,
    /// "Firefox · Windows".
    pub label: String,
    pub since: String,
    pub last_used: String,
    /// The browser this page is shown in.
    pub this: bool,
}

/// An authenticator app being set up: what it reads (QR) or is typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppSetup {
    pub name: String,
    /// The QR code of the `otpauth://` address, as an SVG element.
    pub qr_svg: String,
    /// The key as typed by hand, in groups of four.
    pub key: String,
}

/// Sign-in and security, as read for its pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Security {
    pub username: String,
    pub methods: Vec<MethodView>,
    pub backup_left: i64,
    pub browsers: Vec<BrowserView>,
    /// The login may go on without a second step ("Not now").
    pub may_skip: bool,
    pub setup: Option<AppSetup>,
    /// Passkeys can work on this site (`PUBLIC_URL` is a domain name).
    pub passkeys: bool,
    /// The login's passkeys asked for by a step-up (where it has one).
    pub step_up: Option<crate::domain::PasskeyCeremony>,
}

/// That page, as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PasskeySetupState {
    SignedOut,
    /// No fresh step-up here: back to Sign-in and security.
    NotStepped,
    /// The ceremony that makes the passkey.
    Ready(crate::domain::PasskeyCeremony),
    Fault(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SecurityState {
    SignedOut,
    Ready(Security),
    Fault(String),
}

/// The backup codes page: the codes, shown this once, or nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ShownCodes {
    SignedOut,
    Codes(Vec<String>),
    /// Shown before (or never made here): they are not kept to show again.
    Gone,
    Fault(String),
}
