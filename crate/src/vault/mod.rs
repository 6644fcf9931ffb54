//! The vault: keys, envelopes, items and the key store, as DESIGN.md's "Keys and envelopes" says.
//!
//! ```text
//! device keys (X25519+Ed25519) ◀─sealed── user key ──wraps──▶ user key pair (X25519+Ed25519)
//!                              Recovery Kit ─wraps─┘                    │
//!                                   member's user X25519 ◀─sealed── account key ──wraps──▶ content keys ──▶ items
//!                                                                        └──wraps──▶ inbox key pair ◀── SMS sealed by the server
//! ```
//!
//! Every ciphertext is an [`Envelope`] bound to a [`Context`]. Keys are typed ([`UserKey`],
//! [`AccountKey`], …), zeroize on drop, print redacted, and expose no bytes outside the crate; the
//! browser reaches them only through a [`KeyStore`] that names each key by what it is ([`KeySlot`]).
//!
//! Security caveats:
//! - Removing a member rotates the account key and re-wraps content keys, but item *contents* are
//!   not re-encrypted: a removed member who kept old content keys can still read the versions they
//!   could read before. Change the third-party password after removing someone; the new version
//!   gets a fresh content key under the new account key.
//! - Sealing (`crypto::seal`) does not authenticate the sender: whoever can write to the server can
//!   seal a forged account key to a member. Approvals are signed (`device::grant`); membership
//!   changes are trusted to the server in this version.
//! - Key ids are derived one-way from keys, so they are safe to show, but they let anyone holding
//!   two envelopes tell whether the same key encrypted both.

mod base64url;
#[doc(hidden)]
pub mod bench;
mod codec;
mod context;
mod copy;
mod email;
mod envelope;
mod error;
mod flat_json;
mod item;
mod key_id;
mod keys;
mod sealed_item;
mod sites;
mod sms;
mod store;
mod wrap;

pub use base64url::{decode as base64url_decode, encode as base64url_encode};
pub use context::{Context, ObjectType};
pub use copy::{CopyError, CopyPlace, OpenedCopy};
pub use email::Email;
pub use envelope::{Algorithm, Envelope, FORMAT_VERSION};
pub use error::VaultError;
pub use item::{Item, ItemBody, ItemKind, ItemSummary, MAX_SITES};
pub use key_id::KeyId;
pub(crate) use keys::KeyPair;
pub(crate) use keys::SecretBytes;
pub use keys::{
    AccountKey, ContentKey, DeviceKeys, InboxKeyPair, InboxPublicKey, PublicKeys, UserKey, UserKeyPair, WrappingKey,
};
pub use sealed_item::{Code, ItemPlace, SealedItem};
pub use sites::{account_sites, sites_item_id, AccountSites};
pub use sms::Sms;
pub use store::{AccountGeneration, KeySlot, KeyStore, NewAccount, NewUser};

pub(crate) fn codec_writer(format: u8) -> codec::Writer {
    codec::Writer::new(format)
}

pub(crate) fn codec_reader<'a>(
    bytes: &'a [u8],
    format: u8,
    what: &'static str,
) -> Result<codec::Reader<'a>, VaultError> {
    codec::Reader::new(bytes, format, what)
}
