//! Managed phone numbers over real HTTP: the local pool (obtain, release, exhaustion, restart),
//! apps that do not take managed numbers, owners only, and the Twilio provider end to end through
//! the server against a stand-in for Twilio's REST API.

use serde_json::json;

use crate::support::server::serve_refused;
use crate::support::world::{number_path, NewAccount};
use crate::support::TempDir;
use crate::support::{b64, member, now, open_db, Member, Server};
use latchkey::domain::Role;

async fn put_app(admin: &Member, id: &str, accepts: bool, voip_ok: bool) {
    admin
        .api
        .put(
            &format!("/api/v1/apps/{id}"),
            json!({"name": id, "site": format!("{id}.example"), "acceptsManagedNumber": accepts, "voipOk": voip_ok}),
        )
        .await
        .expect(200);
}

async fn make_account(owner: &Member, app: Option<&str>) -> String {
    owner
        .create_account(NewAccount {
            app,
            ..NewAccount::default()
        })
        .await
}

const POOL: &str = "+15005550101,+15005550102";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pool_hands_out_numbers_until_it_runs_out_and_remembers_them() {
    let dir = TempDir::new("numbers-pool");
    let mut server = Server::start(dir.path(), &["--pool-numbers", POOL]);
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let alice = member(&server, &db, &ws, "alice@acme.test", Role::Admin).await;
    put_app(&alice, "instagram", true, false).await;
    let (a, b, c) = (
        make_account(&alice, Some("instagram")).await,
        make_account(&alice, Some("instagram")).await,
        make_account(&alice, Some("instagram")).await,
    );

    let shown = alice.api.get(&number_path(&a)).await.expect(200).clone();
    assert_eq!(shown, json!({"number": null, "supported": true, "voipOk": false}));
    let got = alice.api.post(&number_path(&a), json!({})).await;
    assert_eq!(got.expect(201), &json!({"number": "+15005550101"}));
    alice
        .api
        .post(&number_path(&a), json!({}))
        .await
        .expect_error(409, "conflict");
    assert_eq!(
        alice.api.post(&number_path(&b), json!({})).await.expect(201)["number"],
        "+15005550102"
    );
    alice
        .api
        .post(&number_path(&c), json!({}))
        .await
        .expect_error(503, "no_numbers_available");

    // Shown on the account, for members too.
    let accounts = alice.api.get("/api/v1/accounts").await.expect(200).clone();
    let entry = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == a.as_str())
        .unwrap();
    assert_eq!(entry["phoneNumber"], "+15005550101");
    assert_eq!(
        db.phone_number("+15005550101").await.unwrap().account_id.as_deref(),
        Some(a.as_str())
    );

    // Release: the number goes into quarantine. No other account gets it (the pool has nothing
    // else free); the account it came from may take it back.
    let released = alice.api.delete(&number_path(&a)).await.expect(200).clone();
    assert_eq!(released["released"], "+15005550101");
    assert!(released["quarantinedUntil"].as_i64().unwrap() > now() + 44 * 86_400);
    assert!(db.account_phone_number(&a).await.unwrap().is_none());
    alice.api.delete(&number_path(&a)).await.expect_error(404, "not_found");
    alice
        .api
        .post(&number_path(&c), json!({}))
        .await
        .expect_error(503, "no_numbers_available");
    assert_eq!(
        alice.api.post(&number_path(&a), json!({})).await.expect(201)["number"],
        "+15005550101"
    );

    // After a crash, the database still knows which numbers are held.
    server.restart();
    let alice_api = alice.api.clone();
    assert_eq!(
        alice_api.get(&number_path(&a)).await.expect(200)["number"],
        "+15005550101"
    );
    alice_api
        .post(&number_path(&c), json!({}))
        .await
        .expect_error(503, "no_numbers_available");
    // Once a quarantine is over, the number is free for any account.
    alice_api.delete(&number_path(&b)).await.expect(200);
    sqlx::query("UPDATE phone_numbers SET quarantined_until = $1 WHERE e164 = '+15005550102'")
        .bind(now() - 1)
        .execute(db.pool())
        .await
        .unwrap();
    assert_eq!(
        alice_api.post(&number_path(&c), json!({})).await.expect(201)["number"],
        "+15005550102"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apps_that_refuse_managed_numbers_do_not_get_one() {
    let dir = TempDir::new("numbers-unsupported");
    let server = Server::start(dir.path(), &["--pool-numbers", POOL]);
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let alice = member(&server, &db, &ws, "alice@acme.test", Role::Owner).await;
    put_app(&alice, "bank", false, false).await;
    let with_app = make_account(&alice, Some("bank")).await;
    let without_app = make_account(&alice, None).await;
    for account in [&with_app, &without_app] {
        let shown = alice.api.get(&number_path(account)).await.expect(200).clone();
        assert_eq!(shown["supported"], false);
        let refused = alice.api.post(&number_path(account), json!({})).await;
        refused.expect_error(409, "conflict");
        assert!(
            refused.text.contains("does not take managed numbers"),
            "{}",
            refused.text
        );
    }
    assert!(db.workspace_numbers(&ws).await.unwrap().is_empty());
    // Once the catalog says it does, it does.
    put_app(&alice, "bank", true, true).await;
    alice.api.post(&number_path(&with_app), json!({})).await.expect(201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_owners_manage_the_number_and_strangers_see_nothing() {
    let dir = TempDir::new("numbers-authz");
    let server = Server::start(dir.path(), &["--pool-numbers", POOL]);
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let alice = member(&server, &db, &ws, "alice@acme.test", Role::Admin).await;
    let bob = member(&server, &db, &ws, "bob@acme.test", Role::Owner).await;
    let carol = member(&server, &db, &ws, "carol@acme.test", Role::Owner).await;
    put_app(&alice, "instagram", true, false).await;
    let account = make_account(&alice, Some("instagram")).await;
    alice
        .api
        .put(
            &format!("/api/v1/accounts/{account}/members/{}", bob.user.id),
            json!({"role": "member", "wrappedKey": b64(b"k"), "keyGeneration": 0}),
        )
        .await
        .expect(200);

    bob.api
        .post(&number_path(&account), json!({}))
        .await
        .expect_error(403, "forbidden");
    carol
        .api
        .post(&number_path(&account), json!({}))
        .await
        .expect_error(404, "not_found");
    carol
        .api
        .get(&number_path(&account))
        .await
        .expect_error(404, "not_found");
    alice.api.post(&number_path(&account), json!({})).await.expect(201);
    assert_eq!(
        bob.api.get(&number_path(&account)).await.expect(200)["number"],
        "+15005550101"
    );
    bob.api
        .delete(&number_path(&account))
        .await
        .expect_error(403, "forbidden");
    carol
        .api
        .delete(&number_path(&account))
        .await
        .expect_error(404, "not_found");
    assert!(db.account_phone_number(&account).await.unwrap().is_some());
    alice.api.delete(&number_path(&account)).await.expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twilio_numbers_are_bought_and_released_through_the_server() {
    use crate::support::twilio_api::{Numbers, StandIn, ACCOUNT_SID, AUTH_TOKEN};

    let mut available = std::collections::HashMap::new();
    available.insert("Mobile".to_string(), vec!["+14155550111".to_string()]);
    available.insert("Local".to_string(), vec!["+14155550122".to_string()]);
    let twilio = StandIn::start(Numbers {
        available,
        ..Numbers::default()
    })
    .await;
    let dir = TempDir::new("numbers-twilio");
    let server = Server::start_with_env(
        dir.path(),
        &[
            "--numbers",
            "twilio",
            "--twilio-account-sid",
            ACCOUNT_SID,
            "--twilio-api-url",
            &twilio.base_url,
        ],
        &[("LATCHKEY_TWILIO_AUTH_TOKEN", AUTH_TOKEN)],
    );
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let alice = member(&server, &db, &ws, "alice@acme.test", Role::Admin).await;
    put_app(&alice, "instagram", true, false).await;
    put_app(&alice, "chat", true, true).await;
    let strict = make_account(&alice, Some("instagram")).await;
    let relaxed = make_account(&alice, Some("chat")).await;

    // An app that refuses VoIP gets a mobile number; one that takes VoIP a local one.
    let got = alice.api.post(&number_path(&strict), json!({})).await;
    assert_eq!(got.expect(201)["number"], "+14155550111");
    assert_eq!(
        alice.api.post(&number_path(&relaxed), json!({})).await.expect(201)["number"],
        "+14155550122"
    );
    let stored = db.account_phone_number(&strict).await.unwrap().unwrap();
    assert_eq!(stored.provider, "twilio");
    let sid = stored.provider_ref.clone().unwrap();
    {
        let state = twilio.state.lock().unwrap();
        let owned = state.owned.iter().find(|(_, n, _)| n == "+14155550111").unwrap();
        assert_eq!(owned.0, sid);
        assert_eq!(
            owned.2,
            format!("{}/webhooks/sms/twilio", server.url),
            "texts come back to this server"
        );
    }

    // Nothing left to buy: a clear 503.
    let other = make_account(&alice, Some("instagram")).await;
    alice
        .api
        .post(&number_path(&other), json!({}))
        .await
        .expect_error(503, "no_numbers_available");

    // Releasing keeps the number bought, in quarantine: nobody else (here or at Twilio) gets its
    // texts. Once the quarantine is over it is reused before anything is bought.
    alice.api.delete(&number_path(&strict)).await.expect(200);
    assert!(db.account_phone_number(&strict).await.unwrap().is_none());
    {
        let state = twilio.state.lock().unwrap();
        assert!(state.owned.iter().any(|(s, _, _)| *s == sid));
        assert!(!state.log.iter().any(|l| l.starts_with("DELETE")));
        assert!(state.log.iter().any(|l| l.starts_with("GET US/Mobile.json")));
    }
    alice
        .api
        .post(&number_path(&other), json!({}))
        .await
        .expect_error(503, "no_numbers_available");
    sqlx::query("UPDATE phone_numbers SET quarantined_until = $1 WHERE e164 = '+14155550111'")
        .bind(now() - 1)
        .execute(db.pool())
        .await
        .unwrap();
    let purchases = twilio
        .state
        .lock()
        .unwrap()
        .log
        .iter()
        .filter(|l| l.starts_with("POST"))
        .count();
    assert_eq!(
        alice.api.post(&number_path(&other), json!({})).await.expect(201)["number"],
        "+14155550111"
    );
    assert_eq!(
        twilio
            .state
            .lock()
            .unwrap()
            .log
            .iter()
            .filter(|l| l.starts_with("POST"))
            .count(),
        purchases,
        "reused, not bought"
    );
    assert!(!server.stderr().contains(AUTH_TOKEN), "the auth token is never logged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twilio_refusing_the_credentials_is_a_provider_error() {
    use crate::support::twilio_api::{Numbers, StandIn, ACCOUNT_SID};

    let twilio = StandIn::start(Numbers::default()).await;
    let dir = TempDir::new("numbers-twilio-auth");
    let server = Server::start_with_env(
        dir.path(),
        &[
            "--numbers",
            "twilio",
            "--twilio-account-sid",
            ACCOUNT_SID,
            "--twilio-api-url",
            &twilio.base_url,
        ],
        &[("LATCHKEY_TWILIO_AUTH_TOKEN", "not-the-token")],
    );
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let alice = member(&server, &db, &ws, "alice@acme.test", Role::Admin).await;
    put_app(&alice, "instagram", true, false).await;
    let account = make_account(&alice, Some("instagram")).await;
    alice
        .api
        .post(&number_path(&account), json!({}))
        .await
        .expect_error(502, "number_provider_failed");
    let warned = server
        .log_event(|e| e["event"] == "number_provider_failed" && e["detail"].as_str().unwrap_or("").contains("20003"))
        .await;
    assert!(
        warned.is_some(),
        "the reason is logged for the administrator:\n{}",
        server.stderr()
    );
    assert!(!server.stderr().contains("not-the-token"));
}

#[test]
fn twilio_configuration_mistakes_are_refused_at_start() {
    let sid = crate::support::twilio_api::ACCOUNT_SID;
    let cases: [(&[&str], Option<&str>, &str); 6] = [
        (
            &["--numbers", "twilio", "--twilio-account-sid", sid],
            None,
            "LATCHKEY_TWILIO_AUTH_TOKEN",
        ),
        (&["--numbers", "twilio"], Some("token"), "--twilio-account-sid"),
        (
            &["--numbers", "twilio", "--twilio-account-sid", "AC123"],
            Some("token"),
            "--twilio-account-sid",
        ),
        (&["--numbers", "carrier-pigeon"], None, "pool or twilio"),
        (
            &["--twilio-api-url", "http://127.0.0.1:1"],
            Some("token"),
            "--numbers twilio",
        ),
        (
            &[
                "--numbers",
                "twilio",
                "--twilio-account-sid",
                sid,
                "--twilio-api-url",
                "ftp://x",
            ],
            Some("token"),
            "--twilio-api-url",
        ),
    ];
    for (args, token, needle) in cases {
        let dir = TempDir::new("numbers-cli");
        let env: Vec<(&str, &str)> = token.map(|t| ("LATCHKEY_TWILIO_AUTH_TOKEN", t)).into_iter().collect();
        let out = serve_refused(dir.path(), args, &env);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(!stderr.contains("token\n") || needle.contains("TOKEN"), "{stderr}");
    }
}
