//! The device-verification e-mail: a 6-digit code that proves a user controls their mailbox.
//!
//! Sent over SMTP with `lettre` to the relay given by `--smtp-url` (smtp_url.rs): plain SMTP to a
//! local or private relay (`smtp://`), or to a provider with STARTTLS (`smtp+starttls://`) or TLS
//! from the first byte (`smtps://`), with authentication. Credentials ([`SmtpCredentials`]) come
//! from the environment or a file, never the command line; they are never logged or printed, and
//! are refused over plain SMTP (they would cross the network in clear). The provider's certificate
//! is checked against Mozilla's roots, or only against `--smtp-ca-file` when given (a private CA).
//! [`Mailer::check`] connects, upgrades and authenticates once at start, so a bad certificate or a
//! wrong password stops the server with a clear message rather than failing the first sign-in.
//!
//! With no relay configured (development), each e-mail is written to a *development outbox*: one
//! `.eml` file per message in `<data dir>/outbox/`, readable only by the server's user. The log says
//! that an e-mail was written and where, never the code: logs are copied to terminals, CI artifacts
//! and log collectors, and a live code there lets anyone reading them verify a device as that user.
//! The outbox file holds the whole e-mail, code included, which is what a developer needs.

pub mod auth;
pub mod mailgun;
mod message;
mod outbox;
mod smtp_url;

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use thiserror::Error;
use zeroize::Zeroizing;

pub use message::{RequestSeen, APPROVAL_SUBJECT, FAILURES_SUBJECT, SUBJECT};
pub use smtp_url::{Security, SmtpRelay};

const DEFAULT_FROM: &str = "Latchkey <no-reply@latchkey.localhost>";
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Error)]
pub enum MailError {
    #[error("--smtp-url {0:?} is not smtp://HOST[:PORT] (for example smtp://127.0.0.1:25)")]
    BadSmtpUrl(String),
    #[error(
        "--smtp-url {0:?} is plain SMTP, and SMTP credentials are given: they would cross the network in clear; \
         use smtp+starttls:// or smtps://"
    )]
    CredentialsNeedTls(String),
    #[error(
        "--smtp-url must not contain a user name or password (the command line is visible to other users): set \
         LATCHKEY_SMTP_USERNAME and LATCHKEY_SMTP_PASSWORD, or use --smtp-credentials-file"
    )]
    CredentialsInUrl,
    #[error("cannot use the CA certificate file {path} for --smtp-url: {reason}")]
    CaFile { path: String, reason: String },
    #[error("the TLS settings for {relay} are not usable: {reason}")]
    TlsSetup { relay: String, reason: String },
    #[error(
        "the SMTP server {relay} refused the user name or password ({reason}): check LATCHKEY_SMTP_USERNAME and \
         LATCHKEY_SMTP_PASSWORD or the credentials file"
    )]
    AuthRefused { relay: String, reason: String },
    #[error(
        "the TLS certificate of the SMTP server {relay} is not trusted ({reason}): fix the server's certificate, or \
         give the CA that signed it with --smtp-ca-file"
    )]
    BadCertificate { relay: String, reason: String },
    #[error("the SMTP server {relay} could not be used: {reason}")]
    Unusable { relay: String, reason: String },
    #[error("the sender address {0:?} is not a valid e-mail address (as in `Latchkey <no-reply@example.com>`)")]
    BadFrom(String),
    #[error("{0:?} is not a valid e-mail address")]
    BadRecipient(String),
    #[error("the verification code must be 6 digits")]
    BadCode,
    #[error("could not build the e-mail: {0}")]
    Build(String),
    #[error("the SMTP relay {relay} did not take the e-mail: {reason}")]
    Relay { relay: String, reason: String },
    #[error("could not write the e-mail to the development outbox {}: {source}", dir.display())]
    Outbox { dir: PathBuf, source: std::io::Error },
}

/// Where e-mail goes.
enum Transport {
    Smtp {
        relay: SmtpRelay,
        transport: AsyncSmtpTransport<Tokio1Executor>,
    },
    DevOutbox(PathBuf),
}

pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

/// An SMTP user name and password. Neither is ever printed (`Debug` is redacted) or logged.
#[derive(Clone)]
pub struct SmtpCredentials {
    pub username: String,
    pub password: Zeroizing<String>,
}

impl std::fmt::Debug for SmtpCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SmtpCredentials(redacted)")
    }
}

