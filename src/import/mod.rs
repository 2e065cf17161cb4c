//! The operators' import (`provider-portal import FILE`, docs/import.md):
//! the old portals' accounts, as their systems export them, with their
//! secrets still hashed the way those systems hashed them.
//!
//! `row` checks one row (pure), `read` streams a file's rows, `service`
//! runs an import against the database; `ops` is the command line.

pub mod read;
pub mod row;
mod service;

pub use read::FileFormat;
pub use service::{digest, run, Options, Reported, Stopped, Summary, DEFAULT_CHUNK};
