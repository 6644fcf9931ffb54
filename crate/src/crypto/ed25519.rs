//! Ed25519 signatures (RFC 8032 §5.1).
//!
//! Verification is `verify_strict`: it rejects non-canonical S (RFC 8032 §5.1.7), and small-order
//! R and public keys, so a signature is unique and a weak key cannot sign everything. That is
//! stricter than RFC 8032's cofactorless check; it matches what Wycheproof marks valid.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use zeroize::Zeroizing;

use super::{random, CryptoError};

pub(crate) const SIGNATURE_LEN: usize = 64;

/// A private Ed25519 key (the 32-byte seed); zeroized on drop by `ed25519-dalek`.
pub(crate) struct Ed25519Secret(SigningKey);

impl Ed25519Secret {
    pub(crate) fn generate() -> Self {
        Ed25519Secret(SigningKey::from_bytes(&random::bytes::<32>()))
    }

    pub(crate) fn from_seed(seed: [u8; 32]) -> Self {
        Ed25519Secret(SigningKey::from_bytes(&seed))
    }

    pub(crate) fn to_seed(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    pub(crate) fn public(&self) -> [u8; 32] {
        self.0.verifying_key().to_bytes()
    }

    pub(crate) fn sign(&self, message: &[u8]) -> [u8; SIGNATURE_LEN] {
        self.0.sign(message).to_bytes()
    }
}

/// Checks `signature` over `message` under `public_key`, strictly (see the module docs).
pub(crate) fn verify(public_key: &[u8; 32], message: &[u8], signature: &[u8]) -> Result<(), CryptoError> {
    let key = VerifyingKey::from_bytes(public_key).map_err(|_| CryptoError::BadVerifyingKey)?;
    let signature: [u8; SIGNATURE_LEN] = signature.try_into().map_err(|_| CryptoError::BadSignature)?;
    key.verify_strict(message, &Signature::from_bytes(&signature))
        .map_err(|_| CryptoError::BadSignature)
}
