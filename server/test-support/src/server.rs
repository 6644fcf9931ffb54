//! The one launcher: `latchkey serve` as a child process on a free loopback port (killed when
//! dropped, or with SIGKILL on demand and restarted on the same data and port), and the one runner
//! for the other command lines (`latchkey totp`, `sms-code`, a `serve` that must stop at start).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use super::client::Api;

/// A binary of the `latchkey` package, as Cargo built it for the test or bench running now: tests
/// and benches run from `target/PROFILE/deps/`, the package's binaries sit in `target/PROFILE/`
/// (Cargo builds them before it runs a package's tests and benches).
pub fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    let mut dir = exe.parent().expect("a directory").to_path_buf();
    if dir.ends_with("deps") {
        dir.pop();
    }
    let path = dir.join(name);
    assert!(path.is_file(), "{} was not built", path.display());
    path
}

/// The `latchkey` binary under test.
pub fn latchkey_bin() -> PathBuf {
    binary("latchkey")
}

/// The `latchkey-demo` binary (the demo app, a fixture).
pub fn demo_bin() -> PathBuf {
    binary("latchkey-demo")
}

/// Which program a [`Server`] runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Program {
    /// `latchkey serve`
    Serve,
    /// `latchkey-demo` (its `--server` and other flags are in `extra`)
    Demo,
}

