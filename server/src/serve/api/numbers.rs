//! Managed phone numbers: a US number obtained from the provider (`state.numbers`: the local pool
//! or Twilio) and held for one account, so its texts reach the account's shared inbox. Members see
//! it; owners obtain and release it, and only for an app in the catalog that accepts such numbers.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Serialize;

use super::accounts::{member_access, owner_access};
use super::auth::Trusted;
use super::body::{ok, reply};
use super::error::{ApiError, ApiResult};
use crate::log;
use crate::numbers::{ManagedNumber, NumberError, NumberRequest};
use crate::phone::E164;
use crate::serve::state::{now_unix, AppState};
use latchkey::db::{Account, App, DbError, PhoneNumber};

pub fn routes() -> Router<AppState> {
    Router::new().route("/accounts/{id}/phone-number", get(show).post(obtain).delete(release))
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
        Some(id) => match state.db.app(id).await {
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
        NumberError::PoolExhausted(_) | NumberError::NoneAvailable { .. } => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "no_numbers_available",
            format!("no managed number is available right now: {err}"),
        ),
        _ => ApiError::new(
            StatusCode::BAD_GATEWAY,
            "number_provider_failed",
            "the phone-number provider refused or could not be reached; an administrator can find why in the server log",
        ),
    }
}

#[derive(Serialize)]
struct Obtained {
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
    if let Some(held) = state.db.account_phone_number(&id).await? {
        return Err(ApiError::conflict(format!(
            "this account already has the managed number {}: release it first",
            held.e164
        )));
    }
    let request = NumberRequest {
        account_id: id.clone(),
        voip_ok: app.voip_ok,
    };
    let managed = state
        .numbers
        .obtain(&request)
        .await
        .map_err(|e| provider_error("obtain", &id, &e))?;
    let record = PhoneNumber {
        e164: managed.number.as_str().to_string(),
        workspace_id: account.workspace_id.clone(),
        provider: state.numbers_provider.to_string(),
        provider_ref: Some(managed.provider_id.clone()),
        account_id: None,
    };
    if let Err(err) = state.db.hold_phone_number(&record, &id, now_unix()).await {
        // A concurrent request for the same account may hold this very number (the pool answers
        // a repeated request with the same one): give it back only if nobody holds it.
        let held = state.db.account_phone_number(&id).await.ok().flatten();
        if held.is_none_or(|h| h.e164 != record.e164) {
            if let Err(e) = state.numbers.release(&managed).await {
                provider_error("release_unrecorded", &id, &e);
            }
        }
        return Err(err.into());
    }
    log::info(
        "number_obtained",
        &[
            ("account", id.as_str().into()),
            ("provider", state.numbers_provider.into()),
            ("by", who.user.id.as_str().into()),
        ],
    );
    Ok(reply(StatusCode::CREATED, &Obtained { number: record.e164 }))
}

#[derive(Serialize)]
struct Released {
    released: String,
}

async fn release(State(state): State<AppState>, who: Trusted, Path(id): Path<String>) -> ApiResult<Response> {
    owner_access(&state, &who, &id).await?;
    let Some(held) = state.db.account_phone_number(&id).await? else {
        return Err(ApiError::not_found("this account has no managed number"));
    };
    // A number from another provider (the configuration changed since) is only forgotten here.
    if held.provider == state.numbers_provider {
        if let Some(number) = E164::parse(&held.e164) {
            let managed = ManagedNumber {
                provider_id: held.provider_ref.clone().unwrap_or_else(|| held.e164.clone()),
                number,
            };
            match state.numbers.release(&managed).await {
                // The pool no longer counts it as taken: it is free already.
                Ok(()) | Err(NumberError::NotInPool(_)) => {}
                Err(e) => return Err(provider_error("release", &id, &e)),
            }
        }
    } else {
        log::warn(
            "number_forgotten",
            &[
                ("account", id.as_str().into()),
                ("provider", held.provider.as_str().into()),
                (
                    "detail",
                    "held through a provider no longer configured: release it there".into(),
                ),
            ],
        );
    }
    state.db.release_phone_number(&id).await?;
    log::info(
        "number_released",
        &[("account", id.as_str().into()), ("by", who.user.id.as_str().into())],
    );
    Ok(ok(&Released { released: held.e164 }))
}
