//! The demo app over real HTTP on loopback: `latchkey serve --addr 127.0.0.1:0`, driven by a tiny
//! HTTP/1.1 client with a cookie jar, as a browser would (without the JavaScript).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use latchkey_core::otp::Otp;

// ---------------------------------------------------------------------------------------------
// The server under test

/// A running `latchkey serve`, killed when dropped (also when a test panics).
struct Server {
    child: Child,
    port: u16,
    stderr: Arc<Mutex<String>>,
    stderr_reader: Option<JoinHandle<()>>,
    data_dir: std::path::PathBuf,
}

impl Server {
    fn start() -> Server {
        // A data directory of its own (the server creates it), removed when the server is dropped.
        static STARTED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let data_dir = std::env::temp_dir().join(format!(
            "latchkey-demo-test-{}-{}",
            std::process::id(),
            STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let mut child = Command::new(env!("CARGO_BIN_EXE_latchkey"))
            .args(["serve", "--demo", "--addr", "127.0.0.1:0", "--data-dir"])
            .arg(&data_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start latchkey serve");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&stderr);
        let mut pipe = child.stderr.take().unwrap();
        let stderr_reader = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            sink.lock().unwrap().push_str(&text);
        });
        let mut server = Server {
            child,
            port: 0,
            stderr,
            stderr_reader: Some(stderr_reader),
            data_dir,
        };

        let (mut first, mut second) = (String::new(), String::new());
        stdout.read_line(&mut first).unwrap();
        stdout.read_line(&mut second).unwrap();
        let addr = first
            .trim()
            .strip_prefix("latchkey: listening on http://")
            .unwrap_or_else(|| panic!("first line: {first:?}"));
        server.port = addr.rsplit_once(':').unwrap().1.parse().unwrap();
        assert!(
            second
                .trim()
                .ends_with(&format!("http://demo.localhost:{}/demo/", server.port)),
            "second line: {second:?}"
        );
        server
    }

    fn client(&self) -> Client {
        Client {
            port: self.port,
            cookies: HashMap::new(),
        }
    }

    /// Stops the server and returns everything it logged.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(reader) = self.stderr_reader.take() {
            let _ = reader.join();
        }
        let log = self.stderr.lock().unwrap().clone();
        log
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

// ---------------------------------------------------------------------------------------------
// A minimal HTTP/1.1 client

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn location(&self) -> &str {
        self.header("location")
            .unwrap_or_else(|| panic!("no Location on a {} reply:\n{}", self.status, self.body))
    }

    /// Asserts a 303 to `to`.
    fn redirects_to(&self, to: &str) -> &Self {
        assert_eq!((self.status, self.location()), (303, to), "{}", self.body);
        self
    }
}

struct Client {
    port: u16,
    cookies: HashMap<String, String>,
}

impl Client {
    fn get(&mut self, path: &str) -> Reply {
        self.request("GET", path, None)
    }

    fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.request("POST", path, Some(body))
    }

    fn request(&mut self, method: &str, path: &str, body: Option<String>) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: demo.localhost:{}\r\nConnection: close\r\n",
            self.port
        );
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            head.push_str(&format!("Cookie: {}\r\n", jar.join("; ")));
        }
        let body = body.unwrap_or_default();
        if method == "POST" {
            head.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        stream.write_all(format!("{head}\r\n{body}").as_bytes()).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let reply = parse_reply(&raw);
        for (_, value) in reply
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
        {
            let (name, value) = value.split(';').next().unwrap().split_once('=').unwrap();
            self.cookies.insert(name.to_string(), value.to_string());
        }
        reply
    }

    /// The CSRF token of the form on the page at `path`.
    fn csrf(&mut self, path: &str) -> String {
        let page = self.get(path);
        assert_eq!(page.status, 200, "GET {path}: {}", page.body);
        csrf_of(&page.body)
    }
}

fn parse_reply(raw: &[u8]) -> Reply {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body: String::from_utf8(body).expect("UTF-8 body"),
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 4 + size..];
    }
}

fn form_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Scraping and codes

