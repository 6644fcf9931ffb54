//! Approving a new device from a trusted one.
//!
//! The new device makes an [`ApprovalRequest`] (its public keys, ids) and shows the fingerprint
//! phrase; the trusted device shows the same phrase from the request the server relayed. On
//! **Approve**, the trusted device seals the user key to the new device's X25519 key and signs,
//! with its device Ed25519 key (RFC 8032), everything the grant says:
//!
//! ```text
//! "latchkey approval grant v1" || for each of workspace, user, request id, device id: len (u32 BE) || bytes
//!   || new device keys (64) || approver device keys (64) || expires_at (u64 BE) || len || user-key envelope
//! ```
//!
//! The new device accepts only a grant for its own request and keys, signed by a device the
//! server lists as trusted for this user, not expired and not claiming to last longer than a real
//! grant does; only then does it open the user key. The signature stops a relay or a stale copy
//! from swapping the sealed key, redirecting, or replaying a grant. It does not stop a server that
//! lies about the user's trusted devices: that trust is the server's, as in DESIGN.md.

use super::DeviceError;
use crate::crypto::ed25519;
use crate::vault::{
    base64url_decode, base64url_encode, Context, DeviceKeys, Envelope, PublicKeys, UserKey, VaultError,
};

/// How long an approval stays valid after the trusted device signs it.
pub const GRANT_LIFETIME_SECS: u64 = 10 * 60;
/// Tolerated clock difference between the two devices.
pub const CLOCK_SKEW_SECS: u64 = 5 * 60;

/// What a new device asks for; it keeps a copy to check the grant against.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalRequest {
    pub workspace: String,
    pub user_id: String,
    pub request_id: String,
    pub device_id: String,
    pub device_keys: PublicKeys,
}

/// A signed approval, as the server relays it from the trusted device to the new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalGrant {
    pub request: ApprovalRequest,
    pub approver: PublicKeys,
    pub expires_at: u64,
    pub user_key: Envelope,
    pub signature: [u8; 64],
}

const FORMAT: u8 = 1;

impl ApprovalGrant {
    fn signed_message(
        request: &ApprovalRequest,
        approver: &PublicKeys,
        expires_at: u64,
        user_key: &Envelope,
    ) -> Vec<u8> {
        let mut m = b"latchkey approval grant v1".to_vec();
        for field in [
            &request.workspace,
            &request.user_id,
            &request.request_id,
            &request.device_id,
        ] {
            m.extend_from_slice(&(field.len() as u32).to_be_bytes());
            m.extend_from_slice(field.as_bytes());
        }
        m.extend_from_slice(&request.device_keys.to_bytes());
        m.extend_from_slice(&approver.to_bytes());
        m.extend_from_slice(&expires_at.to_be_bytes());
        m.extend_from_slice(&(user_key.as_bytes().len() as u32).to_be_bytes());
        m.extend_from_slice(user_key.as_bytes());
        m
    }

    /// On the trusted device, after the person compared phrases and pressed **Approve**.
    pub fn approve(
        approver: &DeviceKeys,
        user_key: &UserKey,
        request: &ApprovalRequest,
        now_unix: u64,
    ) -> Result<ApprovalGrant, DeviceError> {
        let context = Context::user_key_for_device(&request.workspace, &request.user_id, &request.device_id);
        let sealed = user_key.seal_to_device(&request.device_keys, &context)?;
        let expires_at = now_unix.saturating_add(GRANT_LIFETIME_SECS);
        let approver_keys = approver.public();
        let message = Self::signed_message(request, &approver_keys, expires_at, &sealed);
        Ok(ApprovalGrant {
            request: request.clone(),
            approver: approver_keys,
            expires_at,
            user_key: sealed,
            signature: approver.0.ed25519.sign(&message),
        })
    }

