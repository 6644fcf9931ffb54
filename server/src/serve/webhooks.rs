//! SMS webhooks from carriers: `POST /webhooks/sms/twilio` (issue 4: being written; see docs/api.md).

use axum::Router;

use super::state::AppState;

pub fn router(state: AppState) -> Router {
    Router::new().with_state(state)
}
