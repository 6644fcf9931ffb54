use hmac::{Hmac, KeyInit, Mac, SimpleHmac};

use super::OtpError;

/// The HMAC hash. SHA1 is what nearly every site uses; SHA256 and SHA512 appear in the Key URI
/// format; the rest are accepted because some authenticators export them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub enum Algorithm {
    #[default]
    #[serde(rename = "SHA1")]
    Sha1,
    #[serde(rename = "SHA224")]
    Sha224,
    #[serde(rename = "SHA256")]
    Sha256,
    #[serde(rename = "SHA384")]
    Sha384,
    #[serde(rename = "SHA512")]
    Sha512,
    #[serde(rename = "SHA3-224")]
    Sha3_224,
    #[serde(rename = "SHA3-256")]
    Sha3_256,
    #[serde(rename = "SHA3-384")]
    Sha3_384,
    #[serde(rename = "SHA3-512")]
    Sha3_512,
}

impl Algorithm {
    pub const ALL: [Algorithm; 9] = [
        Algorithm::Sha1,
        Algorithm::Sha224,
        Algorithm::Sha256,
        Algorithm::Sha384,
        Algorithm::Sha512,
        Algorithm::Sha3_224,
        Algorithm::Sha3_256,
        Algorithm::Sha3_384,
        Algorithm::Sha3_512,
    ];

    /// The name used in `otpauth://` URIs (`algorithm=SHA256`).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha224 => "SHA224",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha384 => "SHA384",
            Algorithm::Sha512 => "SHA512",
            Algorithm::Sha3_224 => "SHA3-224",
            Algorithm::Sha3_256 => "SHA3-256",
            Algorithm::Sha3_384 => "SHA3-384",
            Algorithm::Sha3_512 => "SHA3-512",
        }
    }

    /// Parses a URI or command-line name, ignoring case. `SHA-1` is refused, as the Key URI format
    /// spells it `SHA1` and peers disagree on the hyphenated form.
    pub fn parse(name: &str) -> Result<Self, OtpError> {
        Algorithm::ALL
            .into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| OtpError::UnknownAlgorithm(name.to_string()))
    }

    /// HMAC of `message` under `key`, truncated to the 4 bytes RFC 4226 §5.3 selects.
    pub(crate) fn dynamic_truncate(self, key: &[u8], message: &[u8]) -> u32 {
        self.keyed(key).dynamic_truncate(message)
    }

    /// The HMAC keyed once: its inner and outer hash states after the padded key, which every code
    /// of that key reuses (2 compression calls a code instead of 4).
    pub(crate) fn keyed(self, key: &[u8]) -> KeyedMac {
        fn new<M: KeyInit>(key: &[u8]) -> M {
            M::new_from_slice(key).expect("HMAC takes keys of any length")
        }
        match self {
            Algorithm::Sha1 => KeyedMac::Sha1(new(key)),
            Algorithm::Sha224 => KeyedMac::Sha224(new(key)),
            Algorithm::Sha256 => KeyedMac::Sha256(new(key)),
            Algorithm::Sha384 => KeyedMac::Sha384(new(key)),
            Algorithm::Sha512 => KeyedMac::Sha512(new(key)),
            Algorithm::Sha3_224 => KeyedMac::Sha3_224(new(key)),
            Algorithm::Sha3_256 => KeyedMac::Sha3_256(new(key)),
            Algorithm::Sha3_384 => KeyedMac::Sha3_384(new(key)),
            Algorithm::Sha3_512 => KeyedMac::Sha3_512(new(key)),
        }
    }
}

/// A keyed HMAC state. It is derived from the secret, so it is as secret as the key: the hash
/// crates' `zeroize` feature wipes it on drop, and it never leaves the crate.
#[derive(Clone)]
pub(crate) enum KeyedMac {
    Sha1(Hmac<sha1::Sha1>),
    Sha224(Hmac<sha2::Sha224>),
    Sha256(Hmac<sha2::Sha256>),
    Sha384(Hmac<sha2::Sha384>),
    Sha512(Hmac<sha2::Sha512>),
    Sha3_224(SimpleHmac<sha3::Sha3_224>),
    Sha3_256(SimpleHmac<sha3::Sha3_256>),
    Sha3_384(SimpleHmac<sha3::Sha3_384>),
    Sha3_512(SimpleHmac<sha3::Sha3_512>),
}

impl KeyedMac {
    /// RFC 4226 §5.3 dynamic truncation of the HMAC of `message`.
    pub(crate) fn dynamic_truncate(&self, message: &[u8]) -> u32 {
        fn run<M: Mac + Clone>(mac: &M, message: &[u8]) -> u32 {
            let mut mac = mac.clone();
            mac.update(message);
            let digest = mac.finalize().into_bytes();
            let offset = (digest[digest.len() - 1] & 0x0f) as usize;
            u32::from_be_bytes([
                digest[offset],
                digest[offset + 1],
                digest[offset + 2],
                digest[offset + 3],
            ]) & 0x7fff_ffff
        }
        match self {
            KeyedMac::Sha1(m) => run(m, message),
            KeyedMac::Sha224(m) => run(m, message),
            KeyedMac::Sha256(m) => run(m, message),
            KeyedMac::Sha384(m) => run(m, message),
            KeyedMac::Sha512(m) => run(m, message),
            KeyedMac::Sha3_224(m) => run(m, message),
            KeyedMac::Sha3_256(m) => run(m, message),
            KeyedMac::Sha3_384(m) => run(m, message),
            KeyedMac::Sha3_512(m) => run(m, message),
        }
    }
}

impl std::fmt::Display for Algorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
