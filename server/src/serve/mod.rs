//! `latchkey serve`: the HTTP server. For now it hosts the demo app (`demo`); the workspace JSON
//! API and its storage will be mounted beside it on the same router.

mod demo;
mod html;

use std::io::Write;
use std::net::SocketAddr;
use std::os::unix::fs::DirBuilderExt;
use std::path::PathBuf;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use thiserror::Error;
use tokio::net::TcpListener;

use latchkey::db::{Db, DbError, Target};

pub struct Config {
    pub addr: SocketAddr,
    /// Created if missing; holds the SQLite file unless `database` points elsewhere.
    pub data_dir: PathBuf,
    pub database: Target,
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
}

/// Serves until SIGINT or SIGTERM, then lets requests in flight finish.
pub fn run(config: Config) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(serve(config))
}

async fn serve(config: Config) -> Result<(), ServeError> {
    let bind_error = |source: std::io::Error| match source.kind() {
        std::io::ErrorKind::AddrInUse => ServeError::AddrInUse(config.addr),
        _ => ServeError::Bind {
            addr: config.addr,
            source,
        },
    };
    let shutdown = shutdown_signal().map_err(ServeError::Signals)?;
    // Owner-only when created here: it holds hashes of codes and tokens, and sealed data.
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&config.data_dir)
        .map_err(|source| ServeError::DataDir {
            path: config.data_dir.clone(),
            source,
        })?;
    let db = Db::open(&config.database, now_unix()).await?;
    eprintln!("latchkey: database: {}", config.database.describe());
    let listener = TcpListener::bind(config.addr).await.map_err(bind_error)?;
    let addr = listener.local_addr().map_err(bind_error)?;
    // Tests and scripts read the first line for the real port (`--addr 127.0.0.1:0`).
    // Chromium resolves every *.localhost name to loopback, so the demo gets a site of its own.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "latchkey: listening on http://{addr}");
    let _ = writeln!(out, "latchkey: demo app at http://demo.localhost:{}/demo/", addr.port());
    let _ = out.flush();
    drop(out);

    axum::serve(listener, router(db.clone()))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(ServeError::Stopped)?;
    db.close().await;
    eprintln!("latchkey: stopped");
    Ok(())
}

fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn router(db: Db) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/healthz", get(move || healthz(db.clone())))
        .merge(demo::router())
        .fallback(not_found)
        .layer(middleware::from_fn(log_request))
}

/// "ok" when the database answers; 503 otherwise (the reason goes to the log, not the response).
async fn healthz(db: Db) -> (StatusCode, &'static str) {
    match db.health().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(err) => {
            eprintln!("latchkey: health check failed: {err}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

async fn index() -> Response {
    let body = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Latchkey server</title>\
        <h1>Latchkey server</h1><p>The demo app: <a href=\"/demo/\">Northwind Cloud</a>.</p>\
        <p>Health check: <a href=\"/healthz\">/healthz</a>.</p></html>";
    html::page_response(StatusCode::OK, body.to_string(), "default-src 'none'")
}

async fn not_found() -> Response {
    let body = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Not found</title>\
        <h1>Not found</h1><p><a href=\"/\">Start page</a></p></html>";
    html::page_response(StatusCode::NOT_FOUND, body.to_string(), "default-src 'none'")
}

/// One stderr line per request: method, path, status, time. Never the query or body, which can
/// carry codes and passwords.
async fn log_request(request: Request, next: Next) -> Response {
    let (method, path, start) = (
        request.method().clone(),
        request.uri().path().to_owned(),
        Instant::now(),
    );
    let response = next.run(request).await;
    eprintln!(
        "latchkey: {method} {path} {} {}ms",
        response.status().as_u16(),
        start.elapsed().as_millis()
    );
    response
}

/// Resolves on the first SIGINT or SIGTERM. The handlers are installed here, before the server
/// announces itself, so a signal sent right after the "listening" line is not lost (it would
/// otherwise kill the process with the default action).
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, std::io::Error> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
        eprintln!("latchkey: shutting down");
    })
}
