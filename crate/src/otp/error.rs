use thiserror::Error;

/// Why a secret, URI or parameter was refused. Each message says what to fix.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OtpError {
    #[error("the secret key is empty: paste the key the app showed (letters A-Z and digits 2-7)")]
    EmptySecret,
    #[error("the secret key has {found:?} at position {position}: a key uses only letters A-Z and digits 2-7")]
    InvalidSecretChar { found: char, position: usize },
    #[error("the secret key has {found:?} at position {position} after its '=' padding: padding may only end the key")]
    DataAfterPadding { found: char, position: usize },
    #[error("the secret key is too short: it must decode to at least one byte (two characters or more)")]
    SecretTooShort,
    #[error("unsupported algorithm {0:?}: use SHA1, SHA256 or SHA512 (also SHA224, SHA384, SHA3-224/256/384/512)")]
    UnknownAlgorithm(String),
    #[error("digits must be a whole number from 1 to 10, not {0:?}")]
    InvalidDigits(String),
    #[error("period must be a whole number of seconds, at least 1, not {0:?}")]
    InvalidPeriod(String),
    #[error("counter must be a whole number from 0 to 18446744073709551615, not {0:?}")]
    InvalidCounter(String),
    #[error("not an otpauth:// URI: expected otpauth://totp/..., otpauth://hotp/... or steam://KEY")]
    NotAnOtpUri,
    #[error("unsupported OTP type {0:?}: use totp or hotp")]
    UnknownType(String),
    #[error("the URI has no secret: add secret=KEY")]
    MissingSecret,
    #[error("the URI's {0} has a bad percent-escape {1:?}: use %XX with two hex digits")]
    BadPercentEncoding(&'static str, String),
    #[error("the URI's {0} is not valid UTF-8 once percent-decoded")]
    NotUtf8(&'static str),
}
