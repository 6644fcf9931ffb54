//! The trust flow (docs/api.md, "Trust flow"): a device registers as *pending*, proves its user's
//! mailbox with an e-mailed code, then becomes trusted in one of three ways: it is the user's
//! first device (it uploads the user's new keys), it unlocked the user key with the Recovery Kit,
//! or a trusted device of the same user approved it with a signed grant. The server checks every
//! signature it can (the enrollment proof, the grant) but never sees a key.
//!
//! Codes are never logged; the e-mail goes to the relay (or the development outbox).

use std::time::Duration;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};

use super::auth::{Session, Trusted};
use super::body::{ok, reply, Json, B64};
use super::error::{ApiError, ApiResult};
use crate::log;
use crate::serve::ratelimit::Limit;
use crate::serve::state::{now_unix, AppState};
use latchkey::db::{ApprovalRequest, Device, DeviceStatus, User, UserStatus};
use latchkey_core::device::{
    self as core_device, new_email_code, verify_enrollment, ApprovalGrant, DeviceError, PendingEmailCode,
    EMAIL_CODE_LIFETIME_SECS,
};
use latchkey_core::vault::PublicKeys;

/// Registrations per e-mail address (the server is not told client addresses, so the address
/// registered for is the key): enough for a person setting up several browsers.
const REGISTER_PER_EMAIL: Limit = Limit {
    max: 20,
    window: Duration::from_secs(60 * 60),
};
/// E-mailed codes per user and per address, counted in the database (all instances).
const CODES_PER_WINDOW: i64 = 5;
const CODE_WINDOW_SECS: i64 = 15 * 60;
/// At most one code per device every 30 seconds (a double click sends one e-mail).
const CODE_RESEND: Limit = Limit {
    max: 1,
    window: Duration::from_secs(30),
};
/// Long polls answer within this many seconds (below common proxy idle timeouts).
pub const MAX_WAIT_SECS: u64 = 25;
const POLL_EVERY: Duration = Duration::from_millis(250);

mod approval;
mod email_code;
mod keys;
mod register;

use approval::{approvals, approve, deny, request_approval, status};
use email_code::{send_code, verify_code};
use keys::{first_device, recover, recovery};
use register::{me, register};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/devices/register", post(register))
        .route("/me", get(me))
        .route("/trust/email-code", post(send_code))
        .route("/trust/email-code/verify", post(verify_code))
        .route("/trust/first-device", post(first_device))
        .route("/trust/recovery", get(recovery))
        .route("/trust/recover", post(recover))
        .route("/trust/approval", post(request_approval))
        .route("/trust/status", get(status))
        .route("/approvals", get(approvals))
        .route("/approvals/{id}/approve", post(approve))
        .route("/approvals/{id}/deny", post(deny))
}

// ---- shared JSON shapes ----

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DeviceJson {
    id: String,
    name: String,
    status: &'static str,
    created_at: i64,
    last_seen_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    current: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email_verified: Option<bool>,
}

impl DeviceJson {
    pub(super) fn of(device: &Device, current: Option<bool>) -> Self {
        DeviceJson {
            id: device.id.clone(),
            name: device.name.clone(),
            status: device.status.as_str(),
            created_at: device.created_at,
            last_seen_at: device.last_seen_at,
            current,
            email_verified: None,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UserJson<'a> {
    id: &'a str,
    workspace_id: &'a str,
    email: &'a str,
    display_name: &'a str,
    role: &'static str,
    status: &'static str,
    has_keys: bool,
}

fn user_json(user: &User) -> UserJson<'_> {
    UserJson {
        id: &user.id,
        workspace_id: &user.workspace_id,
        email: &user.email,
        display_name: &user.display_name,
        role: user.role.as_str(),
        status: user.status.as_str(),
        has_keys: user.public_keys.is_some(),
    }
}

/// The `?wait=SECONDS` of a long poll, capped at [`MAX_WAIT_SECS`]; 0 when absent.
pub(super) fn wait_secs(query: Option<&str>) -> ApiResult<u64> {
    let Some(query) = query else { return Ok(0) };
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if name == "wait" {
            let secs: u64 = value
                .parse()
                .map_err(|_| ApiError::invalid("`wait` must be a whole number of seconds (at most 25)"))?;
            return Ok(secs.min(MAX_WAIT_SECS));
        }
    }
    Ok(0)
}

fn device_keys(device: &Device) -> ApiResult<PublicKeys> {
    PublicKeys::from_bytes(&device.public_keys).map_err(|e| ApiError::internal("stored device keys", &e))
}

/// Refuses a device left pending for over an hour, as if its approval had been denied.
fn not_stale(session: &Session) -> ApiResult<()> {
    if session.device.pending_too_long(now_unix()) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "device_denied",
            "this device waited more than an hour to be trusted: start again to trust it",
        ));
    }
    Ok(())
}

fn require_pending(session: &Session) -> ApiResult<()> {
    not_stale(session)?;
    if session.device.status != DeviceStatus::Pending {
        return Err(ApiError::conflict("this device is already trusted"));
    }
    Ok(())
}

fn require_verified(session: &Session) -> ApiResult<()> {
    require_pending(session)?;
    if session.device.email_verified_at.is_none() {
        return Err(ApiError::forbidden(
            "verify this device's e-mail address first (POST /trust/email-code, then /trust/email-code/verify)",
        ));
    }
    Ok(())
}

fn bad_proof(err: DeviceError) -> ApiError {
    ApiError::invalid(err.to_string())
}

fn unix(now: i64) -> u64 {
    u64::try_from(now).unwrap_or(0)
}
