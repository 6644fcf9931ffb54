//! The audit log over HTTP: `GET /audit` for a workspace's admins (the console and SIEM
//! collectors: filters, an opaque cursor, JSON, JSON lines or CSV) and `POST /audit/fills`, by
//! which the extension reports that it filled a code. What is recorded and how is `crate::db`'s
//! (db/audit.rs); this module parses, authorizes and formats.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use super::accounts::member_access;
use super::auth::Trusted;
use super::body::{ok, reply, Json};
use super::error::{ApiError, ApiResult};
use crate::db::{hex, Action, AuditEvent, AuditQuery, NewEvent, RateCheck, MAX_PAGE};
use crate::domain::AdminTask;
use crate::serve::ratelimit;
use crate::serve::state::{now_unix, AppState};

/// Events per page unless `limit` says otherwise.
const DEFAULT_LIMIT: i64 = 100;
/// The response header that carries the next cursor of a JSON-lines or CSV page.
pub const NEXT_CURSOR_HEADER: &str = "latchkey-next-cursor";
/// The kinds of code the extension fills.
const FILL_KINDS: [&str; 5] = ["totp", "hotp", "sms", "email", "backup"];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/audit", get(list))
        .route("/audit/fills", post(fill))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    JsonLines,
    Csv,
}

/// `a1.` and the seq, base64url: opaque to clients, so its form may change (a new prefix).
fn cursor(seq: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("a1.{seq}"))
}

fn parse_cursor(text: &str) -> ApiResult<i64> {
    let bad = || ApiError::invalid("cursor is not one this server gave out: use the `next` of an earlier page");
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| bad())?;
    let text = std::str::from_utf8(&bytes).map_err(|_| bad())?;
    text.strip_prefix("a1.")
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| *n >= 0)
        .ok_or_else(bad)
}

fn params(workspace_id: &str, query: Option<&str>) -> ApiResult<(AuditQuery, Format)> {
    let mut q = AuditQuery {
        workspace_id: workspace_id.to_string(),
        limit: DEFAULT_LIMIT,
        ..AuditQuery::default()
    };
    let mut format = Format::Json;
    let mut seen = std::collections::HashSet::new();
    for (name, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        if !seen.insert(name.clone()) {
            return Err(ApiError::bad_request(format!("the query gives {name} more than once")));
        }
        let time = || {
            value
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or_else(|| ApiError::invalid(format!("{name} must be a Unix time in seconds")))
        };
        let id = || {
            Some(value.to_string())
                .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric()))
                .ok_or_else(|| ApiError::invalid(format!("{name} must be an id as the API gives them")))
        };
        match name.as_ref() {
            "user" => q.user_id = Some(id()?),
            "account" => q.account_id = Some(id()?),
            "action" => {
                let action = Action::parse(&value).ok_or_else(|| {
                    ApiError::invalid("action is not one of the audit log's actions (see docs/audit.md)")
                })?;
                q.action = Some(action.as_str().to_string());
            }
            "since" => q.since = Some(time()?),
            "until" => q.until = Some(time()?),
            "cursor" => q.after_seq = parse_cursor(&value)?,
            "limit" => {
                q.limit = value
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (1..=MAX_PAGE).contains(n))
                    .ok_or_else(|| ApiError::invalid(format!("limit must be a whole number from 1 to {MAX_PAGE}")))?
            }
            "format" => {
                format = match value.as_ref() {
                    "json" => Format::Json,
                    "jsonl" => Format::JsonLines,
                    "csv" => Format::Csv,
                    _ => return Err(ApiError::invalid("format must be json, jsonl or csv")),
                }
            }
            _ => return Err(ApiError::invalid(format!("{name} is not a filter of the audit log"))),
        }
    }
    Ok((q, format))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EventView {
    seq: i64,
    at: i64,
    actor_user_id: Option<String>,
    actor_device_id: Option<String>,
    client_address: String,
    action: String,
    target_type: Option<String>,
    target_id: Option<String>,
    account_id: Option<String>,
    /// Short metadata; a JSON object.
    detail: Option<serde_json::Value>,
    outcome: String,
    prev_hash: String,
    hash: String,
}

fn view(e: AuditEvent) -> EventView {
    EventView {
        seq: e.seq,
        at: e.at,
        actor_user_id: e.actor_user_id,
        actor_device_id: e.actor_device_id,
        client_address: e.client_addr,
        action: e.action,
        target_type: e.target_type,
        target_id: e.target_id,
        account_id: e.account_id,
        detail: e.detail.and_then(|d| serde_json::from_str(&d).ok()),
        outcome: e.outcome,
        prev_hash: hex(&e.prev_hash),
        hash: hex(&e.hash),
    }
}

#[derive(Serialize)]
struct Page {
    events: Vec<EventView>,
    /// Where the next page starts (also when this one was empty: poll again with it).
    next: String,
    /// The page was full: there may be more at once.
    more: bool,
}

async fn list(State(state): State<AppState>, trusted: Trusted, RawQuery(query): RawQuery) -> ApiResult<Response> {
    trusted.user.role.may(AdminTask::ReadAuditLog)?;
    let (q, format) = params(&trusted.user.workspace_id, query.as_deref())?;
    let events = state.db.audit_events(&q).await?;
    let more = i64::try_from(events.len()).unwrap_or(i64::MAX) >= q.limit;
    let next = cursor(events.last().map_or(q.after_seq, |e| e.seq));
    let views: Vec<EventView> = events.into_iter().map(view).collect();
    match format {
        Format::Json => Ok(ok(&Page {
            events: views,
            next,
            more,
        })),
        Format::JsonLines => {
            let mut body = String::new();
            for v in &views {
                body.push_str(&serde_json::to_string(v).map_err(|e| ApiError::internal("audit jsonl", &e))?);
                body.push('\n');
            }
            Ok(export(body, "application/x-ndjson", &next))
        }
        Format::Csv => Ok(export(csv(&views), "text/csv; charset=utf-8", &next)),
    }
}

