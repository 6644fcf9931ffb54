//! `latchkey-demo`: Northwind Cloud, a small fictional third-party web app for trying Latchkey, as a
//! program of its own next to `latchkey serve --demo` (never routes of the production server). It
//! behaves like the apps people share logins for: sign up, sign in with a password, turn on
//! two-factor with an authenticator, by text message or by e-mail, then sign in with a code (plain
//! field or six segmented boxes). Users and sessions live in memory and are gone when it stops.
//!
//! It is given what it needs explicitly: the server's URL (`--server`), the data the server's
//! `--demo` seed left (`--data-dir`: the team login, the demo workspace) and its database (to ask
//! which numbers the demo workspace holds), and the webhook token (`LATCHKEY_TWILIO_AUTH_TOKEN`, the
//! same the server is started with) to "text" codes as Twilio would, and an SMTP relay
//! (`--smtp-relay`, the server's own listener) to e-mail them.
//!
//! - `app`: state, routes; `store`: users and sessions, and the rules (replay, attempt limits,
//!   expiry), no HTTP; `password`: PBKDF2 hashing; `session`: the session cookie and random tokens;
//!   `pages`: the HTML; `auth`, `account`: the handlers; `respond`: pages and redirects.
//! - `carrier`: "texts" sign-in codes for users who chose text messages, to the demo workspace's
//!   numbers only, through the server's SMS webhook.
//! - `postman`: e-mails sign-in codes for users who chose e-mail, to the demo workspace's managed
//!   addresses only, over SMTP to the relay.

mod account;
mod app;
mod auth;
mod carrier;
mod pages;
mod password;
mod postman;
mod profile;
mod respond;
mod session;
mod store;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use clap::Parser;

use app::{field, now_unix, Demo, Notice, NoticeKind, SeedUser, ISSUER};
use latchkey::db::{Db, Target};
use latchkey::serve::html::page_response;
use latchkey::serve::seed::{DemoSignIn, TEAM_LOGIN};
use latchkey::sms::TwilioSignature;

/// The Twilio account the server accepts without `--twilio-account-sid`.
const LOCAL_ACCOUNT_SID: &str = latchkey::serve::webhooks::LOCAL_ACCOUNT_SID;

#[derive(Debug, Parser)]
#[command(
    name = "latchkey-demo",
    version,
    about = "Northwind Cloud, the demo app for trying Latchkey, next to `latchkey serve --demo`.",
    after_help = "Environment:\n  LATCHKEY_TWILIO_AUTH_TOKEN  the token that signs the texts, the same `latchkey serve` is started\n                              with (without it the demo texts nothing)\n\nOpen it at http://demo.localhost:PORT/demo/ (Chromium resolves *.localhost to this machine)."
)]
struct Args {
    /// where to listen (default: 127.0.0.1:8788; port 0 picks a free port)
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8788")]
    addr: SocketAddr,
    /// the server's URL as it checks webhook signatures: its --public-url, or http://ADDR
    #[arg(long, value_name = "URL")]
    server: String,
    /// the server's data directory, seeded by `latchkey serve --demo`
    #[arg(long, value_name = "DIR")]
    data_dir: PathBuf,
    /// the server's PostgreSQL database, if it uses one (default: the SQLite file in --data-dir)
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
    /// the Twilio account the server accepts (default: the local account AC000…0)
    #[arg(long, value_name = "SID", default_value = LOCAL_ACCOUNT_SID)]
    twilio_account_sid: String,
    /// the SMTP relay that takes the e-mailed codes, plain SMTP: the server's --smtp-listen
    /// (without it the demo e-mails nothing)
    #[arg(long, value_name = "IP:PORT")]
    smtp_relay: Option<SocketAddr>,
    /// seconds after a password entry that the two-factor page asks for the password again
    /// (default 300; 0 asks every time)
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    reauth_after: u64,
    /// tests only: the two-factor page shows its key under another id (`setup-key`), as an app
    /// whose page changed under an automation
    #[arg(long, hide = true)]
    changed_page: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return fail(&format!("could not start the runtime: {e}")),
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(&message),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("latchkey-demo: {message}");
    ExitCode::FAILURE
}

async fn run(args: Args) -> Result<(), String> {
    let shutdown = latchkey::serve::shutdown_signal().map_err(|e| format!("could not install signal handlers: {e}"))?;
    let sign_in = DemoSignIn::read(&args.data_dir).map_err(|e| {
        format!(
            "{e}: start `latchkey serve --demo --data-dir {}` first",
            args.data_dir.display()
        )
    })?;
    let users = team_login(&sign_in);
    let target = match &args.database_url {
        Some(url) => Target::Postgres(url.clone()),
        None => Target::in_data_dir(&args.data_dir),
    };
    let db = Db::open(&target, now_unix() as i64).await.map_err(|e| e.to_string())?;
    let token = std::env::var("LATCHKEY_TWILIO_AUTH_TOKEN")
        .ok()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let carrier = match token {
        Some(token) => Some(carrier::Carrier::new(carrier::CarrierConfig {
            server_url: args.server.trim_end_matches('/').to_string(),
            signer: TwilioSignature::new(&token),
            account_sid: args.twilio_account_sid.clone(),
            db: db.clone(),
            workspace_id: sign_in.workspace_id.clone(),
        })),
        None => {
            eprintln!("latchkey-demo: LATCHKEY_TWILIO_AUTH_TOKEN is not set: sign-in codes are not texted");
            None
        }
    };
    let postman = args.smtp_relay.map(|relay| {
        postman::Postman::new(postman::PostmanConfig {
            relay,
            db: db.clone(),
            workspace_id: sign_in.workspace_id.clone(),
        })
    });
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let reauth_after = std::time::Duration::from_secs(args.reauth_after);
    let router = app::router(&users, carrier, postman, reauth_after, args.changed_page)
        .route("/", get(index))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(not_found)
        .layer(axum::middleware::from_fn(latchkey::serve::log_request));
    {
        // Tests and scripts read the first line for the real port (`--addr 127.0.0.1:0`).
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "latchkey-demo: listening on http://{addr}");
        let _ = writeln!(
            out,
            "latchkey-demo: demo app at http://demo.localhost:{}/demo/",
            addr.port()
        );
        let _ = out.flush();
    }
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| format!("the demo app stopped on an error: {e}"))?;
    db.close().await;
    latchkey::log::info("stopped", &[]);
    Ok(())
}

/// The `--demo` seed's team login, two-factor on with the vault's TOTP key.
fn team_login(sign_in: &DemoSignIn) -> Vec<SeedUser> {
    match latchkey_core::otp::base32::decode(&sign_in.team_totp_key) {
        Ok(secret) => vec![SeedUser {
            email: TEAM_LOGIN.to_string(),
            password: sign_in.team_password.clone(),
            totp_secret: secret.as_bytes().to_vec(),
        }],
        Err(e) => {
            latchkey::log::warn("demo_seed_user_refused", &[("detail", e.to_string().as_str().into())]);
            Vec::new()
        }
    }
}

async fn index() -> Response {
    let body = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Northwind Cloud</title>\
        <h1>Northwind Cloud</h1><p>The demo app: <a href=\"/demo/\">Northwind Cloud</a>.</p></html>";
    page_response(StatusCode::OK, body.to_string(), "default-src 'none'")
}

async fn not_found() -> Response {
    let body = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Not found</title>\
        <h1>Not found</h1><p><a href=\"/demo/\">Northwind Cloud</a></p></html>";
    page_response(StatusCode::NOT_FOUND, body.to_string(), "default-src 'none'")
}
