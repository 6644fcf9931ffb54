//! Key types. Every private or secret key zeroizes its bytes when dropped and prints only its id;
//! none has a public accessor for its bytes, so code outside the crate can use keys but not leak
//! them. Public keys print and serialize freely (base64url).

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::{base64url, KeyId, VaultError};
use crate::crypto::{ed25519::Ed25519Secret, random, x25519::X25519Secret};

/// A 256-bit symmetric key, wiped on drop, with its key id computed once (an HKDF per
/// envelope would otherwise cost a third of an item's decryption in wasm).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct SecretBytes {
    bytes: [u8; 32],
    #[zeroize(skip)]
    id: KeyId,
}

impl SecretBytes {
    pub(crate) fn new(bytes: [u8; 32]) -> Self {
        SecretBytes {
            id: KeyId::of_secret(&bytes),
            bytes,
        }
    }

    pub(crate) fn raw(&self) -> &[u8; 32] {
        &self.bytes
    }

    pub(crate) fn id(&self) -> KeyId {
        self.id
    }
}

macro_rules! symmetric_key {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(pub(crate) SecretBytes);

        impl $name {
            /// A fresh random 256-bit key.
            pub fn generate() -> Self {
                $name(SecretBytes::new(random::bytes()))
            }

            /// The key's id, as written in the envelopes it encrypts.
            pub fn key_id(&self) -> KeyId {
                self.0.id()
            }

            pub(crate) fn from_bytes(bytes: [u8; 32]) -> Self {
                $name(SecretBytes::new(bytes))
            }

            /// The raw bytes, to be encrypted under another key.
            pub(crate) fn bytes(&self) -> &[u8; 32] {
                self.0.raw()
            }

            /// The key, to encrypt or decrypt with.
            pub(crate) fn secret(&self) -> &SecretBytes {
                &self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!(stringify!($name), "({}, redacted)"), self.key_id())
            }
        }
    };
}

symmetric_key!(
    /// A user's 256-bit key: it protects the user's private keys; it is sealed to each trusted
    /// device and wrapped by the Recovery Kit.
    UserKey
);
symmetric_key!(
    /// The 256-bit key of one shared account (one generation of it): wraps the account's content
    /// keys and inbox key; sealed to each member.
    AccountKey
);
symmetric_key!(
    /// The fresh 256-bit key of one version of one item.
    ContentKey
);
symmetric_key!(
    /// Wraps the key store or device keys for storage in the extension (see docs/security.md).
    /// The only key whose bytes leave wasm, because JavaScript must put it in `chrome.storage`.
    WrappingKey
);

impl WrappingKey {
    /// The key as base64url, for `chrome.storage.session`. Deliberately the one raw-key export.
    pub fn to_text(&self) -> Zeroizing<String> {
        Zeroizing::new(base64url::encode(self.bytes()))
    }

    pub fn parse(text: &str) -> Result<Self, VaultError> {
        let bytes = Zeroizing::new(base64url::decode(text.trim()).ok_or(VaultError::NotBase64)?);
        let key: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| VaultError::Malformed("wrapping key"))?;
        Ok(WrappingKey::from_bytes(key))
    }
}

/// The public half of a device's or user's keys: X25519 for receiving sealed keys, Ed25519 for
/// verifying signatures. On the wire: base64url of the 64 bytes x25519 || ed25519.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKeys {
    pub x25519: [u8; 32],
    pub ed25519: [u8; 32],
}

impl PublicKeys {
    pub fn to_bytes(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        out[..32].copy_from_slice(&self.x25519);
        out[32..].copy_from_slice(&self.ed25519);
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VaultError> {
        if bytes.len() != 64 {
            return Err(VaultError::Malformed("public keys"));
        }
        Ok(PublicKeys {
            x25519: bytes[..32].try_into().expect("32 bytes"),
            ed25519: bytes[32..].try_into().expect("32 bytes"),
        })
    }

    pub fn to_text(&self) -> String {
        base64url::encode(&self.to_bytes())
    }

    pub fn parse(text: &str) -> Result<Self, VaultError> {
        Self::from_bytes(&base64url::decode(text.trim()).ok_or(VaultError::NotBase64)?)
    }

    /// The id of both keys together, naming a device or user in logs and lists.
    pub fn key_id(&self) -> KeyId {
        KeyId::of_public(&self.to_bytes())
    }
}

impl std::fmt::Debug for PublicKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKeys({})", self.to_text())
    }
}

