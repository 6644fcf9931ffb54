//! The server's domain rules as types, shared by the storage, the HTTP handlers and the command
//! line, so each rule is written once:
//!
//! - [`Role`]: the workspace roles and what each may do (invite, grant, change roles, deprovision,
//!   edit the catalog, set the number policy, obtain a number).
//! - [`Email`]: what an e-mail address is, and how two are compared.
//! - [`person_name`]: what a display name (or a given or family name) may be.
//! - [`E164`]: what a phone number is.
//! - [`Utc`]: Unix seconds as a calendar date and time (logs, prompts).
//! - [`MailDomain`]: the managed e-mail addresses' domain, proposals, and SMTP recipients.
//!
//! Handlers parse a request, ask these types (and `db`), and render the answer.

mod display_name;
mod email;
mod managed_address;
mod phone;
mod role;
mod utc;

pub use display_name::{person_name, NameError, MAX_NAME_CHARS};
pub use email::{Email, EmailError, MAX_EMAIL_LEN};
pub use managed_address::{BadMailDomain, MailDomain, Recipient};
pub use phone::E164;
pub use role::{AdminTask, Refusal, Role, UnknownRole};
pub use utc::Utc;
