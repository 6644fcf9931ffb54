use super::{base32, seconds_left, time_step, uri, Algorithm, OtpError, Secret};

pub const DEFAULT_DIGITS: u32 = 6;
pub const DEFAULT_PERIOD: u64 = 30;
pub const MIN_DIGITS: u32 = 1;
pub const MAX_DIGITS: u32 = 10;

/// How the moving factor is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Time-based (RFC 6238): the counter is the number of `period`s since the epoch.
    Totp { period: u64 },
    /// Counter-based (RFC 4226): `counter` is the next value to use.
    Hotp { counter: u64 },
    /// Steam Guard: TOTP with a 30 s period, SHA1, and 5 symbols from a 26-letter alphabet.
    Steam,
}

/// One authenticator entry: the key and everything needed to compute its codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Otp {
    pub kind: Kind,
    pub algorithm: Algorithm,
    pub digits: u32,
    pub secret: Secret,
    /// The service (e.g. "GitHub"). See [`Otp::parse`] for how a label prefix and `issuer=` combine.
    pub issuer: Option<String>,
    /// The account at that service (e.g. "alice@example.com").
    pub account: Option<String>,
}

impl Otp {
    /// A TOTP entry with the defaults nearly every site uses: SHA1, 6 digits, 30 seconds.
    pub fn totp(secret: Secret) -> Self {
        Otp {
            kind: Kind::Totp { period: DEFAULT_PERIOD },
            algorithm: Algorithm::Sha1,
            digits: DEFAULT_DIGITS,
            secret,
            issuer: None,
            account: None,
        }
    }

    /// Reads what a person pastes into **Secret Key**: an `otpauth://` (or `apple-otpauth://`) URI,
    /// a `steam://KEY`, or a bare base32 key (then TOTP, SHA1, 6 digits, 30 s).
    ///
    /// Issuer rule: a non-empty `issuer=` parameter wins over the label's `Issuer:` prefix, because the
    /// Key URI format calls the parameter the recommended, unambiguous field; the prefix is used only
    /// when the parameter is absent or empty. The account is the label after the first `:`.
    pub fn parse(input: &str) -> Result<Self, OtpError> {
        let trimmed = input.trim();
        match uri::scheme_of(trimmed) {
            Some(_) => uri::parse(trimmed),
            None => Ok(Otp::totp(base32::decode(trimmed)?)),
        }
    }

    /// Formats as an `otpauth://` URI that [`Otp::parse`] reads back to an equal value.
    pub fn to_uri(&self) -> String {
        uri::format(self)
    }

    /// The period in seconds, for time-based kinds.
    pub fn period(&self) -> Option<u64> {
        match self.kind {
            Kind::Totp { period } => Some(period),
            Kind::Steam => Some(DEFAULT_PERIOD),
            Kind::Hotp { .. } => None,
        }
    }

    /// The code a person types at Unix time `unix` (for HOTP, the code of the stored counter).
    pub fn code_at(&self, unix: u64) -> String {
        self.prepare().code_at(unix)
    }

    /// The code for an explicit counter or time step.
    pub fn code_for_counter(&self, counter: u64) -> String {
        self.prepare().code_for_counter(counter)
    }

    /// Seconds until the code changes, for time-based kinds.
    pub fn seconds_left(&self, unix: u64) -> Option<u64> {
        self.period().map(|p| seconds_left(unix, p))
    }

    /// Checks `code` against the steps within `window` either side of `unix`'s step (or of the HOTP
    /// counter). Returns the offset that matched: a verifier stores the step to refuse replays.
    /// Every candidate is compared in constant time so timing does not reveal near misses.
    pub fn verify(&self, code: &str, unix: u64, window: u64) -> Option<i64> {
        let code: String = code.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        let base = match self.kind {
            Kind::Hotp { counter } => counter,
            _ => time_step(unix, self.period().unwrap_or(DEFAULT_PERIOD)),
        };
        let prepared = self.prepare();
        let mut found = None;
        for offset in -(window as i128)..=(window as i128) {
            let step = base as i128 + offset;
            if step < 0 || step > u64::MAX as i128 {
                continue;
            }
            let expected = prepared.code_for_counter(step as u64);
            if constant_time_eq(expected.as_bytes(), code.to_ascii_uppercase().as_bytes()) && found.is_none() {
                found = Some(offset as i64);
            }
        }
        found
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
