//! Vault items: opaque sealed bytes with a version. Members read them; only the account's owners
//! write them (only owners manage MFA). Every update and delete names the version it was based
//! on, and a write that lost a race is refused with `stale_version`, never lost.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, put};
use axum::Router;
use serde::{Deserialize, Serialize};

use super::accounts::{is_client_id, member_access, owner_access};
use super::auth::Trusted;
use super::body::{ok, reply, Json, B64};
use super::error::{ApiError, ApiResult, ErrorCode};
use crate::db::{DbError, ItemWrite, VaultItem};
use crate::serve::state::{now_unix, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/accounts/{id}/items", get(list_items).post(create_item))
        .route("/items/{id}", put(update_item).delete(delete_item))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ItemView {
    id: String,
    version: i64,
    data: B64,
    created_at: i64,
    updated_at: i64,
}

pub(super) fn item_view(item: VaultItem) -> ItemView {
    ItemView {
        id: item.id,
        version: item.version,
        data: B64(item.data),
        created_at: item.created_at,
        updated_at: item.updated_at,
    }
}

fn check_data(data: &B64) -> ApiResult<()> {
    if data.0.is_empty() {
        return Err(ApiError::invalid("data must be the sealed item (base64url), not empty"));
    }
    Ok(())
}

fn no_item() -> ApiError {
    ApiError::not_found("there is no such item, or its account is not shared with you")
}

/// The item and its account's owner check; `not_found` for anyone who is not a member.
async fn owned_item(state: &AppState, who: &Trusted, id: &str) -> ApiResult<VaultItem> {
    if !is_client_id(id) {
        return Err(no_item());
    }
    let item = match state.db.item(id).await {
        Ok(item) => item,
        Err(DbError::NotFound(_)) => return Err(no_item()),
        Err(e) => return Err(e.into()),
    };
    owner_access(state, who, &item.account_id).await.map_err(|e| {
        if e.code == ErrorCode::NotFound {
            no_item()
        } else {
            e
        }
    })?;
    Ok(item)
}

async fn list_items(State(state): State<AppState>, who: Trusted, Path(id): Path<String>) -> ApiResult<Response> {
    member_access(&state, &who, &id).await?;
    let items: Vec<ItemView> = state.db.items(&id).await?.into_iter().map(item_view).collect();
    Ok(ok(&items))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateItem {
    id: String,
    data: B64,
    /// The account key generation `data` was sealed under (optional; refused if it moved on).
    key_generation: Option<i64>,
}

#[derive(Serialize)]
struct Written {
    id: String,
    version: i64,
}

async fn create_item(
    State(state): State<AppState>,
    who: Trusted,
    Path(account_id): Path<String>,
    Json(body): Json<CreateItem>,
) -> ApiResult<Response> {
    owner_access(&state, &who, &account_id).await?;
    if !is_client_id(&body.id) {
        return Err(ApiError::invalid(
            "an item id is 32 lower-case hex digits (128 random bits chosen by the client)",
        ));
    }
    check_data(&body.data)?;
    let item = who
        .db(&state)
        .write_item(
            ItemWrite {
                account_id: &account_id,
                id: &body.id,
                expected_version: None,
                key_generation: body.key_generation,
                data: Some(&body.data.0),
            },
            now_unix(),
        )
        .await?;
    crate::log::info(
        "item_created",
        &[
            ("account", account_id.as_str().into()),
            ("item", item.id.as_str().into()),
        ],
    );
    Ok(reply(
        StatusCode::CREATED,
        &Written {
            id: item.id,
            version: item.version,
        },
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdateItem {
    expected_version: i64,
    data: B64,
    key_generation: Option<i64>,
}

async fn update_item(
    State(state): State<AppState>,
    who: Trusted,
    Path(id): Path<String>,
    Json(body): Json<UpdateItem>,
) -> ApiResult<Response> {
    let item = owned_item(&state, &who, &id).await?;
    check_data(&body.data)?;
    let written = who
        .db(&state)
        .write_item(
            ItemWrite {
                account_id: &item.account_id,
                id: &id,
                expected_version: Some(body.expected_version),
                key_generation: body.key_generation,
                data: Some(&body.data.0),
            },
            now_unix(),
        )
        .await?;
    crate::log::info(
        "item_updated",
        &[("item", id.as_str().into()), ("version", written.version.into())],
    );
    Ok(ok(&Written {
        id,
        version: written.version,
    }))
}

#[derive(Serialize)]
struct Deleted {
    id: String,
    deleted: bool,
}

async fn delete_item(
    State(state): State<AppState>,
    who: Trusted,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let version = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "version")
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .ok_or_else(|| ApiError::bad_request("say which version is being deleted: DELETE /items/ID?version=N"))?;
    let item = owned_item(&state, &who, &id).await?;
    who.db(&state)
        .write_item(
            ItemWrite {
                account_id: &item.account_id,
                id: &id,
                expected_version: Some(version),
                key_generation: None,
                data: None,
            },
            now_unix(),
        )
        .await?;
    crate::log::info("item_deleted", &[("item", id.as_str().into())]);
    Ok(ok(&Deleted { id, deleted: true }))
}
