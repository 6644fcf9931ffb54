//! Managed numbers as an attacker would use them, against the real binary over loopback.
//!
//! - Any user could obtain numbers until the pool was empty (with Twilio, each one a purchase):
//!   now a workspace policy says who may (a minimum role, admin by default) and how many the
//!   workspace may have (a quota), both checked by the database in the transaction that hands the
//!   number out; admins see and change the policy.
//! - A released number went to the next account at once, so the texts the old account's app kept
//!   sending reached someone else: now it stays in quarantine (45 days), no other account gets it,
//!   and its texts are dropped.
//! - Two instances on one PostgreSQL each counted on their own: now eight purchases raced through
//!   two instances stop at the quota, with exactly that many numbers bought.

use serde_json::{json, Value};

use crate::support::sms::send_sms;
use crate::support::world::{number_path, NewAccount};
use crate::support::{member, now, open_db, Member, Server};
use crate::support::{Postgres, TempDir};
use latchkey::db::Db;
use latchkey::domain::Role;

/// An account of the catalog's Instagram (takes managed numbers, not VoIP), owned by `owner`.
async fn instagram_account(owner: &Member) -> String {
    owner
        .create_account(NewAccount {
            app: Some("instagram"),
            ..NewAccount::default()
        })
        .await
}

const POLICY: &str = "/api/v1/workspace/number-policy";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_may_obtain_numbers_and_how_many_is_the_workspaces_policy() {
    let dir = TempDir::new("abuse-number-policy");
    let server = Server::start(
        dir.path(),
        &["--pool-numbers", "+15005550201,+15005550202,+15005550203"],
    );
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let adam = member(&server, &db, &ws, "adam@acme.test", Role::Admin).await;
    let uma = member(&server, &db, &ws, "uma@acme.test", Role::User).await;
    let uma_account = instagram_account(&uma).await;
    let adam_account = instagram_account(&adam).await;

    // By default only admins and above obtain numbers: Uma owns her account, but is a User.
    let refused = uma.api.post(&number_path(&uma_account), json!({})).await;
    refused.expect_error(403, "forbidden");
    assert!(refused.text.contains("admins"), "{}", refused.text);
    assert!(db.account_phone_number(&uma_account).await.unwrap().is_none());
    let policy = uma.api.get(POLICY).await.expect(200).clone();
    assert_eq!(
        policy,
        json!({"minRole": "admin", "quota": 10, "used": {"held": 0, "quarantined": 0, "beingObtained": 0},
               "quarantineDays": 45, "mayObtain": false, "addressQuota": 100, "addresses": {"held": 0, "quarantined": 0}})
    );
    // Users cannot change it; admins can; nonsense is refused.
    uma.api
        .put(POLICY, json!({"minRole": "user", "quota": 100}))
        .await
        .expect_error(403, "forbidden");
    for bad in [
        json!({"minRole": "root", "quota": 1}),
        json!({"minRole": "user", "quota": -1}),
        json!({"minRole": "user", "quota": 5000}),
    ] {
        adam.api.put(POLICY, bad).await.expect_error(422, "invalid");
    }
    let changed = adam.api.put(POLICY, json!({"minRole": "user", "quota": 1})).await;
    assert_eq!(changed.expect(200)["minRole"], "user");

    // Now Uma may, and the quota of one is hers.
    uma.api.post(&number_path(&uma_account), json!({})).await.expect(201);
    let full = adam.api.post(&number_path(&adam_account), json!({})).await;
    full.expect_error(409, "limit_reached");
    assert!(full.text.contains("quota"), "{}", full.text);
    // A released number still counts (it is still the workspace's, in quarantine)…
    uma.api.delete(&number_path(&uma_account)).await.expect(200);
    adam.api
        .post(&number_path(&adam_account), json!({}))
        .await
        .expect_error(409, "limit_reached");
    let used = adam.api.get(POLICY).await.expect(200)["used"].clone();
    assert_eq!(used, json!({"held": 0, "quarantined": 1, "beingObtained": 0}));
    // …and its own account may take it back without more quota.
    assert_eq!(
        uma.api.post(&number_path(&uma_account), json!({})).await.expect(201)["number"],
        "+15005550201"
    );
    // A policy tightened a moment ago counts at once.
    adam.api
        .put(POLICY, json!({"minRole": "admin", "quota": 3}))
        .await
        .expect(200);
    let uma_second = instagram_account(&uma).await;
    uma.api
        .post(&number_path(&uma_second), json!({}))
        .await
        .expect_error(403, "forbidden");
    adam.api.post(&number_path(&adam_account), json!({})).await.expect(201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_released_number_goes_to_no_one_while_in_quarantine() {
    let dir = TempDir::new("abuse-number-quarantine");
    let flags = [
        crate::support::sms::server_flags(),
        vec!["--pool-numbers", "+15005550211,+15005550212"],
    ]
    .concat();
    let server = Server::start_with_env(dir.path(), &flags, &crate::support::sms::server_env());
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let alice = member(&server, &db, &ws, "alice@acme.test", Role::Admin).await;
    let mallory = member(&server, &db, &ws, "mallory@acme.test", Role::Admin).await;
    let (a, b, c) = (
        instagram_account(&alice).await,
        instagram_account(&mallory).await,
        instagram_account(&mallory).await,
    );
    let first = alice.api.post(&number_path(&a), json!({})).await.expect(201)["number"]
        .as_str()
        .unwrap()
        .to_string();
    // Alice's app knows this number. She releases it; Mallory asks for numbers at once.
    alice.api.delete(&number_path(&a)).await.expect(200);
    let got = mallory.api.post(&number_path(&b), json!({})).await.expect(201)["number"].clone();
    assert_ne!(
        got,
        first.as_str(),
        "a released number went straight to another account"
    );
    mallory
        .api
        .post(&number_path(&c), json!({}))
        .await
        .expect_error(503, "no_numbers_available");

    // The app texts the released number: the text is dropped, logged, and reaches nobody.
    assert_eq!(
        send_sms(&server.api(), 1, &first, "Your code is 314159").await.status,
        200
    );
    assert_eq!(
        db.count_sms("twilio").await.unwrap().0,
        0,
        "a text to a quarantined number was stored"
    );
    for who in [&alice, &mallory] {
        let inbox: Value = who.api.get("/api/v1/inbox").await.expect(200).clone();
        assert_eq!(inbox["messages"], json!([]));
    }
    assert!(
        server.logged("the number was released and is in quarantine").await,
        "{}",
        server.stderr()
    );

    // Once the quarantine is over, the number is anyone's again.
    sqlx::query("UPDATE phone_numbers SET quarantined_until = $1 WHERE e164 = $2")
        .bind(now() - 1)
        .bind(&first)
        .execute(db.pool())
        .await
        .unwrap();
    assert_eq!(
        mallory.api.post(&number_path(&c), json!({})).await.expect(201)["number"],
        first.as_str()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_postgres_do_not_exceed_the_quota() {
    use crate::support::twilio_api::{Numbers, StandIn, ACCOUNT_SID, AUTH_TOKEN};

    const QUOTA: i64 = 2;
    const TRIES: usize = 8;
    let mut available = std::collections::HashMap::new();
    available.insert(
        "Mobile".to_string(),
        (0..20).map(|i| format!("+1415555{:04}", 300 + i)).collect::<Vec<_>>(),
    );
    let twilio = StandIn::start(Numbers {
        available,
        ..Numbers::default()
    })
    .await;
    let pg = Postgres::start();
    let url = pg.fresh_database("abuse_quota").await;
    let flags = [
        "--database-url",
        url.as_str(),
        "--numbers",
        "twilio",
        "--twilio-account-sid",
        ACCOUNT_SID,
        "--twilio-api-url",
        twilio.base_url.as_str(),
    ];
    let env = [
        ("LATCHKEY_TWILIO_AUTH_TOKEN", AUTH_TOKEN),
        ("LATCHKEY_SERVER_KEY", crate::support::sms::SERVER_KEY),
    ];
    let (dir_a, dir_b) = (TempDir::new("abuse-quota-a"), TempDir::new("abuse-quota-b"));
    let a = Server::start_with_env(dir_a.path(), &flags, &env);
    let b = Server::start_with_env(dir_b.path(), &flags, &env);
    let db = Db::open(&latchkey::db::Target::Postgres(url.clone()), now())
        .await
        .unwrap();
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let admin = member(&a, &db, &ws, "admin@acme.test", Role::Admin).await;
    admin
        .api
        .put(POLICY, json!({"minRole": "admin", "quota": QUOTA}))
        .await
        .expect(200);
    let mut accounts = Vec::new();
    for _ in 0..TRIES {
        accounts.push(instagram_account(&admin).await);
    }
    // The same device's token works on both instances (they share the database).
    let token = admin.api.token.clone().unwrap();
    let tasks: Vec<_> = accounts
        .iter()
        .enumerate()
        .map(|(i, account)| {
            let api = if i % 2 == 0 { a.api() } else { b.api() }.as_device(&token);
            let path = number_path(account);
            tokio::spawn(async move { api.post(&path, json!({})).await })
        })
        .collect();
    let mut created = 0;
    let mut refused = 0;
    for task in tasks {
        let reply = task.await.unwrap();
        match reply.status {
            201 => created += 1,
            409 if reply.code() == "limit_reached" => refused += 1,
            _ => panic!("unexpected reply: {}", reply.text),
        }
    }
    assert_eq!((created, refused), (QUOTA, TRIES as i64 - QUOTA));
    // What Twilio sold: a POST for a number the other instance had just bought is refused (21422)
    // and the buyer tries the next one, so the POSTs outnumber the purchases by chance.
    let purchases = twilio.state.lock().unwrap().owned.len();
    assert_eq!(purchases as i64, QUOTA, "numbers were bought beyond the quota");
    let held: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM phone_numbers WHERE workspace_id = $1 AND account_id IS NOT NULL")
            .bind(&ws)
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!(held, QUOTA);
    db.close().await;
}
