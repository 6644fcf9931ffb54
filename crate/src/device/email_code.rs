//! The server's e-mail verification codes: 6 digits, valid 5 minutes, 5 tries, single use, and
//! stored only as HMAC-SHA256 under a server secret, so a leaked database does not reveal live
//! codes (a million codes are easy to try against a plain hash; without the secret they are not).
//! A code proves control of the mailbox; it never releases keys.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::DeviceError;
use crate::crypto::random;

pub const EMAIL_CODE_DIGITS: usize = 6;
pub const EMAIL_CODE_LIFETIME_SECS: u64 = 5 * 60;
pub const EMAIL_CODE_MAX_ATTEMPTS: u32 = 5;

/// A fresh 6-digit code. Rejection sampling keeps every code equally likely: 2^32 is not a
/// multiple of 10^6, so values at or above the largest multiple are drawn again.
pub fn new_email_code() -> Zeroizing<String> {
    const RANGE: u32 = 1_000_000;
    const LIMIT: u32 = u32::MAX - (u32::MAX % RANGE) - 1; // 4_293_999_999: 4294 whole ranges
    loop {
        let v = random::u32();
        if v <= LIMIT {
            return Zeroizing::new(format!("{:06}", v % RANGE));
        }
    }
}

/// HMAC-SHA256(server secret, label || len || e-mail (trimmed, lower-cased) || code).
pub fn email_code_hash(server_secret: &[u8], email: &str, code: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(server_secret).expect("HMAC takes keys of any length");
    let email = email.trim().to_lowercase();
    mac.update(b"latchkey email code v1");
    mac.update(&(email.len() as u32).to_be_bytes());
    mac.update(email.as_bytes());
    mac.update(code.as_bytes());
    mac.finalize().into_bytes().into()
}

/// What the server stores for one code sent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PendingEmailCode {
    pub hash: [u8; 32],
    pub expires_at: u64,
    pub attempts: u32,
    pub used: bool,
}

impl PendingEmailCode {
    pub fn new(server_secret: &[u8], email: &str, code: &str, now_unix: u64) -> Self {
        PendingEmailCode {
            hash: email_code_hash(server_secret, email, code),
            expires_at: now_unix.saturating_add(EMAIL_CODE_LIFETIME_SECS),
            attempts: 0,
            used: false,
        }
    }

    /// Checks a submitted code at `now_unix`, counting the attempt; on success the code is spent.
    /// Store the updated record whatever the result.
    pub fn check(
        &mut self,
        server_secret: &[u8],
        email: &str,
        submitted: &str,
        now_unix: u64,
    ) -> Result<(), DeviceError> {
        if self.used {
            return Err(DeviceError::CodeUsed);
        }
        if now_unix >= self.expires_at {
            return Err(DeviceError::CodeExpired);
        }
        if self.attempts >= EMAIL_CODE_MAX_ATTEMPTS {
            return Err(DeviceError::CodeAttempts);
        }
        self.attempts += 1;
        let code: String = submitted.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        let expected = email_code_hash(server_secret, email, &code);
        // Constant time, so response timing says nothing about how close a guess was.
        if bool::from(subtle::ConstantTimeEq::ct_eq(&expected[..], &self.hash[..])) {
            self.used = true;
            Ok(())
        } else if self.attempts >= EMAIL_CODE_MAX_ATTEMPTS {
            Err(DeviceError::CodeAttempts)
        } else {
            Err(DeviceError::CodeWrong {
                attempts_left: EMAIL_CODE_MAX_ATTEMPTS - self.attempts,
            })
        }
    }
}
