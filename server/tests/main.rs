//! The server's tests, as one test binary (one build, one link): each file is a module named for
//! what it checks. `abuse_*` perform an attack against the real `latchkey` binary over loopback and
//! show it refused; `api_*` the API's rules; `cli_*` and `db_*` the command line and the storage;
//! `demo_*` the demo fixture. What they share is the `latchkey-test-support` crate
//! (server/test-support), known here as `support`.
//!
//! Run one file with `cargo test -p latchkey --test server abuse_demo::`.

use latchkey_test_support as support;

mod abuse_approval;
mod abuse_audit;
mod abuse_automations;
mod abuse_catalog;
mod abuse_console;
mod abuse_demo;
mod abuse_enumeration;
mod abuse_inbox_wait;
mod abuse_instances;
mod abuse_invitations;
mod abuse_lockout;
mod abuse_mail;
mod abuse_mail_auth;
mod abuse_mail_content;
mod abuse_mailgun;
mod abuse_numbers;
mod abuse_ownerless;
mod abuse_scim;
mod abuse_server_key;
mod abuse_waits;
mod abuse_webhook_account;
mod api_accounts;
mod api_audit;
mod api_automations;
mod api_basics;
mod api_console;
mod api_error_codes;
mod api_inbox;
mod api_mail;
mod api_mail_auth;
mod api_numbers;
mod api_scim;
mod api_trust;
mod api_users;
mod cli_automation;
mod cli_mail_code;
mod cli_oathtool;
mod cli_sms_code;
mod cli_usage;
mod db_cli;
mod db_rules;
mod demo_app;
mod demo_seed;
mod demo_settings;
mod demo_sms;
mod mail_fault;
mod mail_tls;
mod sms_fault;
