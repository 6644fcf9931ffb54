//! The demo app (`latchkey-demo`, next to `latchkey serve --demo` as `./build.sh run` starts
//! them) over real HTTP on loopback, driven by the tests' browser with its cookie, as a person
//! would (without the JavaScript).

use std::time::{SystemTime, UNIX_EPOCH};

use latchkey_core::otp::Otp;

use crate::support::demo::{csrf_of, Browser, DemoSite, COOKIE};
use crate::support::TempDir;

// ---------------------------------------------------------------------------------------------
// Scraping and codes

/// The text between `start` and the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("{start:?} not in:\n{html}")) + start.len();
    &html[from..from + html[from..].find(end).unwrap()]
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

async fn sign_up(client: &mut Browser, email: &str) {
    let csrf = client.csrf("/demo/signup").await;
    client
        .post(
            "/demo/signup",
            &[("csrf", &csrf), ("email", email), ("password", PASSWORD)],
        )
        .await
        .redirects_to("/demo/account");
}

/// Turns two-factor on from the account page; returns the entry an authenticator would store.
async fn turn_on_two_factor(client: &mut Browser) -> Otp {
    let page = client.get("/demo/account/2fa").await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page
        .text
        .contains("Add this key to your authenticator app, then enter the 6-digit code it shows."));
    let otp = Otp::parse(&unescape(between(&page.text, "<code id=\"otpauth-uri\">", "</code>"))).unwrap();
    let csrf = csrf_of(&page.text);
    client
        .post("/demo/account/2fa", &[("csrf", &csrf), ("code", &otp.code_at(now()))])
        .await
        .redirects_to("/demo/account");
    otp
}

async fn sign_out(client: &mut Browser) {
    let csrf = client.csrf("/demo/account").await;
    client
        .post("/demo/logout", &[("csrf", &csrf)])
        .await
        .redirects_to("/demo/login");
}

