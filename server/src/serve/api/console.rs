//! What the extension's Workspace console reads in one call each (docs/api.md, "Devices and
//! users"): the people with their devices, invitations and what the caller may do to each, and
//! the accounts that wait for a new key with the owners who can give it one. Admins and above.
//!
//! Who may do what stays `domain::Role`'s: the console is told the verdicts (and the refusal's
//! sentence), so no rule is copied into the extension.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use super::auth::Trusted;
use super::body::ok;
use super::error::ApiResult;
use crate::db::{User, UserStatus};
use crate::domain::{AdminTask, Refusal, Role};
use crate::serve::state::{now_unix, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/workspace/users", get(users))
        .route("/workspace/rotations", get(rotations))
}

/// A refusal as a sentence for the console ("Only an owner can ….").
fn sentence(refusal: &Refusal) -> String {
    let text = refusal.to_string();
    let mut chars = text.chars();
    let first = chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>())
        .unwrap_or_default();
    format!("{first}{}.", chars.as_str())
}

/// `Ok` as `null`, a refusal as its sentence.
fn verdict(result: Result<(), Refusal>) -> Value {
    match result {
        Ok(()) => Value::Null,
        Err(refusal) => sentence(&refusal).into(),
    }
}

/// Each role, and why the caller may not set it on `target` (null: allowed).
fn role_choices(caller: &User, target: &User) -> Vec<Value> {
    Role::ALL
        .into_iter()
        .map(|role| {
            let why = if target.status == UserStatus::Deprovisioned {
                "This user was deprovisioned: invite them again instead.".into()
            } else if role == target.role {
                Value::Null
            } else {
                verdict(caller.role.may_set_role(target.role, target.id == caller.id, role))
            };
            json!({"role": role.as_str(), "allowed": why.is_null(), "why": why})
        })
        .collect()
}

/// `GET /workspace/users`.
async fn users(State(state): State<AppState>, trusted: Trusted) -> ApiResult<Response> {
    let caller = &trusted.user;
    caller.role.may(AdminTask::SeeConsole)?;
    let now = now_unix();
    let users = state.db.users(&caller.workspace_id).await?;
    let activity = state.db.device_activity(&caller.workspace_id).await?;
    let invitations: BTreeMap<_, _> = state
        .db
        .pending_invitations(&caller.workspace_id)
        .await?
        .into_iter()
        .map(|i| (i.email.clone(), i))
        .collect();
    let list: Vec<Value> = users
        .iter()
        .map(|user| {
            let devices = activity.get(&user.id).copied().unwrap_or_default();
            let invitation = invitations
                .get(&user.email)
                .filter(|_| user.status == UserStatus::Invited)
                .map(|i| {
                    json!({
                        "id": i.id,
                        "expiresAt": i.expires_at,
                        "expired": i.expires_at <= now,
                        "manageable": caller.role.may_grant(i.role).is_ok(),
                    })
                });
            let deprovision = if user.status == UserStatus::Deprovisioned {
                "This user is already deprovisioned.".into()
            } else {
                verdict(caller.role.may_deprovision(user.role, user.id == caller.id))
            };
            json!({
                "id": user.id,
                "email": user.email,
                "displayName": user.display_name,
                "role": user.role.as_str(),
                "status": user.status.as_str(),
                "you": user.id == caller.id,
                "trustedDevices": devices.trusted,
                "lastSeenAt": devices.last_seen_at,
                "invitation": invitation,
                "roleChoices": role_choices(caller, user),
                "deprovisionRefused": deprovision,
            })
        })
        .collect();
    let invitable: Vec<_> = Role::ALL
        .into_iter()
        .map(|role| {
            let why = verdict(caller.role.may_grant(role));
            json!({"role": role.as_str(), "allowed": why.is_null(), "why": why})
        })
        .collect();
    Ok(ok(&json!({
        "users": list,
        "you": {
            "id": caller.id,
            "role": caller.role.as_str(),
            "invitableRoles": invitable,
            "managesScimTokens": caller.role.may_manage_scim_tokens().is_ok(),
            "editsCatalog": caller.role.may_edit_catalog().is_ok(),
        },
    })))
}

/// `GET /workspace/rotations`: the accounts marked for a new key, with their owners.
async fn rotations(State(state): State<AppState>, trusted: Trusted) -> ApiResult<Response> {
    let caller = &trusted.user;
    caller.role.may(AdminTask::SeeConsole)?;
    let mut accounts = Vec::new();
    for (account, owner_ids) in state.db.accounts_needing_rotation(&caller.workspace_id).await? {
        let mut owners = Vec::new();
        for id in owner_ids {
            let user = state.db.user(&id).await?;
            owners.push(json!({"userId": user.id, "email": user.email, "displayName": user.display_name}));
        }
        accounts.push(json!({"id": account.id, "name": account.name, "site": account.site, "owners": owners}));
    }
    Ok(ok(&json!({ "accounts": accounts })))
}
