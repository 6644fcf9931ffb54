//! SCIM's error shape (RFC 7644 §3.12): `{"schemas": [Error], "status": "400", "scimType": …,
//! "detail": …}` as `application/scim+json`. Storage errors map as the JSON API's do; internal ones
//! are logged and answered without detail.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::SCIM_JSON;
use crate::db::DbError;
use crate::log;

pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimError {
    pub status: StatusCode,
    pub scim_type: Option<&'static str>,
    pub detail: String,
}

pub type ScimResult<T> = Result<T, ScimError>;

impl ScimError {
    pub fn new(status: StatusCode, scim_type: Option<&'static str>, detail: impl Into<String>) -> ScimError {
        ScimError {
            status,
            scim_type,
            detail: detail.into(),
        }
    }

    pub fn invalid_value(detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::BAD_REQUEST, Some("invalidValue"), detail)
    }

    pub fn invalid_syntax(detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::BAD_REQUEST, Some("invalidSyntax"), detail)
    }

    pub fn invalid_path(detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::BAD_REQUEST, Some("invalidPath"), detail)
    }

    pub fn invalid_filter(detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::BAD_REQUEST, Some("invalidFilter"), detail)
    }

    pub fn no_target(detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::BAD_REQUEST, Some("noTarget"), detail)
    }

    pub fn not_found(detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::NOT_FOUND, None, detail)
    }

    /// Any missing, malformed, unknown or revoked token: one answer, no hint which.
    pub fn unauthenticated() -> ScimError {
        ScimError::new(
            StatusCode::UNAUTHORIZED,
            None,
            "authentication failed: send a valid SCIM token (Authorization: Bearer …)",
        )
    }

    fn internal(context: &str, detail: &dyn std::fmt::Display) -> ScimError {
        log::error(
            "internal_error",
            &[
                ("context", context.into()),
                ("detail", detail.to_string().as_str().into()),
            ],
        );
        ScimError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            None,
            "the server failed to handle this request; it was logged, please try again",
        )
    }
}

impl From<DbError> for ScimError {
    fn from(err: DbError) -> ScimError {
        match &err {
            DbError::NotFound(_) => ScimError::not_found(err.to_string()),
            DbError::Conflict(_) => ScimError::new(StatusCode::CONFLICT, Some("uniqueness"), err.to_string()),
            DbError::Invalid(_) => ScimError::invalid_value(err.to_string()),
            DbError::Forbidden(_) => ScimError::new(StatusCode::FORBIDDEN, None, err.to_string()),
            DbError::LimitReached(_) | DbError::StaleVersion { .. } => {
                ScimError::new(StatusCode::CONFLICT, None, err.to_string())
            }
            DbError::Unavailable(_) => {
                log::error("database_unavailable", &[("detail", err.to_string().as_str().into())]);
                ScimError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    None,
                    "the database is unavailable right now; try again shortly",
                )
            }
            DbError::Migration { .. } | DbError::Query(_) => ScimError::internal("database", &err),
        }
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status.as_u16().to_string(),
            "detail": self.detail,
        });
        if let Some(scim_type) = self.scim_type {
            body["scimType"] = scim_type.into();
        }
        let mut response = (self.status, [(header::CONTENT_TYPE, SCIM_JSON)], body.to_string()).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"latchkey-scim\""),
            );
        }
        response
    }
}
