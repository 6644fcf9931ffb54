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

// ---- registration and who am I ----

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Register {
    email: String,
    name: String,
    public_keys: B64,
    workspace_id: Option<String>,
}

async fn register(State(state): State<AppState>, Json(body): Json<Register>) -> ApiResult<Response> {
    let now = now_unix();
    PublicKeys::from_bytes(&body.public_keys.0).map_err(|_| {
        ApiError::invalid("publicKeys must be the device's X25519 and Ed25519 public keys (64 bytes, base64url)")
    })?;
    let email = body.email.trim().to_lowercase();
    if !email.contains('@') || email.len() > 254 {
        return Err(ApiError::invalid(format!("{email:?} is not an e-mail address")));
    }
    state
        .limits
        .check(&format!("register:{email}"), REGISTER_PER_EMAIL)
        .map_err(|wait| ApiError::rate_limited("device registrations for this address", wait))?;
    let unknown = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_user",
            "this e-mail address is not a user of any workspace here: ask your administrator to invite you",
        )
    };
    let mut users = state.db.users_with_email(&email).await?;
    let user = match &body.workspace_id {
        Some(workspace) => users
            .into_iter()
            .find(|u| &u.workspace_id == workspace)
            .ok_or_else(unknown)?,
        None if users.len() > 1 => {
            return Err(ApiError::invalid(
                "this e-mail address is a user of several workspaces: say which one (workspaceId)",
            ))
        }
        None => users.pop().ok_or_else(unknown)?,
    };
    let device = state
        .db
        .register_device(&user.id, &body.name, &body.public_keys.0, now)
        .await?;
    let token = state.db.issue_device_token(&device.id, now).await?;
    let trusted = state.db.approved_devices(&user.id).await?.len();
    log::info(
        "device_registered",
        &[("user", user.id.as_str().into()), ("device", device.id.as_str().into())],
    );
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out<'a> {
        token: String,
        device: DeviceJson,
        user: UserJson<'a>,
        /// How many trusted devices could approve this one (none: e-mail code and Recovery Kit).
        trusted_devices: usize,
    }
    Ok(reply(
        StatusCode::CREATED,
        &Out {
            token,
            device: DeviceJson::of(&device, Some(true)),
            user: user_json(&user),
            trusted_devices: trusted,
        },
    ))
}

async fn me(State(state): State<AppState>, session: Session) -> ApiResult<Response> {
    not_stale(&session)?;
    let workspace = state.db.workspace(&session.user.workspace_id).await?;
    let trusted = session.device.status == DeviceStatus::Approved && session.user.status == UserStatus::Active;
    let keys = if trusted {
        state.db.user_keys(&session.user.id).await?
    } else {
        None
    };
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct WorkspaceJson<'a> {
        id: &'a str,
        name: &'a str,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out<'a> {
        user: UserJson<'a>,
        device: DeviceJson,
        workspace: WorkspaceJson<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        public_keys: Option<B64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        sealed_private_keys: Option<B64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        user_key_envelope: Option<B64>,
    }
    let mut device = DeviceJson::of(&session.device, Some(true));
    device.email_verified = Some(session.device.email_verified_at.is_some());
    Ok(ok(&Out {
        user: user_json(&session.user),
        device,
        workspace: WorkspaceJson {
            id: &workspace.id,
            name: &workspace.name,
        },
        public_keys: keys.as_ref().map(|k| B64(k.public_keys.clone())),
        sealed_private_keys: keys.map(|k| B64(k.sealed_private_keys)),
        user_key_envelope: trusted
            .then(|| session.device.user_key_envelope.clone().map(B64))
            .flatten(),
    }))
}

// ---- e-mailed code ----

