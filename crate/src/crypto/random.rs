//! Randomness from the operating system, or `crypto.getRandomValues` in the browser (via
//! `getrandom`'s `wasm_js` backend). Nothing else in the core makes keys or nonces.

/// Fills `out` with random bytes.
///
/// Panics if the platform's generator fails: that is an unrecoverable environment fault (no
/// `crypto` object, a broken kernel), and continuing with predictable keys would be far worse.
pub(crate) fn fill(out: &mut [u8]) {
    getrandom::fill(out).expect("the system's secure random number generator failed");
}

/// `N` random bytes.
pub(crate) fn bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    fill(&mut out);
    out
}

/// A uniformly random `u32`.
pub(crate) fn u32() -> u32 {
    u32::from_le_bytes(bytes())
}
