//! E-mail into `latchkey serve`: a workspace whose account holds a managed address (its inbox key
//! pair made here, natively, as an extension would), a plain SMTP client that shows every reply
//! code (for the refusals a library client hides), a throwaway TLS certificate (openssl), and
//! opening what the inbox lists.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use latchkey::db::{Db, NewAccount};
use latchkey::domain::Role;
use latchkey_core::vault::{Context, Email, Envelope, InboxKeyPair};
use mail_auth::common::crypto::Ed25519Key;
use mail_auth::common::headers::HeaderWriter;
use mail_auth::dkim::DkimSigner;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use super::dns::DnsServer;
use super::server::Server;
use super::world::{member, now, open_db, unb64, Member};
use super::TempDir;

/// The mail domain the servers under test are given.
pub const DOMAIN: &str = "mail.latchkey.test";

/// A server with `--mail-domain`, one workspace, its owner, and an account of theirs (app
/// "instagram", which takes managed addresses) holding a managed address.
pub struct MailWorld {
    pub dir: TempDir,
    pub server: Server,
    pub db: Db,
    pub workspace: String,
    pub owner: Member,
    pub account: String,
    pub inbox: InboxKeyPair,
    pub address: String,
}

pub async fn mail_world(label: &str, extra: &[&str]) -> MailWorld {
    mail_world_with_env(label, extra, &[]).await
}

/// [`mail_world`] with environment variables for the server (a provider's signing key).
pub async fn mail_world_with_env(label: &str, extra: &[&str], envs: &[(&str, &str)]) -> MailWorld {
    mail_world_on(label, None, extra, envs).await
}

/// [`mail_world_with_env`] on a PostgreSQL database (`Some(url)`) instead of the data dir's SQLite.
pub async fn mail_world_on(label: &str, database: Option<&str>, extra: &[&str], envs: &[(&str, &str)]) -> MailWorld {
    let dir = TempDir::new(label);
    let mut args = vec!["--mail-domain", DOMAIN];
    if let Some(url) = database {
        args.extend_from_slice(&["--database-url", url]);
    }
    args.extend_from_slice(extra);
    let server = Server::start_with_env(dir.path(), &args, envs);
    let db = match database {
        Some(url) => Db::open(&latchkey::db::Target::Postgres(url.to_string()), now())
            .await
            .unwrap(),
        None => open_db(dir.path()).await,
    };
    let workspace = db.create_workspace("Mail test", now()).await.unwrap().id;
    let owner = member(&server, &db, &workspace, "owner@example.com", Role::Owner).await;
    let (account, inbox) = account_with_inbox(&db, &workspace, &owner).await;
    let address = create_address(&owner, &account).await;
    MailWorld {
        dir,
        server,
        db,
        workspace,
        owner,
        account,
        inbox,
        address,
    }
}

/// A new account of `owner` for the catalog's "instagram", with a fresh inbox key pair.
pub async fn account_with_inbox(db: &Db, workspace: &str, owner: &Member) -> (String, InboxKeyPair) {
    let inbox = InboxKeyPair::generate();
    let public = inbox.public().0;
    let wrapped = format!("key for {}", owner.user.id);
    let account = db
        .create_account(
            &NewAccount {
                workspace_id: workspace,
                app_id: Some("instagram"),
                site: "instagram.com",
                name: "Brand Instagram",
                owner_id: &owner.user.id,
                owner_wrapped_key: wrapped.as_bytes(),
                inbox_public_key: Some(&public),
                sealed_inbox_private_key: Some(b"sealed inbox private key (opaque)"),
            },
            now(),
        )
        .await
        .unwrap();
    (account.id, inbox)
}

/// The route of an account's managed address.
pub fn address_path(account: &str) -> String {
    format!("/api/v1/accounts/{account}/email-address")
}

/// Creates the account's address through the API, as its owner; returns it.
pub async fn create_address(owner: &Member, account: &str) -> String {
    let reply = owner.api.post(&address_path(account), json!({})).await;
    reply.expect(201)["address"].as_str().unwrap().to_string()
}

