//! A device's keys locked by a PIN: AES-256-GCM under the key Argon2id derives from the PIN and a
//! random salt. The settings and salt travel with the ciphertext (they are not secret, and the
//! settings must be readable before anything can be derived); changing either derives another key,
//! which then fails the envelope's key-id check like a wrong PIN.
//!
//! ```text
//! base64url( format 1 || fields (tag, LEB128 length, value), as vault::codec writes them:
//!   1  KDF            1 byte: 1 = Argon2id, version 0x13
//!   2  memory         u32 BE, KiB
//!   3  passes         u32 BE
//!   4  lanes          u32 BE
//!   5  salt           16 random bytes, new at every lock
//!   6  envelope       a vault Envelope (alg 1) of the 64 private-key bytes, context
//!                     ObjectType::PinLockedDeviceKeys with item = the device id )
//! ```

use zeroize::Zeroizing;

use super::{rules, KdfParams, PinError};
use crate::crypto::{argon2id, random};
use crate::vault::{
    base64url_decode, base64url_encode, codec_reader, codec_writer, Context, DeviceKeys, Envelope, KeyId, KeyPair,
    SecretBytes, VaultError,
};

const FORMAT: u8 = 1;
const KDF_ARGON2ID_13: u8 = 1;
const SALT_LEN: usize = 16;
const WHAT: &str = "PIN-locked device keys";

const KDF: u8 = 1;
const MEMORY: u8 = 2;
const PASSES: u8 = 3;
const LANES: u8 = 4;
const SALT: u8 = 5;
const ENVELOPE: u8 = 6;

/// Device keys at rest under a PIN. Public parts only: opening it needs the PIN.
#[derive(Clone, PartialEq, Eq)]
pub struct PinLockedKeys {
    params: KdfParams,
    salt: [u8; SALT_LEN],
    envelope: Envelope,
}

fn derive(pin: &str, salt: &[u8], params: &KdfParams) -> Result<SecretBytes, PinError> {
    let pin = rules::normalize(pin);
    let key = argon2id::argon2id(pin.as_bytes(), salt, params.memory_kib, params.iterations, params.lanes)
        .map_err(|_| PinError::Kdf)?;
    Ok(SecretBytes::new(*key))
}

impl PinLockedKeys {
    /// Locks `device` under `pin` with `params` and a fresh salt. The PIN's rules are the caller's
    /// (a blob re-locked with stronger settings keeps the PIN the person already has).
    pub fn lock(device: &DeviceKeys, pin: &str, params: KdfParams, device_id: &str) -> Result<Self, PinError> {
        params.check()?;
        let salt: [u8; SALT_LEN] = random::bytes();
        let key = derive(pin, &salt, &params)?;
        let envelope = Envelope::encrypt(
            &key,
            &Context::pin_locked_device_keys(device_id),
            device.0.to_secret_bytes().as_ref(),
        );
        Ok(PinLockedKeys { params, salt, envelope })
    }

    /// Opens the device keys with `pin`: [`PinError::WrongPin`] when the PIN (or the stored
    /// settings or salt) differ, [`PinError::Damaged`] when the right key meets an altered
    /// ciphertext, or a blob moved from another device.
    pub fn unlock(&self, pin: &str, device_id: &str) -> Result<DeviceKeys, PinError> {
        self.params.check()?;
        let key = derive(pin, &self.salt, &self.params)?;
        let bytes = self
            .envelope
            .decrypt(&key, &Context::pin_locked_device_keys(device_id))
            .map_err(|e| match e {
                VaultError::WrongKey { .. } => PinError::WrongPin,
                VaultError::Tampered(_) => PinError::Damaged,
                other => PinError::Vault(other),
            })?;
        Ok(DeviceKeys(KeyPair::from_secret_bytes(&bytes)?))
    }

    /// A new PIN for the same keys: opens with `old` (refusing a wrong one as [`unlock`] does),
    /// checks `new` against the rules, and locks again with at least the default settings.
    ///
    /// [`unlock`]: PinLockedKeys::unlock
    pub fn change(&self, old: &str, new: &str, device_id: &str) -> Result<Self, PinError> {
        super::check_new_pin(new)?;
        let device = self.unlock(old, device_id)?;
        Self::lock(&device, new, self.params.raised_to(&KdfParams::DEFAULT), device_id)
    }

    /// The Argon2id settings this blob was locked with.
    pub fn params(&self) -> KdfParams {
        self.params
    }

    /// The salt (public, like the settings).
    pub fn salt(&self) -> &[u8; SALT_LEN] {
        &self.salt
    }

    /// The id of the PIN-derived key, as the envelope names it (one-way, like every key id).
    pub fn key_id(&self) -> KeyId {
        self.envelope.key_id()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = codec_writer(FORMAT);
        w.bytes(KDF, &[KDF_ARGON2ID_13])
            .bytes(MEMORY, &self.params.memory_kib.to_be_bytes())
            .bytes(PASSES, &self.params.iterations.to_be_bytes())
            .bytes(LANES, &self.params.lanes.to_be_bytes())
            .bytes(SALT, &self.salt)
            .bytes(ENVELOPE, self.envelope.as_bytes());
        std::mem::take(&mut w.out)
    }

    /// Reads the stored form; settings out of bounds are refused here, before any derivation.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PinError> {
        let mut r = codec_reader(bytes, FORMAT, WHAT)?;
        let (mut kdf, mut memory, mut passes, mut lanes, mut salt, mut envelope) = (None, None, None, None, None, None);
        while let Some((tag, value)) = r.next_field()? {
            match tag {
                KDF => kdf = Some(value),
                MEMORY => memory = Some(u32::from_be_bytes(r.array(value)?)),
                PASSES => passes = Some(u32::from_be_bytes(r.array(value)?)),
                LANES => lanes = Some(u32::from_be_bytes(r.array(value)?)),
                SALT => salt = Some(r.array::<SALT_LEN>(value)?),
                ENVELOPE => envelope = Some(Envelope::from_bytes(value.to_vec())?),
                _ => {}
            }
        }
        if kdf != Some(&[KDF_ARGON2ID_13][..]) {
            return Err(VaultError::UnsupportedFormat {
                what: WHAT,
                format: kdf.and_then(|k| k.first().copied()).unwrap_or(0),
            }
            .into());
        }
        let (Some(memory_kib), Some(iterations), Some(lanes), Some(salt), Some(envelope)) =
            (memory, passes, lanes, salt, envelope)
        else {
            return Err(r.malformed().into());
        };
        let params = KdfParams {
            memory_kib,
            iterations,
            lanes,
        };
        params.check()?;
        Ok(PinLockedKeys { params, salt, envelope })
    }

    /// The base64url text kept in `chrome.storage.local`.
    pub fn to_text(&self) -> String {
        base64url_encode(&self.to_bytes())
    }

    pub fn parse(text: &str) -> Result<Self, PinError> {
        let bytes = Zeroizing::new(base64url_decode(text.trim()).ok_or(VaultError::NotBase64)?);
        Self::from_bytes(&bytes)
    }
}

impl std::fmt::Debug for PinLockedKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PinLockedKeys({:?}, {:?})", self.params, self.envelope)
    }
}
