//! The demo's outgoing mail: Northwind Cloud e-mails sign-in codes as real services do (a subject
//! that carries the code, a multipart text and HTML body, a no-reply sender), over plain SMTP to the
//! relay it was given (`--smtp-relay`): in `./build.sh run` and the tests, the Latchkey server's
//! own SMTP listener, so the code lands sealed in the managed address's inbox exactly as a real
//! e-mail would.
//!
//! Anyone may sign up to the demo and give any address: so it mails only the demo workspace's own
//! managed addresses, as the server's database says at the moment of sending (an address created
//! after the start counts, a released one no longer does), and refuses every other address (the
//! demo must not be a way to send mail to strangers through whatever relay it is given).

use std::net::SocketAddr;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use latchkey::db::{Db, DbError};

/// Northwind's no-reply sender, as the `From` of its code e-mails.
const SENDER: &str = "Northwind Cloud <no-reply@northwind.test>";
const TIMEOUT: Duration = Duration::from_secs(5);

/// What the postman needs, given explicitly at start.
pub struct PostmanConfig {
    /// The SMTP relay (plain SMTP on a loopback or private address: the demo sends no credentials).
    pub relay: SocketAddr,
    /// The server's database, read for one thing: which addresses the demo workspace holds.
    pub db: Db,
    /// The demo workspace: only its accounts' addresses are mailed.
    pub workspace_id: String,
}

pub struct Postman {
    config: PostmanConfig,
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

/// Why a code e-mail was not delivered.
#[derive(Debug)]
pub enum NotSent {
    /// The address is not a managed address of the demo workspace.
    NotDemoAddress,
    /// The relay could not be reached or refused it.
    Failed(String),
}

impl std::fmt::Display for NotSent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotSent::NotDemoAddress => f.write_str("the demo e-mails only the demo workspace's managed addresses"),
            NotSent::Failed(reason) => f.write_str(reason),
        }
    }
}

impl Postman {
    pub fn new(config: PostmanConfig) -> Postman {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(config.relay.ip().to_string())
            .port(config.relay.port())
            .timeout(Some(TIMEOUT))
            .build();
        Postman { config, transport }
    }

    /// Whether `to` is held by an account of the demo workspace.
    async fn is_demo_address(&self, to: &str) -> Result<bool, NotSent> {
        match self.config.db.mail_address(to).await {
            Ok(held) => Ok(held.workspace_id == self.config.workspace_id && held.account_id.is_some()),
            Err(DbError::NotFound(_)) => Ok(false),
            Err(e) => Err(NotSent::Failed(e.to_string())),
        }
    }

    /// E-mails the sign-in `code` to `to`, if `to` is one of the demo's addresses.
    pub async fn send_code(&self, to: &str, code: &str) -> Result<(), NotSent> {
        if !self.is_demo_address(to).await? {
            return Err(NotSent::NotDemoAddress);
        }
        let message = code_email(to, code).map_err(NotSent::Failed)?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| NotSent::Failed(format!("the relay {} refused the e-mail: {e}", self.config.relay)))
    }
}

/// The e-mail, as services send theirs: the code in the subject and in large digits in the HTML.
fn code_email(to: &str, code: &str) -> Result<Message, String> {
    let to: Mailbox = to.parse().map_err(|e| format!("{to:?} is no e-mail address: {e}"))?;
    let from: Mailbox = SENDER.parse().map_err(|e| format!("the sender: {e}"))?;
    let text = format!(
        "Hi,\r\n\r\nYour Northwind Cloud sign-in code is {code}.\r\n\r\nIt expires in 10 minutes. If you didn't try \
         to sign in, you can ignore this e-mail: someone may have typed your address by mistake.\r\n\r\n\
         Northwind Cloud\r\n"
    );
    let html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif\"><p>Hi,</p><p>Your Northwind Cloud sign-in \
         code is:</p><p style=\"font-size:32px;font-weight:bold;letter-spacing:6px\">{code}</p><p>It expires in 10 \
         minutes. If you didn't try to sign in, you can ignore this e-mail.</p><p>Northwind Cloud</p></body></html>"
    );
    Message::builder()
        .from(from)
        .to(to)
        .subject(format!("{code} is your Northwind Cloud sign-in code"))
        .multipart(MultiPart::alternative_plain_html(text, html))
        .map_err(|e| format!("could not build the e-mail: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_email_is_multipart_with_the_code_in_the_subject_and_both_parts() {
        let raw = String::from_utf8(
            code_email("k3j9q2m7x4ta@mail.example.com", "482913")
                .unwrap()
                .formatted(),
        )
        .unwrap();
        assert!(
            raw.contains("Subject: 482913 is your Northwind Cloud sign-in code"),
            "{raw}"
        );
        assert!(raw.contains("multipart/alternative"));
        assert!(raw.contains("text/plain") && raw.contains("text/html"));
        assert!(raw.contains("To: k3j9q2m7x4ta@mail.example.com"));
        assert!(raw.matches("482913").count() >= 3, "subject, text and HTML: {raw}");
    }
}
