//! Attacks on automation jobs: two clicks at once (one instance, and two instances on one
//! PostgreSQL) start one job; a job is reported on only by the user who started it; a member who
//! is not an owner cannot start one; another workspace sees nothing; secrets or page text cannot
//! be stored in a job; a job whose runner died does not hold the account forever.

use serde_json::json;

use crate::support::world::NewAccount;
use crate::support::TempDir as Dir;
use crate::support::{member, now, open_db, Member, Server};
use crate::support::{Postgres, TempDir};
use latchkey::db::{Db, Target};
use latchkey::domain::Role;

fn start_path(account: &str) -> String {
    format!("/accounts/{account}/automations")
}

/// Two starts at the same moment: exactly one job is queued, the other is `409 conflict`.
async fn both_at_once(a: &Member, b: &Member, account: &str) {
    let path = start_path(account);
    let (one, two) = tokio::join!(
        a.post(&path, json!({"task": "turn-on-totp"})),
        b.post(&path, json!({"task": "turn-on-totp"})),
    );
    let mut statuses = [one.status, two.status];
    statuses.sort();
    assert_eq!(statuses, [201, 409], "{} / {}", one.text, two.text);
    let refused = if one.status == 409 { &one } else { &two };
    refused.expect_error(409, "conflict");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_clicks_at_once_start_one_job() {
    let dir = TempDir::new("abuse-automations-twice");
    let server = Server::start(dir.path(), &[]);
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let alice = member(&server, &db, &ws, "alice@acme.test", Role::Admin).await;
    let account = alice.create_account(NewAccount::default()).await;
    for _ in 0..5 {
        both_at_once(&alice, &alice, &account).await;
        let jobs = alice
            .get(&format!("/automations?account={account}&status=queued"))
            .await
            .expect(200)["jobs"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(jobs.len(), 1);
        let id = jobs[0]["id"].as_str().unwrap();
        alice
            .post(
                &format!("/automations/{id}/finish"),
                json!({"status": "failed", "reason": "cancelled"}),
            )
            .await
            .expect(200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_start_one_job() {
    let pg = Postgres::start();
    let url = pg.fresh_database("abuse_automations").await;
    let db = Db::open(&Target::Postgres(url.clone()), now()).await.unwrap();
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let (dir_a, dir_b) = (Dir::new("automations-a"), Dir::new("automations-b"));
    let key = [("LATCHKEY_SERVER_KEY", "7a".repeat(32))];
    let key: Vec<(&str, &str)> = key.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let a = Server::start_with_env(dir_a.path(), &["--database-url", &url], &key);
    let b = Server::start_with_env(dir_b.path(), &["--database-url", &url], &key);
    let alice_a = member(&a, &db, &ws, "alice@acme.test", Role::Admin).await;
    let alice_b = Member {
        user: alice_a.user.clone(),
        api: b.api().as_device(alice_a.api.token.as_deref().unwrap()),
    };
    let account = alice_a.create_account(NewAccount::default()).await;
    both_at_once(&alice_a, &alice_b, &account).await;
    let jobs = alice_b.get("/automations").await.expect(200)["jobs"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(jobs, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_starter_reports_and_only_members_read() {
    let dir = TempDir::new("abuse-automations-who");
    let server = Server::start(dir.path(), &[]);
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let other_ws = db.create_workspace("Rival", now()).await.unwrap().id;
    let alice = member(&server, &db, &ws, "alice@acme.test", Role::Admin).await;
    let carol = member(&server, &db, &ws, "carol@acme.test", Role::User).await;
    let dave = member(&server, &db, &ws, "dave@acme.test", Role::User).await;
    let mallory = member(&server, &db, &other_ws, "mallory@rival.test", Role::Owner).await;
    let account = alice.create_account(NewAccount::default()).await;
    alice.share(&account, &carol, "owner", 0).await;
    alice.share(&account, &dave, "member", 0).await;

    dave.post(&start_path(&account), json!({"task": "turn-on-totp"}))
        .await
        .expect_error(403, "forbidden");
    mallory
        .post(&start_path(&account), json!({"task": "turn-on-totp"}))
        .await
        .expect_error(404, "not_found");
    let id = alice
        .post(&start_path(&account), json!({"task": "turn-on-totp"}))
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Another owner of the account cannot write into Alice's job, nor end it.
    carol
        .post(
            &format!("/automations/{id}/steps"),
            json!({"line": 1, "kind": "open", "outcome": "ok"}),
        )
        .await
        .expect_error(404, "not_found");
    carol
        .post(&format!("/automations/{id}/finish"), json!({"status": "succeeded"}))
        .await
        .expect_error(404, "not_found");
    mallory
        .get(&format!("/automations/{id}"))
        .await
        .expect_error(404, "not_found");
    assert_eq!(mallory.get("/automations").await.expect(200)["jobs"], json!([]));
    mallory
        .get(&format!("/automations?account={account}"))
        .await
        .expect_error(404, "not_found");
    dave.get(&format!("/automations/{id}")).await.expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_or_page_text_is_stored_in_a_job() {
    let dir = TempDir::new("abuse-automations-text");
    let server = Server::start(dir.path(), &[]);
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let alice = member(&server, &db, &ws, "alice@acme.test", Role::Admin).await;
    let account = alice.create_account(NewAccount::default()).await;
    let id = alice
        .post(&start_path(&account), json!({"task": "turn-on-totp"}))
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    let secret = "JBSWY3DPEHPK3PXP";
    for body in [
        json!({"line": 3, "kind": "read", "outcome": "ok", "reason": secret}),
        json!({"line": 3, "kind": secret, "outcome": "ok"}),
        json!({"line": 3, "kind": "read", "outcome": secret}),
        json!({"line": 3, "kind": "read", "outcome": "ok", "value": secret}),
    ] {
        let reply = alice.post(&format!("/automations/{id}/steps"), body).await;
        assert!(matches!(reply.status, 400 | 422), "{}", reply.text);
    }
    alice
        .post(
            &format!("/automations/{id}/finish"),
            json!({"status": "failed", "reason": secret}),
        )
        .await
        .expect_error(422, "invalid");
    // Nothing of it reached the database file or the log.
    drop(db);
    let mut stored = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            stored.extend(std::fs::read(&path).unwrap());
        }
    }
    assert!(
        !String::from_utf8_lossy(&stored).contains(secret),
        "the secret reached the data directory"
    );
    assert!(!server.stderr().contains(secret), "the secret reached the log");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_whose_runner_died_stops_holding_the_account() {
    let dir = TempDir::new("abuse-automations-stale");
    let server = Server::start(dir.path(), &[]);
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let alice = member(&server, &db, &ws, "alice@acme.test", Role::Admin).await;
    let account = alice.create_account(NewAccount::default()).await;
    let id = alice
        .post(&start_path(&account), json!({"task": "turn-on-totp"}))
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    alice
        .post(
            &format!("/automations/{id}/steps"),
            json!({"line": 7, "kind": "open", "outcome": "ok"}),
        )
        .await
        .expect(200);
    alice
        .post(&start_path(&account), json!({"task": "turn-on-totp"}))
        .await
        .expect_error(409, "conflict");
    // The runner went silent eleven minutes ago (the browser was closed mid-job).
    sqlx::query("UPDATE automation_jobs SET updated_at = $1 WHERE id = $2")
        .bind(now() - 11 * 60)
        .bind(&id)
        .execute(db.pool())
        .await
        .unwrap();
    alice
        .post(&start_path(&account), json!({"task": "turn-on-totp"}))
        .await
        .expect(201);
    let old = alice.get(&format!("/automations/{id}")).await.expect(200).clone();
    assert_eq!(
        (old["job"]["status"].as_str(), old["job"]["reason"].as_str()),
        (Some("needs_attention"), Some("runner_stopped"))
    );
    assert_eq!(old["steps"][0]["line"], 7, "the log says where it stopped");
}
