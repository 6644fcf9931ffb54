use thiserror::Error;

use crate::vault::VaultError;

/// Why a device name, approval, Recovery Kit or e-mail code was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DeviceError {
    #[error("the device name is empty: give this device a name")]
    EmptyName,
    #[error("the device name is too long ({0} characters): keep it to 64")]
    NameTooLong(usize),
    #[error("the device name contains a control character: use letters, digits, spaces and punctuation")]
    NameHasControl,
    #[error(
        "the device name contains an invisible or text-direction character ({0}): type the name with visible \
         letters, digits, spaces and punctuation only"
    )]
    NameHasInvisible(String),
    #[error("you already have a device named {0:?} (or one that looks the same): choose another name")]
    NameTaken(String),
    #[error("this approval is for another request or device: ask again from this device")]
    WrongDevice,
    #[error("this approval was not signed by one of your trusted devices: deny it and tell your administrator")]
    UnknownApprover,
    #[error("this approval's signature does not verify: it was forged or altered, so it was ignored")]
    Forged,
    #[error("this approval expired: ask your trusted device to approve again")]
    Expired,
    #[error(
        "this device's enrollment proof does not verify under the user's keys: unlock the user key again \
         (Recovery Kit) and retry"
    )]
    BadProof,
    #[error("this approval claims to last too long, which a genuine one never does: it was ignored")]
    TooLongLived,
    #[error("a Recovery Kit has 28 letters and digits (7 groups of 4); this one has {0}")]
    KitLength(usize),
    #[error("the Recovery Kit has {found:?} at position {position}, which never appears in a kit: check that group")]
    KitCharacter { found: char, position: usize },
    #[error("the Recovery Kit has a typo: compare each group with the printed kit")]
    KitTypo,
    #[error("this e-mail code expired: ask for a new one")]
    CodeExpired,
    #[error("too many wrong codes: ask for a new one")]
    CodeAttempts,
    #[error("this e-mail code was already used: ask for a new one")]
    CodeUsed,
    #[error("that code is wrong: check the latest e-mail ({attempts_left} tries left)")]
    CodeWrong { attempts_left: u32 },
    #[error(transparent)]
    Vault(#[from] VaultError),
}
