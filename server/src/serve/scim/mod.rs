//! SCIM 2.0 provisioning under `/scim/v2` (RFC 7643/7644; docs/scim.md, docs/api.md): an identity
//! provider (Okta, Microsoft Entra ID…) creates, updates, deactivates and deletes a workspace's
//! users. Authenticated by one of the workspace's SCIM tokens (`crate::db::ScimToken`), which sees
//! only its workspace. Thin like the JSON API: parse (`filter`, `user`), call one `db` function,
//! answer in SCIM's shapes (`error`). Deactivating is the API's deprovisioning; re-activating leaves
//! every device disabled.
//!
//! Groups are not offered: Latchkey's roles are exclusive and ordered while groups are neither,
//! and letting the provider grant roles would let its admins make owners (docs/scim.md).

mod discovery;
pub mod error;
pub mod filter;
pub mod user;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use super::client::Client;
use super::state::{now_unix, AppState};
use crate::db::{Actor, Db, ScimToken, ScimUser, UserStatus};
use crate::log;
use error::{ScimError, ScimResult};
use user::{Projection, Wanted};

pub const SCIM_JSON: &str = "application/scim+json";
pub const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// The most resources one list page holds (ServiceProviderConfig's `filter.maxResults`).
pub const MAX_RESULTS: i64 = 200;
/// Largest SCIM request body.
const MAX_BODY_BYTES: usize = 256 * 1024;

pub fn router(state: AppState) -> Router {
    let scim = Router::new()
        .route("/ServiceProviderConfig", get(discovery::service_provider_config))
        .route("/ResourceTypes", get(discovery::resource_types))
        .route("/ResourceTypes/{id}", get(discovery::resource_type))
        .route("/Schemas", get(discovery::schemas))
        .route("/Schemas/{id}", get(discovery::schema))
        .route("/Users", get(list_users).post(create_user))
        .route("/Users/.search", post(search_users))
        .route("/.search", post(search_everything))
        .route(
            "/Users/{id}",
            get(get_user).put(replace_user).patch(patch_user).delete(delete_user),
        )
        .fallback(unknown_route)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state);
    Router::new().nest("/scim/v2", scim)
}

async fn unknown_route() -> Response {
    ScimError::not_found("there is no such SCIM resource here (Users, ServiceProviderConfig, ResourceTypes, Schemas)")
        .into_response()
}

/// A SCIM reply: `application/scim+json`.
pub fn scim_reply(status: StatusCode, value: &Value) -> Response {
    (status, [(header::CONTENT_TYPE, SCIM_JSON)], value.to_string()).into_response()
}

/// The caller: a live SCIM token, and the address it called from (for the audit log).
pub struct ScimCaller {
    pub token: ScimToken,
    pub client_addr: String,
}

impl ScimCaller {
    /// The database, with every change recorded as done by this token.
    fn db(&self, state: &AppState) -> Db {
        state.db.acting(Actor::scim_token(&self.token.id, &self.client_addr))
    }

    fn workspace(&self) -> &str {
        &self.token.workspace_id
    }
}

impl FromRequestParts<AppState> for ScimCaller {
    type Rejection = ScimError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ScimError> {
        let presented = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.get(..7)
                    .filter(|p| p.eq_ignore_ascii_case("bearer "))
                    .map(|_| &v[7..])
            })
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 256)
            .ok_or_else(ScimError::unauthenticated)?;
        let token = state
            .db
            .scim_token_for(presented, now_unix())
            .await?
            .ok_or_else(ScimError::unauthenticated)?;
        let client = Client::from_request_parts(parts, state)
            .await
            .map_err(|e| ScimError::invalid_syntax(e.message))?;
        Ok(ScimCaller {
            token,
            client_addr: client.addr,
        })
    }
}

/// The body as JSON (SCIM clients send `application/scim+json` or `application/json`).
fn json_body(body: &Bytes) -> ScimResult<Value> {
    serde_json::from_slice(body).map_err(|_| ScimError::invalid_syntax("the body is not valid JSON"))
}

fn base_url(state: &AppState) -> &str {
    &state.public_url
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListQuery {
    filter: Option<String>,
    start_index: Option<String>,
    count: Option<String>,
    attributes: Option<String>,
    excluded_attributes: Option<String>,
}

/// `attributes` and `excludedAttributes`, on any route that answers with users.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ProjectionQuery {
    attributes: Option<String>,
    excluded_attributes: Option<String>,
}

impl ProjectionQuery {
    fn projection(&self) -> Projection {
        Projection::new(self.attributes.as_deref(), self.excluded_attributes.as_deref())
    }
}

/// `GET /Users`: the workspace's users, `filter` (eq on userName, externalId, id, emails.value),
/// 1-based `startIndex` and `count` (at most [`MAX_RESULTS`]), `attributes`/`excludedAttributes`.
async fn list_users(
    State(state): State<AppState>,
    caller: ScimCaller,
    Query(query): Query<ListQuery>,
) -> ScimResult<Response> {
    let number = |v: Option<&str>, what: &str| -> ScimResult<Option<i64>> {
        v.map(|v| {
            v.trim()
                .parse::<i64>()
                .map_err(|_| ScimError::invalid_value(format!("{what} must be an integer")))
        })
        .transpose()
    };
    let page = Page {
        filter: query.filter.clone(),
        start_index: number(query.start_index.as_deref(), "startIndex")?,
        count: number(query.count.as_deref(), "count")?,
        projection: Projection::new(query.attributes.as_deref(), query.excluded_attributes.as_deref()),
    };
    list(&state, &caller, page).await
}

