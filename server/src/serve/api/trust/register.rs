//! Registering a device (pending) and `GET /me`.
//!
//! Registration answers the same for every address: 201 with a token and the device as typed.
//! Who the address belongs to, whether their invitation is open, how many devices they have and
//! their names change nothing in the answer; an address that cannot join gets a ghost.

use super::*;
use crate::db::Actor;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Register {
    email: String,
    name: String,
    public_keys: B64,
    workspace_id: Option<String>,
}

pub(super) async fn register(
    State(state): State<AppState>,
    client: Client,
    Json(body): Json<Register>,
) -> ApiResult<Response> {
    let now = now_unix();
    PublicKeys::from_bytes(&body.public_keys.0).map_err(|_| {
        ApiError::invalid("publicKeys must be the device's X25519 and Ed25519 public keys (64 bytes, base64url)")
    })?;
    let email = Email::parse(&body.email)?.into_string();
    let name = core_device::validate_device_name(&body.name).map_err(|e| ApiError::invalid(e.to_string()))?;
    limits::check(
        &state,
        &[
            RateCheck::new(format!("register-c:{}", client.key), limits::REGISTER_PER_CLIENT),
            RateCheck::new(
                format!("register-ec:{email}|{}", client.key),
                limits::REGISTER_PER_EMAIL_CLIENT,
            ),
        ],
        "device registrations from your network",
        now,
    )
    .await?;
    let user = match eligible_user(&state, &email, body.workspace_id.as_deref(), now).await? {
        Some(user) => user,
        None => {
            let (ghost, token) = state.db.register_ghost(&email, &name, &client.key, now).await?;
            log::info("device_registered", &[("device", ghost.id.as_str().into())]);
            return Ok(registered(token, &ghost.id, &ghost.name, ghost.created_at));
        }
    };
    let device = state
        .db
        .acting(Actor {
            user_id: Some(user.id.clone()),
            device_id: None,
            client_addr: client.addr.clone(),
        })
        .register_pending(&user.id, &name, &body.public_keys.0, &client.key, now)
        .await?;
    let token = state.db.issue_device_token(&device.id, now).await?;
    log::info(
        "device_registered",
        &[("user", user.id.as_str().into()), ("device", device.id.as_str().into())],
    );
    Ok(registered(token, &device.id, &device.name, device.created_at))
}

/// The user an address may register for: active, or invited with an invitation still open; in
/// the workspace asked for, else the oldest workspace's. `None` for anyone else (a ghost).
async fn eligible_user(state: &AppState, email: &str, workspace: Option<&str>, now: i64) -> ApiResult<Option<User>> {
    let users = state.db.users_with_email(email).await?;
    let user = match workspace {
        Some(ws) => users.into_iter().find(|u| u.workspace_id == ws),
        None => users.into_iter().next(),
    };
    let Some(user) = user else { return Ok(None) };
    Ok(match user.status {
        UserStatus::Active => Some(user),
        UserStatus::Invited if state.db.invitation_open(&user.workspace_id, email, now).await? => Some(user),
        _ => None,
    })
}

fn registered(token: String, id: &str, name: &str, created_at: i64) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out<'a> {
        token: String,
        device: DeviceOut<'a>,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct DeviceOut<'a> {
        id: &'a str,
        name: &'a str,
        status: &'static str,
        created_at: i64,
    }
    reply(
        StatusCode::CREATED,
        &Out {
            token,
            device: DeviceOut {
                id,
                name,
                status: "pending",
                created_at,
            },
        },
    )
}

/// `GET /me`. Before the mailbox is proved, only the device itself; after, the user, the
/// workspace, whether the user has keys, and how many trusted devices could approve this one;
/// for a trusted device also its keys.
pub(super) async fn me(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let session = match &caller {
        Caller::Device(session) => {
            not_stale(session)?;
            session
        }
        Caller::Ghost(_) => return Ok(unverified_me(&caller)),
    };
    let trusted = session.device.status == DeviceStatus::Approved && session.user.status == UserStatus::Active;
    if !trusted && session.device.email_verified_at.is_none() {
        return Ok(unverified_me(&caller));
    }
    let workspace = state.db.workspace(&session.user.workspace_id).await?;
    let keys = if trusted {
        state.db.user_keys(&session.user.id).await?
    } else {
        None
    };
    let approvers = state
        .db
        .approved_devices(&session.user.id)
        .await?
        .iter()
        .filter(|d| d.id != session.device.id)
        .count();
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct WorkspaceJson<'a> {
        id: &'a str,
        name: &'a str,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out<'a> {
        user: UserJson<'a>,
        device: DeviceJson,
        workspace: WorkspaceJson<'a>,
        /// The user's other trusted devices (0: no approval possible; the Recovery Kit or, for a
        /// user without keys, this is the first device).
        trusted_devices: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        public_keys: Option<B64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        sealed_private_keys: Option<B64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        user_key_envelope: Option<B64>,
    }
    let mut device = DeviceJson::of(&session.device, Some(true));
    device.email_verified = Some(session.device.email_verified_at.is_some());
    Ok(ok(&Out {
        user: user_json(&session.user),
        device,
        workspace: WorkspaceJson {
            id: &workspace.id,
            name: &workspace.name,
        },
        trusted_devices: approvers,
        public_keys: keys.as_ref().map(|k| B64(k.public_keys.clone())),
        sealed_private_keys: keys.map(|k| B64(k.sealed_private_keys)),
        user_key_envelope: trusted
            .then(|| session.device.user_key_envelope.clone().map(B64))
            .flatten(),
    }))
}

fn unverified_me(caller: &Caller) -> Response {
    #[derive(Serialize)]
    struct Out<'a> {
        device: UnverifiedDevice<'a>,
        email: &'a str,
    }
    ok(&Out {
        device: UnverifiedDevice::of(caller),
        email: caller_email(caller),
    })
}
