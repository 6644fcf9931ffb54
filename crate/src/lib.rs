//! latchkey-core: Latchkey's domain logic as plain Rust.
//!
//! Everything here is natively testable; `wasm` is thin glue for the browser extension (two
//! modules, chosen by features: see `wasm`).
//! The core never reads the clock or the network: callers pass the time in.

// Automations: native (the server's jobs, `automation check`) and the on-demand import wasm only.
#[cfg(any(not(target_arch = "wasm32"), feature = "wasm-import"))]
pub mod automation;
// Backup codes beside a scanned QR code: native and the on-demand import wasm only.
#[cfg(any(not(target_arch = "wasm32"), feature = "wasm-import"))]
pub mod backup_codes;
pub(crate) mod case;
pub(crate) mod crypto;
pub mod device;
// E-mail reading: native (the server's `mail-code`, tests) and the on-demand messages wasm only.
// Left out of the other wasm builds, where even unused it changed the core's size.
#[cfg(any(not(target_arch = "wasm32"), feature = "wasm-messages"))]
pub mod mail;
// Imports and QR codes: native and the on-demand import wasm only (the always-loaded core must not
// grow with a QR decoder, scrypt and JSON readers).
#[cfg(any(not(target_arch = "wasm32"), feature = "wasm-import"))]
pub mod import;
pub mod otp;
pub mod pin;
#[cfg(any(not(target_arch = "wasm32"), feature = "wasm-import"))]
pub mod qr;
pub mod site;
pub mod sms;
pub mod vault;

#[cfg(feature = "wasm-glue")]
pub mod wasm;

/// The primitives, for the Wycheproof known-answer tests only (feature `kat`, on in tests).
#[cfg(feature = "kat")]
#[doc(hidden)]
pub mod kat {
    pub use crate::crypto::CryptoError;

    pub fn aes256gcm_seal(key: &[u8; 32], nonce: &[u8; 12], aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
        crate::crypto::aead::seal(key, nonce, aad, plaintext)
    }

    pub fn aes256gcm_open(key: &[u8; 32], nonce: &[u8; 12], aad: &[u8], ct: &[u8]) -> Result<Vec<u8>, CryptoError> {
        crate::crypto::aead::open(key, nonce, aad, ct)
    }

    pub fn hkdf_sha256(salt: &[u8], ikm: &[u8], info: &[u8], out: &mut [u8]) -> Result<(), CryptoError> {
        crate::crypto::hkdf::hkdf_sha256(salt, ikm, info, out)
    }

    /// Argon2id with RFC 9106's optional secret and associated data, for the RFC's test vector.
    pub fn argon2id(
        password: &[u8],
        salt: &[u8],
        secret: &[u8],
        associated: &[u8],
        (memory_kib, iterations, lanes): (u32, u32, u32),
    ) -> Result<[u8; 32], CryptoError> {
        crate::crypto::argon2id::argon2id_keyed(password, salt, secret, associated, memory_kib, iterations, lanes)
            .map(|k| *k)
    }

    /// The key id an envelope names for a symmetric key.
    pub fn key_id_of_secret(key: &[u8; 32]) -> crate::vault::KeyId {
        crate::vault::KeyId::of_secret(key)
    }

    pub fn ed25519_verify(public_key: &[u8; 32], message: &[u8], signature: &[u8]) -> Result<(), CryptoError> {
        crate::crypto::ed25519::verify(public_key, message, signature)
    }

    pub fn ed25519_sign(seed: [u8; 32], message: &[u8]) -> ([u8; 32], [u8; 64]) {
        let key = crate::crypto::ed25519::Ed25519Secret::from_seed(seed);
        (key.public(), key.sign(message))
    }

    /// Keys from fixed bytes, so the fixed-bytes tests can decrypt envelopes written long ago.
    pub fn user_key(bytes: [u8; 32]) -> crate::vault::UserKey {
        crate::vault::UserKey::from_bytes(bytes)
    }

    pub fn account_key(bytes: [u8; 32]) -> crate::vault::AccountKey {
        crate::vault::AccountKey::from_bytes(bytes)
    }

    pub fn device_keys(x25519: [u8; 32], ed25519_seed: [u8; 32]) -> crate::vault::DeviceKeys {
        crate::vault::DeviceKeys(key_pair(x25519, ed25519_seed))
    }

    pub fn user_key_pair(x25519: [u8; 32], ed25519_seed: [u8; 32]) -> crate::vault::UserKeyPair {
        crate::vault::UserKeyPair(key_pair(x25519, ed25519_seed))
    }

    fn key_pair(x25519: [u8; 32], ed25519_seed: [u8; 32]) -> crate::vault::KeyPair {
        let mut bytes = [0u8; 64];
        bytes[..32].copy_from_slice(&x25519);
        bytes[32..].copy_from_slice(&ed25519_seed);
        crate::vault::KeyPair::from_secret_bytes(&bytes).expect("64 bytes")
    }

    pub fn inbox_key_pair(x25519: [u8; 32]) -> crate::vault::InboxKeyPair {
        crate::vault::InboxKeyPair(crate::crypto::x25519::X25519Secret::from_bytes(x25519))
    }

    pub fn x25519(secret: [u8; 32], public: &[u8; 32]) -> Result<[u8; 32], CryptoError> {
        crate::crypto::x25519::X25519Secret::from_bytes(secret)
            .diffie_hellman(public)
            .map(|s| *s)
    }
}
