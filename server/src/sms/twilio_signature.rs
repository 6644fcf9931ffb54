//! `X-Twilio-Signature`, as Twilio documents it for webhooks
//! (<https://www.twilio.com/docs/usage/webhooks/webhooks-security>) and as its official libraries
//! compute it (the tests compare against the `twilio` Python package's `RequestValidator`):
//!
//! 1. Take the full URL Twilio requested, query string included, exactly as configured in Twilio.
//! 2. For a form POST, sort the parameters by name (byte order, case-sensitive) and append each name
//!    and then its value, no separators; a repeated name contributes its distinct values, sorted.
//!    Query-string parameters are *not* sorted in: they are signed as part of the URL.
//! 3. HMAC-SHA1 with the account's auth token as key; base64 (standard, padded).
//!
//! Twilio may sign the URL with or without its default port (`:443` / `:80`), so both forms are
//! accepted, as the official libraries do. Behind a proxy or load balancer the server cannot trust
//! its own view of the URL (scheme, host and port differ): the URL is rebuilt from the public base URL
//! configured for the server plus the request's path and query, see [`webhook_url`].
//!
//! JSON webhooks signed with `bodySHA256` are not handled: SMS webhooks are always forms.

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use subtle::ConstantTimeEq;
use thiserror::Error;

/// Twilio's signatures are base64 of 20 bytes: 28 characters. Anything much longer is not one.
const MAX_SIGNATURE_LEN: usize = 64;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("the request has no X-Twilio-Signature header: only Twilio may post to this webhook")]
    Missing,
    #[error(
        "the X-Twilio-Signature does not match: check that the server's public URL is exactly the webhook URL \
         configured in Twilio (scheme, host, port, path and query) and that the auth token is the account's current one"
    )]
    Mismatch,
    #[error("the public URL {0:?} is not an absolute http:// or https:// URL without user name or fragment")]
    BadPublicUrl(String),
}

/// Checks (and, for tests and the demo's simulated carrier, `latchkey-demo`, makes) Twilio webhook
/// signatures.
pub struct TwilioSignature {
    auth_token: zeroize::Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for TwilioSignature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TwilioSignature { auth_token: <redacted> }")
    }
}

impl TwilioSignature {
    pub fn new(auth_token: &str) -> Self {
        TwilioSignature {
            auth_token: zeroize::Zeroizing::new(auth_token.as_bytes().to_vec()),
        }
    }

    /// The signature Twilio sends for a POST of `params` to `url`, exactly as given (no port rewriting).
    pub fn sign(&self, url: &str, params: &[(String, String)]) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.mac(url, params))
    }

    /// Accepts `signature` if it signs `url` (with or without the default port) and `params`.
    /// The comparison is constant-time, on the raw MAC bytes.
    pub fn verify(
        &self,
        url: &str,
        params: &[(String, String)],
        signature: Option<&str>,
    ) -> Result<(), SignatureError> {
        let signature = signature.ok_or(SignatureError::Missing)?.trim();
        if signature.len() > MAX_SIGNATURE_LEN {
            return Err(SignatureError::Mismatch);
        }
        let Ok(given) = base64::engine::general_purpose::STANDARD.decode(signature) else {
            return Err(SignatureError::Mismatch);
        };
        let (with_port, without_port) = port_variants(url);
        // Both are computed and compared whatever the first result, so timing does not say which matched.
        let a = self.mac(&with_port, params).as_slice().ct_eq(&given);
        let b = self.mac(&without_port, params).as_slice().ct_eq(&given);
        if bool::from(a | b) {
            Ok(())
        } else {
            Err(SignatureError::Mismatch)
        }
    }

    fn mac(&self, url: &str, params: &[(String, String)]) -> Vec<u8> {
        let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(&self.auth_token).expect("HMAC takes keys of any length");
        mac.update(url.as_bytes());
        let mut sorted: Vec<(&str, &str)> = params.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        sorted.sort_unstable();
        sorted.dedup(); // a repeated name with a repeated value counts once, as in Twilio's libraries
        for (name, value) in sorted {
            mac.update(name.as_bytes());
            mac.update(value.as_bytes());
        }
        mac.finalize().into_bytes().to_vec()
    }
}

/// The URL Twilio requested: the configured public base URL (`https://sms.example.com` or
/// `https://example.com/latchkey`) followed by the request's path and query as received.
/// The base must be absolute http(s), without user info, query or fragment; a trailing `/` is dropped.
pub fn webhook_url(public_base: &str, path_and_query: &str) -> Result<String, SignatureError> {
    let bad = || SignatureError::BadPublicUrl(public_base.to_string());
    let rest = public_base
        .strip_prefix("https://")
        .or_else(|| public_base.strip_prefix("http://"))
        .ok_or_else(bad)?;
    let authority = rest.split('/').next().unwrap_or("");
    if authority.is_empty()
        || authority.contains('@')
        || rest.contains(['?', '#'])
        || rest.contains(char::is_whitespace)
    {
        return Err(bad());
    }
    Ok(format!("{}{}", public_base.trim_end_matches('/'), path_and_query))
}

/// `url` with its authority's port made explicit (`:443` for https, `:80` otherwise) and without it,
/// following the official libraries (which also leave the rest of the URL untouched).
fn port_variants(url: &str) -> (String, String) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_string(), url.to_string());
    };
    let split = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(split);
    // An IPv6 literal's colons are not a port separator: look for the port after any `]`.
    let host_end = authority.rfind(']').map_or(0, |i| i + 1);
    let (host, port) = match authority[host_end..].rfind(':') {
        Some(i) => (&authority[..host_end + i], Some(&authority[host_end + i + 1..])),
        None => (authority, None),
    };
    let default_port = if scheme.eq_ignore_ascii_case("https") {
        "443"
    } else {
        "80"
    };
    let with_port = format!(
        "{scheme}://{host}:{}{tail}",
        port.filter(|p| !p.is_empty()).unwrap_or(default_port)
    );
    let without_port = format!("{scheme}://{host}{tail}");
    (with_port, without_port)
}

#[cfg(test)]
mod tests;
