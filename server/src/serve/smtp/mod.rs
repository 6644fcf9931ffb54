//! The SMTP listener (`--smtp-listen`, default 127.0.0.1:2525): mail for managed e-mail addresses
//! arrives here, from the Internet through an MX that relays to it, or straight from a sender.
//!
//! What it guarantees (docs/mail.md):
//! - mail is taken only for live managed addresses at `--mail-domain`: another domain is refused
//!   at `RCPT` (it is not a relay), as is an unknown or released address (same answer for both);
//! - a size limit, announced with the SIZE extension, refused at `MAIL FROM … SIZE=`, and cut
//!   hard during `DATA`: the session is answered 552 and closed the moment the limit is passed;
//! - STARTTLS when given a certificate (`--smtp-cert`, `--smtp-key`); bytes pipelined after the
//!   STARTTLS command are discarded, never read as commands inside TLS;
//! - `250` after `DATA` only once the message is sealed to each recipient account's inbox key and
//!   committed (serve/inbox_seal.rs, db/sms.rs `store_emails`): a crash before that leaves the
//!   client without an answer, and it retries.
//!
//! The protocol parsing is `smtp-proto`'s; this module is the state machine and the I/O.

mod session;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use thiserror::Error;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use super::state::AppState;
use crate::log;

pub const DEFAULT_LISTEN: &str = "127.0.0.1:2525";
/// 4 MiB: sign-in and verification mails are tens of KB; styled newsletters with inline images
/// reach a few MB. The sealed copy is kept per recipient account.
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 4 * 1024 * 1024;
/// The most `--smtp-max-bytes` may be.
pub const MAX_MESSAGE_BYTES_LIMIT: usize = 64 * 1024 * 1024;
/// Sessions at once; more are told 421 and closed.
const MAX_SESSIONS: usize = 256;
/// Sessions at once from one client (an IPv4 address, an IPv6 /64): one client cannot hold every
/// slot with idle connections and keep other senders out.
const MAX_SESSIONS_PER_CLIENT: usize = 16;
/// The longest a session may last, however busy: idle-but-alive connections (one NOOP every few
/// minutes) end here. A 64 MiB message at 1 Mbit/s takes about 9 minutes.
const SESSION_DEADLINE: std::time::Duration = std::time::Duration::from_secs(30 * 60);

#[derive(Debug, Error)]
pub enum SmtpError {
    #[error(
        "cannot listen for SMTP on {0}: another program is using it (choose another with --smtp-listen, or turn it off with --smtp-listen off)"
    )]
    AddrInUse(SocketAddr),
    #[error("cannot listen for SMTP on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("cannot read the SMTP certificate or key {path}: {reason}")]
    TlsFile { path: String, reason: String },
    #[error("the SMTP certificate and key cannot be used together: {0}")]
    TlsConfig(String),
}

/// How the listener runs.
pub struct SmtpConfig {
    /// STARTTLS, when a certificate was given.
    pub tls: Option<tokio_rustls::TlsAcceptor>,
    pub max_bytes: usize,
}

/// Binds the listener (before the server announces itself, so a port in use stops the start).
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, SmtpError> {
    TcpListener::bind(addr).await.map_err(|source| match source.kind() {
        std::io::ErrorKind::AddrInUse => SmtpError::AddrInUse(addr),
        _ => SmtpError::Bind { addr, source },
    })
}

/// The STARTTLS acceptor from a PEM certificate chain and its PEM private key.
pub fn tls_acceptor(cert: &Path, key: &Path) -> Result<tokio_rustls::TlsAcceptor, SmtpError> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let file_error = |path: &Path, reason: String| SmtpError::TlsFile {
        path: path.display().to_string(),
        reason,
    };
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| file_error(cert, e.to_string()))?
        .collect::<Result<_, _>>()
        .map_err(|e| file_error(cert, e.to_string()))?;
    if chain.is_empty() {
        return Err(file_error(cert, "it holds no PEM certificate".into()));
    }
    let key_der = PrivateKeyDer::from_pem_file(key).map_err(|e| file_error(key, e.to_string()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| SmtpError::TlsConfig(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, key_der)
        .map_err(|e| SmtpError::TlsConfig(e.to_string()))?;
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

/// Accepts sessions until the server stops.
pub fn spawn(listener: TcpListener, state: AppState, config: SmtpConfig) {
    let config = Arc::new(config);
    let slots = Arc::new(Semaphore::new(MAX_SESSIONS));
    let per_client = ClientSessions::default();
    tokio::spawn(async move {
        loop {
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                () = state.stopping() => return,
            };
            let (stream, peer) = match accepted {
                Ok(pair) => pair,
                Err(err) => {
                    log::warn("smtp_accept_failed", &[("detail", err.to_string().as_str().into())]);
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            };
            let slot = slots.clone().try_acquire_owned();
            let client = per_client.take(&crate::serve::client::limit_key(peer.ip()));
            let (state, config) = (state.clone(), config.clone());
            tokio::spawn(async move {
                let busy = if slot.is_err() {
                    Some("421 4.3.2 Too many connections, try again later\r\n")
                } else if client.is_none() {
                    Some("421 4.3.2 Too many connections from your address, try again later\r\n")
                } else {
                    None
                };
                let _ = tokio::time::timeout(SESSION_DEADLINE, session::run(stream, peer, &state, &config, busy)).await;
                drop(client);
            });
        }
    });
}

/// Open sessions per client, bounded by [`MAX_SESSIONS_PER_CLIENT`].
#[derive(Clone, Default)]
struct ClientSessions(Arc<std::sync::Mutex<std::collections::HashMap<String, usize>>>);

/// One client's session, counted until it is dropped.
struct ClientSession {
    sessions: ClientSessions,
    key: String,
}

impl ClientSessions {
    /// Counts a new session of `key`, or `None` when that client already has its most.
    fn take(&self, key: &str) -> Option<ClientSession> {
        let mut open = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let n = open.entry(key.to_string()).or_default();
        if *n >= MAX_SESSIONS_PER_CLIENT {
            return None;
        }
        *n += 1;
        Some(ClientSession {
            sessions: self.clone(),
            key: key.to_string(),
        })
    }
}

impl Drop for ClientSession {
    fn drop(&mut self) {
        let mut open = self.sessions.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = open.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.key);
            }
        }
    }
}
