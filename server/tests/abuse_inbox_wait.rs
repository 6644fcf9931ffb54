//! Attacks on the inbox's long poll, against the real binary over loopback: an `/inbox/wait` opened
//! while its caller still had access must not deliver a text that arrives after the access ended.
//! Access used to be decided once, when the wait began; a member removed from the account (or a
//! device disabled, a user deprovisioned) kept a request open for up to 25 s and received the next
//! code. Each test opens the wait, ends the access, texts the number, and checks the waiter gets
//! nothing of it (while the message did arrive for those who still may read it).

use std::time::Duration;

use serde_json::{json, Value};

use crate::support::sms::*;
use crate::support::TempDir;
use crate::support::{open_db, trusted_device, trusted_user, Api, Reply, Server};
use latchkey::db::AccountRole;
use latchkey::domain::Role;

/// Starts a wait as `api`; returns its eventual reply.
fn wait(api: &Api, query: &str) -> tokio::task::JoinHandle<Reply> {
    let api = api.clone();
    let path = format!("/api/v1/inbox/wait?{query}");
    tokio::spawn(async move { api.get(&path).await })
}

/// The waiter got no message: a refusal, or an empty page.
#[track_caller]
fn got_nothing(reply: &Reply) {
    let messages = reply.body["messages"].as_array().map_or(0, Vec::len);
    assert_eq!(
        messages, 0,
        "the waiter received a message after losing access: {}",
        reply.text
    );
    assert!(!reply.text.contains("sealed"), "{}", reply.text);
}

/// The account's owner still reads the message: it did arrive.
async fn owner_reads_one(owner: &Api, account: &str) {
    let page = owner.get(&format!("/api/v1/inbox?account={account}")).await;
    assert_eq!(
        page.expect(200)["messages"].as_array().unwrap().len(),
        1,
        "{}",
        page.text
    );
}

struct World {
    server: Server,
    f: Fixture,
    owner: Api,
    bob: Api,
    bob_id: String,
}

/// A workspace whose account (holding a number) is shared with Bob, a plain member.
async fn world(dir: &TempDir) -> World {
    let server = Server::start_with_env(dir.path(), &server_flags(), &server_env());
    let db = open_db(dir.path()).await;
    let f = seed(&db, "+18005550131").await;
    let (bob, token) = trusted_user(&db, &f.workspace_id, "bob@example.com", Role::User).await;
    db.put_member(&f.account_id, &bob.id, AccountRole::Member, b"wrapped for bob", 1)
        .await
        .unwrap();
    World {
        owner: server.api().as_device(&f.owner_token),
        bob: server.api().as_device(&token),
        bob_id: bob.id,
        server,
        f,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_removed_during_a_wait_gets_nothing_of_the_next_text() {
    let dir = TempDir::new("abuse-wait-removed");
    let w = world(&dir).await;
    let one = wait(&w.bob, &format!("account={}&after=0&timeout=10", w.f.account_id));
    let all = wait(&w.bob, "after=0&timeout=4");
    tokio::time::sleep(Duration::from_millis(400)).await;
    w.owner
        .delete(&format!("/api/v1/accounts/{}/members/{}", w.f.account_id, w.bob_id))
        .await
        .expect(200);
    send_sms(&w.server.api(), 1, &w.f.number, "Your code is 246810")
        .await
        .expect(200);

    let one = tokio::time::timeout(Duration::from_secs(15), one)
        .await
        .unwrap()
        .unwrap();
    got_nothing(&one);
    one.expect_error(404, "not_found");
    got_nothing(
        &tokio::time::timeout(Duration::from_secs(15), all)
            .await
            .unwrap()
            .unwrap(),
    );
    owner_reads_one(&w.owner, &w.f.account_id).await;
    // And a new request is refused as before.
    w.bob
        .get(&format!("/api/v1/inbox?account={}", w.f.account_id))
        .await
        .expect_error(404, "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_disabled_during_a_wait_gets_nothing_of_the_next_text() {
    let dir = TempDir::new("abuse-wait-disabled");
    let w = world(&dir).await;
    // Bob's other device disables this one (lost, stolen) while it waits.
    let db = open_db(dir.path()).await;
    let bob = db.user(&w.bob_id).await.unwrap();
    let other = w.server.api().as_device(&trusted_device(&db, &bob, "Device").await);
    let devices: Value = w.bob.get("/api/v1/devices").await.expect(200).clone();
    let this = devices["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["current"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let one = wait(&w.bob, &format!("account={}&after=0&timeout=10", w.f.account_id));
    let all = wait(&w.bob, "after=0&timeout=10");
    tokio::time::sleep(Duration::from_millis(400)).await;
    other
        .post(&format!("/api/v1/devices/{this}/disable"), json!({}))
        .await
        .expect(200);
    send_sms(&w.server.api(), 2, &w.f.number, "Your code is 135791")
        .await
        .expect(200);

    for waiter in [one, all] {
        let reply = tokio::time::timeout(Duration::from_secs(15), waiter)
            .await
            .unwrap()
            .unwrap();
        got_nothing(&reply);
        reply.expect_error(401, "device_disabled");
    }
    owner_reads_one(&w.owner, &w.f.account_id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_deprovisioned_during_a_wait_gets_nothing_of_the_next_text() {
    let dir = TempDir::new("abuse-wait-deprovisioned");
    let w = world(&dir).await;
    let one = wait(&w.bob, &format!("account={}&after=0&timeout=10", w.f.account_id));
    tokio::time::sleep(Duration::from_millis(400)).await;
    // The workspace owner (also the account's owner) deprovisions Bob.
    w.owner
        .post(&format!("/api/v1/users/{}/deprovision", w.bob_id), json!({}))
        .await
        .expect(200);
    send_sms(&w.server.api(), 3, &w.f.number, "Your code is 975310")
        .await
        .expect(200);

    let reply = tokio::time::timeout(Duration::from_secs(15), one)
        .await
        .unwrap()
        .unwrap();
    got_nothing(&reply);
    reply.expect_error(401, "user_deprovisioned");
    owner_reads_one(&w.owner, &w.f.account_id).await;
}
