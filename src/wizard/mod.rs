//! The consolidation wizard: step table (shared), server functions, service
//! (server only) and pages.

pub mod api;
#[cfg(feature = "ssr")]
pub mod notify;
#[cfg(feature = "ssr")]
pub mod service;
pub mod step;
pub mod ui;

pub use step::{Action, Event, Step};
