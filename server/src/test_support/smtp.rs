//! A minimal SMTP receiver (RFC 5321's EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT) on
//! 127.0.0.1 that keeps every message it accepts, for tests that send real e-mail.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

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
}

impl SmtpServer {
    /// The relay's URL, as `latchkey serve --smtp-url` takes it.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = received.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, store.clone()));
            }
        });
        SmtpServer { port, received }
    }
}

async fn session(stream: TcpStream, store: Arc<Mutex<Vec<Received>>>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let mut current = Received::default();
    write.write_all(b"220 smtp.test ESMTP ready\r\n").await?;
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end_matches(['\r', '\n']);
        let upper = command.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO ") {
            current.client_name = command[5..].to_string();
            b"250-smtp.test\r\n250-8BITMIME\r\n250 SIZE 1048576\r\n"
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
                write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
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
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            b"502 command not implemented\r\n"
        };
        write.write_all(reply).await?;
    }
}

/// The address of `MAIL FROM:<a> BODY=8BITMIME`, without the parameters.
fn first_word(args: &str) -> String {
    args.split_whitespace().next().unwrap_or("").to_string()
}
