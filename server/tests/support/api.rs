//! The workspace server under test: `latchkey serve` as a child process on a free loopback port
//! (killed when dropped, or with SIGKILL on demand and restarted on the same data and port), a JSON
//! client over real HTTP, and seeding through the same database the server uses.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

use latchkey::db::{Db, Target, User, UserStatus};
use latchkey::domain::Role;

/// A running server. Its data directory belongs to the caller (so it survives restarts).
pub struct Server {
    child: Option<Child>,
    pub port: u16,
    pub url: String,
    data_dir: PathBuf,
    extra: Vec<String>,
    envs: Vec<(String, String)>,
    stderr: Arc<Mutex<String>>,
    stdout: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `latchkey serve --addr 127.0.0.1:0 --data-dir DATA EXTRA…`.
    pub fn start(data_dir: &Path, extra: &[&str]) -> Server {
        Self::start_with_env(data_dir, extra, &[])
    }

    pub fn start_with_env(data_dir: &Path, extra: &[&str], envs: &[(&str, &str)]) -> Server {
        let mut server = Server {
            child: None,
            port: 0,
            url: String::new(),
            data_dir: data_dir.to_path_buf(),
            extra: extra.iter().map(|s| s.to_string()).collect(),
            envs: envs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            stderr: Arc::new(Mutex::new(String::new())),
            stdout: Arc::new(Mutex::new(String::new())),
        };
        server.spawn("127.0.0.1:0");
        server
    }

