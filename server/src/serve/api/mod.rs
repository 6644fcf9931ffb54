//! The workspace JSON API under `/api/v1`, which the extension talks to. The contract (routes,
//! bodies, error codes, who may call what) is docs/api.md; each module here is one area of it and
//! stays thin: parse, authorize, call `crate::db` or the core, answer.
//!
//! - `auth`: device tokens → [`auth::Session`] / [`auth::Trusted`].
//! - `body`, `error`: JSON in and out, base64url bytes, the one error type.
//! - `trust`: registering a device and making it trusted (e-mail code, approval, recovery).
//! - `devices`, `users`: a user's devices; workspace users, invitations, roles, deprovisioning.
//! - `console`: what the extension's Workspace console reads (people with devices, accounts to re-key).
//! - `accounts`, `items`, `numbers`, `addresses`: shared accounts and members, vault items, managed
//!   numbers and e-mail addresses.
//! - `inbox`: the inbox (SMS and e-mail) listing and the wait endpoint.
//! - `audit`: the audit log for admins, and code fills reported by the extension.
//! - `automations`: automation jobs and their steps (the Automation Log).
//! - `scim_tokens`: the owners' SCIM tokens (the SCIM API itself is `crate::serve::scim`).
//! - `server_info`: what this server is (a client checks an address with it before anything else).

pub mod auth;
pub mod body;
pub mod error;

mod accounts;
mod addresses;
mod audit;
mod automations;
mod console;
mod devices;
mod inbox;
mod items;
mod numbers;
mod scim_tokens;
mod server_info;
mod trust;
mod users;

use axum::extract::DefaultBodyLimit;
use axum::response::{IntoResponse, Response};
use axum::Router;

use super::state::AppState;
use error::ApiError;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(server_info::routes())
        .merge(trust::routes())
        .merge(devices::routes())
        .merge(users::routes())
        .merge(console::routes())
        .merge(accounts::routes())
        .merge(items::routes())
        .merge(numbers::routes())
        .merge(addresses::routes())
        .merge(inbox::routes())
        .merge(audit::routes())
        .merge(automations::routes())
        .merge(scim_tokens::routes())
        .fallback(unknown_route)
        .layer(DefaultBodyLimit::max(body::MAX_JSON_BYTES))
        .with_state(state);
    Router::new().nest("/api/v1", api)
}

async fn unknown_route() -> Response {
    ApiError::not_found("there is no such API route (see docs/api.md)").into_response()
}