    /// On the new device: checks everything, then opens the user key. `request` is the device's own
    /// copy of what it asked for; `trusted` are the public keys of the user's trusted devices.
    pub fn accept(
        &self,
        device: &DeviceKeys,
        request: &ApprovalRequest,
        trusted: &[PublicKeys],
        now_unix: u64,
    ) -> Result<UserKey, DeviceError> {
        if self.request != *request || request.device_keys != device.public() {
            return Err(DeviceError::WrongDevice);
        }
        if !trusted.contains(&self.approver) {
            return Err(DeviceError::UnknownApprover);
        }
        let message = Self::signed_message(&self.request, &self.approver, self.expires_at, &self.user_key);
        ed25519::verify(&self.approver.ed25519, &message, &self.signature).map_err(|_| DeviceError::Forged)?;
        if now_unix >= self.expires_at {
            return Err(DeviceError::Expired);
        }
        if self.expires_at > now_unix.saturating_add(GRANT_LIFETIME_SECS + CLOCK_SKEW_SECS) {
            return Err(DeviceError::TooLongLived);
        }
        let context = Context::user_key_for_device(&request.workspace, &request.user_id, &request.device_id);
        Ok(UserKey::open_on_device(device, &self.user_key, &context)?)
    }

    /// On the server, before it stores and relays a grant: the grant is for `expected` (the request
    /// as the server recorded it), made by the calling trusted device (`approver_keys`, its stored
    /// public keys), its signature verifies, and it is neither expired nor claiming to last longer
    /// than a real grant does. The server cannot open the user key; the new device checks again.
    pub fn verify_for_server(
        &self,
        expected: &ApprovalRequest,
        approver_keys: &PublicKeys,
        now_unix: u64,
    ) -> Result<(), DeviceError> {
        if self.request != *expected {
            return Err(DeviceError::WrongDevice);
        }
        if self.approver != *approver_keys {
            return Err(DeviceError::UnknownApprover);
        }
        let message = Self::signed_message(&self.request, &self.approver, self.expires_at, &self.user_key);
        ed25519::verify(&self.approver.ed25519, &message, &self.signature).map_err(|_| DeviceError::Forged)?;
        if now_unix >= self.expires_at {
            return Err(DeviceError::Expired);
        }
        if self.expires_at > now_unix.saturating_add(GRANT_LIFETIME_SECS + CLOCK_SKEW_SECS) {
            return Err(DeviceError::TooLongLived);
        }
        Ok(())
    }

    /// The wire form: base64url of a tagged encoding (format 1).
    pub fn to_text(&self) -> String {
        let mut w = crate::vault::codec_writer(FORMAT);
        w.str(1, &self.request.workspace)
            .str(2, &self.request.user_id)
            .str(3, &self.request.request_id)
            .str(4, &self.request.device_id)
            .bytes(5, &self.request.device_keys.to_bytes())
            .bytes(6, &self.approver.to_bytes())
            .u64(7, self.expires_at)
            .bytes(8, self.user_key.as_bytes())
            .bytes(9, &self.signature);
        base64url_encode(&w.out)
    }

    pub fn parse(text: &str) -> Result<ApprovalGrant, DeviceError> {
        let bytes = base64url_decode(text.trim()).ok_or(VaultError::NotBase64)?;
        let mut r = crate::vault::codec_reader(&bytes, FORMAT, "approval")?;
        let (mut ws, mut user, mut req, mut dev) = (None, None, None, None);
        let (mut keys, mut approver, mut expires, mut env, mut sig) = (None, None, None, None, None);
        while let Some((tag, v)) = r.next_field()? {
            match tag {
                1 => ws = Some(r.str(v)?.to_string()),
                2 => user = Some(r.str(v)?.to_string()),
                3 => req = Some(r.str(v)?.to_string()),
                4 => dev = Some(r.str(v)?.to_string()),
                5 => keys = Some(PublicKeys::from_bytes(v)?),
                6 => approver = Some(PublicKeys::from_bytes(v)?),
                7 => expires = Some(r.u64(v)?),
                8 => env = Some(Envelope::from_bytes(v.to_vec())?),
                9 => sig = Some(r.array::<64>(v)?),
                _ => {}
            }
        }
        let missing = || DeviceError::Vault(r.malformed());
        Ok(ApprovalGrant {
            request: ApprovalRequest {
                workspace: ws.ok_or_else(missing)?,
                user_id: user.ok_or_else(missing)?,
                request_id: req.ok_or_else(missing)?,
                device_id: dev.ok_or_else(missing)?,
                device_keys: keys.ok_or_else(missing)?,
            },
            approver: approver.ok_or_else(missing)?,
            expires_at: expires.ok_or_else(missing)?,
            user_key: env.ok_or_else(missing)?,
            signature: sig.ok_or_else(missing)?,
        })
    }
}
