//! Sign-up, password sign-in, the two-step code and sign-out.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;

use super::store::{normalize_email, CodeOutcome, SentTo, Stage, StoreError};
use super::{field, now_unix, pages, password, respond, session, Demo, Notice};

type Fields = HashMap<String, String>;

pub async fn signup_page(State(demo): State<Demo>, headers: HeaderMap) -> Response {
    let mut store = demo.store();
    let visit = store.visit(session::token_from(&headers));
    if store.signed_in_email(&visit.token).is_some() {
        return respond::redirect("/demo/account", visit.cookie());
    }
    let csrf = store.session(&visit.token).csrf.clone();
    respond::page(StatusCode::OK, pages::signup(&csrf, "", None), visit.cookie())
}

pub async fn signup(State(demo): State<Demo>, headers: HeaderMap, Form(form): Form<Fields>) -> Response {
    let Ok(token) = demo
        .store()
        .check_csrf(session::token_from(&headers), field(&form, "csrf"))
    else {
        return respond::forbidden();
    };
    let (email, password) = (field(&form, "email"), field(&form, "password"));
    let checked = demo.store().check_new_user(email, password);
    let normalized = match checked {
        Ok(normalized) => normalized,
        Err(err) => return signup_refused(&demo, &token, email, &err),
    };
    let hash = password::hash(password.to_owned()).await;
    let mut store = demo.store();
    if let Err(err) = store.add_user(&normalized, hash) {
        drop(store);
        return signup_refused(&demo, &token, email, &err);
    }
    let signed_in = store.sign_in(&token, &normalized);
    store.session(&signed_in.token).notice = Some(Notice::info("Your account is ready. Welcome to Northwind Cloud!"));
    respond::redirect("/demo/account", Some(&signed_in.token))
}

fn signup_refused(demo: &Demo, token: &str, email: &str, err: &StoreError) -> Response {
    let status = match err {
        StoreError::EmailTaken => StatusCode::CONFLICT,
        StoreError::Full => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::BAD_REQUEST,
    };
    let csrf = demo.store().session(token).csrf.clone();
    respond::page(
        status,
        pages::signup(&csrf, email, Some(&Notice::error(err.to_string()))),
        None,
    )
}

pub async fn login_page(State(demo): State<Demo>, headers: HeaderMap) -> Response {
    let mut store = demo.store();
    let visit = store.visit(session::token_from(&headers));
    if store.signed_in_email(&visit.token).is_some() {
        return respond::redirect("/demo/account", visit.cookie());
    }
    let session = store.session(&visit.token);
    let notice = session.notice.take();
    respond::page(
        StatusCode::OK,
        pages::login(&session.csrf, "", notice.as_ref()),
        visit.cookie(),
    )
}

pub async fn login(State(demo): State<Demo>, headers: HeaderMap, Form(form): Form<Fields>) -> Response {
    let Ok(token) = demo
        .store()
        .check_csrf(session::token_from(&headers), field(&form, "csrf"))
    else {
        return respond::forbidden();
    };
    let email = normalize_email(field(&form, "email")).unwrap_or_default();
    let stored = demo.store().password_of(&email);
    if !password::verify(stored, field(&form, "password").to_owned()).await {
        // One message for both an unknown e-mail and a wrong password: no account enumeration.
        let csrf = demo.store().session(&token).csrf.clone();
        let notice = Notice::error("Incorrect e-mail address or password.");
        return respond::page(
            StatusCode::UNAUTHORIZED,
            pages::login(&csrf, field(&form, "email"), Some(&notice)),
            None,
        );
    }
    let signed_in = demo.store().sign_in(&token, &email);
    let not_sent = match &signed_in.send {
        Some((SentTo::Phone(number), code)) => text_code(&demo, number, code).await,
        Some((SentTo::Email(address), code)) => mail_code(&demo, address, code).await,
        None => None,
    };
    if let Some(notice) = not_sent {
        demo.store().session(&signed_in.token).notice = Some(Notice::error(notice));
    }
    let next = if signed_in.needs_code {
        "/demo/login/verify"
    } else {
        "/demo/account"
    };
    respond::redirect(next, Some(&signed_in.token))
}

/// Texts the sign-in code; the notice to show when it could not be.
async fn text_code(demo: &Demo, number: &str, code: &str) -> Option<&'static str> {
    let text = format!("Your Northwind Cloud sign-in code is {code}. Don't share it with anyone.");
    send_text(demo, number, &text).await
}

/// Texts `text` to `number`; the notice to show when it could not be.
pub(crate) async fn send_text(demo: &Demo, number: &str, text: &str) -> Option<&'static str> {
    let carrier = demo.carrier.as_ref()?;
    let why = carrier.text(number, text).await.err()?;
    latchkey::log::warn("demo_text_not_sent", &[("detail", why.to_string().as_str().into())]);
    Some(match why {
        super::carrier::NotSent::NotDemoNumber => {
            "This demo texts codes only to the demo workspace's managed numbers: choose one of them as your phone."
        }
        super::carrier::NotSent::Failed(_) => "We couldn't text your code just now. Sign in again to get a new one.",
    })
}

