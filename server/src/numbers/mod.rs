//! Managed phone numbers bought from a provider: [`Twilio`] searches and buys US (+1) numbers through
//! Twilio's REST API. (The local pool, numbers listed in the configuration, needs no provider: the
//! database hands them out, see `crate::db`'s numbers.)
//!
//! Which numbers are held by which account, and the quarantine of released ones, is the database's
//! to keep; a provider only buys, and gives back a number that could not be recorded.

mod http;
pub mod twilio;

use std::future::Future;
use std::pin::Pin;

use thiserror::Error;

use crate::domain::E164;

pub use twilio::{Twilio, TwilioConfig};

/// A boxed future, so that providers can be used as `dyn NumberProvider` without another crate.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What an account's app needs from a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberRequest {
    /// The account the number is for (kept by the pool; Twilio gets it as the number's friendly name).
    pub account_id: String,
    /// From the app catalog: whether the app accepts a VoIP number. Many apps refuse them for MFA.
    pub voip_ok: bool,
}

/// A number held for an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedNumber {
    pub number: E164,
    /// The provider's id for it, needed to release it: Twilio's `PN…` SID.
    pub provider_id: String,
    /// A VoIP number (Twilio "Local"), which apps refusing VoIP must never get.
    pub voip: bool,
}

pub trait NumberProvider: Send + Sync {
    /// Obtains a US number able to receive SMS for `request.account_id`.
    fn obtain<'a>(&'a self, request: &'a NumberRequest) -> BoxFuture<'a, Result<ManagedNumber, NumberError>>;
    /// Gives the number back; it stops receiving texts for the account.
    fn release<'a>(&'a self, number: &'a ManagedNumber) -> BoxFuture<'a, Result<(), NumberError>>;
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum NumberError {
    #[error(
        "Twilio has no US numbers of the kind this app needs ({kinds}) that can receive SMS right now: \
         try again later, or pick another provider"
    )]
    NoneAvailable { kinds: &'static str },
    #[error("Twilio refused the account SID or auth token (error {code}): check the Twilio credentials in the configuration")]
    TwilioAuth { code: u32 },
    #[error("Twilio refused the request: {message} (error {code}, HTTP {status}; see {more_info})")]
    Twilio {
        status: u16,
        code: u32,
        message: String,
        more_info: String,
    },
    #[error("could not reach Twilio at {base_url}: {reason}")]
    Unreachable { base_url: String, reason: String },
    #[error("Twilio answered HTTP {status} with a body that is not what its API documents: {reason}")]
    BadResponse { status: u16, reason: String },
    #[error(
        "{0} needs TLS, and this build of latchkey has none: build it with `--features twilio-tls`, or point \
         the Twilio base URL at a local TLS-terminating proxy to https://api.twilio.com (an http:// URL)"
    )]
    TlsNotBuilt(String),
    #[error("the Twilio base URL {0:?} is not an http:// or https:// URL")]
    BadBaseUrl(String),
}
