//! Workspace users (docs/api.md, "Devices and users"): the list, invitations, role changes and
//! deprovisioning. Who may do what is `domain::Role`'s; here, only that an account whose only
//! owner is deprovisioned gets new owners first (chosen, or by default), since an account with
//! members is never without an owner (the database refuses it too).
//!
//! Users of another workspace are "not found".

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, patch, post};

use crate::db::Invitation;
use axum::Router;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::auth::Trusted;
use super::body::{ok, reply, Json, B64};
use super::error::{ApiError, ApiResult};
use crate::db::{NewInvitation, OwnerChoice, OwnershipPlan, User, UserStatus};
use crate::domain::{person_name, AdminTask, Email, Role};
use crate::log;
use crate::serve::state::{now_unix, AppState};

/// Invitations stay open a week.
const INVITATION_LIFETIME_SECS: i64 = 7 * 24 * 60 * 60;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", get(list))
        .route("/users/{id}", patch(change_role))
        .route("/users/{id}/deprovision", get(preview_deprovision).post(deprovision))
        .route("/invitations", post(invite).get(list_invitations))
        .route("/invitations/{id}", axum::routing::delete(cancel_invitation))
        .route("/invitations/{id}/resend", post(resend_invitation))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UserJson<'a> {
    id: &'a str,
    email: &'a str,
    display_name: &'a str,
    role: &'static str,
    status: &'static str,
    public_keys: Option<B64>,
}

fn user_json(user: &User) -> UserJson<'_> {
    UserJson {
        id: &user.id,
        email: &user.email,
        display_name: &user.display_name,
        role: user.role.as_str(),
        status: user.status.as_str(),
        public_keys: user.public_keys.clone().map(B64),
    }
}

async fn list(State(state): State<AppState>, trusted: Trusted) -> ApiResult<Response> {
    let users = state.db.users(&trusted.user.workspace_id).await?;
    Ok(ok(&users.iter().map(user_json).collect::<Vec<_>>()))
}

