//! Managed e-mail addresses: the workspace's mail domain (`--mail-domain`), the address an account
//! is offered (a random-looking local part at that domain), and how an SMTP recipient is matched
//! against addresses.
//!
//! The local part is 12 characters of base32 (60 bits) from a keyed hash of the account id and how
//! many addresses it had before: the dialog can show the address before it is created, nobody can
//! choose a vanity or someone else's address (the key is the server's), and an address released
//! by an account is never proposed to it again (the counter moved on).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use thiserror::Error;

const LOCAL_LEN: usize = 12;
const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0:?} is not a mail domain: give a DNS name such as mail.example.com (letters, digits, '-' and '.')")]
pub struct BadMailDomain(pub String);

/// A DNS name, lower case, at which the server receives mail for managed addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailDomain(String);

impl MailDomain {
    pub fn parse(value: &str) -> Result<MailDomain, BadMailDomain> {
        let domain = value.trim().trim_end_matches('.').to_ascii_lowercase();
        let label_ok = |l: &str| {
            (1..=63).contains(&l.len())
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        if domain.len() > 200 || !domain.split('.').all(label_ok) {
            return Err(BadMailDomain(value.to_string()));
        }
        Ok(MailDomain(domain))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address offered to `account_id` after it had `before` addresses, keyed by `key` (a
    /// purpose key derived from the server key).
    pub fn propose(&self, key: &[u8], account_id: &str, before: i64) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
        mac.update(b"latchkey managed address v1\0");
        mac.update(account_id.as_bytes());
        mac.update(&before.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let mut bits = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
        let mut local = String::with_capacity(LOCAL_LEN);
        for _ in 0..LOCAL_LEN {
            local.push(BASE32[(bits >> 59) as usize] as char);
            bits <<= 5;
        }
        format!("{local}@{}", self.0)
    }

    /// An SMTP recipient (`RCPT TO` path, without `<>`) as the stored form of a managed address
    /// at this domain: `Ok(address)` lower case; `Err(Foreign)` for another domain (relaying is
    /// refused); `Err(Malformed)` when it is no address.
    pub fn recipient(&self, path: &str) -> Result<String, Recipient> {
        let path = path.trim();
        let (local, domain) = path.rsplit_once('@').ok_or(Recipient::Malformed)?;
        if local.is_empty() || path.len() > 254 || !path.is_ascii() || path.contains(char::is_whitespace) {
            return Err(Recipient::Malformed);
        }
        if !domain.trim_end_matches('.').eq_ignore_ascii_case(&self.0) {
            return Err(Recipient::Foreign);
        }
        Ok(format!("{}@{}", local.to_ascii_lowercase(), self.0))
    }
}

/// Why an SMTP recipient is no managed address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    /// At another domain: this server is not a relay.
    Foreign,
    Malformed,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_and_proposals() {
        let d = MailDomain::parse("Mail.Example.COM.").unwrap();
        assert_eq!(d.as_str(), "mail.example.com");
        for bad in ["", "a..b", "-a.b", "a_b.c", "exa mple.com", "ex@mple.com"] {
            assert!(MailDomain::parse(bad).is_err(), "{bad}");
        }
        let a = d.propose(b"k", "acct", 0);
        assert_eq!(a, d.propose(b"k", "acct", 0), "the dialog shows what will be created");
        assert_ne!(
            a,
            d.propose(b"k", "acct", 1),
            "a released address is not proposed again"
        );
        assert_ne!(a, d.propose(b"other key", "acct", 0), "keyed");
        let (local, domain) = a.split_once('@').unwrap();
        assert_eq!((local.len(), domain), (12, "mail.example.com"));
        assert!(local.bytes().all(|b| BASE32.contains(&b)));
    }

    #[test]
    fn recipients() {
        let d = MailDomain::parse("mail.example.com").unwrap();
        assert_eq!(d.recipient("AbC@MAIL.example.com").unwrap(), "abc@mail.example.com");
        assert_eq!(d.recipient("x@mail.example.com.").unwrap(), "x@mail.example.com");
        assert_eq!(d.recipient("x@gmail.com"), Err(Recipient::Foreign));
        assert_eq!(d.recipient("x@sub.mail.example.com"), Err(Recipient::Foreign));
        assert_eq!(d.recipient("postmaster"), Err(Recipient::Malformed));
        assert_eq!(d.recipient("é@mail.example.com"), Err(Recipient::Malformed));
    }
}