async fn send_code(State(state): State<AppState>, session: Session) -> ApiResult<Response> {
    require_pending(&session)?;
    let now = now_unix();
    let user = &session.user;
    for (key, by_user, what) in [
        (user.id.as_str(), true, "codes for this user"),
        (user.email.as_str(), false, "codes for this address"),
    ] {
        let (sent, oldest) = state.db.email_code_sends(key, by_user, now - CODE_WINDOW_SECS).await?;
        if sent >= CODES_PER_WINDOW {
            let wait = (oldest + CODE_WINDOW_SECS - now).max(1);
            return Err(ApiError::rate_limited(what, u64::try_from(wait).unwrap_or(1)));
        }
    }
    state
        .limits
        .check(&format!("email-code:{}", session.device.id), CODE_RESEND)
        .map_err(|wait| ApiError::rate_limited("codes for this device in a row", wait))?;
    let code = new_email_code();
    let pending = PendingEmailCode::new(&state.email_code_key, &user.email, &code, unix(now));
    state
        .db
        .put_email_code(&user.email, Some(&user.id), &pending, now)
        .await?;
    if let Err(err) = state
        .mailer
        .send_device_code(&user.email, &session.device.name, &code)
        .await
    {
        // Delivery failures are the one place an address may be logged (never the code).
        log::warn(
            "mail_not_sent",
            &[
                ("to", user.email.as_str().into()),
                ("detail", err.to_string().as_str().into()),
            ],
        );
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the e-mail with your code could not be sent right now; try again in a minute",
        ));
    }
    log::info(
        "email_code_sent",
        &[
            ("user", user.id.as_str().into()),
            ("device", session.device.id.as_str().into()),
        ],
    );
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out<'a> {
        sent_to: &'a str,
        expires_in: u64,
    }
    Ok(reply(
        StatusCode::ACCEPTED,
        &Out {
            sent_to: &user.email,
            expires_in: EMAIL_CODE_LIFETIME_SECS,
        },
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeBody {
    code: String,
}

async fn verify_code(
    State(state): State<AppState>,
    session: Session,
    Json(body): Json<CodeBody>,
) -> ApiResult<Response> {
    require_pending(&session)?;
    if body.code.len() > 32 {
        return Err(ApiError::invalid("the code is the 6 digits from the e-mail"));
    }
    let now = now_unix();
    let verdict = state
        .db
        .check_email_code(&state.email_code_key, &session.user.email, &body.code, now)
        .await
        .map_err(|e| match e {
            latchkey::db::DbError::NotFound(_) => {
                ApiError::not_found("no code was sent for this address yet: ask for one (POST /trust/email-code)")
            }
            other => other.into(),
        })?;
    if let Err(err) = verdict {
        let code = match err {
            DeviceError::CodeWrong { .. } => "code_wrong",
            DeviceError::CodeExpired => "code_expired",
            DeviceError::CodeUsed => "code_used",
            DeviceError::CodeAttempts => "code_attempts",
            _ => "invalid",
        };
        log::info(
            "email_code_refused",
            &[("device", session.device.id.as_str().into()), ("reason", code.into())],
        );
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, err.to_string()));
    }
    state.db.mark_email_verified(&session.device.id, now).await?;
    log::info("email_verified", &[("device", session.device.id.as_str().into())]);
    Ok(ok(&serde_json::json!({
        "verified": true,
        "hasKeys": session.user.public_keys.is_some(),
    })))
}

// ---- first device, recovery ----

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FirstDevice {
    user_public_keys: B64,
    sealed_private_keys: B64,
    recovery_envelope: B64,
    user_key_envelope: B64,
    proof: B64,
}

async fn first_device(
    State(state): State<AppState>,
    session: Session,
    Json(body): Json<FirstDevice>,
) -> ApiResult<Response> {
    require_verified(&session)?;
    let user = &session.user;
    if user.public_keys.is_some() {
        return Err(ApiError::conflict(
            "this user already has keys: unlock them with the Recovery Kit, or ask a trusted device to approve",
        ));
    }
    let user_keys = PublicKeys::from_bytes(&body.user_public_keys.0)
        .map_err(|_| ApiError::invalid("userPublicKeys must be 64 bytes (X25519 and Ed25519 public keys)"))?;
    for (bytes, what) in [
        (&body.sealed_private_keys, "sealedPrivateKeys"),
        (&body.recovery_envelope, "recoveryEnvelope"),
        (&body.user_key_envelope, "userKeyEnvelope"),
    ] {
        if bytes.0.is_empty() {
            return Err(ApiError::invalid(format!("{what} is empty")));
        }
    }
    verify_enrollment(
        &user_keys,
        &user.workspace_id,
        &user.id,
        &session.device.id,
        &device_keys(&session.device)?,
        &body.proof.0,
    )
    .map_err(bad_proof)?;
    state
        .db
        .enroll_first_device(
            &user.id,
            &session.device.id,
            &body.user_public_keys.0,
            &body.sealed_private_keys.0,
            &body.recovery_envelope.0,
            &body.user_key_envelope.0,
            now_unix(),
        )
        .await?;
    log::info(
        "device_trusted",
        &[
            ("device", session.device.id.as_str().into()),
            ("how", "first_device".into()),
        ],
    );
    Ok(ok(&serde_json::json!({ "device": { "status": "approved" } })))
}

