//! The audit log over real HTTP (issue 18): each change through the API is recorded with who made
//! it, from where and how it ended, and never a code, key or message; admins read it filtered and
//! page by page (JSON, JSON lines, CSV with formulas neutralised); the extension reports fills.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::support::sms::{send_sms, server_env, server_flags};
use crate::support::smtp::SmtpServer;
use crate::support::trust::{code_in, code_mails, first_device, Device};
use crate::support::world::{number_path, seed_user, NewAccount};
use crate::support::{b64, member, now, open_db, Member, Server, TempDir};
use latchkey::domain::Role;

const NUMBER: &str = "+15005550131";
const SMS_TEXT: &str = "Your Instagram code is 731904. Don't share it.";

/// Every event of the caller's workspace, following the cursor 4 at a time.
async fn read_all(m: &Member, filter: &str) -> Vec<Value> {
    m.audit_events(filter, 4).await
}

fn actions(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["action"].as_str().unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_is_recorded_with_its_actor_and_never_a_secret() {
    let dir = TempDir::new("api-audit");
    let smtp = SmtpServer::start().await;
    let relay = smtp.url();
    let mut flags = server_flags();
    flags.extend(["--smtp-url", relay.as_str(), "--pool-numbers", NUMBER]);
    let server = Server::start_with_env(dir.path(), &flags, &server_env());
    let db = open_db(dir.path()).await;
    let olga_user = seed_user(&db, "olga@acme.example").await;
    let ws = olga_user.workspace_id.clone();
    let api = server.api().at_addr("127.0.7.1");

    // The trust flow: a first device, then a phone approved (after one wrong number), then disabled.
    let olga = first_device(&api, &smtp, "olga@acme.example", "Olga laptop").await;
    let email_code = code_in(code_mails(&smtp, "olga@acme.example").last().unwrap());
    let phone = Device::register_device(&server.api().at_addr("127.0.7.2"), "olga@acme.example", "Olga phone").await;
    let number = phone.post("/trust/approval", json!({})).await.expect(201)["request"]["number"]
        .as_i64()
        .unwrap();
    let listed = olga.listed(&phone.id).await;
    let wrong = if number == 100 { "101" } else { "100" };
    olga.approve(&listed, wrong).await.expect_error(422, "wrong_number");
    let number = phone.post("/trust/approval", json!({})).await.expect(201)["request"]["number"]
        .as_i64()
        .unwrap();
    let listed = olga.listed(&phone.id).await;
    olga.approve(&listed, &number.to_string()).await.expect(200);
    olga.device
        .post(&format!("/devices/{}/disable", phone.id), json!({}))
        .await
        .expect(200);
    let olga_device = olga.device.id.clone();
    let olga = Member {
        user: db.user(&olga.user_id).await.unwrap(),
        api: olga.device.api.clone(),
    };

    // People: an invitation, a colleague promoted, shared with, unshared, deprovisioned.
    olga.post("/invitations", json!({"email": "vic@acme.example", "role": "user"}))
        .await
        .expect(201);
    // An invitation cancelled, a device renamed, the number policy changed (session 12: these left
    // no event).
    let invited = olga
        .post("/invitations", json!({"email": "wes@acme.example", "role": "user"}))
        .await
        .expect(201)["invitation"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    olga.api
        .delete(&format!("/api/v1/invitations/{invited}"))
        .await
        .expect(200);
    olga.patch(&format!("/devices/{olga_device}"), json!({"name": "Olga work laptop"}))
        .await
        .expect(200);
    olga.api
        .put(
            "/api/v1/workspace/number-policy",
            json!({"minRole": "user", "quota": 5}),
        )
        .await
        .expect(200);
    let uma = member(&server, &db, &ws, "uma@acme.example", Role::User).await;
    olga.patch(&format!("/users/{}", uma.user.id), json!({"role": "admin"}))
        .await
        .expect(200);
    olga.api
        .put(
            "/api/v1/apps/instagram",
            json!({"name": "Instagram", "site": "instagram.com", "acceptsManagedNumber": true, "voipOk": false}),
        )
        .await
        .expect(200);
    let account = olga
        .create_account(NewAccount {
            app: Some("instagram"),
            ..NewAccount::default()
        })
        .await;
    olga.patch(&format!("/accounts/{account}"), json!({"name": "Brand Instagram"}))
        .await
        .expect(200);
    olga.share(&account, &uma, "member", 0).await;
    let item = olga.add_item(&account, b"otpauth secret JBSWY3DPEHPK3PXP").await;
    olga.api.post(&number_path(&account), json!({})).await.expect(201);
    send_sms(&server.api(), 1, NUMBER, SMS_TEXT).await.expect(200);
    let inbox = olga.get("/inbox").await.expect(200).clone();
    assert_eq!(inbox["messages"].as_array().unwrap().len(), 1);
    olga.post(
        "/audit/fills",
        json!({"accountId": account, "site": "www.instagram.com", "kind": "sms"}),
    )
    .await
    .expect(201);
    olga.api
        .delete(&format!("/api/v1/accounts/{account}/members/{}", uma.user.id))
        .await
        .expect(200);
    olga.post(
        &format!("/accounts/{account}/rotate"),
        json!({
            "keyGeneration": 1,
            "members": [{"userId": olga.user.id, "wrappedKey": b64(b"gen 1 key")}],
            "inboxPublicKey": b64(&[8u8; 32]), "sealedInboxPrivateKey": b64(b"gen 1 inbox"),
            "items": [{"id": item, "version": 1, "data": b64(b"re-wrapped")}],
        }),
    )
    .await
    .expect(200);
    olga.api.delete(&number_path(&account)).await.expect(200);
    olga.post(&format!("/users/{}/deprovision", uma.user.id), json!({}))
        .await
        .expect(200);

    let events = read_all(&olga, "").await;
    let seen: BTreeSet<&str> = actions(&events).into_iter().collect();
    for action in [
        "device.registered",
        "device.code_emailed",
        "device.verified",
        "device.trusted",
        "device.approval_requested",
        "device.approved",
        "device.denied",
        "device.disabled",
        "device.renamed",
        "user.invited",
        "user.invitation_cancelled",
        "app.set",
        "account.updated",
        "workspace.policy_changed",
        "user.role_changed",
        "user.deprovisioned",
        "account.created",
        "account.shared",
        "account.unshared",
        "account.rekeyed",
        "item.set",
        "number.created",
        "number.released",
        "message.received",
        "inbox.read",
        "code.filled",
    ] {
        assert!(seen.contains(action), "{action} missing from {seen:?}");
    }
    // One chain, in order: each event names the hash of the one before.
    for (i, pair) in events.windows(2).enumerate() {
        assert_eq!(pair[1]["seq"], i as i64 + 2);
        assert_eq!(pair[1]["prevHash"], pair[0]["hash"]);
    }
    assert_eq!(events[0]["prevHash"], "0".repeat(64));

    // Who, from where, how it ended.
    let find = |action: &str| events.iter().find(|e| e["action"] == action).unwrap().clone();
    let filled = find("code.filled");
    assert_eq!(filled["actorUserId"], olga.user.id.as_str());
    assert_eq!(filled["actorDeviceId"], olga_device.as_str());
    assert_eq!(filled["clientAddress"], "127.0.7.1");
    assert_eq!(filled["accountId"], account.as_str());
    assert_eq!(filled["detail"], json!({"site": "www.instagram.com", "kind": "sms"}));
    let denied = find("device.denied");
    assert_eq!(
        (denied["outcome"].as_str(), denied["targetId"].as_str()),
        (Some("wrong_number"), Some(phone.id.as_str()))
    );
    let registered = events
        .iter()
        .find(|e| e["action"] == "device.registered" && e["targetId"] == phone.id.as_str())
        .unwrap();
    assert_eq!(registered["clientAddress"], "127.0.7.2");
    let role = find("user.role_changed");
    assert_eq!(role["detail"], json!({"from": "user", "to": "admin"}));
    let received = find("message.received");
    assert_eq!(received["actorUserId"], Value::Null, "the carrier, not a person");
    assert_eq!(received["detail"]["to"], NUMBER);

    // Never a code, a key, a message or a token: look everywhere but the hashes.
    let mut text = String::new();
    for e in &events {
        let mut e = e.clone();
        e.as_object_mut().unwrap().remove("hash");
        e.as_object_mut().unwrap().remove("prevHash");
        text.push_str(&e.to_string());
    }
    for secret in [
        "731904",
        "Instagram code",
        email_code.as_str(),
        "JBSWY3DPEHPK3PXP",
        olga.api.token.as_deref().unwrap(),
    ] {
        assert!(!text.contains(secret), "{secret} is in the audit log");
    }

    // Filters: by action, account, user, time.
    let fills = read_all(&olga, "&action=code.filled").await;
    assert_eq!(actions(&fills), ["code.filled"]);
    let on_account = read_all(&olga, &format!("&account={account}")).await;
    assert!(on_account.iter().all(|e| e["accountId"] == account.as_str()));
    assert!(on_account.len() >= 8, "{on_account:?}");
    let about_uma = read_all(&olga, &format!("&user={}", uma.user.id)).await;
    assert!(actions(&about_uma).contains(&"user.deprovisioned"));
    assert!(about_uma
        .iter()
        .all(|e| e["actorUserId"] == uma.user.id.as_str() || e["targetId"] == uma.user.id.as_str()));
    assert!(read_all(&olga, &format!("&since={}", now() + 3600)).await.is_empty());
    assert_eq!(
        read_all(&olga, &format!("&until={}", now() + 3600)).await.len(),
        events.len()
    );
    olga.get("/audit?action=password.read")
        .await
        .expect_error(422, "invalid");
    olga.get("/audit?limit=0").await.expect_error(422, "invalid");

    // Exports: JSON lines and CSV, the next cursor in a header; CSV cells a spreadsheet would run
    // as formulas (a number starting with +) are neutralised.
    let lines = olga.get("/audit?format=jsonl&limit=1000").await;
    assert_eq!(lines.status, 200);
    assert_eq!(lines.text.lines().count(), events.len());
    assert!(lines.header("latchkey-next-cursor").is_some());
    let csv = olga.get("/audit?format=csv&action=number.created").await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let rows: Vec<&str> = csv.text.lines().collect();
    assert!(rows[0].starts_with("seq,at,actor_user_id"));
    assert_eq!(rows.len(), 2);
    assert!(rows[1].contains(&format!("\"'{NUMBER}\"")), "{}", rows[1]);
    assert!(!rows[1].contains(&format!(",\"{NUMBER}\"")), "{}", rows[1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_and_its_event_commit_or_roll_back_together() {
    let dir = TempDir::new("api-audit-atomic");
    let db = open_db(dir.path()).await;
    let owner = seed_user(&db, "olga@acme.example").await;
    let count = |db: latchkey::db::Db| async move {
        let accounts: i64 = sqlx::Row::get(
            &sqlx::query("SELECT COUNT(*) AS n FROM accounts")
                .fetch_one(db.pool())
                .await
                .unwrap(),
            "n",
        );
        let events: i64 = sqlx::Row::get(
            &sqlx::query("SELECT COUNT(*) AS n FROM audit_events")
                .fetch_one(db.pool())
                .await
                .unwrap(),
            "n",
        );
        (accounts, events)
    };
    let new = latchkey::db::NewAccount {
        workspace_id: &owner.workspace_id,
        app_id: None,
        site: "instagram.com",
        name: "Instagram",
        owner_id: &owner.id,
        owner_wrapped_key: b"wrapped",
        inbox_public_key: None,
        sealed_inbox_private_key: None,
    };
    db.create_account(&new, now()).await.unwrap();
    assert_eq!(count(db.clone()).await, (1, 1));
    // When the event cannot be written, the change it records is not made either.
    sqlx::query(
        "CREATE TRIGGER no_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'audit refused'); END",
    )
    .execute(db.pool())
    .await
    .unwrap();
    assert!(db.create_account(&new, now()).await.is_err());
    assert_eq!(count(db.clone()).await, (1, 1));
    sqlx::query("DROP TRIGGER no_audit").execute(db.pool()).await.unwrap();
    // A change that is refused records nothing.
    assert!(db
        .disable_device("00000000000000000000000000000000", now())
        .await
        .is_err());
    assert_eq!(count(db.clone()).await, (1, 1));
    db.create_account(&new, now()).await.unwrap();
    assert_eq!(count(db).await, (2, 2));
}

/// The console's action filter lists every action the server records, and nothing else (the
/// extension keeps its own copy of the names: this catches the two drifting apart).
#[test]
fn the_consoles_action_filter_names_every_action() {
    let js = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../extension/dashboard/console.js"
    ))
    .unwrap();
    let start = js.find("const ACTIONS = [").expect("the console's ACTIONS list");
    let list = &js[start..start + js[start..].find("];").unwrap()];
    let mut listed: Vec<&str> = list.split('\'').skip(1).step_by(2).collect();
    let mut known: Vec<&str> = latchkey::db::Action::ALL.iter().map(|a| a.as_str()).collect();
    listed.sort_unstable();
    known.sort_unstable();
    assert_eq!(listed, known);
}
