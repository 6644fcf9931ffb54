//! The server's rate limits and quotas, all counted in the database (`crate::db::RateCheck`),
//! so that several instances on one PostgreSQL share them. This module names the policies and
//! turns a refusal into the API's 429.

use crate::db::{Limit, RateCheck};
use crate::serve::api::error::{ApiError, ApiResult};
use crate::serve::state::AppState;

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;

/// Registrations from one client address (any e-mail): a busy office behind one address stays
/// well within it.
pub const REGISTER_PER_CLIENT: Limit = Limit {
    max: 60,
    window_secs: HOUR,
};
/// Registrations for one e-mail address from one client address.
pub const REGISTER_PER_EMAIL_CLIENT: Limit = Limit {
    max: 10,
    window_secs: HOUR,
};
/// E-mailed codes for one address from one client address.
pub const CODES_PER_EMAIL_CLIENT: Limit = Limit {
    max: 5,
    window_secs: 15 * MINUTE,
};
/// E-mailed codes from one client address, whatever the e-mail.
pub const CODES_PER_CLIENT: Limit = Limit {
    max: 20,
    window_secs: 15 * MINUTE,
};
/// E-mailed codes for one address in all. A client address that got no code for it in the window
/// is never refused by this one (see `email_code.rs`), so it cannot be used to stop the real user.
pub const CODES_PER_EMAIL: Limit = Limit {
    max: 20,
    window_secs: 15 * MINUTE,
};
/// At most one code per device every 30 seconds (a double click sends one e-mail).
pub const CODE_RESEND: Limit = Limit {
    max: 1,
    window_secs: 30,
};
/// Wrong codes for one address (all its devices, all client addresses) before the distributed-
/// guessing brake applies, and wrong codes from one client address after which that address is
/// braked. See docs/security.md, "E-mail codes".
pub const FAILURES_PER_EMAIL: Limit = Limit {
    max: 30,
    window_secs: 24 * HOUR,
};
pub const FAILURES_PER_EMAIL_CLIENT_BRAKED: i64 = 5;
/// Approval requests from one client address: with a 5-minute lifetime, at most 5 open at once.
pub const REQUESTS_PER_CLIENT: Limit = Limit {
    max: 5,
    window_secs: 5 * MINUTE,
};

/// Counts an event under every key, or answers 429 naming `what` with `Retry-After`.
pub async fn check(state: &AppState, checks: &[RateCheck], what: &str, now: i64) -> ApiResult<()> {
    match state.db.rate_limit(checks, now).await? {
        Ok(()) => Ok(()),
        Err(limited) => Err(ApiError::rate_limited(
            what,
            u64::try_from(limited.retry_after).unwrap_or(1),
        )),
    }
}