/// A user of the caller's workspace, or not found.
async fn workspace_user(state: &AppState, trusted: &Trusted, id: &str) -> ApiResult<User> {
    match state.db.user(id).await {
        Ok(user) if user.workspace_id == trusted.user.workspace_id => Ok(user),
        Ok(_) | Err(crate::db::DbError::NotFound(_)) => Err(ApiError::not_found("no user with that id here")),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Invite {
    email: String,
    role: String,
    display_name: Option<String>,
}

async fn invite(State(state): State<AppState>, trusted: Trusted, Json(body): Json<Invite>) -> ApiResult<Response> {
    let caller = &trusted.user;
    caller.role.may(AdminTask::Invite)?;
    let role = Role::parse(&body.role)?;
    caller.role.may_grant(role)?;
    let email = Email::parse(&body.email)?;
    let display_name =
        person_name(body.display_name.as_deref().unwrap_or_default()).map_err(|e| ApiError::invalid(e.to_string()))?;
    let now = now_unix();
    // The invitation token is not e-mailed (joining goes through the device's e-mail code); only
    // its hash is kept, as the schema wants one per invitation.
    let mut token = [0u8; 32];
    getrandom::fill(&mut token).map_err(|e| ApiError::internal("random", &e))?;
    let token_hash = Sha256::digest(token).to_vec();
    let (user, invitation) = trusted
        .db(&state)
        .invite(
            &NewInvitation {
                workspace_id: &caller.workspace_id,
                email: email.as_str(),
                role,
                invited_by: &caller.id,
                token_hash: &token_hash,
                expires_at: now + INVITATION_LIFETIME_SECS,
            },
            now,
        )
        .await?;
    if !display_name.is_empty() {
        state.db.set_display_name(&user.id, display_name).await?;
    }
    let email_sent = send_invitation(&state, caller, &user.email, role).await?;
    log::info(
        "user_invited",
        &[
            ("user", user.id.as_str().into()),
            ("role", role.as_str().into()),
            ("by", caller.id.as_str().into()),
        ],
    );
    let user = state.db.user(&user.id).await?;
    Ok(reply(
        StatusCode::CREATED,
        &serde_json::json!({
            "user": user_json(&user),
            "invitation": invitation_json(&invitation, now),
            "emailSent": email_sent,
        }),
    ))
}

/// E-mails an invitation from `caller`; whether the relay took it.
async fn send_invitation(state: &AppState, caller: &User, to: &str, role: Role) -> ApiResult<bool> {
    let workspace = state.db.workspace(&caller.workspace_id).await?;
    let inviter = if caller.display_name.is_empty() {
        &caller.email
    } else {
        &caller.display_name
    };
    Ok(
        match state
            .mailer
            .send_invitation(to, &workspace.name, inviter, role.as_str(), &state.public_url)
            .await
        {
            Ok(_) => true,
            Err(err) => {
                log::warn(
                    "mail_not_sent",
                    &[("to", to.into()), ("detail", err.to_string().as_str().into())],
                );
                false
            }
        },
    )
}

fn invitation_json(invitation: &Invitation, now: i64) -> serde_json::Value {
    serde_json::json!({
        "id": invitation.id,
        "email": invitation.email,
        "role": invitation.role.as_str(),
        "expiresAt": invitation.expires_at,
        "expired": invitation.expires_at <= now,
    })
}

/// An invitation of the caller's workspace that the caller may manage (admin and above, and a
/// role they may grant), or not found / forbidden.
async fn managed_invitation(state: &AppState, trusted: &Trusted, id: &str) -> ApiResult<Invitation> {
    let caller = &trusted.user;
    caller.role.may(AdminTask::ManageInvitations)?;
    let invitation = match state.db.invitation(id).await {
        Ok(inv) if inv.workspace_id == caller.workspace_id => inv,
        Ok(_) | Err(crate::db::DbError::NotFound(_)) => {
            return Err(ApiError::not_found("no invitation with that id here"))
        }
        Err(other) => return Err(other.into()),
    };
    caller.role.may_grant(invitation.role)?;
    Ok(invitation)
}

/// `GET /invitations`: the workspace's invitations not yet accepted, open or expired.
async fn list_invitations(State(state): State<AppState>, trusted: Trusted) -> ApiResult<Response> {
    trusted.user.role.may(AdminTask::SeeInvitations)?;
    let now = now_unix();
    let invitations = state.db.pending_invitations(&trusted.user.workspace_id).await?;
    Ok(ok(&serde_json::json!({
        "invitations": invitations.iter().map(|i| invitation_json(i, now)).collect::<Vec<_>>(),
    })))
}

/// `POST /invitations/{id}/resend`: open again for a week from now, and e-mailed again.
async fn resend_invitation(
    State(state): State<AppState>,
    trusted: Trusted,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let invitation = managed_invitation(&state, &trusted, &id).await?;
    let now = now_unix();
    let invitation = state
        .db
        .renew_invitation(&invitation.id, now + INVITATION_LIFETIME_SECS)
        .await?;
    let email_sent = send_invitation(&state, &trusted.user, &invitation.email, invitation.role).await?;
    log::info(
        "invitation_resent",
        &[
            ("invitation", invitation.id.as_str().into()),
            ("by", trusted.user.id.as_str().into()),
        ],
    );
    Ok(ok(&serde_json::json!({
        "invitation": invitation_json(&invitation, now),
        "emailSent": email_sent,
    })))
}

/// `DELETE /invitations/{id}`: the invitation and its invited user are removed.
async fn cancel_invitation(
    State(state): State<AppState>,
    trusted: Trusted,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let invitation = managed_invitation(&state, &trusted, &id).await?;
    let invitation = trusted.db(&state).cancel_invitation(&invitation.id, now_unix()).await?;
    log::info(
        "invitation_cancelled",
        &[
            ("invitation", invitation.id.as_str().into()),
            ("by", trusted.user.id.as_str().into()),
        ],
    );
    Ok(ok(
        &serde_json::json!({ "invitation": { "id": invitation.id, "cancelled": true } }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeRole {
    role: String,
}

async fn change_role(
    State(state): State<AppState>,
    trusted: Trusted,
    Path(id): Path<String>,
    Json(body): Json<ChangeRole>,
) -> ApiResult<Response> {
    let caller = &trusted.user;
    // Asked before the target is looked up, so a user sees the same refusal for every id.
    caller.role.may_change_roles()?;
    let target = workspace_user(&state, &trusted, &id).await?;
    caller.role.may_change_role_of(target.role, target.id == caller.id)?;
    if target.status == UserStatus::Deprovisioned {
        return Err(ApiError::conflict(
            "this user was deprovisioned: invite them again instead",
        ));
    }
    let role = Role::parse(&body.role)?;
    caller.role.may_grant(role)?;
    trusted.db(&state).set_user_role(&target.id, role, now_unix()).await?;
    log::info(
        "role_changed",
        &[
            ("user", target.id.as_str().into()),
            ("role", role.as_str().into()),
            ("by", caller.id.as_str().into()),
        ],
    );
    let user = state.db.user(&target.id).await?;
    Ok(ok(&user_json(&user)))
}

/// Who may deprovision `target`; the same rule for the preview.
async fn deprovisionable(state: &AppState, trusted: &Trusted, id: &str) -> ApiResult<User> {
    let caller = &trusted.user;
    // Asked before the target is looked up, so a user sees the same refusal for every id.
    caller.role.may(AdminTask::Deprovision)?;
    let target = workspace_user(state, trusted, id).await?;
    caller.role.may_deprovision(target.role, target.id == caller.id)?;
    if target.status == UserStatus::Deprovisioned {
        return Err(ApiError::conflict("this user is already deprovisioned"));
    }
    Ok(target)
}

/// Who takes over the accounts the user is the only owner of: `transferTo` (a user, for every
/// such account they are a member of) and `owners` (account id → user id, per account); the rest
/// by default (the members who are workspace owners, else the members of the strongest role).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DeprovisionBody {
    transfer_to: Option<String>,
    #[serde(default)]
    owners: BTreeMap<String, String>,
}

async fn owner_choice(
    state: &AppState,
    trusted: &Trusted,
    target: &User,
    body: DeprovisionBody,
) -> ApiResult<OwnerChoice> {
    if body.owners.len() > 10_000 {
        return Err(ApiError::invalid("owners names too many accounts"));
    }
    for user_id in body.transfer_to.iter().chain(body.owners.values()) {
        let user = workspace_user(state, trusted, user_id).await?;
        if user.id == target.id || user.status != UserStatus::Active {
            return Err(ApiError::invalid(
                "the new owner must be another active user of this workspace",
            ));
        }
    }
    Ok(OwnerChoice {
        transfer_to: body.transfer_to,
        per_account: body.owners,
    })
}

async fn plan_json(state: &AppState, plan: &OwnershipPlan) -> ApiResult<serde_json::Value> {
    let mut handovers = Vec::new();
    for h in &plan.handovers {
        let mut owners = Vec::new();
        for id in &h.new_owners {
            let user = state.db.user(id).await?;
            owners.push(serde_json::json!({"userId": user.id, "email": user.email, "displayName": user.display_name}));
        }
        handovers.push(serde_json::json!({
            "accountId": h.account_id,
            "name": h.account_name,
            "newOwners": owners,
            "reason": h.reason.as_str(),
        }));
    }
    let orphaned: Vec<_> = plan
        .orphaned
        .iter()
        .map(|o| serde_json::json!({"accountId": o.account_id, "name": o.account_name}))
        .collect();
    Ok(serde_json::json!({"handovers": handovers, "orphaned": orphaned}))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PreviewQuery {
    transfer_to: Option<String>,
}

/// What deprovisioning would do to the accounts whose only owner this user is; changes nothing.
async fn preview_deprovision(
    State(state): State<AppState>,
    trusted: Trusted,
    Path(id): Path<String>,
    Query(query): Query<PreviewQuery>,
) -> ApiResult<Response> {
    let target = deprovisionable(&state, &trusted, &id).await?;
    let body = DeprovisionBody {
        transfer_to: query.transfer_to,
        owners: BTreeMap::new(),
    };
    let choice = owner_choice(&state, &trusted, &target, body).await?;
    let plan = state.db.deprovision_plan(&target.id, &choice).await?;
    let mut reply = plan_json(&state, &plan).await?;
    // What the POST would also do: the same sets it changes (devices not yet disabled, every
    // account the user is a member of marked for a new key).
    let devices = state.db.devices(&target.id).await?;
    reply["devicesToDisable"] = devices
        .iter()
        .filter(|d| d.status != crate::db::DeviceStatus::Disabled)
        .count()
        .into();
    reply["accountsToRekey"] = state
        .db
        .memberships_of(&target.id)
        .await?
        .iter()
        .map(|(account, _)| serde_json::json!({"accountId": account.id, "name": account.name}))
        .collect::<Vec<_>>()
        .into();
    Ok(ok(&reply))
}

async fn deprovision(
    State(state): State<AppState>,
    trusted: Trusted,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    // No body (or an empty one) asks for the default handover.
    let body: DeprovisionBody = if body.iter().all(u8::is_ascii_whitespace) {
        DeprovisionBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ApiError::bad_request(format!("the JSON body does not fit: {e}")))?
    };
    let caller = &trusted.user;
    let target = deprovisionable(&state, &trusted, &id).await?;
    let choice = owner_choice(&state, &trusted, &target, body).await?;
    let done = trusted
        .db(&state)
        .deprovision_user_with(&target.id, &choice, now_unix())
        .await?;
    log::info(
        "user_deprovisioned",
        &[
            ("user", target.id.as_str().into()),
            ("by", caller.id.as_str().into()),
            ("devices", done.devices_disabled.into()),
            ("accounts_handed_over", done.handovers.len().into()),
            ("accounts_orphaned", done.orphaned.len().into()),
        ],
    );
    let plan = OwnershipPlan {
        handovers: done.handovers.clone(),
        orphaned: done.orphaned.clone(),
    };
    let mut reply = plan_json(&state, &plan).await?;
    reply["devicesDisabled"] = done.devices_disabled.into();
    reply["tokensRevoked"] = done.tokens_revoked.into();
    reply["accountsMarkedForRotation"] = done.accounts_marked_for_rotation.into();
    Ok(ok(&reply))
}
