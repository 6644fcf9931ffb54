//! `latchkey serve`: the HTTP server. It hosts the workspace JSON API (`api`, under `/api/v1`) and
//! the SMS webhook (`webhooks`); `--demo` seeds a workspace to try it with (`seed`). The demo app
//! is not here: it is the separate `latchkey-demo` program (server/demo).

pub mod api;
mod client;
pub mod html;
pub mod inbox_seal;
pub mod mail_intake;
mod notify;
mod ratelimit;
pub mod scim;
pub mod seed;
pub mod server_key;
pub mod smtp;
mod state;
mod waits;
pub mod webhooks;

use std::io::Write;
use std::net::SocketAddr;
use std::os::unix::fs::DirBuilderExt;
use std::path::PathBuf;
use std::time::Instant;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use thiserror::Error;
use tokio::net::TcpListener;

use crate::db::{Db, DbError, Target};
use crate::log;
pub use state::now_unix;
use state::AppState;

pub struct Config {
    pub addr: SocketAddr,
    /// The domain of managed e-mail addresses (`--mail-domain`); none: no addresses.
    pub mail_domain: Option<crate::domain::MailDomain>,
    /// Where the SMTP listener takes mail for managed addresses; none: not at all.
    pub smtp_listen: Option<SocketAddr>,
    /// The PEM certificate chain and key offered with STARTTLS.
    pub smtp_tls: Option<(PathBuf, PathBuf)>,
    /// The largest message the listener (and the Mailgun webhook) takes.
    pub smtp_max_bytes: usize,
    /// `LATCHKEY_MAILGUN_SIGNING_KEY`: accept inbound mail posted by a Mailgun route.
    pub mailgun_signing_key: Option<String>,
    /// Verify the sender (DKIM, SPF, DMARC) of arriving mail (`--mail-auth`, on by default).
    pub mail_auth: bool,
    /// The DNS server sender verification asks (`--dns-server`); none: the system's.
    pub dns_server: Option<SocketAddr>,
    /// Created if missing; holds the SQLite file unless `database` points elsewhere.
    pub data_dir: PathBuf,
    pub database: Target,
    /// The URL the world reaches this server at (webhook signatures cover it); default `http://ADDR`.
    pub public_url: Option<String>,
    /// Where verification e-mail goes (`smtp://`, `smtp+starttls://`, `smtps://`); none: the
    /// development outbox.
    pub smtp_url: Option<String>,
    /// Credentials and CA for a TLS relay.
    pub mail_options: crate::mail::MailOptions,
    pub mail_from: Option<String>,
    /// US numbers the local pool hands out to accounts.
    pub pool_numbers: Vec<String>,
    /// Where managed numbers come from (`--numbers`).
    pub number_source: NumberSource,
    /// The Twilio auth token that signs SMS webhooks; none: one derived from the server key
    /// which nothing outside the server holds (so no webhook is accepted until one is given).
    pub twilio_auth_token: Option<String>,
    /// The Twilio account whose webhooks are accepted (`--twilio-account-sid`); none: only the
    /// local account [`webhooks::LOCAL_ACCOUNT_SID`] (a local carrier such as the demo's).
    pub twilio_account_sid: Option<String>,
    /// `LATCHKEY_SERVER_KEY`, if set (64 hex digits).
    pub server_key_env: Option<String>,
    /// `--key-file`: where the server key is (default `DATA/server.key`).
    pub key_file: Option<PathBuf>,
    /// Seed a demo workspace (`--demo`).
    pub demo: bool,
    /// Behind a reverse proxy: the client's address is the last `X-Forwarded-For` entry.
    pub trust_forwarded_for: bool,
    /// Audit events older than this many days are pruned (`--audit-retention-days`); none: kept.
    pub audit_retention_days: Option<u32>,
}

/// The provider of managed numbers.
pub enum NumberSource {
    /// The numbers of `--pool-numbers`.
    Pool,
    /// Bought through Twilio's REST API (`--numbers twilio`).
    Twilio {
        account_sid: String,
        auth_token: String,
        /// `https://api.twilio.com`, or a stand-in.
        api_url: String,
    },
}