/// Signs in with the password of a user with two-factor on: lands on the code step.
async fn password_step(client: &mut Browser, email: &str) {
    let csrf = client.csrf("/demo/login").await;
    client
        .post(
            "/demo/login",
            &[("csrf", &csrf), ("email", email), ("password", PASSWORD)],
        )
        .await
        .redirects_to("/demo/login/verify");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_turn_on_two_factor_and_sign_in_with_codes() {
    let dir = TempDir::new("demo-app");
    let site = DemoSite::start(dir.path());
    let mut c = site.browser();
    assert_eq!(c.get("/healthz").await.text, "ok");
    assert!(c.get("/").await.text.contains("href=\"/demo/\""));

    // Sign up: signed in at once, two-factor off.
    let signup = c.get("/demo/signup").await.text;
    assert!(signup.contains(r#"name="email" type="email" autocomplete="username""#));
    assert!(signup.contains(r#"name="password" type="password" autocomplete="new-password""#));
    sign_up(&mut c, "alice@example.com").await;
    let account = c.get("/demo/account").await.text;
    assert!(account.contains("<h1>Welcome, alice@example.com</h1>"));
    assert_eq!(text_of(&account, "twofa-status"), "Two-factor authentication: Off");
    assert!(account.contains("href=\"/demo/account/2fa\""));

    // Setup: the key is 160 bits, shown in groups of four, and survives a reload.
    let page = c.get("/demo/account/2fa").await.text;
    let secret = between(&page, "<code id=\"secret\">", "</code>").to_string();
    assert_eq!(
        secret.split(' ').map(str::len).collect::<Vec<_>>(),
        vec![4; 8],
        "{secret}"
    );
    assert_eq!(
        between(
            &c.get("/demo/account/2fa").await.text,
            "<code id=\"secret\">",
            "</code>"
        ),
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
    let wrong = c
        .post("/demo/account/2fa", &[("csrf", &csrf), ("code", &wrong_code(&otp))])
        .await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.text.contains("didn&#39;t match"), "{}", wrong.text);
    assert_eq!(between(&wrong.text, "<code id=\"secret\">", "</code>"), secret);
    c.post("/demo/account/2fa", &[("csrf", &csrf), ("code", &otp.code_at(now()))])
        .await
        .redirects_to("/demo/account");
    assert_eq!(
        text_of(&c.get("/demo/account").await.text, "twofa-status"),
        "Two-factor authentication: On"
    );

    // Sign out, then the password alone is not enough.
    sign_out(&mut c).await;
    c.get("/demo/account").await.redirects_to("/demo/login");
    let login = c.get("/demo/login").await.text;
    assert!(login.contains(r#"autocomplete="current-password""#));
    let csrf = csrf_of(&login);
    let bad = c
        .post(
            "/demo/login",
            &[
                ("csrf", &csrf),
                ("email", "alice@example.com"),
                ("password", "wrong password"),
            ],
        )
        .await;
    assert_eq!(bad.status, 401);
    assert!(bad.text.contains("Incorrect e-mail address or password."));
    let unknown = c
        .post(
            "/demo/login",
            &[("csrf", &csrf), ("email", "nobody@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(unknown.status, 401);
    assert!(unknown.text.contains("Incorrect e-mail address or password."));
    password_step(&mut c, "Alice@Example.com ").await;
    c.get("/demo/account").await.redirects_to("/demo/login");

    // The code step: the right code signs in.
    let verify = c.get("/demo/login/verify").await.text;
    assert!(verify.contains("<h1>Two-step verification</h1>"));
    assert!(verify.contains("Enter the 6-digit code from your authenticator app."));
    assert!(verify.contains(r#"<label for="otp">Authentication code</label><input id="otp" name="otp" type="text" autocomplete="one-time-code" inputmode="numeric" pattern="[0-9]*" maxlength="6">"#));
    assert!(verify.contains(">Verify</button>"));
    let code = otp.code_at(now());
    c.post("/demo/login/verify", &[("csrf", &csrf_of(&verify)), ("otp", &code)])
        .await
        .redirects_to("/demo/account");
    assert!(c
        .get("/demo/account")
        .await
        .text
        .contains("<h1>Welcome, alice@example.com</h1>"));

    // The same code again is a replay; a wrong one is refused; both say so.
    sign_out(&mut c).await;
    password_step(&mut c, "alice@example.com").await;
    let csrf = c.csrf("/demo/login/verify").await;
    let replay = c.post("/demo/login/verify", &[("csrf", &csrf), ("otp", &code)]).await;
    assert_eq!(replay.status, 401);
    assert!(replay.text.contains("already used"), "{}", replay.text);
    let wrong = c
        .post("/demo/login/verify", &[("csrf", &csrf), ("otp", &wrong_code(&otp))])
        .await;
    assert_eq!(wrong.status, 401);
    assert!(
        wrong.text.contains("didn&#39;t work") && wrong.text.contains("3 tries left"),
        "{}",
        wrong.text
    );
    c.get("/demo/account").await.redirects_to("/demo/login");

    // The segmented widget: six boxes, accepted digit by digit (next step's code: not a replay).
    let segmented = c.get("/demo/login/verify?ui=segmented").await.text;
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
        .await
        .redirects_to("/demo/account");
    assert!(c
        .get("/demo/account")
        .await
        .text
        .contains("Two-factor authentication: <strong>On</strong>"));

    // Turning two-factor off: the password alone signs in again.
    let csrf = c.csrf("/demo/account").await;
    c.post("/demo/account/2fa/off", &[("csrf", &csrf)])
        .await
        .redirects_to("/demo/account");
    assert_eq!(
        text_of(&c.get("/demo/account").await.text, "twofa-status"),
        "Two-factor authentication: Off"
    );
    sign_out(&mut c).await;
    let csrf = c.csrf("/demo/login").await;
    c.post(
        "/demo/login",
        &[("csrf", &csrf), ("email", "alice@example.com"), ("password", PASSWORD)],
    )
    .await
    .redirects_to("/demo/account");

    // Nothing secret reached the log.
    let mut site = site;
    assert!(site.app.terminate().success());
    let log = site.app.stderr();
    // The request log is JSON lines: method, path, status, never the form.
    assert!(
        log.contains(r#""method":"POST","path":"/demo/login/verify","status":303"#),
        "{log}"
    );
    for secret_thing in [PASSWORD, &secret.replace(' ', ""), &code, &next, "alice@example.com"] {
        assert!(!log.contains(secret_thing), "the log contains {secret_thing:?}:\n{log}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_codes_send_back_to_sign_in() {
    let dir = TempDir::new("demo-app");
    let site = DemoSite::start(dir.path());
    let mut c = site.browser();
    sign_up(&mut c, "bob@example.com").await;
    let otp = turn_on_two_factor(&mut c).await;
    sign_out(&mut c).await;
    password_step(&mut c, "bob@example.com").await;
    let csrf = c.csrf("/demo/login/verify").await;
    let wrong = wrong_code(&otp);
    for left in (1..=4).rev() {
        let reply = c.post("/demo/login/verify", &[("csrf", &csrf), ("otp", &wrong)]).await;
        assert_eq!(reply.status, 401);
        let expected = if left == 1 {
            "1 try left".to_string()
        } else {
            format!("{left} tries left")
        };
        assert!(reply.text.contains(&expected), "{}", reply.text);
    }
    c.post("/demo/login/verify", &[("csrf", &csrf), ("otp", &wrong)])
        .await
        .redirects_to("/demo/login");
    assert!(c
        .get("/demo/login")
        .await
        .text
        .contains("Too many incorrect codes. Sign in again."));
    // The right code no longer helps: the sign-in must start over.
    c.get("/demo/login/verify").await.redirects_to("/demo/login");
    c.post("/demo/login/verify", &[("csrf", &csrf), ("otp", &otp.code_at(now()))])
        .await
        .redirects_to("/demo/login");
    c.get("/demo/account").await.redirects_to("/demo/login");
    // An empty submission costs no try and asks for the code.
    password_step(&mut c, "bob@example.com").await;
    let csrf = c.csrf("/demo/login/verify").await;
    let empty = c.post("/demo/login/verify", &[("csrf", &csrf), ("otp", "")]).await;
    assert_eq!(empty.status, 400);
    assert!(empty.text.contains("Enter the 6-digit code"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_without_the_csrf_token_are_refused() {
    let dir = TempDir::new("demo-app");
    let site = DemoSite::start(dir.path());
    let mut c = site.browser();
    let csrf = c.csrf("/demo/signup").await;
    let fields = [("email", "carol@example.com"), ("password", PASSWORD)];
    assert_eq!(c.post("/demo/signup", &fields).await.status, 403);
    let forged = c
        .post(
            "/demo/signup",
            &[("csrf", "0".repeat(64).as_str()), fields[0], fields[1]],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert!(forged.text.contains("This form has expired"));
    // Another browser (no cookie) cannot use this session's token: login CSRF.
    let mut stranger = site.browser();
    assert_eq!(
        stranger
            .post("/demo/signup", &[("csrf", &csrf), fields[0], fields[1]])
            .await
            .status,
        403
    );
    // None of those created the account.
    c.post("/demo/signup", &[("csrf", &csrf), fields[0], fields[1]])
        .await
        .redirects_to("/demo/account");

    // The same for a signed-in action: no token, no sign-out.
    assert_eq!(c.post("/demo/logout", &[]).await.status, 403);
    assert_eq!(c.post("/demo/account/2fa/off", &[("csrf", "x")]).await.status, 403);
    assert_eq!(c.get("/demo/account").await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_in_input_is_escaped() {
    let dir = TempDir::new("demo-app");
    let site = DemoSite::start(dir.path());
    let mut c = site.browser();
    let email = "<script>alert(1)</script>@evil.test";
    sign_up(&mut c, email).await;
    let account = c.get("/demo/account").await.text;
    assert!(
        account.contains("<h1>Welcome, &lt;script&gt;alert(1)&lt;/script&gt;@evil.test</h1>"),
        "{account}"
    );
    assert!(!account.contains("<script>"), "{account}");
    let setup = c.get("/demo/account/2fa").await.text;
    assert!(!setup.contains("<script>"));
    let otp = Otp::parse(&unescape(between(&setup, "<code id=\"otpauth-uri\">", "</code>"))).unwrap();
    assert_eq!(otp.account.as_deref(), Some(email));

    // An error page echoes what was typed, escaped inside the value attribute.
    sign_out(&mut c).await;
    let csrf = c.csrf("/demo/signup").await;
    let typed = "\"><img src=x onerror=alert(1)>";
    let refused = c
        .post(
            "/demo/signup",
            &[("csrf", &csrf), ("email", typed), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(refused.status, 400);
    assert!(
        refused
            .text
            .contains("value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\""),
        "{}",
        refused.text
    );
    assert!(!refused.text.contains("<img"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_mistakes_are_explained() {
    let dir = TempDir::new("demo-app");
    let site = DemoSite::start(dir.path());
    let mut c = site.browser();
    let csrf = c.csrf("/demo/signup").await;
    let short = c
        .post(
            "/demo/signup",
            &[("csrf", &csrf), ("email", "dan@example.com"), ("password", "short")],
        )
        .await;
    assert_eq!(short.status, 400);
    assert!(short.text.contains("at least 8 characters"));
    let no_at = c
        .post(
            "/demo/signup",
            &[("csrf", &csrf), ("email", "dan.example.com"), ("password", PASSWORD)],
        )
        .await;
    assert!(no_at.text.contains("doesn&#39;t look like an e-mail address"));
    sign_up(&mut c, "dan@example.com").await;
    sign_out(&mut c).await;
    let csrf = c.csrf("/demo/signup").await;
    let taken = c
        .post(
            "/demo/signup",
            &[("csrf", &csrf), ("email", "DAN@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(taken.status, 409);
    assert!(taken.text.contains("already exists"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_cookie_is_http_only_and_pages_are_locked_down() {
    let dir = TempDir::new("demo-app");
    let site = DemoSite::start(dir.path());
    let mut c = site.browser();
    let page = c.get("/demo/login").await;
    let cookie = page.header("set-cookie").unwrap();
    assert!(
        cookie.starts_with(&format!("{COOKIE}=")) && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert_eq!(cookie.split(';').next().unwrap().len(), COOKIE.len() + 1 + 64);
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(page.header("cache-control"), Some("no-store"));
    // A sign-in issues a new session token (no session fixation).
    let before = c.cookie.clone().unwrap();
    sign_up(&mut c, "erin@example.com").await;
    assert_ne!(c.cookie.clone().unwrap(), before);
    assert_eq!(c.get("/nope").await.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stops_cleanly_on_sigterm() {
    let dir = TempDir::new("demo-app");
    let mut site = DemoSite::start(dir.path());
    // Within 10 s, or the launcher fails the test.
    let status = site.app.terminate();
    assert!(status.success(), "exit status {status}");
    let log = site.app.stderr();
    assert!(log.contains(r#""event":"shutting_down""#), "{log}");
    assert!(log.contains(r#""event":"stopped""#), "{log}");
}
