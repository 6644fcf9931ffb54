//! The one binary envelope every encrypted object in Latchkey is stored in.
//!
//! ```text
//! offset  size  field
//! 0       1     format version: 1
//! 1       1     algorithm: 1 = AES-256-GCM under a symmetric key
//!                          2 = sealed to an X25519 public key (crate::crypto::seal)
//! 2       16    key id: of the symmetric key (alg 1) or of the recipient public key (alg 2)
//! 18      n     nonce: 12 random bytes (alg 1); the 32-byte ephemeral public key (alg 2)
//! 18+n    m+16  ciphertext || 128-bit GCM tag
//! ```
//!
//! The AEAD's associated data is the header (bytes 0..18+n) followed by the [`Context`], so the
//! version, algorithm, key id and nonce cannot be swapped, and the ciphertext cannot be moved to
//! another object. On the wire an envelope is base64url without padding. Format 1 must stay
//! readable forever: `tests/vault_fixed_bytes.rs` decrypts envelopes written when it was defined.

use zeroize::Zeroizing;

use super::{base64url, Context, KeyId, SecretBytes, VaultError};
use crate::crypto::{aead, random, seal, x25519::X25519Secret, CryptoError};

pub const FORMAT_VERSION: u8 = 1;
const HEADER: usize = 18;

/// How an envelope was encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Algorithm {
    /// AES-256-GCM with a random 96-bit nonce, under a symmetric key.
    Aes256Gcm = 1,
    /// Ephemeral X25519 + HKDF-SHA256 + AES-256-GCM to a recipient's public key.
    X25519Aes256Gcm = 2,
}

impl Algorithm {
    fn from_byte(b: u8) -> Result<Self, VaultError> {
        match b {
            1 => Ok(Algorithm::Aes256Gcm),
            2 => Ok(Algorithm::X25519Aes256Gcm),
            other => Err(VaultError::UnsupportedAlgorithm(other)),
        }
    }

    fn nonce_len(self) -> usize {
        match self {
            Algorithm::Aes256Gcm => aead::NONCE_LEN,
            Algorithm::X25519Aes256Gcm => seal::ENC_LEN,
        }
    }
}

/// A parsed envelope: its header is known to be well-formed, its contents are not yet trusted.
#[derive(Clone, PartialEq, Eq)]
pub struct Envelope {
    bytes: Vec<u8>,
}

