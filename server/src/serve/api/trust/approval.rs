//! Approval by a trusted device of the same user: the request (with its number, shown only to
//! the new device), the new device's live status, the trusted side's list (when, from where,
//! which browser/OS, as the server saw them; never the number), and Approve (the typed number,
//! then a grant the server checks) or Deny. Waiting is event-driven: a change announced on
//! `state.trust_events` (and across instances through PostgreSQL NOTIFY) wakes the waiters.

use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;

use super::*;
use crate::db::{Decision, RequestOrigin};
use crate::mail::RequestSeen;
use crate::serve::notify::EVERYONE;
use latchkey_core::device::{match_number_eq, new_match_number, parse_match_number};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RequestJson<'a> {
    id: &'a str,
    /// The same id under the core's name (`ApprovalRequest.requestId`).
    request_id: &'a str,
    device_id: &'a str,
    /// Shown large on the new device; the person types it on the trusted one.
    number: i64,
    created_at: i64,
    expires_at: i64,
}

pub(super) async fn request_approval(
    State(state): State<AppState>,
    caller: Caller,
    client: Client,
) -> ApiResult<Response> {
    if let Caller::Device(session) = &caller {
        require_pending(session)?;
    }
    let now = now_unix();
    limits::check(
        &state,
        &[RateCheck::new(
            format!("request-c:{}", client.key),
            limits::REQUESTS_PER_CLIENT,
        )],
        "approval requests from your network",
        now,
    )
    .await?;
    let number = new_match_number();
    let (id, device_id, created_at, expires_at) = match &caller {
        Caller::Device(session) => {
            let origin = RequestOrigin {
                client_addr: client.addr.clone(),
                os: client.os.to_string(),
                browser: client.browser.to_string(),
            };
            let request = session
                .db(&state)
                .request_approval(&session.device.id, number, &origin, now)
                .await?;
            state.announce_trust(&session.user.id).await;
            notify_user(&state, session, &request, &client);
            log::info(
                "approval_requested",
                &[
                    ("device", session.device.id.as_str().into()),
                    ("request", request.id.as_str().into()),
                ],
            );
            (
                request.id,
                session.device.id.clone(),
                request.created_at,
                request.expires_at,
            )
        }
        Caller::Ghost(ghost) => {
            let ghost = state.db.ghost_request(&ghost.id, number, now).await?;
            log::info("approval_requested", &[("device", ghost.id.as_str().into())]);
            (
                ghost.request_id.unwrap_or_default(),
                ghost.id,
                ghost.request_created_at.unwrap_or(now),
                ghost.request_expires_at.unwrap_or(now),
            )
        }
    };
    Ok(reply(
        StatusCode::CREATED,
        &serde_json::json!({
            "request": RequestJson {
                id: &id,
                request_id: &id,
                device_id: &device_id,
                number: i64::from(number),
                created_at,
                expires_at,
            }
        }),
    ))
}

/// E-mails the user about the request, in the background.
fn notify_user(state: &AppState, session: &Session, request: &ApprovalRequest, client: &Client) {
    let (state, to, name) = (state.clone(), session.user.email.clone(), session.device.name.clone());
    let (addr, os, browser) = (client.addr.clone(), client.os, client.browser);
    let when = utc_minute(request.created_at);
    tokio::spawn(async move {
        let seen = RequestSeen {
            device_name: &name,
            when: &when,
            address: &addr,
            os,
            browser,
            minutes: crate::db::APPROVAL_LIFETIME_SECS / 60,
        };
        if let Err(err) = state.mailer.send_approval_request(&to, &seen).await {
            log::warn(
                "mail_not_sent",
                &[("to", to.as_str().into()), ("detail", err.to_string().as_str().into())],
            );
        }
    });
}

/// `2026-12-06 14:03 UTC` from Unix seconds.
fn utc_minute(unix: i64) -> String {
    crate::domain::Utc::from_unix(unix).to_minute()
}

/// A request's status as the devices see it: an open request past its expiry is `expired`.
fn request_status(status: &str, expires_at: i64, now: i64) -> String {
    if status == "pending" && expires_at <= now {
        "expired".into()
    } else {
        status.into()
    }
}

#[derive(Serialize, PartialEq, Clone)]
#[serde(rename_all = "camelCase")]
pub(super) struct StatusJson {
    device: StatusDevice,
    #[serde(skip_serializing_if = "Option::is_none")]
    request: Option<StatusRequest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grant: Option<B64>,
    /// The user's other trusted devices' keys, once this device is approved (what `acceptGrant`
    /// checks the approver against); empty before, so a pending device learns nothing of them.
    approver_keys: Vec<B64>,
}

#[derive(Serialize, PartialEq, Clone)]
pub(super) struct StatusDevice {
    status: &'static str,
}

