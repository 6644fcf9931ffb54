//! The signed-in pages: the account overview and turning two-factor on and off. Opening the
//! two-factor page asks for the password again when it was last entered more than
//! `--reauth-after` ago, as many apps do before showing a new key.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;

use super::store::{authenticator_entry, normalize_email, SentTo, Store};
use super::{field, now_unix, pages, password, respond, session, Demo, Notice};

pub async fn page(State(demo): State<Demo>, headers: HeaderMap) -> Response {
    let mut store = demo.store();
    let visit = store.visit(session::token_from(&headers));
    let Some(email) = store.signed_in_email(&visit.token) else {
        return respond::redirect("/demo/login", visit.cookie());
    };
    let two_factor = store.has_two_factor(&email);
    let sent_to = store.sent_to(&email);
    let backup_codes = store.take_backup_codes(&visit.token);
    let session = store.session(&visit.token);
    let notice = session.notice.take();
    let mut page = pages::account(&session.csrf, &email, two_factor, sent_to.as_ref(), notice.as_ref());
    if let Some(codes) = backup_codes {
        page = pages::with_backup_codes(&page, &codes);
    }
    respond::page(StatusCode::OK, page, visit.cookie())
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
    if !store.recently_authenticated(&visit.token, demo.reauth_after) {
        let csrf = store.session(&visit.token).csrf.clone();
        return respond::page(StatusCode::OK, pages::reauth(&csrf, None), visit.cookie());
    }
    store.open_setup(&visit.token, false);
    setup_form(
        demo.changed_page,
        &mut store,
        &visit.token,
        &email,
        StatusCode::OK,
        None,
        visit.cookie(),
    )
}

/// The password asked again before the two-factor page: right, the page; wrong, asked again.
pub async fn reauth(
    State(demo): State<Demo>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (token, email) = match signed_in_post(&mut demo.store(), &headers, &form) {
        Ok(who) => who,
        Err(response) => return *response,
    };
    let stored = demo.store().password_of(&email);
    if !password::verify(stored, field(&form, "password").to_owned()).await {
        let csrf = demo.store().session(&token).csrf.clone();
        let notice = Notice::error("That password isn't right. Enter your Northwind Cloud password.");
        return respond::page(StatusCode::UNAUTHORIZED, pages::reauth(&csrf, Some(&notice)), None);
    }
    let mut store = demo.store();
    if store.has_two_factor(&email) {
        return respond::redirect("/demo/account", None);
    }
    store.open_setup(&token, true);
    setup_form(
        demo.changed_page,
        &mut store,
        &token,
        &email,
        StatusCode::OK,
        None,
        None,
    )
}

pub async fn setup(
    State(demo): State<Demo>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut store = demo.store();
    let (token, email) = match setup_post(&mut store, &headers, &form) {
        Ok(who) => who,
        Err(response) => return *response,
    };
    match store.confirm_two_factor(&token, &email, field(&form, "code"), now_unix()) {
        Ok(()) => {
            let notice = "Two-factor authentication is on. Next time you sign in, enter the code from your \
                 authenticator app. Save your backup codes below: they are shown only this once.";
            store.session(&token).notice = Some(Notice::info(notice));
            respond::redirect("/demo/account", None)
        }
        Err(err) => setup_form(
            demo.changed_page,
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
        return setup_form(
            demo.changed_page,
            &mut store,
            &token,
            &email,
            StatusCode::BAD_REQUEST,
            Some(notice),
            None,
        );
    };
    store.send_codes_to(&email, SentTo::Phone(number.as_str().to_string()));
    let notice = "Two-factor authentication is on. Next time you sign in, we'll text a code to your phone.";
    store.session(&token).notice = Some(Notice::info(notice));
    respond::redirect("/demo/account", None)
}

/// Text-message verification to the profile's verified number (which a person proved they get
/// texts at): no number to type.
pub async fn use_verified_number(
    State(demo): State<Demo>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut store = demo.store();
    let (token, email) = match setup_post(&mut store, &headers, &form) {
        Ok(who) => who,
        Err(response) => return *response,
    };
    let Some(number) = store.phone(&email).0 else {
        let notice = Notice::error("Add and verify a phone number on your profile first.");
        return setup_form(
            demo.changed_page,
            &mut store,
            &token,
            &email,
            StatusCode::BAD_REQUEST,
            Some(notice),
            None,
        );
    };
    store.send_codes_to(&email, SentTo::Phone(number));
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
        return setup_form(
            demo.changed_page,
            &mut store,
            &token,
            &email,
            StatusCode::BAD_REQUEST,
            Some(notice),
            None,
        );
    };
    store.send_codes_to(&email, SentTo::Email(address));
    let notice = "Two-factor authentication is on. Next time you sign in, we'll e-mail you a code.";
    store.session(&token).notice = Some(Notice::info(notice));
    respond::redirect("/demo/account", None)
}

fn setup_form(
    changed_page: bool,
    store: &mut Store,
    token: &str,
    email: &str,
    status: StatusCode,
    notice: Option<Notice>,
    cookie: Option<&str>,
) -> Response {
    let secret = store.pending_secret(token);
    let uri = authenticator_entry(secret.clone(), email).to_uri();
    let verified = store.phone(email).0;
    let page = pages::setup(
        &store.session(token).csrf,
        &secret.to_base32(),
        &uri,
        verified.as_deref(),
        notice.as_ref(),
        if changed_page { "setup-key" } else { "secret" },
    );
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
/// A form of the two-factor setup step: signed in, two-factor not on yet, and the step opened (the
/// password asked again) within its time; else where the person should be instead.
fn setup_post(
    store: &mut Store,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<(String, String), Box<Response>> {
    let (token, email) = signed_in_post(store, headers, form)?;
    if store.has_two_factor(&email) {
        return Err(Box::new(respond::redirect("/demo/account", None)));
    }
    if !store.setup_open(&token) {
        return Err(Box::new(respond::redirect("/demo/account/2fa", None)));
    }
    Ok((token, email))
}

pub(crate) fn signed_in_post(
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
