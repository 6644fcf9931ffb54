//! What an unverified caller learns (docs/security.md, "Attacks on the trust flow"): registration and every trust-flow route answer
//! the same, in status and shape, for an address that is a user (with or without trusted
//! devices, invited, its invitation expired, deprovisioned) and one that is not; nothing about
//! the user is told before the mailbox is proved; e-mail never holds up an answer.

use std::time::Duration;

use serde_json::{json, Map, Value};
use tokio::net::TcpListener;

use crate::support::smtp::SmtpServer;
use crate::support::trust::*;
use crate::support::world::{seed_invited, seed_user};
use crate::support::TempDir;
use crate::support::{now, open_db, trusted_device, Server};
use latchkey::domain::Role;

/// Ids, tokens, times, numbers and the address replaced by placeholders: what is left must be
/// the same whoever the address belongs to.
fn normalized(value: &Value, email: &str) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = match k.as_str() {
                        "id" | "requestId" | "deviceId" | "token" | "createdAt" | "expiresAt" | "number" => {
                            json!(format!("<{k}>"))
                        }
                        _ => normalized(v, email),
                    };
                    (k.clone(), v)
                })
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| normalized(v, email)).collect()),
        Value::String(s) => json!(s.replace(email, "<email>")),
        other => other.clone(),
    }
}

/// Every trust-flow answer an unverified caller can get for `email`, normalized.
async fn answers(api: &crate::support::Api, email: &str) -> Vec<(String, u16, Value)> {
    let mut out = Vec::new();
    let mut phone = Device::new(api);
    let reply = phone.register(email, "Laptop - Linux/Chrome").await;
    out.push(("register".to_string(), reply.status, normalized(&reply.body, email)));
    let steps: Vec<(&str, &str, Option<Value>)> = vec![
        ("GET", "/me", None),
        ("POST", "/trust/email-code/verify", Some(json!({"code": "123456"}))),
        ("POST", "/trust/email-code", Some(json!({}))),
        ("POST", "/trust/email-code", Some(json!({}))),
        ("POST", "/trust/email-code/verify", Some(json!({"code": "000000"}))),
        ("POST", "/trust/email-code/verify", Some(json!({"code": "0000001"}))),
        ("POST", "/trust/approval", Some(json!({}))),
        ("GET", "/trust/status", None),
        ("GET", "/trust/recovery", None),
        (
            "POST",
            "/trust/recover",
            Some(json!({"userKeyEnvelope": "AA", "proof": "AA"})),
        ),
        ("GET", "/devices", None),
        ("GET", "/approvals", None),
        ("GET", "/me", None),
    ];
    for (method, path, body) in steps {
        let reply = phone.api.send(method, &format!("{API}{path}"), body).await;
        out.push((format!("{method} {path}"), reply.status, normalized(&reply.body, email)));
    }
    out
}

