//! The trust flow (docs/api.md, "Trust flow"): a device registers as *pending*, then becomes
//! trusted in one of three ways: it proves its user's mailbox with an e-mailed code and is the
//! user's first device (it uploads the user's new keys) or unlocks the user key with the Recovery
//! Kit; or a trusted device of the same user approves it with a signed grant, after the person
//! typed the number the new device shows. The server checks every signature it can (the
//! enrollment proof, the grant) but never sees a key.
//!
//! Before a device proves the mailbox, nothing it is told depends on whether the address is a
//! user, or on the user's devices: registrations for unknown addresses are *ghosts* answered the
//! same way (`Caller::Ghost`), e-mail goes out in the background (its timing tells nothing), and
//! the device limit and name rule apply when a device is about to be trusted.
//!
//! Codes are never logged; the e-mail goes to the relay (or the development outbox).

use std::time::Duration;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};

use super::auth::{Caller, Session, Trusted};
use super::body::{ok, reply, Json, B64};
use super::error::{ApiError, ApiResult, ErrorCode};
use crate::db::{ApprovalRequest, Device, DeviceStatus, RateCheck, User, UserStatus};
use crate::domain::Email;
use crate::log;
use crate::serve::client::Client;
use crate::serve::ratelimit as limits;
use crate::serve::state::{now_unix, AppState};
use latchkey_core::device::{
    self as core_device, new_email_code, verify_enrollment, ApprovalGrant, DeviceError, PendingEmailCode,
    EMAIL_CODE_LIFETIME_SECS,
};
use latchkey_core::vault::PublicKeys;

/// Long polls answer within this many seconds (below common proxy idle timeouts).
pub const MAX_WAIT_SECS: u64 = 25;
/// Open approval requests listed at most (newest first); the total is given beside them.
pub const REQUESTS_PAGE: i64 = 10;

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

/// What a device that has not proved the mailbox is told about itself: the same for a real
/// pending device and a ghost (nothing about the user).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UnverifiedDevice<'a> {
    id: &'a str,
    name: &'a str,
    status: &'static str,
    created_at: i64,
    current: bool,
    email_verified: bool,
}

impl<'a> UnverifiedDevice<'a> {
    fn of(caller: &'a Caller) -> Self {
        let (id, name, created_at) = match caller {
            Caller::Device(s) => (s.device.id.as_str(), s.device.name.as_str(), s.device.created_at),
            Caller::Ghost(g) => (g.id.as_str(), g.name.as_str(), g.created_at),
        };
        UnverifiedDevice {
            id,
            name,
            status: "pending",
            created_at,
            current: true,
            email_verified: false,
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

/// Refuses a device left pending too long (15 minutes without the e-mail code, an hour with),
/// as if its approval had been denied.
fn not_stale(session: &Session) -> ApiResult<()> {
    if session.device.pending_too_long(now_unix()) {
        return Err(ApiError::new(
            ErrorCode::DeviceDenied,
            "this device was not trusted in time (it waited too long without the e-mailed code or an approval): \
             start again to trust it",
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

fn not_verified() -> ApiError {
    ApiError::forbidden(
        "verify this device's e-mail address first (POST /trust/email-code, then /trust/email-code/verify)",
    )
}

/// A real pending device that proved the mailbox (a ghost never does).
fn require_verified(caller: &Caller) -> ApiResult<&Session> {
    let Caller::Device(session) = caller else {
        return Err(not_verified());
    };
    require_pending(session)?;
    if session.device.email_verified_at.is_none() {
        return Err(not_verified());
    }
    Ok(session)
}

fn bad_proof(err: DeviceError) -> ApiError {
    ApiError::invalid(err.to_string())
}

fn unix(now: i64) -> u64 {
    u64::try_from(now).unwrap_or(0)
}

/// The e-mail address a caller registered for (trimmed, lower-case).
fn caller_email(caller: &Caller) -> &str {
    match caller {
        Caller::Device(s) => &s.user.email,
        Caller::Ghost(g) => &g.email,
    }
}

/// Whose waits and events these are: the user id, or a ghost's e-mail.
fn caller_owner(caller: &Caller) -> &str {
    match caller {
        Caller::Device(s) => &s.user.id,
        Caller::Ghost(g) => &g.email,
    }
}

fn caller_id(caller: &Caller) -> &str {
    match caller {
        Caller::Device(s) => &s.device.id,
        Caller::Ghost(g) => &g.id,
    }
}