impl Envelope {
    /// Checks the header and length; decryption checks the rest.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, VaultError> {
        if bytes.len() < 2 {
            return Err(VaultError::Truncated(bytes.len()));
        }
        if bytes[0] != FORMAT_VERSION {
            return Err(VaultError::UnsupportedVersion(bytes[0]));
        }
        let algorithm = Algorithm::from_byte(bytes[1])?;
        if bytes.len() < HEADER + algorithm.nonce_len() + aead::TAG_LEN {
            return Err(VaultError::Truncated(bytes.len()));
        }
        Ok(Envelope { bytes })
    }

    /// Reads the base64url text form.
    pub fn parse(text: &str) -> Result<Self, VaultError> {
        Self::from_bytes(base64url::decode(text.trim()).ok_or(VaultError::NotBase64)?)
    }

    /// The base64url text form (no padding).
    pub fn to_text(&self) -> String {
        base64url::encode(&self.bytes)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn algorithm(&self) -> Algorithm {
        Algorithm::from_byte(self.bytes[1]).expect("checked when parsed")
    }

    pub fn key_id(&self) -> KeyId {
        KeyId(self.bytes[2..HEADER].try_into().expect("checked when parsed"))
    }

    fn header_len(&self) -> usize {
        HEADER + self.algorithm().nonce_len()
    }

    fn nonce(&self) -> &[u8] {
        &self.bytes[HEADER..self.header_len()]
    }

    fn aad(&self, context: &Context) -> Vec<u8> {
        let mut aad = self.bytes[..self.header_len()].to_vec();
        aad.extend_from_slice(&context.encode());
        aad
    }

    fn check(&self, algorithm: Algorithm, key_id: KeyId) -> Result<(), VaultError> {
        if self.algorithm() != algorithm {
            return Err(VaultError::WrongAlgorithm);
        }
        if self.key_id() != key_id {
            return Err(VaultError::WrongKey {
                expected: key_id,
                found: self.key_id(),
            });
        }
        Ok(())
    }

    fn header(algorithm: Algorithm, key_id: KeyId, nonce: &[u8]) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(HEADER + nonce.len());
        bytes.extend_from_slice(&[FORMAT_VERSION, algorithm as u8]);
        bytes.extend_from_slice(&key_id.0);
        bytes.extend_from_slice(nonce);
        bytes
    }

    /// Encrypts under a symmetric key with a fresh random nonce.
    pub(crate) fn encrypt(key: &SecretBytes, context: &Context, plaintext: &[u8]) -> Envelope {
        let nonce = random::bytes::<{ aead::NONCE_LEN }>();
        Self::encrypt_with_nonce(key, &nonce, context, plaintext)
    }

    /// The encryption itself, under a nonce the caller guarantees is never reused with this key.
    pub(crate) fn encrypt_with_nonce(
        key: &SecretBytes,
        nonce: &[u8; aead::NONCE_LEN],
        context: &Context,
        plaintext: &[u8],
    ) -> Envelope {
        let mut envelope = Envelope {
            bytes: Self::header(Algorithm::Aes256Gcm, key.id(), nonce),
        };
        let ciphertext = aead::seal(key.raw(), nonce, &envelope.aad(context), plaintext);
        envelope.bytes.extend_from_slice(&ciphertext);
        envelope
    }

    /// Decrypts with a symmetric key; the plaintext is zeroized when dropped.
    pub(crate) fn decrypt(&self, key: &SecretBytes, context: &Context) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        self.check(Algorithm::Aes256Gcm, key.id())?;
        let nonce: [u8; aead::NONCE_LEN] = self.nonce().try_into().expect("length checked when parsed");
        aead::open(key.raw(), &nonce, &self.aad(context), &self.bytes[self.header_len()..])
            .map(Zeroizing::new)
            .map_err(|_| VaultError::Tampered(context.object()))
    }

    /// Seals to an X25519 public key with a fresh ephemeral key.
    pub(crate) fn seal(recipient: &[u8; 32], context: &Context, plaintext: &[u8]) -> Result<Envelope, VaultError> {
        let ephemeral = X25519Secret::generate();
        Self::seal_with_ephemeral(ephemeral, recipient, context, plaintext)
    }

    pub(crate) fn seal_with_ephemeral(
        ephemeral: X25519Secret,
        recipient: &[u8; 32],
        context: &Context,
        plaintext: &[u8],
    ) -> Result<Envelope, VaultError> {
        let enc = ephemeral.public();
        let mut envelope = Envelope {
            bytes: Self::header(Algorithm::X25519Aes256Gcm, KeyId::of_public(recipient), &enc),
        };
        let aad = envelope.aad(context);
        let ciphertext = seal::seal_with(ephemeral, recipient, b"", &aad, plaintext).map_err(|e| match e {
            CryptoError::WeakPublicKey => VaultError::BadPublicKey,
            _ => VaultError::Tampered(context.object()),
        })?;
        envelope.bytes.extend_from_slice(&ciphertext);
        Ok(envelope)
    }

    /// Opens an envelope sealed to `recipient`'s public key.
    pub(crate) fn open(&self, recipient: &X25519Secret, context: &Context) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        self.check(Algorithm::X25519Aes256Gcm, KeyId::of_public(&recipient.public()))?;
        let enc: [u8; seal::ENC_LEN] = self.nonce().try_into().expect("length checked when parsed");
        seal::open(
            recipient,
            &enc,
            b"",
            &self.aad(context),
            &self.bytes[self.header_len()..],
        )
        .map(Zeroizing::new)
        .map_err(|_| VaultError::Tampered(context.object()))
    }
}

impl std::fmt::Debug for Envelope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Envelope({:?}, key {}, {} bytes)",
            self.algorithm(),
            self.key_id(),
            self.bytes.len()
        )
    }
}

impl std::fmt::Display for Envelope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_text())
    }
}

impl serde::Serialize for Envelope {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_text())
    }
}

impl<'de> serde::Deserialize<'de> for Envelope {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Envelope::parse(&text).map_err(serde::de::Error::custom)
    }
}
