//! Managed phone numbers: a US number held for one account, so its texts reach the account's
//! shared inbox. Members see it; owners obtain and release it, only for an app in the workspace's
//! catalog that accepts such numbers, and only when the workspace's number policy lets them (a
//! minimum workspace role and a quota, both checked by the database in the transaction that hands
//! the number out). A released number goes into quarantine (db/numbers.rs). Admins see and change
//! the policy at `/workspace/number-policy`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};

use super::accounts::{member_access, owner_access};
use super::auth::Trusted;
use super::body::{ok, reply, Json};
use super::error::{ApiError, ApiResult, ErrorCode};
use crate::db::{
    Account, App, DbError, NumberPolicy, ObtainNumber, Obtained, PhoneNumber, MAX_ADDRESS_QUOTA, MAX_NUMBER_QUOTA,
    QUARANTINE_SECS,
};
use crate::domain::{AdminTask, Role};
use crate::log;
use crate::numbers::{NumberError, NumberRequest};
use crate::serve::state::{now_unix, AppState, NumberSupply};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/accounts/{id}/phone-number", get(show).post(obtain).delete(release))
        .route("/workspace/number-policy", get(show_policy).put(set_policy))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NumberView {
    number: Option<String>,
    supported: bool,
    voip_ok: bool,
}

async fn app_of(state: &AppState, account: &Account) -> ApiResult<Option<App>> {
    match &account.app_id {
        Some(id) => match state.db.app(&account.workspace_id, id).await {
            Ok(app) => Ok(Some(app)),
            Err(DbError::NotFound(_)) => Ok(None),
            Err(e) => Err(e.into()),
        },
        None => Ok(None),
    }
}

async fn show(State(state): State<AppState>, who: Trusted, Path(id): Path<String>) -> ApiResult<Response> {
    let (account, _) = member_access(&state, &who, &id).await?;
    let app = app_of(&state, &account).await?;
    let number = state.db.account_phone_number(&id).await?.map(|n| n.e164);
    Ok(ok(&NumberView {
        number,
        supported: app.as_ref().is_some_and(|a| a.accepts_managed_number),
        voip_ok: app.as_ref().is_some_and(|a| a.voip_ok),
    }))
}

fn no_numbers(detail: String) -> ApiError {
    ApiError::new(
        ErrorCode::NoNumbersAvailable,
        format!("no managed number is available right now: {detail}"),
    )
}

/// A provider failure as an API error: no number to be had is 503 `no_numbers_available`; anything
/// else the provider did is 502 `number_provider_failed`. Both are logged (no secrets are in them).
fn provider_error(what: &str, account: &str, err: &NumberError) -> ApiError {
    log::warn(
        "number_provider_failed",
        &[
            ("action", what.into()),
            ("account", account.into()),
            ("detail", err.to_string().as_str().into()),
        ],
    );
    match err {
        NumberError::NoneAvailable { .. } => no_numbers(err.to_string()),
        _ => ApiError::new(ErrorCode::NumberProviderFailed,
            "the phone-number provider refused or could not be reached; an administrator can find why in the server log",
        ),
    }
}

#[derive(Serialize)]
struct Obtained201 {
    number: String,
}

async fn obtain(State(state): State<AppState>, who: Trusted, Path(id): Path<String>) -> ApiResult<Response> {
    let (account, _) = owner_access(&state, &who, &id).await?;
    let app = app_of(&state, &account).await?;
    let Some(app) = app.filter(|a| a.accepts_managed_number) else {
        let name = match &account.app_id {
            Some(_) => "this account's app",
            None => "this account (it has no app from the catalog)",
        };
        return Err(ApiError::conflict(format!(
            "{name} does not take managed numbers: keep using your own phone number for its texts"
        )));
    };
    let pool: &[String] = match &state.numbers {
        NumberSupply::Pool(list) if list.is_empty() => {
            return Err(no_numbers(
                "this server has no numbers to hand out (start it with --pool-numbers or --numbers twilio)".into(),
            ))
        }
        NumberSupply::Pool(list) => list,
        NumberSupply::Buy(_) => &[],
    };
    let request = ObtainNumber {
        account_id: &id,
        user_id: &who.user.id,
        provider: state.numbers_provider,
        pool,
        voip_ok: app.voip_ok,
    };
    let number = match who.db(&state).obtain_number(&request, now_unix()).await? {
        Obtained::Held(number) => number,
        Obtained::PoolEmpty { total } => {
            return Err(no_numbers(format!(
                "all {total} numbers of the local pool are held or in quarantine: add numbers to the configuration"
            )))
        }
        Obtained::Reserved(reservation) => buy(&state, &who.db(&state), &account, &app, &reservation).await?,
    };
    log::info(
        "number_obtained",
        &[
            ("account", id.as_str().into()),
            ("provider", number.provider.as_str().into()),
            ("by", who.user.id.as_str().into()),
        ],
    );
    Ok(reply(StatusCode::CREATED, &Obtained201 { number: number.e164 }))
}

