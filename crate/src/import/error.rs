use thiserror::Error;

use crate::otp::OtpError;

/// Why a file, or one entry in it, was not imported. Each message says what the person can do.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportError {
    #[error("the file is empty: choose the export file the authenticator app wrote")]
    Empty,
    #[error(
        "the file is {0} bytes, more than the 16 MiB an authenticator export can be: choose the export file itself"
    )]
    TooLarge(usize),
    #[error("this file is not an export Latchkey reads: use Google Authenticator's export QR, an Aegis, 2FAS or andOTP backup, a Bitwarden JSON export, or a list of otpauth:// links")]
    UnknownFormat,
    #[error("the {format} file is not valid JSON ({detail}): it may be truncated or damaged; export it again")]
    BadJson { format: &'static str, detail: String },
    #[error("the {format} file lacks its {field}: it may be damaged or from an unsupported version; export it again")]
    MissingField { format: &'static str, field: &'static str },
    #[error("the {format} file's {field} is not valid {encoding}: it may be damaged; export it again")]
    BadEncoding {
        format: &'static str,
        field: &'static str,
        encoding: &'static str,
    },
    #[error("the {0} file is encrypted: enter the password it was exported with")]
    PasswordNeeded(&'static str),
    #[error("the password does not open this {0} file (or the file was altered): check the password and try again")]
    WrongPassword(&'static str),
    #[error("the {format} file asks for key derivation settings beyond what Latchkey runs ({detail}): export it again with the app's default settings")]
    KdfTooCostly { format: &'static str, detail: String },
    #[error("the {0} file has no password slot Latchkey can open (only biometric or hardware-key slots): add a password in the app and export again")]
    NoPasswordSlot(&'static str),
    #[error("Bitwarden's encrypted export is not supported: export from Bitwarden as JSON (not encrypted) and delete the file after the import")]
    BitwardenEncrypted,
    #[error("the file holds {0} entries, more than the 20000 one import takes: split it")]
    TooManyEntries(usize),
    #[error("the Google Authenticator export is not valid: {0}")]
    BadMigration(&'static str),
    #[error("{0} codes are not supported: Latchkey makes TOTP, HOTP and Steam codes")]
    UnsupportedType(String),
    #[error("this is a counter-based (HOTP) key: Latchkey fills time-based codes for now, so it is not imported")]
    CounterBased,
    #[error("the entry has no secret key")]
    MissingSecret,
    #[error("the entry's {field} is not valid: {detail}")]
    BadField { field: &'static str, detail: String },
    #[error("{0}")]
    Otp(#[from] OtpError),
}
