//! Provider Portal: providers move their old portal accounts into one new
//! portal login; the insurer runs that migration safely.

// The console's tables are deep view types; the release WASM build
// computes their layout past the default limit of 128.
#![recursion_limit = "256"]

pub mod app;
pub mod campaign;
pub mod closing;
pub mod console;
pub mod domain;
pub mod flow;
pub mod i18n;
pub mod islands;
pub mod notme;
pub mod recovery;
pub mod security;
pub mod signin;
pub mod ui;
pub mod wizard;

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod guide;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod ops;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod web;

/// This build's version (Cargo.toml) and the commit it was built from
/// (build.rs; `unknown` outside a git checkout): `provider-portal --version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
pub const COMMIT: &str = env!("PORTAL_COMMIT");

#[cfg(test)]
mod architecture;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // No panic hook: it would bring the whole formatting machinery into the
    // WASM (docs/performance.md's size budget), and the release build aborts on panic.
    leptos::mount::hydrate_islands();
}
