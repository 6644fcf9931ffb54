//! AES-256-GCM (NIST SP 800-38D) with a 96-bit nonce and a 128-bit tag appended to the ciphertext.
//!
//! Only 96-bit nonces are accepted: other lengths go through GHASH first and are where GCM's
//! implementation bugs live (Wycheproof's LongIv/SmallIv notes). Callers guarantee nonce uniqueness.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};

use super::CryptoError;

pub(crate) const KEY_LEN: usize = 32;
pub(crate) const NONCE_LEN: usize = 12;
pub(crate) const TAG_LEN: usize = 16;

fn cipher(key: &[u8; KEY_LEN]) -> Aes256Gcm {
    Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key))
}

/// Encrypts `plaintext`, authenticating `aad` too; returns ciphertext || tag.
pub(crate) fn seal(key: &[u8; KEY_LEN], nonce: &[u8; NONCE_LEN], aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    cipher(key)
        .encrypt(&Nonce::from(*nonce), Payload { msg: plaintext, aad })
        // Only inputs over 64 GiB fail, which nothing in Latchkey comes near.
        .expect("AES-GCM input within its length limits")
}

/// Decrypts ciphertext || tag; fails without revealing any plaintext if anything was altered.
pub(crate) fn open(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    ciphertext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    if ciphertext.len() < TAG_LEN {
        return Err(CryptoError::Decrypt);
    }
    cipher(key)
        .decrypt(&Nonce::from(*nonce), Payload { msg: ciphertext, aad })
        .map_err(|_| CryptoError::Decrypt)
}
