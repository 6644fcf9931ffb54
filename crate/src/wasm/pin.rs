//! The unlock PIN for the service worker. Adapters only: the rules and the format live in `pin`.
//!
//! The PIN text arrives from JavaScript (a form field) and its derived key never leaves wasm:
//! JavaScript gets the locked blob (base64url) to store; the opened device keys stay in the Vault.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::js_err;
use super::vault::Vault;
use crate::pin::{self, PinError, PinLockedKeys};

#[wasm_bindgen(typescript_custom_section)]
const TS_PIN: &'static str = r#"
/** What `Vault.unlockDevice` returns with the right PIN. */
export interface UnlockedDevice {
  /** The blob re-locked with today's stronger Argon2id settings: store it in place of the old one. */
  upgraded: string | null;
}
"#;

#[derive(Serialize)]
struct UnlockedJs {
    upgraded: Option<String>,
}

fn locked(text: &str) -> Result<PinLockedKeys, JsError> {
    PinLockedKeys::parse(text).map_err(js_err)
}

/// Throws the rule a new PIN or passphrase breaks (as a sentence), or returns nothing.
#[wasm_bindgen(js_name = checkPin)]
pub fn check_pin(pin: &str) -> Result<(), JsError> {
    pin::check_new_pin(pin).map_err(js_err)
}

/// Wrong PINs in a row after which the extension wipes the device's keys.
#[wasm_bindgen(js_name = pinMaxAttempts)]
pub fn pin_max_attempts() -> u32 {
    pin::MAX_ATTEMPTS
}

/// A new PIN for the same keys: the new blob, or `undefined` when `oldPin` is wrong. Throws when
/// the new PIN breaks a rule or the blob is damaged.
#[wasm_bindgen(js_name = changePin)]
pub fn change_pin(old_pin: &str, new_pin: &str, locked_keys: &str, device_id: &str) -> Result<Option<String>, JsError> {
    match locked(locked_keys)?.change(old_pin, new_pin, device_id) {
        Ok(new) => Ok(Some(new.to_text())),
        Err(PinError::WrongPin) => Ok(None),
        Err(e) => Err(js_err(e)),
    }
}

#[wasm_bindgen]
impl Vault {
    /// The device keys locked under a new PIN (checked against the rules), for `chrome.storage.local`.
    #[wasm_bindgen(js_name = lockDevice)]
    pub fn lock_device(&self, pin: &str, device_id: &str) -> Result<String, JsError> {
        Ok(self.store.lock_device(pin, device_id).map_err(js_err)?.to_text())
    }

    /// Opens PIN-locked device keys into this store (which holds no device keys yet), or returns
    /// `undefined` when the PIN is wrong.
    /// Throws when the blob is damaged, altered or not this device's.
    #[wasm_bindgen(js_name = unlockDevice, unchecked_return_type = "UnlockedDevice | undefined")]
    pub fn unlock_device(&mut self, pin: &str, locked_keys: &str, device_id: &str) -> Result<JsValue, JsError> {
        match self.store.unlock_device(pin, &locked(locked_keys)?, device_id) {
            Ok(u) => super::to_js(&UnlockedJs {
                upgraded: u.upgraded.map(|l| l.to_text()),
            }),
            Err(PinError::WrongPin) => Ok(JsValue::UNDEFINED),
            Err(e) => Err(js_err(e)),
        }
    }
}
