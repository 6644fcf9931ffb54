//! Crate-private cryptographic primitives ("hazmat"): nothing outside `latchkey-core` may call them.
//! Callers use [`crate::vault`]'s typed keys and envelopes, which bind every ciphertext to its context.
//!
//! Each primitive is a small function named after its specification:
//! - [`aead`]: AES-256-GCM (NIST SP 800-38D) with 96-bit nonces and 128-bit tags.
//! - [`hkdf`]: HKDF-SHA256 (RFC 5869).
//! - [`argon2id`]: Argon2id (RFC 9106), for keys from a person's PIN or passphrase.
//! - [`x25519`]: Diffie–Hellman on Curve25519 (RFC 7748).
//! - [`ed25519`]: EdDSA signatures (RFC 8032), verified strictly.
//! - [`seal`]: encryption to a public key, shaped like HPKE's base mode (RFC 9180) with
//!   DHKEM(X25519, HKDF-SHA256) and AES-256-GCM, though not wire-compatible with it.
//! - [`random`]: the operating system's (or browser's) random generator, via `getrandom`.
//!
//! Security caveats, read before changing anything here:
//! - AES-GCM fails catastrophically if a (key, nonce) pair repeats. Nonces here are 96 random bits,
//!   so each key must encrypt well under 2^32 messages (SP 800-38D §8.3); Latchkey's keys encrypt a
//!   handful each (a content key: one item version; a sealing key: one message).
//! - AES-GCM is not key-committing: a ciphertext can be built to decrypt under two chosen keys. The
//!   envelope binds a key id derived from the key into its associated data, which makes such a
//!   ciphertext require a 128-bit key-id collision as well.
//! - The `aes` crate uses AES-NI where the CPU has it and a constant-time bitsliced fallback
//!   elsewhere (wasm included); the curve code (`curve25519-dalek`) is constant-time.

pub(crate) mod aead;
pub(crate) mod argon2id;
pub(crate) mod ed25519;
pub(crate) mod hkdf;
pub(crate) mod random;
pub(crate) mod seal;
pub(crate) mod x25519;

use thiserror::Error;

/// Why a primitive refused its input. The vault turns these into errors that name the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum CryptoError {
    #[error("decryption failed: the key is wrong, or the data was changed or cut short")]
    Decrypt,
    #[error("the public key is not a usable X25519 key (it would give an all-zero shared secret)")]
    WeakPublicKey,
    #[error("the signature does not verify: it was forged, altered, or made by another key")]
    BadSignature,
    #[error("the Ed25519 public key is not a valid curve point")]
    BadVerifyingKey,
    #[error("HKDF cannot produce that many bytes (at most 8160 for SHA-256)")]
    KdfTooLong,
    #[error("the Argon2id parameters are out of range (memory, passes, lanes, salt or output size)")]
    KdfParams,
}
