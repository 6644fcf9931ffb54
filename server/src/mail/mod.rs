//! The device-verification e-mail: a 6-digit code that proves a user controls their mailbox.
//!
//! Sent over SMTP with `lettre` to the relay given by `--smtp-url smtp://host:port`. Plain SMTP only,
//! no TLS client in the binary (keeps `rustls`/`ring` out of the build): the relay is meant to be on
//! the same host or private network, typically a local MTA that forwards with TLS. For the same
//! reason no SMTP credentials are accepted: they would cross the network in clear.
//!
//! With no relay configured (development), each e-mail is written to a *development outbox*: one
//! `.eml` file per message in `<data dir>/outbox/`, readable only by the server's user. The log says
//! that an e-mail was written and where, never the code: logs are copied to terminals, CI artifacts
//! and log collectors, and a live code there lets anyone reading them verify a device as that user.
//! The outbox file holds the whole e-mail, code included, which is what a developer needs.

mod message;
mod outbox;
mod smtp_url;

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use thiserror::Error;

pub use message::{RequestSeen, APPROVAL_SUBJECT, FAILURES_SUBJECT, SUBJECT};
pub use smtp_url::SmtpRelay;

const DEFAULT_FROM: &str = "Latchkey <no-reply@latchkey.localhost>";
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Error)]
pub enum MailError {
    #[error("--smtp-url {0:?} is not smtp://HOST[:PORT] (for example smtp://127.0.0.1:25)")]
    BadSmtpUrl(String),
    #[error(
        "--smtp-url {0:?}: latchkey speaks plain SMTP only; relay through an MTA on this host or a private \
         network (smtp://HOST:PORT) that forwards with TLS"
    )]
    TlsUnsupported(String),
    #[error(
        "--smtp-url must not contain a user name or password: they would be sent in clear; let the local relay \
         authenticate to your provider"
    )]
    CredentialsInUrl,
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
        let from_text = from.unwrap_or(DEFAULT_FROM);
        let from = from_text
            .parse()
            .map_err(|_| MailError::BadFrom(from_text.to_string()))?;
        let transport = match smtp_url {
            Some(url) => {
                let relay = SmtpRelay::parse(url)?;
                let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(relay.host.as_str())
                    .port(relay.port)
                    .timeout(Some(SMTP_TIMEOUT))
                    .build();
                Transport::Smtp { relay, transport }
            }
            None => Transport::DevOutbox(data_dir.join("outbox")),
        };
        Ok(Mailer { from, transport })
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

#[cfg(test)]
mod tests;
