//! The key-store side of trusted sessions, for the browser: the same flows with the store's keys.

use super::{sign_enrollment, ApprovalGrant, ApprovalRequest, DeviceError, RecoveryKit};
use crate::vault::{Context, Envelope, KeyStore, PublicKeys, VaultError};

impl KeyStore {
    /// Trusted device: approves `request` with this device's keys and the user key.
    pub fn approve_device(&self, request: &ApprovalRequest, now_unix: u64) -> Result<ApprovalGrant, DeviceError> {
        ApprovalGrant::approve(self.device()?, self.user_key()?, request, now_unix)
    }

    /// New device: checks a grant and keeps the user key it carries.
    pub fn accept_grant(
        &mut self,
        grant: &ApprovalGrant,
        request: &ApprovalRequest,
        trusted: &[PublicKeys],
        now_unix: u64,
    ) -> Result<(), DeviceError> {
        let key = grant.accept(self.device()?, request, trusted, now_unix)?;
        self.keep_user_key(key);
        Ok(())
    }

    /// Signs this device's enrollment with the user key pair (see [`super::verify_enrollment`]):
    /// the proof the server asks for before trusting a first or recovered device.
    pub fn sign_enrollment(
        &self,
        workspace: &str,
        user: &str,
        device_id: &str,
        device_keys: &PublicKeys,
    ) -> Result<[u8; 64], VaultError> {
        Ok(sign_enrollment(
            self.user_pair()?,
            workspace,
            user,
            device_id,
            device_keys,
        ))
    }

    /// A new Recovery Kit for the user key: the kit to show once, and the wrapped key to store.
    pub fn create_recovery_kit(&self, workspace: &str, user: &str) -> Result<(RecoveryKit, Envelope), VaultError> {
        let kit = RecoveryKit::generate();
        let wrapped = kit.wrap_user_key(self.user_key()?, &Context::user_key_recovery(workspace, user))?;
        Ok((kit, wrapped))
    }

    /// Restores the user key from a typed Recovery Kit and the server's wrapped copy, and keeps it.
    pub fn recover_user_key(
        &mut self,
        kit_text: &str,
        wrapped: &Envelope,
        workspace: &str,
        user: &str,
    ) -> Result<(), DeviceError> {
        let kit = RecoveryKit::parse(kit_text)?;
        let key = kit.unwrap_user_key(wrapped, &Context::user_key_recovery(workspace, user))?;
        self.keep_user_key(key);
        Ok(())
    }
}
