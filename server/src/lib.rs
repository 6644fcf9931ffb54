//! The `latchkey` package's library: everything the `latchkey` binary does, so the binary is a few
//! lines and the tests, benches and the demo fixture use the same code.
//!
//! - [`cli`]: the command line (`latchkey totp`, `sms-code`, `serve`).
//! - [`serve`]: the HTTP server: the JSON API, the SMS webhook, the `--demo` workspace seed.
//! - [`domain`]: the rules as types: roles and their permissions, e-mail addresses, phone numbers.
//! - [`db`]: storage (SQLite or PostgreSQL) and every rule that needs a transaction.
//! - [`mail`], [`sms`], [`numbers`]: e-mail out, SMS in (Twilio webhooks), managed numbers.
//! - [`log`]: JSON log lines.

pub mod cli;
pub mod db;
pub mod domain;
pub mod log;
pub mod mail;
pub mod numbers;
pub mod serve;
pub mod sms;
#[cfg(test)]
mod test_support;
