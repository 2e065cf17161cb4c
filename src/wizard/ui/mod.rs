//! The wizard's pages. Each is rendered on the server from the wizard's
//! state (so reload, Back and a browser without JavaScript land on the right
//! step); forms post to the server functions in `api.rs`, which redirect to
//! the page that shows the outcome. Small interactive parts are islands.

mod pages;

pub use pages::WizardPage;
