//! HKDF with SHA-256 (RFC 5869): extract-then-expand, for turning shared secrets and high-entropy
//! secrets (the Recovery Kit's 128 bits) into keys. Not for passwords: those need Argon2id.

use hkdf::Hkdf;
use sha2::Sha256;

use super::CryptoError;

/// HKDF-SHA256(salt, ikm, info) into `out` (at most 255 × 32 bytes). An empty salt means 32 zero
/// bytes, as RFC 5869 §2.2 says.
pub(crate) fn hkdf_sha256(salt: &[u8], ikm: &[u8], info: &[u8], out: &mut [u8]) -> Result<(), CryptoError> {
    Hkdf::<Sha256>::new(Some(salt), ikm)
        .expand(info, out)
        .map_err(|_| CryptoError::KdfTooLong)
}

/// A 32-byte key from HKDF-SHA256; the lengths here can never fail.
pub(crate) fn derive_key(salt: &[u8], ikm: &[u8], info: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    hkdf_sha256(salt, ikm, info, &mut out).expect("32 bytes is within HKDF's limit");
    out
}
