//! Where an envelope belongs. The context is bound into every envelope as associated data, so a
//! ciphertext copied to another object, workspace, account, item or version fails to decrypt.
//!
//! The context has the same five fields for every object; what `account` and `item` hold depends on
//! the object, as the constructors say. Type bytes and field order are part of the stored format:
//! never renumber them.

/// What an envelope holds. The byte value is written into every envelope's associated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ObjectType {
    /// A user key sealed to one device's X25519 key.
    UserKeyForDevice = 1,
    /// A user's private keys (X25519 + Ed25519), encrypted under the user key.
    UserKeyPair = 2,
    /// A user key wrapped by the key derived from the user's Recovery Kit.
    UserKeyRecovery = 3,
    /// An account key sealed to one member's user X25519 key.
    AccountKeyForMember = 4,
    /// An account's inbox private key, encrypted under the account key.
    InboxKeyPair = 5,
    /// A content key wrapped by the account key.
    ContentKey = 6,
    /// One version of one vault item, encrypted under its content key.
    Item = 7,
    /// An SMS sealed by the server to an account's inbox key.
    Sms = 8,
    /// The wasm key store, wrapped under a session key to survive service-worker restarts.
    KeyStore = 9,
    /// A device's private keys at rest in extension storage.
    DeviceKeys = 10,
    /// A device's private keys at rest under the key derived from the unlock PIN.
    PinLockedDeviceKeys = 11,
    /// A raw e-mail sealed by the server to an account's inbox key.
    Email = 12,
    /// The offline copy of the vault, under a key derived from the device's private keys.
    VaultCopy = 13,
}

impl ObjectType {
    pub fn name(self) -> &'static str {
        match self {
            ObjectType::UserKeyForDevice => "user key sealed to a device",
            ObjectType::UserKeyPair => "user key pair",
            ObjectType::UserKeyRecovery => "user key wrapped by a Recovery Kit",
            ObjectType::AccountKeyForMember => "account key sealed to a member",
            ObjectType::InboxKeyPair => "account inbox key",
            ObjectType::ContentKey => "content key",
            ObjectType::Item => "vault item",
            ObjectType::Sms => "SMS",
            ObjectType::KeyStore => "saved key store",
            ObjectType::DeviceKeys => "saved device keys",
            ObjectType::PinLockedDeviceKeys => "device keys locked by the PIN",
            ObjectType::Email => "e-mail",
            ObjectType::VaultCopy => "offline copy of the vault",
        }
    }
}

impl std::fmt::Display for ObjectType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The associated data of one envelope (the key id comes from the envelope header).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Context {
    object: ObjectType,
    workspace: String,
    account: String,
    item: String,
    version: u64,
}

impl Context {
    fn new(object: ObjectType, workspace: &str, account: &str, item: &str, version: u64) -> Self {
        Context {
            object,
            workspace: workspace.to_string(),
            account: account.to_string(),
            item: item.to_string(),
            version,
        }
    }

    /// A user key sealed to a device: account = user id, item = device id.
    pub fn user_key_for_device(workspace: &str, user: &str, device: &str) -> Self {
        Self::new(ObjectType::UserKeyForDevice, workspace, user, device, 0)
    }

    /// A user's private keys under the user key: account = user id.
    pub fn user_key_pair(workspace: &str, user: &str) -> Self {
        Self::new(ObjectType::UserKeyPair, workspace, user, "", 0)
    }

    /// A user key under a Recovery Kit: account = user id.
    pub fn user_key_recovery(workspace: &str, user: &str) -> Self {
        Self::new(ObjectType::UserKeyRecovery, workspace, user, "", 0)
    }

    /// An account key sealed to a member: item = the member's user id, version = key generation
    /// (0 at creation, +1 at each rotation).
    pub fn account_key_for_member(workspace: &str, account: &str, member: &str, generation: u64) -> Self {
        Self::new(ObjectType::AccountKeyForMember, workspace, account, member, generation)
    }

    /// An account's inbox private key under that account key generation.
    pub fn inbox_key_pair(workspace: &str, account: &str, generation: u64) -> Self {
        Self::new(ObjectType::InboxKeyPair, workspace, account, "", generation)
    }

    /// One item version's content key under the account key.
    pub fn content_key(workspace: &str, account: &str, item: &str, version: u64) -> Self {
        Self::new(ObjectType::ContentKey, workspace, account, item, version)
    }

    /// One item version under its content key.
    pub fn item(workspace: &str, account: &str, item: &str, version: u64) -> Self {
        Self::new(ObjectType::Item, workspace, account, item, version)
    }

    /// An SMS in an account's inbox: item = the server's message id.
    pub fn sms(workspace: &str, account: &str, message: &str) -> Self {
        Self::new(ObjectType::Sms, workspace, account, message, 0)
    }

    /// An e-mail in an account's inbox: item = the server's message id.
    pub fn email(workspace: &str, account: &str, message: &str) -> Self {
        Self::new(ObjectType::Email, workspace, account, message, 0)
    }

    /// The saved key store of one browser profile: item = device id.
    pub fn key_store(device: &str) -> Self {
        Self::new(ObjectType::KeyStore, "", "", device, 0)
    }

    /// A device's private keys at rest: item = device id.
    pub fn device_keys(device: &str) -> Self {
        Self::new(ObjectType::DeviceKeys, "", "", device, 0)
    }

    /// A device's private keys under its unlock PIN: item = device id.
    pub fn pin_locked_device_keys(device: &str) -> Self {
        Self::new(ObjectType::PinLockedDeviceKeys, "", "", device, 0)
    }

    /// The offline copy of one user's vault on one device: account = user id, item = device id.
    pub fn vault_copy(workspace: &str, user: &str, device: &str) -> Self {
        Self::new(ObjectType::VaultCopy, workspace, user, device, 0)
    }

    pub fn object(&self) -> ObjectType {
        self.object
    }
    pub fn workspace_id(&self) -> &str {
        &self.workspace
    }
    pub fn account_id(&self) -> &str {
        &self.account
    }
    pub fn item_id(&self) -> &str {
        &self.item
    }
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Fails unless this context is for `expected`: catches a caller passing the wrong constructor.
    pub(crate) fn expect(&self, expected: ObjectType) -> Result<(), super::VaultError> {
        if self.object == expected {
            Ok(())
        } else {
            Err(super::VaultError::WrongObject {
                expected,
                found: self.object,
            })
        }
    }

    /// The canonical encoding appended to the envelope header to form the AEAD's associated data:
    /// `"latchkey-ctx" || type (1) || len (u32 BE) || workspace || len || account || len || item ||
    /// version (u64 BE)`. Lengths make it injective: ("ab","c") and ("a","bc") differ.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(40 + self.workspace.len() + self.account.len() + self.item.len());
        out.extend_from_slice(b"latchkey-ctx");
        out.push(self.object as u8);
        for field in [&self.workspace, &self.account, &self.item] {
            out.extend_from_slice(&(field.len() as u32).to_be_bytes());
            out.extend_from_slice(field.as_bytes());
        }
        out.extend_from_slice(&self.version.to_be_bytes());
        out
    }
}
