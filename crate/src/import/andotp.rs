//! andOTP backups. Plain: a JSON array of `{secret, issuer, label, digits, type, algorithm,
//! period, counter}`; TOTP, HOTP and STEAM are read. Encrypted (`.json.aes`, andOTP 0.6.3 on):
//! iterations (4 bytes, big-endian) ‖ salt (12) ‖ IV (12) ‖ AES-256-GCM ciphertext ‖ tag (16), the
//! key PBKDF2-HMAC-SHA1(password, salt, iterations) → 32 bytes, as andOTP's source writes it.

use serde_json::Value;
use zeroize::Zeroizing;

use super::{number, text, Entry, Format, ImportError, Imported, Parts};
use crate::crypto::aead;

const FORMAT: &str = "andOTP";
/// andOTP picks 140 000 to 160 000 iterations; far more is a crafted file meant to stall the tab.
const MAX_ITERATIONS: u32 = 2_000_000;
const HEADER: usize = 4 + 12 + aead::NONCE_LEN;

pub fn read_plain(file: Value) -> Result<Imported, ImportError> {
    let Value::Array(items) = file else {
        return Err(ImportError::UnknownFormat);
    };
    if items.len() > super::MAX_ENTRIES {
        return Err(ImportError::TooManyEntries(items.len()));
    }
    Ok(super::imported(Format::AndOtp, items.iter().map(entry).collect()))
}

fn entry(e: &Value) -> Entry {
    let (issuer, account) = (text(e, "issuer"), text(e, "label"));
    let otp = (|| {
        Parts {
            kind: text(e, "type"),
            secret: None,
            secret_base32: text(e, "secret"),
            algorithm: text(e, "algorithm"),
            digits: number(e, "digits", 6)?,
            period: number(e, "period", 30)?,
            counter: number(e, "counter", 0)?,
            issuer,
            account,
        }
        .build()
    })();
    Entry::new(issuer, account, otp)
}

pub fn read_encrypted(bytes: &[u8], password: Option<&str>) -> Result<Imported, ImportError> {
    if bytes.len() < HEADER + aead::TAG_LEN {
        return Err(ImportError::UnknownFormat);
    }
    let password = password
        .filter(|p| !p.is_empty())
        .ok_or(ImportError::PasswordNeeded(FORMAT))?;
    let iterations = u32::from_be_bytes(bytes[..4].try_into().expect("4 bytes"));
    if iterations == 0 || iterations > MAX_ITERATIONS {
        return Err(ImportError::KdfTooCostly {
            format: FORMAT,
            detail: format!("PBKDF2 with {iterations} iterations"),
        });
    }
    let (salt, rest) = bytes[4..].split_at(12);
    let (iv, sealed) = rest.split_at(aead::NONCE_LEN);
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password.as_bytes(), salt, iterations, key.as_mut());
    let nonce: [u8; aead::NONCE_LEN] = iv.try_into().expect("12 bytes");
    let plain = Zeroizing::new(aead::open(&key, &nonce, &[], sealed).map_err(|_| ImportError::WrongPassword(FORMAT))?);
    let file: Value = serde_json::from_slice(&plain).map_err(|e| ImportError::BadJson {
        format: FORMAT,
        detail: e.to_string(),
    })?;
    read_plain(file)
}