/// Buys a number under a reservation (a quota slot the database holds meanwhile) and records it;
/// a number that cannot be recorded is given back to the provider at once.
async fn buy(
    state: &AppState,
    db: &crate::db::Db,
    account: &Account,
    app: &App,
    reservation: &str,
) -> ApiResult<PhoneNumber> {
    let NumberSupply::Buy(provider) = &state.numbers else {
        return Err(ApiError::internal(
            "numbers",
            &"a reservation without a provider that buys",
        ));
    };
    let request = NumberRequest {
        account_id: account.id.clone(),
        voip_ok: app.voip_ok,
    };
    let managed = match provider.obtain(&request).await {
        Ok(managed) => managed,
        Err(e) => {
            let _ = state.db.cancel_reservation(reservation).await;
            return Err(provider_error("obtain", &account.id, &e));
        }
    };
    let record = PhoneNumber {
        e164: managed.number.as_str().to_string(),
        workspace_id: account.workspace_id.clone(),
        provider: state.numbers_provider.to_string(),
        provider_ref: Some(managed.provider_id.clone()),
        account_id: None,
        voip: managed.voip,
        released_from: None,
        quarantined_until: None,
    };
    match db.complete_purchase(reservation, &record, now_unix()).await {
        Ok(number) => Ok(number),
        Err(err) => {
            let _ = state.db.cancel_reservation(reservation).await;
            if let Err(e) = provider.release(&managed).await {
                provider_error("release_unrecorded", &account.id, &e);
            }
            Err(err.into())
        }
    }
}

/// The number stops routing texts to the account at once and stays in quarantine (texts dropped,
/// no other account gets it; this account may take it back). Nothing is released at the provider:
/// a Twilio number stays bought, in quarantine, and is reused afterwards.
async fn release(State(state): State<AppState>, who: Trusted, Path(id): Path<String>) -> ApiResult<Response> {
    owner_access(&state, &who, &id).await?;
    let Some(held) = who.db(&state).release_phone_number(&id, now_unix()).await? else {
        return Err(ApiError::not_found("this account has no managed number"));
    };
    Ok(released(
        "number_released",
        &id,
        &who,
        held.e164,
        held.quarantined_until,
    ))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Released {
    released: String,
    quarantined_until: Option<i64>,
}

/// The reply to a release of a managed number or address, logged as `event`: what was released
/// and when its quarantine ends.
pub(super) fn released(event: &str, account: &str, who: &Trusted, value: String, until: Option<i64>) -> Response {
    log::info(
        event,
        &[
            ("account", account.into()),
            ("by", who.user.id.as_str().into()),
            ("quarantine_days", (QUARANTINE_SECS / 86_400).into()),
        ],
    );
    ok(&Released {
        released: value,
        quarantined_until: until,
    })
}

// ---- the workspace's policy ----

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PolicyView {
    min_role: &'static str,
    quota: i64,
    used: UsedView,
    quarantine_days: i64,
    /// Whether the caller's role meets the policy (they must also own the account).
    may_obtain: bool,
    /// Managed e-mail addresses follow the same role rule, with a quota of their own.
    address_quota: i64,
    addresses: AddressesUsed,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AddressesUsed {
    held: i64,
    quarantined: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UsedView {
    held: i64,
    quarantined: i64,
    being_obtained: i64,
}

async fn policy_view(state: &AppState, who: &Trusted) -> ApiResult<PolicyView> {
    let (policy, usage) = state.db.number_policy(&who.user.workspace_id, now_unix()).await?;
    let addresses = state.db.address_usage(&who.user.workspace_id, now_unix()).await?;
    Ok(PolicyView {
        address_quota: addresses.quota,
        addresses: AddressesUsed {
            held: addresses.held,
            quarantined: addresses.quarantined,
        },
        min_role: policy.min_role.as_str(),
        quota: policy.quota,
        used: UsedView {
            held: usage.held,
            quarantined: usage.quarantined,
            being_obtained: usage.reserved,
        },
        quarantine_days: QUARANTINE_SECS / 86_400,
        may_obtain: who.user.role.may_obtain_number(policy.min_role).is_ok(),
    })
}

async fn show_policy(State(state): State<AppState>, who: Trusted) -> ApiResult<Response> {
    Ok(ok(&policy_view(&state, &who).await?))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PolicyBody {
    min_role: String,
    quota: i64,
    /// Left out: unchanged.
    #[serde(default)]
    address_quota: Option<i64>,
}

async fn set_policy(State(state): State<AppState>, who: Trusted, Json(body): Json<PolicyBody>) -> ApiResult<Response> {
    who.user.role.may(AdminTask::SetNumberPolicy)?;
    let min_role = Role::parse(&body.min_role)?;
    if !(0..=MAX_NUMBER_QUOTA).contains(&body.quota) {
        return Err(ApiError::invalid(format!(
            "the quota must be a whole number from 0 to {MAX_NUMBER_QUOTA}"
        )));
    }
    if body
        .address_quota
        .is_some_and(|q| !(0..=MAX_ADDRESS_QUOTA).contains(&q))
    {
        return Err(ApiError::invalid(format!(
            "the address quota must be a whole number from 0 to {MAX_ADDRESS_QUOTA}"
        )));
    }
    if let Some(address_quota) = body.address_quota {
        who.db(&state)
            .set_address_quota(&who.user.workspace_id, address_quota, now_unix())
            .await?;
    }
    who.db(&state)
        .set_number_policy(
            &who.user.workspace_id,
            NumberPolicy {
                min_role,
                quota: body.quota,
            },
            now_unix(),
        )
        .await?;
    log::info(
        "number_policy_changed",
        &[
            ("min_role", min_role.as_str().into()),
            ("quota", body.quota.into()),
            ("by", who.user.id.as_str().into()),
        ],
    );
    Ok(ok(&policy_view(&state, &who).await?))
}
