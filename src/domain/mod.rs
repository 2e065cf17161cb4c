//! Parsed values shared by the server and the browser. The rest of the code
//! only ever sees these types, never the raw strings a user typed.

mod account;
mod answer;
mod check;
mod code;
mod email;
pub mod funnel;
mod operator;
mod registration;
pub mod sheet;
mod support;
mod tin;
mod username;

pub use account::AccountSummary;
pub use answer::{answer_as_typed, normalise_answer};
pub use check::{password_length, Check};
pub use code::{EmailCode, Pin};
pub use email::EmailAddress;
pub use operator::{Action, Role};
pub use registration::RegistrationCode;
pub use support::{SupportCode, CODE_ALPHABET};
pub use tin::{mask_tin_digits, Tin};
pub use username::{username_key, Username};

/// A passkey's ceremony as a page carries it: the options the browser is
/// given (JSON, for `PublicKeyCredential.parse…OptionsFromJSON`) and the
/// server's state, sealed, which the form brings back with the answer.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PasskeyCeremony {
    pub options: String,
    pub state: String,
}

/// Why a typed value was refused: the catalogue key (locales/) of what the
/// page says.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub &'static str);
