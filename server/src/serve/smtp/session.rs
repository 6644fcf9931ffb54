//! One SMTP session: greeting, commands (parsed by `smtp-proto`), the optional STARTTLS upgrade,
//! and `DATA`. Every byte from the client is hostile: lines are bounded by the parser, messages
//! by `max_bytes`, recipients by [`MAX_RECIPIENTS`], mistakes by [`MAX_ERRORS`], silence by
//! [`READ_TIMEOUT`].

use std::borrow::Cow;
use std::net::SocketAddr;
use std::time::Duration;

use smtp_proto::request::receiver::{DataReceiver, RequestReceiver};
use smtp_proto::{EhloResponse, Error as ProtoError, Request};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

use super::SmtpConfig;
use crate::db::SMTP_PROVIDER;
use crate::log;
use crate::mail::auth::Connection;
use crate::serve::mail_intake::{self, Arrival, Incoming, Lookup};
use crate::serve::state::AppState;

/// Recipients of one message; more are told 452 (the client sends them in another transaction).
const MAX_RECIPIENTS: usize = 20;
/// Refused commands before the session is closed.
const MAX_ERRORS: u32 = 10;
/// RFC 5321 4.5.3.2 asks for at least 5 minutes for commands and between data blocks.
const READ_TIMEOUT: Duration = Duration::from_secs(300);

/// How a conversation on one stream ended.
enum End<S> {
    /// Closed (QUIT, error, timeout, hard cut).
    Closed,
    /// STARTTLS accepted: continue on this stream inside TLS.
    StartTls(S),
}

struct Session<'a> {
    state: &'a AppState,
    config: &'a SmtpConfig,
    peer: SocketAddr,
    tls: bool,
    helo: Option<String>,
    /// The envelope sender, once `MAIL FROM` was accepted.
    mail_from: Option<String>,
    /// Accepted recipients: (address, account id).
    rcpt: Vec<(String, String)>,
    errors: u32,
}

/// Runs one session; `busy` is the 421 to send instead when the server or this client has its most.
pub(super) async fn run(
    stream: TcpStream,
    peer: SocketAddr,
    state: &AppState,
    config: &SmtpConfig,
    busy: Option<&str>,
) {
    let mut stream = stream;
    if let Some(busy) = busy {
        let _ = stream.write_all(busy.as_bytes()).await;
        return;
    }
    let mut session = Session {
        state,
        config,
        peer,
        tls: false,
        helo: None,
        mail_from: None,
        rcpt: Vec::new(),
        errors: 0,
    };
    if stream.write_all(session.greeting().as_bytes()).await.is_err() {
        return;
    }
    let plain = match session.converse(stream).await {
        End::Closed => return,
        End::StartTls(plain) => plain,
    };
    let Some(acceptor) = &config.tls else { return };
    let tls = match tokio::time::timeout(READ_TIMEOUT, acceptor.accept(plain)).await {
        Ok(Ok(tls)) => tls,
        Ok(Err(err)) => {
            log::info("smtp_tls_failed", &[("detail", err.to_string().as_str().into())]);
            return;
        }
        Err(_) => return,
    };
    // RFC 3207: after the handshake the session starts over (no HELO, no envelope).
    session.tls = true;
    session.helo = None;
    session.reset();
    let _ = session.converse(tls).await;
}

