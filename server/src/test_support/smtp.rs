//! A minimal SMTP receiver (RFC 5321's EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT) on
//! 127.0.0.1 that keeps every message it accepts, for tests that send real e-mail. Started with
//! [`SmtpServer::start_secure`] it stands in for a mail provider: TLS from the first byte or
//! STARTTLS (required before anything else), and AUTH PLAIN/LOGIN with one user name and password
//! (required before MAIL).

use std::path::Path;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Debug, Clone, Default)]
pub struct Received {
    pub client_name: String,
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The message as sent after DATA, dot-unstuffed, without the final `.` line.
    pub data: String,
}

impl Received {
    /// The value of the first header `name` (unfolded), if any.
    pub fn header(&self, name: &str) -> Option<String> {
        let (head, _) = self.data.split_once("\r\n\r\n")?;
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.split("\r\n").find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }

    pub fn body(&self) -> &str {
        self.data.split_once("\r\n\r\n").map_or("", |(_, body)| body)
    }
}

pub struct SmtpServer {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Received>>>,
    /// AUTH attempts that were refused.
    pub refused_logins: Arc<Mutex<u32>>,
}

/// How [`SmtpServer::start_secure`] protects its sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// TLS from the first byte (`smtps://`, port 465).
    Implicit,
    /// STARTTLS, required before MAIL (`smtp+starttls://`, port 587).
    StartTls,
}

struct Secure {
    mode: TlsMode,
    acceptor: tokio_rustls::TlsAcceptor,
    username: String,
    password: String,
}

struct Shared {
    received: Arc<Mutex<Vec<Received>>>,
    refused_logins: Arc<Mutex<u32>>,
    secure: Option<Secure>,
}

impl SmtpServer {
    /// The relay's URL, as `latchkey serve --smtp-url` takes it.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub async fn start() -> SmtpServer {
        Self::launch(None).await
    }

    /// A provider stand-in with the certificate chain and key in PEM files `cert` and `key`,
    /// taking only `username` and `password`.
    pub async fn start_secure(mode: TlsMode, cert: &Path, key: &Path, username: &str, password: &str) -> SmtpServer {
        use rustls_pki_types::pem::PemObject;
        let chain = rustls_pki_types::CertificateDer::pem_file_iter(cert)
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        let key = rustls_pki_types::PrivateKeyDer::from_pem_file(key).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap();
        Self::launch(Some(Secure {
            mode,
            acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
            username: username.to_string(),
            password: password.to_string(),
        }))
        .await
    }

    async fn launch(secure: Option<Secure>) -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let refused_logins = Arc::new(Mutex::new(0));
        let shared = Arc::new(Shared {
            received: received.clone(),
            refused_logins: refused_logins.clone(),
            secure,
        });
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let shared = shared.clone();
                tokio::spawn(async move {
                    match &shared.secure {
                        None => {
                            let _ = session(stream, &shared, false).await;
                        }
                        Some(secure) if secure.mode == TlsMode::Implicit => {
                            if let Ok(tls) = secure.acceptor.accept(stream).await {
                                let _ = session(tls, &shared, true).await;
                            }
                        }
                        Some(secure) => {
                            if let Ok(Some(plain)) = session(stream, &shared, false).await {
                                if let Ok(tls) = secure.acceptor.accept(plain).await {
                                    let _ = session(tls, &shared, true).await;
                                }
                            }
                        }
                    }
                });
            }
        });
        SmtpServer {
            port,
            received,
            refused_logins,
        }
    }
}

