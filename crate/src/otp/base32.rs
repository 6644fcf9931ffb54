//! Base32 (RFC 4648 §6) as people paste authenticator keys: upper or lower case, grouped with spaces
//! or dashes, with or without `=` padding, any length. Anything else is an error that names the
//! character and its 1-based position, because silently dropping a mistyped character would yield a
//! key that produces wrong codes.

use super::{OtpError, Secret};

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn value(c: char) -> Option<u8> {
    match c {
        'A'..='Z' => Some(c as u8 - b'A'),
        'a'..='z' => Some(c as u8 - b'a'),
        '2'..='7' => Some(c as u8 - b'2' + 26),
        _ => None,
    }
}

/// Separators people type or copy between groups of a key.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == '-' || c == '\u{200b}'
}

/// Decodes a pasted key. Trailing bits that do not fill a byte are dropped, as every authenticator does.
pub fn decode(input: &str) -> Result<Secret, OtpError> {
    let mut out = Vec::with_capacity(input.len() * 5 / 8);
    let (mut acc, mut nbits, mut seen_any, mut in_padding) = (0u32, 0u32, false, false);
    for (i, c) in input.chars().enumerate() {
        if is_separator(c) {
            continue;
        }
        if c == '=' {
            in_padding = true;
            continue;
        }
        let Some(v) = value(c) else {
            return Err(OtpError::InvalidSecretChar {
                found: c,
                position: i + 1,
            });
        };
        if in_padding {
            return Err(OtpError::DataAfterPadding {
                found: c,
                position: i + 1,
            });
        }
        seen_any = true;
        acc = (acc << 5) | u32::from(v);
        nbits += 5;
        if nbits >= 8 {
            nbits -= 8;
            out.push((acc >> nbits) as u8);
            acc &= (1 << nbits) - 1;
        }
    }
    match (seen_any, out.is_empty()) {
        (false, _) => Err(OtpError::EmptySecret),
        (true, true) => Err(OtpError::SecretTooShort),
        _ => Ok(Secret::from_bytes(out)),
    }
}

/// Encodes bytes as upper-case base32 without padding.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut acc, mut nbits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        nbits += 8;
        while nbits >= 5 {
            nbits -= 5;
            out.push(ALPHABET[((acc >> nbits) & 31) as usize] as char);
        }
        acc &= (1 << nbits) - 1;
    }
    if nbits > 0 {
        out.push(ALPHABET[((acc << (5 - nbits)) & 31) as usize] as char);
    }
    out
}
