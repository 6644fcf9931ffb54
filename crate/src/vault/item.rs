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
    /// Where the account's codes (TOTP and SMS) may be filled: the account's sites record
    /// (`vault::sites`), normalised hosts, matched by registrable domain and sign-in group.
    Sites { sites: Vec<String> },
}

/// What an item is, without its contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Login = 1,
    Totp = 2,
    BackupCodes = 3,
    Note = 4,
    Sites = 5,
}

impl ItemKind {
    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Login => "login",
            ItemKind::Totp => "totp",
            ItemKind::BackupCodes => "backupCodes",
            ItemKind::Note => "note",
            ItemKind::Sites => "sites",
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

    /// An account's sites record: each site as a person typed it (`example.com`,
    /// `https://login.example.com/x`), kept as its normalised host, duplicates dropped.
    pub fn sites(name: &str, sites: &[&str]) -> Result<Self, VaultError> {
        let mut hosts: Vec<String> = Vec::new();
        for site in sites {
            let host = crate::site::host_from_input(site).map_err(|_| VaultError::BadSite(site.to_string()))?;
            if !hosts.contains(&host) {
                hosts.push(host);
            }
        }
        let item = Item {
            name: name.to_string(),
            body: ItemBody::Sites { sites: hosts },
        };
        item.validate()?;
        Ok(item)
    }

    pub fn kind(&self) -> ItemKind {
        match self.body {
            ItemBody::Login { .. } => ItemKind::Login,
            ItemBody::Totp { .. } => ItemKind::Totp,
            ItemBody::BackupCodes { .. } => ItemKind::BackupCodes,
            ItemBody::Note { .. } => ItemKind::Note,
            ItemBody::Sites { .. } => ItemKind::Sites,
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
            ItemBody::Sites { sites } => check_sites(sites),
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
            ItemBody::Sites { sites } => {
                for s in sites {
                    w.str(SITE, s);
                }
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
            Some(5) => ItemBody::Sites { sites },
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

impl Item {
    /// The one secret field a person asked to see, copy or fill: `"password"` of a login (it must
    /// reach a login form or the clipboard), `"codes"` of backup codes (one per line), `"text"` of
    /// a note. Nothing else is ever revealed: a TOTP key never leaves the core, whatever field is
    /// asked (its codes suffice), and a sites record holds nothing secret.
    pub fn reveal(&self, field: &str) -> Result<zeroize::Zeroizing<String>, VaultError> {
        let value = match (&self.body, field) {
            (ItemBody::Totp { .. }, _) => return Err(VaultError::TotpKeyStays),
            (ItemBody::Login { password, .. }, "password") => password.clone(),
            (ItemBody::BackupCodes { codes }, "codes") => codes.join("\n"),
            (ItemBody::Note { text }, "text") => text.clone(),
            _ => {
                return Err(VaultError::NoSecretField {
                    kind: self.kind().name(),
                    field: field.chars().take(40).collect(),
                })
            }
        };
        Ok(zeroize::Zeroizing::new(value))
    }
}

/// The most sites one account may name: a sign-in lives on a handful of hosts, and a long list is
/// more likely a mistake (or an attempt to widen where codes go) than a need.
pub const MAX_SITES: usize = 20;

/// A sites record names 1 to [`MAX_SITES`] hosts, each already in normalised form.
fn check_sites(sites: &[String]) -> Result<(), VaultError> {
    if sites.is_empty() {
        return Err(VaultError::NoSites);
    }
    if sites.len() > MAX_SITES {
        return Err(VaultError::TooManySites(sites.len()));
    }
    match sites
        .iter()
        .find(|s| crate::site::host_from_input(s).ok().as_ref() != Some(*s))
    {
        Some(site) => Err(VaultError::BadSite(site.clone())),
        None => Ok(()),
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
            ItemBody::Sites { sites } => s.sites = sites.clone(),
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sites record's plaintext, byte for byte (docs/vault.md): format 1, kind 5, the name,
    /// one tag-5 field per site; it decodes back to itself.
    #[test]
    fn sites_record_bytes() {
        let item = Item::sites("N", &["a.io", "b.io"]).unwrap();
        let bytes = item.encode();
        assert_eq!(
            bytes.as_slice(),
            &[1, 1, 1, 5, 2, 1, b'N', 5, 4, b'a', b'.', b'i', b'o', 5, 4, b'b', b'.', b'i', b'o']
        );
        assert_eq!(Item::decode(&bytes).unwrap(), item);
    }
}
