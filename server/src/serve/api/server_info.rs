//! `GET /api/v1/server`: what this server is, for a client checking an address a person typed
//! before it registers anything there. Public and the same for everyone: nothing about users,
//! the database or the e-mail set-up.

use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Serialize;

use super::body::ok;
use crate::serve::state::AppState;

/// The service name clients compare: another server answering this route with JSON will not say it.
pub const SERVICE: &str = "latchkey";
/// The API's version under `/api/v1`.
pub const API_VERSION: u32 = 1;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/server", get(server_info))
}

async fn server_info() -> Response {
    #[derive(Serialize)]
    struct Out {
        service: &'static str,
        api: u32,
        version: &'static str,
    }
    ok(&Out {
        service: SERVICE,
        api: API_VERSION,
        version: env!("CARGO_PKG_VERSION"),
    })
}
