//! Managed phone numbers: a US (+1) number obtained for one account, which receives that account's
//! texts, and released when the account no longer needs it. Two providers: [`LocalPool`] hands out
//! numbers listed in the configuration (the demo and tests), [`Twilio`] searches and buys numbers
//! through Twilio's REST API.
//!
//! Which numbers are held by which account is the caller's to store; providers keep no state that
//! must survive a restart, except the pool, which is told at start which numbers are taken.

mod http;
pub mod local_pool;
pub mod twilio;

use std::future::Future;
use std::pin::Pin;

use thiserror::Error;

use crate::phone::E164;

pub use local_pool::LocalPool;
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
    /// The provider's id for it, needed to release it: Twilio's `PN…` SID, or the number for the pool.
    pub provider_id: String,
}

pub trait NumberProvider: Send + Sync {
    /// Obtains a US number able to receive SMS for `request.account_id`.
    fn obtain<'a>(&'a self, request: &'a NumberRequest) -> BoxFuture<'a, Result<ManagedNumber, NumberError>>;
    /// Gives the number back; it stops receiving texts for the account.
    fn release<'a>(&'a self, number: &'a ManagedNumber) -> BoxFuture<'a, Result<(), NumberError>>;
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum NumberError {
    #[error("all {0} numbers of the local pool are in use: add numbers to the configuration or release one")]
    PoolExhausted(usize),
    #[error("{0} is not a number of the local pool held by an account")]
    NotInPool(String),
    #[error("{0:?} in the number pool is not a US number in E.164 form (+1 and ten digits)")]
    BadPoolNumber(String),
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
