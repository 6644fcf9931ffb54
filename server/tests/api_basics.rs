//! The API's ground rules, over real HTTP: JSON errors with stable codes, JSON log lines that never
//! carry query strings, and a server secret that survives restarts.

use crate::support::text::contains_word;
use crate::support::Server;
use crate::support::TempDir;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_routes_get_json_errors_and_logs_are_json_without_queries() {
    let dir = TempDir::new("api-basics");
    let server = Server::start(dir.path(), &[]);
    // A marker no timestamp, duration or id could contain by chance (a bare "123456" once matched
    // a duration in the log and failed CI).
    let reply = server.api().get("/api/v1/no-such-thing?code=query-marker-zqxv").await;
    reply.expect_error(404, "not_found");
    assert_eq!(reply.headers["content-type"], "application/json");

    // The log line is written after the response is sent: give it a moment to arrive.
    let request = server
        .log_event(|e| e["event"] == "request" && e["path"] == "/api/v1/no-such-thing")
        .await;
    let request = request.unwrap_or_else(|| panic!("no request log line in:\n{}", server.stderr()));
    assert_eq!(request["status"], 404);
    assert_eq!(request["level"], "info");
    assert!(request["ts"].as_str().unwrap().ends_with('Z'));
    assert!(
        !server.stderr().contains("query-marker-zqxv"),
        "a query string reached the log"
    );
}

/// Without --smtp-url, a verification code is printed on the console (stdout) for the person trying
/// Latchkey, and written to the outbox; the JSON log on stderr gets neither the code nor the address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_relay_codes_reach_the_console_and_outbox_but_not_the_log() {
    use latchkey::domain::Role;
    let dir = TempDir::new("api-outbox");
    let server = Server::start(dir.path(), &[]);
    let db = crate::support::open_db(dir.path()).await;
    let workspace = db.create_workspace("Acme", crate::support::now()).await.unwrap();
    db.create_user(
        &workspace.id,
        "dana@acme.test",
        "Dana",
        Role::User,
        latchkey::db::UserStatus::Active,
        crate::support::now(),
    )
    .await
    .unwrap();
    let api = server.api();
    let mut keys = latchkey_core::vault::KeyStore::new();
    let public = keys.create_device().unwrap().to_text();
    let registered = api
        .post(
            "/api/v1/devices/register",
            serde_json::json!({"email": "dana@acme.test", "name": "Dana laptop", "publicKeys": public}),
        )
        .await;
    let token = registered.expect(201)["token"].as_str().unwrap().to_string();
    let sent = api
        .as_device(&token)
        .post("/api/v1/trust/email-code", serde_json::json!({}))
        .await;
    // The reply says where the code went, so the join page can send the person there.
    assert_eq!(sent.expect(202)["delivery"], "outbox");

    let mut console = String::new();
    for _ in 0..100 {
        console = server.stdout();
        if console.contains("verification code") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let code: String = console
        .split("verification code ")
        .nth(1)
        .unwrap_or_else(|| panic!("no code on the console: {console}"))
        .chars()
        .take(6)
        .collect();
    assert!(code.chars().all(|c| c.is_ascii_digit()), "{console}");
    let outbox: Vec<_> = std::fs::read_dir(dir.path().join("outbox")).unwrap().collect();
    assert_eq!(outbox.len(), 1);
    let log = server.stderr();
    assert!(log.contains("WARNING: no SMTP relay configured"), "{log}");
    assert!(!contains_word(&log, &code), "the code reached the JSON log:\n{log}");
    assert!(
        !log.contains("dana@acme.test"),
        "the address reached the JSON log:\n{log}"
    );
    // The code works.
    api.as_device(&token)
        .post("/api/v1/trust/email-code/verify", serde_json::json!({ "code": code }))
        .await
        .expect(200);
}

/// `GET /api/v1/server` says, to anyone, that this is a Latchkey server and which API it speaks:
/// the extension checks an address with it on Continue, before registering anything there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_route_says_what_it_is() {
    let dir = TempDir::new("api-server-info");
    let server = Server::start(dir.path(), &[]);
    let reply = server.api().get("/api/v1/server").await;
    let body = reply.expect(200);
    assert_eq!(body["service"], "latchkey");
    assert_eq!(body["api"], 1);
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        body.as_object().unwrap().len(),
        3,
        "nothing else is told to anyone who asks: {body}"
    );
}

/// SIGTERM with a long poll in flight: the poll answers at once (200, nothing new) and the server
/// exits cleanly, instead of holding the shutdown for the poll's 25 seconds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_poll_does_not_hold_up_shutdown() {
    use latchkey::domain::Role;
    let dir = TempDir::new("api-shutdown");
    let mut server = Server::start(dir.path(), &[]);
    let db = crate::support::open_db(dir.path()).await;
    let workspace = db.create_workspace("Acme", crate::support::now()).await.unwrap();
    let (_, token) = crate::support::trusted_user(&db, &workspace.id, "erin@acme.test", Role::User).await;
    let api = server.api().as_device(&token);
    let started = std::time::Instant::now();
    let poll = tokio::spawn(async move { api.get("/api/v1/inbox/wait?timeout=25").await });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let status = tokio::task::spawn_blocking(move || {
        let status = server.terminate();
        (status, server)
    });
    let reply = poll.await.unwrap();
    let (status, server) = status.await.unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["messages"], serde_json::json!([]));
    assert!(status.success(), "exit status {status}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "shutdown waited {:?} for the long poll",
        started.elapsed()
    );
    assert!(server.stderr().contains(r#""event":"stopped""#));
}