    fn spawn(&mut self, addr: &str) {
        let mut command = Command::new(env!("CARGO_BIN_EXE_latchkey"));
        command
            .args(["serve", "--addr", addr, "--data-dir"])
            .arg(&self.data_dir)
            .args(&self.extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in &self.envs {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("start latchkey serve");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let sink = Arc::clone(&self.stderr);
        let mut pipe = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        let Some(url) = first.trim().strip_prefix("latchkey: listening on ") else {
            let _ = child.kill();
            let _ = child.wait();
            std::thread::sleep(Duration::from_millis(100));
            panic!("the server did not start: {first:?}\n{}", self.stderr());
        };
        self.url = url.to_string();
        self.port = url.rsplit(':').next().unwrap().parse().unwrap();
        // Keep draining stdout (the console: demo instructions, dev-outbox codes) so the server never
        // blocks on a full pipe.
        let console = Arc::clone(&self.stdout);
        std::thread::spawn(move || {
            let mut line = String::new();
            while stdout.read_line(&mut line).is_ok_and(|n| n > 0) {
                console.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        self.child = Some(child);
    }

    /// Everything the server wrote to stderr so far (its JSON log lines and start-up messages).
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Everything after the first line the server printed on stdout (its console).
    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    /// Whether stderr shows `needle` within a few seconds (it is read by another thread, so a line
    /// written just before a reply may lag behind it under load).
    pub async fn logged(&self, needle: &str) -> bool {
        for _ in 0..250 {
            if self.stderr().contains(needle) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }

    /// The structured log lines, parsed.
    pub fn log_events(&self) -> Vec<Value> {
        self.stderr()
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    }

    /// SIGKILL: no shutdown, no flushing; what was acknowledged must already be durable.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts again on the same port and data.
    pub fn restart(&mut self) {
        self.kill9();
        let addr = format!("127.0.0.1:{}", self.port);
        for attempt in 0.. {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.spawn(&addr)));
            match result {
                Ok(()) => return,
                Err(_) if attempt < 20 => std::thread::sleep(Duration::from_millis(100)),
                Err(e) => std::panic::resume_unwind(e),
            }
        }
    }

    /// SIGTERM, then waits for a clean exit; returns the exit status.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().expect("running");
        let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
        child.wait().unwrap()
    }

    pub fn api(&self) -> Api {
        Api::new(&self.url)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// One HTTP reply: status and JSON body (`Value::Null` when the body is empty or not JSON).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub text: String,
    pub headers: hyper::HeaderMap,
}

impl Reply {
    /// The error code of a JSON error, or "" when the reply is not one.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    /// Asserts the status, printing the body when it differs.
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Value {
        assert_eq!(self.status, status, "unexpected reply: {}", self.text);
        &self.body
    }

    /// Asserts an error status and code.
    #[track_caller]
    pub fn expect_error(&self, status: u16, code: &str) {
        assert_eq!(
            (self.status, self.code()),
            (status, code),
            "unexpected reply: {}",
            self.text
        );
        assert!(
            !self.body["error"]["message"].as_str().unwrap_or("").is_empty(),
            "errors carry a message: {}",
            self.text
        );
    }
}

/// A JSON client for one server, optionally as one device (its bearer token), from a chosen
/// loopback address and with a chosen `User-Agent`.
#[derive(Clone)]
pub struct Api {
    client: Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
    pub base: String,
    pub token: Option<String>,
    pub user_agent: Option<String>,
}

impl Api {
    pub fn new(base: &str) -> Api {
        Api {
            client: Client::builder(TokioExecutor::new()).build_http(),
            base: base.trim_end_matches('/').to_string(),
            token: None,
            user_agent: None,
        }
    }

    /// The same client, connecting from `ip` (all of 127/8 is loopback on Linux, so 127.0.0.2,
    /// 127.0.0.3… are distinct client addresses to the server).
    pub fn at_addr(&self, ip: &str) -> Api {
        let mut connector = hyper_util::client::legacy::connect::HttpConnector::new();
        connector.set_local_address(Some(ip.parse().expect("an IP address")));
        Api {
            client: Client::builder(TokioExecutor::new()).build(connector),
            ..self.clone()
        }
    }

    /// The same client, sending `User-Agent: ua`.
    pub fn with_user_agent(&self, ua: &str) -> Api {
        Api {
            user_agent: Some(ua.to_string()),
            ..self.clone()
        }
    }

    /// The same client, as the device holding `token`.
    pub fn as_device(&self, token: &str) -> Api {
        Api {
            token: Some(token.to_string()),
            ..self.clone()
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send("GET", path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send("POST", path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send("PUT", path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send("PATCH", path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send("DELETE", path, None).await
    }

    pub async fn send(&self, method: &str, path: &str, body: Option<Value>) -> Reply {
        let bytes = body.map(|b| serde_json::to_vec(&b).unwrap());
        let content_type = bytes.as_ref().map(|_| "application/json");
        self.raw(method, path, content_type, bytes.unwrap_or_default(), &[])
            .await
    }

    /// Any request: for form posts (webhooks), odd content types and oversized bodies.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = hyper::Request::builder()
            .method(method)
            .uri(format!("{}{}", self.base, path));
        if let Some(ct) = content_type {
            request = request.header("content-type", ct);
        }
        if let Some(token) = &self.token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if let Some(ua) = &self.user_agent {
            request = request.header("user-agent", ua);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = self
            .client
            .request(request.body(Full::new(Bytes::from(body))).unwrap())
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        Reply {
            status,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            text,
            headers,
        }
    }
}

/// The database of a server started on `data_dir` (SQLite), opened beside it for seeding and checks.
pub async fn open_db(data_dir: &Path) -> Db {
    Db::open(&Target::in_data_dir(data_dir), now()).await.unwrap()
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A user with an approved device, made directly in the database (for tests of routes that are
/// not about the trust flow): returns the user and the device's bearer token.
pub async fn trusted_user(db: &Db, workspace_id: &str, email: &str, role: Role) -> (User, String) {
    let user = db
        .create_user(
            workspace_id,
            email,
            email.split('@').next().unwrap(),
            role,
            UserStatus::Active,
            now(),
        )
        .await
        .unwrap();
    let token = trusted_device(db, &user, "Test device").await;
    (user, token)
}

/// Another approved device for `user`; returns its token.
pub async fn trusted_device(db: &Db, user: &User, name: &str) -> String {
    let mut keys = [0u8; 64];
    getrandom::fill(&mut keys).unwrap();
    let device = db.register_device(&user.id, name, &keys, now()).await.unwrap();
    db.approve_device_self(&device.id, b"test user key envelope")
        .await
        .unwrap();
    db.issue_device_token(&device.id, now()).await.unwrap()
}