async fn recovery(State(state): State<AppState>, session: Session) -> ApiResult<Response> {
    require_verified(&session)?;
    let keys = state.db.user_keys(&session.user.id).await?.ok_or_else(|| {
        ApiError::conflict("this user has no keys yet: this is the first device (POST /trust/first-device)")
    })?;
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out {
        user_public_keys: B64,
        sealed_private_keys: B64,
        recovery_envelope: B64,
    }
    Ok(ok(&Out {
        user_public_keys: B64(keys.public_keys),
        sealed_private_keys: B64(keys.sealed_private_keys),
        recovery_envelope: B64(keys.recovery_envelope),
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Recover {
    user_key_envelope: B64,
    proof: B64,
}

async fn recover(State(state): State<AppState>, session: Session, Json(body): Json<Recover>) -> ApiResult<Response> {
    require_verified(&session)?;
    let user = &session.user;
    let keys = state.db.user_keys(&user.id).await?.ok_or_else(|| {
        ApiError::conflict("this user has no keys yet: this is the first device (POST /trust/first-device)")
    })?;
    if body.user_key_envelope.0.is_empty() {
        return Err(ApiError::invalid("userKeyEnvelope is empty"));
    }
    let user_keys =
        PublicKeys::from_bytes(&keys.public_keys).map_err(|e| ApiError::internal("stored user keys", &e))?;
    verify_enrollment(
        &user_keys,
        &user.workspace_id,
        &user.id,
        &session.device.id,
        &device_keys(&session.device)?,
        &body.proof.0,
    )
    .map_err(bad_proof)?;
    state
        .db
        .enroll_recovered_device(&user.id, &session.device.id, &body.user_key_envelope.0)
        .await?;
    log::info(
        "device_trusted",
        &[
            ("device", session.device.id.as_str().into()),
            ("how", "recovery_kit".into()),
        ],
    );
    Ok(ok(&serde_json::json!({ "device": { "status": "approved" } })))
}

// ---- approval by a trusted device ----

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RequestJson {
    id: String,
    /// The same id under the core's name, so the extension can hand this object to the core.
    request_id: String,
    workspace: String,
    user_id: String,
    device_id: String,
    device_keys: B64,
    expires_at: i64,
}

async fn request_approval(State(state): State<AppState>, session: Session) -> ApiResult<Response> {
    require_pending(&session)?;
    if state.db.approved_devices(&session.user.id).await?.is_empty() {
        return Err(ApiError::conflict(
            "you have no trusted device to approve this one: use the e-mailed code instead",
        ));
    }
    let request = state.db.request_approval(&session.device.id, now_unix()).await?;
    log::info(
        "approval_requested",
        &[
            ("device", session.device.id.as_str().into()),
            ("request", request.id.as_str().into()),
        ],
    );
    Ok(reply(
        StatusCode::CREATED,
        &serde_json::json!({
            "request": RequestJson {
                id: request.id.clone(),
                request_id: request.id,
                workspace: session.user.workspace_id.clone(),
                user_id: session.user.id.clone(),
                device_id: session.device.id.clone(),
                device_keys: B64(session.device.public_keys.clone()),
                expires_at: request.expires_at,
            }
        }),
    ))
}

/// A request's status as the devices see it: an open request past its expiry is `expired`.
fn request_status(request: &ApprovalRequest, now: i64) -> &str {
    if request.status == "pending" && request.expires_at <= now {
        "expired"
    } else {
        &request.status
    }
}

#[derive(Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct StatusJson {
    device: StatusDevice,
    #[serde(skip_serializing_if = "Option::is_none")]
    request: Option<StatusRequest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grant: Option<B64>,
    approver_keys: Vec<B64>,
}

#[derive(Serialize, PartialEq)]
struct StatusDevice {
    status: &'static str,
}

#[derive(Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct StatusRequest {
    id: String,
    status: String,
    expires_at: i64,
}

async fn current_status(state: &AppState, session: &Session) -> ApiResult<StatusJson> {
    let now = now_unix();
    let device = state.db.device(&session.device.id).await?;
    let request = state.db.latest_approval_request(&device.id).await?;
    let approver_keys = state
        .db
        .approved_devices(&session.user.id)
        .await?
        .into_iter()
        .filter(|d| d.id != device.id)
        .map(|d| B64(d.public_keys))
        .collect();
    Ok(StatusJson {
        device: StatusDevice {
            status: device.status.as_str(),
        },
        request: request.map(|r| StatusRequest {
            status: request_status(&r, now).to_string(),
            id: r.id,
            expires_at: r.expires_at,
        }),
        grant: device.approval_grant.map(B64),
        approver_keys,
    })
}

async fn status(State(state): State<AppState>, session: Session, RawQuery(query): RawQuery) -> ApiResult<Response> {
    not_stale(&session)?;
    let wait = wait_secs(query.as_deref())?;
    let first = current_status(&state, &session).await?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(wait);
    let mut latest = first;
    let first_key = status_key(&latest);
    while tokio::time::Instant::now() + POLL_EVERY <= deadline {
        tokio::select! {
            () = tokio::time::sleep(POLL_EVERY) => {}
            () = state.stopping() => break,
        }
        latest = current_status(&state, &session).await?;
        if status_key(&latest) != first_key {
            break;
        }
    }
    Ok(ok(&latest))
}

/// What a waiting device cares about: its own status and its request's.
fn status_key(status: &StatusJson) -> (&'static str, Option<(String, String)>) {
    (
        status.device.status,
        status.request.as_ref().map(|r| (r.id.clone(), r.status.clone())),
    )
}

#[derive(Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct OpenRequest {
    id: String,
    device_id: String,
    device_name: String,
    device_keys: B64,
    created_at: i64,
    expires_at: i64,
}

async fn open_requests(state: &AppState, user_id: &str) -> ApiResult<Vec<OpenRequest>> {
    let mut out = Vec::new();
    for request in state.db.pending_approvals(user_id, now_unix()).await? {
        let device = state.db.device(&request.device_id).await?;
        if device.status != DeviceStatus::Pending {
            continue;
        }
        out.push(OpenRequest {
            id: request.id,
            device_id: device.id,
            device_name: device.name,
            device_keys: B64(device.public_keys),
            created_at: request.created_at,
            expires_at: request.expires_at,
        });
    }
    Ok(out)
}

/// The user's open requests; with `wait`, answers as soon as that list changes.
async fn approvals(State(state): State<AppState>, trusted: Trusted, RawQuery(query): RawQuery) -> ApiResult<Response> {
    let wait = wait_secs(query.as_deref())?;
    let first = open_requests(&state, &trusted.user.id).await?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(wait);
    let mut latest = None;
    while tokio::time::Instant::now() + POLL_EVERY <= deadline {
        tokio::select! {
            () = tokio::time::sleep(POLL_EVERY) => {}
            () = state.stopping() => break,
        }
        let now = open_requests(&state, &trusted.user.id).await?;
        if now != first {
            latest = Some(now);
            break;
        }
    }
    Ok(ok(&latest.unwrap_or(first)))
}

/// The request `id` if it belongs to the caller's user (others' are not found, on purpose).
async fn own_request(state: &AppState, trusted: &Trusted, id: &str) -> ApiResult<(ApprovalRequest, Device)> {
    let not_found = || ApiError::not_found("no open approval request with that id for your devices");
    let request = state.db.approval_request(id).await.map_err(|e| match e {
        latchkey::db::DbError::NotFound(_) => not_found(),
        other => other.into(),
    })?;
    if request.user_id != trusted.user.id {
        return Err(not_found());
    }
    let device = state.db.device(&request.device_id).await?;
    Ok((request, device))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Approve {
    grant: String,
}

async fn approve(
    State(state): State<AppState>,
    trusted: Trusted,
    Path(id): Path<String>,
    Json(body): Json<Approve>,
) -> ApiResult<Response> {
    let (request, device) = own_request(&state, &trusted, &id).await?;
    let now = now_unix();
    let grant = ApprovalGrant::parse(&body.grant)
        .map_err(|e| ApiError::invalid(format!("the grant is not a Latchkey approval grant: {e}")))?;
    let expected = core_device::ApprovalRequest {
        workspace: trusted.user.workspace_id.clone(),
        user_id: trusted.user.id.clone(),
        request_id: request.id.clone(),
        device_id: device.id.clone(),
        device_keys: device_keys(&device)?,
    };
    if let Err(err) = grant.verify_for_server(&expected, &device_keys(&trusted.device)?, unix(now)) {
        log::warn(
            "grant_refused",
            &[
                ("request", request.id.as_str().into()),
                ("approver", trusted.device.id.as_str().into()),
            ],
        );
        return Err(match err {
            DeviceError::Expired | DeviceError::TooLongLived => ApiError::invalid(err.to_string()),
            _ => ApiError::forbidden(err.to_string()),
        });
    }
    let grant_bytes = latchkey_core::vault::base64url_decode(body.grant.trim())
        .ok_or_else(|| ApiError::invalid("the grant is not base64url"))?;
    state
        .db
        .decide_approval(
            &request.id,
            &trusted.device.id,
            Some((grant.user_key.as_bytes(), &grant_bytes)),
            now,
        )
        .await?;
    log::info(
        "device_trusted",
        &[
            ("device", device.id.as_str().into()),
            ("how", "approval".into()),
            ("approver", trusted.device.id.as_str().into()),
        ],
    );
    Ok(ok(
        &serde_json::json!({ "request": { "id": request.id, "status": "approved" } }),
    ))
}

async fn deny(State(state): State<AppState>, trusted: Trusted, Path(id): Path<String>) -> ApiResult<Response> {
    let (request, device) = own_request(&state, &trusted, &id).await?;
    state
        .db
        .decide_approval(&request.id, &trusted.device.id, None, now_unix())
        .await?;
    log::info(
        "device_denied",
        &[
            ("device", device.id.as_str().into()),
            ("approver", trusted.device.id.as_str().into()),
        ],
    );
    Ok(ok(
        &serde_json::json!({ "request": { "id": request.id, "status": "denied" } }),
    ))
}
