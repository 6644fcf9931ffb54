//! The API's ground rules, over real HTTP: JSON errors with stable codes, JSON log lines that never
//! carry query strings, and a server secret that survives restarts.

mod support;

use support::api::Server;
use support::TempDir;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_routes_get_json_errors_and_logs_are_json_without_queries() {
    let dir = TempDir::new("api-basics");
    let server = Server::start(dir.path(), &[]);
    let reply = server.api().get("/api/v1/no-such-thing?code=123456").await;
    reply.expect_error(404, "not_found");
    assert_eq!(reply.headers["content-type"], "application/json");

    // The log line is written after the response is sent: give it a moment to arrive.
    let mut request = None;
    for _ in 0..100 {
        request = server
            .log_events()
            .into_iter()
            .find(|e| e["event"] == "request" && e["path"] == "/api/v1/no-such-thing");
        if request.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let request = request.unwrap_or_else(|| panic!("no request log line in:\n{}", server.stderr()));
    assert_eq!(request["status"], 404);
    assert_eq!(request["level"], "info");
    assert!(request["ts"].as_str().unwrap().ends_with('Z'));
    assert!(!server.stderr().contains("123456"), "a query string reached the log");
}
