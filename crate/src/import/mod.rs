//! Imports from other authenticators: Google Authenticator's export QR (`otpauth-migration://`),
//! Aegis and 2FAS backups (plain and password-encrypted), andOTP backups (plain and encrypted),
//! Bitwarden's JSON export and a plain list of `otpauth://` links.
//!
//! Entry point: [`read`] takes the file's bytes (and the password, for encrypted ones) and gives
//! every entry either as an [`Otp`] or with the reason it cannot be used; one bad entry never hides
//! the others. Every byte is hostile: no input panics (the property tests feed random and mangled
//! files), sizes and key-derivation costs are capped. Each format's own rules live in its file.

mod aegis;
mod andotp;
pub mod base64;
mod bitwarden;
mod error;
pub mod google;
mod plan;
mod protobuf;
mod twofas;
mod uri_list;

pub use error::ImportError;
pub use google::Migration;
pub use plan::{importable, plan, Existing, Planned, Verdict};

use crate::otp::{Algorithm, Kind, Otp, Secret};

/// The largest file read: a thousand-entry export with icons is a few MB.
pub const MAX_FILE_BYTES: usize = 16 << 20;
/// The most entries one import takes.
pub const MAX_ENTRIES: usize = 20_000;

/// Which format a file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Format {
    #[serde(rename = "google")]
    Google,
    #[serde(rename = "aegis")]
    Aegis,
    #[serde(rename = "2fas")]
    TwoFas,
    #[serde(rename = "andotp")]
    AndOtp,
    #[serde(rename = "bitwarden")]
    Bitwarden,
    #[serde(rename = "uris")]
    UriList,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Google => "Google Authenticator",
            Format::Aegis => "Aegis",
            Format::TwoFas => "2FAS",
            Format::AndOtp => "andOTP",
            Format::Bitwarden => "Bitwarden",
            Format::UriList => "otpauth:// list",
        }
    }
}

/// One entry of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What the person recognises the entry by ("Issuer: account"), also when it is unreadable.
    pub label: String,
    /// A web address the export gave (Bitwarden's login URIs), to match an existing account.
    pub url: Option<String>,
    /// The entry, or why it cannot be imported.
    pub otp: Result<Otp, ImportError>,
}

impl Entry {
    fn new(issuer: &str, account: &str, otp: Result<Otp, ImportError>) -> Self {
        let label = match (issuer.trim(), account.trim()) {
            ("", a) => a.to_string(),
            (i, "") => i.to_string(),
            (i, a) => format!("{i}: {a}"),
        };
        Entry { label, url: None, otp }
    }
}

/// A file read: its format and entries, and for a Google export the batch it belongs to.
#[derive(Debug, Clone)]
pub struct Imported {
    pub format: Format,
    pub entries: Vec<Entry>,
    /// Google's export spreads many accounts over several QR codes: which of them were read.
    pub batches: Vec<Migration>,
}

/// Reads an export file. `password` opens encrypted ones (ignored by plain ones).
pub fn read(bytes: &[u8], password: Option<&str>) -> Result<Imported, ImportError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge(bytes.len()));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).ok().map(str::trim);
    let imported = match text {
        Some("") => return Err(ImportError::Empty),
        Some(t) if t.starts_with('{') || t.starts_with('[') => read_json(t, password)?,
        Some(t) if t.to_ascii_lowercase().contains("otpauth") => uri_list::read(t)?,
        Some(_) => return Err(ImportError::UnknownFormat),
        // Not text: andOTP's encrypted backup is the only binary format.
        None => andotp::read_encrypted(bytes, password)?,
    };
    if imported.entries.len() > MAX_ENTRIES {
        return Err(ImportError::TooManyEntries(imported.entries.len()));
    }
    Ok(imported)
}

fn read_json(text: &str, password: Option<&str>) -> Result<Imported, ImportError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| ImportError::BadJson {
        format: "export",
        detail: e.to_string(),
    })?;
    match &value {
        serde_json::Value::Array(_) => andotp::read_plain(value),
        serde_json::Value::Object(o) if o.contains_key("header") && o.contains_key("db") => {
            aegis::read(value, password)
        }
        serde_json::Value::Object(o) if o.contains_key("services") || o.contains_key("servicesEncrypted") => {
            twofas::read(value, password)
        }
        serde_json::Value::Object(o) if o.contains_key("items") || o.contains_key("encrypted") => {
            bitwarden::read(value)
        }
        _ => Err(ImportError::UnknownFormat),
    }
}

