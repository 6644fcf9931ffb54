//! The unlock PIN: what makes **Lock** mean something (docs/security.md, "The unlock PIN").
//!
//! A trusted device's own keys (the ones the server seals the user key to) are kept at rest only
//! under a key stretched from the person's PIN or passphrase with Argon2id, so after Lock, the idle
//! timeout or a browser restart nothing on the device opens the vault until the PIN is typed again.
//!
//! - [`check_new_pin`]: what a new PIN or passphrase must be (6+ digits without an obvious
//!   pattern, or 8+ characters), refusing the ones guessed first.
//! - [`KdfParams`]: the Argon2id cost, stored with each locked blob so it can be raised later.
//! - [`PinLockedKeys`]: the device keys under the PIN-derived key (format in docs/vault.md).
//! - [`MAX_ATTEMPTS`]: wrong tries before the extension wipes the device's keys.
//!
//! Security caveats: the PIN stops someone at the locked browser (a few tries, then the keys are
//! gone), not someone with a copy of the profile, who can guess offline at Argon2id's cost per
//! guess: a 6-digit PIN falls in hours on one machine, a 4-word passphrase does not. The derived
//! key and Argon2id's working memory are wiped after use; the PIN text crosses from JavaScript,
//! which cannot wipe strings.

mod error;
mod locked;
mod params;
mod rules;
mod store;

pub use error::PinError;
pub use locked::PinLockedKeys;
pub use params::KdfParams;
pub use rules::{check_new_pin, MAX_CHARS, MIN_PASSPHRASE_CHARS, MIN_PIN_DIGITS};
pub use store::UnlockedDevice;

/// Wrong PINs in a row after which the extension wipes this device's keys (it then rejoins with
/// its e-mail code and an approval or the Recovery Kit): against a uniformly random 6-digit PIN,
/// someone at the browser has 5 chances in 10^6, and the rules remove the PINs guessed first.
pub const MAX_ATTEMPTS: u32 = 5;

/// How many tries are left after `failures` wrong PINs in a row (0: wipe now).
pub fn tries_left(failures: u32) -> u32 {
    MAX_ATTEMPTS.saturating_sub(failures)
}
