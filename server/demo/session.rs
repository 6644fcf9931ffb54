//! The session cookie and the random tokens behind sessions, CSRF fields and keys.

use axum::http::{header, HeaderMap, HeaderValue};

pub const COOKIE: &str = "northwind_session";

/// Token length in bytes: 256 bits, written as 64 hex digits.
const TOKEN_BYTES: usize = 32;

/// `N` bytes from the operating system's CSPRNG.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // Failing here means the OS has no entropy source; no session could be safe, so stop loudly.
    getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
    bytes
}

/// A fresh 256-bit token as lower-case hex.
pub fn random_token() -> String {
    random_bytes::<TOKEN_BYTES>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The session token from the request's cookies, if one is well formed.
pub fn token_from(headers: &HeaderMap) -> Option<String> {
    let well_formed = |v: &&str| v.len() == TOKEN_BYTES * 2 && v.bytes().all(|b| b.is_ascii_hexdigit());
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == COOKIE && well_formed(value))
        .map(|(_, value)| value.to_ascii_lowercase())
}

/// `Set-Cookie` for `token`: HttpOnly so page scripts cannot read it, SameSite=Lax so other sites'
/// forms do not carry it. Not `Secure`: the demo is served over plain HTTP on loopback.
pub fn set_cookie(token: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("{COOKIE}={token}; Path=/demo; HttpOnly; SameSite=Lax"))
        .expect("a hex token is a valid header value")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_a_well_formed_token() {
        let token = random_token();
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("other=1; northwind_session=nothex"),
        );
        assert_eq!(token_from(&headers), None);
        headers.append(
            header::COOKIE,
            HeaderValue::from_str(&format!("a=b; {COOKIE}={token}")).unwrap(),
        );
        assert_eq!(token_from(&headers), Some(token));
    }

    #[test]
    fn tokens_are_distinct_256_bit_hex() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
