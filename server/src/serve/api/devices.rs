//! A user's own devices (docs/api.md, "Devices and users"): list, rename, disable. Only the
//! caller's user's devices: another user's device is "not found", never "forbidden", so ids
//! reveal nothing. Disabling the current device is allowed (its next request gets
//! `device_disabled` and it wipes itself).

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{patch, post};
use axum::Router;
use serde::{Deserialize, Serialize};

use super::auth::Trusted;
use super::body::{ok, Json};
use super::error::{ApiError, ApiResult};
use super::trust::DeviceJson;
use crate::db::{Device, MAX_ACTIVE_DEVICES};
use crate::log;
use crate::serve::state::{now_unix, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/devices", axum::routing::get(list))
        .route("/devices/{id}", patch(rename))
        .route("/devices/{id}/disable", post(disable))
}

/// Devices that are not trusted (pending, denied, disabled) listed at most, newest first: someone
/// registering device after device for the address cannot make the list unreadable.
const OTHERS_PAGE: i64 = 10;

/// Every trusted device (at most 20), then the newest of the others; `more` says how many of
/// those were left out.
async fn list(State(state): State<AppState>, trusted: Trusted) -> ApiResult<Response> {
    let (devices, more) = state.db.devices_page(&trusted.user.id, OTHERS_PAGE).await?;
    #[derive(Serialize)]
    struct Out {
        devices: Vec<DeviceJson>,
        limit: i64,
        more: i64,
    }
    Ok(ok(&Out {
        devices: devices
            .iter()
            .map(|d| DeviceJson::of(d, Some(d.id == trusted.device.id)))
            .collect(),
        limit: MAX_ACTIVE_DEVICES,
        more,
    }))
}

async fn own_device(state: &AppState, trusted: &Trusted, id: &str) -> ApiResult<Device> {
    match state.db.device(id).await {
        Ok(device) if device.user_id == trusted.user.id => Ok(device),
        Ok(_) | Err(crate::db::DbError::NotFound(_)) => Err(ApiError::not_found("you have no device with that id")),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rename {
    name: String,
}

async fn rename(
    State(state): State<AppState>,
    trusted: Trusted,
    Path(id): Path<String>,
    Json(body): Json<Rename>,
) -> ApiResult<Response> {
    let device = own_device(&state, &trusted, &id).await?;
    let renamed = trusted
        .db(&state)
        .rename_device(&device.id, &body.name, now_unix())
        .await?;
    Ok(ok(&serde_json::json!({
        "device": DeviceJson::of(&renamed, Some(renamed.id == trusted.device.id))
    })))
}

async fn disable(State(state): State<AppState>, trusted: Trusted, Path(id): Path<String>) -> ApiResult<Response> {
    let device = own_device(&state, &trusted, &id).await?;
    trusted.db(&state).disable_device(&device.id, now_unix()).await?;
    state.announce_trust(&trusted.user.id).await;
    log::info(
        "device_disabled",
        &[
            ("device", device.id.as_str().into()),
            ("by", trusted.device.id.as_str().into()),
        ],
    );
    let device = state.db.device(&device.id).await?;
    Ok(ok(&serde_json::json!({
        "device": DeviceJson::of(&device, Some(device.id == trusted.device.id))
    })))
}
