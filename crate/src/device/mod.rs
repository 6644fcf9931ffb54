//! Trusted sessions: device names, fingerprint phrases, approval grants, the Recovery Kit and the
//! server's e-mail codes (DESIGN.md, "Trusted sessions"). Pure functions: time is passed in.

mod email_code;
mod enrollment;
mod error;
mod fingerprint;
mod grant;
mod name;
mod number;
mod recovery;
mod store;
mod user_agent;
mod words;

pub use email_code::{
    email_code_hash, new_email_code, PendingEmailCode, EMAIL_CODE_DIGITS, EMAIL_CODE_LIFETIME_SECS,
    EMAIL_CODE_MAX_ATTEMPTS,
};
pub use enrollment::{enrollment_message, sign_enrollment, verify_enrollment};
pub use error::DeviceError;
pub use fingerprint::{fingerprint_phrase, fingerprint_words, PHRASE_WORDS};
pub use grant::{ApprovalGrant, ApprovalRequest, CLOCK_SKEW_SECS, GRANT_LIFETIME_SECS};
pub use name::{
    check_name_unique, default_device_name, name_key, names_clash, unique_device_name, validate_device_name,
    MAX_NAME_CHARS,
};
pub use number::{match_number_eq, new_match_number, parse_match_number, MATCH_NUMBER_MAX, MATCH_NUMBER_MIN};
pub use recovery::RecoveryKit;
pub use user_agent::DeviceInfo;
pub use words::{word, WORD_COUNT};
