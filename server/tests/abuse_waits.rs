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

/// Anyone who knows an address can register devices for it; their waits count under the address
/// they came from, never under the user's 16, so the user's own waits still hold.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unverified_devices_do_not_use_up_their_users_waits() {
    let (_dir, smtp, db, server) = server_with_mail("abuse-waits-unverified", &[]).await;
    seed_user(&db, "mo@acme.example").await;
    let api = server.api();
    let mo = first_device(&api, &smtp, "mo@acme.example", "Mo laptop").await;

    // Four devices from the attacker's address, four waits each: sixteen held waits.
    let attacker = api.at_addr("127.0.0.66");
    let mut held = Vec::new();
    for i in 0..4 {
        let device = Device::register_device(&attacker, "mo@acme.example", &format!("Mo tablet {i}")).await;
        for _ in 0..4 {
            let api = device.api.clone();
            held.push(tokio::spawn(async move {
                api.get(&format!("{API}/trust/status?wait=20")).await
            }));
        }
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    for w in &held {
        assert!(
            !w.is_finished(),
            "an unverified device's wait was refused or answered early"
        );
    }
    // Mo's trusted device still waits for approvals, and a new device of Mo's elsewhere for its status.
    mo.device.get("/approvals?wait=1").await.expect(200);
    let phone = Device::register_device(&api.at_addr("127.0.0.77"), "mo@acme.example", "Mo phone").await;
    phone.get("/trust/status?wait=1").await.expect(200);
    for w in held {
        w.abort();
    }
}

/// `/inbox/wait` takes a wait slot like the trust flow's long polls: a fifth at once from one
/// device is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inbox_waits_are_bounded_per_device() {
    let (_dir, smtp, db, server) = server_with_mail("abuse-waits-inbox", &[]).await;
    seed_user(&db, "mo@acme.example").await;
    let mo = first_device(&server.api(), &smtp, "mo@acme.example", "Mo laptop").await;
    let mut held = Vec::new();
    for _ in 0..4 {
        let api = mo.device.api.clone();
        held.push(tokio::spawn(async move {
            api.get(&format!("{API}/inbox/wait?timeout=20")).await
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let refused = mo.device.get("/inbox/wait?timeout=20").await;
    refused.expect_error(429, "rate_limited");
    assert!(refused.headers.contains_key("retry-after"));
    for w in held {
        w.abort();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    mo.device.get("/inbox/wait?timeout=1").await.expect(200);
}

/// A device disabled while its `/approvals?wait` is open learns nothing of the next request: woken,
/// it gets the answer a new request would (401 `device_disabled`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_disabled_while_waiting_learns_no_new_request() {
    let (_dir, smtp, db, server) = server_with_mail("abuse-waits-disabled", &[]).await;
    seed_user(&db, "mo@acme.example").await;
    let api = server.api();
    let mo = first_device(&api, &smtp, "mo@acme.example", "Mo laptop").await;
    // Mo's second device, approved from the first.
    let phone = Device::register_device(&api, "mo@acme.example", "Mo phone").await;
    let number = phone.post("/trust/approval", json!({})).await.expect(201)["request"]["number"]
        .as_i64()
        .unwrap();
    let listed = mo.listed(&phone.id).await;
    mo.approve(&listed, &number.to_string()).await.expect(200);

    let laptop = mo.device.api.clone();
    let waiting = tokio::spawn(async move { laptop.get(&format!("{API}/approvals?wait=20")).await });
    tokio::time::sleep(Duration::from_millis(500)).await;
    phone
        .post(&format!("/devices/{}/disable", mo.device.id), json!({}))
        .await
        .expect(200);
    let stranger = Device::register_device(&api.at_addr("127.0.0.66"), "mo@acme.example", "Mo tablet").await;
    stranger.post("/trust/approval", json!({})).await.expect(201);
    let reply = tokio::time::timeout(Duration::from_secs(15), waiting)
        .await
        .unwrap()
        .unwrap();
    reply.expect_error(401, "device_disabled");
    assert!(!reply.text.contains(&stranger.id), "{}", reply.text);
    assert!(!reply.text.contains("Mo tablet"), "{}", reply.text);
}
