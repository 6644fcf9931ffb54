use super::Algorithm;

/// Steam Guard's 26-symbol alphabet (no vowels that could spell words, no look-alike digits).
pub const STEAM_ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";

/// HOTP (RFC 4226 §5.3): the `digits`-long decimal code for `counter`, leading zeros kept.
/// `digits` above 10 are clamped: the truncated value has at most 10 decimal digits.
pub fn hotp(key: &[u8], counter: u64, digits: u32, algorithm: Algorithm) -> String {
    let digits = digits.clamp(1, 10);
    let value = u64::from(algorithm.dynamic_truncate(key, &counter.to_be_bytes()));
    let code = value % 10u64.pow(digits);
    format!("{code:0width$}", width = digits as usize)
}

/// Steam Guard: the HOTP truncation of `counter` (SHA1) written as 5 symbols of [`STEAM_ALPHABET`].
pub fn steam_code(key: &[u8], counter: u64) -> String {
    let mut value = Algorithm::Sha1.dynamic_truncate(key, &counter.to_be_bytes());
    let mut code = String::with_capacity(5);
    for _ in 0..5 {
        code.push(STEAM_ALPHABET[(value % 26) as usize] as char);
        value /= 26;
    }
    code
}