/// Wraps parsed entries with no batches.
fn imported(format: Format, entries: Vec<Entry>) -> Imported {
    Imported {
        format,
        entries,
        batches: Vec::new(),
    }
}

/// The JSON array under `key`, or a "damaged file" error naming it.
fn array<'a>(
    v: &'a serde_json::Value,
    key: &'static str,
    format: &'static str,
) -> Result<&'a Vec<serde_json::Value>, ImportError> {
    v.get(key)
        .and_then(serde_json::Value::as_array)
        .ok_or(ImportError::MissingField { format, field: key })
}

/// A string field of an entry ("" when absent or not a string).
fn text<'a>(v: &'a serde_json::Value, key: &str) -> &'a str {
    v.get(key).and_then(serde_json::Value::as_str).unwrap_or("")
}

/// A whole-number field: `default` when absent, an error when present but not a number in range.
/// Exports write numbers either as JSON numbers or as strings.
fn number(v: &serde_json::Value, key: &'static str, default: u64) -> Result<u64, ImportError> {
    let bad = |detail: String| ImportError::BadField { field: key, detail };
    match v.get(key) {
        None | Some(serde_json::Value::Null) => Ok(default),
        Some(serde_json::Value::Number(n)) => n.as_u64().ok_or_else(|| bad(format!("{n} is not a whole number"))),
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(default),
        Some(serde_json::Value::String(s)) => s
            .trim()
            .parse()
            .map_err(|_| bad(format!("{s:?} is not a whole number"))),
        Some(_) => Err(bad("not a number".into())),
    }
}

/// The algorithm by the name exports use (`SHA1`, `sha256`, …); MD5 and others refused by name.
pub(crate) fn algorithm(name: &str) -> Result<Algorithm, ImportError> {
    if name.trim().is_empty() {
        return Ok(Algorithm::Sha1);
    }
    Ok(Algorithm::parse(name)?)
}

/// Builds an entry's [`Otp`] from its parts, checked as the `otpauth://` parser checks a URI's
/// parameters, so every format obeys one set of rules (digits 1-10, period at least 1, a key).
struct Parts<'a> {
    kind: &'a str,
    secret: Option<Secret>,
    secret_base32: &'a str,
    /// The name, checked after the type (an unsupported type is the reason worth showing).
    algorithm: &'a str,
    digits: u64,
    period: u64,
    counter: u64,
    issuer: &'a str,
    account: &'a str,
}

impl Parts<'_> {
    fn build(self) -> Result<Otp, ImportError> {
        let secret = match self.secret {
            Some(s) => s,
            None if self.secret_base32.trim().is_empty() => return Err(ImportError::MissingSecret),
            None => crate::otp::base32::decode(self.secret_base32)?,
        };
        if secret.as_bytes().is_empty() {
            return Err(ImportError::MissingSecret);
        }
        let kind = self.kind.trim().to_ascii_lowercase();
        let kind = match kind.as_str() {
            "totp" | "" => Kind::Totp {
                period: Some(self.period)
                    .filter(|p| *p >= 1)
                    .ok_or(crate::otp::OtpError::InvalidPeriod(self.period.to_string()))?,
            },
            "hotp" => Kind::Hotp { counter: self.counter },
            "steam" => Kind::Steam,
            other => return Err(ImportError::UnsupportedType(other.to_ascii_uppercase())),
        };
        let digits = u32::try_from(self.digits)
            .ok()
            .filter(|d| (crate::otp::MIN_DIGITS..=crate::otp::MAX_DIGITS).contains(d))
            .ok_or(crate::otp::OtpError::InvalidDigits(self.digits.to_string()))?;
        let steam = kind == Kind::Steam;
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Ok(Otp {
            kind,
            algorithm: if steam {
                Algorithm::Sha1
            } else {
                algorithm(self.algorithm)?
            },
            digits: if steam { 5 } else { digits },
            secret,
            issuer: some(self.issuer).or_else(|| steam.then(|| "Steam".to_string())),
            account: some(self.account),
        })
    }
}

/// Hex as Aegis writes nonces, tags, salts and keys.
fn hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim().as_bytes();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.chunks(2)
        .map(|pair| {
            let digit = |c: u8| (c as char).to_digit(16);
            Some((digit(pair[0])? * 16 + digit(pair[1])?) as u8)
        })
        .collect()
}