/// How to reach a TLS relay beyond its URL.
#[derive(Debug, Clone, Default)]
pub struct MailOptions {
    pub credentials: Option<SmtpCredentials>,
    /// A PEM file of CA certificates to trust instead of Mozilla's roots (a private CA).
    pub ca_file: Option<PathBuf>,
}

/// What happened to one e-mail.
#[derive(Debug, PartialEq, Eq)]
pub enum Delivery {
    Relayed,
    /// Written to this file of the development outbox.
    Outbox(PathBuf),
}

impl Mailer {
    /// `smtp_url` from `--smtp-url`, or `None` for the development outbox in `data_dir/outbox`;
    /// `from` defaults to `Latchkey <no-reply@latchkey.localhost>`.
    pub fn new(smtp_url: Option<&str>, from: Option<&str>, data_dir: &Path) -> Result<Mailer, MailError> {
        Mailer::with_options(smtp_url, from, data_dir, &MailOptions::default())
    }

    /// As [`Mailer::new`], with credentials and a CA for a TLS relay.
    pub fn with_options(
        smtp_url: Option<&str>,
        from: Option<&str>,
        data_dir: &Path,
        options: &MailOptions,
    ) -> Result<Mailer, MailError> {
        let from_text = from.unwrap_or(DEFAULT_FROM);
        let from = from_text
            .parse()
            .map_err(|_| MailError::BadFrom(from_text.to_string()))?;
        let transport = match smtp_url {
            Some(url) => {
                let relay = SmtpRelay::parse(url)?;
                let transport = smtp_transport(&relay, options)?;
                Transport::Smtp { relay, transport }
            }
            None => Transport::DevOutbox(data_dir.join("outbox")),
        };
        Ok(Mailer { from, transport })
    }

    /// For a TLS relay: connects, upgrades, checks the certificate and authenticates once, so that
    /// a bad certificate or a wrong password stops the start. A plain relay is not contacted (it
    /// is a local MTA that may start after the server).
    pub async fn check(&self) -> Result<(), MailError> {
        let Transport::Smtp { relay, transport } = &self.transport else {
            return Ok(());
        };
        if relay.security == Security::Plain {
            return Ok(());
        }
        match transport.test_connection().await {
            Ok(true) => Ok(()),
            Ok(false) => Err(MailError::Unusable {
                relay: relay.to_string(),
                reason: "it did not answer NOOP".into(),
            }),
            Err(e) => Err(classify(relay, &e)),
        }
    }

    /// Whether e-mail really leaves (an SMTP relay), rather than landing in the development outbox.
    pub fn relays(&self) -> bool {
        matches!(self.transport, Transport::Smtp { .. })
    }

    /// The warning to print loudly at start when e-mail is not really sent.
    pub fn startup_warning(&self) -> Option<String> {
        match &self.transport {
            Transport::Smtp { .. } => None,
            Transport::DevOutbox(dir) => Some(format!(
                "WARNING: no SMTP relay configured (--smtp-url): verification e-mails are NOT sent; their codes \
                 are printed on this console and written to the development outbox {} (development only)",
                dir.display()
            )),
        }
    }

