//! 2FAS backups (`.2fas`, JSON). Plain: `services` is the list. Encrypted: `services` is empty and
//! `servicesEncrypted` is `base64(ciphertext‖tag):base64(salt):base64(iv)`, AES-256-GCM under
//! PBKDF2-HMAC-SHA256(password, salt, 10 000 iterations) → 32 bytes, as 2FAS's apps write it; the
//! plaintext is the JSON list of services. A service is `{name, secret, otp: {account, issuer,
//! digits, period, algorithm, tokenType, counter}}`; TOTP, HOTP and STEAM are read.

use serde_json::Value;
use zeroize::Zeroizing;

use super::{array, number, text, Entry, Format, ImportError, Imported, Parts};
use crate::crypto::aead;

const FORMAT: &str = "2FAS";
const PBKDF2_ROUNDS: u32 = 10_000;

pub fn read(file: Value, password: Option<&str>) -> Result<Imported, ImportError> {
    let encrypted = text(&file, "servicesEncrypted");
    let services: Vec<Value> = if encrypted.is_empty() {
        array(&file, "services", FORMAT)?.clone()
    } else {
        let password = password
            .filter(|p| !p.is_empty())
            .ok_or(ImportError::PasswordNeeded(FORMAT))?;
        let plain = decrypt(encrypted, password)?;
        serde_json::from_slice(&plain).map_err(|e| ImportError::BadJson {
            format: FORMAT,
            detail: e.to_string(),
        })?
    };
    if services.len() > super::MAX_ENTRIES {
        return Err(ImportError::TooManyEntries(services.len()));
    }
    Ok(super::imported(Format::TwoFas, services.iter().map(entry).collect()))
}

fn entry(s: &Value) -> Entry {
    let otp_part = s.get("otp").unwrap_or(&Value::Null);
    let issuer = Some(text(otp_part, "issuer"))
        .filter(|i| !i.trim().is_empty())
        .unwrap_or(text(s, "name"));
    let account = text(otp_part, "account");
    let otp = (|| {
        Parts {
            kind: text(otp_part, "tokenType"),
            secret: None,
            secret_base32: text(s, "secret"),
            algorithm: text(otp_part, "algorithm"),
            digits: number(otp_part, "digits", 6)?,
            period: number(otp_part, "period", 30)?,
            counter: number(otp_part, "counter", 0)?,
            issuer,
            account,
        }
        .build()
    })();
    Entry::new(issuer, account, otp)
}

fn decrypt(encrypted: &str, password: &str) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    let damaged = ImportError::BadEncoding {
        format: FORMAT,
        field: "servicesEncrypted",
        encoding: "base64 ciphertext:salt:iv",
    };
    let mut parts = encrypted.trim().split(':').map(super::base64::decode);
    let (Some(Some(sealed)), Some(Some(salt)), Some(Some(iv)), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(damaged);
    };
    let nonce: [u8; aead::NONCE_LEN] = iv.try_into().map_err(|_| damaged.clone())?;
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), &salt, PBKDF2_ROUNDS, key.as_mut());
    aead::open(&key, &nonce, &[], &sealed)
        .map(Zeroizing::new)
        .map_err(|_| ImportError::WrongPassword(FORMAT))
}