/// One session on `stream`; `Some(stream)` back when the client asked for STARTTLS.
async fn session<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    shared: &Shared,
    tls: bool,
) -> std::io::Result<Option<S>> {
    let store = &shared.received;
    let mut io = BufReader::new(stream);
    let mut current = Received::default();
    let mut authenticated = false;
    // In STARTTLS mode the greeting is only sent in clear; inside TLS the client goes on with EHLO.
    if !(tls && shared.secure.as_ref().is_some_and(|s| s.mode == TlsMode::StartTls)) {
        io.write_all(b"220 smtp.test ESMTP ready\r\n").await?;
    }
    let mut line = String::new();
    loop {
        line.clear();
        if io.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        let command = line.trim_end_matches(['\r', '\n']).to_string();
        let upper = command.to_ascii_uppercase();
        let needs_tls = shared.secure.is_some() && !tls;
        let needs_auth = shared.secure.is_some() && !authenticated;
        let reply: &[u8] = if upper.starts_with("EHLO ") {
            current.client_name = command[5..].to_string();
            match (&shared.secure, tls) {
                (None, _) => b"250-smtp.test\r\n250-8BITMIME\r\n250 SIZE 1048576\r\n",
                (Some(_), false) => b"250-smtp.test\r\n250-8BITMIME\r\n250 STARTTLS\r\n",
                (Some(_), true) => b"250-smtp.test\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN\r\n",
            }
        } else if upper == "STARTTLS" && needs_tls {
            io.write_all(b"220 go ahead\r\n").await?;
            io.flush().await?;
            return Ok(Some(io.into_inner()));
        } else if needs_tls && upper != "QUIT" && upper != "NOOP" {
            b"530 5.7.0 Must issue a STARTTLS command first\r\n"
        } else if upper.starts_with("AUTH ") {
            let secure = shared.secure.as_ref().expect("AUTH only where offered");
            let words: Vec<&str> = command.split_whitespace().collect();
            let (user, pass) = match words.get(1).map(|m| m.to_ascii_uppercase()).as_deref() {
                Some("PLAIN") => {
                    let initial = match words.get(2) {
                        Some(initial) => initial.to_string(),
                        None => {
                            io.write_all(b"334 \r\n").await?;
                            read_answer(&mut io).await?
                        }
                    };
                    let decoded = decode(&initial);
                    let mut parts = decoded.split('\0').skip(1);
                    (
                        parts.next().unwrap_or("").to_string(),
                        parts.next().unwrap_or("").to_string(),
                    )
                }
                Some("LOGIN") => {
                    io.write_all(b"334 VXNlcm5hbWU6\r\n").await?;
                    let user = decode(&read_answer(&mut io).await?);
                    io.write_all(b"334 UGFzc3dvcmQ6\r\n").await?;
                    (user, decode(&read_answer(&mut io).await?))
                }
                _ => (String::new(), String::new()),
            };
            if user == secure.username && pass == secure.password {
                authenticated = true;
                b"235 2.7.0 Authentication successful\r\n"
            } else {
                *shared.refused_logins.lock().unwrap() += 1;
                b"535 5.7.8 Authentication credentials invalid\r\n"
            }
        } else if needs_auth && upper.starts_with("MAIL FROM:") {
            b"530 5.7.0 Authentication required\r\n"
        } else if upper.starts_with("HELO ") {
            current.client_name = command[5..].to_string();
            b"250 smtp.test\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            current.mail_from = first_word(&command[10..]);
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            current.rcpt_to.push(first_word(&command[8..]));
            b"250 OK\r\n"
        } else if upper == "DATA" {
            if current.mail_from.is_empty() || current.rcpt_to.is_empty() {
                b"503 need MAIL FROM and RCPT TO first\r\n"
            } else {
                io.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if io.read_line(&mut line).await? == 0 {
                        return Ok(None);
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line)); // dot-unstuffing
                }
                let client_name = current.client_name.clone();
                let mut done = std::mem::take(&mut current);
                done.data = data;
                current.client_name = client_name;
                // Kept before the 250, so a sender that saw success finds the message here.
                store.lock().unwrap().push(done);
                b"250 OK queued\r\n"
            }
        } else if upper == "RSET" {
            current = Received {
                client_name: current.client_name.clone(),
                ..Received::default()
            };
            b"250 OK\r\n"
        } else if upper == "NOOP" {
            b"250 OK\r\n"
        } else if upper == "QUIT" {
            io.write_all(b"221 bye\r\n").await?;
            io.flush().await?;
            return Ok(None);
        } else {
            b"502 command not implemented\r\n"
        };
        io.write_all(reply).await?;
        io.flush().await?;
    }
}

async fn read_answer<S: AsyncRead + AsyncWrite + Unpin>(io: &mut BufReader<S>) -> std::io::Result<String> {
    let mut answer = String::new();
    io.read_line(&mut answer).await?;
    Ok(answer.trim_end().to_string())
}

fn decode(b64: &str) -> String {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The address of `MAIL FROM:<a> BODY=8BITMIME`, without the parameters.
fn first_word(args: &str) -> String {
    args.split_whitespace().next().unwrap_or("").to_string()
}
