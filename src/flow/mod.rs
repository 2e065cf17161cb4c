//! One engine for every server-side flow (the wizard, Forgot Username,
//! Forgot Password, Register, and the operators' flows to come): the flow
//! record behind a cookie (load, begin, save, renew, expire), emailed codes
//! (send, cooldowns, caps, verify), the audit trail, and faults with a
//! support reference. A flow brings its own step table and pages.

pub mod flash;
#[cfg(feature = "ssr")]
pub mod input;
#[cfg(feature = "ssr")]
mod kept;

#[cfg(feature = "ssr")]
mod audit;
#[cfg(feature = "ssr")]
pub mod codes;
#[cfg(feature = "ssr")]
pub mod limits;
#[cfg(feature = "ssr")]
pub mod notme;
#[cfg(feature = "ssr")]
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod passkey;
#[cfg(feature = "ssr")]
mod record;
#[cfg(feature = "ssr")]
pub mod rotation;
#[cfg(feature = "ssr")]
pub mod second;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
mod stop;
#[cfg(feature = "ssr")]
pub mod tries;

#[cfg(feature = "ssr")]
pub use audit::{audit, audit_refusal, audit_refusal_of, counted, event as audit_event, told};
pub use flash::{FieldError, Flash};
#[cfg(feature = "ssr")]
pub use kept::{failed_sign_in, forget_sign_in, kept_sign_in};
#[cfg(feature = "ssr")]
pub use record::{
    begin, begin_loaded, clear_cookie, create, create_with, fresh, go, go_with, keep, load, renew,
    save, save_with, set_cookie, Loaded, Steps,
};
#[cfg(feature = "ssr")]
pub use stop::{database_fault, reply, short_reference, Outcome, Stop};
