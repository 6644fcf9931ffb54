//! The enrollment proof: an Ed25519 signature (RFC 8032) by the *user* key pair over one device's
//! enrollment, sent when a device asks to be trusted without an approval (the first device, which
//! just created the user key, or a later one that recovered it with the Recovery Kit):
//!
//! ```text
//! "latchkey device enrollment v1" || for each of workspace, user, device id: len (u32 BE) || bytes
//!   || device public keys (64)
//! ```
//!
//! The server verifies it under the user's public keys (the ones being uploaded, for the first
//! device; the stored ones, for a recovery) before it approves the device, so an e-mailed code
//! alone never trusts a device: only a device that really holds the user key pair can sign.
//! Binding the workspace, user and device id stops a proof from being replayed for another device.

use super::DeviceError;
use crate::crypto::ed25519;
use crate::vault::{PublicKeys, UserKeyPair};

const LABEL: &[u8] = b"latchkey device enrollment v1";

/// The bytes the user key pair signs for enrolling `device_id` with `device_keys`.
pub fn enrollment_message(workspace: &str, user: &str, device_id: &str, device_keys: &PublicKeys) -> Vec<u8> {
    let mut m = LABEL.to_vec();
    for field in [workspace, user, device_id] {
        m.extend_from_slice(&(field.len() as u32).to_be_bytes());
        m.extend_from_slice(field.as_bytes());
    }
    m.extend_from_slice(&device_keys.to_bytes());
    m
}

/// Signs the enrollment of `device_id` with the user's key pair (on the device being enrolled).
pub fn sign_enrollment(
    user_keys: &UserKeyPair,
    workspace: &str,
    user: &str,
    device_id: &str,
    device_keys: &PublicKeys,
) -> [u8; 64] {
    user_keys
        .0
        .ed25519
        .sign(&enrollment_message(workspace, user, device_id, device_keys))
}

/// Checks an enrollment proof under the user's public keys (on the server).
pub fn verify_enrollment(
    user_public_keys: &PublicKeys,
    workspace: &str,
    user: &str,
    device_id: &str,
    device_keys: &PublicKeys,
    signature: &[u8],
) -> Result<(), DeviceError> {
    let message = enrollment_message(workspace, user, device_id, device_keys);
    ed25519::verify(&user_public_keys.ed25519, &message, signature).map_err(|_| DeviceError::BadProof)
}
