//! The consolidation wizard: the step table (shared with the browser), what
//! its pages show, its server functions, its service (server only) and its
//! pages.

pub mod api;
#[cfg(feature = "ssr")]
pub mod notify;
#[cfg(feature = "ssr")]
pub mod service;
pub mod step;
pub mod ui;
pub mod view;

pub use step::{Action, Event, Step};
