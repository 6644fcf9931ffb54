//! Northwind Cloud's state and routes (see `main.rs` for what the app is).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

use super::store::{Stage, Store};
use super::{account, auth, carrier, pages, password, postman, profile, respond, session};

/// The issuer name shown in authenticator apps.
pub const ISSUER: &str = "Northwind Cloud";

/// A message shown once at the top of the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

impl Notice {
    pub fn info(text: impl Into<String>) -> Self {
        Notice {
            kind: NoticeKind::Info,
            text: text.into(),
        }
    }
    pub fn error(text: impl Into<String>) -> Self {
        Notice {
            kind: NoticeKind::Error,
            text: text.into(),
        }
    }
}

/// Shared state of the demo app.
#[derive(Clone, Default)]
pub struct Demo {
    store: Arc<Mutex<Store>>,
    /// Delivers texted codes (none: texts are not sent, e.g. in unit tests).
    pub(crate) carrier: Option<Arc<carrier::Carrier>>,
    /// Delivers e-mailed codes (none: no relay was given).
    pub(crate) postman: Option<Arc<postman::Postman>>,
    /// How long after a password entry the two-factor page opens without asking for it again.
    pub(crate) reauth_after: Duration,
    /// Tests only (`--changed-page`): the two-factor page's key under another id.
    pub(crate) changed_page: bool,
}

impl Demo {
    /// The store, locked. Handlers never hold it across an `.await`.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock leaves plain data behind, still usable.
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A sign-in the demo app knows at start (the `--demo` seed's team login).
pub struct SeedUser {
    pub email: String,
    pub password: String,
    pub totp_secret: Vec<u8>,
}

/// The demo app's routes, knowing `users` from the start, texting through `carrier` and e-mailing
/// through `postman`.
/// The two-factor page asks for the password again `reauth_after` a password entry; with
/// `changed_page` it shows its key under another id (tests of a page that changed).
pub fn router(
    users: &[SeedUser],
    carrier: Option<carrier::Carrier>,
    postman: Option<postman::Postman>,
    reauth_after: Duration,
    changed_page: bool,
) -> Router {
    let demo = Demo {
        carrier: carrier.map(Arc::new),
        postman: postman.map(Arc::new),
        reauth_after,
        changed_page,
        ..Demo::default()
    };
    for user in users {
        let added = demo.store().add_user_with_two_factor(
            &user.email,
            password::PasswordHash::new(&user.password),
            latchkey_core::otp::Secret::from_bytes(user.totp_secret.clone()),
        );
        if let Err(e) = added {
            latchkey::log::warn("demo_seed_user_refused", &[("detail", e.to_string().as_str().into())]);
        }
    }
    Router::new()
        .route("/demo", get(|| async { Redirect::permanent("/demo/") }))
        .route("/demo/", get(home))
        .route("/demo/signup", get(auth::signup_page).post(auth::signup))
        .route("/demo/login", get(auth::login_page).post(auth::login))
        .route("/demo/login/verify", get(auth::verify_page).post(auth::verify))
        .route("/demo/logout", post(auth::logout))
        .route("/demo/account", get(account::page))
        .route("/demo/account/2fa", get(account::setup_page).post(account::setup))
        .route("/demo/account/2fa/off", post(account::turn_off))
        .route("/demo/account/2fa/sms", post(account::use_text_messages))
        .route("/demo/account/2fa/email", post(account::use_email))
        .route("/demo/account/2fa/reauth", post(account::reauth))
        .route("/demo/account/2fa/sms-verified", post(account::use_verified_number))
        .route("/demo/account/profile", get(profile::page))
        .route("/demo/account/profile/phone", post(profile::change_phone))
        .route("/demo/account/profile/password", post(profile::change_password))
        .route("/demo/account/profile/phone/verify", post(profile::verify_phone))
        .with_state(demo)
}

async fn home(State(demo): State<Demo>, headers: HeaderMap) -> Response {
    let mut store = demo.store();
    let visit = store.visit(session::token_from(&headers));
    let signed_in = match &store.session(&visit.token).stage {
        Stage::SignedIn { email } => Some(email.clone()),
        _ => None,
    };
    respond::page(
        axum::http::StatusCode::OK,
        pages::home(signed_in.as_deref()),
        visit.cookie(),
    )
}

/// The current Unix time; the core takes time as a parameter.
pub(crate) fn now_unix() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// A form field, or "" when absent (so a missing field gets the same message as an empty one).
pub(crate) fn field<'a>(form: &'a HashMap<String, String>, name: &str) -> &'a str {
    form.get(name).map_or("", String::as_str)
}
