//! Becoming trusted with the user key: the first device uploads the new keys, a later one
//! recovers them with the Recovery Kit; both prove it with an enrollment signature.

use super::*;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct FirstDevice {
    user_public_keys: B64,
    sealed_private_keys: B64,
    recovery_envelope: B64,
    user_key_envelope: B64,
    proof: B64,
}

pub(super) async fn first_device(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<FirstDevice>,
) -> ApiResult<Response> {
    let session = require_verified(&caller)?;
    let user = &session.user;
    if user.status == UserStatus::Invited
        && !state
            .db
            .invitation_open(&user.workspace_id, &user.email, now_unix())
            .await?
    {
        return Err(ApiError::forbidden(
            "your invitation to this workspace expired: ask your administrator to send it again",
        ));
    }
    if user.public_keys.is_some() {
        return Err(ApiError::conflict(
            "this user already has keys: unlock them with the Recovery Kit, or ask a trusted device to approve",
        ));
    }
    let user_keys = PublicKeys::from_bytes(&body.user_public_keys.0)
        .map_err(|_| ApiError::invalid("userPublicKeys must be 64 bytes (X25519 and Ed25519 public keys)"))?;
    for (bytes, what) in [
        (&body.sealed_private_keys, "sealedPrivateKeys"),
        (&body.recovery_envelope, "recoveryEnvelope"),
        (&body.user_key_envelope, "userKeyEnvelope"),
    ] {
        if bytes.0.is_empty() {
            return Err(ApiError::invalid(format!("{what} is empty")));
        }
    }
    verify_enrollment(
        &user_keys,
        &user.workspace_id,
        &user.id,
        &session.device.id,
        &device_keys(&session.device)?,
        &body.proof.0,
    )
    .map_err(bad_proof)?;
    session
        .db(&state)
        .enroll_first_device(
            &user.id,
            &session.device.id,
            &body.user_public_keys.0,
            &body.sealed_private_keys.0,
            &body.recovery_envelope.0,
            &body.user_key_envelope.0,
            now_unix(),
        )
        .await?;
    state.announce_trust(&user.id).await;
    log::info(
        "device_trusted",
        &[
            ("device", session.device.id.as_str().into()),
            ("how", "first_device".into()),
        ],
    );
    Ok(ok(&serde_json::json!({ "device": { "status": "approved" } })))
}

pub(super) async fn recovery(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let session = require_verified(&caller)?;
    let keys = state.db.user_keys(&session.user.id).await?.ok_or_else(|| {
        ApiError::conflict("this user has no keys yet: this is the first device (POST /trust/first-device)")
    })?;
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out {
        user_public_keys: B64,
        sealed_private_keys: B64,
        recovery_envelope: B64,
    }
    Ok(ok(&Out {
        user_public_keys: B64(keys.public_keys),
        sealed_private_keys: B64(keys.sealed_private_keys),
        recovery_envelope: B64(keys.recovery_envelope),
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Recover {
    user_key_envelope: B64,
    proof: B64,
}

pub(super) async fn recover(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<Recover>,
) -> ApiResult<Response> {
    let session = require_verified(&caller)?;
    let user = &session.user;
    let keys = state.db.user_keys(&user.id).await?.ok_or_else(|| {
        ApiError::conflict("this user has no keys yet: this is the first device (POST /trust/first-device)")
    })?;
    if body.user_key_envelope.0.is_empty() {
        return Err(ApiError::invalid("userKeyEnvelope is empty"));
    }
    let user_keys =
        PublicKeys::from_bytes(&keys.public_keys).map_err(|e| ApiError::internal("stored user keys", &e))?;
    verify_enrollment(
        &user_keys,
        &user.workspace_id,
        &user.id,
        &session.device.id,
        &device_keys(&session.device)?,
        &body.proof.0,
    )
    .map_err(bad_proof)?;
    session
        .db(&state)
        .enroll_recovered_device(&user.id, &session.device.id, &body.user_key_envelope.0, now_unix())
        .await?;
    state.announce_trust(&user.id).await;
    log::info(
        "device_trusted",
        &[
            ("device", session.device.id.as_str().into()),
            ("how", "recovery_kit".into()),
        ],
    );
    Ok(ok(&serde_json::json!({ "device": { "status": "approved" } })))
}
