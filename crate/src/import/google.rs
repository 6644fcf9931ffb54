//! Google Authenticator's export: `otpauth-migration://offline?data=BASE64`, where the data is a
//! protobuf `MigrationPayload` (as documented by the projects that read it, e.g. Aegis and
//! KeePassXC): repeated `OtpParameters` (1), version (2), batch size (3), batch index (4),
//! batch id (5); each parameter set has secret bytes (1), name (2), issuer (3), algorithm (4:
//! 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5), digits (5: 1 six, 2 eight), type (6: 1 HOTP, 2 TOTP) and
//! counter (7). Many accounts are spread over several QR codes, one batch each.

use super::protobuf::{Reader, Value};
use super::{Entry, Format, ImportError, Imported, Parts};
use crate::otp::Secret;

const SCHEME: &str = "otpauth-migration://";

/// Which batch of a multi-QR export one code was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Migration {
    /// 0-based index of this batch.
    pub index: u32,
    /// How many QR codes the export has.
    pub size: u32,
    /// The same for every batch of one export.
    pub id: u32,
}

/// Whether `text` is a Google export link (any case in the scheme).
pub fn is_migration(text: &str) -> bool {
    let t = text.trim().as_bytes();
    t.len() >= SCHEME.len() && t[..SCHEME.len()].eq_ignore_ascii_case(SCHEME.as_bytes())
}

/// Reads one `otpauth-migration://` link.
pub fn read_uri(uri: &str) -> Result<Imported, ImportError> {
    let uri = uri.trim();
    if !is_migration(uri) {
        return Err(ImportError::BadMigration("it does not start with otpauth-migration://"));
    }
    let query = uri.split_once('?').map(|(_, q)| q).unwrap_or("");
    let data = query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .rfind(|(k, _)| k.eq_ignore_ascii_case("data"))
        .map(|(_, v)| v)
        .ok_or(ImportError::BadMigration("the link has no data= part"))?;
    let data = crate::otp::percent_decode(data, false, "data")
        .map_err(|_| ImportError::BadMigration("its data= part has a bad percent-escape"))?;
    let bytes = super::base64::decode(&data).ok_or(ImportError::BadMigration("its data= part is not base64"))?;
    read_payload(&bytes)
}

/// Reads a `MigrationPayload`.
pub fn read_payload(bytes: &[u8]) -> Result<Imported, ImportError> {
    const DAMAGED: ImportError = ImportError::BadMigration("its data is damaged (not the export's protobuf)");
    let mut reader = Reader::new(bytes);
    let (mut entries, mut batch) = (
        Vec::new(),
        Migration {
            index: 0,
            size: 1,
            id: 0,
        },
    );
    while let Some((number, value)) = reader.next_field().map_err(|_| DAMAGED)? {
        match (number, value) {
            (1, Value::Bytes(b)) => {
                if entries.len() >= super::MAX_ENTRIES {
                    return Err(ImportError::TooManyEntries(entries.len() + 1));
                }
                entries.push(read_parameters(b).ok_or(DAMAGED)?);
            }
            (3, Value::Varint(v)) => batch.size = v as u32,
            (4, Value::Varint(v)) => batch.index = v as u32,
            (5, Value::Varint(v)) => batch.id = v as u32,
            (1 | 3 | 4 | 5, _) => return Err(DAMAGED),
            _ => {} // version, and fields a later app may add
        }
    }
    Ok(Imported {
        format: Format::Google,
        entries,
        batches: vec![batch],
    })
}

/// One `OtpParameters`; `None` if its bytes are not protobuf.
fn read_parameters(bytes: &[u8]) -> Option<Entry> {
    let mut reader = Reader::new(bytes);
    let (mut secret, mut name, mut issuer) = (Vec::new(), String::new(), String::new());
    let (mut algorithm, mut digits, mut kind, mut counter) = (0, 0, 0, 0);
    while let Some((number, value)) = reader.next_field().ok()? {
        match (number, value) {
            (1, Value::Bytes(b)) => secret = b.to_vec(),
            (2, Value::Bytes(b)) => name = String::from_utf8_lossy(b).into_owned(),
            (3, Value::Bytes(b)) => issuer = String::from_utf8_lossy(b).into_owned(),
            (4, Value::Varint(v)) => algorithm = v,
            (5, Value::Varint(v)) => digits = v,
            (6, Value::Varint(v)) => kind = v,
            (7, Value::Varint(v)) => counter = v,
            (1..=7, _) => return None,
            _ => {}
        }
    }
    // The name is "Issuer:account" or just the account.
    let account = match name.split_once(':') {
        Some((prefix, account)) if issuer.is_empty() || prefix.trim() == issuer.trim() => {
            if issuer.is_empty() {
                issuer = prefix.trim().to_string();
            }
            account.to_string()
        }
        _ => name.clone(),
    };
    let secret = Secret::from_bytes(secret);
    let otp = (|| {
        let algorithm = match algorithm {
            0 | 1 => "SHA1",
            2 => "SHA256",
            3 => "SHA512",
            4 => "MD5",
            n => {
                return Err(ImportError::BadField {
                    field: "algorithm",
                    detail: format!("unknown value {n}"),
                })
            }
        };
        let digits = match digits {
            0 | 1 => 6,
            2 => 8,
            n => {
                return Err(ImportError::BadField {
                    field: "digits",
                    detail: format!("unknown value {n}"),
                })
            }
        };
        let kind = match kind {
            1 => "hotp",
            2 => "totp",
            n => {
                return Err(ImportError::BadField {
                    field: "type",
                    detail: format!("unknown value {n}"),
                })
            }
        };
        Parts {
            kind,
            secret: Some(secret),
            secret_base32: "",
            algorithm,
            digits,
            period: crate::otp::DEFAULT_PERIOD,
            counter,
            issuer: &issuer,
            account: &account,
        }
        .build()
    })();
    Some(Entry::new(&issuer, &account, otp))
}
