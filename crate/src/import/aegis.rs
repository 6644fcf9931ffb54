//! Aegis vault exports (Aegis's docs/vault.md). Plain: `db` is the database object. Encrypted:
//! `db` is base64 AES-256-GCM ciphertext under a random master key (nonce and tag in
//! `header.params`); each password slot (`type` 1) holds that master key encrypted (AES-256-GCM,
//! `key_params` nonce and tag) under scrypt(password, `salt`, `n`, `r`, `p`) → 32 bytes. Entries
//! are `{type, name, issuer, info: {secret, algo, digits, period, counter}}`; types totp, hotp and
//! steam are read, motp and yandex refused by name.

use serde_json::Value;
use zeroize::Zeroizing;

use super::{array, hex, number, text, Entry, Format, ImportError, Imported, Parts};
use crate::crypto::aead;

const FORMAT: &str = "Aegis";
/// scrypt's memory is 128·n·r bytes: Aegis uses n = 2^15, r = 8 (32 MiB). Up to 256 MiB is run,
/// and p (sequential here) up to 16, so a crafted file cannot make the browser tab run for minutes.
const MAX_SCRYPT_MEMORY: u64 = 256 << 20;
const MAX_SCRYPT_P: u64 = 16;

pub fn read(file: Value, password: Option<&str>) -> Result<Imported, ImportError> {
    let db = file.get("db").ok_or(ImportError::MissingField {
        format: FORMAT,
        field: "db",
    })?;
    let db = match db {
        Value::Object(_) => db.clone(),
        Value::String(ciphertext) => {
            let password = password
                .filter(|p| !p.is_empty())
                .ok_or(ImportError::PasswordNeeded(FORMAT))?;
            decrypt(&file, ciphertext, password)?
        }
        _ => {
            return Err(ImportError::MissingField {
                format: FORMAT,
                field: "db",
            })
        }
    };
    let entries = array(&db, "entries", FORMAT)?;
    if entries.len() > super::MAX_ENTRIES {
        return Err(ImportError::TooManyEntries(entries.len()));
    }
    Ok(super::imported(Format::Aegis, entries.iter().map(entry).collect()))
}

fn entry(e: &Value) -> Entry {
    let (issuer, account) = (text(e, "issuer"), text(e, "name"));
    let info = e.get("info").unwrap_or(&Value::Null);
    let otp = (|| {
        Parts {
            kind: text(e, "type"),
            secret: None,
            secret_base32: text(info, "secret"),
            algorithm: text(info, "algo"),
            digits: number(info, "digits", 6)?,
            period: number(info, "period", 30)?,
            counter: number(info, "counter", 0)?,
            issuer,
            account,
        }
        .build()
    })();
    Entry::new(issuer, account, otp)
}

fn decrypt(file: &Value, ciphertext: &str, password: &str) -> Result<Value, ImportError> {
    let damaged = |field| ImportError::BadEncoding {
        format: FORMAT,
        field,
        encoding: "hex",
    };
    let header = file.get("header").unwrap_or(&Value::Null);
    let params = header.get("params").unwrap_or(&Value::Null);
    let nonce: [u8; aead::NONCE_LEN] = hex(text(params, "nonce"))
        .and_then(|n| n.try_into().ok())
        .ok_or(damaged("header nonce"))?;
    let tag = hex(text(params, "tag"))
        .filter(|t| t.len() == aead::TAG_LEN)
        .ok_or(damaged("header tag"))?;
    let mut sealed = super::base64::decode(ciphertext).ok_or(ImportError::BadEncoding {
        format: FORMAT,
        field: "db",
        encoding: "base64",
    })?;
    sealed.extend_from_slice(&tag);

    let slots = array(header, "slots", FORMAT)?;
    let password_slots: Vec<&Value> = slots
        .iter()
        .filter(|s| s.get("type").and_then(Value::as_u64) == Some(1))
        .collect();
    if password_slots.is_empty() {
        return Err(ImportError::NoPasswordSlot(FORMAT));
    }
    for slot in password_slots {
        let Some(master) = open_slot(slot, password)? else {
            continue;
        };
        let plain =
            Zeroizing::new(aead::open(&master, &nonce, &[], &sealed).map_err(|_| ImportError::WrongPassword(FORMAT))?);
        return serde_json::from_slice(&plain).map_err(|e| ImportError::BadJson {
            format: FORMAT,
            detail: e.to_string(),
        });
    }
    Err(ImportError::WrongPassword(FORMAT))
}

/// The master key from one password slot, `None` if the password does not open it.
fn open_slot(slot: &Value, password: &str) -> Result<Option<Zeroizing<[u8; 32]>>, ImportError> {
    let damaged = |field| ImportError::BadEncoding {
        format: FORMAT,
        field,
        encoding: "hex",
    };
    let (n, r, p) = (number(slot, "n", 0)?, number(slot, "r", 0)?, number(slot, "p", 0)?);
    let too_costly = || ImportError::KdfTooCostly {
        format: FORMAT,
        detail: format!("scrypt n={n}, r={r}, p={p}"),
    };
    if !n.is_power_of_two() || n < 2 || r == 0 || p == 0 || p > MAX_SCRYPT_P {
        return Err(too_costly());
    }
    if 128u64.saturating_mul(n).saturating_mul(r) > MAX_SCRYPT_MEMORY {
        return Err(too_costly());
    }
    let params = scrypt::Params::new(n.trailing_zeros() as u8, r as u32, p as u32).map_err(|_| too_costly())?;
    let salt = hex(text(slot, "salt")).ok_or(damaged("slot salt"))?;
    let mut key = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password.as_bytes(), &salt, &params, key.as_mut()).map_err(|_| too_costly())?;

    let key_params = slot.get("key_params").unwrap_or(&Value::Null);
    let nonce: [u8; aead::NONCE_LEN] = hex(text(key_params, "nonce"))
        .and_then(|n| n.try_into().ok())
        .ok_or(damaged("slot nonce"))?;
    let mut sealed = hex(text(slot, "key")).ok_or(damaged("slot key"))?;
    sealed.extend(
        hex(text(key_params, "tag"))
            .filter(|t| t.len() == aead::TAG_LEN)
            .ok_or(damaged("slot tag"))?,
    );
    let Ok(master) = aead::open(&key, &nonce, &[], &sealed) else {
        return Ok(None);
    };
    let master = Zeroizing::new(master);
    let master: [u8; 32] = master.as_slice().try_into().map_err(|_| damaged("slot key"))?;
    Ok(Some(Zeroizing::new(master)))
}
