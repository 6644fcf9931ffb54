//! The signed-in pages: the account overview and turning two-factor on and off.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;

use super::store::{authenticator_entry, normalize_email, SentTo, Store};
use super::{field, now_unix, pages, respond, session, Demo, Notice};

pub async fn page(State(demo): State<Demo>, headers: HeaderMap) -> Response {
    let mut store = demo.store();
    let visit = store.visit(session::token_from(&headers));
    let Some(email) = store.signed_in_email(&visit.token) else {
        return respond::redirect("/demo/login", visit.cookie());
    };
    let two_factor = store.has_two_factor(&email);
    let sent_to = store.sent_to(&email);
    let session = store.session(&visit.token);
    let notice = session.notice.take();
    respond::page(
        StatusCode::OK,
        pages::account(&session.csrf, &email, two_factor, sent_to.as_ref(), notice.as_ref()),
        visit.cookie(),
    )
}

pub async fn setup_page(State(demo): State<Demo>, headers: HeaderMap) -> Response {
    let mut store = demo.store();
    let visit = store.visit(session::token_from(&headers));
    let Some(email) = store.signed_in_email(&visit.token) else {
        return respond::redirect("/demo/login", visit.cookie());
    };
    if store.has_two_factor(&email) {
        return respond::redirect("/demo/account", visit.cookie());
    }
    setup_form(&mut store, &visit.token, &email, StatusCode::OK, None, visit.cookie())
}

pub async fn setup(
    State(demo): State<Demo>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut store = demo.store();
    let (token, email) = match signed_in_post(&mut store, &headers, &form) {
        Ok(who) => who,
        Err(response) => return *response,
    };
    if store.has_two_factor(&email) {
        return respond::redirect("/demo/account", None);
    }
    match store.confirm_two_factor(&token, &email, field(&form, "code"), now_unix()) {
        Ok(()) => {
            let notice =
                "Two-factor authentication is on. Next time you sign in, enter the code from your authenticator app.";
            store.session(&token).notice = Some(Notice::info(notice));
            respond::redirect("/demo/account", None)
        }
        Err(err) => setup_form(
            &mut store,
            &token,
            &email,
            StatusCode::BAD_REQUEST,
            Some(Notice::error(err.to_string())),
            None,
        ),
    }
}

/// Text-message verification: sign-in codes are texted to the number given (E.164, e.g. a
/// Latchkey managed number, so the whole team's extension can read them).
pub async fn use_text_messages(
    State(demo): State<Demo>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut store = demo.store();
    let (token, email) = match signed_in_post(&mut store, &headers, &form) {
        Ok(who) => who,
        Err(response) => return *response,
    };
    if store.has_two_factor(&email) {
        return respond::redirect("/demo/account", None);
    }
    let Some(number) = latchkey::domain::E164::parse(field(&form, "phone").trim()) else {
        let notice = Notice::error("Enter the mobile number with its country code, like +14155550100.");
        return setup_form(&mut store, &token, &email, StatusCode::BAD_REQUEST, Some(notice), None);
    };
    store.send_codes_to(&email, SentTo::Phone(number.as_str().to_string()));
    let notice = "Two-factor authentication is on. Next time you sign in, we'll text a code to your phone.";
    store.session(&token).notice = Some(Notice::info(notice));
    respond::redirect("/demo/account", None)
}

/// E-mail verification: sign-in codes are e-mailed to the address given (e.g. a Latchkey managed
/// address, so the whole team's extension can read them), as many services allow an address for
/// codes other than the sign-in one.
pub async fn use_email(
    State(demo): State<Demo>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut store = demo.store();
    let (token, email) = match signed_in_post(&mut store, &headers, &form) {
        Ok(who) => who,
        Err(response) => return *response,
    };
    if store.has_two_factor(&email) {
        return respond::redirect("/demo/account", None);
    }
    let Ok(address) = normalize_email(field(&form, "code_email")) else {
        let notice = Notice::error("Enter the e-mail address for codes, like you@example.com.");
        return setup_form(&mut store, &token, &email, StatusCode::BAD_REQUEST, Some(notice), None);
    };
    store.send_codes_to(&email, SentTo::Email(address));
    let notice = "Two-factor authentication is on. Next time you sign in, we'll e-mail you a code.";
    store.session(&token).notice = Some(Notice::info(notice));
    respond::redirect("/demo/account", None)
}

fn setup_form(
    store: &mut Store,
    token: &str,
    email: &str,
    status: StatusCode,
    notice: Option<Notice>,
    cookie: Option<&str>,
) -> Response {
    let secret = store.pending_secret(token);
    let uri = authenticator_entry(secret.clone(), email).to_uri();
    let page = pages::setup(&store.session(token).csrf, &secret.to_base32(), &uri, notice.as_ref());
    respond::page(status, page, cookie)
}

pub async fn turn_off(
    State(demo): State<Demo>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut store = demo.store();
    let (token, email) = match signed_in_post(&mut store, &headers, &form) {
        Ok(who) => who,
        Err(response) => return *response,
    };
    store.turn_off_two_factor(&email);
    store.session(&token).notice = Some(Notice::info("Two-factor authentication is off."));
    respond::redirect("/demo/account", None)
}

/// The session token and e-mail behind a POST from the account pages once its CSRF token checks
/// out; otherwise the response to send (403 for a forged form, the login page when signed out).
fn signed_in_post(
    store: &mut Store,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<(String, String), Box<Response>> {
    let token = store
        .check_csrf(session::token_from(headers), field(form, "csrf"))
        .map_err(|_| Box::new(respond::forbidden()))?;
    let email = store
        .signed_in_email(&token)
        .ok_or_else(|| Box::new(respond::redirect("/demo/login", None)))?;
    Ok((token, email))
}
