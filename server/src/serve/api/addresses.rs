//! Managed e-mail addresses: an address at the workspace's mail domain held for one account, so
//! the app's e-mails (sign-in codes, verification links) reach the account's shared inbox. Members
//! see it; owners create and release it, only for an app in the workspace's catalog that accepts
//! one, and only when the rule for managed numbers and addresses lets them (db/numbers.rs,
//! `check_obtainer`). A released address goes into quarantine (db/addresses.rs).
//!
//! The address an owner is offered is shown before it is created (`proposed`): it is derived by
//! the server (domain/managed_address.rs), and `POST` creates exactly that one; a client never
//! names an address.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Serialize;

use super::accounts::{member_access, owner_access};
use super::auth::Trusted;
use super::body::{ok, reply};
use super::error::{ApiError, ApiResult, ErrorCode};
use super::numbers::released;
use crate::db::{Account, AccountRole, DbError};
use crate::domain::MailDomain;
use crate::log;
use crate::serve::state::{now_unix, AppState};

pub fn routes() -> Router<AppState> {
    Router::new().route("/accounts/{id}/email-address", get(show).post(create).delete(release))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AddressView {
    address: Option<String>,
    /// Whether the account's app (from the catalog) takes a managed address.
    supported: bool,
    /// For owners, when the account has none and one can be created: the address `POST` creates.
    proposed: Option<String>,
}

fn domain(state: &AppState) -> ApiResult<&MailDomain> {
    state.mail_domain.as_ref().ok_or_else(|| {
        ApiError::new(
            ErrorCode::Unavailable,
            "this server has no mail domain, so it gives out no e-mail addresses (start it with --mail-domain)",
        )
    })
}

async fn supported(state: &AppState, account: &Account) -> ApiResult<bool> {
    match &account.app_id {
        Some(id) => match state.db.app(&account.workspace_id, id).await {
            Ok(app) => Ok(app.accepts_managed_email),
            Err(DbError::NotFound(_)) => Ok(false),
            Err(e) => Err(e.into()),
        },
        None => Ok(false),
    }
}

/// The address `POST` would give the account now: one it released and may take back, else the
/// next proposal.
async fn proposal(state: &AppState, domain: &MailDomain, account_id: &str) -> ApiResult<String> {
    if let Some(own) = state.db.own_quarantined_address(account_id, now_unix()).await? {
        return Ok(own.address);
    }
    let before = state.db.addresses_ever(account_id).await?;
    Ok(domain.propose(&state.address_key, account_id, before))
}

async fn show(State(state): State<AppState>, who: Trusted, Path(id): Path<String>) -> ApiResult<Response> {
    let (account, member) = member_access(&state, &who, &id).await?;
    let supported = supported(&state, &account).await?;
    let address = state.db.account_address(&id).await?.map(|a| a.address);
    let proposed = match (&address, &state.mail_domain) {
        (None, Some(domain)) if supported && member.role == AccountRole::Owner => {
            Some(proposal(&state, domain, &id).await?)
        }
        _ => None,
    };
    Ok(ok(&AddressView {
        address,
        supported,
        proposed,
    }))
}

#[derive(Serialize)]
struct Created {
    address: String,
}

async fn create(State(state): State<AppState>, who: Trusted, Path(id): Path<String>) -> ApiResult<Response> {
    let (account, _) = owner_access(&state, &who, &id).await?;
    if !supported(&state, &account).await? {
        let name = match &account.app_id {
            Some(_) => "this account's app",
            None => "this account (it has no app from the catalog)",
        };
        return Err(ApiError::conflict(format!(
            "{name} does not take a managed e-mail address: keep using your own address for it"
        )));
    }
    let domain = domain(&state)?;
    let proposed = proposal(&state, domain, &id).await?;
    let held = who
        .db(&state)
        .obtain_address(&id, &who.user.id, &proposed, now_unix())
        .await?;
    log::info(
        "address_created",
        &[("account", id.as_str().into()), ("by", who.user.id.as_str().into())],
    );
    Ok(reply(StatusCode::CREATED, &Created { address: held.address }))
}

/// Mail to the address is refused from now on; it stays in quarantine (no other account gets it,
/// this account may take it back).
async fn release(State(state): State<AppState>, who: Trusted, Path(id): Path<String>) -> ApiResult<Response> {
    owner_access(&state, &who, &id).await?;
    let Some(held) = who.db(&state).release_address(&id, now_unix()).await? else {
        return Err(ApiError::not_found("this account has no managed e-mail address"));
    };
    Ok(released(
        "address_released",
        &id,
        &who,
        held.address,
        held.quarantined_until,
    ))
}
