//! SMS webhooks from carriers: `POST /webhooks/sms/twilio` (docs/api.md, "Managed numbers and the
//! inbox").
//!
//! Order matters: the signature is checked over the raw form before anything else is read; the
//! text is sealed to the account's inbox key at once and only the envelope is stored; Twilio gets
//! its 200 only once the message is durable (so a crash before that makes Twilio retry, and the
//! retry is stored once thanks to the MessageSid); then waiting inboxes are woken.
//!
//! A signed message must also name this server's Twilio account (`AccountSid`, against
//! `--twilio-account-sid`, or the local account when none is configured): 403 otherwise.
//!
//! A signed message for a number no account holds (in quarantine after a release, or never ours)
//! or for an account without an inbox key cannot be stored usefully. It is dropped with a warning
//! and still answered 200: a retry could not succeed, and Twilio would only keep retrying or flag
//! the webhook. A quarantined number's texts reach nobody.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;

use super::api::error::{ApiError, ErrorCode};
use super::inbox_seal::{self, Content, SealError};
use super::state::{now_unix, AppState};
use crate::db::{DbError, NewSms};
use crate::log;
use crate::sms::inbound::MAX_FORM_BYTES;
use crate::sms::twilio_signature::webhook_url;
use crate::sms::{InboundSms, Sender};

pub const TWILIO_PATH: &str = "/webhooks/sms/twilio";
/// The account SID expected when no `--twilio-account-sid` is given: no real Twilio account has
/// it, so only a local sender (the demo's carrier, a test harness) that knows the token uses it.
pub const LOCAL_ACCOUNT_SID: &str = "AC00000000000000000000000000000000";

pub fn router(state: AppState) -> Router {
    Router::new().route(TWILIO_PATH, post(twilio)).with_state(state)
}

/// Twilio's answer for "received, nothing to send back".
fn empty_twiml() -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/xml")],
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>",
    )
        .into_response()
}

async fn twilio(State(state): State<AppState>, request: Request<Body>) -> Response {
    match intake(&state, request).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

async fn intake(state: &AppState, request: Request<Body>) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let path_and_query = parts.uri.path_and_query().map_or(TWILIO_PATH, |pq| pq.as_str());
    let signature = parts
        .headers
        .get("x-twilio-signature")
        // A header that is not text cannot match: verify it as an empty (wrong) signature.
        .map(|v| v.to_str().unwrap_or(""));
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES).await.map_err(|_| {
        ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("the webhook form is larger than {} KiB", MAX_FORM_BYTES / 1024),
        )
    })?;
    let params: Vec<(String, String)> = form_urlencoded::parse(&bytes).into_owned().collect();
    let url = webhook_url(&state.public_url, path_and_query).map_err(|e| ApiError::internal("webhook url", &e))?;
    if let Err(e) = state.twilio.verify(&url, &params, signature) {
        log::warn("sms_bad_signature", &[("detail", e.to_string().as_str().into())]);
        return Err(ApiError::new(ErrorCode::BadSignature, e.to_string()));
    }

    let sms = InboundSms::from_params(&params).map_err(|e| {
        log::warn("sms_malformed", &[("detail", e.to_string().as_str().into())]);
        ApiError::bad_request(e.to_string())
    })?;
    if sms.account_sid != state.twilio_account_sid {
        log::warn(
            "sms_wrong_account",
            &[
                ("account_sid", sms.account_sid.as_str().into()),
                ("message_sid", sms.message_sid.as_str().into()),
            ],
        );
        return Err(ApiError::new(ErrorCode::WrongAccount,
            "the webhook names another Twilio account than the one this server is configured for (--twilio-account-sid)",
        ));
    }
    let dropped = |reason: &str| {
        log::warn(
            "sms_dropped",
            &[
                ("reason", reason.into()),
                ("message_sid", sms.message_sid.as_str().into()),
                ("to", sms.to.as_str().into()),
            ],
        );
        Ok(empty_twiml())
    };
    let now = now_unix();
    let account_id = match state.db.phone_number(sms.to.as_str()).await {
        Ok(number) => match number.account_id {
            Some(id) => id,
            None if number.in_quarantine(now) => return dropped("the number was released and is in quarantine"),
            None => return dropped("the number is not held by any account"),
        },
        Err(DbError::NotFound(_)) => return dropped("the number is not one of this workspace's managed numbers"),
        Err(e) => return Err(e.into()),
    };
    let account = state.db.account(&account_id).await?;
    let from = match &sms.from {
        Sender::Phone(number) => number.as_str().to_string(),
        Sender::ShortCode(code) => code.clone(),
    };
    let sealed = match inbox_seal::seal(
        &account,
        &sms.message_sid,
        Content::Sms {
            from: &from,
            text: &sms.body,
        },
    ) {
        Ok(sealed) => sealed,
        Err(e @ (SealError::NoInboxKey | SealError::BadInboxKey)) => return dropped(&e.to_string()),
        Err(e) => return Err(ApiError::internal("seal sms", &e)),
    };
    let (stored, new) = state
        .db
        .store_sms(&NewSms {
            provider: "twilio",
            provider_message_id: &sms.message_sid,
            account_id: &account.id,
            from: &from,
            to: sms.to.as_str(),
            received_at: now,
            sealed: &sealed,
        })
        .await?;
    if new {
        state.notifier.announce_local(&account.id);
    }
    log::info(
        "sms_received",
        &[
            ("account", account.id.as_str().into()),
            ("message_sid", sms.message_sid.as_str().into()),
            ("seq", stored.seq.into()),
            ("redelivery", (!new).into()),
        ],
    );
    Ok(empty_twiml())
}