#[derive(Debug, Error)]
pub enum ServeError {
    #[error("could not start the server's runtime: {0}")]
    Runtime(std::io::Error),
    #[error(
        "cannot listen on {0}: another program is using it (try another port, or --addr 127.0.0.1:0 for any free one)"
    )]
    AddrInUse(SocketAddr),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("could not install the SIGINT and SIGTERM handlers: {0}")]
    Signals(std::io::Error),
    #[error("the server stopped on an error: {0}")]
    Stopped(std::io::Error),
    #[error("cannot create the data directory {path}: {source} (choose another with --data-dir)")]
    DataDir { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("e-mail is not set up: {0}")]
    Mail(#[from] crate::mail::MailError),
    #[error("managed numbers are not set up: {0}")]
    Numbers(#[from] crate::numbers::NumberError),
    #[error("could not seed the demo workspace: {0}")]
    Seed(#[from] seed::SeedError),
    #[error("--public-url {0:?} must be an absolute http:// or https:// URL without user name, query or fragment")]
    PublicUrl(String),
    #[error("the server key is not usable: {0}")]
    ServerKey(#[from] server_key::KeyError),
    #[error("the SMTP listener cannot start: {0}")]
    Smtp(#[from] smtp::SmtpError),
    #[error(transparent)]
    MailAuth(#[from] crate::mail::auth::MailAuthError),
}

/// Serves until SIGINT or SIGTERM, then lets requests in flight finish.
pub fn run(config: Config) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(serve(config))
}

async fn serve(mut config: Config) -> Result<(), ServeError> {
    let bind_error = |source: std::io::Error| match source.kind() {
        std::io::ErrorKind::AddrInUse => ServeError::AddrInUse(config.addr),
        _ => ServeError::Bind {
            addr: config.addr,
            source,
        },
    };
    let shutdown = shutdown_signal().map_err(ServeError::Signals)?;
    // A certificate that cannot be used stops the start before anything else happens.
    let smtp_tls = match &config.smtp_tls {
        Some((cert, key)) => Some(smtp::tls_acceptor(cert, key)?),
        None => None,
    };
    // So does a mail provider that refuses our certificate check or our password.
    let mailer = crate::mail::Mailer::with_options(
        config.smtp_url.as_deref(),
        config.mail_from.as_deref(),
        &config.data_dir,
        &config.mail_options,
    )?;
    mailer.check().await?;
    // Owner-only when created here: it holds hashes of codes and tokens, and sealed data.
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&config.data_dir)
        .map_err(|source| ServeError::DataDir {
            path: config.data_dir.clone(),
            source,
        })?;
    let (key, key_source) = server_key::ServerKey::load(
        config.server_key_env.as_deref(),
        config.key_file.as_deref(),
        &config.data_dir,
    )?;
    let db = Db::open(&config.database, now_unix()).await?;
    log::info("database", &[("target", config.database.describe().as_str().into())]);
    key.check_against(&db, now_unix()).await?;
    log::info("server_key", &[("from", key_source.describe().as_str().into())]);
    let demo = match config.demo {
        true => {
            if config.pool_numbers.is_empty() {
                config.pool_numbers = seed::DEMO_POOL.iter().map(|n| n.to_string()).collect();
            }
            let mut seeded = seed::ensure(&db, &config.data_dir, now_unix()).await?;
            if let Some(domain) = &config.mail_domain {
                let address_key = key.derive(server_key::purpose::MAIL_ADDRESSES);
                seeded.email_address = seed::ensure_address(&db, &seeded, domain, &address_key, now_unix()).await?;
            }
            Some(seeded)
        }
        false => None,
    };
    let listener = TcpListener::bind(config.addr).await.map_err(bind_error)?;
    let addr = listener.local_addr().map_err(bind_error)?;
    // Bound before the server announces itself: a port in use or a bad certificate stops the start.
    let smtp = match config.smtp_listen {
        Some(at) => {
            let tls = smtp_tls;
            let smtp_listener = smtp::bind(at).await?;
            let bound = smtp_listener
                .local_addr()
                .map_err(|source| smtp::SmtpError::Bind { addr: at, source })?;
            Some((smtp_listener, bound, tls))
        }
        None => None,
    };
    let (stop_sender, stopping) = tokio::sync::watch::channel(false);
    let state = app_state(&config, &key, db.clone(), addr, stopping, mailer).await?;
    drop(key);
    // With PostgreSQL, messages stored by other instances wake this one's inbox waiters.
    // With PostgreSQL, changes made by other instances wake this one's trust-flow waiters too.
    notify::spawn_pg_relays(
        &state.db,
        vec![
            (crate::db::SMS_CHANNEL, state.notifier.clone()),
            (crate::db::TRUST_CHANNEL, state.trust_events.clone()),
        ],
    );
    spawn_sweeper(state.db.clone(), config.audit_retention_days);
    let smtp_addr = smtp.map(|(smtp_listener, bound, tls)| {
        smtp::spawn(
            smtp_listener,
            state.clone(),
            smtp::SmtpConfig {
                tls,
                max_bytes: config.smtp_max_bytes,
            },
        );
        bound
    });
    // Tests and scripts read the first line for the real port (`--addr 127.0.0.1:0`), and the
    // second for the SMTP listener's when it is on.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "latchkey: listening on http://{addr}");
    if let Some(smtp_addr) = smtp_addr {
        let _ = writeln!(out, "latchkey: smtp on {smtp_addr}");
    }
    if let Some(demo) = &demo {
        let _ = write!(out, "{}", demo.instructions(&state.public_url));
    }
    let _ = out.flush();
    drop(out);

    if smtp_addr.is_some() && state.mail_domain.is_none() {
        log::warn(
            "smtp_without_mail_domain",
            &[(
                "detail",
                "the SMTP listener is on without --mail-domain: it refuses every recipient (or turn it off with --smtp-listen off)".into(),
            )],
        );
    }
    if let Some(warning) = state.mailer.startup_warning() {
        log::warn("mail_not_sent", &[("detail", warning.as_str().into())]);
        eprintln!("latchkey: {warning}");
    }
    if config.twilio_auth_token.is_some() && config.twilio_account_sid.is_none() {
        let warning = format!(
            "LATCHKEY_TWILIO_AUTH_TOKEN is set without --twilio-account-sid: SMS webhooks are accepted only \
             from the local account {}, so texts from a real Twilio account are refused; give its SID",
            webhooks::LOCAL_ACCOUNT_SID
        );
        log::warn("twilio_account_not_set", &[("detail", warning.as_str().into())]);
        eprintln!("latchkey: {warning}");
    }

    let shutdown = async move {
        shutdown.await;
        let _ = stop_sender.send(true);
    };
    // The peer address reaches handlers (rate limits per client, what an approval prompt shows).
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(ServeError::Stopped)?;
    db.close().await;
    log::info("stopped", &[]);
    Ok(())
}

async fn app_state(
    config: &Config,
    key: &server_key::ServerKey,
    db: Db,
    addr: SocketAddr,
    stopping: tokio::sync::watch::Receiver<bool>,
    mailer: crate::mail::Mailer,
) -> Result<AppState, ServeError> {
    let public_url = match &config.public_url {
        Some(url) => {
            crate::sms::twilio_signature::webhook_url(url, "/").map_err(|_| ServeError::PublicUrl(url.clone()))?;
            url.trim_end_matches('/').to_string()
        }
        None => format!("http://{addr}"),
    };
    let email_code_key = key.derive(server_key::purpose::EMAIL_CODES);
    let address_key = key.derive(server_key::purpose::MAIL_ADDRESSES);
    let twilio_token = match &config.twilio_auth_token {
        Some(token) => zeroize::Zeroizing::new(token.clone()),
        None => zeroize::Zeroizing::new(crate::db::hex(&key.derive(server_key::purpose::LOCAL_WEBHOOK_TOKEN))),
    };
    let (numbers, numbers_provider) = match &config.number_source {
        NumberSource::Pool => (state::NumberSupply::Pool(config.pool_numbers.clone()), "pool"),
        NumberSource::Twilio {
            account_sid,
            auth_token,
            api_url,
        } => {
            let twilio = crate::numbers::Twilio::new(crate::numbers::TwilioConfig {
                base_url: api_url.clone(),
                account_sid: account_sid.clone(),
                auth_token: auth_token.clone(),
                sms_url: format!("{public_url}/webhooks/sms/twilio"),
            })?;
            (state::NumberSupply::Buy(Box::new(twilio)), "twilio")
        }
    };
    Ok(AppState::new(state::Inner {
        db,
        mailer,
        numbers,
        numbers_provider,
        notifier: notify::Notifier::new(),
        trust_events: notify::Notifier::new(),
        waits: waits::WaitSlots::new(),
        trust_forwarded_for: config.trust_forwarded_for,
        email_code_key,
        address_key,
        mail_domain: config.mail_domain.clone(),
        mailgun: config
            .mailgun_signing_key
            .as_deref()
            .map(crate::mail::mailgun::MailgunSigningKey::new),
        mail_max_bytes: config.smtp_max_bytes,
        mail_auth: match config.mail_auth {
            true => {
                let host = config.mail_domain.as_ref().map_or("latchkey", |d| d.as_str());
                Some(crate::mail::auth::MailAuth::new(config.dns_server, host)?)
            }
            false => None,
        },
        twilio: crate::sms::TwilioSignature::new(&twilio_token),
        twilio_account_sid: config
            .twilio_account_sid
            .clone()
            .unwrap_or_else(|| webhooks::LOCAL_ACCOUNT_SID.to_string()),
        public_url,
        stopping,
    }))
}

/// At start and every 10 minutes, forgets rate-limit events past their window and day-old ghost
/// registrations, and with a retention period prunes older audit events (any instance may do it;
/// doing it twice is harmless: pruning takes each chain's lock and cuts only what is old).
fn spawn_sweeper(db: Db, audit_retention_days: Option<u32>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            let now = now_unix();
            if let Err(err) = db.sweep_rate_limits(now).await.and(db.sweep_ghosts(now).await) {
                log::warn("sweep_failed", &[("detail", err.to_string().as_str().into())]);
            }
            if let Some(days) = audit_retention_days {
                match db.prune_audit(now - i64::from(days) * 86_400, now).await {
                    Ok(0) => {}
                    Ok(n) => log::info("audit_pruned", &[("events", n.into())]),
                    Err(err) => log::warn("audit_prune_failed", &[("detail", err.to_string().as_str().into())]),
                }
            }
        }
    });
}