/// The e-mails (`type: "email"`) of the caller's inbox, optionally of one account.
pub async fn emails(member: &Member, account: Option<&str>) -> Vec<Value> {
    let path = match account {
        Some(a) => format!("/api/v1/inbox?account={a}"),
        None => "/api/v1/inbox".to_string(),
    };
    let page = member.api.get(&path).await.expect(200).clone();
    page["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["type"] == "email")
        .cloned()
        .collect()
}

/// Opens a listed e-mail with the account's inbox key: the raw message.
pub fn open_email(listed: &Value, workspace: &str, inbox: &InboxKeyPair) -> Vec<u8> {
    let envelope = Envelope::from_bytes(unb64(&listed["sealed"])).unwrap();
    let context = Context::email(
        workspace,
        listed["accountId"].as_str().unwrap(),
        listed["id"].as_str().unwrap(),
    );
    Email::open(inbox, &envelope, &context).unwrap().raw.clone()
}

/// A byte stream, plain or TLS.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// A plain SMTP client over loopback that returns every reply as (code, text).
pub struct SmtpClient {
    stream: BufReader<Box<dyn Io>>,
}

impl SmtpClient {
    /// Connects and reads the greeting.
    pub async fn connect(port: u16) -> (SmtpClient, u16) {
        let stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let mut client = SmtpClient {
            stream: BufReader::new(Box::new(stream)),
        };
        let (code, _) = client.reply().await;
        (client, code)
    }

    /// After a `220` to STARTTLS: the TLS handshake, trusting only the certificate `ca_pem`
    /// (whatever the server had buffered is dropped with the plain reader, as a client must).
    pub async fn start_tls(self, ca_pem: &Path) -> SmtpClient {
        use rustls_pki_types::pem::PemObject;
        let mut roots = rustls::RootCertStore::empty();
        for cert in rustls_pki_types::CertificateDer::pem_file_iter(ca_pem).unwrap() {
            roots.add(cert.unwrap()).unwrap();
        }
        let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let connector = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config));
        let name = rustls_pki_types::ServerName::try_from("localhost").unwrap();
        let tls = connector
            .connect(name, self.stream.into_inner())
            .await
            .expect("TLS handshake");
        SmtpClient {
            stream: BufReader::new(Box::new(tls)),
        }
    }

    /// One reply (all lines of a multi-line one); code 0 when the server closed the connection.
    pub async fn reply(&mut self) -> (u16, String) {
        let mut text = String::new();
        loop {
            let mut line = String::new();
            match self.stream.read_line(&mut line).await {
                Ok(0) | Err(_) => return (0, text),
                Ok(_) => {}
            }
            text.push_str(&line);
            let last = line.as_bytes().get(3) != Some(&b'-');
            if last {
                let code = line.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
                return (code, text);
            }
        }
    }

    /// Sends one command line and reads its reply.
    pub async fn command(&mut self, line: &str) -> (u16, String) {
        self.send(format!("{line}\r\n").as_bytes()).await;
        self.reply().await
    }

    /// Writes raw bytes (a write error, the server having closed, is ignored: the next reply says it).
    pub async fn send(&mut self, bytes: &[u8]) {
        let _ = self.stream.get_mut().write_all(bytes).await;
    }

    /// EHLO, MAIL FROM, RCPT TO `to`; returns the RCPT reply.
    pub async fn envelope(&mut self, from: &str, to: &str) -> (u16, String) {
        assert_eq!(self.command("EHLO client.test").await.0, 250);
        assert_eq!(self.command(&format!("MAIL FROM:<{from}>")).await.0, 250);
        self.command(&format!("RCPT TO:<{to}>")).await
    }

    /// DATA with `message` (dot-stuffed here); returns the reply after the final dot.
    pub async fn data(&mut self, message: &[u8]) -> (u16, String) {
        let (code, text) = self.command("DATA").await;
        if code != 354 {
            return (code, text);
        }
        let mut stuffed = Vec::with_capacity(message.len() + 8);
        for line in message.split_inclusive(|b| *b == b'\n') {
            if line.first() == Some(&b'.') {
                stuffed.push(b'.');
            }
            stuffed.extend_from_slice(line);
        }
        if !stuffed.ends_with(b"\r\n") {
            stuffed.extend_from_slice(b"\r\n");
        }
        stuffed.extend_from_slice(b".\r\n");
        self.send(&stuffed).await;
        self.reply().await
    }
}

