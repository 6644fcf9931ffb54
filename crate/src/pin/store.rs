//! The key-store side of the PIN, for the browser: lock this device's keys under a new PIN, open
//! them with it (re-locking with stronger settings when they were made with weaker ones).

use super::{check_new_pin, KdfParams, PinError, PinLockedKeys};
use crate::vault::KeyStore;

/// What [`KeyStore::unlock_device`] gives back (the device keys themselves stay in the store).
#[derive(Debug)]
pub struct UnlockedDevice {
    /// The same keys under the same PIN with today's default settings, when the stored blob was
    /// made with weaker ones: store it in place of the old one.
    pub upgraded: Option<PinLockedKeys>,
}

impl KeyStore {
    /// Locks the device keys under a new PIN (checked against the rules) with the default settings.
    pub fn lock_device(&self, pin: &str, device_id: &str) -> Result<PinLockedKeys, PinError> {
        check_new_pin(pin)?;
        PinLockedKeys::lock(self.device()?, pin, KdfParams::DEFAULT, device_id)
    }

    /// Opens PIN-locked device keys into this store (which must hold none yet).
    pub fn unlock_device(
        &mut self,
        pin: &str,
        locked: &PinLockedKeys,
        device_id: &str,
    ) -> Result<UnlockedDevice, PinError> {
        if self.contains(&crate::vault::KeySlot::Device) {
            return Err(crate::vault::VaultError::DevicePresent.into());
        }
        let keys = locked.unlock(pin, device_id)?;
        let upgraded = if locked.params().weaker_than(&KdfParams::DEFAULT) {
            Some(PinLockedKeys::lock(&keys, pin, KdfParams::DEFAULT, device_id)?)
        } else {
            None
        };
        self.keep_device(keys)?;
        Ok(UnlockedDevice { upgraded })
    }
}
