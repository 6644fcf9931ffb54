//! The offline copy of the vault: what the last good sync returned, kept on the device so codes
//! still show and fill when the server cannot be reached (docs/vault.md, "The offline copy").
//!
//! What it holds is already ciphertext to the device (the server's `GET /vault` reply: sealed
//! items, account keys sealed to the user, inbox keys under the account keys), plus the user key
//! sealed to this device and the user key pair under the user key (made here from the store, so a
//! locked-then-unlocked device needs no server to open the rest), and the time of that sync.
//!
//! The whole copy is encrypted once more, under a key derived from this device's private keys
//! ([`copy_key`]), and bound to its workspace, user and device as associated data. So:
//! - it opens only where the device keys are open: after the unlock PIN, never on a locked device;
//! - its list (which accounts and items, their names, numbers and sites, the sync time) is neither
//!   readable nor editable in storage: any change fails the AEAD and the copy is refused whole;
//! - a copy written for another workspace, user or device is refused by name before decrypting
//!   (its clear header says where it belongs), and one whose header was edited to claim this place
//!   fails to authenticate.
//!
//! Caveat: an older copy of the same device (taken from its storage earlier) still opens; the
//! popup shows its sync time, and the next good sync replaces it.

use thiserror::Error;
use zeroize::Zeroizing;

use super::codec::{Reader, Writer};
use super::{base64url, Context, DeviceKeys, Envelope, KeyStore, VaultError, WrappingKey};
use crate::crypto::hkdf;

/// Why the offline copy was not written or not used. Each message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CopyError {
    #[error(
        "the offline copy of the vault belongs to another {0}: it is not used here; connect to the \
         server to sync this one"
    )]
    Elsewhere(&'static str),
    #[error(
        "the offline copy of the vault was altered or damaged in storage: it is not used; connect to \
         the server to sync again"
    )]
    Altered,
    #[error("the offline copy of the vault uses format {0}, which this Latchkey cannot read: update it, or connect to the server")]
    Format(u8),
    #[error("Latchkey is locked: enter your PIN to open the offline copy of the vault")]
    Locked,
    #[error("the offline copy cannot be written: {0}")]
    Keys(VaultError),
}

/// Where a copy belongs: read back only for the same workspace, user and device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyPlace<'a> {
    pub workspace: &'a str,
    pub user: &'a str,
    pub device: &'a str,
}

impl CopyPlace<'_> {
    fn context(&self) -> Context {
        Context::vault_copy(self.workspace, self.user, self.device)
    }
}

/// What an opened copy gives back (the user keys it carried are opened into the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedCopy {
    /// When the server gave this vault (Unix milliseconds, the device's clock).
    pub synced_at: u64,
    /// The `GET /vault` reply as the server sent it: as hostile as a new reply, checked the same way.
    pub vault: String,
}

/// The copy's key: HKDF-SHA256 of the device's private keys (salt `"latchkey vault copy v1"`,
/// info the device id). Exists only while the device keys are open.
fn copy_key(device: &DeviceKeys, device_id: &str) -> WrappingKey {
    let secret = device.0.to_secret_bytes();
    let key = Zeroizing::new(hkdf::derive_key(
        b"latchkey vault copy v1",
        secret.as_ref(),
        device_id.as_bytes(),
    ));
    WrappingKey::from_bytes(*key)
}

// The stored text: base64url of (format, workspace, user, device, envelope).
const OUTER_FORMAT: u8 = 1;
const WORKSPACE: u8 = 1;
const USER: u8 = 2;
const DEVICE: u8 = 3;
const SEALED: u8 = 4;
// Inside the envelope: (format, synced at, user key for device, user key pair, vault reply).
const INNER_FORMAT: u8 = 1;
const SYNCED_AT: u8 = 1;
const USER_KEY: u8 = 2;
const USER_KEY_PAIR: u8 = 3;
const VAULT: u8 = 4;