impl serde::Serialize for PublicKeys {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_text())
    }
}

impl<'de> serde::Deserialize<'de> for PublicKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        PublicKeys::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// An X25519 + Ed25519 private key pair.
pub(crate) struct KeyPair {
    pub(crate) x25519: X25519Secret,
    pub(crate) ed25519: Ed25519Secret,
}

impl KeyPair {
    fn generate() -> Self {
        KeyPair {
            x25519: X25519Secret::generate(),
            ed25519: Ed25519Secret::generate(),
        }
    }

    fn public(&self) -> PublicKeys {
        PublicKeys {
            x25519: self.x25519.public(),
            ed25519: self.ed25519.public(),
        }
    }

    /// x25519 secret || ed25519 seed, for wrapping.
    pub(crate) fn to_secret_bytes(&self) -> Zeroizing<[u8; 64]> {
        let mut out = Zeroizing::new([0u8; 64]);
        out[..32].copy_from_slice(self.x25519.to_bytes().as_ref());
        out[32..].copy_from_slice(self.ed25519.to_seed().as_ref());
        out
    }

    pub(crate) fn from_secret_bytes(bytes: &[u8]) -> Result<Self, VaultError> {
        if bytes.len() != 64 {
            return Err(VaultError::Malformed("private keys"));
        }
        let mut x = Zeroizing::new([0u8; 32]);
        let mut e = Zeroizing::new([0u8; 32]);
        x.copy_from_slice(&bytes[..32]);
        e.copy_from_slice(&bytes[32..]);
        Ok(KeyPair {
            x25519: X25519Secret::from_bytes(*x),
            ed25519: Ed25519Secret::from_seed(*e),
        })
    }
}

macro_rules! key_pair {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub struct $name(pub(crate) KeyPair);

        impl $name {
            /// Fresh random X25519 and Ed25519 keys.
            pub fn generate() -> Self {
                $name(KeyPair::generate())
            }

            pub fn public(&self) -> PublicKeys {
                self.0.public()
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!(stringify!($name), "({}, private half redacted)"), self.public().key_id())
            }
        }
    };
}

key_pair!(
    /// One browser profile's keys: X25519 receives the user key, Ed25519 signs approvals.
    DeviceKeys
);
key_pair!(
    /// A user's keys: X25519 receives account keys; Ed25519 signs. Private half under the user key.
    UserKeyPair
);

/// The X25519 key pair to which the server seals an account's incoming SMS.
pub struct InboxKeyPair(pub(crate) X25519Secret);

/// The public half of an account's inbox key, which the server seals SMS to.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct InboxPublicKey(pub [u8; 32]);

impl InboxKeyPair {
    pub fn generate() -> Self {
        InboxKeyPair(X25519Secret::generate())
    }

    pub fn public(&self) -> InboxPublicKey {
        InboxPublicKey(self.0.public())
    }
}

impl std::fmt::Debug for InboxKeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "InboxKeyPair({}, private half redacted)", self.public().key_id())
    }
}

impl InboxPublicKey {
    pub fn to_text(&self) -> String {
        base64url::encode(&self.0)
    }

    pub fn parse(text: &str) -> Result<Self, VaultError> {
        let bytes = base64url::decode(text.trim()).ok_or(VaultError::NotBase64)?;
        Ok(InboxPublicKey(
            bytes
                .try_into()
                .map_err(|_| VaultError::Malformed("inbox public key"))?,
        ))
    }

    pub fn key_id(&self) -> KeyId {
        KeyId::of_public(&self.0)
    }
}

impl std::fmt::Debug for InboxPublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "InboxPublicKey({})", self.to_text())
    }
}

impl serde::Serialize for InboxPublicKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_text())
    }
}

impl<'de> serde::Deserialize<'de> for InboxPublicKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        InboxPublicKey::parse(&text).map_err(serde::de::Error::custom)
    }
}
