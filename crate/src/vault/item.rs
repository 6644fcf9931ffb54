//! Vault items: what a shared account holds (a login, a TOTP key, backup codes, notes), and their
//! compact encoding (see `codec`). Items are plain values here; `sealed_item` encrypts them.

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::codec::{Reader, Writer};
use super::VaultError;
use crate::otp::Otp;

/// One item version's contents. Secret fields are wiped on drop; `Debug` prints none of them.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Item {
    /// What people see in lists ("Instagram (brand)"): not secret, but still encrypted.
    pub name: String,
    pub body: ItemBody,
}

#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub enum ItemBody {
    /// Username and password for the sites listed (registrable domains or URLs as typed).
    Login {
        username: String,
        password: String,
        sites: Vec<String>,
    },
    /// A TOTP/HOTP/Steam key, stored as its canonical `otpauth://` URI.
    Totp { otp: String },
    /// Single-use backup or recovery codes the site issued.
    BackupCodes { codes: Vec<String> },
    /// Free text.
    Note { text: String },
}

/// What an item is, without its contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Login = 1,
    Totp = 2,
    BackupCodes = 3,
    Note = 4,
}

impl ItemKind {
    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Login => "login",
            ItemKind::Totp => "totp",
            ItemKind::BackupCodes => "backupCodes",
            ItemKind::Note => "note",
        }
    }
}

// Field tags of encoding 1; never reuse or renumber.
const FORMAT: u8 = 1;
const KIND: u8 = 1;
const NAME: u8 = 2;
const USERNAME: u8 = 3;
const PASSWORD: u8 = 4;
const SITE: u8 = 5;
const OTP: u8 = 6;
const BACKUP_CODE: u8 = 7;
const NOTE: u8 = 8;

impl Item {
    pub fn login(name: &str, username: &str, password: &str, sites: &[&str]) -> Self {
        Item {
            name: name.to_string(),
            body: ItemBody::Login {
                username: username.to_string(),
                password: password.to_string(),
                sites: sites.iter().map(|s| s.to_string()).collect(),
            },
        }
    }

    /// A TOTP item from a base32 key or an `otpauth://` URI; stored in canonical URI form.
    pub fn totp(name: &str, key_or_uri: &str) -> Result<Self, VaultError> {
        let otp = Otp::parse(key_or_uri).map_err(|e| VaultError::BadOtp(e.to_string()))?;
        Ok(Item {
            name: name.to_string(),
            body: ItemBody::Totp { otp: otp.to_uri() },
        })
    }

    pub fn backup_codes(name: &str, codes: &[&str]) -> Self {
        Item {
            name: name.to_string(),
            body: ItemBody::BackupCodes {
                codes: codes.iter().map(|s| s.to_string()).collect(),
            },
        }
    }

    pub fn note(name: &str, text: &str) -> Self {
        Item {
            name: name.to_string(),
            body: ItemBody::Note { text: text.to_string() },
        }
    }

    pub fn kind(&self) -> ItemKind {
        match self.body {
            ItemBody::Login { .. } => ItemKind::Login,
            ItemBody::Totp { .. } => ItemKind::Totp,
            ItemBody::BackupCodes { .. } => ItemKind::BackupCodes,
            ItemBody::Note { .. } => ItemKind::Note,
        }
    }

    /// Checks what a person entered before it is encrypted.
    pub fn validate(&self) -> Result<(), VaultError> {
        if self.name.trim().is_empty() {
            return Err(VaultError::EmptyName);
        }
        match &self.body {
            ItemBody::Login { username, password, .. } if username.is_empty() && password.is_empty() => {
                Err(VaultError::EmptyLogin)
            }
            ItemBody::Totp { otp } => self::parse_otp(otp).map(|_| ()),
            _ => Ok(()),
        }
    }

    /// The parsed one-time-password entry of a TOTP item.
    pub fn otp(&self) -> Result<Otp, VaultError> {
        match &self.body {
            ItemBody::Totp { otp } => parse_otp(otp),
            _ => Err(VaultError::NotTotp),
        }
    }

