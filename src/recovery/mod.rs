//! The rest of the sign-in page: Forgot Username, Forgot Password and
//! Register with a registration code. The same four parts as the wizard:
//! a pure step table, thin server functions, a service over the flow
//! engine (server only), and the pages.

pub mod api;
#[cfg(feature = "ssr")]
pub mod service;
pub mod step;
pub mod ui;
pub mod view;

pub use step::Page;
pub use ui::FlowPage;
