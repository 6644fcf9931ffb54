//! SMS intake and the shared inbox over real HTTP: Twilio-signed webhooks (signed by the official
//! `twilio` package), sealing to the account's inbox key (opened here with the real core), stored
//! once per MessageSid, who may read the inbox, the wait endpoint's latency, and waking a waiter on
//! another instance through PostgreSQL.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::sms::*;
use crate::support::{now, open_db, trusted_device, trusted_user, Api, Reply, Server};
use crate::support::{Postgres, TempDir};
use latchkey::db::{Db, Target};
use latchkey::domain::Role;
use latchkey_core::vault::{Context, Envelope, InboxKeyPair, Sms};

fn decode_b64url(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text).unwrap()
}

/// Opens one listed message with the account's inbox key, as the extension does.
fn open(message: &Value, workspace_id: &str, inbox: &InboxKeyPair) -> Sms {
    let envelope = Envelope::from_bytes(decode_b64url(message["sealed"].as_str().unwrap())).unwrap();
    let context = Context::sms(
        workspace_id,
        message["accountId"].as_str().unwrap(),
        message["id"].as_str().unwrap(),
    );
    Sms::open(inbox, &envelope, &context).unwrap()
}

async fn stored_count(db: &Db) -> i64 {
    db.count_sms("twilio").await.unwrap().0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_sms_is_sealed_stored_once_and_readable_by_members_only() {
    let dir = TempDir::new("inbox-intake");
    let server = Server::start_with_env(dir.path(), &server_flags(), &server_env());
    let db = open_db(dir.path()).await;
    let f = seed(&db, "+18005550101").await;
    let text = "Your Northwind code is 493021. Don't share it.";
    let sid = message_sid(1);
    let params = sms_params(&sid, "+14155550100", &f.number, text);
    let good = sign_all(std::slice::from_ref(&params)).remove(0);
    let api = server.api();

    // Missing, wrong, and right-but-for-other-params signatures: 403 and nothing stored.
    post_sms(&api, &params, None).await.expect_error(403, "bad_signature");
    post_sms(&api, &params, Some("AAAAAAAAAAAAAAAAAAAAAAAAAAA="))
        .await
        .expect_error(403, "bad_signature");
    let mut tampered = params.clone();
    tampered.iter_mut().find(|(n, _)| n == "Body").unwrap().1 = "Your code is 000000".into();
    post_sms(&api, &tampered, Some(&good))
        .await
        .expect_error(403, "bad_signature");
    assert_eq!(stored_count(&db).await, 0);

    // The right one: acknowledged with empty TwiML, once stored.
    let reply = post_sms(&api, &params, Some(&good)).await;
    reply.expect(200);
    assert_eq!(reply.headers["content-type"], "text/xml");
    assert!(reply.text.contains("<Response/>"), "{}", reply.text);
    assert_eq!(stored_count(&db).await, 1);
    // A redelivery (Twilio retrying) is acknowledged and not stored again.
    post_sms(&api, &params, Some(&good)).await.expect(200);
    assert_eq!(db.count_sms("twilio").await.unwrap(), (1, 1));

    // Stored sealed: the text is not in the database in clear, and the inbox key opens it.
    let stored = db.sms_for_account(&f.account_id, 0, 10).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!String::from_utf8_lossy(&stored[0].sealed).contains("493021"));
    assert!(!server.stderr().contains("493021"), "the SMS text reached the log");

    // The owner (a member) lists it and opens it.
    let owner = api.as_device(&f.owner_token);
    let page = owner.get("/api/v1/inbox").await.expect(200).clone();
    let messages = page["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1);
    let m = &messages[0];
    assert_eq!(
        (m["id"].as_str(), m["accountId"].as_str()),
        (Some(sid.as_str()), Some(f.account_id.as_str()))
    );
    assert_eq!(
        (m["from"].as_str(), m["to"].as_str()),
        (Some("+14155550100"), Some(f.number.as_str()))
    );
    assert_eq!(page["last"], m["seq"]);
    let sms = open(m, &f.workspace_id, &f.inbox);
    assert_eq!((sms.text.as_str(), sms.from.as_str()), (text, "+14155550100"));
    // The same through the one-account filter; nothing after the cursor.
    let one = owner
        .get(&format!("/api/v1/inbox?account={}", f.account_id))
        .await
        .expect(200)
        .clone();
    assert_eq!(one["messages"].as_array().unwrap().len(), 1);
    let after = owner
        .get(&format!("/api/v1/inbox?after={}", page["last"]))
        .await
        .expect(200)
        .clone();
    assert_eq!(after["messages"].as_array().unwrap().len(), 0);
    assert_eq!(after["last"], page["last"]);

    // A user of the workspace who is not a member: 404 for the account, nothing in their inbox.
    let (_outsider, outsider_token) = trusted_user(&db, &f.workspace_id, "outsider@example.com", Role::User).await;
    let outsider = api.as_device(&outsider_token);
    outsider
        .get(&format!("/api/v1/inbox?account={}", f.account_id))
        .await
        .expect_error(404, "not_found");
    outsider
        .get(&format!("/api/v1/inbox/wait?timeout=1&account={}", f.account_id))
        .await
        .expect_error(404, "not_found");
    let theirs = outsider.get("/api/v1/inbox").await.expect(200).clone();
    assert_eq!(theirs["messages"].as_array().unwrap().len(), 0);
    // Once made a member, they see it.
    db.put_member(
        &f.account_id,
        &_outsider.id,
        latchkey::db::AccountRole::Member,
        b"wrapped",
        1,
    )
    .await
    .unwrap();
    let theirs = outsider
        .get(&format!("/api/v1/inbox?account={}", f.account_id))
        .await
        .expect(200)
        .clone();
    assert_eq!(theirs["messages"].as_array().unwrap().len(), 1);

    // The owner's pending device is refused, as is a disabled one and no token at all.
    let pending = db
        .register_device(&f.owner.id, "New laptop", &[7u8; 64], now())
        .await
        .unwrap();
    let pending_token = db.issue_device_token(&pending.id, now()).await.unwrap();
    api.as_device(&pending_token)
        .get("/api/v1/inbox")
        .await
        .expect_error(403, "untrusted_device");
    api.as_device(&pending_token)
        .get("/api/v1/inbox/wait?timeout=1")
        .await
        .expect_error(403, "untrusted_device");
    let old = db
        .register_device(&f.owner.id, "Old laptop", &[8u8; 64], now())
        .await
        .unwrap();
    db.approve_device_self(&old.id, b"envelope").await.unwrap();
    let old_token = db.issue_device_token(&old.id, now()).await.unwrap();
    api.as_device(&old_token).get("/api/v1/inbox").await.expect(200);
    db.disable_device(&old.id, now()).await.unwrap();
    api.as_device(&old_token)
        .get("/api/v1/inbox")
        .await
        .expect_error(401, "device_disabled");
    api.get("/api/v1/inbox").await.expect_error(401, "unauthenticated");

    // Bad query values are JSON errors.
    owner.get("/api/v1/inbox?limit=0").await.expect_error(422, "invalid");
    owner.get("/api/v1/inbox?after=-1").await.expect_error(422, "invalid");
    owner
        .get("/api/v1/inbox/wait?timeout=26")
        .await
        .expect_error(422, "invalid");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_numbers_and_accounts_without_inbox_keys_are_dropped_and_acknowledged() {
    let dir = TempDir::new("inbox-unknown");
    let server = Server::start_with_env(dir.path(), &server_flags(), &server_env());
    let db = open_db(dir.path()).await;
    let f = seed(&db, "+18005550102").await;
    // A number the workspace never had, and one it has but no account holds.
    db.add_phone_number(&f.workspace_id, "+18005550103", "pool", None, now())
        .await
        .unwrap();
    // And an account that has a number but no inbox key yet.
    let keyless = db
        .create_account(
            &latchkey::db::NewAccount {
                workspace_id: &f.workspace_id,
                app_id: None,
                site: "keyless.example",
                name: "Keyless",
                owner_id: &f.owner.id,
                owner_wrapped_key: b"wrapped",
                inbox_public_key: None,
                sealed_inbox_private_key: None,
            },
            now(),
        )
        .await
        .unwrap();
    db.add_phone_number(&f.workspace_id, "+18005550108", "pool", None, now())
        .await
        .unwrap();
    db.assign_phone_number("+18005550108", &keyless.id, now())
        .await
        .unwrap();
    let forms = vec![
        sms_params(&message_sid(10), "+14155550100", "+18005550999", "code 111111"),
        sms_params(&message_sid(11), "+14155550100", "+18005550103", "code 222222"),
        sms_params(&message_sid(13), "+14155550100", "+18005550108", "code 333333"),
    ];
    let signatures = sign_all(&forms);
    for (form, signature) in forms.iter().zip(&signatures) {
        let reply = post_sms(&server.api(), form, Some(signature)).await;
        reply.expect(200);
        assert!(reply.text.contains("<Response/>"));
    }
    assert_eq!(stored_count(&db).await, 0);
    // The log is read from the server's stderr by another thread: give it a moment under load.
    let mut drops = 0;
    for _ in 0..100 {
        drops = server
            .log_events()
            .into_iter()
            .filter(|e| e["event"] == "sms_dropped")
            .count();
        if drops >= 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(drops, 3, "{}", server.stderr());
    for code in ["111111", "222222", "333333"] {
        assert!(!server.stderr().contains(code), "an SMS text reached the log");
    }

    // Over 64 KiB: refused before anything is read.
    let huge = server
        .api()
        .raw(
            "POST",
            WEBHOOK_PATH,
            Some("application/x-www-form-urlencoded"),
            vec![b'a'; 64 * 1024 + 1],
            &[("x-twilio-signature", &signatures[0])],
        )
        .await;
    huge.expect_error(413, "payload_too_large");

    // A signed but malformed form (no Body) is refused, and not stored.
    let mut form = sms_params(&message_sid(12), "+14155550100", &f.number, "x");
    form.retain(|(n, _)| n != "Body");
    let signature = sign_all(std::slice::from_ref(&form)).remove(0);
    post_sms(&server.api(), &form, Some(&signature))
        .await
        .expect_error(400, "bad_request");
    assert_eq!(stored_count(&db).await, 0);
}

/// Starts `GET /inbox/wait` in the background; returns when it has answered, with its reply.
fn spawn_wait(api: Api, query: String) -> tokio::task::JoinHandle<(Reply, Instant)> {
    tokio::spawn(async move {
        let reply = api.get(&format!("/api/v1/inbox/wait?{query}")).await;
        (reply, Instant::now())
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_answers_within_a_second_of_a_message_and_times_out_empty() {
    let dir = TempDir::new("inbox-wait");
    let server = Server::start_with_env(dir.path(), &server_flags(), &server_env());
    let db = open_db(dir.path()).await;
    let f = seed(&db, "+18005550104").await;
    // A second account of the same owner and one of another user: only announcements for the
    // caller's accounts wake it.
    let (other_owner, _) = trusted_user(&db, &f.workspace_id, "other@example.com", Role::User).await;
    let other_number = "+18005550105";
    add_account(&db, &f.workspace_id, &other_owner, other_number).await;
    let owner = server.api().as_device(&f.owner_token);

    let forms: Vec<_> = (0..6)
        .map(|i| {
            let to = if i == 0 { other_number } else { f.number.as_str() };
            sms_params(&message_sid(100 + i), "22395", to, &format!("Northwind code {i}"))
        })
        .collect();
    let signatures = sign_all(&forms);

    // Times out empty with the cursor unchanged, even though another user's account gets a message.
    let started = Instant::now();
    let waiter = spawn_wait(owner.clone(), "after=0&timeout=2".into());
    tokio::time::sleep(Duration::from_millis(300)).await;
    post_sms(&server.api(), &forms[0], Some(&signatures[0]))
        .await
        .expect(200);
    let (reply, done) = waiter.await.unwrap();
    let body = reply.expect(200);
    assert_eq!(body["messages"].as_array().unwrap().len(), 0, "{body}");
    assert_eq!(body["last"], 0);
    let waited = done - started;
    assert!(
        waited >= Duration::from_millis(1900) && waited < Duration::from_secs(4),
        "{waited:?}"
    );

    // Answers within a second of the post, with the message; five times, each after the last cursor.
    let mut last = 0;
    for i in 1..6 {
        let query = if i % 2 == 0 {
            format!("after={last}&timeout=10&account={}", f.account_id)
        } else {
            format!("after={last}&timeout=10")
        };
        let waiter = spawn_wait(owner.clone(), query);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!waiter.is_finished(), "the wait answered before there was a message");
        let posted = Instant::now();
        post_sms(&server.api(), &forms[i], Some(&signatures[i]))
            .await
            .expect(200);
        let (reply, done) = waiter.await.unwrap();
        let latency = done - posted;
        assert!(
            latency < Duration::from_secs(1),
            "the waiter answered {latency:?} after the post"
        );
        let body = reply.expect(200).clone();
        let messages = body["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 1, "{body}");
        assert_eq!(
            open(&messages[0], &f.workspace_id, &f.inbox).text,
            format!("Northwind code {i}")
        );
        last = body["last"].as_i64().unwrap();
    }

    // A message already there is answered at once.
    let now = Instant::now();
    let body = owner
        .get("/api/v1/inbox/wait?after=0&timeout=10")
        .await
        .expect(200)
        .clone();
    assert_eq!(body["messages"].as_array().unwrap().len(), 5);
    assert!(now.elapsed() < Duration::from_secs(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_instances_wake_each_others_waiters() {
    let pg = Postgres::start();
    let url = pg.fresh_database("inbox_relay").await;
    let (dir_a, dir_b) = (TempDir::new("inbox-pg-a"), TempDir::new("inbox-pg-b"));
    let flags: Vec<&str> = [server_flags(), vec!["--database-url", url.as_str()]].concat();
    let a = Server::start_with_env(dir_a.path(), &flags, &server_env());
    let b = Server::start_with_env(dir_b.path(), &flags, &server_env());
    let db = Db::open(&Target::Postgres(url.clone()), now()).await.unwrap();
    let f = seed(&db, "+18005550106").await;
    let second_device = trusted_device(&db, &f.owner, "Second device").await;

    let forms: Vec<_> = (0..4)
        .map(|i| {
            sms_params(
                &message_sid(200 + i),
                "+14155550100",
                &f.number,
                &format!("pg code {i}"),
            )
        })
        .collect();
    let signatures = sign_all(&forms);
    let mut last = 0;
    for i in 0..4 {
        // Alternate: post to A, wait on B; post to B, wait on A.
        let (post_to, wait_on) = if i % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let waiter = spawn_wait(
            wait_on.api().as_device(&second_device),
            format!("after={last}&timeout=10"),
        );
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert!(!waiter.is_finished());
        let posted = Instant::now();
        post_sms(&post_to.api(), &forms[i], Some(&signatures[i]))
            .await
            .expect(200);
        let (reply, done) = waiter.await.unwrap();
        let latency = done - posted;
        assert!(
            latency < Duration::from_secs(1),
            "the other instance's waiter answered {latency:?} after the post"
        );
        let body = reply.expect(200).clone();
        let messages = body["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 1, "{body}");
        assert_eq!(
            open(&messages[0], &f.workspace_id, &f.inbox).text,
            format!("pg code {i}")
        );
        last = body["last"].as_i64().unwrap();
    }
    // Both instances' LISTEN connections are cut (as by a database restart or failover): the relays
    // reconnect, and a waiter on B still wakes for a post to A.
    let cut = sqlx::query(
        "SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    assert_eq!(cut.len(), 2, "one LISTEN connection per instance");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let form = sms_params(&message_sid(299), "+14155550100", &f.number, "after the cut");
    let signature = sign_all(std::slice::from_ref(&form)).remove(0);
    let waiter = spawn_wait(b.api().as_device(&second_device), format!("after={last}&timeout=10"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let posted = Instant::now();
    post_sms(&a.api(), &form, Some(&signature)).await.expect(200);
    let (reply, done) = waiter.await.unwrap();
    assert!(
        done - posted < Duration::from_secs(1),
        "{:?} after the post, once reconnected",
        done - posted
    );
    assert_eq!(reply.expect(200)["messages"].as_array().unwrap().len(), 1);
    assert!(
        b.log_events().iter().any(|e| e["event"] == "inbox_relay_disconnected"),
        "{}",
        b.stderr()
    );

    // Redelivered to the other instance: stored once.
    post_sms(&b.api(), &forms[0], Some(&signatures[0])).await.expect(200);
    assert_eq!(db.count_sms("twilio").await.unwrap(), (5, 5));
    assert_eq!(
        a.api().as_device(&f.owner_token).get("/api/v1/inbox").await.expect(200)["messages"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
}
