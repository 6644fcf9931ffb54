use crate::crypto::hkdf;

/// A 128-bit identifier of a key, derived from it (one-way), stored in every envelope header.
///
/// It tells the reader which key to use and, being in the associated data, makes a ciphertext
/// that decrypts under two keys (AES-GCM is not key-committing) need a key-id collision too.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; 16]);

impl KeyId {
    /// The id of a symmetric key: HKDF-SHA256 under a fixed label, so it reveals nothing of the key.
    pub(crate) fn of_secret(key: &[u8; 32]) -> KeyId {
        Self::derive(b"latchkey key id v1", key)
    }

    /// The id of an X25519 public key (for envelopes sealed to it) or of a public key set.
    pub(crate) fn of_public(public: &[u8]) -> KeyId {
        Self::derive(b"latchkey public key id v1", public)
    }

    fn derive(label: &[u8], ikm: &[u8]) -> KeyId {
        let full = hkdf::derive_key(label, ikm, b"");
        let mut id = [0u8; 16];
        id.copy_from_slice(&full[..16]);
        KeyId(id)
    }

    /// Lower-case hex, as logs and the server show it.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl std::fmt::Display for KeyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl std::fmt::Debug for KeyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyId({})", self.to_hex())
    }
}
