//! Wrapping keys under keys, and sealing them to public keys: the edges of the key graph in
//! DESIGN.md. Each operation checks that its context names the right kind of object.

use zeroize::Zeroizing;

use super::keys::KeyPair;
use super::{
    AccountKey, Context, DeviceKeys, Envelope, InboxKeyPair, ObjectType, PublicKeys, UserKey, UserKeyPair, VaultError,
    WrappingKey,
};
use crate::crypto::x25519::X25519Secret;

fn secret_32(bytes: &[u8], what: &'static str) -> Result<[u8; 32], VaultError> {
    bytes.try_into().map_err(|_| VaultError::Malformed(what))
}

impl UserKey {
    /// Seals this user key to a device's X25519 key (first device, approval of another).
    pub fn seal_to_device(&self, device: &PublicKeys, context: &Context) -> Result<Envelope, VaultError> {
        context.expect(ObjectType::UserKeyForDevice)?;
        Envelope::seal(&device.x25519, context, self.bytes())
    }

    /// Opens a user key sealed to this device.
    pub fn open_on_device(device: &DeviceKeys, envelope: &Envelope, context: &Context) -> Result<UserKey, VaultError> {
        context.expect(ObjectType::UserKeyForDevice)?;
        let bytes = envelope.open(&device.0.x25519, context)?;
        Ok(UserKey::from_bytes(secret_32(&bytes, "user key")?))
    }

    /// Encrypts the user's private keys under this user key.
    pub fn wrap_key_pair(&self, pair: &UserKeyPair, context: &Context) -> Result<Envelope, VaultError> {
        context.expect(ObjectType::UserKeyPair)?;
        Ok(Envelope::encrypt(
            self.secret(),
            context,
            pair.0.to_secret_bytes().as_ref(),
        ))
    }

    /// Decrypts the user's private keys.
    pub fn unwrap_key_pair(&self, envelope: &Envelope, context: &Context) -> Result<UserKeyPair, VaultError> {
        context.expect(ObjectType::UserKeyPair)?;
        let bytes = envelope.decrypt(self.secret(), context)?;
        Ok(UserKeyPair(KeyPair::from_secret_bytes(&bytes)?))
    }
}

impl AccountKey {
    /// Seals this account key to a member's user X25519 key.
    pub fn seal_to_member(&self, member: &PublicKeys, context: &Context) -> Result<Envelope, VaultError> {
        context.expect(ObjectType::AccountKeyForMember)?;
        Envelope::seal(&member.x25519, context, self.bytes())
    }

    /// Opens an account key sealed to this member.
    pub fn open_as_member(
        member: &UserKeyPair,
        envelope: &Envelope,
        context: &Context,
    ) -> Result<AccountKey, VaultError> {
        context.expect(ObjectType::AccountKeyForMember)?;
        let bytes = envelope.open(&member.0.x25519, context)?;
        Ok(AccountKey::from_bytes(secret_32(&bytes, "account key")?))
    }

    /// Encrypts the account's inbox private key under this account key.
    pub fn wrap_inbox(&self, inbox: &InboxKeyPair, context: &Context) -> Result<Envelope, VaultError> {
        context.expect(ObjectType::InboxKeyPair)?;
        Ok(Envelope::encrypt(self.secret(), context, inbox.0.to_bytes().as_ref()))
    }

    pub fn unwrap_inbox(&self, envelope: &Envelope, context: &Context) -> Result<InboxKeyPair, VaultError> {
        context.expect(ObjectType::InboxKeyPair)?;
        let bytes = envelope.decrypt(self.secret(), context)?;
        Ok(InboxKeyPair(X25519Secret::from_bytes(secret_32(&bytes, "inbox key")?)))
    }
}

impl WrappingKey {
    /// Wraps a device's private keys for extension storage (see docs/security.md for what this
    /// does and does not protect against).
    pub fn wrap_device(&self, device: &DeviceKeys, context: &Context) -> Result<Envelope, VaultError> {
        context.expect(ObjectType::DeviceKeys)?;
        Ok(Envelope::encrypt(
            self.secret(),
            context,
            device.0.to_secret_bytes().as_ref(),
        ))
    }

    pub fn unwrap_device(&self, envelope: &Envelope, context: &Context) -> Result<DeviceKeys, VaultError> {
        context.expect(ObjectType::DeviceKeys)?;
        let bytes = envelope.decrypt(self.secret(), context)?;
        Ok(DeviceKeys(KeyPair::from_secret_bytes(&bytes)?))
    }

    pub(crate) fn encrypt(&self, context: &Context, plaintext: &[u8]) -> Envelope {
        Envelope::encrypt(self.secret(), context, plaintext)
    }

    pub(crate) fn decrypt(&self, envelope: &Envelope, context: &Context) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        envelope.decrypt(self.secret(), context)
    }
}
