use thiserror::Error;

use super::{KeyId, KeySlot, ObjectType};

/// Why a key, envelope or item was refused. Each message says what happened and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VaultError {
    #[error("the encrypted data is not valid base64url text: it was damaged when copied or stored")]
    NotBase64,
    #[error("the encrypted data is cut short ({0} bytes): it was damaged in storage or transit")]
    Truncated(usize),
    #[error("the encrypted data uses format version {0}, which this Latchkey cannot read: update it")]
    UnsupportedVersion(u8),
    #[error("the encrypted data uses algorithm {0}, which this Latchkey cannot read: update it")]
    UnsupportedAlgorithm(u8),
    #[error("the {what} uses encoding {format}, which this Latchkey cannot read: update it")]
    UnsupportedFormat { what: &'static str, format: u8 },
    #[error("this data was encrypted for key {found}, not with key {expected}: fetch the key it names")]
    WrongKey { expected: KeyId, found: KeyId },
    #[error("this data was sealed to a public key, not encrypted with a shared key (or the reverse)")]
    WrongAlgorithm,
    #[error("the {0} does not authenticate: it was altered, or it belongs to another item, account or version")]
    Tampered(ObjectType),
    #[error("a {expected} was expected here, not a {found}: the caller mixed up two kinds of object")]
    WrongObject { expected: ObjectType, found: ObjectType },
    #[error("the decrypted {0} is malformed: it was written by a buggy or newer Latchkey")]
    Malformed(&'static str),
    #[error("the public key is unusable (a low-order point): the server or the other device sent a bad key")]
    BadPublicKey,
    #[error("the item has no name: give it one")]
    EmptyName,
    #[error("the login has no username or password: fill in at least one")]
    EmptyLogin,
    #[error("the one-time password key is not usable: {0}")]
    BadOtp(String),
    #[error("the item has no one-time password: only TOTP items give codes")]
    NotTotp,
    #[error("name the site where this account signs in: its codes are filled only there")]
    NoSites,
    #[error("{0} sites is too many (at most 20): name the hosts where the account signs in")]
    TooManySites(usize),
    #[error("{0:?} is not a host name such as example.com (lower case, international names in their xn-- form)")]
    BadSite(String),
    #[error("the account's sites record is another kind of item: an owner must save its sites again")]
    NotSitesRecord,
    #[error("the account's sites record is listed twice: an owner must save its sites again")]
    SitesListedTwice,
    #[error("{0} is not open on this device: unlock Latchkey or sync the vault, then try again")]
    KeyNotOpen(KeySlot),
    #[error(
        "this device holds key generation {held} of account \"{account}\", not generation {asked}: \
         sync the vault, then try again"
    )]
    WrongGeneration { account: String, asked: u64, held: u64 },
    #[error("this key store already holds a device's keys: start a new store to make or open another device's")]
    DevicePresent,
    #[error("a TOTP key never leaves Latchkey: ask for the current code instead")]
    TotpKeyStays,
    #[error("a {kind} item has no secret field {field:?}: use \"password\", \"codes\" or \"text\"")]
    NoSecretField { kind: &'static str, field: String },
    #[error("the stored item names another {0} than the one the server lists it under: it was moved or altered, and is not used")]
    ItemMisplaced(&'static str),
}