impl KeyStore {
    /// The copy of `vault` (a `GET /vault` reply) synced at `synced_at` (Unix ms), for
    /// `chrome.storage.local`. Needs the device keys, the user key and the user key pair.
    pub fn seal_copy(&self, place: &CopyPlace, synced_at: u64, vault: &str) -> Result<String, CopyError> {
        let device = self.device().map_err(|_| CopyError::Locked)?;
        let user_key = self.user_key().map_err(CopyError::Keys)?;
        let sealed_user_key = user_key
            .seal_to_device(
                &device.public(),
                &Context::user_key_for_device(place.workspace, place.user, place.device),
            )
            .map_err(CopyError::Keys)?;
        let pair = user_key
            .wrap_key_pair(
                self.user_pair().map_err(CopyError::Keys)?,
                &Context::user_key_pair(place.workspace, place.user),
            )
            .map_err(CopyError::Keys)?;
        let mut inner = Writer::new(INNER_FORMAT);
        inner
            .u64(SYNCED_AT, synced_at)
            .bytes(USER_KEY, sealed_user_key.as_bytes())
            .bytes(USER_KEY_PAIR, pair.as_bytes())
            .str(VAULT, vault);
        let sealed = copy_key(device, place.device).encrypt(&place.context(), &inner.out);
        let mut outer = Writer::new(OUTER_FORMAT);
        outer
            .str(WORKSPACE, place.workspace)
            .str(USER, place.user)
            .str(DEVICE, place.device)
            .bytes(SEALED, sealed.as_bytes());
        Ok(base64url::encode(&outer.out))
    }

    /// Opens a copy `seal_copy` wrote for this `place`, with this store's device keys; when the
    /// store lacks the user keys (a device just unlocked, the server away), opens them from the copy.
    pub fn open_copy(&mut self, text: &str, place: &CopyPlace) -> Result<OpenedCopy, CopyError> {
        let bytes = base64url::decode(text.trim()).ok_or(CopyError::Altered)?;
        let (header, sealed) = read_outer(&bytes)?;
        for (what, stored, expected) in [
            ("workspace", header[0], place.workspace),
            ("user", header[1], place.user),
            ("device", header[2], place.device),
        ] {
            if stored != expected {
                return Err(CopyError::Elsewhere(what));
            }
        }
        let device = self.device().map_err(|_| CopyError::Locked)?;
        let plaintext = copy_key(device, place.device)
            .decrypt(&sealed, &place.context())
            .map_err(|_| CopyError::Altered)?;
        // Authenticated from here on: a malformed inside was written by a buggy Latchkey, and is
        // refused the same way.
        let mut r = Reader::new(&plaintext, INNER_FORMAT, "offline copy").map_err(|e| match e {
            VaultError::UnsupportedFormat { format, .. } => CopyError::Format(format),
            _ => CopyError::Altered,
        })?;
        let (mut synced_at, mut user_key, mut pair, mut vault) = (None, None, None, None);
        while let Some((tag, value)) = r.next_field().map_err(|_| CopyError::Altered)? {
            match tag {
                SYNCED_AT => synced_at = Some(r.u64(value).map_err(|_| CopyError::Altered)?),
                USER_KEY => user_key = Some(envelope(value)?),
                USER_KEY_PAIR => pair = Some(envelope(value)?),
                VAULT => vault = Some(r.str(value).map_err(|_| CopyError::Altered)?.to_string()),
                _ => {}
            }
        }
        let (Some(synced_at), Some(user_key), Some(pair), Some(vault)) = (synced_at, user_key, pair, vault) else {
            return Err(CopyError::Altered);
        };
        if self.user_key().is_err() || self.user_pair().is_err() {
            self.open_user_key(&user_key, place.workspace, place.user, place.device)
                .map_err(|_| CopyError::Altered)?;
            self.open_user_key_pair(&pair, place.workspace, place.user)
                .map_err(|_| CopyError::Altered)?;
        }
        Ok(OpenedCopy { synced_at, vault })
    }
}

fn envelope(bytes: &[u8]) -> Result<Envelope, CopyError> {
    Envelope::from_bytes(bytes.to_vec()).map_err(|_| CopyError::Altered)
}

/// The clear header (workspace, user, device) and the envelope.
fn read_outer(bytes: &[u8]) -> Result<([&str; 3], Envelope), CopyError> {
    let mut r = Reader::new(bytes, OUTER_FORMAT, "offline copy").map_err(|e| match e {
        VaultError::UnsupportedFormat { format, .. } => CopyError::Format(format),
        _ => CopyError::Altered,
    })?;
    let mut header: [Option<&str>; 3] = [None; 3];
    let mut sealed = None;
    while let Some((tag, value)) = r.next_field().map_err(|_| CopyError::Altered)? {
        let slot = match tag {
            WORKSPACE => 0,
            USER => 1,
            DEVICE => 2,
            SEALED => {
                sealed = Some(envelope(value)?);
                continue;
            }
            _ => continue,
        };
        header[slot] = Some(r.str(value).map_err(|_| CopyError::Altered)?);
    }
    match (header, sealed) {
        ([Some(w), Some(u), Some(d)], Some(sealed)) => Ok(([w, u, d], sealed)),
        _ => Err(CopyError::Altered),
    }
}