/// E-mails the sign-in code; the notice to show when it could not be.
async fn mail_code(demo: &Demo, address: &str, code: &str) -> Option<&'static str> {
    let Some(postman) = demo.postman.as_ref() else {
        return Some("This demo was started without an SMTP relay (--smtp-relay): it cannot e-mail codes.");
    };
    let why = postman.send_code(address, code).await.err()?;
    latchkey::log::warn("demo_mail_not_sent", &[("detail", why.to_string().as_str().into())]);
    Some(match why {
        super::postman::NotSent::NotDemoAddress => {
            "This demo e-mails codes only to the demo workspace's managed e-mail addresses: choose one of them."
        }
        super::postman::NotSent::Failed(_) => "We couldn't e-mail your code just now. Sign in again to get a new one.",
    })
}

fn segmented(query: &HashMap<String, String>) -> bool {
    query.get("ui").is_some_and(|ui| ui == "segmented")
}

pub async fn verify_page(State(demo): State<Demo>, headers: HeaderMap, Query(query): Query<Fields>) -> Response {
    let mut store = demo.store();
    let visit = store.visit(session::token_from(&headers));
    let session = store.session(&visit.token);
    match session.stage {
        Stage::Verifying { ref email, .. } => {
            let email = email.clone();
            let notice = session.notice.take();
            let csrf = session.csrf.clone();
            let sent_to = store.sent_to(&email);
            let page = pages::verify(&csrf, segmented(&query), sent_to.as_ref(), notice.as_ref());
            respond::page(StatusCode::OK, page, visit.cookie())
        }
        Stage::SignedIn { .. } => respond::redirect("/demo/account", visit.cookie()),
        Stage::Anonymous => respond::redirect("/demo/login", visit.cookie()),
    }
}

pub async fn verify(
    State(demo): State<Demo>,
    headers: HeaderMap,
    Query(query): Query<Fields>,
    Form(form): Form<Fields>,
) -> Response {
    let mut store = demo.store();
    let Ok(token) = store.check_csrf(session::token_from(&headers), field(&form, "csrf")) else {
        return respond::forbidden();
    };
    let waiting = match &store.session(&token).stage {
        Stage::Verifying { email, .. } => Some(email.clone()),
        _ => None,
    };
    let sent_to = waiting.and_then(|email| store.sent_to(&email));
    let (from, check) = match sent_to {
        Some(SentTo::Phone(_)) => ("we texted you", "the text message"),
        Some(SentTo::Email(_)) => ("we e-mailed you", "the e-mail"),
        None => ("from your authenticator app", "your authenticator app"),
    };
    let (status, message) = match store.check_login_code(&token, &entered_code(&form), now_unix()) {
        CodeOutcome::Accepted => return respond::redirect("/demo/account", Some(&store.rotate(&token))),
        CodeOutcome::TooManyTries | CodeOutcome::NotVerifying => return respond::redirect("/demo/login", None),
        CodeOutcome::Empty => (StatusCode::BAD_REQUEST, format!("Enter the 6-digit code {from}.")),
        CodeOutcome::Wrong { tries_left } => (
            StatusCode::UNAUTHORIZED,
            format!(
                "That code didn't work. Check {check} and try again ({}).",
                tries(tries_left)
            ),
        ),
        CodeOutcome::Replayed { tries_left } => (
            StatusCode::UNAUTHORIZED,
            format!(
                "That code was already used. Wait for your app to show a new one, then enter it ({}).",
                tries(tries_left)
            ),
        ),
    };
    let page = pages::verify(
        &store.session(&token).csrf,
        segmented(&query),
        sent_to.as_ref(),
        Some(&Notice::error(message)),
    );
    respond::page(status, page, None)
}

fn tries(left: u32) -> String {
    match left {
        1 => "1 try left".to_string(),
        n => format!("{n} tries left"),
    }
}

/// The code from the single field `otp`, else from the six boxes `d1`…`d6`.
fn entered_code(form: &Fields) -> String {
    let single = field(form, "otp");
    if !single.trim().is_empty() {
        return single.to_string();
    }
    (1..=6).map(|i| field(form, &format!("d{i}")).trim()).collect()
}

pub async fn logout(State(demo): State<Demo>, headers: HeaderMap, Form(form): Form<Fields>) -> Response {
    let mut store = demo.store();
    let Ok(token) = store.check_csrf(session::token_from(&headers), field(&form, "csrf")) else {
        return respond::forbidden();
    };
    store.end(&token);
    let visit = store.visit(None);
    store.session(&visit.token).notice = Some(Notice::info("You have signed out."));
    respond::redirect("/demo/login", visit.cookie())
}