/// `POST /Users/.search` (RFC 7644 §3.4.3): the same query in a `SearchRequest` body.
async fn search_users(State(state): State<AppState>, caller: ScimCaller, body: Bytes) -> ScimResult<Response> {
    let body = json_body(&body)?;
    let number = |key: &str| -> ScimResult<Option<i64>> {
        match body.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| ScimError::invalid_value(format!("{key} must be an integer"))),
        }
    };
    let filter = match body.get("filter") {
        None | Some(Value::Null) => None,
        Some(Value::String(f)) => Some(f.clone()),
        Some(_) => return Err(ScimError::invalid_filter("filter must be a string")),
    };
    let page = Page {
        filter,
        start_index: number("startIndex")?,
        count: number("count")?,
        projection: Projection::from_json(body.get("attributes"), body.get("excludedAttributes")),
    };
    list(&state, &caller, page).await
}

/// `POST /.search` across resource types: there is one (`Users`), searched at its own endpoint.
async fn search_everything(_caller: ScimCaller) -> ScimResult<Response> {
    Err(ScimError::new(
        StatusCode::NOT_IMPLEMENTED,
        None,
        "searching every resource type at once is not supported: search /Users/.search",
    ))
}

struct Page {
    filter: Option<String>,
    start_index: Option<i64>,
    count: Option<i64>,
    projection: Projection,
}

async fn list(state: &AppState, caller: &ScimCaller, page: Page) -> ScimResult<Response> {
    let matching = match page.filter.as_deref() {
        None => None,
        Some(f) => Some(filter::parse(f).map_err(|e| ScimError::invalid_filter(e.to_string()))?),
    };
    // RFC 7644 §3.4.2.4: a startIndex below 1 is 1, a negative count is 0.
    let start = page.start_index.unwrap_or(1).max(1);
    let count = page.count.unwrap_or(MAX_RESULTS).clamp(0, MAX_RESULTS);
    let (total, users) = state
        .db
        .scim_users(caller.workspace(), matching.as_ref(), start - 1, count)
        .await?;
    let base = base_url(state);
    let resources: Vec<Value> = users
        .iter()
        .map(|u| page.projection.apply(user::resource(u, base)))
        .collect();
    Ok(scim_reply(
        StatusCode::OK,
        &json!({
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": resources.len(),
            "Resources": resources,
        }),
    ))
}

async fn get_user(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
    Query(query): Query<ProjectionQuery>,
) -> ScimResult<Response> {
    let user = state.db.scim_user(caller.workspace(), &id).await?;
    let resource = query.projection().apply(user::resource(&user, base_url(&state)));
    Ok(scim_reply(StatusCode::OK, &resource))
}

async fn create_user(State(state): State<AppState>, caller: ScimCaller, body: Bytes) -> ScimResult<Response> {
    let wanted = user::created(&json_body(&body)?)?;
    let user = caller
        .db(&state)
        .scim_create_user(
            caller.workspace(),
            &wanted.profile,
            wanted.active.unwrap_or(true),
            now_unix(),
        )
        .await?;
    log_change("scim_user_created", &caller, &user.user.id);
    let mut reply = scim_reply(StatusCode::CREATED, &user::resource(&user, base_url(&state)));
    if let Ok(location) = header::HeaderValue::from_str(&format!(
        "{}/scim/v2/Users/{}",
        base_url(&state).trim_end_matches('/'),
        user.user.id
    )) {
        reply.headers_mut().insert(header::LOCATION, location);
    }
    Ok(reply)
}

async fn replace_user(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> ScimResult<Response> {
    let current = state.db.scim_user(caller.workspace(), &id).await?;
    let wanted = user::replaced(&json_body(&body)?)?;
    apply(&state, &caller, &current, wanted).await
}

async fn patch_user(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> ScimResult<Response> {
    let current = state.db.scim_user(caller.workspace(), &id).await?;
    let wanted = user::patched(&current, &json_body(&body)?)?;
    apply(&state, &caller, &current, wanted).await
}

/// Writes what a PUT or PATCH asks: the profile, then the status (deactivating deprovisions;
/// re-activating leaves every device disabled). Answers with the user as they now are.
async fn apply(state: &AppState, caller: &ScimCaller, current: &ScimUser, wanted: Wanted) -> ScimResult<Response> {
    let db = caller.db(state);
    let (workspace, id, now) = (caller.workspace(), current.user.id.as_str(), now_unix());
    db.scim_update_profile(workspace, id, &wanted.profile, now).await?;
    let inactive = current.user.status == UserStatus::Deprovisioned;
    match wanted.active {
        Some(false) if !inactive => {
            let done = db.scim_deactivate(workspace, id, now).await?;
            log::info(
                "scim_user_deactivated",
                &[
                    ("user", id.into()),
                    ("token", caller.token.id.as_str().into()),
                    ("devices", done.devices_disabled.into()),
                    ("accounts_to_rekey", done.accounts_marked_for_rotation.into()),
                ],
            );
        }
        Some(true) if inactive => {
            db.reactivate_user(workspace, id, now).await?;
            log_change("scim_user_reactivated", caller, id);
        }
        _ => {}
    }
    let user = state.db.scim_user(workspace, id).await?;
    Ok(scim_reply(StatusCode::OK, &user::resource(&user, base_url(state))))
}

async fn delete_user(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
) -> ScimResult<Response> {
    caller
        .db(&state)
        .scim_delete_user(caller.workspace(), &id, now_unix())
        .await?;
    log_change("scim_user_deleted", &caller, &id);
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn log_change(event: &str, caller: &ScimCaller, user_id: &str) {
    log::info(
        event,
        &[("user", user_id.into()), ("token", caller.token.id.as_str().into())],
    );
}
