//! Webhooks: SMS from Twilio, `POST /webhooks/sms/twilio` (docs/api.md, "Managed numbers and the
//! inbox"), and inbound mail from a Mailgun route, `POST /webhooks/mail/mailgun/mime` (docs/mail.md).
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
use super::mail_intake::{self, Arrival, Incoming, Lookup};
use super::state::{now_unix, AppState};
use crate::db::{DbError, NewSms, MAILGUN_PROVIDER};
use crate::log;
use crate::mail::mailgun::MailgunError;
use crate::sms::inbound::MAX_FORM_BYTES;
use crate::sms::twilio_signature::webhook_url;
use crate::sms::{InboundSms, Sender};

pub const TWILIO_PATH: &str = "/webhooks/sms/twilio";
/// The account SID expected when no `--twilio-account-sid` is given: no real Twilio account has
/// it, so only a local sender (the demo's carrier, a test harness) that knows the token uses it.
pub const LOCAL_ACCOUNT_SID: &str = "AC00000000000000000000000000000000";

/// Where a Mailgun route forwards inbound mail: `forward("https://HOST/webhooks/mail/mailgun/mime")`
/// (a URL ending in `mime` makes Mailgun post the raw message as `body-mime`).
pub const MAILGUN_PATH: &str = "/webhooks/mail/mailgun/mime";

pub fn router(state: AppState) -> Router {
    let mailgun_limit = state.mail_max_bytes + 1024 * 1024;
    Router::new()
        .route(TWILIO_PATH, post(twilio))
        .route(
            MAILGUN_PATH,
            post(mailgun).layer(axum::extract::DefaultBodyLimit::max(mailgun_limit)),
        )
        .with_state(state)
}

/// Mailgun's inbound-mail post (a route's `forward()` to [`MAILGUN_PATH`]), as multipart form
/// data: `timestamp`, `token` and `signature` checked first (crate::mail::mailgun), then
/// `recipient` (managed addresses; several may be comma-separated) and `sender`, and `body-mime`
/// sealed to each account's inbox key like mail from the SMTP listener (serve/mail_intake.rs).
/// Answers: 200 once stored (or already stored under this token), 406 when no recipient is a live
/// managed address (Mailgun does not retry a 406), 403 for a bad or stale signature, 503 when it
/// could not be stored (Mailgun retries).
async fn mailgun(
    State(state): State<AppState>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    match mailgun_intake(&state, multipart).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

const MAILGUN_FIELDS: [&str; 6] = ["recipient", "sender", "timestamp", "token", "signature", "body-mime"];

async fn mailgun_intake(
    state: &AppState,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, ApiError> {
    let Some(key) = &state.mailgun else {
        return Err(ApiError::new(
            ErrorCode::BadSignature,
            "this server takes no Mailgun posts: it has no signing key (LATCHKEY_MAILGUN_SIGNING_KEY)",
        ));
    };
    let mut multipart = multipart.map_err(|e| ApiError::bad_request(format!("not a Mailgun post: {e}")))?;
    let mut fields: std::collections::HashMap<&'static str, Vec<u8>> = std::collections::HashMap::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| ApiError::new(ErrorCode::PayloadTooLarge, format!("the post could not be read: {e}")))?
    {
        let Some(name) = field
            .name()
            .and_then(|n| MAILGUN_FIELDS.iter().find(|f| **f == n))
            .copied()
        else {
            continue;
        };
        let value = field
            .bytes()
            .await
            .map_err(|e| ApiError::new(ErrorCode::PayloadTooLarge, format!("the post could not be read: {e}")))?;
        if fields.insert(name, value.to_vec()).is_some() {
            return Err(ApiError::bad_request(format!("the post gives {name} more than once")));
        }
    }
    let text = |name: &'static str| -> Result<String, ApiError> {
        let value = fields
            .get(name)
            .ok_or_else(|| ApiError::new(ErrorCode::BadSignature, MailgunError::Missing(name).to_string()))?;
        String::from_utf8(value.clone()).map_err(|_| ApiError::bad_request(format!("{name} is not text")))
    };
    let (timestamp, token, signature) = (text("timestamp")?, text("token")?, text("signature")?);
    if let Err(e) = key.verify(&timestamp, &token, &signature, now_unix()) {
        log::warn("mailgun_bad_signature", &[("detail", e.to_string().as_str().into())]);
        return Err(ApiError::new(ErrorCode::BadSignature, e.to_string()));
    }
    if token.is_empty() || token.len() > 100 || !token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(ApiError::bad_request("the token is not one Mailgun makes"));
    }
    let raw = fields
        .get("body-mime")
        .ok_or_else(|| ApiError::bad_request("the post has no body-mime: the route's URL must end in \"mime\""))?;
    if raw.len() > state.mail_max_bytes {
        return Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("the message is larger than {} bytes", state.mail_max_bytes),
        ));
    }
    let first_id = format!("{token}:0");
    if state.db.message_stored(MAILGUN_PROVIDER, &first_id).await? {
        log::info("mailgun_redelivery", &[("token", token.as_str().into())]);
        return Ok((StatusCode::OK, "stored").into_response());
    }
    let sender = text("sender").unwrap_or_default();
    let mut recipients = Vec::new();
    for path in text("recipient")?
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .take(20)
    {
        if let Lookup::Held { address, account_id } = mail_intake::lookup(state, path).await? {
            if !recipients.iter().any(|(a, _): &(String, String)| *a == address) {
                recipients.push((address, account_id));
            }
        }
    }
    let not_acceptable = || (StatusCode::NOT_ACCEPTABLE, "no such mailbox here").into_response();
    if recipients.is_empty() {
        return Ok(not_acceptable());
    }
    let ids = (0..recipients.len()).map(|i| format!("{token}:{i}")).collect();
    let auth = mail_intake::verify(state, raw, Arrival::Webhook).await;
    let stored = mail_intake::store(
        state,
        Incoming {
            provider: MAILGUN_PROVIDER,
            from: &sender,
            recipients: &recipients,
            raw,
            ids,
            tls: false,
            auth,
        },
    )
    .await;
    match stored {
        Ok(0) => Ok(not_acceptable()),
        Ok(_) => Ok((StatusCode::OK, "stored").into_response()),
        Err(()) => Err(ApiError::new(
            ErrorCode::Unavailable,
            "the message could not be stored now: Mailgun will retry",
        )),
    }
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
