//! The trust flow over real HTTP against the real binary, with the real core crypto on the
//! "devices" and a real SMTP relay: registration, e-mailed codes (read out of the e-mail), the first
//! device creating the user's keys, a second device approved by the first with a signed grant, a
//! third unlocked with the Recovery Kit; and every refusal on the way.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::smtp::SmtpServer;
use crate::support::text::{contains_word, json_holds};
use crate::support::trust::{code_in, Device, API};
use crate::support::world::{seed_invited, seed_user};
use crate::support::{b64, now, open_db, trusted_user, unb64, Api, Server};
use crate::support::{Postgres, TempDir};
use latchkey::db::{Db, Target, User, UserStatus};
use latchkey::domain::Role;
use latchkey_core::device::{ApprovalGrant, ApprovalRequest};
use latchkey_core::vault::{Envelope, KeyStore, PublicKeys};

/// What the first device keeps: its store (with the user key and key pair), the kit text.
struct FirstDevice {
    device: Device,
    kit: String,
}

/// The whole first-device flow: e-mail code, then the user's keys made on the device.
async fn first_device(api: &Api, smtp: &SmtpServer, email: &str) -> FirstDevice {
    let mut device = Device::register_device(api, email, "Laptop - Linux/Chrome").await;
    let me = device.get("/me").await;
    assert!(
        me.expect(200).get("user").is_none(),
        "nothing about the user yet: {}",
        me.text
    );
    assert_eq!(me.body["device"]["emailVerified"], false);
    // Not before the e-mail is verified.
    device
        .post("/trust/first-device", json!({"userPublicKeys": "", "sealedPrivateKeys": "", "recoveryEnvelope": "", "userKeyEnvelope": "", "proof": ""}))
        .await
        .expect_error(403, "forbidden");
    device.verify_email(smtp).await;
    assert_eq!(device.get("/me").await.expect(200)["user"]["hasKeys"], false);
    let (ws, user, id) = (device.workspace.clone(), device.user_id.clone(), device.id.clone());
    let new_user = device.store.create_user(&ws, &user, &id).unwrap();
    let (kit, recovery) = device.store.create_recovery_kit(&ws, &user).unwrap();
    let mut body = json!({
        "userPublicKeys": new_user.public_keys.to_text(),
        "sealedPrivateKeys": b64(new_user.key_pair_envelope.as_bytes()),
        "recoveryEnvelope": b64(recovery.as_bytes()),
        "userKeyEnvelope": b64(new_user.user_key_for_device.as_bytes()),
        "proof": device.enrollment_proof(),
    });
    // A proof for another device id, or by another key pair, does not verify.
    let mut wrong = body.clone();
    wrong["proof"] = json!(b64(&device
        .store
        .sign_enrollment(&ws, &user, "another-device", &device.public)
        .unwrap()));
    // Never with a wrong proof.
    device
        .post("/trust/first-device", wrong)
        .await
        .expect_error(422, "invalid");
    device.get("/devices").await.expect_error(403, "untrusted_device");
    device.post("/trust/first-device", body.clone()).await.expect(200);
    // Once only.
    body["proof"] = json!(device.enrollment_proof());
    device
        .post("/trust/first-device", body)
        .await
        .expect_error(409, "conflict");

    let me = device.get("/me").await;
    let me = me.expect(200);
    assert_eq!(me["device"]["status"], "approved");
    assert_eq!(me["user"]["status"], "active");
    assert_eq!(me["user"]["hasKeys"], true);
    assert_eq!(unb64(&me["publicKeys"]), new_user.public_keys.to_bytes());
    assert_eq!(unb64(&me["sealedPrivateKeys"]), new_user.key_pair_envelope.as_bytes());
    assert_eq!(unb64(&me["userKeyEnvelope"]), new_user.user_key_for_device.as_bytes());
    FirstDevice {
        device,
        kit: kit.to_text().to_string(),
    }
}

/// A workspace where `email` is an invited owner (an open invitation, as the API makes them).
async fn seed_invited_owner(db: &Db, email: &str) -> User {
    seed_invited(db, &format!("admin.{email}"), email, Role::Owner, now() + 7 * 24 * 3600)
        .await
        .1
}

