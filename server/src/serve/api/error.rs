//! The API's one error type. Every error is JSON, `{"error": {"code": "...", "message": "..."}}`, with
//! a stable machine-readable `code` (listed in docs/api.md) and a sentence a person can act on.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::db::DbError;
use crate::log;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// For 429: seconds until a retry may succeed.
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// The request is malformed (bad JSON, a field of the wrong type or shape).
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// Well-formed, but a value is not acceptable (an empty name, a bad e-mail address).
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", message)
    }

    pub fn rate_limited(what: &str, retry_after: u64) -> Self {
        ApiError {
            retry_after: Some(retry_after.max(1)),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
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
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
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
                code: self.code,
                message: &self.message,
            },
        })
        .unwrap_or_default();
        let mut response = (self.status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
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
        let status = match &err {
            DbError::NotFound(_) => StatusCode::NOT_FOUND,
            DbError::Conflict(_) | DbError::StaleVersion { .. } | DbError::LimitReached(_) => StatusCode::CONFLICT,
            DbError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            DbError::Forbidden(_) => StatusCode::FORBIDDEN,
            DbError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            DbError::Migration { .. } | DbError::Query(_) => {
                return ApiError::internal("database", &err);
            }
        };
        let message = match &err {
            DbError::Unavailable(_) => "the database is unavailable right now; try again shortly".to_string(),
            other => other.to_string(),
        };
        if matches!(err, DbError::Unavailable(_)) {
            log::error("database_unavailable", &[("detail", err.to_string().as_str().into())]);
        }
        ApiError::new(status, err.code(), message)
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
        assert_eq!((e.status, e.code), (StatusCode::CONFLICT, "stale_version"));
        let e = ApiError::from(DbError::Query("syntax error near SELECT".into()));
        assert_eq!((e.status, e.code), (StatusCode::INTERNAL_SERVER_ERROR, "internal"));
        assert!(!e.message.contains("SELECT"));
        let e = ApiError::from(DbError::Unavailable("connection refused to 10.0.0.5".into()));
        assert!(!e.message.contains("10.0.0.5"));
    }
}
