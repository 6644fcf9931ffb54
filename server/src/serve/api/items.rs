//! (issue 4: routes being written; see docs/api.md)

use axum::Router;

use crate::serve::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