    /// Sends the verification code for a new device of the user at `to`.
    pub async fn send_device_code(&self, to: &str, device_name: &str, code: &str) -> Result<Delivery, MailError> {
        let to_box: Mailbox = to.parse().map_err(|_| MailError::BadRecipient(to.to_string()))?;
        let email = message::device_code(self.from.clone(), to_box, device_name, code)?;
        let delivery = self.deliver(email, "a device-verification e-mail").await?;
        if let Delivery::Outbox(_) = delivery {
            // Development only (the start-up warning says so): the person trying Latchkey reads the
            // code on the console. It goes to stdout, the console, never to the JSON log on stderr,
            // which is what log collectors keep.
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "latchkey: dev outbox: verification code {code} for {to} (device {device_name:?}); not e-mailed"
            );
            let _ = out.flush();
        }
        Ok(delivery)
    }

    /// Tells `to` they were invited to a workspace, and how to join: install the extension, point
    /// it at `server_url`, sign in with this address. No secret in it: joining still needs the
    /// e-mailed code and the first device's keys.
    pub async fn send_invitation(
        &self,
        to: &str,
        workspace: &str,
        invited_by: &str,
        role: &str,
        server_url: &str,
    ) -> Result<Delivery, MailError> {
        let to_box: Mailbox = to.parse().map_err(|_| MailError::BadRecipient(to.to_string()))?;
        let email = message::invitation(self.from.clone(), to_box, workspace, invited_by, role, server_url)?;
        self.deliver(email, "an invitation e-mail").await
    }

    /// Tells the user a device asked for approval: its name, when, from where, which browser/OS.
    pub async fn send_approval_request(&self, to: &str, seen: &RequestSeen<'_>) -> Result<Delivery, MailError> {
        let to_box: Mailbox = to.parse().map_err(|_| MailError::BadRecipient(to.to_string()))?;
        let email = message::approval_request(self.from.clone(), to_box, seen)?;
        self.deliver(email, "an approval-request notice").await
    }

    /// Tells the user that many wrong codes were typed for their account.
    pub async fn send_failures_notice(&self, to: &str, failures: i64) -> Result<Delivery, MailError> {
        let to_box: Mailbox = to.parse().map_err(|_| MailError::BadRecipient(to.to_string()))?;
        let email = message::failures_notice(self.from.clone(), to_box, failures)?;
        self.deliver(email, "a wrong-codes notice").await
    }

    async fn deliver(&self, email: lettre::Message, what: &str) -> Result<Delivery, MailError> {
        // (`reason` below is lettre's error text: it names codes and the server's words, never
        // the credentials.)
        match &self.transport {
            Transport::Smtp { relay, transport } => {
                transport.send(email).await.map_err(|e| MailError::Relay {
                    relay: relay.to_string(),
                    reason: e.to_string(),
                })?;
                Ok(Delivery::Relayed)
            }
            Transport::DevOutbox(dir) => {
                let path = outbox::write(dir, email.formatted()).await?;
                crate::log::warn(
                    "dev_outbox",
                    &[
                        ("wrote", what.into()),
                        ("file", path.display().to_string().as_str().into()),
                    ],
                );
                Ok(Delivery::Outbox(path))
            }
        }
    }
}

/// The lettre transport for `relay`: plain, STARTTLS required, or implicit TLS; with credentials
/// (PLAIN or LOGIN, only ever inside TLS).
fn smtp_transport(relay: &SmtpRelay, options: &MailOptions) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailError> {
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(relay.host.as_str())
        .port(relay.port)
        .timeout(Some(SMTP_TIMEOUT));
    if relay.security == Security::Plain {
        if options.credentials.is_some() {
            return Err(MailError::CredentialsNeedTls(relay.to_string()));
        }
        return Ok(builder.build());
    }
    let mut tls = TlsParameters::builder(relay.host.clone());
    if let Some(path) = &options.ca_file {
        let ca_error = |reason: String| MailError::CaFile {
            path: path.display().to_string(),
            reason,
        };
        let pem = std::fs::read(path).map_err(|e| ca_error(e.to_string()))?;
        let cert = Certificate::from_pem(&pem).map_err(|e| ca_error(e.to_string()))?;
        tls = tls
            .add_root_certificate(cert)
            .certificate_store(lettre::transport::smtp::client::CertificateStore::None);
    }
    let tls = tls.build_rustls().map_err(|e| MailError::TlsSetup {
        relay: relay.to_string(),
        reason: e.to_string(),
    })?;
    builder = builder.tls(match relay.security {
        Security::Implicit => Tls::Wrapper(tls),
        _ => Tls::Required(tls),
    });
    if let Some(credentials) = &options.credentials {
        builder = builder
            .credentials(Credentials::new(
                credentials.username.clone(),
                credentials.password.as_str().to_string(),
            ))
            .authentication(vec![Mechanism::Plain, Mechanism::Login]);
    }
    Ok(builder.build())
}

/// A failed start-up check as the sentence that says what to fix.
fn classify(relay: &SmtpRelay, err: &lettre::transport::smtp::Error) -> MailError {
    let reason = err.to_string();
    let mut detail = reason.clone();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        detail.push_str(": ");
        detail.push_str(&s.to_string());
        source = s.source();
    }
    let relay = relay.to_string();
    let code = err.status().map(|c| c.to_string());
    if matches!(code.as_deref(), Some("535" | "534" | "530" | "454")) {
        return MailError::AuthRefused { relay, reason: detail };
    }
    if err.is_tls() || detail.to_ascii_lowercase().contains("certificate") {
        return MailError::BadCertificate { relay, reason: detail };
    }
    MailError::Unusable { relay, reason: detail }
}

#[cfg(test)]
mod tests;
