//! Registering a device (pending) and `GET /me`.

use super::*;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Register {
    email: String,
    name: String,
    public_keys: B64,
    workspace_id: Option<String>,
}

pub(super) async fn register(State(state): State<AppState>, Json(body): Json<Register>) -> ApiResult<Response> {
    let now = now_unix();
    PublicKeys::from_bytes(&body.public_keys.0).map_err(|_| {
        ApiError::invalid("publicKeys must be the device's X25519 and Ed25519 public keys (64 bytes, base64url)")
    })?;
    let email = body.email.trim().to_lowercase();
    if !email.contains('@') || email.len() > 254 {
        return Err(ApiError::invalid(format!("{email:?} is not an e-mail address")));
    }
    state
        .limits
        .check(&format!("register:{email}"), REGISTER_PER_EMAIL)
        .map_err(|wait| ApiError::rate_limited("device registrations for this address", wait))?;
    let unknown = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_user",
            "this e-mail address is not a user of any workspace here: ask your administrator to invite you",
        )
    };
    let mut users = state.db.users_with_email(&email).await?;
    let user = match &body.workspace_id {
        Some(workspace) => users
            .into_iter()
            .find(|u| &u.workspace_id == workspace)
            .ok_or_else(unknown)?,
        None if users.len() > 1 => {
            return Err(ApiError::invalid(
                "this e-mail address is a user of several workspaces: say which one (workspaceId)",
            ))
        }
        None => users.pop().ok_or_else(unknown)?,
    };
    let device = state
        .db
        .register_device(&user.id, &body.name, &body.public_keys.0, now)
        .await?;
    let token = state.db.issue_device_token(&device.id, now).await?;
    let trusted = state.db.approved_devices(&user.id).await?.len();
    log::info(
        "device_registered",
        &[("user", user.id.as_str().into()), ("device", device.id.as_str().into())],
    );
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out<'a> {
        token: String,
        device: DeviceJson,
        user: UserJson<'a>,
        /// How many trusted devices could approve this one (none: e-mail code and Recovery Kit).
        trusted_devices: usize,
    }
    Ok(reply(
        StatusCode::CREATED,
        &Out {
            token,
            device: DeviceJson::of(&device, Some(true)),
            user: user_json(&user),
            trusted_devices: trusted,
        },
    ))
}

pub(super) async fn me(State(state): State<AppState>, session: Session) -> ApiResult<Response> {
    not_stale(&session)?;
    let workspace = state.db.workspace(&session.user.workspace_id).await?;
    let trusted = session.device.status == DeviceStatus::Approved && session.user.status == UserStatus::Active;
    let keys = if trusted {
        state.db.user_keys(&session.user.id).await?
    } else {
        None
    };
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
        public_keys: keys.as_ref().map(|k| B64(k.public_keys.clone())),
        sealed_private_keys: keys.map(|k| B64(k.sealed_private_keys)),
        user_key_envelope: trusted
            .then(|| session.device.user_key_envelope.clone().map(B64))
            .flatten(),
    }))
}
