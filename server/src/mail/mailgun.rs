//! Mailgun's webhook signature, as Mailgun documents it ("Securing Webhooks",
//! <https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks>):
//! concatenate `timestamp` and `token` with no separator, HMAC-SHA256 with the account's webhook
//! signing key, compare the hex digest with `signature`. Mailgun also advises refusing old
//! timestamps and reused tokens: a timestamp more than [`REPLAY_WINDOW_SECS`] from now is refused
//! here, and a token is stored with the message it brought (db: provider "mailgun", id = token),
//! so a replay inside the window stores nothing new.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use thiserror::Error;
use zeroize::Zeroizing;

/// How far a timestamp may be from the server's clock, either way.
pub const REPLAY_WINDOW_SECS: i64 = 5 * 60;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MailgunError {
    #[error("the post has no {0}: it is not from Mailgun")]
    Missing(&'static str),
    #[error("the timestamp is not seconds since 1970")]
    BadTimestamp,
    #[error(
        "the timestamp is more than {REPLAY_WINDOW_SECS} seconds away from this server's clock: a replay, or a clock to fix"
    )]
    Stale,
    #[error("the signature does not match: the post is not from Mailgun, or the signing key (LATCHKEY_MAILGUN_SIGNING_KEY) is not this Mailgun account's")]
    Mismatch,
}

/// The webhook signing key (Mailgun's control panel: Sending → Webhooks → HTTP webhook signing key).
pub struct MailgunSigningKey(Zeroizing<Vec<u8>>);

impl MailgunSigningKey {
    pub fn new(key: &str) -> MailgunSigningKey {
        MailgunSigningKey(Zeroizing::new(key.trim().as_bytes().to_vec()))
    }

    /// Checks one post's `timestamp`, `token` and `signature` at `now`.
    pub fn verify(&self, timestamp: &str, token: &str, signature: &str, now: i64) -> Result<(), MailgunError> {
        let seconds: i64 = timestamp
            .parse()
            .ok()
            .filter(|_| !timestamp.is_empty() && timestamp.bytes().all(|b| b.is_ascii_digit()))
            .ok_or(MailgunError::BadTimestamp)?;
        let expected = decode_hex(signature).ok_or(MailgunError::Mismatch)?;
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(timestamp.as_bytes());
        mac.update(token.as_bytes());
        // Constant time, whatever the input.
        mac.verify_slice(&expected).map_err(|_| MailgunError::Mismatch)?;
        if (now - seconds).abs() > REPLAY_WINDOW_SECS {
            return Err(MailgunError::Stale);
        }
        Ok(())
    }
}

impl std::fmt::Debug for MailgunSigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MailgunSigningKey(redacted)")
    }
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 64 {
        return None;
    }
    (0..64)
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(key: &str, timestamp: &str, token: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_bytes()).unwrap();
        mac.update(format!("{timestamp}{token}").as_bytes());
        mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn verifies_as_documented_and_refuses_the_rest() {
        // Token and timestamp of Mailgun's documented example; the documentation gives no key.
        let (timestamp, token) = ("1770920772", "e0b5477167110d68991efc6b9f89f0a11066af27834600e123");
        let key = MailgunSigningKey::new("key-3ax6xnjp29jd6fds4gc373sgvjxteol0");
        let good = sign("key-3ax6xnjp29jd6fds4gc373sgvjxteol0", timestamp, token);
        assert_eq!(key.verify(timestamp, token, &good, 1_770_920_800), Ok(()));
        assert_eq!(
            key.verify(timestamp, token, &good.to_uppercase(), 1_770_920_800),
            Ok(())
        );
        assert_eq!(
            key.verify(timestamp, token, &good, 1_770_920_772 + 301),
            Err(MailgunError::Stale)
        );
        assert_eq!(
            key.verify(timestamp, token, &good, 1_770_920_772 - 301),
            Err(MailgunError::Stale)
        );
        assert_eq!(
            key.verify(timestamp, "other", &good, 1_770_920_800),
            Err(MailgunError::Mismatch)
        );
        assert_eq!(
            key.verify("1770920773", token, &good, 1_770_920_800),
            Err(MailgunError::Mismatch)
        );
        assert_eq!(
            key.verify(timestamp, token, &good[..63], 1_770_920_800),
            Err(MailgunError::Mismatch)
        );
        assert_eq!(
            key.verify("+1770920772", token, &good, 1_770_920_800),
            Err(MailgunError::BadTimestamp)
        );
        // The documented example's own signature is not one this key made.
        let documented = "12d99f5a15355c180971bed7494d578b093c958f57766f3fe750761baed12345";
        assert_eq!(
            key.verify(timestamp, token, documented, 1_770_920_800),
            Err(MailgunError::Mismatch)
        );
        assert!(!format!("{key:?}").contains("3ax6"));
    }
}
