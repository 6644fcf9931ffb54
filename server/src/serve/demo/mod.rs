//! Northwind Cloud: a small fictional third-party web app for trying Latchkey. It behaves like the
//! apps people share logins for: sign up, sign in with a password, turn on two-factor with an
//! authenticator, then sign in with a code (plain field or six segmented boxes).
//!
//! Everything lives in memory and is gone when the server restarts.
//!
//! - `store`: users and sessions, and the rules (replay, attempt limits, expiry); no HTTP.
//! - `password`: PBKDF2 hashing.
//! - `session`: the session cookie and random tokens.
//! - `pages`: the HTML.
//! - `auth`, `account`: the handlers, thin glue between the three above.
//! - `carrier`: "texts" sign-in codes for users who chose text messages, through the server's own
//!   SMS webhook, as Twilio would deliver them.

mod account;
mod auth;
pub mod carrier;
mod pages;
mod password;
mod respond;
mod session;
mod store;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

use store::{Stage, Store};

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
    carrier: Option<Arc<carrier::Carrier>>,
}

impl Demo {
    /// The store, locked. Handlers never hold it across an `.await`.
    fn store(&self) -> MutexGuard<'_, Store> {
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

/// What the `--demo` seed gives the demo app.
pub struct DemoConfig {
    pub users: Vec<SeedUser>,
    /// The demo workspace: its carrier texts only this workspace's managed numbers.
    pub workspace_id: String,
}

pub fn router(app: crate::serve::state::AppState, config: DemoConfig) -> Router {
    let demo = Demo {
        carrier: Some(Arc::new(carrier::Carrier::new(app, config.workspace_id))),
        ..Demo::default()
    };
    for user in &config.users {
        let added = demo.store().add_user_with_two_factor(
            &user.email,
            password::PasswordHash::new(&user.password),
            latchkey_core::otp::Secret::from_bytes(user.totp_secret.clone()),
        );
        if let Err(e) = added {
            crate::log::warn("demo_seed_user_refused", &[("detail", e.to_string().as_str().into())]);
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
fn now_unix() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// A form field, or "" when absent (so a missing field gets the same message as an empty one).
fn field<'a>(form: &'a HashMap<String, String>, name: &str) -> &'a str {
    form.get(name).map_or("", String::as_str)
}
