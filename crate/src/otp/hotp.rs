use super::Algorithm;

/// Steam Guard's 26-symbol alphabet (no vowels that could spell words, no look-alike digits).
pub const STEAM_ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";

/// HOTP (RFC 4226 §5.3): the `digits`-long decimal code for `counter`, leading zeros kept.
/// `digits` above 10 are clamped: the truncated value has at most 10 decimal digits.
pub fn hotp(key: &[u8], counter: u64, digits: u32, algorithm: Algorithm) -> String {
    decimal(algorithm.dynamic_truncate(key, &counter.to_be_bytes()), digits)
}

/// Steam Guard: the HOTP truncation of `counter` (SHA1) written as 5 symbols of [`STEAM_ALPHABET`].
pub fn steam_code(key: &[u8], counter: u64) -> String {
    steam(Algorithm::Sha1.dynamic_truncate(key, &counter.to_be_bytes()))
}

/// The last `digits` decimal digits of a truncated HMAC value, zero-padded.
pub(super) fn decimal(value: u32, digits: u32) -> String {
    let digits = digits.clamp(1, 10);
    let code = u64::from(value) % 10u64.pow(digits);
    format!("{code:0width$}", width = digits as usize)
}

/// A truncated HMAC value as Steam's 5 symbols, least significant first.
pub(super) fn steam(mut value: u32) -> String {
    let mut code = String::with_capacity(5);
    for _ in 0..5 {
        code.push(STEAM_ALPHABET[(value % 26) as usize] as char);
        value /= 26;
    }
    code
}