/// A message as a sender's MTA would hand it over.
pub fn message(from: &str, to: &str, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: Sun, 06 Dec 2026 05:00:00 +0000\r\n\
         Message-ID: <{}@sender.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
        super::new_id()
    )
    .into_bytes()
}

/// A throwaway self-signed certificate for `localhost` and 127.0.0.1, made with the openssl
/// command line in `dir`: (certificate PEM, private key PEM).
pub fn throwaway_cert(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let cert = dir.join(format!("{name}.crt"));
    let key = dir.join(format!("{name}.key"));
    let out = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
        ])
        .args([
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ])
        // An end-entity certificate (webpki refuses a CA certificate as a server's).
        .args([
            "-addext",
            "basicConstraints=critical,CA:FALSE",
            "-addext",
            "extendedKeyUsage=serverAuth",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (cert, key)
}

/// The Mailgun webhook signing key the servers under test are given.
pub const MAILGUN_KEY: &str = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
/// The webhook path of a Mailgun route's `forward()`.
pub const MAILGUN_PATH: &str = "/webhooks/mail/mailgun/mime";

/// Mailgun's signature of `timestamp` and `token`, computed by Python's standard library exactly as
/// Mailgun's documentation shows (an oracle independent of the server's Rust code).
pub fn mailgun_signature(key: &str, timestamp: &str, token: &str) -> String {
    let out = Command::new("python3")
        .args([
            "-c",
            "import hashlib, hmac, sys\n\
             print(hmac.new(key=sys.argv[1].encode(), msg=(sys.argv[2] + sys.argv[3]).encode(), \
             digestmod=hashlib.sha256).hexdigest())",
            key,
            timestamp,
            token,
        ])
        .output()
        .expect("run python3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A multipart/form-data body of `fields` (as Mailgun posts a route's message): (content type, body).
pub fn multipart(fields: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "latchkey-test-boundary-7d2f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A throwaway DKIM key (Ed25519, RFC 8463) of `domain` under `selector`: a sender's signing
/// key, made fresh by each test, its public half published on the test's [`DnsServer`].
pub struct DkimKey {
    pkcs8: Vec<u8>,
    pub domain: String,
    pub selector: String,
}

impl DkimKey {
    pub fn generate(domain: &str, selector: &str) -> DkimKey {
        DkimKey {
            pkcs8: Ed25519Key::generate_pkcs8().unwrap(),
            domain: domain.to_string(),
            selector: selector.to_string(),
        }
    }

    /// Publishes the public key at `SELECTOR._domainkey.DOMAIN`.
    pub fn publish(&self, dns: &DnsServer) {
        let public = Ed25519Key::from_pkcs8_der(&self.pkcs8).unwrap().public_key();
        dns.txt(
            &format!("{}._domainkey.{}", self.selector, self.domain),
            &format!("v=DKIM1; k=ed25519; p={}", STANDARD.encode(public)),
        );
    }

    /// `message` with a `DKIM-Signature` header of this key over From, To, Subject, Date and the body.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        let key = Ed25519Key::from_pkcs8_der(&self.pkcs8).unwrap();
        let signature = DkimSigner::from_key(key)
            .domain(&self.domain)
            .selector(&self.selector)
            .headers(["From", "To", "Subject", "Date"])
            .sign(message)
            .unwrap();
        let mut signed = signature.to_header().into_bytes();
        signed.extend_from_slice(message);
        signed
    }
}
