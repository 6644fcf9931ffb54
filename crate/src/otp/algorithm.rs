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
        fn run<M: Mac + KeyInit>(key: &[u8], message: &[u8]) -> u32 {
            let mut mac = <M as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
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
            Algorithm::Sha1 => run::<Hmac<sha1::Sha1>>(key, message),
            Algorithm::Sha224 => run::<Hmac<sha2::Sha224>>(key, message),
            Algorithm::Sha256 => run::<Hmac<sha2::Sha256>>(key, message),
            Algorithm::Sha384 => run::<Hmac<sha2::Sha384>>(key, message),
            Algorithm::Sha512 => run::<Hmac<sha2::Sha512>>(key, message),
            Algorithm::Sha3_224 => run::<SimpleHmac<sha3::Sha3_224>>(key, message),
            Algorithm::Sha3_256 => run::<SimpleHmac<sha3::Sha3_256>>(key, message),
            Algorithm::Sha3_384 => run::<SimpleHmac<sha3::Sha3_384>>(key, message),
            Algorithm::Sha3_512 => run::<SimpleHmac<sha3::Sha3_512>>(key, message),
        }
    }
}

impl std::fmt::Display for Algorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
