//! Argon2id (RFC 9106, version 0x13) for turning a person's PIN or passphrase into a key: each guess
//! costs `memory_kib` KiB of memory filled `iterations` times, which is what makes a 6-digit PIN
//! cost hours rather than seconds to exhaust offline (docs/security.md, "The unlock PIN").
//!
//! The working memory holds values derived from the password (the tag is computed from its last
//! blocks), so it is allocated here and wiped before it is freed: the crate's own allocation is
//! freed without being wiped.

use argon2::{Algorithm, Argon2, Block, Params, Version};
use zeroize::Zeroizing;

use super::CryptoError;

/// Argon2id(password, salt) with `lanes` lanes, into 32 bytes. No secret key, no associated data.
pub(crate) fn argon2id(
    password: &[u8],
    salt: &[u8],
    memory_kib: u32,
    iterations: u32,
    lanes: u32,
) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
    argon2id_keyed(password, salt, &[], &[], memory_kib, iterations, lanes)
}

/// The whole function with RFC 9106's optional secret `K` and associated data `X`: for the RFC's
/// own test vector (`kat`); Latchkey passes neither.
pub(crate) fn argon2id_keyed(
    password: &[u8],
    salt: &[u8],
    secret: &[u8],
    associated: &[u8],
    memory_kib: u32,
    iterations: u32,
    lanes: u32,
) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
    let mut params = argon2::ParamsBuilder::new();
    params
        .m_cost(memory_kib)
        .t_cost(iterations)
        .p_cost(lanes)
        .output_len(32);
    if !associated.is_empty() {
        params.data(argon2::AssociatedData::new(associated).map_err(|_| CryptoError::KdfParams)?);
    }
    let params: Params = params.build().map_err(|_| CryptoError::KdfParams)?;
    let argon = if secret.is_empty() {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
    } else {
        Argon2::new_with_secret(secret, Algorithm::Argon2id, Version::V0x13, params.clone())
            .map_err(|_| CryptoError::KdfParams)?
    };
    let mut memory = Zeroizing::new(vec![Block::default(); params.block_count()]);
    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into_with_memory(password, salt, out.as_mut(), memory.as_mut_slice())
        .map_err(|_| CryptoError::KdfParams)?;
    Ok(out)
}