/// The text between `start` and the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("{start:?} not in:\n{html}")) + start.len();
    &html[from..from + html[from..].find(end).unwrap()]
}

fn csrf_of(html: &str) -> String {
    between(html, "name=\"csrf\" value=\"", "\"").to_string()
}

/// The text content of the element with `id` (tags stripped).
fn text_of(html: &str, id: &str) -> String {
    let inner = between(html, &format!("id=\"{id}\""), "</p>");
    let inner = &inner[inner.find('>').unwrap() + 1..];
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// A code the server must refuse: none of the three it accepts around now.
fn wrong_code(otp: &Otp) -> String {
    let t = now();
    let near: Vec<String> = (0..5)
        .map(|i| otp.code_at(t + i * 30).to_string())
        .chain([otp.code_at(t - 30)])
        .collect();
    ["000000", "111111", "222222", "333333", "444444", "555555", "666666"]
        .into_iter()
        .find(|c| !near.iter().any(|n| n == c))
        .unwrap()
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Flows

const PASSWORD: &str = "correct horse battery staple";

fn sign_up(client: &mut Client, email: &str) {
    let csrf = client.csrf("/demo/signup");
    client
        .post(
            "/demo/signup",
            &[("csrf", &csrf), ("email", email), ("password", PASSWORD)],
        )
        .redirects_to("/demo/account");
}

/// Turns two-factor on from the account page; returns the entry an authenticator would store.
fn turn_on_two_factor(client: &mut Client) -> Otp {
    let page = client.get("/demo/account/2fa");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page
        .body
        .contains("Add this key to your authenticator app, then enter the 6-digit code it shows."));
    let otp = Otp::parse(&unescape(between(&page.body, "<code id=\"otpauth-uri\">", "</code>"))).unwrap();
    let csrf = csrf_of(&page.body);
    client
        .post("/demo/account/2fa", &[("csrf", &csrf), ("code", &otp.code_at(now()))])
        .redirects_to("/demo/account");
    otp
}

fn sign_out(client: &mut Client) {
    let csrf = client.csrf("/demo/account");
    client
        .post("/demo/logout", &[("csrf", &csrf)])
        .redirects_to("/demo/login");
}

/// Signs in with the password of a user with two-factor on: lands on the code step.
fn password_step(client: &mut Client, email: &str) {
    let csrf = client.csrf("/demo/login");
    client
        .post(
            "/demo/login",
            &[("csrf", &csrf), ("email", email), ("password", PASSWORD)],
        )
        .redirects_to("/demo/login/verify");
}

#[test]
fn sign_up_turn_on_two_factor_and_sign_in_with_codes() {
    let server = Server::start();
    let mut c = server.client();
    assert_eq!(c.get("/healthz").body, "ok");
    assert!(c.get("/").body.contains("href=\"/demo/\""));

    // Sign up: signed in at once, two-factor off.
    let signup = c.get("/demo/signup").body;
    assert!(signup.contains(r#"name="email" type="email" autocomplete="username""#));
    assert!(signup.contains(r#"name="password" type="password" autocomplete="new-password""#));
    sign_up(&mut c, "alice@example.com");
    let account = c.get("/demo/account").body;
    assert!(account.contains("<h1>Welcome, alice@example.com</h1>"));
    assert_eq!(text_of(&account, "twofa-status"), "Two-factor authentication: Off");
    assert!(account.contains("href=\"/demo/account/2fa\""));

    // Setup: the key is 160 bits, shown in groups of four, and survives a reload.
    let page = c.get("/demo/account/2fa").body;
    let secret = between(&page, "<code id=\"secret\">", "</code>").to_string();
    assert_eq!(
        secret.split(' ').map(str::len).collect::<Vec<_>>(),
        vec![4; 8],
        "{secret}"
    );
    assert_eq!(
        between(&c.get("/demo/account/2fa").body, "<code id=\"secret\">", "</code>"),
        secret
    );
    let otp = Otp::parse(&unescape(between(&page, "<code id=\"otpauth-uri\">", "</code>"))).unwrap();
    assert_eq!(otp.secret, Otp::parse(&secret).unwrap().secret);
    assert_eq!(
        (otp.issuer.as_deref(), otp.account.as_deref()),
        (Some("Northwind Cloud"), Some("alice@example.com"))
    );
    assert!(page.contains(r#"<input id="code" name="code""#) && page.contains(r#"autocomplete="one-time-code""#));

    // A wrong setup code keeps two-factor off and the same key on the page.
    let csrf = csrf_of(&page);
    let wrong = c.post("/demo/account/2fa", &[("csrf", &csrf), ("code", &wrong_code(&otp))]);
    assert_eq!(wrong.status, 400);
    assert!(wrong.body.contains("didn&#39;t match"), "{}", wrong.body);
    assert_eq!(between(&wrong.body, "<code id=\"secret\">", "</code>"), secret);
    c.post("/demo/account/2fa", &[("csrf", &csrf), ("code", &otp.code_at(now()))])
        .redirects_to("/demo/account");
    assert_eq!(
        text_of(&c.get("/demo/account").body, "twofa-status"),
        "Two-factor authentication: On"
    );

    // Sign out, then the password alone is not enough.
    sign_out(&mut c);
    c.get("/demo/account").redirects_to("/demo/login");
    let login = c.get("/demo/login").body;
    assert!(login.contains(r#"autocomplete="current-password""#));
    let csrf = csrf_of(&login);
    let bad = c.post(
        "/demo/login",
        &[
            ("csrf", &csrf),
            ("email", "alice@example.com"),
            ("password", "wrong password"),
        ],
    );
    assert_eq!(bad.status, 401);
    assert!(bad.body.contains("Incorrect e-mail address or password."));
    let unknown = c.post(
        "/demo/login",
        &[("csrf", &csrf), ("email", "nobody@example.com"), ("password", PASSWORD)],
    );
    assert_eq!(unknown.status, 401);
    assert!(unknown.body.contains("Incorrect e-mail address or password."));
    password_step(&mut c, "Alice@Example.com ");
    c.get("/demo/account").redirects_to("/demo/login");

    // The code step: the right code signs in.
    let verify = c.get("/demo/login/verify").body;
    assert!(verify.contains("<h1>Two-step verification</h1>"));
    assert!(verify.contains("Enter the 6-digit code from your authenticator app."));
    assert!(verify.contains(r#"<label for="otp">Authentication code</label><input id="otp" name="otp" type="text" autocomplete="one-time-code" inputmode="numeric" pattern="[0-9]*" maxlength="6">"#));
    assert!(verify.contains(">Verify</button>"));
    let code = otp.code_at(now());
    c.post("/demo/login/verify", &[("csrf", &csrf_of(&verify)), ("otp", &code)])
        .redirects_to("/demo/account");
    assert!(c
        .get("/demo/account")
        .body
        .contains("<h1>Welcome, alice@example.com</h1>"));

    // The same code again is a replay; a wrong one is refused; both say so.
    sign_out(&mut c);
    password_step(&mut c, "alice@example.com");
    let csrf = c.csrf("/demo/login/verify");
    let replay = c.post("/demo/login/verify", &[("csrf", &csrf), ("otp", &code)]);
    assert_eq!(replay.status, 401);
    assert!(replay.body.contains("already used"), "{}", replay.body);
    let wrong = c.post("/demo/login/verify", &[("csrf", &csrf), ("otp", &wrong_code(&otp))]);
    assert_eq!(wrong.status, 401);
    assert!(
        wrong.body.contains("didn&#39;t work") && wrong.body.contains("3 tries left"),
        "{}",
        wrong.body
    );
    c.get("/demo/account").redirects_to("/demo/login");

    // The segmented widget: six boxes, accepted digit by digit (next step's code: not a replay).
    let segmented = c.get("/demo/login/verify?ui=segmented").body;
    assert!(segmented.contains("<legend>Authentication code</legend>"));
    assert!(segmented.contains(
        r#"<input name="d1" maxlength="1" inputmode="numeric" autocomplete="one-time-code" aria-label="Digit 1 of 6">"#
    ));
    for i in 2..=6 {
        assert!(segmented.contains(&format!(
            r#"<input name="d{i}" maxlength="1" inputmode="numeric" autocomplete="off" aria-label="Digit {i} of 6">"#
        )));
    }
    assert!(segmented.contains("action=\"/demo/login/verify?ui=segmented\""));
    let next = otp.code_at(now() + 30);
    let digits: Vec<String> = next.chars().map(String::from).collect();
    let mut fields = vec![("csrf", csrf_of(&segmented))];
    fields.extend((1..=6).map(|i| (["d1", "d2", "d3", "d4", "d5", "d6"][i - 1], digits[i - 1].clone())));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post("/demo/login/verify?ui=segmented", &fields)
        .redirects_to("/demo/account");
    assert!(c
        .get("/demo/account")
        .body
        .contains("Two-factor authentication: <strong>On</strong>"));

    // Turning two-factor off: the password alone signs in again.
    let csrf = c.csrf("/demo/account");
    c.post("/demo/account/2fa/off", &[("csrf", &csrf)])
        .redirects_to("/demo/account");
    assert_eq!(
        text_of(&c.get("/demo/account").body, "twofa-status"),
        "Two-factor authentication: Off"
    );
    sign_out(&mut c);
    let csrf = c.csrf("/demo/login");
    c.post(
        "/demo/login",
        &[("csrf", &csrf), ("email", "alice@example.com"), ("password", PASSWORD)],
    )
    .redirects_to("/demo/account");

    // Nothing secret reached the log.
    let log = server.stop();
    // The request log is JSON lines: method, path, status, never the form.
    assert!(
        log.contains(r#""method":"POST","path":"/demo/login/verify","status":303"#),
        "{log}"
    );
    for secret_thing in [PASSWORD, &secret.replace(' ', ""), &code, &next, "alice@example.com"] {
        assert!(!log.contains(secret_thing), "the log contains {secret_thing:?}:\n{log}");
    }
}

#[test]
fn five_wrong_codes_send_back_to_sign_in() {
    let server = Server::start();
    let mut c = server.client();
    sign_up(&mut c, "bob@example.com");
    let otp = turn_on_two_factor(&mut c);
    sign_out(&mut c);
    password_step(&mut c, "bob@example.com");
    let csrf = c.csrf("/demo/login/verify");
    let wrong = wrong_code(&otp);
    for left in (1..=4).rev() {
        let reply = c.post("/demo/login/verify", &[("csrf", &csrf), ("otp", &wrong)]);
        assert_eq!(reply.status, 401);
        let expected = if left == 1 {
            "1 try left".to_string()
        } else {
            format!("{left} tries left")
        };
        assert!(reply.body.contains(&expected), "{}", reply.body);
    }
    c.post("/demo/login/verify", &[("csrf", &csrf), ("otp", &wrong)])
        .redirects_to("/demo/login");
    assert!(c
        .get("/demo/login")
        .body
        .contains("Too many incorrect codes. Sign in again."));
    // The right code no longer helps: the sign-in must start over.
    c.get("/demo/login/verify").redirects_to("/demo/login");
    c.post("/demo/login/verify", &[("csrf", &csrf), ("otp", &otp.code_at(now()))])
        .redirects_to("/demo/login");
    c.get("/demo/account").redirects_to("/demo/login");
    // An empty submission costs no try and asks for the code.
    password_step(&mut c, "bob@example.com");
    let csrf = c.csrf("/demo/login/verify");
    let empty = c.post("/demo/login/verify", &[("csrf", &csrf), ("otp", "")]);
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("Enter the 6-digit code"));
}

#[test]
fn forms_without_the_csrf_token_are_refused() {
    let server = Server::start();
    let mut c = server.client();
    let csrf = c.csrf("/demo/signup");
    let fields = [("email", "carol@example.com"), ("password", PASSWORD)];
    assert_eq!(c.post("/demo/signup", &fields).status, 403);
    let forged = c.post(
        "/demo/signup",
        &[("csrf", "0".repeat(64).as_str()), fields[0], fields[1]],
    );
    assert_eq!(forged.status, 403);
    assert!(forged.body.contains("This form has expired"));
    // Another browser (no cookie) cannot use this session's token: login CSRF.
    let mut stranger = server.client();
    assert_eq!(
        stranger
            .post("/demo/signup", &[("csrf", &csrf), fields[0], fields[1]])
            .status,
        403
    );
    // None of those created the account.
    c.post("/demo/signup", &[("csrf", &csrf), fields[0], fields[1]])
        .redirects_to("/demo/account");

    // The same for a signed-in action: no token, no sign-out.
    assert_eq!(c.post("/demo/logout", &[]).status, 403);
    assert_eq!(c.post("/demo/account/2fa/off", &[("csrf", "x")]).status, 403);
    assert_eq!(c.get("/demo/account").status, 200);
}

#[test]
fn html_in_input_is_escaped() {
    let server = Server::start();
    let mut c = server.client();
    let email = "<script>alert(1)</script>@evil.test";
    sign_up(&mut c, email);
    let account = c.get("/demo/account").body;
    assert!(
        account.contains("<h1>Welcome, &lt;script&gt;alert(1)&lt;/script&gt;@evil.test</h1>"),
        "{account}"
    );
    assert!(!account.contains("<script>"), "{account}");
    let setup = c.get("/demo/account/2fa").body;
    assert!(!setup.contains("<script>"));
    let otp = Otp::parse(&unescape(between(&setup, "<code id=\"otpauth-uri\">", "</code>"))).unwrap();
    assert_eq!(otp.account.as_deref(), Some(email));

    // An error page echoes what was typed, escaped inside the value attribute.
    sign_out(&mut c);
    let csrf = c.csrf("/demo/signup");
    let typed = "\"><img src=x onerror=alert(1)>";
    let refused = c.post(
        "/demo/signup",
        &[("csrf", &csrf), ("email", typed), ("password", PASSWORD)],
    );
    assert_eq!(refused.status, 400);
    assert!(
        refused
            .body
            .contains("value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\""),
        "{}",
        refused.body
    );
    assert!(!refused.body.contains("<img"));
}

#[test]
fn sign_up_mistakes_are_explained() {
    let server = Server::start();
    let mut c = server.client();
    let csrf = c.csrf("/demo/signup");
    let short = c.post(
        "/demo/signup",
        &[("csrf", &csrf), ("email", "dan@example.com"), ("password", "short")],
    );
    assert_eq!(short.status, 400);
    assert!(short.body.contains("at least 8 characters"));
    let no_at = c.post(
        "/demo/signup",
        &[("csrf", &csrf), ("email", "dan.example.com"), ("password", PASSWORD)],
    );
    assert!(no_at.body.contains("doesn&#39;t look like an e-mail address"));
    sign_up(&mut c, "dan@example.com");
    sign_out(&mut c);
    let csrf = c.csrf("/demo/signup");
    let taken = c.post(
        "/demo/signup",
        &[("csrf", &csrf), ("email", "DAN@example.com"), ("password", PASSWORD)],
    );
    assert_eq!(taken.status, 409);
    assert!(taken.body.contains("already exists"));
}

#[test]
fn session_cookie_is_http_only_and_pages_are_locked_down() {
    let server = Server::start();
    let mut c = server.client();
    let page = c.get("/demo/login");
    let cookie = page.header("set-cookie").unwrap();
    assert!(
        cookie.starts_with("northwind_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert_eq!(cookie.split(';').next().unwrap().len(), "northwind_session=".len() + 64);
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(page.header("cache-control"), Some("no-store"));
    // A sign-in issues a new session token (no session fixation).
    let before = c.cookies["northwind_session"].clone();
    sign_up(&mut c, "erin@example.com");
    assert_ne!(c.cookies["northwind_session"], before);
    assert_eq!(c.get("/nope").status, 404);
}

#[test]
fn stops_cleanly_on_sigterm() {
    let mut server = Server::start();
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(Instant::now() < deadline, "still running 10 s after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
    let log = server.stop();
    assert!(log.contains(r#""event":"shutting_down""#), "{log}");
    assert!(log.contains(r#""event":"stopped""#), "{log}");
}