/// A relay that accepts connections and never says a word: any answer that waited for the
/// e-mail would never come.
async fn stalled_relay() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn known_and_unknown_addresses_get_the_same_answers() {
    let dir = TempDir::new("abuse-enumeration");
    let db = open_db(dir.path()).await;
    let ann = seed_user(&db, "ann@acme.example").await;
    trusted_device(&db, &ann, "Ann desktop").await;
    seed_user(&db, "ben@acme.example").await;
    seed_invited(&db, "owner1@acme.example", "cat@acme.example", Role::User, now() + 3600).await;
    seed_invited(&db, "owner2@acme.example", "dan@acme.example", Role::User, now() - 1).await;
    let eve = seed_user(&db, "eve@acme.example").await;
    db.deprovision_user(&eve.id, now()).await.unwrap();
    let relay = format!("smtp://127.0.0.1:{}", stalled_relay().await);
    let server = Server::start(dir.path(), &["--smtp-url", &relay]);
    let api = server.api();

    // Each from an address of its own, so that one's per-address limits do not touch the next.
    let reference = tokio::time::timeout(
        Duration::from_secs(60),
        answers(&api.at_addr("127.0.3.1"), "zed@acme.example"),
    )
    .await
    .expect("an unknown address is answered");
    // The reference itself says nothing of a user.
    let text = serde_json::to_string(&reference).unwrap();
    for leak in [
        "workspace",
        "userId",
        "displayName",
        "hasKeys",
        "trustedDevices",
        "role",
        "approverKeys\":[\"",
    ] {
        assert!(!text.contains(leak), "{leak} in {text}");
    }
    for (n, email) in [
        "ann@acme.example",
        "ben@acme.example",
        "cat@acme.example",
        "dan@acme.example",
        "eve@acme.example",
    ]
    .into_iter()
    .enumerate()
    {
        // Codes and approval notices go to a relay that never answers: had any answer waited for
        // the e-mail, this would not finish.
        let from = api.at_addr(&format!("127.0.3.{}", n + 2));
        let got = tokio::time::timeout(Duration::from_secs(20), answers(&from, email))
            .await
            .unwrap_or_else(|_| panic!("an answer for {email} waited for the e-mail"));
        for (i, (step, status, body)) in got.iter().enumerate() {
            assert_eq!(
                (step, status, body),
                (&reference[i].0, &reference[i].1, &reference[i].2),
                "{email}: {step} answered differently from an unknown address"
            );
        }
    }
    let statuses: Vec<_> = reference.iter().map(|(s, c, _)| format!("{s} {c}")).collect();
    assert_eq!(
        statuses,
        [
            "register 201",
            "GET /me 200",
            "POST /trust/email-code/verify 404",
            "POST /trust/email-code 202",
            "POST /trust/email-code 429",
            "POST /trust/email-code/verify 422",
            "POST /trust/email-code/verify 422",
            "POST /trust/approval 201",
            "GET /trust/status 200",
            "GET /trust/recovery 403",
            "POST /trust/recover 403",
            "GET /devices 403",
            "GET /approvals 403",
            "GET /me 200",
        ]
    );
}

/// Nothing is e-mailed for an address that cannot join; after the real user proves the mailbox,
/// `/me` tells the device what it needs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_proved_mailbox_learns_about_the_user() {
    let dir = TempDir::new("abuse-enumeration-mail");
    let smtp = SmtpServer::start().await;
    let db = open_db(dir.path()).await;
    let ivy = seed_user(&db, "ivy@acme.example").await;
    trusted_device(&db, &ivy, "Ivy desktop").await;
    seed_invited(&db, "owner@acme.example", "late@acme.example", Role::User, now() - 1).await;
    let relay = smtp.url();
    let server = Server::start(dir.path(), &["--smtp-url", &relay]);
    let api = server.api();
    for email in ["nobody@acme.example", "late@acme.example"] {
        let ghost = Device::register_device(&api, email, "Laptop").await;
        ghost.post("/trust/email-code", json!({})).await.expect(202);
        ghost.post("/trust/approval", json!({})).await.expect(201);
    }
    let phone = Device::register_device(&api, "ivy@acme.example", "Ivy laptop").await;
    let code = phone.email_code(&smtp).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let to: Vec<_> = smtp
        .received
        .lock()
        .unwrap()
        .iter()
        .flat_map(|m| m.rcpt_to.clone())
        .collect();
    assert_eq!(
        to,
        ["<ivy@acme.example>"],
        "nothing e-mailed to addresses that cannot join"
    );
    assert!(phone.get("/me").await.expect(200).get("user").is_none());
    phone
        .post("/trust/email-code/verify", json!({ "code": code }))
        .await
        .expect(200);
    let me = phone.get("/me").await.expect(200).clone();
    assert_eq!(me["user"]["email"], "ivy@acme.example");
    assert_eq!(me["user"]["hasKeys"], false);
    assert_eq!(me["trustedDevices"], 1);
    assert_eq!(me["workspace"]["name"], "Acme");
}
