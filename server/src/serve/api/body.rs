//! Request and response bodies: JSON in and out (with our error shape for every rejection), and
//! bytes as base64url without padding, the way the core writes envelopes and keys.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::error::{ApiError, ErrorCode};

/// Largest JSON body the API accepts (a vault item is a few KB; a rotation carries every item of
/// one account). Webhooks have their own, smaller limit.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

/// A JSON request body (`Content-Type: application/json`), or a JSON error saying what is wrong.
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => Err(rejected(rejection)),
        }
    }
}

fn rejected(rejection: JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "send the body as JSON, with Content-Type: application/json",
        ),
        JsonRejection::JsonDataError(e) => {
            ApiError::bad_request(format!("the JSON body does not fit: {}", e.body_text()))
        }
        JsonRejection::JsonSyntaxError(_) => ApiError::bad_request("the body is not valid JSON"),
        JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!(
                "the body is larger than the {} KiB this endpoint accepts",
                MAX_JSON_BYTES / 1024
            ),
        ),
        other => ApiError::bad_request(format!("the body could not be read: {}", other.body_text())),
    }
}

/// A JSON response with a status.
pub fn reply<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (status, [(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(e) => ApiError::internal("serialize response", &e).into_response(),
    }
}

/// 200 with a JSON body.
pub fn ok<T: Serialize>(value: &T) -> Response {
    reply(StatusCode::OK, value)
}

/// Bytes that travel as base64url (no padding) in JSON. Decoding is strict: the canonical text only.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct B64(pub Vec<u8>);

impl std::fmt::Debug for B64 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "B64({} bytes)", self.0.len())
    }
}

impl Serialize for B64 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&URL_SAFE_NO_PAD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for B64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        URL_SAFE_NO_PAD
            .decode(text.as_bytes())
            .map(B64)
            .map_err(|_| serde::de::Error::custom("expected base64url without padding"))
    }
}

impl From<Vec<u8>> for B64 {
    fn from(bytes: Vec<u8>) -> Self {
        B64(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_is_strict() {
        let b: B64 = serde_json::from_str("\"AAEC_w\"").unwrap();
        assert_eq!(b.0, vec![0, 1, 2, 255]);
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"AAEC_w\"");
        assert!(serde_json::from_str::<B64>("\"AAEC/w==\"").is_err());
        assert!(serde_json::from_str::<B64>("\"AAEC_w=\"").is_err());
    }
}
