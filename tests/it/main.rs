//! The integration tests, one binary: each starts the real server on port 0
//! with a fresh SQLite file or PostgreSQL database and drives it over HTTP.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod campaign_bounces;
mod campaign_picks;
mod campaigns;
mod closing;
mod console;
mod console_codes;
mod console_export;
mod console_funnel;
mod console_operators;
mod health;
mod import;
mod instances;
mod lifecycle;
mod mail;
mod metrics;
mod not_me;
mod outbox;
mod outbox_senders;
mod pages;
mod passkey;
mod proxy;
mod rotation;
mod second_step;
mod sign_in_paths;
mod steps;
mod wizard;