impl Session<'_> {
    fn hostname(&self) -> &str {
        self.state.mail_domain.as_ref().map_or("latchkey", |d| d.as_str())
    }

    fn greeting(&self) -> String {
        format!("220 {} ESMTP Latchkey\r\n", self.hostname())
    }

    fn reset(&mut self) {
        self.mail_from = None;
        self.rcpt.clear();
    }

    /// Reads commands and data from `stream` until the session ends or asks for TLS.
    async fn converse<S: AsyncRead + AsyncWrite + Unpin>(&mut self, mut stream: S) -> End<S> {
        let mut commands = RequestReceiver::default();
        let mut data: Option<(DataReceiver, Vec<u8>)> = None;
        let mut chunk = vec![0u8; 16 * 1024];
        loop {
            let n = match tokio::time::timeout(READ_TIMEOUT, stream.read(&mut chunk)).await {
                Ok(Ok(0)) | Ok(Err(_)) => return End::Closed,
                Ok(Ok(n)) => n,
                Err(_) => {
                    let _ = stream.write_all(b"421 4.4.2 Idle too long, closing\r\n").await;
                    return End::Closed;
                }
            };
            let mut bytes = chunk[..n].iter();
            let mut out = Vec::new();
            loop {
                if let Some((receiver, message)) = &mut data {
                    let done = receiver.ingest(&mut bytes, message);
                    if message.len() > self.config.max_bytes {
                        // The hard cut: no more bytes are read for this message.
                        out.extend_from_slice(
                            format!(
                                "552 5.3.4 Message larger than {} bytes, refused; closing\r\n",
                                self.config.max_bytes
                            )
                            .as_bytes(),
                        );
                        let _ = stream.write_all(&out).await;
                        log::info("smtp_oversize", &[("peer", self.peer.ip().to_string().as_str().into())]);
                        return End::Closed;
                    }
                    if !done {
                        break;
                    }
                    let (_, message) = data.take().expect("in data");
                    let reply = self.deliver(message).await;
                    out.extend_from_slice(reply.as_bytes());
                    continue;
                }
                let request = match commands.ingest(&mut bytes) {
                    Ok(request) => request.into_owned(),
                    Err(ProtoError::NeedsMoreData { .. }) => break,
                    Err(err) => {
                        out.extend_from_slice(self.refuse(proto_error(&err)).as_bytes());
                        if self.errors >= MAX_ERRORS {
                            out.extend_from_slice(b"421 4.7.0 Too many errors, closing\r\n");
                            let _ = stream.write_all(&out).await;
                            return End::Closed;
                        }
                        continue;
                    }
                };
                match self.command(request) {
                    Step::Reply(reply) => out.extend_from_slice(reply.as_bytes()),
                    Step::Refuse(reply) => out.extend_from_slice(self.refuse(reply).as_bytes()),
                    Step::Rcpt(path) => {
                        let reply = self.recipient(&path).await;
                        if reply.starts_with('2') {
                            out.extend_from_slice(reply.as_bytes());
                        } else {
                            // A refused recipient is a mistake like any other: probing addresses
                            // one RCPT after another ends the session too.
                            out.extend_from_slice(self.refuse(reply).as_bytes());
                        }
                    }
                    Step::Data => {
                        out.extend_from_slice(b"354 Start mail input; end with <CRLF>.<CRLF>\r\n");
                        data = Some((DataReceiver::new(), Vec::new()));
                    }
                    Step::Quit => {
                        out.extend_from_slice(b"221 2.0.0 Bye\r\n");
                        let _ = stream.write_all(&out).await;
                        let _ = stream.shutdown().await;
                        return End::Closed;
                    }
                    Step::StartTls => {
                        out.extend_from_slice(b"220 2.0.0 Ready to start TLS\r\n");
                        if stream.write_all(&out).await.is_err() || stream.flush().await.is_err() {
                            return End::Closed;
                        }
                        // Whatever the client pipelined after STARTTLS is dropped, never read as
                        // commands inside TLS (the STARTTLS command injection attack).
                        return End::StartTls(stream);
                    }
                }
                if self.errors >= MAX_ERRORS {
                    out.extend_from_slice(b"421 4.7.0 Too many errors, closing\r\n");
                    let _ = stream.write_all(&out).await;
                    return End::Closed;
                }
            }
            if !out.is_empty() && (stream.write_all(&out).await.is_err() || stream.flush().await.is_err()) {
                return End::Closed;
            }
        }
    }

    fn refuse(&mut self, reply: String) -> String {
        self.errors += 1;
        reply
    }

    fn command(&mut self, request: Request<String>) -> Step {
        match request {
            Request::Ehlo { host } => {
                self.helo = Some(host);
                self.reset();
                let mut ehlo = EhloResponse::new(self.hostname().to_string());
                ehlo.capabilities = smtp_proto::EXT_SIZE
                    | smtp_proto::EXT_8BIT_MIME
                    | smtp_proto::EXT_PIPELINING
                    | smtp_proto::EXT_ENHANCED_STATUS_CODES;
                if self.config.tls.is_some() && !self.tls {
                    ehlo.capabilities |= smtp_proto::EXT_START_TLS;
                }
                ehlo.size = self.config.max_bytes;
                let mut out = Vec::new();
                let _ = ehlo.write(&mut out);
                Step::Reply(String::from_utf8_lossy(&out).into_owned())
            }
            Request::Helo { host } | Request::Lhlo { host } => {
                self.helo = Some(host);
                self.reset();
                Step::Reply(format!("250 {}\r\n", self.hostname()))
            }
            Request::StartTls if self.tls => Step::Refuse("503 5.5.1 TLS is already active\r\n".into()),
            Request::StartTls if self.config.tls.is_none() => {
                Step::Refuse("502 5.5.1 STARTTLS is not offered here\r\n".into())
            }
            Request::StartTls => Step::StartTls,
            Request::Mail { .. } if self.helo.is_none() => Step::Refuse("503 5.5.1 Say EHLO first\r\n".into()),
            Request::Mail { .. } if self.mail_from.is_some() => {
                Step::Refuse("503 5.5.1 A transaction is already open (RSET first)\r\n".into())
            }
            Request::Mail { from } => {
                if from.size > self.config.max_bytes {
                    return Step::Refuse(format!(
                        "552 5.3.4 Message size exceeds the limit of {} bytes\r\n",
                        self.config.max_bytes
                    ));
                }
                if from.address.len() > 254 || from.address.chars().any(char::is_control) {
                    return Step::Refuse("553 5.1.7 Bad sender address\r\n".into());
                }
                self.mail_from = Some(from.address);
                Step::Reply("250 2.1.0 OK\r\n".into())
            }
            Request::Rcpt { .. } if self.mail_from.is_none() => Step::Refuse("503 5.5.1 MAIL FROM first\r\n".into()),
            Request::Rcpt { .. } if self.rcpt.len() >= MAX_RECIPIENTS => {
                Step::Reply("452 4.5.3 Too many recipients, send the rest in another transaction\r\n".into())
            }
            Request::Rcpt { to } => Step::Rcpt(to.address),
            Request::Data if self.mail_from.is_none() => Step::Refuse("503 5.5.1 MAIL FROM first\r\n".into()),
            Request::Data if self.rcpt.is_empty() => Step::Refuse("554 5.5.1 No valid recipients\r\n".into()),
            Request::Data => Step::Data,
            Request::Rset => {
                self.reset();
                Step::Reply("250 2.0.0 OK\r\n".into())
            }
            Request::Noop { .. } => Step::Reply("250 2.0.0 OK\r\n".into()),
            Request::Quit => Step::Quit,
            Request::Help { .. } => Step::Reply("214 2.0.0 See RFC 5321\r\n".into()),
            // VRFY would tell which addresses exist; AUTH, BDAT, ETRN and the rest are not offered.
            Request::Vrfy { .. } => Step::Reply("252 2.5.2 Cannot verify, send the message\r\n".into()),
            other => Step::Refuse(format!("502 5.5.1 {} is not implemented\r\n", other.name())),
        }
    }

    /// `RCPT TO`: a live managed address of this server, or refused. Unknown and released
    /// addresses get the same answer (the difference is nobody's business).
    async fn recipient(&mut self, path: &str) -> String {
        match mail_intake::lookup(self.state, path).await {
            Ok(Lookup::Held { address, account_id }) => {
                if !self.rcpt.iter().any(|(a, _)| *a == address) {
                    self.rcpt.push((address, account_id));
                }
                "250 2.1.5 OK\r\n".into()
            }
            Ok(Lookup::NoDomain) => "550 5.7.1 This server receives no mail (it has no --mail-domain)\r\n".into(),
            Ok(Lookup::Foreign) => "550 5.7.1 Relaying denied: not a domain of this server\r\n".into(),
            Ok(Lookup::Malformed) => "501 5.1.3 Bad recipient address syntax\r\n".into(),
            Ok(Lookup::NoMailbox) => "550 5.1.1 No such mailbox here\r\n".into(),
            Err(err) => {
                log::warn("smtp_lookup_failed", &[("detail", err.to_string().as_str().into())]);
                "451 4.3.0 Temporary failure, try again later\r\n".into()
            }
        }
    }

    /// The end of `DATA`: verify the sender (bounded in time, never a gate), seal the message to
    /// each recipient account's inbox key, store all copies in one transaction, and only then
    /// answer 250.
    async fn deliver(&mut self, message: Vec<u8>) -> String {
        let from = self.mail_from.take().unwrap_or_default();
        let rcpt = std::mem::take(&mut self.rcpt);
        let ids = rcpt.iter().map(|_| crate::db::new_id()).collect();
        let connection = Connection {
            peer: self.peer,
            helo: self.helo.as_deref().unwrap_or_default(),
            mail_from: &from,
        };
        let auth = mail_intake::verify(self.state, &message, Arrival::Smtp(connection)).await;
        let stored = mail_intake::store(
            self.state,
            Incoming {
                provider: SMTP_PROVIDER,
                from: &from,
                recipients: &rcpt,
                raw: &message,
                ids,
                tls: self.tls,
                auth,
            },
        )
        .await;
        match stored {
            Ok(0) => "554 5.1.1 No recipient can take this message any more\r\n".into(),
            Ok(_) => "250 2.0.0 Stored\r\n".into(),
            Err(()) => "451 4.3.0 Temporary failure, try again later\r\n".into(),
        }
    }
}

/// What a command asks of the session loop.
enum Step {
    Reply(String),
    /// A refusal (counted toward [`MAX_ERRORS`]).
    Refuse(String),
    Rcpt(String),
    Data,
    Quit,
    StartTls,
}

fn proto_error(err: &ProtoError) -> String {
    let text: Cow<'_, str> = match err {
        ProtoError::UnknownCommand => "500 5.5.2 Command not recognized".into(),
        ProtoError::InvalidSenderAddress => "501 5.1.7 Bad sender address syntax".into(),
        ProtoError::InvalidRecipientAddress => "501 5.1.3 Bad recipient address syntax".into(),
        ProtoError::SyntaxError { syntax } => format!("501 5.5.4 Syntax: {syntax}").into(),
        ProtoError::InvalidParameter { param } => format!("501 5.5.4 Bad parameter {param}").into(),
        ProtoError::UnsupportedParameter { .. } => "504 5.5.4 Parameter not supported".into(),
        ProtoError::ResponseTooLong => "500 5.5.2 Line too long".into(),
        ProtoError::NeedsMoreData { .. } | ProtoError::InvalidResponse { .. } => "500 5.5.2 Syntax error".into(),
    };
    format!("{text}\r\n")
}