fn export(body: String, content_type: &'static str, next: &str) -> Response {
    let mut response = (StatusCode::OK, [(header::CONTENT_TYPE, content_type)], body).into_response();
    if let Ok(value) = next.parse() {
        response
            .headers_mut()
            .insert(HeaderName::from_static(NEXT_CURSOR_HEADER), value);
    }
    response
}

const CSV_HEADER: &str = "seq,at,actor_user_id,actor_device_id,client_address,action,target_type,target_id,\
                          account_id,outcome,detail,prev_hash,hash\r\n";

/// RFC 4180 CSV, every cell quoted. A cell a spreadsheet would run as a formula (starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, so opening the export
/// never executes anything a user or an SMS sender put in the log.
fn csv(views: &[EventView]) -> String {
    let mut out = String::from(CSV_HEADER);
    for v in views {
        let detail = v.detail.as_ref().map(|d| d.to_string());
        let cells: [&str; 13] = [
            &v.seq.to_string(),
            &v.at.to_string(),
            v.actor_user_id.as_deref().unwrap_or(""),
            v.actor_device_id.as_deref().unwrap_or(""),
            &v.client_address,
            &v.action,
            v.target_type.as_deref().unwrap_or(""),
            v.target_id.as_deref().unwrap_or(""),
            v.account_id.as_deref().unwrap_or(""),
            &v.outcome,
            detail.as_deref().unwrap_or(""),
            &v.prev_hash,
            &v.hash,
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

pub fn csv_cell(value: &str) -> String {
    let neutral = match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    };
    format!("\"{}\"", neutral.replace('"', "\"\""))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Fill {
    account_id: String,
    /// The host of the page the code was filled on.
    site: String,
    /// Which kind of code: totp, hotp, sms, email or backup.
    kind: String,
    /// When the code was filled (Unix seconds), for a report sent late: the extension keeps the
    /// reports it could not send and sends them once the server answers again.
    filled_at: Option<i64>,
}

/// How late a fill may be reported: longer than a browser session is kept open, short enough
/// that a device cannot write events into the log's distant past.
const LATE_REPORT_SECS: i64 = 24 * 60 * 60;
/// A client clock a little ahead of the server's.
const CLOCK_SKEW_SECS: i64 = 60;

/// Fill reports per device per hour: far above what a person fills, low enough that a device
/// cannot flood its workspace's log.
const FILLS_PER_DEVICE: crate::db::Limit = crate::db::Limit {
    max: 600,
    window_secs: 60 * 60,
};

async fn fill(State(state): State<AppState>, trusted: Trusted, Json(body): Json<Fill>) -> ApiResult<Response> {
    // Only an account this user may read: any other (or another workspace's) is "not found".
    let (account, _) = member_access(&state, &trusted, &body.account_id).await?;
    let site = latchkey_core::site::normalize_host(&body.site).map_err(|e| ApiError::invalid(e.to_string()))?;
    if !FILL_KINDS.contains(&body.kind.as_str()) {
        return Err(ApiError::invalid(format!(
            "kind must be one of {}",
            FILL_KINDS.join(", ")
        )));
    }
    let now = now_unix();
    let filled_at = match body.filled_at {
        Some(at) if at > now + CLOCK_SKEW_SECS => {
            return Err(ApiError::invalid("filledAt is in the future".to_string()));
        }
        Some(at) if at < now - LATE_REPORT_SECS => {
            return Err(ApiError::invalid(
                "filledAt is more than a day ago: a fill is reported within a day".to_string(),
            ));
        }
        Some(at) => Some(at.to_string()),
        None => None,
    };
    let check = RateCheck::new(format!("audit-fill:{}", trusted.device.id), FILLS_PER_DEVICE);
    ratelimit::check(&state, &[check], "code-fill reports from this device", now).await?;
    let mut pairs = vec![("site", site.as_str()), ("kind", body.kind.as_str())];
    if let Some(at) = &filled_at {
        pairs.push(("filledAt", at));
    }
    let detail = crate::db::audit_detail(&pairs);
    let event = NewEvent::ok(&account.workspace_id, Action::CodeFilled)
        .target("account", &account.id)
        .account(&account.id)
        .detail(detail);
    trusted.db(&state).record(event, now).await?;
    Ok(reply(StatusCode::CREATED, &serde_json::json!({ "recorded": true })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_quotes_doubled() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1555"), "\"'+1555\"");
        assert_eq!(csv_cell("-2"), "\"'-2\"");
        assert_eq!(csv_cell("@SUM"), "\"'@SUM\"");
        assert_eq!(csv_cell("plain"), "\"plain\"");
    }

    #[test]
    fn cursors_round_trip_and_forgeries_are_refused() {
        assert_eq!(parse_cursor(&cursor(42)).unwrap(), 42);
        assert!(parse_cursor("42").is_err());
        assert!(parse_cursor(&URL_SAFE_NO_PAD.encode("a1.-5")).is_err());
    }
}
