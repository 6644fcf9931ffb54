//! One-time passwords: HOTP (RFC 4226), TOTP (RFC 6238), Steam Guard, and the `otpauth://` Key URI
//! format that authenticator apps exchange.
//!
//! Entry point: [`Otp::parse`] takes what a person pastes (a base32 key, an `otpauth://` URI or a
//! `steam://` key) and [`Otp::code_at`] gives the code at a Unix time the caller supplies.

mod algorithm;
pub mod base32;
mod error;
mod hotp;
mod prepared;
mod secret;
mod spec;
mod uri;

pub use algorithm::Algorithm;
pub use error::OtpError;
pub use hotp::{hotp, steam_code, STEAM_ALPHABET};
pub use prepared::PreparedOtp;
pub use secret::Secret;
pub use spec::{Kind, Otp, DEFAULT_DIGITS, DEFAULT_PERIOD, MAX_DIGITS, MIN_DIGITS};

/// The TOTP time step for `unix` seconds: how many whole periods have passed since the epoch.
pub fn time_step(unix: u64, period: u64) -> u64 {
    unix / period.max(1)
}

/// Seconds until the code for `unix` changes (1..=period).
pub fn seconds_left(unix: u64, period: u64) -> u64 {
    let period = period.max(1);
    period - unix % period
}
