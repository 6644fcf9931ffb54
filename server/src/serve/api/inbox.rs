//! The shared inbox (SMS and e-mail): `GET /inbox` lists sealed messages after a cursor, `GET /inbox/wait` does
//! the same but holds the request until there is something newer (or a timeout). Trusted devices
//! only, and only accounts the user is a member of; the server returns envelopes it cannot open.
//!
//! Access is decided at every read, not once at the start of a wait: a wait may last 25 s, during
//! which the member may be removed, the device disabled or the user deprovisioned. So each wake-up
//! checks the device and user again, and every read checks the membership in its own query.

use std::collections::HashSet;
use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Serialize;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;

use super::auth::Trusted;
use super::body::{ok, B64};
use super::error::{ApiError, ApiResult};
use crate::db::{DbError, SmsMessage};
use crate::serve::notify::EVERYONE;
use crate::serve::state::now_unix;
use crate::serve::state::AppState;

const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 500;
/// Longest wait: under the usual 30 s proxy and browser idle limits.
const MAX_WAIT_SECS: u64 = 25;
/// The sealed bytes one page carries at most (beyond its first message).
const PAGE_BYTES: usize = 16 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new().route("/inbox", get(list)).route("/inbox/wait", get(wait))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Message {
    seq: i64,
    /// "sms" or "email": which core type opens `sealed` (`Sms` or `Email`, with the context of
    /// that object type).
    #[serde(rename = "type")]
    kind: &'static str,
    /// The message id bound into the envelope's context (Twilio's MessageSid; for e-mail, the
    /// server's id for that copy).
    id: String,
    account_id: String,
    from: String,
    to: String,
    received_at: i64,
    /// E-mail only: the raw message's size in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<i64>,
    /// E-mail only, when verified on arrival (absent: `--mail-auth off` then, or SMS).
    #[serde(skip_serializing_if = "Option::is_none")]
    auth: Option<Auth>,
    sealed: B64,
}

/// The sender verification of an e-mail (mail/auth.rs): each mechanism "pass", "fail", "none",
/// "temperror" or "unchecked"; `verified`: the author's (From:) domain is proven.
#[derive(Serialize)]
struct Auth {
    dkim: &'static str,
    spf: &'static str,
    dmarc: &'static str,
    domain: Option<String>,
    verified: bool,
}

#[derive(Serialize)]
struct Page {
    messages: Vec<Message>,
    last: i64,
}

/// The query parameters both routes take (`timeout` only for the wait).
struct Params {
    account: Option<String>,
    after: i64,
    limit: i64,
    timeout: Duration,
}

fn params(query: Option<&str>) -> ApiResult<Params> {
    let mut p = Params {
        account: None,
        after: 0,
        limit: DEFAULT_LIMIT,
        timeout: Duration::from_secs(MAX_WAIT_SECS),
    };
    let mut seen = HashSet::new();
    for (name, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        if !seen.insert(name.clone()) {
            return Err(ApiError::bad_request(format!("the query gives {name} more than once")));
        }
        let number = |min: i64, max: i64| {
            value
                .parse::<i64>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| ApiError::invalid(format!("{name} must be a whole number from {min} to {max}")))
        };
        match name.as_ref() {
            "account" if !value.is_empty() => p.account = Some(value.to_string()),
            "account" => {}
            "after" => p.after = number(0, i64::MAX)?,
            "limit" => p.limit = number(1, MAX_LIMIT)?,
            "timeout" => p.timeout = Duration::from_secs(number(0, MAX_WAIT_SECS as i64)? as u64),
            _ => {}
        }
    }
    Ok(p)
}

/// The accounts this request reads: the one asked for (404 unless the user is a member, the same
/// answer as for an account that does not exist), or every account of the user.
async fn readable(state: &AppState, trusted: &Trusted, account: Option<&str>) -> ApiResult<HashSet<String>> {
    match account {
        Some(id) => match state.db.membership(id, &trusted.user.id).await {
            Ok(_) => Ok(HashSet::from([id.to_string()])),
            Err(DbError::NotFound(_)) => Err(ApiError::not_found(
                "there is no such account, or you are not a member of it",
            )),
            Err(e) => Err(e.into()),
        },
        None => Ok(state
            .db
            .accounts_for_user(&trusted.user.id)
            .await?
            .into_iter()
            .map(|a| a.id)
            .collect()),
    }
}

async fn read(state: &AppState, trusted: &Trusted, p: &Params) -> ApiResult<Page> {
    let mut messages = trusted
        .db(state)
        .inbox(&trusted.user.id, p.account.as_deref(), p.after, p.limit, now_unix())
        .await?;
    // E-mails are up to megabytes: a page stops once it holds PAGE_BYTES of sealed data (at
    // least one message); `last` tells the client where to go on.
    let mut bytes = 0usize;
    if let Some(cut) = messages.iter().position(|m| {
        bytes += m.sealed.len();
        bytes > PAGE_BYTES
    }) {
        messages.truncate(cut.max(1));
    }
    let last = messages.last().map_or(p.after, |m| m.seq);
    Ok(Page {
        messages: messages.into_iter().map(message).collect(),
        last,
    })
}

fn message(m: SmsMessage) -> Message {
    Message {
        seq: m.seq,
        kind: m.kind.as_str(),
        id: m.provider_message_id,
        account_id: m.account_id,
        from: m.from,
        to: m.to,
        received_at: m.received_at,
        size: m.size,
        auth: m.auth.map(|a| Auth {
            dkim: a.dkim.as_str(),
            spf: a.spf.as_str(),
            dmarc: a.dmarc.as_str(),
            domain: a.domain,
            verified: a.verified,
        }),
        sealed: B64(m.sealed),
    }
}

async fn list(State(state): State<AppState>, trusted: Trusted, RawQuery(query): RawQuery) -> ApiResult<Response> {
    let p = params(query.as_deref())?;
    if p.account.is_some() {
        readable(&state, &trusted, p.account.as_deref()).await?;
    }
    Ok(ok(&read(&state, &trusted, &p).await?))
}

async fn wait(State(state): State<AppState>, trusted: Trusted, RawQuery(query): RawQuery) -> ApiResult<Response> {
    let p = params(query.as_deref())?;
    let _slot = state.waits.acquire(&trusted.device.id, &trusted.user.id)?;
    // Subscribed before the first read: a message stored in between is announced to us.
    let mut announcements = state.notifier.subscribe();
    let mut accounts = readable(&state, &trusted, p.account.as_deref()).await?;
    let deadline = Instant::now() + p.timeout;
    let mut first = true;
    loop {
        if !first {
            // Woken: access is decided again, as for a new request.
            trusted.still(&state).await?;
            accounts = readable(&state, &trusted, p.account.as_deref()).await?;
        }
        first = false;
        let page = read(&state, &trusted, &p).await?;
        if !page.messages.is_empty() {
            return Ok(ok(&page));
        }
        // Until an announcement concerns us (or some were missed), or time is up.
        loop {
            let next = tokio::select! {
                next = tokio::time::timeout_at(deadline, announcements.recv()) => next,
                // Shutting down: answer what we have; the client asks again, of another instance.
                () = state.stopping() => return Ok(ok(&page)),
            };
            match next {
                Err(_elapsed) => return Ok(ok(&page)),
                Ok(Ok(account)) if account == EVERYONE || accounts.contains(&account) => break,
                Ok(Ok(_other_account)) => {}
                Ok(Err(RecvError::Lagged(_))) => break,
                // The notifier lives as long as the server; if it is gone, answer what we have.
                Ok(Err(RecvError::Closed)) => return Ok(ok(&page)),
            }
        }
    }
}
