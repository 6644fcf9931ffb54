//! What every server test (and the server bench) shares, so each test file reads as the rule it
//! checks:
//!
//! - [`server`]: the one launcher, `latchkey serve` (and the demo fixture `latchkey-demo`) as
//!   child processes on free loopback ports, and the one runner for other command lines;
//! - [`client`]: the typed HTTP client ([`Api`], [`Reply`]);
//! - [`world`]: workspaces and their people made through the database, and the API verbs a
//!   member uses ([`Member::create_account`], [`Member::share`], [`Member::add_item`]);
//! - [`trust`]: browser profiles with real core keys and the trust flow's verbs
//!   ([`trust::Device::register_device`], [`trust::Device::verify_email`], [`trust::first_device`],
//!   [`trust::TrustedUser::approve`]);
//! - [`sms`]: Twilio-signed inbound texts ([`sms::send_sms`]) and accounts holding numbers;
//! - [`mail`]: accounts holding managed e-mail addresses, a plain SMTP client, throwaway certificates,
//!   throwaway DKIM keys;
//! - [`dns`]: a DNS server on loopback answering the TXT records a test publishes (sender
//!   verification's `--dns-server`);
//! - [`demo`]: a browser for the demo app;
//! - [`text`]: looking for a secret in a log, an e-mail or JSON as a word of its own;
//! - [`postgres`], [`old_schema`], [`smtp`], [`twilio_api`]: a throwaway PostgreSQL, a database
//!   from before migration 0004, an SMTP receiver, a stand-in for Twilio's REST API.

pub mod client;
pub mod demo;
pub mod dns;
pub mod mail;
pub mod old_schema;
pub mod postgres;
pub mod server;
pub mod sms;
#[path = "../../src/test_support/smtp.rs"]
pub mod smtp;
pub mod text;
pub mod trust;
#[path = "../../src/test_support/twilio_api.rs"]
pub mod twilio_api;
#[path = "../../src/test_support/twilio_python.rs"]
pub mod twilio_python;
pub mod world;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

pub use client::{Api, Reply};
pub use postgres::Postgres;
pub use server::Server;
pub use world::{b64, member, new_id, now, open_db, trusted_device, trusted_user, unb64, Member};

/// A directory under the system's temp dir, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let path = std::env::temp_dir().join(format!(
            "latchkey-{label}-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