/// The routes: the start page, the health check, the API and the webhook. Nothing else, with or
/// without `--demo` (the demo app signs up anyone: it is a program of its own, `latchkey-demo`).
fn router(state: AppState) -> Router {
    let db = state.db.clone();
    Router::new()
        .route("/", get(index))
        .route("/healthz", get(move || healthz(db.clone())))
        .merge(api::router(state.clone()))
        .merge(scim::router(state.clone()))
        .merge(webhooks::router(state))
        .fallback(not_found)
        .layer(middleware::from_fn(log_request))
}

/// "ok" when the database answers; 503 otherwise (the reason goes to the log, not the response).
async fn healthz(db: Db) -> (StatusCode, &'static str) {
    match db.health().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(err) => {
            log::error("health_check_failed", &[("detail", err.to_string().as_str().into())]);
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

async fn index() -> Response {
    let body = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Latchkey server</title>\
        <h1>Latchkey server</h1><p>Health check: <a href=\"/healthz\">/healthz</a>.</p></html>";
    html::page_response(StatusCode::OK, body.to_string(), "default-src 'none'")
}

async fn not_found() -> Response {
    let body = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Not found</title>\
        <h1>Not found</h1><p><a href=\"/\">Start page</a></p></html>";
    html::page_response(StatusCode::NOT_FOUND, body.to_string(), "default-src 'none'")
}

/// One log line per request: method, path, status, time. Never the query, headers or body, which
/// can carry codes, tokens and passwords. (The demo fixture logs the same way.)
pub async fn log_request(request: Request, next: Next) -> Response {
    let (method, path, start) = (
        request.method().clone(),
        request.uri().path().to_owned(),
        Instant::now(),
    );
    let response = next.run(request).await;
    log::info(
        "request",
        &[
            ("method", method.as_str().into()),
            ("path", path.as_str().into()),
            ("status", response.status().as_u16().into()),
            (
                "ms",
                u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX).into(),
            ),
        ],
    );
    response
}

/// Resolves on the first SIGINT or SIGTERM. The handlers are installed here, before the server
/// announces itself, so a signal sent right after the "listening" line is not lost (it would
/// otherwise kill the process with the default action).
pub fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, std::io::Error> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
        log::info("shutting_down", &[]);
    })
}