#[derive(Serialize, PartialEq, Clone)]
#[serde(rename_all = "camelCase")]
pub(super) struct StatusRequest {
    id: String,
    status: String,
    expires_at: i64,
    /// While pending: the number to show.
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<i64>,
    /// When denied: `denied` (by a person) or `wrong_number`.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

async fn current_status(state: &AppState, caller: &Caller, now: i64) -> ApiResult<StatusJson> {
    let session = match caller {
        Caller::Device(session) => session,
        Caller::Ghost(ghost) => {
            let request = ghost.request_id.as_ref().map(|id| {
                let expires_at = ghost.request_expires_at.unwrap_or(now);
                let status = request_status("pending", expires_at, now);
                StatusRequest {
                    id: id.clone(),
                    number: (status == "pending").then_some(ghost.request_number).flatten(),
                    status,
                    expires_at,
                    reason: None,
                }
            });
            return Ok(StatusJson {
                device: StatusDevice { status: "pending" },
                request,
                grant: None,
                approver_keys: Vec::new(),
            });
        }
    };
    let device = state.db.device(&session.device.id).await?;
    let request = state.db.latest_approval_request(&device.id).await?;
    let approver_keys = match device.status {
        DeviceStatus::Approved => state
            .db
            .approved_devices(&session.user.id)
            .await?
            .into_iter()
            .filter(|d| d.id != device.id)
            .map(|d| B64(d.public_keys))
            .collect(),
        _ => Vec::new(),
    };
    Ok(StatusJson {
        device: StatusDevice {
            status: device.status.as_str(),
        },
        request: request.map(|r| {
            let status = request_status(&r.status, r.expires_at, now);
            StatusRequest {
                number: (status == "pending").then_some(r.match_number).flatten(),
                reason: (status == "denied").then(|| r.denied_reason.clone().unwrap_or_else(|| "denied".into())),
                status,
                id: r.id,
                expires_at: r.expires_at,
            }
        }),
        grant: device.approval_grant.map(B64),
        approver_keys,
    })
}

/// When the state may change without an announcement: the open request's expiry.
fn next_expiry(status: &StatusJson) -> Option<i64> {
    status
        .request
        .as_ref()
        .filter(|r| r.status == "pending")
        .map(|r| r.expires_at)
}

/// Sleeps until `unix` (at the earliest now), as a tokio instant.
fn instant_at(unix: i64, now: i64) -> Instant {
    Instant::now() + Duration::from_secs(u64::try_from(unix - now).unwrap_or(0))
}

pub(super) async fn status(
    State(state): State<AppState>,
    caller: Caller,
    client: Client,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    if let Caller::Device(session) = &caller {
        not_stale(session)?;
    }
    let wait = wait_secs(query.as_deref())?;
    // A device not yet trusted (or a ghost) waits in its address's pool, not its user's: anyone who
    // knows an address can register devices for it, and they must not use up the user's waits.
    let pool = match &caller {
        Caller::Device(s) if s.device.status == DeviceStatus::Approved => s.user.id.clone(),
        _ => format!("unverified from {}", client.key),
    };
    let _slot = match wait {
        0 => None,
        _ => Some(state.waits.acquire(caller_id(&caller), &pool)?),
    };
    // Subscribed before the first read: a change made in between is announced to us.
    let mut events = state.trust_events.subscribe();
    let first = current_status(&state, &caller, now_unix()).await?;
    let deadline = Instant::now() + Duration::from_secs(wait);
    let owner = caller_owner(&caller).to_string();
    let mut latest = first.clone();
    while Instant::now() < deadline {
        let wake = next_expiry(&latest).map_or(deadline, |at| instant_at(at, now_unix()).min(deadline));
        let woke = tokio::select! {
            event = events.recv() => match event {
                Ok(who) => who == owner || who == EVERYONE,
                Err(RecvError::Lagged(_)) => true,
                Err(RecvError::Closed) => break,
            },
            () = tokio::time::sleep_until(wake) => true,
            () = state.stopping() => break,
        };
        if !woke {
            continue;
        }
        latest = current_status(&state, &caller, now_unix()).await?;
        if status_key(&latest) != status_key(&first) {
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

#[derive(Serialize, PartialEq, Clone)]
#[serde(rename_all = "camelCase")]
pub(super) struct OpenRequest {
    id: String,
    device_id: String,
    device_name: String,
    device_keys: B64,
    created_at: i64,
    expires_at: i64,
    /// Where the request came from and which browser/OS, as the server saw them.
    client_address: String,
    os: String,
    browser: String,
    /// The name of a trusted device this one's name is the same as or looks like: it cannot be
    /// approved under that name (rename it first, or deny it).
    #[serde(skip_serializing_if = "Option::is_none")]
    looks_like: Option<String>,
}

#[derive(Serialize, PartialEq, Clone)]
pub(super) struct OpenRequests {
    requests: Vec<OpenRequest>,
    /// All open requests; `requests` holds at most the newest 10.
    total: i64,
}

async fn open_requests(state: &AppState, user_id: &str, now: i64) -> ApiResult<OpenRequests> {
    let mut requests = Vec::new();
    for request in state.db.pending_approvals(user_id, now, REQUESTS_PAGE).await? {
        let device = state.db.device(&request.device_id).await?;
        if device.status != DeviceStatus::Pending {
            continue;
        }
        let looks_like = state
            .db
            .clashing_trusted_name(user_id, &device.id, &device.name)
            .await?;
        requests.push(OpenRequest {
            id: request.id,
            device_id: device.id,
            device_name: device.name,
            device_keys: B64(device.public_keys),
            created_at: request.created_at,
            expires_at: request.expires_at,
            client_address: request.client_addr,
            os: request.client_os,
            browser: request.client_browser,
            looks_like,
        });
    }
    let total = state.db.open_approval_count(user_id, now).await?;
    Ok(OpenRequests { requests, total })
}

/// The user's open requests (newest first, at most 10, with the total); with `wait`, answers as
/// soon as that list changes.
pub(super) async fn approvals(
    State(state): State<AppState>,
    trusted: Trusted,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let wait = wait_secs(query.as_deref())?;
    let _slot = match wait {
        0 => None,
        _ => Some(state.waits.acquire(&trusted.device.id, &trusted.user.id)?),
    };
    let mut events = state.trust_events.subscribe();
    let first = open_requests(&state, &trusted.user.id, now_unix()).await?;
    let deadline = Instant::now() + Duration::from_secs(wait);
    let mut latest = first.clone();
    while Instant::now() < deadline {
        let soonest = latest.requests.iter().map(|r| r.expires_at).min();
        let wake = soonest.map_or(deadline, |at| instant_at(at, now_unix()).min(deadline));
        let woke = tokio::select! {
            event = events.recv() => match event {
                Ok(who) => who == trusted.user.id || who == EVERYONE,
                Err(RecvError::Lagged(_)) => true,
                Err(RecvError::Closed) => break,
            },
            () = tokio::time::sleep_until(wake) => true,
            () = state.stopping() => break,
        };
        if !woke {
            continue;
        }
        // Woken: a device disabled meanwhile learns nothing more of the requests.
        trusted.still(&state).await?;
        latest = open_requests(&state, &trusted.user.id, now_unix()).await?;
        if latest != first {
            break;
        }
    }
    Ok(ok(&latest))
}

/// The request `id` if it belongs to the caller's user (others' are not found, on purpose).
async fn own_request(state: &AppState, trusted: &Trusted, id: &str) -> ApiResult<(ApprovalRequest, Device)> {
    let not_found = || ApiError::not_found("no open approval request with that id for your devices");
    let request = state.db.approval_request(id).await.map_err(|e| match e {
        crate::db::DbError::NotFound(_) => not_found(),
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
pub(super) struct Approve {
    grant: String,
    /// The number the person typed, as they typed it (three digits).
    number: String,
}

pub(super) async fn approve(
    State(state): State<AppState>,
    trusted: Trusted,
    Path(id): Path<String>,
    Json(body): Json<Approve>,
) -> ApiResult<Response> {
    let (request, device) = own_request(&state, &trusted, &id).await?;
    let now = now_unix();
    let typed = parse_match_number(&body.number)
        .ok_or_else(|| ApiError::invalid("type the 3-digit number that the new device shows"))?;
    let drawn = request.match_number.and_then(|n| u16::try_from(n).ok()).unwrap_or(0);
    if !match_number_eq(drawn, typed) {
        trusted
            .db(&state)
            .decide_approval(&request.id, &trusted.device.id, Decision::WrongNumber, now)
            .await?;
        state.announce_trust(&trusted.user.id).await;
        log::warn(
            "approval_wrong_number",
            &[
                ("request", request.id.as_str().into()),
                ("approver", trusted.device.id.as_str().into()),
            ],
        );
        return Err(ApiError::new(
            ErrorCode::WrongNumber,
            "that is not the number the new device shows, so the request was denied: if you are setting up that \
             device yourself, ask again from it; if you are not, someone else tried to join your account",
        ));
    }
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
    trusted
        .db(&state)
        .decide_approval(
            &request.id,
            &trusted.device.id,
            Decision::Approve {
                envelope: grant.user_key.as_bytes(),
                grant: &grant_bytes,
            },
            now,
        )
        .await?;
    state.announce_trust(&trusted.user.id).await;
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

pub(super) async fn deny(
    State(state): State<AppState>,
    trusted: Trusted,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (request, device) = own_request(&state, &trusted, &id).await?;
    trusted
        .db(&state)
        .decide_approval(&request.id, &trusted.device.id, Decision::Deny, now_unix())
        .await?;
    state.announce_trust(&trusted.user.id).await;
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

#[cfg(test)]
mod tests {
    #[test]
    fn utc_minutes() {
        assert_eq!(super::utc_minute(0), "1970-01-01 00:00 UTC");
        assert_eq!(super::utc_minute(1_796_000_580), "2026-11-30 01:03 UTC");
        assert_eq!(super::utc_minute(951_782_400), "2000-02-29 00:00 UTC");
    }
}