/// A running server (`latchkey serve`, or the demo app next to one). Its data directory belongs to
/// the caller (so it survives restarts).
pub struct Server {
    program: Program,
    child: Option<Child>,
    pub port: u16,
    pub url: String,
    /// The SMTP listener's port (`latchkey serve` gets `--smtp-listen 127.0.0.1:0` unless the test
    /// gives `--smtp-listen`); none when it is off, or for the demo app.
    pub smtp_port: Option<u16>,
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
        Self::launch(Program::Serve, data_dir, extra, envs)
    }

    /// Starts `latchkey-demo --addr 127.0.0.1:0 --data-dir DATA --server URL` next to `server` (on
    /// its data, which `serve --demo` seeded), with `envs` (the webhook token it signs texts with).
    pub fn start_demo(server: &Server, envs: &[(&str, &str)]) -> Server {
        Self::start_demo_with(server, &[], envs)
    }

    /// [`Server::start_demo`] with more of the demo app's options (`--smtp-relay IP:PORT`).
    pub fn start_demo_with(server: &Server, extra: &[&str], envs: &[(&str, &str)]) -> Server {
        let mut args = vec!["--server", server.url.as_str()];
        args.extend_from_slice(extra);
        Self::launch(Program::Demo, &server.data_dir, &args, envs)
    }

    fn launch(program: Program, data_dir: &Path, extra: &[&str], envs: &[(&str, &str)]) -> Server {
        let mut server = Server {
            program,
            child: None,
            port: 0,
            url: String::new(),
            smtp_port: None,
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
        let (mut command, banner) = match self.program {
            Program::Serve => {
                let mut command = Command::new(latchkey_bin());
                command.arg("serve");
                (command, "latchkey: listening on ")
            }
            Program::Demo => (Command::new(demo_bin()), "latchkey-demo: listening on "),
        };
        for name in OWN_ENV {
            command.env_remove(name);
        }
        command
            .args(["--addr", addr, "--data-dir"])
            .arg(&self.data_dir)
            .args(&self.extra);
        // A free port for the SMTP listener (not the default 2525, which parallel tests would
        // share), the same one again after a restart.
        let own_smtp = self.program == Program::Serve && !self.extra.iter().any(|a| a == "--smtp-listen");
        if own_smtp {
            command.args(["--smtp-listen", &format!("127.0.0.1:{}", self.smtp_port.unwrap_or(0))]);
        }
        // Sender verification would ask the system's DNS about every test sender's domain: tests
        // that are not about it turn it off; those that are give --dns-server (test support's
        // DnsServer) or --mail-auth.
        let own_auth =
            self.program == Program::Serve && !self.extra.iter().any(|a| a == "--mail-auth" || a == "--dns-server");
        if own_auth {
            command.args(["--mail-auth", "off"]);
        }
        let smtp_on =
            self.program == Program::Serve && !self.extra.windows(2).any(|w| w[0] == "--smtp-listen" && w[1] == "off");
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in &self.envs {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("start the server");
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
        let Some(url) = first.trim().strip_prefix(banner) else {
            let _ = child.kill();
            let _ = child.wait();
            std::thread::sleep(Duration::from_millis(100));
            panic!("the server did not start: {first:?}\n{}", self.stderr());
        };
        self.url = url.to_string();
        self.port = url.rsplit(':').next().unwrap().parse().unwrap();
        if smtp_on {
            let mut second = String::new();
            stdout.read_line(&mut second).unwrap();
            let smtp = second
                .trim()
                .strip_prefix("latchkey: smtp on ")
                .unwrap_or_else(|| panic!("no SMTP line after the banner: {second:?}"));
            self.smtp_port = Some(smtp.rsplit(':').next().unwrap().parse().unwrap());
        }
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

    /// The first structured log line that `wanted` accepts, waiting a few seconds for it (the log
    /// is read by another thread, and some lines are written after the reply is sent).
    pub async fn log_event(&self, wanted: impl Fn(&Value) -> bool) -> Option<Value> {
        for _ in 0..250 {
            if let Some(event) = self.log_events().into_iter().find(|e| wanted(e)) {
                return Some(event);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        None
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
    /// (Within 10 seconds, or the test fails.)
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().expect("running");
        let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            assert!(std::time::Instant::now() < deadline, "still running 10 s after SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn api(&self) -> Api {
        Api::new(&self.url)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// The environment variables `latchkey` reads: removed from every child, then set as a test says,
/// so what the test runner's own environment holds never changes a test.
const OWN_ENV: &[&str] = &[
    "LATCHKEY_SERVER_KEY",
    "LATCHKEY_TWILIO_AUTH_TOKEN",
    "LATCHKEY_SMTP_USERNAME",
    "LATCHKEY_SMTP_PASSWORD",
    "LATCHKEY_MAILGUN_SIGNING_KEY",
];

/// Runs `latchkey ARGS` to the end, with `env` added and `stdin` as its standard input.
pub fn latchkey_with(args: &[&str], env: &[(&str, &str)], stdin: &[u8]) -> Output {
    let mut command = Command::new(latchkey_bin());
    for name in OWN_ENV {
        command.env_remove(name);
    }
    let mut child = command
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run latchkey");
    let mut input = child.stdin.take().unwrap();
    // A command that does not read its input closes the pipe early: that is not our failure.
    let _ = input.write_all(stdin);
    drop(input);
    child.wait_with_output().unwrap()
}

/// Runs `latchkey ARGS` with nothing on standard input.
pub fn latchkey(args: &[&str]) -> Output {
    latchkey_with(args, &[], b"")
}

/// `latchkey serve --addr 127.0.0.1:0 --data-dir DATA EXTRA…` expected to stop at start (a refused
/// configuration): its output once it has exited.
pub fn serve_refused(data_dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Output {
    let data = data_dir.to_str().unwrap();
    let mut line = vec!["serve", "--addr", "127.0.0.1:0", "--data-dir", data];
    line.extend_from_slice(extra);
    latchkey_with(&line, env, b"")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts that a command was refused as the command line refuses: exit status `code`, one line on
/// stderr starting `latchkey: ` and containing `says`, nothing on stdout.
#[track_caller]
pub fn refused(out: &Output, code: i32, says: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert_eq!(err.lines().count(), 1, "not one line: {err:?}");
    assert!(
        err.starts_with("latchkey: ") && err.contains(says),
        "{err:?} lacks {says:?}"
    );
    assert!(out.stdout.is_empty(), "printed to stdout: {}", stdout(out));
}
