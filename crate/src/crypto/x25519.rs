//! X25519 Diffie–Hellman (RFC 7748 §5, §6.1).
//!
//! Shared secrets that come out all zero (the peer sent a low-order point) are refused, as
//! RFC 7748 §6.1 allows and HPKE's DHKEM requires (RFC 9180 §7.1.4): such a "secret" is public.

use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use super::{random, CryptoError};

/// A private X25519 scalar (zeroized on drop by `x25519-dalek`) and its public key, computed
/// once: without precomputed tables a base-point multiplication costs as much as an agreement.
pub(crate) struct X25519Secret {
    secret: StaticSecret,
    public: [u8; 32],
}

impl X25519Secret {
    pub(crate) fn generate() -> Self {
        Self::from_bytes(random::bytes::<32>())
    }

    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Self {
        let secret = StaticSecret::from(bytes);
        let public = PublicKey::from(&secret).to_bytes();
        X25519Secret { secret, public }
    }

    pub(crate) fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.secret.to_bytes())
    }

    pub(crate) fn public(&self) -> [u8; 32] {
        self.public
    }

    /// X25519(self, their_public), refusing a non-contributory (all-zero) result.
    pub(crate) fn diffie_hellman(&self, their_public: &[u8; 32]) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
        let shared = self.secret.diffie_hellman(&PublicKey::from(*their_public));
        if !shared.was_contributory() {
            return Err(CryptoError::WeakPublicKey);
        }
        Ok(Zeroizing::new(shared.to_bytes()))
    }
}
