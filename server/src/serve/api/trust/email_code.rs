//! The e-mailed 6-digit code: sending (rate-limited per device, per client address and per
//! address-and-client) and checking. A code belongs to the device that asked for it. The e-mail
//! goes out in the background, so the answer's timing says nothing about the address. Wrong codes
//! are counted per address: past [`limits::FAILURES_PER_EMAIL`] a day (someone guessing from many
//! devices), client addresses that typed [`limits::FAILURES_PER_EMAIL_CLIENT_BRAKED`] wrong codes
//! may try no more, and the user is told once. The code is never logged.

use super::*;

const DAY: i64 = 24 * 60 * 60;

pub(super) async fn send_code(State(state): State<AppState>, caller: Caller, client: Client) -> ApiResult<Response> {
    if let Caller::Device(session) = &caller {
        require_pending(session)?;
    }
    let now = now_unix();
    let email = caller_email(&caller).to_string();
    let device_id = caller_id(&caller).to_string();
    let pair_key = format!("code-ec:{email}|{}", client.key);
    // The per-address cap never refuses a client address's first code for it in the window.
    let first_from_here = state
        .db
        .rate_count(&pair_key, limits::CODES_PER_EMAIL_CLIENT.window_secs, now)
        .await?
        == 0;
    let per_email = format!("code-e:{email}");
    let checks = [
        RateCheck::new(format!("code-d:{device_id}"), limits::CODE_RESEND),
        RateCheck::new(pair_key, limits::CODES_PER_EMAIL_CLIENT),
        RateCheck::new(format!("code-c:{}", client.key), limits::CODES_PER_CLIENT),
        match first_from_here {
            true => RateCheck::record_only(per_email, limits::CODES_PER_EMAIL),
            false => RateCheck::new(per_email, limits::CODES_PER_EMAIL),
        },
    ];
    if let Err(limited) = state.db.rate_limit(&checks, now).await? {
        let what = if limited.key.starts_with("code-d:") {
            "codes for this device in a row"
        } else {
            "e-mailed codes asked for from your network"
        };
        return Err(ApiError::rate_limited(
            what,
            u64::try_from(limited.retry_after).unwrap_or(1),
        ));
    }
    match &caller {
        Caller::Device(session) => {
            let code = new_email_code();
            let pending = PendingEmailCode::new(&state.email_code_key, &email, &code, unix(now));
            session
                .db(&state)
                .put_email_code(&email, Some(&session.user.id), &device_id, &client.key, &pending, now)
                .await?;
            let (state, device_name) = (state.clone(), session.device.name.clone());
            tokio::spawn(async move {
                if let Err(err) = state.mailer.send_device_code(&email, &device_name, &code).await {
                    // Delivery failures are the one place an address may be logged (never the code).
                    log::warn(
                        "mail_not_sent",
                        &[
                            ("to", email.as_str().into()),
                            ("detail", err.to_string().as_str().into()),
                        ],
                    );
                }
            });
            log::info(
                "email_code_sent",
                &[
                    ("user", session.user.id.as_str().into()),
                    ("device", device_id.as_str().into()),
                ],
            );
        }
        Caller::Ghost(ghost) => {
            state.db.ghost_code_sent(&ghost.id, now).await?;
            log::info("email_code_sent", &[("device", device_id.as_str().into())]);
        }
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out<'a> {
        sent_to: &'a str,
        expires_in: u64,
        /// `email`, or `outbox` when the server has no relay: the code is on its console and in
        /// its outbox (the same for every caller, user or not).
        delivery: &'static str,
    }
    Ok(reply(
        StatusCode::ACCEPTED,
        &Out {
            sent_to: caller_email(&caller),
            expires_in: EMAIL_CODE_LIFETIME_SECS,
            delivery: if state.mailer.relays() { "email" } else { "outbox" },
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
    caller: Caller,
    client: Client,
    Json(body): Json<CodeBody>,
) -> ApiResult<Response> {
    if let Caller::Device(session) = &caller {
        require_pending(session)?;
    }
    if body.code.len() > 32 {
        return Err(ApiError::invalid("the code is the 6 digits from the e-mail"));
    }
    let now = now_unix();
    let email = caller_email(&caller).to_string();
    let failures_key = format!("fail-e:{email}");
    let pair_key = format!("fail-ec:{email}|{}", client.key);
    // The distributed-guessing brake: only once the address has had many wrong codes today, and
    // only for client addresses that typed several of them.
    if state.db.rate_count(&failures_key, DAY, now).await? >= limits::FAILURES_PER_EMAIL.max
        && state.db.rate_count(&pair_key, DAY, now).await? >= limits::FAILURES_PER_EMAIL_CLIENT_BRAKED
    {
        return Err(ApiError::rate_limited(
            "wrong codes for this account from your network today; ask a trusted device to approve this one",
            3600,
        ));
    }
    let not_sent = || ApiError::not_found("no code was sent for this device yet: ask for one (POST /trust/email-code)");
    let verdict = match &caller {
        Caller::Device(session) => session
            .db(&state)
            .check_email_code(&state.email_code_key, &session.device.id, &email, &body.code, now)
            .await
            .map_err(|e| match e {
                crate::db::DbError::NotFound(_) => not_sent(),
                other => other.into(),
            })?,
        Caller::Ghost(ghost) => state.db.ghost_code_attempt(&ghost.id, now).await.map_err(|e| match e {
            crate::db::DbError::NotFound(_) => not_sent(),
            other => other.into(),
        })?,
    };
    if let Err(err) = verdict {
        let code = match err {
            DeviceError::CodeWrong { .. } => ErrorCode::CodeWrong,
            DeviceError::CodeExpired => ErrorCode::CodeExpired,
            DeviceError::CodeUsed => ErrorCode::CodeUsed,
            DeviceError::CodeAttempts => ErrorCode::CodeAttempts,
            _ => ErrorCode::Invalid,
        };
        if matches!(err, DeviceError::CodeWrong { .. } | DeviceError::CodeAttempts) {
            count_failure(&state, &caller, &failures_key, &pair_key, now).await?;
        }
        log::info(
            "email_code_refused",
            &[("device", caller_id(&caller).into()), ("reason", code.as_str().into())],
        );
        return Err(ApiError::new(code, err.to_string()));
    }
    let Caller::Device(session) = &caller else {
        return Err(ApiError::internal("ghost code", &"a ghost's code verified"));
    };
    session.db(&state).mark_email_verified(&session.device.id, now).await?;
    log::info("email_verified", &[("device", session.device.id.as_str().into())]);
    let approvers = state.db.approved_devices(&session.user.id).await?.len();
    Ok(ok(&serde_json::json!({
        "verified": true,
        "hasKeys": session.user.public_keys.is_some(),
        "trustedDevices": approvers,
    })))
}

/// Counts a wrong code for the address and the client address; the first time the address
/// reaches the daily cap, its user is told (once a day).
async fn count_failure(
    state: &AppState,
    caller: &Caller,
    failures_key: &str,
    pair_key: &str,
    now: i64,
) -> ApiResult<()> {
    state
        .db
        .rate_limit(
            &[
                RateCheck::record_only(failures_key, limits::FAILURES_PER_EMAIL),
                RateCheck::record_only(pair_key, limits::FAILURES_PER_EMAIL),
            ],
            now,
        )
        .await?
        .ok();
    let failures = state.db.rate_count(failures_key, DAY, now).await?;
    let Caller::Device(session) = caller else { return Ok(()) };
    if failures < limits::FAILURES_PER_EMAIL.max {
        return Ok(());
    }
    let once = RateCheck::new(
        format!("fail-notice:{}", session.user.email),
        crate::db::Limit {
            max: 1,
            window_secs: DAY,
        },
    );
    if state.db.rate_limit(&[once], now).await?.is_ok() {
        let (state, to) = (state.clone(), session.user.email.clone());
        log::warn(
            "email_code_failures",
            &[("user", session.user.id.as_str().into()), ("failures", failures.into())],
        );
        tokio::spawn(async move {
            if let Err(err) = state.mailer.send_failures_notice(&to, failures).await {
                log::warn(
                    "mail_not_sent",
                    &[("to", to.as_str().into()), ("detail", err.to_string().as_str().into())],
                );
            }
        });
    }
    Ok(())
}
