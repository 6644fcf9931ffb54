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
// For Google's export links (import/google.rs), one percent-decoding for every link the core reads.
#[cfg(any(not(target_arch = "wasm32"), feature = "wasm-import"))]
pub(crate) use uri::percent_decode;

/// The TOTP time step for `unix` seconds: how many whole periods have passed since the epoch.
pub fn time_step(unix: u64, period: u64) -> u64 {
    unix / period.max(1)
}

/// How little of a code's life may be left when it is filled: 5 s (of a 30 s period), or a sixth
/// of a shorter period. A person who checks the field, or a page that takes a moment to submit,
/// would send a code the app has stopped taking.
pub const FILL_MARGIN_MS: u64 = 5_000;

/// How long to wait before filling a time-based code at `now_ms` (Unix milliseconds) with this
/// `period` (seconds): 0 to fill now, else the milliseconds until the next code, when the current
/// one has less than the margin left ([`FILL_MARGIN_MS`]).
pub fn fill_delay_ms(now_ms: u64, period: u64) -> u64 {
    let period_ms = period.max(1) * 1000;
    let left = period_ms - now_ms % period_ms;
    if left < FILL_MARGIN_MS.min(period_ms / 6) {
        left
    } else {
        0
    }
}

/// Seconds until the code for `unix` changes (1..=period).
pub fn seconds_left(unix: u64, period: u64) -> u64 {
    let period = period.max(1);
    period - unix % period
}
