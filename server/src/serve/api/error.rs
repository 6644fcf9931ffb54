//! The API's one error type. Every error is JSON, `{"error": {"code": "...", "message": "..."}}`, with
//! a stable machine-readable `code` (listed in docs/api.md) and a sentence a person can act on.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::db::DbError;
use crate::domain::{EmailError, Refusal, UnknownRole};
use crate::log;

/// Every error code the API answers with, each with its HTTP status. The codes are a contract:
/// docs/api.md lists them and the extension reacts to some (wiping its keys on
/// [`ErrorCode::wipes_device`]); `tests/api_error_codes.rs` holds all three to this list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    BadRequest,
    UnsupportedMediaType,
    PayloadTooLarge,
    Invalid,
    Unauthenticated,
    DeviceDisabled,
    DeviceDenied,
    UserDeprovisioned,
    UntrustedDevice,
    Forbidden,
    BadSignature,
    WrongAccount,
    NotFound,
    Conflict,
    StaleVersion,
    LimitReached,
    NoNumbersAvailable,
    NumberProviderFailed,
    CodeWrong,
    CodeExpired,
    CodeUsed,
    CodeAttempts,
    WrongNumber,
    RateLimited,
    Unavailable,
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 26] = [
        ErrorCode::BadRequest,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::PayloadTooLarge,
        ErrorCode::Invalid,
        ErrorCode::Unauthenticated,
        ErrorCode::DeviceDisabled,
        ErrorCode::DeviceDenied,
        ErrorCode::UserDeprovisioned,
        ErrorCode::UntrustedDevice,
        ErrorCode::Forbidden,
        ErrorCode::BadSignature,
        ErrorCode::WrongAccount,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::StaleVersion,
        ErrorCode::LimitReached,
        ErrorCode::NoNumbersAvailable,
        ErrorCode::NumberProviderFailed,
        ErrorCode::CodeWrong,
        ErrorCode::CodeExpired,
        ErrorCode::CodeUsed,
        ErrorCode::CodeAttempts,
        ErrorCode::WrongNumber,
        ErrorCode::RateLimited,
        ErrorCode::Unavailable,
        ErrorCode::Internal,
    ];

    /// The stable text of the code, as clients see it in `{"error": {"code": …}}`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::Invalid => "invalid",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::DeviceDisabled => "device_disabled",
            ErrorCode::DeviceDenied => "device_denied",
            ErrorCode::UserDeprovisioned => "user_deprovisioned",
            ErrorCode::UntrustedDevice => "untrusted_device",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::BadSignature => "bad_signature",
            ErrorCode::WrongAccount => "wrong_account",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::StaleVersion => "stale_version",
            ErrorCode::LimitReached => "limit_reached",
            ErrorCode::NoNumbersAvailable => "no_numbers_available",
            ErrorCode::NumberProviderFailed => "number_provider_failed",
            ErrorCode::CodeWrong => "code_wrong",
            ErrorCode::CodeExpired => "code_expired",
            ErrorCode::CodeUsed => "code_used",
            ErrorCode::CodeAttempts => "code_attempts",
            ErrorCode::WrongNumber => "wrong_number",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Internal => "internal",
        }
    }

    /// The HTTP status that goes with the code (one per code).
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::BadRequest => StatusCode::BAD_REQUEST,
            ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::Invalid
            | ErrorCode::CodeWrong
            | ErrorCode::CodeExpired
            | ErrorCode::CodeUsed
            | ErrorCode::CodeAttempts
            | ErrorCode::WrongNumber => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Unauthenticated
            | ErrorCode::DeviceDisabled
            | ErrorCode::DeviceDenied
            | ErrorCode::UserDeprovisioned => StatusCode::UNAUTHORIZED,
            ErrorCode::UntrustedDevice | ErrorCode::Forbidden | ErrorCode::BadSignature | ErrorCode::WrongAccount => {
                StatusCode::FORBIDDEN
            }
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::Conflict | ErrorCode::StaleVersion | ErrorCode::LimitReached => StatusCode::CONFLICT,
            ErrorCode::NoNumbersAvailable | ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::NumberProviderFailed => StatusCode::BAD_GATEWAY,
            ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// After these the device's keys and workspace data must go (the extension wipes them).
    pub fn wipes_device(self) -> bool {
        matches!(self, ErrorCode::DeviceDisabled | ErrorCode::UserDeprovisioned)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// For 429: seconds until a retry may succeed.
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn status(&self) -> StatusCode {
        self.code.status()
    }

    /// The request is malformed (bad JSON, a field of the wrong type or shape).
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadRequest, message)
    }

    /// Well-formed, but a value is not acceptable (an empty name, a bad e-mail address).
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Invalid, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Forbidden, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Conflict, message)
    }

    pub fn rate_limited(what: &str, retry_after: u64) -> Self {
        ApiError {
            retry_after: Some(retry_after.max(1)),
            ..Self::new(
                ErrorCode::RateLimited,
                format!("too many {what}: wait {} seconds and try again", retry_after.max(1)),
            )
        }
    }

    /// Something failed on our side; the details go to the log, not to the client.
    pub fn internal(context: &str, detail: &dyn std::fmt::Display) -> Self {
        log::error(
            "internal_error",
            &[
                ("context", context.into()),
                ("detail", detail.to_string().as_str().into()),
            ],
        );
        Self::new(
            ErrorCode::Internal,
            "the server failed to handle this request; it was logged, please try again",
        )
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&Body {
            error: Inner {
                code: self.code.as_str(),
                message: &self.message,
            },
        })
        .unwrap_or_default();
        let mut response = (self.status(), [(header::CONTENT_TYPE, "application/json")], body).into_response();
        if let Some(seconds) = self.retry_after {
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

impl From<DbError> for ApiError {
    fn from(err: DbError) -> Self {
        let code = match &err {
            DbError::NotFound(_) => ErrorCode::NotFound,
            DbError::Conflict(_) => ErrorCode::Conflict,
            DbError::StaleVersion { .. } => ErrorCode::StaleVersion,
            DbError::LimitReached(_) => ErrorCode::LimitReached,
            DbError::Invalid(_) => ErrorCode::Invalid,
            DbError::Forbidden(_) => ErrorCode::Forbidden,
            DbError::Unavailable(_) => {
                log::error("database_unavailable", &[("detail", err.to_string().as_str().into())]);
                return ApiError::new(
                    ErrorCode::Unavailable,
                    "the database is unavailable right now; try again shortly",
                );
            }
            DbError::Migration { .. } | DbError::Query(_) => return ApiError::internal("database", &err),
        };
        ApiError::new(code, err.to_string())
    }
}

/// A role's permission refused: 403 with the rule's sentence.
impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        ApiError::forbidden(refusal.to_string())
    }
}

impl From<UnknownRole> for ApiError {
    fn from(err: UnknownRole) -> Self {
        ApiError::invalid(err.to_string())
    }
}

impl From<EmailError> for ApiError {
    fn from(err: EmailError) -> Self {
        ApiError::invalid(err.to_string())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_errors_keep_their_codes_and_hide_internals() {
        let e = ApiError::from(DbError::StaleVersion {
            expected: 1,
            current: 2,
        });
        assert_eq!((e.status(), e.code.as_str()), (StatusCode::CONFLICT, "stale_version"));
        let e = ApiError::from(DbError::Query("syntax error near SELECT".into()));
        assert_eq!(
            (e.status(), e.code.as_str()),
            (StatusCode::INTERNAL_SERVER_ERROR, "internal")
        );
        assert!(!e.message.contains("SELECT"));
        let e = ApiError::from(DbError::Unavailable("connection refused to 10.0.0.5".into()));
        assert!(!e.message.contains("10.0.0.5"));
    }
}
