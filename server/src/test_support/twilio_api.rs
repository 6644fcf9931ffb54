//! A stand-in for the part of Twilio's REST API the number provider uses, following Twilio's
//! documented requests and answers: Basic auth with the account SID and auth token, form-encoded
//! POSTs, the JSON shapes of AvailablePhoneNumber and IncomingPhoneNumber resources, and errors as
//! `{code, message, more_info, status}`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use base64::Engine;
use serde_json::{json, Value};

pub const ACCOUNT_SID: &str = "AC0123456789abcdef0123456789abcdef";
pub const AUTH_TOKEN: &str = "0123456789abcdef0123456789abcdef";

#[derive(Default)]
pub struct Numbers {
    /// Search results by kind (`Local`, `Mobile`, `TollFree`).
    pub available: HashMap<String, Vec<String>>,
    /// Listed in searches but bought by someone else meanwhile: buying them fails with 21422.
    pub gone: Vec<String>,
    /// Bought: SID, number, SmsUrl.
    pub owned: Vec<(String, String, String)>,
    /// Every request seen, as "METHOD path?query".
    pub log: Vec<String>,
}

pub struct StandIn {
    pub base_url: String,
    pub state: Arc<Mutex<Numbers>>,
}

type Shared = Arc<Mutex<Numbers>>;

impl StandIn {
    pub async fn start(numbers: Numbers) -> StandIn {
        let state = Arc::new(Mutex::new(numbers));
        let prefix = "/2010-04-01/Accounts/{account}";
        let app = Router::new()
            .route(
                &format!("{prefix}/AvailablePhoneNumbers/{{country}}/{{file}}"),
                get(search),
            )
            .route(&format!("{prefix}/IncomingPhoneNumbers.json"), post(buy))
            .route(&format!("{prefix}/IncomingPhoneNumbers/{{file}}"), delete(release))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        StandIn { base_url, state }
    }
}

fn json_response(status: StatusCode, body: Value) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

/// Twilio's error shape.
fn error(status: StatusCode, code: u32, message: &str) -> Response {
    json_response(
        status,
        json!({
            "code": code, "message": message,
            "more_info": format!("https://www.twilio.com/docs/errors/{code}"), "status": status.as_u16(),
        }),
    )
}

/// Basic auth with this account's SID and token, and the URL's account must be that SID;
/// otherwise Twilio's error answer.
fn refuse(headers: &HeaderMap, account: &str) -> Option<Response> {
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{ACCOUNT_SID}:{AUTH_TOKEN}"))
    );
    if headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
        return Some(error(StatusCode::UNAUTHORIZED, 20003, "Authenticate"));
    }
    if account != ACCOUNT_SID {
        return Some(error(
            StatusCode::NOT_FOUND,
            20404,
            "The requested resource was not found",
        ));
    }
    None
}

async fn search(
    State(state): State<Shared>,
    Path((account, country, file)): Path<(String, String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let query = query.unwrap_or_default();
    let mut numbers = state.lock().unwrap();
    numbers.log.push(format!("GET {country}/{file}?{query}"));
    if let Some(response) = refuse(&headers, &account) {
        return response;
    }
    let kind = file.strip_suffix(".json").unwrap_or("");
    if country != "US" || !["Local", "Mobile", "TollFree"].contains(&kind) {
        return error(StatusCode::NOT_FOUND, 20404, "The requested resource was not found");
    }
    let params: HashMap<String, String> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    assert_eq!(
        params.get("SmsEnabled").map(String::as_str),
        Some("true"),
        "searches ask for SMS-capable numbers"
    );
    let list: Vec<Value> = numbers
        .available
        .get(kind)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|n| {
            json!({
                "friendly_name": format!("({}) {}-{}", &n[2..5], &n[5..8], &n[8..]),
                "phone_number": n, "lata": "722", "rate_center": "SNFC", "latitude": "37.7", "longitude": "-122.4",
                "locality": "San Francisco", "region": "CA", "postal_code": "94107", "iso_country": "US",
                "address_requirements": "none", "beta": false,
                "capabilities": {"voice": true, "SMS": true, "MMS": true, "fax": false},
            })
        })
        .collect();
    json_response(
        StatusCode::OK,
        json!({
            "available_phone_numbers": list,
            "uri": format!("/2010-04-01/Accounts/{account}/AvailablePhoneNumbers/US/{file}?{query}"),
        }),
    )
}

async fn buy(State(state): State<Shared>, Path(account): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let mut numbers = state.lock().unwrap();
    numbers.log.push("POST IncomingPhoneNumbers.json".into());
    if let Some(response) = refuse(&headers, &account) {
        return response;
    }
    assert_eq!(
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()),
        Some("application/x-www-form-urlencoded"),
        "Twilio takes form-encoded POSTs"
    );
    let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let (Some(number), Some(sms_url)) = (form.get("PhoneNumber"), form.get("SmsUrl")) else {
        return error(StatusCode::BAD_REQUEST, 21421, "PhoneNumber is required");
    };
    if numbers.gone.contains(number) {
        return error(StatusCode::BAD_REQUEST, 21422, "PhoneNumber is not available");
    }
    let Some(list) = numbers.available.values_mut().find(|list| list.contains(number)) else {
        return error(StatusCode::BAD_REQUEST, 21422, "PhoneNumber is not available");
    };
    list.retain(|n| n != number);
    let sid = format!("PN{:032x}", numbers.owned.len() as u128 + 0xabc);
    numbers.owned.push((sid.clone(), number.clone(), sms_url.clone()));
    json_response(
        StatusCode::CREATED,
        json!({
            "account_sid": ACCOUNT_SID, "sid": sid, "phone_number": number,
            "friendly_name": form.get("FriendlyName").cloned().unwrap_or_else(|| number.clone()),
            "sms_url": sms_url, "sms_method": form.get("SmsMethod").cloned().unwrap_or("POST".into()),
            "capabilities": {"voice": true, "sms": true, "mms": true, "fax": false},
            "status": "in-use", "api_version": "2010-04-01",
            "date_created": "Mon, 23 Nov 2026 08:00:00 +0000", "date_updated": "Mon, 23 Nov 2026 08:00:00 +0000",
            "uri": format!("/2010-04-01/Accounts/{ACCOUNT_SID}/IncomingPhoneNumbers/{sid}.json"),
        }),
    )
}

async fn release(
    State(state): State<Shared>,
    Path((account, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let mut numbers = state.lock().unwrap();
    numbers.log.push(format!("DELETE IncomingPhoneNumbers/{file}"));
    if let Some(response) = refuse(&headers, &account) {
        return response;
    }
    let sid = file.strip_suffix(".json").unwrap_or("");
    let before = numbers.owned.len();
    numbers.owned.retain(|(s, _, _)| s != sid);
    if numbers.owned.len() == before {
        return error(StatusCode::NOT_FOUND, 20404, "The requested resource was not found");
    }
    StatusCode::NO_CONTENT.into_response()
}
