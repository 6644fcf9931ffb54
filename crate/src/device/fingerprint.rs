//! The fingerprint phrase shown on both devices during approval: six words derived from the new
//! device's public keys and the user's e-mail. If the phrases match, the trusted device is about to
//! seal the user key to the device the person is holding, not to one the server substituted.
//!
//! Six words of 11 bits give 66 bits. To fool the comparison, an attacker who sees the real
//! phrase must find device keys whose phrase matches it: a second preimage of 66 bits of SHA-256,
//! about 2^66 key generations, far beyond the minutes an approval lasts.

use sha2::{Digest, Sha256};

use super::words;
use crate::vault::PublicKeys;

pub const PHRASE_WORDS: usize = 6;

/// The six words, in order.
pub fn fingerprint_words(email: &str, device: &PublicKeys) -> Vec<&'static str> {
    let email = email.trim().to_lowercase();
    let mut h = Sha256::new();
    h.update(b"latchkey fingerprint v1");
    h.update((email.len() as u32).to_be_bytes());
    h.update(email.as_bytes());
    h.update(device.to_bytes());
    let digest = h.finalize();
    let bits = u128::from_be_bytes(digest[..16].try_into().expect("16 bytes"));
    (0..PHRASE_WORDS)
        .map(|i| words::word((bits >> (128 - 11 * (i + 1))) as usize & 0x7ff))
        .collect()
}

/// The phrase as shown: six words separated by spaces.
pub fn fingerprint_phrase(email: &str, device: &PublicKeys) -> String {
    fingerprint_words(email, device).join(" ")
}
