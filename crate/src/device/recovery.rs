//! The Recovery Kit: 128 random bits that restore a user's key on a fresh device when no trusted
//! device is at hand, shown once and kept by the person (printed, or in another password manager).
//!
//! Text form: 26 Crockford base32 symbols for the 128 bits (the first symbol carries 3 bits, so it
//! is 0-7), then 2 check symbols `c` chosen so that the whole 28-symbol number, `value · 32² + c`,
//! is a multiple of 1021; in 7 groups of 4: `0ABC-DEFG-HJKM-NPQR-STVW-XYZ0-12CK`. Crockford's
//! alphabet has no I, L, O or U; reading accepts i/l as 1 and o as 0, any case, and ignores spaces
//! and dashes.
//!
//! Because 1021 is a prime above 31 that divides neither 31 nor 1023, every single wrong symbol
//! (the number changes by d·32^k), every swap of two neighbouring symbols ((a−b)·31·32^k) and every
//! swap of symbols one apart ((a−b)·1023·32^k) is caught, check symbols included, like an ISBN's
//! check digit. Other typos slip through with probability about 1/1021, and then fail to decrypt.
//!
//! The kit is high-entropy, so HKDF-SHA256 (RFC 5869) derives the wrapping key; no password hash
//! is needed. Anyone holding the kit and the server's copy of the wrapped user key is the user:
//! the kit must be stored like a master password.

use zeroize::Zeroizing;

use super::DeviceError;
use crate::crypto::{hkdf, random};
use crate::vault::{Context, Envelope, ObjectType, SecretBytes, UserKey, VaultError};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const PAYLOAD_SYMBOLS: usize = 26;
const SYMBOLS: usize = 28;
const CHECK_MODULUS: u128 = 1021;

/// The two check symbols' value: makes `value · 1024 + check` a multiple of 1021.
fn check_for(value: u128) -> u128 {
    (CHECK_MODULUS - (value % CHECK_MODULUS) * 1024 % CHECK_MODULUS) % CHECK_MODULUS
}

/// A Recovery Kit's secret. Wiped on drop; `Debug` prints nothing of it.
pub struct RecoveryKit(Zeroizing<[u8; 16]>);

impl RecoveryKit {
    pub fn generate() -> Self {
        RecoveryKit(Zeroizing::new(random::bytes()))
    }

    /// The text to show once, in groups of four.
    pub fn to_text(&self) -> Zeroizing<String> {
        let value = u128::from_be_bytes(*self.0);
        let mut symbols = Zeroizing::new([0u8; SYMBOLS]);
        for i in 0..PAYLOAD_SYMBOLS {
            symbols[PAYLOAD_SYMBOLS - 1 - i] = ((value >> (5 * i)) & 31) as u8;
        }
        let check = check_for(value);
        symbols[26] = (check / 32) as u8;
        symbols[27] = (check % 32) as u8;
        let mut text = Zeroizing::new(String::with_capacity(34));
        for (i, s) in symbols.iter().enumerate() {
            if i > 0 && i % 4 == 0 {
                text.push('-');
            }
            text.push(ALPHABET[*s as usize] as char);
        }
        text
    }

    /// Reads a kit as a person types it; every typo the check can see is reported as such.
    pub fn parse(text: &str) -> Result<Self, DeviceError> {
        let mut symbols = Zeroizing::new(Vec::with_capacity(SYMBOLS));
        for (position, c) in text.chars().enumerate() {
            if c.is_whitespace() || c == '-' {
                continue;
            }
            let v = match c.to_ascii_uppercase() {
                'O' => 0,
                'I' | 'L' => 1,
                u => ALPHABET
                    .iter()
                    .position(|a| *a as char == u)
                    .ok_or(DeviceError::KitCharacter {
                        found: c,
                        position: position + 1,
                    })?,
            };
            symbols.push(v as u128);
        }
        if symbols.len() != SYMBOLS {
            return Err(DeviceError::KitLength(symbols.len()));
        }
        if symbols[0] > 7 {
            return Err(DeviceError::KitTypo);
        }
        let value = symbols[..PAYLOAD_SYMBOLS].iter().fold(0u128, |acc, s| acc << 5 | s);
        let check = symbols[26] * 32 + symbols[27];
        if check >= CHECK_MODULUS || !((value % CHECK_MODULUS) * 1024 + check).is_multiple_of(CHECK_MODULUS) {
            return Err(DeviceError::KitTypo);
        }
        Ok(RecoveryKit(Zeroizing::new(value.to_be_bytes())))
    }

    fn wrapping_key(&self) -> SecretBytes {
        let key = Zeroizing::new(hkdf::derive_key(
            b"latchkey recovery kit v1",
            self.0.as_ref(),
            b"user key",
        ));
        SecretBytes::new(*key)
    }

    /// Wraps the user key for the server to keep ([`Context::user_key_recovery`]).
    pub fn wrap_user_key(&self, user_key: &UserKey, context: &Context) -> Result<Envelope, VaultError> {
        context.expect(ObjectType::UserKeyRecovery)?;
        Ok(Envelope::encrypt(&self.wrapping_key(), context, user_key.bytes()))
    }

    /// Unwraps the user key on a fresh device.
    pub fn unwrap_user_key(&self, envelope: &Envelope, context: &Context) -> Result<UserKey, VaultError> {
        context.expect(ObjectType::UserKeyRecovery)?;
        let bytes = envelope.decrypt(&self.wrapping_key(), context)?;
        Ok(UserKey::from_bytes(
            bytes
                .as_slice()
                .try_into()
                .map_err(|_| VaultError::Malformed("user key"))?,
        ))
    }
}

impl std::fmt::Debug for RecoveryKit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKit(redacted)")
    }
}
