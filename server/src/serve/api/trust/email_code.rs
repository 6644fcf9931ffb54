//! The e-mailed 6-digit code: sending (rate-limited) and checking. The code is never logged.

use super::*;

pub(super) async fn send_code(State(state): State<AppState>, session: Session) -> ApiResult<Response> {
    require_pending(&session)?;
    let now = now_unix();
    let user = &session.user;
    for (key, by_user, what) in [
        (user.id.as_str(), true, "codes for this user"),
        (user.email.as_str(), false, "codes for this address"),
    ] {
        let (sent, oldest) = state.db.email_code_sends(key, by_user, now - CODE_WINDOW_SECS).await?;
        if sent >= CODES_PER_WINDOW {
            let wait = (oldest + CODE_WINDOW_SECS - now).max(1);
            return Err(ApiError::rate_limited(what, u64::try_from(wait).unwrap_or(1)));
        }
    }
    state
        .limits
        .check(&format!("email-code:{}", session.device.id), CODE_RESEND)
        .map_err(|wait| ApiError::rate_limited("codes for this device in a row", wait))?;
    let code = new_email_code();
    let pending = PendingEmailCode::new(&state.email_code_key, &user.email, &code, unix(now));
    state
        .db
        .put_email_code(&user.email, Some(&user.id), &pending, now)
        .await?;
    if let Err(err) = state
        .mailer
        .send_device_code(&user.email, &session.device.name, &code)
        .await
    {
        // Delivery failures are the one place an address may be logged (never the code).
        log::warn(
            "mail_not_sent",
            &[
                ("to", user.email.as_str().into()),
                ("detail", err.to_string().as_str().into()),
            ],
        );
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the e-mail with your code could not be sent right now; try again in a minute",
        ));
    }
    log::info(
        "email_code_sent",
        &[
            ("user", user.id.as_str().into()),
            ("device", session.device.id.as_str().into()),
        ],
    );
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out<'a> {
        sent_to: &'a str,
        expires_in: u64,
    }
    Ok(reply(
        StatusCode::ACCEPTED,
        &Out {
            sent_to: &user.email,
            expires_in: EMAIL_CODE_LIFETIME_SECS,
        },
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CodeBody {
    code: String,
}

pub(super) async fn verify_code(
    State(state): State<AppState>,
    session: Session,
    Json(body): Json<CodeBody>,
) -> ApiResult<Response> {
    require_pending(&session)?;
    if body.code.len() > 32 {
        return Err(ApiError::invalid("the code is the 6 digits from the e-mail"));
    }
    let now = now_unix();
    let verdict = state
        .db
        .check_email_code(&state.email_code_key, &session.user.email, &body.code, now)
        .await
        .map_err(|e| match e {
            latchkey::db::DbError::NotFound(_) => {
                ApiError::not_found("no code was sent for this address yet: ask for one (POST /trust/email-code)")
            }
            other => other.into(),
        })?;
    if let Err(err) = verdict {
        let code = match err {
            DeviceError::CodeWrong { .. } => "code_wrong",
            DeviceError::CodeExpired => "code_expired",
            DeviceError::CodeUsed => "code_used",
            DeviceError::CodeAttempts => "code_attempts",
            _ => "invalid",
        };
        log::info(
            "email_code_refused",
            &[("device", session.device.id.as_str().into()), ("reason", code.into())],
        );
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, err.to_string()));
    }
    state.db.mark_email_verified(&session.device.id, now).await?;
    log::info("email_verified", &[("device", session.device.id.as_str().into())]);
    Ok(ok(&serde_json::json!({
        "verified": true,
        "hasKeys": session.user.public_keys.is_some(),
    })))
}
