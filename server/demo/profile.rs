//! The profile page: the account's phone number, changed with a code texted to the new number
//! (verified before it is used anywhere, e.g. as the two-factor number), and its password, changed
//! after the current one (so that a password saved elsewhere goes stale, as at any app).

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;

use super::account::signed_in_post;
use super::auth::send_text;
use super::store::Store;
use super::{field, pages, password, respond, session, Demo, Notice};

pub async fn page(State(demo): State<Demo>, headers: HeaderMap) -> Response {
    let mut store = demo.store();
    let visit = store.visit(session::token_from(&headers));
    let Some(email) = store.signed_in_email(&visit.token) else {
        return respond::redirect("/demo/login", visit.cookie());
    };
    let (verified, pending) = store.phone(&email);
    let session = store.session(&visit.token);
    let notice = session.notice.take();
    let page = pages::profile(
        &session.csrf,
        &email,
        verified.as_deref(),
        pending.as_deref(),
        notice.as_ref(),
    );
    respond::page(StatusCode::OK, page, visit.cookie())
}

/// A new number: a code is texted to it, and the page asks for it.
pub async fn change_phone(
    State(demo): State<Demo>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (token, email) = match signed_in_post(&mut demo.store(), &headers, &form) {
        Ok(who) => who,
        Err(response) => return *response,
    };
    let Some(number) = latchkey::domain::E164::parse(field(&form, "phone").trim()) else {
        let notice = Notice::error("Enter the mobile number with its country code, like +14155550100.");
        demo.store().session(&token).notice = Some(notice);
        return respond::redirect("/demo/account/profile", None);
    };
    let code = demo.store().change_phone(&email, number.as_str());
    let Some(code) = code else {
        return respond::redirect("/demo/login", None);
    };
    let text =
        format!("Your Northwind Cloud verification code is {code}. Enter it to add this number to your profile.");
    let notice = match send_text(&demo, number.as_str(), &text).await {
        Some(not_sent) => Notice::error(not_sent),
        None => Notice::info("We texted a code to your new number. Enter it below to verify the number."),
    };
    demo.store().session(&token).notice = Some(notice);
    respond::redirect("/demo/account/profile", None)
}

pub async fn verify_phone(
    State(demo): State<Demo>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut store = demo.store();
    let (token, email) = match signed_in_post(&mut store, &headers, &form) {
        Ok(who) => who,
        Err(response) => return *response,
    };
    let notice = match store.verify_phone(&email, field(&form, "code")) {
        Ok(_) => Notice::info("Your phone number is verified."),
        Err(err) => Notice::error(err.to_string()),
    };
    store.session(&token).notice = Some(notice);
    respond::redirect("/demo/account/profile", None)
}

/// A new password, after the current one.
pub async fn change_password(
    State(demo): State<Demo>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (token, email) = match signed_in_post(&mut demo.store(), &headers, &form) {
        Ok(who) => who,
        Err(response) => return *response,
    };
    let stored = demo.store().password_of(&email);
    let new = field(&form, "new-password");
    let notice = if !password::verify(stored, field(&form, "current-password").to_owned()).await {
        Notice::error("That current password isn't right.")
    } else if let Err(err) = Store::check_password(new) {
        Notice::error(err.to_string())
    } else {
        let hash = password::hash(new.to_owned()).await;
        demo.store().set_password(&email, hash);
        Notice::info("Your password is changed.")
    };
    demo.store().session(&token).notice = Some(notice);
    respond::redirect("/demo/account/profile", None)
}
