//! Encryption to a public key: ephemeral X25519, HKDF-SHA256, AES-256-GCM.
//!
//! The shape is HPKE's base mode (RFC 9180 §5.1) with DHKEM(X25519, HKDF-SHA256) (§4.1) and a
//! single message, simplified to one extract and one expand, and not wire-compatible with HPKE:
//!
//! ```text
//! enc          = X25519(e, 9)                              fresh ephemeral key pair (e, enc)
//! dh           = X25519(e, pkR)                            refused if all zero
//! prk          = HKDF-Extract(salt = "latchkey seal v1", ikm = dh)
//! key || nonce = HKDF-Expand(prk, info = "latchkey seal v1" || enc || pkR || info, 44)
//! ct || tag    = AES-256-GCM(key, nonce, aad, plaintext)
//! ```
//!
//! Binding `enc` and `pkR` into the KDF (HPKE's `kem_context`) ties the key to this sender
//! ephemeral and this recipient, so a ciphertext cannot be re-aimed at another recipient key.
//! The nonce is derived rather than random because each derived key encrypts exactly one message.
//! There is no sender authentication: anyone can seal to a public key. Authenticity comes from
//! where the ciphertext is fetched and from the signatures of the device module.

use zeroize::Zeroizing;

use super::x25519::X25519Secret;
use super::{aead, hkdf, CryptoError};

const LABEL: &[u8] = b"latchkey seal v1";
pub(crate) const ENC_LEN: usize = 32;

fn key_schedule(dh: &[u8; 32], enc: &[u8; 32], recipient: &[u8; 32], info: &[u8]) -> Zeroizing<[u8; 44]> {
    let mut full_info = Vec::with_capacity(LABEL.len() + 64 + info.len());
    full_info.extend_from_slice(LABEL);
    full_info.extend_from_slice(enc);
    full_info.extend_from_slice(recipient);
    full_info.extend_from_slice(info);
    let mut okm = Zeroizing::new([0u8; 44]);
    hkdf::hkdf_sha256(LABEL, dh, &full_info, okm.as_mut()).expect("44 bytes is within HKDF's limit");
    okm
}

fn split(okm: &[u8; 44]) -> (Zeroizing<[u8; 32]>, [u8; 12]) {
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(&okm[..32]);
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&okm[32..]);
    (key, nonce)
}

/// Encrypts to `recipient` with the caller's fresh `ephemeral` key (its public half is `enc`,
/// which the caller sends along); returns ciphertext || tag. `aad` is authenticated, not hidden.
/// The ephemeral key is consumed so it cannot be reused for a second message.
pub(crate) fn seal_with(
    ephemeral: X25519Secret,
    recipient: &[u8; 32],
    info: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let enc = ephemeral.public();
    let dh = ephemeral.diffie_hellman(recipient)?;
    let okm = key_schedule(&dh, &enc, recipient, info);
    let (key, nonce) = split(&okm);
    Ok(aead::seal(&key, &nonce, aad, plaintext))
}

/// Decrypts what [`seal`] made for `recipient`'s public key.
pub(crate) fn open(
    recipient: &X25519Secret,
    enc: &[u8; ENC_LEN],
    info: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let dh = recipient.diffie_hellman(enc)?;
    let okm = key_schedule(&dh, enc, &recipient.public(), info);
    let (key, nonce) = split(&okm);
    aead::open(&key, &nonce, aad, ciphertext)
}
