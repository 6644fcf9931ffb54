use super::algorithm::KeyedMac;
use super::{hotp, seconds_left, time_step, Kind, Otp, DEFAULT_PERIOD};

/// An entry ready to produce many codes: its HMAC is keyed once, so each code costs two hash
/// compressions instead of four. Built by [`Otp::prepare`]; what the extension keeps per account.
#[derive(Clone)]
pub struct PreparedOtp {
    kind: Kind,
    digits: u32,
    mac: KeyedMac,
}

impl Otp {
    /// Keys the HMAC once for computing many codes of this entry.
    pub fn prepare(&self) -> PreparedOtp {
        PreparedOtp {
            kind: self.kind,
            digits: self.digits,
            mac: self.algorithm.keyed(self.secret.as_bytes()),
        }
    }
}

impl PreparedOtp {
    /// The period in seconds, for time-based kinds (as [`Otp::period`]).
    pub fn period(&self) -> Option<u64> {
        match self.kind {
            Kind::Totp { period } => Some(period),
            Kind::Steam => Some(DEFAULT_PERIOD),
            Kind::Hotp { .. } => None,
        }
    }

    /// Seconds until the code changes, for time-based kinds (as [`Otp::seconds_left`]).
    pub fn seconds_left(&self, unix: u64) -> Option<u64> {
        self.period().map(|p| seconds_left(unix, p))
    }

    /// The code at Unix time `unix` (for HOTP, the code of the stored counter).
    pub fn code_at(&self, unix: u64) -> String {
        match self.kind {
            Kind::Totp { period } => self.code_for_counter(time_step(unix, period)),
            Kind::Steam => self.code_for_counter(time_step(unix, DEFAULT_PERIOD)),
            Kind::Hotp { counter } => self.code_for_counter(counter),
        }
    }

    /// The code for an explicit counter or time step.
    pub fn code_for_counter(&self, counter: u64) -> String {
        let value = self.mac.dynamic_truncate(&counter.to_be_bytes());
        match self.kind {
            Kind::Steam => hotp::steam(value),
            _ => hotp::decimal(value, self.digits),
        }
    }
}

impl std::fmt::Debug for PreparedOtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PreparedOtp({:?}, {} digits, [redacted])", self.kind, self.digits)
    }
}
