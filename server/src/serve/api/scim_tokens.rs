//! SCIM tokens (docs/api.md, "SCIM tokens"): an owner creates one for their identity provider (the
//! token is in the reply once, and only its hash is kept), lists them (never the token) and
//! revokes one (refused at once). Another workspace's token is "not found".

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, post};
use axum::Router;
use serde::Deserialize;
use serde_json::json;

use super::auth::Trusted;
use super::body::{ok, reply, Json};
use super::error::ApiResult;
use crate::db::ScimToken;
use crate::log;
use crate::serve::state::{now_unix, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/scim-tokens", post(create).get(list))
        .route("/scim-tokens/{id}", delete(revoke))
}

fn token_json(token: &ScimToken) -> serde_json::Value {
    json!({
        "id": token.id,
        "name": token.name,
        "createdAt": token.created_at,
        "createdBy": token.created_by,
        "lastUsedAt": token.last_used_at,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Create {
    name: String,
}

async fn create(State(state): State<AppState>, trusted: Trusted, Json(body): Json<Create>) -> ApiResult<Response> {
    trusted.user.role.may_manage_scim_tokens()?;
    let (token, secret) = trusted
        .db(&state)
        .create_scim_token(
            &trusted.user.workspace_id,
            &body.name,
            Some(&trusted.user.id),
            now_unix(),
        )
        .await?;
    log::info(
        "scim_token_created",
        &[
            ("token", token.id.as_str().into()),
            ("by", trusted.user.id.as_str().into()),
        ],
    );
    let mut out = token_json(&token);
    out["token"] = secret.into();
    Ok(reply(StatusCode::CREATED, &json!({ "scimToken": out })))
}

async fn list(State(state): State<AppState>, trusted: Trusted) -> ApiResult<Response> {
    trusted.user.role.may_manage_scim_tokens()?;
    let tokens = state.db.scim_tokens(&trusted.user.workspace_id).await?;
    Ok(ok(
        &json!({ "scimTokens": tokens.iter().map(token_json).collect::<Vec<_>>() }),
    ))
}

async fn revoke(State(state): State<AppState>, trusted: Trusted, Path(id): Path<String>) -> ApiResult<Response> {
    trusted.user.role.may_manage_scim_tokens()?;
    let token = trusted
        .db(&state)
        .revoke_scim_token(&trusted.user.workspace_id, &id, now_unix())
        .await?;
    log::info(
        "scim_token_revoked",
        &[
            ("token", token.id.as_str().into()),
            ("by", trusted.user.id.as_str().into()),
        ],
    );
    Ok(ok(&json!({ "scimToken": { "id": token.id, "revoked": true } })))
}