/// A second device approved by the first: the request, the approvals list (long poll), forged
/// grants refused, the real grant relayed and accepted by the new device with the core.
async fn approve_second(first: &FirstDevice, api: &Api, email: &str) -> Device {
    let mut second = Device::register_device(api, email, "Phone - Android/Chrome").await;
    let waiting = {
        let api = first.device.api.clone();
        tokio::spawn(async move {
            let start = Instant::now();
            (api.get(&format!("{API}/approvals?wait=10")).await, start.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(600)).await;
    let request = second.post("/trust/approval", json!({})).await.expect(201)["request"].clone();
    assert!(
        request.get("workspace").is_none() && request.get("userId").is_none(),
        "nothing about the user before approval: {request}"
    );
    let number = request["number"].as_i64().unwrap();
    assert!((100..=999).contains(&number), "{number}");
    let (open, took) = waiting.await.unwrap();
    assert!(
        took < Duration::from_secs(8),
        "the long poll answered when the request came: {took:?}"
    );
    let open = open.expect(200);
    assert_eq!(open["total"], 1, "{open}");
    let open = open["requests"].as_array().unwrap().clone();
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(open[0]["id"], request["id"]);
    assert_eq!(open[0]["deviceName"], "Phone - Android/Chrome");
    assert_eq!(unb64(&open[0]["deviceKeys"]), second.public.to_bytes());
    assert_eq!(open[0]["clientAddress"], "127.0.0.1");
    assert!(
        open[0].get("number").is_none(),
        "the trusted side never sees the number: {}",
        open[0]
    );
    assert!(!open.iter().any(|r| json_holds(r, &number.to_string())));
    assert_eq!(request["requestId"], request["id"]);

    // The request as the trusted side knows it (its user and workspace), in the core's shape.
    let core_request: ApprovalRequest = serde_json::from_value(json!({
        "workspace": first.device.workspace, "userId": first.device.user_id, "requestId": request["requestId"],
        "deviceId": open[0]["deviceId"], "deviceKeys": open[0]["deviceKeys"],
    }))
    .unwrap();
    assert_eq!(core_request.device_keys, second.public);
    assert_eq!(core_request.device_id, second.id);
    let number = number.to_string();
    let id = request["id"].as_str().unwrap();
    let approve_path = format!("/approvals/{id}/approve");
    let now_u = now() as u64;
    let grant = first.device.store.approve_device(&core_request, now_u).unwrap();

    // Forged: a flipped signature; a grant for another request; a grant by another device.
    let mut flipped = grant.clone();
    flipped.signature[5] ^= 1;
    first
        .device
        .post(&approve_path, json!({ "grant": flipped.to_text(), "number": number }))
        .await
        .expect_error(403, "forbidden");
    let other_request = ApprovalRequest {
        request_id: "0".repeat(32),
        ..core_request.clone()
    };
    let misdirected = first.device.store.approve_device(&other_request, now_u).unwrap();
    first
        .device
        .post(
            &approve_path,
            json!({ "grant": misdirected.to_text(), "number": number }),
        )
        .await
        .expect_error(403, "forbidden");
    let mut stranger = KeyStore::new();
    stranger.create_device().unwrap();
    stranger.create_user("w", "u", "d").unwrap();
    let by_stranger = stranger.approve_device(&core_request, now_u).unwrap();
    first
        .device
        .post(
            &approve_path,
            json!({ "grant": by_stranger.to_text(), "number": number }),
        )
        .await
        .expect_error(403, "forbidden");
    first
        .device
        .post(&approve_path, json!({ "grant": "bm90IGEgZ3JhbnQ", "number": number }))
        .await
        .expect_error(422, "invalid");
    // The pending device cannot approve itself.
    second
        .post(&approve_path, json!({ "grant": grant.to_text(), "number": number }))
        .await
        .expect_error(403, "untrusted_device");

    // The real grant, while the new device long-polls its status.
    let status_wait = {
        let api = second.api.clone();
        tokio::spawn(async move { api.get(&format!("{API}/trust/status?wait=10")).await })
    };
    tokio::time::sleep(Duration::from_millis(600)).await;
    let decided = first
        .device
        .post(&approve_path, json!({ "grant": grant.to_text(), "number": number }))
        .await;
    assert_eq!(decided.expect(200)["request"]["status"], "approved");
    first
        .device
        .post(&approve_path, json!({ "grant": grant.to_text(), "number": number }))
        .await
        .expect_error(404, "not_found");
    let status = status_wait.await.unwrap();
    let status = status.expect(200);
    assert_eq!(status["device"]["status"], "approved");
    assert_eq!(status["request"]["status"], "approved");
    let relayed = ApprovalGrant::parse(status["grant"].as_str().unwrap()).unwrap();
    assert_eq!(relayed, grant);
    let approvers: Vec<PublicKeys> = status["approverKeys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| PublicKeys::from_bytes(&unb64(k)).unwrap())
        .collect();
    assert!(approvers.contains(&first.device.public));
    // The new device learns its user and workspace once trusted, and checks the grant against them.
    second.learn_user().await;
    let own_copy = ApprovalRequest {
        workspace: second.workspace.clone(),
        user_id: second.user_id.clone(),
        request_id: request["id"].as_str().unwrap().to_string(),
        device_id: second.id.clone(),
        device_keys: second.public,
    };
    second
        .store
        .accept_grant(&relayed, &own_copy, &approvers, now_u)
        .unwrap();
    // The user key it got opens the user's key pair, as the first device made it.
    let me = second.get("/me").await;
    let me = me.expect(200).clone();
    assert_eq!(me["device"]["status"], "approved");
    assert_eq!(unb64(&me["userKeyEnvelope"]), grant.user_key.as_bytes());
    let sealed = Envelope::from_bytes(unb64(&me["sealedPrivateKeys"])).unwrap();
    second
        .store
        .open_user_key_pair(&sealed, &second.workspace, &second.user_id)
        .unwrap();
    assert_eq!(
        second.store.user_public_keys().unwrap().to_bytes().to_vec(),
        unb64(&me["publicKeys"])
    );
    assert_eq!(
        first.device.get("/approvals").await.expect(200),
        &json!({"requests": [], "total": 0})
    );
    second
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_device_then_approval_then_recovery_kit() {
    let dir = TempDir::new("api-trust-flow");
    let smtp = SmtpServer::start().await;
    let db = open_db(dir.path()).await;
    let ana = seed_invited_owner(&db, "ana@acme.example").await;
    let relay = smtp.url();
    let server = Server::start(dir.path(), &["--smtp-url", &relay]);
    let api = server.api();

    let first = first_device(&api, &smtp, "ana@acme.example").await;
    assert_eq!(
        db.user(&ana.id).await.unwrap().status,
        UserStatus::Active,
        "invited → active"
    );
    let second = approve_second(&first, &api, "ana@acme.example").await;
    second.get("/devices").await.expect(200);

    // A third device, unlocked with the Recovery Kit.
    let mut third = Device::register_device(&api, "ana@acme.example", "Desktop - Windows/Edge").await;
    assert_eq!(
        third.get("/trust/recovery").await.code(),
        "forbidden",
        "the kit's envelope only after the e-mail code"
    );
    third.verify_email(&smtp).await;
    let recovery = third.get("/trust/recovery").await.expect(200).clone();
    let (ws, user, id) = (third.workspace.clone(), third.user_id.clone(), third.id.clone());
    let wrapped = Envelope::from_bytes(unb64(&recovery["recoveryEnvelope"])).unwrap();
    assert!(
        third
            .store
            .recover_user_key("0000-0000-0000-0000-0000-0000-0000", &wrapped, &ws, &user)
            .is_err(),
        "a wrong kit opens nothing"
    );
    third.store.recover_user_key(&first.kit, &wrapped, &ws, &user).unwrap();
    let sealed = Envelope::from_bytes(unb64(&recovery["sealedPrivateKeys"])).unwrap();
    third.store.open_user_key_pair(&sealed, &ws, &user).unwrap();
    let envelope = third.store.seal_user_key(&third.public, &ws, &user, &id).unwrap();
    // A proof by some other key pair is refused.
    let mut other = KeyStore::new();
    other.create_device().unwrap();
    other.create_user(&ws, &user, &id).unwrap();
    let forged = b64(&other.sign_enrollment(&ws, &user, &id, &third.public).unwrap());
    third
        .post(
            "/trust/recover",
            json!({"userKeyEnvelope": b64(envelope.as_bytes()), "proof": forged}),
        )
        .await
        .expect_error(422, "invalid");
    third.get("/devices").await.expect_error(403, "untrusted_device");
    let proof = third.enrollment_proof();
    third
        .post(
            "/trust/recover",
            json!({"userKeyEnvelope": b64(envelope.as_bytes()), "proof": proof}),
        )
        .await
        .expect(200);
    let devices = third.get("/devices").await.expect(200).clone();
    assert_eq!(devices["limit"], 20);
    let list = devices["devices"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert!(list.iter().all(|d| d["status"] == "approved"));
    assert_eq!(list.iter().filter(|d| d["current"] == true).count(), 1);

    // Deny: a fourth device's request, denied by the third; the fourth is then refused.
    let fourth = Device::register_device(&api, "ana@acme.example", "Tablet").await;
    let request = fourth.post("/trust/approval", json!({})).await.expect(201)["request"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    third
        .post(&format!("/approvals/{request}/deny"), json!({}))
        .await
        .expect(200);
    fourth.get("/me").await.expect_error(401, "device_denied");
    fourth.get("/trust/status").await.expect_error(401, "device_denied");

    // A disabled device gets device_disabled on every route.
    first
        .device
        .post(&format!("/devices/{}/disable", second.id), json!({}))
        .await
        .expect(200);
    for path in ["/me", "/devices", "/approvals", "/trust/status", "/users"] {
        second.get(path).await.expect_error(401, "device_disabled");
    }
    second
        .post("/trust/email-code", json!({}))
        .await
        .expect_error(401, "device_disabled");
    let status = first.device.get("/devices").await;
    let listed = status.expect(200)["devices"].as_array().unwrap().clone();
    assert!(listed
        .iter()
        .any(|d| d["id"] == second.id.as_str() && d["status"] == "disabled"));

    assert_no_codes_logged(&server, &smtp);
}

fn assert_no_codes_logged(server: &Server, smtp: &SmtpServer) {
    let log = server.stderr();
    let received = smtp.received.lock().unwrap();
    assert!(!received.is_empty());
    for mail in received.iter().filter(|m| m.body().contains("verification code")) {
        let code = code_in(mail);
        assert!(!contains_word(&log, &code), "the code {code} reached the log:\n{log}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_codes_wrong_used_exhausted_expired_and_rate_limited() {
    let dir = TempDir::new("api-trust-codes");
    let smtp = SmtpServer::start().await;
    let db = open_db(dir.path()).await;
    for email in [
        "wrong@acme.example",
        "tries@acme.example",
        "late@acme.example",
        "many@acme.example",
    ] {
        seed_user(&db, email).await;
    }
    let relay = smtp.url();
    let server = Server::start(dir.path(), &["--smtp-url", &relay]);
    let api = server.api();

    // Unknown address; malformed keys.
    // An unknown address is answered as a known one (abuse_enumeration.rs has the details).
    Device::new(&api).register("nobody@acme.example", "X").await.expect(201);
    api.post(
        &format!("{API}/devices/register"),
        json!({"email": "wrong@acme.example", "name": "X", "publicKeys": b64(&[1; 10])}),
    )
    .await
    .expect_error(422, "invalid");

    // Verifying before any code was sent.
    let d = Device::register_device(&api, "wrong@acme.example", "One").await;
    d.post("/trust/email-code/verify", json!({"code": "123456"}))
        .await
        .expect_error(404, "not_found");
    // Wrong (tries left in the message), then right, then used.
    let code = d.email_code(&smtp).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let reply = d.post("/trust/email-code/verify", json!({ "code": wrong })).await;
    reply.expect_error(422, "code_wrong");
    assert!(
        reply.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("4 tries left"),
        "{}",
        reply.text
    );
    let ok = d.post("/trust/email-code/verify", json!({ "code": code })).await;
    assert_eq!(
        ok.expect(200),
        &json!({"verified": true, "hasKeys": false, "trustedDevices": 0})
    );
    assert_eq!(d.get("/me").await.expect(200)["device"]["emailVerified"], true);
    d.post("/trust/email-code/verify", json!({ "code": code }))
        .await
        .expect_error(422, "code_used");
    // Resend spacing per device.
    d.post("/trust/email-code", json!({}))
        .await
        .expect_error(429, "rate_limited");

    // Five wrong tries: the last says so, and then even the right code is refused.
    let d = Device::register_device(&api, "tries@acme.example", "Two").await;
    let code = d.email_code(&smtp).await;
    let wrong = if code == "999999" { "888888" } else { "999999" };
    for left in (1..=4).rev() {
        let reply = d.post("/trust/email-code/verify", json!({ "code": wrong })).await;
        reply.expect_error(422, "code_wrong");
        assert!(reply.text.contains(&format!("{left} tries left")), "{}", reply.text);
    }
    d.post("/trust/email-code/verify", json!({ "code": wrong }))
        .await
        .expect_error(422, "code_attempts");
    d.post("/trust/email-code/verify", json!({ "code": code }))
        .await
        .expect_error(422, "code_attempts");

    // Expired (the clock moved on: the stored expiry is put in the past).
    let d = Device::register_device(&api, "late@acme.example", "Three").await;
    let code = d.email_code(&smtp).await;
    sqlx::query("UPDATE email_codes SET expires_at = $1 WHERE email = 'late@acme.example'")
        .bind(now() - 1)
        .execute(db.pool())
        .await
        .unwrap();
    d.post("/trust/email-code/verify", json!({ "code": code }))
        .await
        .expect_error(422, "code_expired");

    // Five codes per user per 15 minutes, counted in the database: the sixth is refused.
    let mut devices = Vec::new();
    for i in 0..6 {
        devices.push(Device::register_device(&api, "many@acme.example", &format!("Browser {i}")).await);
    }
    for d in &devices[..5] {
        d.email_code(&smtp).await;
    }
    let refused = devices[5].post("/trust/email-code", json!({})).await;
    refused.expect_error(429, "rate_limited");
    let retry: u64 = refused.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");

    // A pending device reaches only the trust flow.
    for path in ["/devices", "/users", "/approvals"] {
        devices[0].get(path).await.expect_error(403, "untrusted_device");
    }
    // With no trusted device, a request is still made (and simply never approved).
    devices[0].post("/trust/approval", json!({})).await.expect(201);
    api.get(&format!("{API}/me")).await.expect_error(401, "unauthenticated");
    // A device left pending 15 minutes without proving the mailbox is given up.
    sqlx::query("UPDATE devices SET created_at = $1 WHERE id = $2")
        .bind(now() - 901)
        .bind(&devices[1].id)
        .execute(db.pool())
        .await
        .unwrap();
    devices[1].get("/me").await.expect_error(401, "device_denied");
    devices[1].get("/trust/status").await.expect_error(401, "device_denied");
    devices[1]
        .post("/trust/email-code/verify", json!({"code": "123456"}))
        .await
        .expect_error(401, "device_denied");
    devices[2].get("/me").await.expect(200);

    assert_no_codes_logged(&server, &smtp);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn devices_are_limited_and_approvals_stay_within_a_user() {
    let dir = TempDir::new("api-trust-limits");
    let smtp = SmtpServer::start().await;
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap();
    let (bo, bo_token) = trusted_user(&db, &ws.id, "bo@acme.example", Role::User).await;
    let (_cy, cy_token) = trusted_user(&db, &ws.id, "cy@acme.example", Role::Admin).await;
    let relay = smtp.url();
    let server = Server::start(dir.path(), &["--smtp-url", &relay]);
    let api = server.api();

    // Bo's new device asks; Cy (another user, even an admin) cannot see, approve or deny it.
    let pending = Device::register_device(&api, "bo@acme.example", "New laptop").await;
    let request = pending.post("/trust/approval", json!({})).await.expect(201)["request"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let cy = api.as_device(&cy_token);
    assert_eq!(
        cy.get(&format!("{API}/approvals")).await.expect(200),
        &json!({"requests": [], "total": 0})
    );
    cy.post(
        &format!("{API}/approvals/{request}/approve"),
        json!({"grant": "AAAA", "number": "123"}),
    )
    .await
    .expect_error(404, "not_found");
    cy.post(&format!("{API}/approvals/{request}/deny"), json!({}))
        .await
        .expect_error(404, "not_found");
    let bo_api = api.as_device(&bo_token);
    let open = bo_api.get(&format!("{API}/approvals")).await;
    assert_eq!(open.expect(200)["requests"].as_array().unwrap().len(), 1);
    // The request is still open for Bo.
    let status = pending.get("/trust/status").await;
    assert_eq!(status.expect(200)["request"]["status"], "pending");

    // A name that is the same as, or looks like, a trusted device's is registered (an unverified
    // caller learns nothing), and the approving side is told what it looks like.
    let look_alike = Device::register_device(&api, "bo@acme.example", "t\u{435}st DEVICE").await;
    look_alike.post("/trust/approval", json!({})).await.expect(201);
    let open = bo_api.get(&format!("{API}/approvals")).await;
    let open = open.expect(200)["requests"].clone();
    let flagged = open
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["deviceId"] == look_alike.id.as_str())
        .unwrap();
    assert_eq!(flagged["looksLike"], "Test device");

    // Pending devices never count toward the 20: registrations go on past 20 devices.
    for i in 0..18 {
        let mut keys = [0u8; 64];
        getrandom::fill(&mut keys).unwrap();
        db.register_device(&bo.id, &format!("Seeded {i}"), &keys, now())
            .await
            .unwrap();
    }
    Device::new(&api)
        .register("bo@acme.example", "One more")
        .await
        .expect(201);

    // The same address in a second workspace: the oldest workspace's user unless one is named;
    // a workspace that does not match is answered like an unknown address.
    let other = db.create_workspace("Other", now()).await.unwrap();
    db.create_user(
        &other.id,
        "bo@acme.example",
        "Bo",
        Role::User,
        UserStatus::Active,
        now(),
    )
    .await
    .unwrap();
    let keys = Device::new(&api).public.to_text();
    let path = format!("{API}/devices/register");
    let register = |workspace: Option<&str>| {
        let mut body = json!({"email": "bo@acme.example", "name": "Work laptop", "publicKeys": keys});
        if let Some(ws) = workspace {
            body["workspaceId"] = json!(ws);
        }
        api.post(&path, body)
    };
    register(None).await.expect(201);
    register(Some("no-such-workspace")).await.expect(201);
    let made = register(Some(&other.id)).await;
    let made = made.expect(201).clone();
    assert!(made.get("user").is_none());
    let device = db.device(made["device"]["id"].as_str().unwrap()).await.unwrap();
    assert_eq!(db.user(&device.user_id).await.unwrap().workspace_id, other.id);

    // Registrations per address and client are rate-limited (10 an hour), before anything is stored.
    seed_user(&db, "flood@acme.example").await;
    for i in 0..10 {
        Device::register_device(&api, "flood@acme.example", &format!("Flood {i}")).await;
    }
    let refused = Device::new(&api).register("flood@acme.example", "Flood 10").await;
    refused.expect_error(429, "rate_limited");
    assert!(refused.headers.contains_key("retry-after"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_main_flow_on_postgresql() {
    let pg = Postgres::start();
    let url = pg.fresh_database("api_trust").await;
    let db = Db::open(&Target::Postgres(url.clone()), now()).await.unwrap();
    seed_invited_owner(&db, "pg@acme.example").await;
    let dir = TempDir::new("api-trust-pg");
    let smtp = SmtpServer::start().await;
    let relay = smtp.url();
    let server = Server::start(dir.path(), &["--database-url", &url, "--smtp-url", &relay]);
    let api = server.api();
    let first = first_device(&api, &smtp, "pg@acme.example").await;
    let second = approve_second(&first, &api, "pg@acme.example").await;
    let devices = second.get("/devices").await;
    assert_eq!(devices.expect(200)["devices"].as_array().unwrap().len(), 2);
    // Codes are rate-limited through the database here too.
    let mut late = Vec::new();
    for i in 0..5 {
        late.push(Device::register_device(&api, "pg@acme.example", &format!("Extra {i}")).await);
    }
    for d in &late[..4] {
        d.email_code(&smtp).await;
    }
    late[4]
        .post("/trust/email-code", json!({}))
        .await
        .expect_error(429, "rate_limited");
    assert_no_codes_logged(&server, &smtp);
}
