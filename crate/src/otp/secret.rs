use zeroize::{Zeroize, ZeroizeOnDrop};

/// The shared key behind an authenticator entry. Zeroized on drop, redacted when printed.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Wraps raw key bytes (not base32: see [`crate::otp::base32::decode`]).
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Secret(bytes)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Key length in bits; real keys are often 80, the RFCs recommend 160.
    pub fn bits(&self) -> usize {
        self.0.len() * 8
    }

    /// Canonical base32 (upper case, no padding), as authenticator apps display it.
    pub fn to_base32(&self) -> String {
        super::base32::encode(&self.0)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret([redacted; {} bytes])", self.0.len())
    }
}
