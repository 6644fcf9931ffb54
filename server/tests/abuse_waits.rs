//! Waiting without polling: `/trust/status?wait` and `/approvals?wait` answer when a
//! change is announced, and at most 4 waits per device token, 16 per user and 4096 in all are held
//! at once; past them, a clear 429.

use std::time::Duration;

use serde_json::json;

use crate::support::smtp::SmtpServer;
use crate::support::trust::*;
use crate::support::world::seed_user;
use crate::support::TempDir;
use crate::support::{open_db, Server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waits_are_bounded_per_token_and_per_user() {
    let dir = TempDir::new("abuse-waits");
    let smtp = SmtpServer::start().await;
    let db = open_db(dir.path()).await;
    seed_user(&db, "mo@acme.example").await;
    let relay = smtp.url();
    let server = Server::start(dir.path(), &["--smtp-url", &relay]);
    let api = server.api();
    let mo = first_device(&api, &smtp, "mo@acme.example", "Mo laptop").await;

    // Four waits from one token are held; the fifth is refused at once.
    let mut held = Vec::new();
    for _ in 0..4 {
        let api = mo.device.api.clone();
        held.push(tokio::spawn(async move {
            api.get(&format!("{API}/approvals?wait=20")).await
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let refused = mo.device.get("/approvals?wait=20").await;
    refused.expect_error(429, "rate_limited");
    assert!(refused.headers.contains_key("retry-after"));
    assert!(refused.text.contains("this device"), "{}", refused.text);
    // Without waiting, the list is still there.
    mo.device.get("/approvals").await.expect(200);
    // A pending device's status waits are bounded the same way (a ghost's too).
    for email in ["mo@acme.example", "nobody@acme.example"] {
        let phone = Device::register_device(&api, email, "Another").await;
        phone.post("/trust/approval", json!({})).await.expect(201);
        let mut waits = Vec::new();
        for _ in 0..4 {
            let api = phone.api.clone();
            waits.push(tokio::spawn(async move {
                api.get(&format!("{API}/trust/status?wait=20")).await
            }));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        phone
            .get("/trust/status?wait=20")
            .await
            .expect_error(429, "rate_limited");
        for w in waits {
            w.abort();
        }
    }
    // An announcement answers the held waits, which gives their slots back.
    let phone = Device::register_device(&api, "mo@acme.example", "Mo phone").await;
    phone.post("/trust/approval", json!({})).await.expect(201);
    for wait in held {
        let reply = tokio::time::timeout(Duration::from_secs(15), wait)
            .await
            .unwrap()
            .unwrap();
        assert!(reply.expect(200)["total"].as_i64().unwrap() >= 1);
    }
    let again = mo.device.get("/approvals?wait=1").await;
    again.expect(200);
}
