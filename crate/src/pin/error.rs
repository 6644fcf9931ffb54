use thiserror::Error;

use crate::vault::VaultError;

/// Why a PIN was refused, or the PIN-locked keys did not open. Each message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PinError {
    #[error("choose a PIN of at least 6 digits, or a passphrase of at least 8 characters")]
    Empty,
    #[error("a PIN needs at least 6 digits; this one has {0} (or use a passphrase of 8 characters or more)")]
    PinTooShort(usize),
    #[error("a passphrase needs at least 8 characters; this one has {0} (or use a PIN of 6 digits or more)")]
    PassphraseTooShort(usize),
    #[error("keep the PIN or passphrase to 128 characters; this one has {0}")]
    TooLong(usize),
    #[error("that PIN is too easy to guess ({0}): choose 6 or more digits without a pattern")]
    WeakPin(&'static str),
    #[error("that passphrase is too easy to guess ({0}): choose another, such as a few unrelated words")]
    WeakPassphrase(&'static str),
    #[error("that PIN is wrong")]
    WrongPin,
    #[error(
        "this device's locked keys are damaged (they do not authenticate), so Latchkey cannot open them: \
         join the workspace again on this device"
    )]
    Damaged,
    #[error(
        "this device's locked keys ask for Argon2id settings Latchkey refuses ({0}): they were altered; \
         join the workspace again on this device"
    )]
    BadParams(&'static str),
    #[error("the browser could not run Argon2id with these settings (out of memory?): close some tabs and try again")]
    Kdf,
    #[error(transparent)]
    Vault(#[from] VaultError),
}
