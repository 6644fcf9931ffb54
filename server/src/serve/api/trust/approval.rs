//! Approval by a trusted device of the same user: the request, the new device's live status,
//! the trusted side's list, and Approve (a grant the server checks) or Deny.

use super::*;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RequestJson {
    id: String,
    /// The same id under the core's name, so the extension can hand this object to the core.
    request_id: String,
    workspace: String,
    user_id: String,
    device_id: String,
    device_keys: B64,
    expires_at: i64,
}

pub(super) async fn request_approval(State(state): State<AppState>, session: Session) -> ApiResult<Response> {
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
pub(super) struct StatusJson {
    device: StatusDevice,
    #[serde(skip_serializing_if = "Option::is_none")]
    request: Option<StatusRequest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grant: Option<B64>,
    approver_keys: Vec<B64>,
}

#[derive(Serialize, PartialEq)]
pub(super) struct StatusDevice {
    status: &'static str,
}

#[derive(Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub(super) struct StatusRequest {
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

pub(super) async fn status(
    State(state): State<AppState>,
    session: Session,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
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
pub(super) struct OpenRequest {
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
pub(super) async fn approvals(
    State(state): State<AppState>,
    trusted: Trusted,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
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
pub(super) struct Approve {
    grant: String,
}

pub(super) async fn approve(
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

pub(super) async fn deny(
    State(state): State<AppState>,
    trusted: Trusted,
    Path(id): Path<String>,
) -> ApiResult<Response> {
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