    /// Encoding 1: a format byte, then tagged fields (see `codec`).
    pub(crate) fn encode(&self) -> zeroize::Zeroizing<Vec<u8>> {
        let mut w = Writer::new(FORMAT);
        w.bytes(KIND, &[self.kind() as u8]).str(NAME, &self.name);
        match &self.body {
            ItemBody::Login {
                username,
                password,
                sites,
            } => {
                w.str(USERNAME, username).str(PASSWORD, password);
                for s in sites {
                    w.str(SITE, s);
                }
            }
            ItemBody::Totp { otp } => {
                w.str(OTP, otp);
            }
            ItemBody::BackupCodes { codes } => {
                for c in codes {
                    w.str(BACKUP_CODE, c);
                }
            }
            ItemBody::Note { text } => {
                w.str(NOTE, text);
            }
        }
        zeroize::Zeroizing::new(std::mem::take(&mut w.out))
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<Self, VaultError> {
        let mut r = Reader::new(bytes, FORMAT, "vault item")?;
        let (mut kind, mut name, mut username, mut password, mut otp, mut note) = (None, None, None, None, None, None);
        let (mut sites, mut codes) = (Vec::new(), Vec::new());
        while let Some((tag, value)) = r.next_field()? {
            match tag {
                KIND => kind = value.first().copied(),
                NAME => name = Some(r.str(value)?.to_string()),
                USERNAME => username = Some(r.str(value)?.to_string()),
                PASSWORD => password = Some(r.str(value)?.to_string()),
                SITE => sites.push(r.str(value)?.to_string()),
                OTP => otp = Some(r.str(value)?.to_string()),
                BACKUP_CODE => codes.push(r.str(value)?.to_string()),
                NOTE => note = Some(r.str(value)?.to_string()),
                _ => {} // a field from a later version: skip it
            }
        }
        let body = match kind {
            Some(1) => ItemBody::Login {
                username: username.unwrap_or_default(),
                password: password.unwrap_or_default(),
                sites,
            },
            Some(2) => ItemBody::Totp {
                otp: otp.ok_or_else(|| r.malformed())?,
            },
            Some(3) => ItemBody::BackupCodes { codes },
            Some(4) => ItemBody::Note {
                text: note.unwrap_or_default(),
            },
            Some(k) => {
                return Err(VaultError::UnsupportedFormat {
                    what: "item kind",
                    format: k,
                })
            }
            None => return Err(r.malformed()),
        };
        Ok(Item {
            name: name.ok_or_else(|| r.malformed())?,
            body,
        })
    }
}

fn parse_otp(uri: &str) -> Result<Otp, VaultError> {
    Otp::parse(uri).map_err(|e| VaultError::BadOtp(e.to_string()))
}

impl std::fmt::Debug for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Item({} {:?}, contents redacted)", self.kind().name(), self.name)
    }
}

/// The fields of an item that may be shown in lists and handed to JavaScript: never a password,
/// a one-time-password key, a backup code or a note.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemSummary {
    pub kind: &'static str,
    pub name: String,
    pub username: Option<String>,
    pub sites: Vec<String>,
    /// TOTP: the service and the account at it, from the key's label.
    pub issuer: Option<String>,
    pub label: Option<String>,
    /// Backup codes: how many are stored (not the codes).
    pub code_count: Option<usize>,
}

impl Item {
    pub fn summary(&self) -> ItemSummary {
        let mut s = ItemSummary {
            kind: self.kind().name(),
            name: self.name.clone(),
            username: None,
            sites: Vec::new(),
            issuer: None,
            label: None,
            code_count: None,
        };
        match &self.body {
            ItemBody::Login { username, sites, .. } => {
                s.username = Some(username.clone());
                s.sites = sites.clone();
            }
            ItemBody::Totp { .. } => {
                if let Ok(otp) = self.otp() {
                    s.issuer = otp.issuer.clone();
                    s.label = otp.account.clone();
                }
            }
            ItemBody::BackupCodes { codes } => s.code_count = Some(codes.len()),
            ItemBody::Note { .. } => {}
        }
        s
    }
}
