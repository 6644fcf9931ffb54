//! Accounts, members, vault items, the app catalog and `GET /vault`, over real HTTP against the
//! real binary: each authorization rule allowed and refused, stale writes, key rotation, the last
//! owner, deprovisioning, one round trip with the real core crypto, and the main flow on PostgreSQL.

use serde_json::{json, Value};

use crate::support::world::NewAccount;
use crate::support::{b64, member, new_id, now, open_db, trusted_device, trusted_user, unb64, Member, Server};
use crate::support::{Postgres, TempDir};
use latchkey::db::{Db, Target, User, UserStatus};
use latchkey::domain::Role;

// ---- helpers ----

/// This file's accounts are made from the sign-in URL people paste; the server keeps its site.
const LOGIN_URL: &str = "https://www.instagram.com/accounts/login/";

async fn make_account(owner: &Member, name: &str) -> String {
    owner
        .create_account(NewAccount {
            name,
            site: LOGIN_URL,
            app: None,
        })
        .await
}

fn find<'a>(accounts: &'a Value, id: &str) -> Option<&'a Value> {
    accounts["accounts"].as_array().unwrap().iter().find(|a| a["id"] == id)
}

struct World {
    server: Server,
    db: Db,
    workspace: String,
    _dir: TempDir,
}

async fn sqlite_world(label: &str) -> World {
    let dir = TempDir::new(label);
    let server = Server::start(dir.path(), &[]);
    let db = open_db(dir.path()).await;
    let workspace = db.create_workspace("Acme", now()).await.unwrap().id;
    World {
        server,
        db,
        workspace,
        _dir: dir,
    }
}

// ---- the main flow (SQLite and PostgreSQL) ----

async fn main_flow(server: &Server, db: &Db, workspace: &str) {
    let alice = member(server, db, workspace, "alice@acme.test", Role::User).await;
    let bob = member(server, db, workspace, "bob@acme.test", Role::User).await;

    let account = make_account(&alice, "Brand Instagram").await;
    let listed = alice.api.get("/api/v1/accounts").await.expect(200).clone();
    let mine = find(&listed, &account).expect("the owner sees the account");
    assert_eq!(mine["role"], "owner");
    assert_eq!(mine["keyGeneration"], 0);
    assert_eq!(mine["site"], "www.instagram.com");
    assert_eq!(
        unb64(&mine["wrappedKey"]),
        format!("key for {}", alice.user.id).as_bytes()
    );
    assert_eq!(unb64(&mine["inboxPublicKey"]), vec![7u8; 32]);
    assert_eq!(mine["needsRotation"], false);
    assert_eq!(mine["phoneNumber"], Value::Null);
    assert!(find(&bob.api.get("/api/v1/accounts").await.expect(200).clone(), &account).is_none());

    alice.share(&account, &bob, "member", 0).await;
    let bobs = bob.api.get("/api/v1/accounts").await.expect(200).clone();
    let theirs = find(&bobs, &account).expect("shared");
    assert_eq!(theirs["role"], "member");
    assert_eq!(
        unb64(&theirs["wrappedKey"]),
        format!("key for {}", bob.user.id).as_bytes()
    );

    let item = alice.add_item(&account, b"sealed item v1").await;
    let items = bob
        .api
        .get(&format!("/api/v1/accounts/{account}/items"))
        .await
        .expect(200)
        .clone();
    assert_eq!(items[0]["id"], item.as_str());
    assert_eq!(unb64(&items[0]["data"]), b"sealed item v1");

    let put = alice
        .api
        .put(
            &format!("/api/v1/items/{item}"),
            json!({"expectedVersion": 1, "data": b64(b"v2")}),
        )
        .await;
    assert_eq!(put.expect(200)["version"], 2);
    alice
        .api
        .put(
            &format!("/api/v1/items/{item}"),
            json!({"expectedVersion": 1, "data": b64(b"lost?")}),
        )
        .await
        .expect_error(409, "stale_version");

    let members = alice
        .api
        .get(&format!("/api/v1/accounts/{account}/members"))
        .await
        .expect(200)
        .clone();
    assert_eq!(members.as_array().unwrap().len(), 2);

    alice
        .api
        .delete(&format!("/api/v1/accounts/{account}/members/{}", bob.user.id))
        .await
        .expect(200);
    bob.api
        .get(&format!("/api/v1/accounts/{account}/items"))
        .await
        .expect_error(404, "not_found");
    let listed = alice.api.get("/api/v1/accounts").await.expect(200).clone();
    assert_eq!(find(&listed, &account).unwrap()["needsRotation"], true);

    let rotated = alice
        .api
        .post(
            &format!("/api/v1/accounts/{account}/rotate"),
            json!({
                "keyGeneration": 1,
                "members": [{"userId": alice.user.id, "wrappedKey": b64(b"gen 1 key for alice")}],
                "inboxPublicKey": b64(&[8u8; 32]), "sealedInboxPrivateKey": b64(b"gen 1 inbox"),
                "items": [{"id": item, "version": 2, "data": b64(b"v2 re-wrapped")}],
            }),
        )
        .await;
    let rotated = rotated.expect(200);
    assert_eq!(rotated["keyGeneration"], 1);
    assert_eq!(rotated["needsRotation"], false);
    assert_eq!(unb64(&rotated["wrappedKey"]), b"gen 1 key for alice");

    let vault = alice.api.get("/api/v1/vault").await.expect(200).clone();
    let entry = find(&vault, &account).unwrap();
    assert_eq!(entry["items"][0]["version"], 2, "rotation keeps item versions");
    assert_eq!(unb64(&entry["items"][0]["data"]), b"v2 re-wrapped");
    assert_eq!(unb64(&entry["inboxPublicKey"]), vec![8u8; 32]);

    alice
        .api
        .delete(&format!("/api/v1/items/{item}?version=2"))
        .await
        .expect(200);
    let vault = alice.api.get("/api/v1/vault").await.expect(200).clone();
    assert!(find(&vault, &account).unwrap()["items"].as_array().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn main_flow_on_sqlite() {
    let w = sqlite_world("accounts-main").await;
    main_flow(&w.server, &w.db, &w.workspace).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn main_flow_on_postgres() {
    let pg = Postgres::start();
    let url = pg.fresh_database("api_accounts_main").await;
    let dir = TempDir::new("accounts-pg");
    let server = Server::start(dir.path(), &["--database-url", &url]);
    let db = Db::open(&Target::Postgres(url.clone()), now()).await.unwrap();
    let workspace = db.create_workspace("Acme", now()).await.unwrap().id;
    main_flow(&server, &db, &workspace).await;
    concurrent_updates(&server, &db, &workspace).await;
}

// ---- the real core crypto, end to end ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_envelopes_round_trip_between_members() {
    use latchkey_core::vault::{AccountGeneration, Envelope, Item, KeyStore, PublicKeys, SealedItem, WrappingKey};

    let w = sqlite_world("accounts-crypto").await;
    let (alice, alice_token) = trusted_user(&w.db, &w.workspace, "alice@acme.test", Role::User).await;
    let (bob, bob_token) = trusted_user(&w.db, &w.workspace, "bob@acme.test", Role::User).await;
    let alice_api = w.server.api().as_device(&alice_token);
    let bob_api = w.server.api().as_device(&bob_token);
    let ws = w.workspace.as_str();

    // Each user's key pair, as their first device makes it; the public keys go to the server.
    let mut alice_store = KeyStore::new();
    alice_store.create_device().unwrap();
    let alice_user = alice_store.create_user(ws, &alice.id, "alice-device").unwrap();
    let mut bob_store = KeyStore::new();
    bob_store.create_device().unwrap();
    let bob_user = bob_store.create_user(ws, &bob.id, "bob-device").unwrap();
    for (user, made) in [(&alice, &alice_user), (&bob, &bob_user)] {
        w.db.set_user_keys(&user.id, &made.public_keys.to_bytes(), b"sealed", b"recovery")
            .await
            .unwrap();
    }

    // Alice creates the account and shares it with Bob, using Bob's public keys from the server.
    let account = new_id();
    let created = alice_store.create_account(ws, &account, &alice.id).unwrap();
    let alice_wrapped = created.member_envelopes[0].1.as_bytes().to_vec();
    alice_api
        .post(
            "/api/v1/accounts",
            json!({
                "id": account, "name": "Brand Instagram", "site": "instagram.com",
                "wrappedKey": b64(&alice_wrapped),
                "inboxPublicKey": b64(&created.inbox_public_key.0),
                "sealedInboxPrivateKey": b64(created.inbox_envelope.as_bytes()),
            }),
        )
        .await
        .expect(201);
    let users = w.db.users(ws).await.unwrap();
    let bob_public = users
        .iter()
        .find(|u| u.id == bob.id)
        .unwrap()
        .public_keys
        .clone()
        .unwrap();
    let bob_public = PublicKeys::from_bytes(&bob_public).unwrap();
    let generation = created.key.generation;
    let for_bob = alice_store
        .share_account(&created.key, &bob_public, ws, &bob.id)
        .unwrap();
    alice_api
        .put(
            &format!("/api/v1/accounts/{account}/members/{}", bob.id),
            json!({"role": "member", "wrappedKey": b64(for_bob.as_bytes()), "keyGeneration": generation}),
        )
        .await
        .expect(200);

    // A TOTP item, sealed by Alice.
    let item_id = new_id();
    let item = Item::totp("Instagram (brand)", "JBSWY3DPEHPK3PXP").unwrap();
    let sealed = alice_store.seal_item(&created.key, ws, &item_id, 1, &item).unwrap();
    let sealed_bytes = serde_json::to_vec(&sealed).unwrap();
    alice_api
        .post(
            &format!("/api/v1/accounts/{account}/items"),
            json!({"id": item_id, "data": b64(&sealed_bytes), "keyGeneration": generation}),
        )
        .await
        .expect(201);

    // Bob downloads everything in one call and opens it with his own key pair.
    let vault = bob_api.get("/api/v1/vault").await.expect(200).clone();
    let entry = find(&vault, &account).unwrap();
    assert_eq!(unb64(&entry["wrappedKey"]), for_bob.as_bytes());
    let downloaded = unb64(&entry["items"][0]["data"]);
    assert_eq!(downloaded, sealed_bytes, "the server keeps the bytes exactly");
    let key_generation = entry["keyGeneration"].as_u64().unwrap();
    let bob_account_key = AccountGeneration::new(&account, key_generation);
    bob_store
        .open_account_key(
            &bob_account_key,
            &Envelope::from_bytes(unb64(&entry["wrappedKey"])).unwrap(),
            ws,
            &bob.id,
        )
        .unwrap();
    let opened: SealedItem = serde_json::from_slice(&downloaded).unwrap();
    assert!(bob_store.open_item(&bob_account_key, &opened).unwrap() == item);
    let code = bob_store.item_code(&bob_account_key, &opened, 59).unwrap();
    assert_eq!(code, alice_store.item_code(&created.key, &sealed, 59).unwrap());
    bob_store
        .open_inbox(
            &bob_account_key,
            &Envelope::from_bytes(unb64(&entry["sealedInboxPrivateKey"])).unwrap(),
            ws,
        )
        .unwrap();

    // Alice rotates the key (both stay members); Bob opens the re-wrapped item with the new key.
    let rotated = alice_store
        .rotate_account(
            &created.key,
            ws,
            &[(alice.id.clone(), alice_user.public_keys), (bob.id.clone(), bob_public)],
            std::slice::from_ref(&sealed),
        )
        .unwrap();
    let members: Vec<Value> = rotated
        .member_envelopes
        .iter()
        .map(|(user, env)| json!({"userId": user, "wrappedKey": b64(env.as_bytes())}))
        .collect();
    alice_api
        .post(
            &format!("/api/v1/accounts/{account}/rotate"),
            json!({
                "keyGeneration": generation + 1, "members": members,
                "inboxPublicKey": b64(&rotated.inbox_public_key.0),
                "sealedInboxPrivateKey": b64(rotated.inbox_envelope.as_bytes()),
                "items": [{"id": item_id, "version": 1, "data": b64(&serde_json::to_vec(&rotated.items[0]).unwrap())}],
            }),
        )
        .await
        .expect(200);
    let vault = bob_api.get("/api/v1/vault").await.expect(200).clone();
    let entry = find(&vault, &account).unwrap();
    assert_eq!(entry["keyGeneration"].as_u64().unwrap(), generation + 1);
    assert_eq!(rotated.key.generation, generation + 1);
    // A copy of Bob's store as it was, holding the old generation's key.
    let copy = WrappingKey::generate();
    let before = KeyStore::import(&copy, &bob_store.export(&copy, "bob-device"), "bob-device").unwrap();
    bob_store
        .open_account_key(
            &rotated.key,
            &Envelope::from_bytes(unb64(&entry["wrappedKey"])).unwrap(),
            ws,
            &bob.id,
        )
        .unwrap();
    let rewrapped: SealedItem = serde_json::from_slice(&unb64(&entry["items"][0]["data"])).unwrap();
    assert!(bob_store.open_item(&rotated.key, &rewrapped).unwrap() == item);
    assert!(
        before.open_item(&bob_account_key, &rewrapped).is_err(),
        "the old key no longer opens the item"
    );
}

// ---- accounts and the catalog ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_accounts_checks_ids_sites_and_apps() {
    let w = sqlite_world("accounts-create").await;
    let alice = member(&w.server, &w.db, &w.workspace, "alice@acme.test", Role::User).await;
    let body = |id: &str, site: &str| {
        json!({
            "id": id, "name": "Brand Instagram", "site": site,
            "wrappedKey": b64(b"k"), "inboxPublicKey": b64(&[1u8; 32]), "sealedInboxPrivateKey": b64(b"s"),
        })
    };
    for bad in [
        "ABCDEF0123456789ABCDEF0123456789",
        "abc",
        "0123456789abcdef0123456789abcdeg",
        "../etc",
    ] {
        alice
            .api
            .post("/api/v1/accounts", body(bad, "instagram.com"))
            .await
            .expect_error(422, "invalid");
    }
    let id = new_id();
    alice
        .api
        .post("/api/v1/accounts", body(&id, "not a site!"))
        .await
        .expect_error(422, "invalid");
    alice
        .api
        .post("/api/v1/accounts", body(&id, ""))
        .await
        .expect_error(422, "invalid");
    let mut unknown_app = body(&id, "instagram.com");
    unknown_app["appId"] = json!("no-such-app");
    alice
        .api
        .post("/api/v1/accounts", unknown_app)
        .await
        .expect_error(422, "invalid");
    let mut short_inbox = body(&id, "instagram.com");
    short_inbox["inboxPublicKey"] = json!(b64(b"short"));
    alice
        .api
        .post("/api/v1/accounts", short_inbox)
        .await
        .expect_error(422, "invalid");
    let mut not_b64 = body(&id, "instagram.com");
    not_b64["wrappedKey"] = json!("a+b/");
    alice
        .api
        .post("/api/v1/accounts", not_b64)
        .await
        .expect_error(400, "bad_request");

    let created = alice
        .api
        .post("/api/v1/accounts", body(&id, "HTTPS://Instagram.com:443/x"))
        .await;
    assert_eq!(created.expect(201)["site"], "instagram.com");
    alice
        .api
        .post("/api/v1/accounts", body(&id, "instagram.com"))
        .await
        .expect_error(409, "conflict");

    // PATCH: the owner only; a member is refused, a stranger sees nothing.
    let bob = member(&w.server, &w.db, &w.workspace, "bob@acme.test", Role::Owner).await;
    let carol = member(&w.server, &w.db, &w.workspace, "carol@acme.test", Role::User).await;
    alice.share(&id, &bob, "member", 0).await;
    let patch = json!({"name": "Instagram (brand)"});
    bob.api
        .patch(&format!("/api/v1/accounts/{id}"), patch.clone())
        .await
        .expect_error(403, "forbidden");
    carol
        .api
        .patch(&format!("/api/v1/accounts/{id}"), patch.clone())
        .await
        .expect_error(404, "not_found");
    let patched = alice.api.patch(&format!("/api/v1/accounts/{id}"), patch).await;
    assert_eq!(patched.expect(200)["name"], "Instagram (brand)");
    alice
        .api
        .patch(
            &format!("/api/v1/accounts/{id}"),
            json!({"site": "no spaces allowed.com"}),
        )
        .await
        .expect_error(422, "invalid");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_and_above_edit_the_catalog() {
    let w = sqlite_world("accounts-apps").await;
    let user = member(&w.server, &w.db, &w.workspace, "user@acme.test", Role::User).await;
    let app = json!({"name": "Instagram", "site": "instagram.com", "acceptsManagedNumber": true, "voipOk": false});
    // A new workspace starts with the default catalog (db/catalog.rs); a User cannot change it.
    let before = user.api.get("/api/v1/apps").await.expect(200).clone();
    assert!(before.as_array().unwrap().len() > 5, "{before}");
    let mut changed = app.clone();
    changed["voipOk"] = json!(true);
    user.api
        .put("/api/v1/apps/instagram", changed)
        .await
        .expect_error(403, "forbidden");
    assert_eq!(user.api.get("/api/v1/apps").await.expect(200), &before);

    for (email, role) in [
        ("admin@acme.test", Role::Admin),
        ("super@acme.test", Role::SuperAdmin),
        ("owner@acme.test", Role::Owner),
    ] {
        let admin = member(&w.server, &w.db, &w.workspace, email, role).await;
        let mut body = app.clone();
        body["voipOk"] = json!(role == Role::Owner);
        admin.api.put("/api/v1/apps/instagram", body).await.expect(200);
    }
    let apps = user.api.get("/api/v1/apps").await.expect(200).clone();
    let instagram = apps
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "instagram")
        .unwrap();
    assert_eq!(
        instagram,
        &json!({"id": "instagram", "name": "Instagram", "site": "instagram.com", "acceptsManagedNumber": true, "voipOk": true, "acceptsManagedEmail": true})
    );
    let admin = member(&w.server, &w.db, &w.workspace, "admin2@acme.test", Role::Admin).await;
    admin
        .api
        .put("/api/v1/apps/Bad%20Id", app.clone())
        .await
        .expect_error(422, "invalid");
    admin
        .api
        .put("/api/v1/apps/other", app.clone())
        .await
        .expect_error(409, "conflict");
    let mut bad_site = app.clone();
    bad_site["site"] = json!("not a site");
    admin
        .api
        .put("/api/v1/apps/instagram", bad_site)
        .await
        .expect_error(422, "invalid");
}

// ---- who may read and write ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_read_owners_write_strangers_see_nothing() {
    let w = sqlite_world("accounts-authz").await;
    let alice = member(&w.server, &w.db, &w.workspace, "alice@acme.test", Role::User).await;
    let bob = member(&w.server, &w.db, &w.workspace, "bob@acme.test", Role::User).await;
    // Even a workspace owner does not read an account that is not shared with them.
    let boss = member(&w.server, &w.db, &w.workspace, "boss@acme.test", Role::Owner).await;
    let other_ws = w.db.create_workspace("Other", now()).await.unwrap().id;
    let mallory = member(&w.server, &w.db, &other_ws, "mallory@other.test", Role::Owner).await;

    let account = make_account(&alice, "Brand Instagram").await;
    let item = alice.add_item(&account, b"sealed").await;
    alice.share(&account, &bob, "member", 0).await;

    // A member reads…
    bob.api
        .get(&format!("/api/v1/accounts/{account}/items"))
        .await
        .expect(200);
    bob.api
        .get(&format!("/api/v1/accounts/{account}/members"))
        .await
        .expect(200);
    // …but does not write items, share, remove or rotate.
    bob.api
        .post(
            &format!("/api/v1/accounts/{account}/items"),
            json!({"id": new_id(), "data": b64(b"x")}),
        )
        .await
        .expect_error(403, "forbidden");
    bob.api
        .put(
            &format!("/api/v1/items/{item}"),
            json!({"expectedVersion": 1, "data": b64(b"x")}),
        )
        .await
        .expect_error(403, "forbidden");
    bob.api
        .delete(&format!("/api/v1/items/{item}?version=1"))
        .await
        .expect_error(403, "forbidden");
    bob.api
        .put(
            &format!("/api/v1/accounts/{account}/members/{}", boss.user.id),
            json!({"role": "member", "wrappedKey": b64(b"k"), "keyGeneration": 0}),
        )
        .await
        .expect_error(403, "forbidden");
    bob.api
        .put(
            &format!("/api/v1/accounts/{account}/members/{}", bob.user.id),
            json!({"role": "owner"}),
        )
        .await
        .expect_error(403, "forbidden");
    bob.api
        .delete(&format!("/api/v1/accounts/{account}/members/{}", alice.user.id))
        .await
        .expect_error(403, "forbidden");
    bob.api
        .post(
            &format!("/api/v1/accounts/{account}/rotate"),
            json!({"keyGeneration": 1, "members": [], "inboxPublicKey": b64(&[0u8; 32]), "sealedInboxPrivateKey": b64(b"s"), "items": []}),
        )
        .await
        .expect_error(403, "forbidden");

    // Non-members, in the workspace (even its owner) or outside it, see nothing at all.
    for stranger in [&boss, &mallory] {
        for path in [
            format!("/api/v1/accounts/{account}/items"),
            format!("/api/v1/accounts/{account}/members"),
        ] {
            stranger.api.get(&path).await.expect_error(404, "not_found");
        }
        stranger
            .api
            .put(
                &format!("/api/v1/items/{item}"),
                json!({"expectedVersion": 1, "data": b64(b"x")}),
            )
            .await
            .expect_error(404, "not_found");
        stranger
            .api
            .patch(&format!("/api/v1/accounts/{account}"), json!({"name": "mine"}))
            .await
            .expect_error(404, "not_found");
        let listed = stranger.api.get("/api/v1/accounts").await.expect(200).clone();
        assert!(find(&listed, &account).is_none());
        let vault = stranger.api.get("/api/v1/vault").await.expect(200).clone();
        assert!(find(&vault, &account).is_none());
    }
    // Unknown ids look the same as hidden ones.
    boss.api
        .get(&format!("/api/v1/accounts/{}/items", new_id()))
        .await
        .expect_error(404, "not_found");

    // An account owner cannot share with a user of another workspace.
    alice
        .api
        .put(
            &format!("/api/v1/accounts/{account}/members/{}", mallory.user.id),
            json!({"role": "member", "wrappedKey": b64(b"k"), "keyGeneration": 0}),
        )
        .await
        .expect_error(404, "not_found");

    // The owner writes.
    alice
        .api
        .put(
            &format!("/api/v1/items/{item}"),
            json!({"expectedVersion": 1, "data": b64(b"v2")}),
        )
        .await
        .expect(200);
    // Making Bob an owner lets him manage it.
    alice
        .api
        .put(
            &format!("/api/v1/accounts/{account}/members/{}", bob.user.id),
            json!({"role": "owner"}),
        )
        .await
        .expect(200);
    bob.api
        .put(
            &format!("/api/v1/items/{item}"),
            json!({"expectedVersion": 2, "data": b64(b"v3")}),
        )
        .await
        .expect(200);
    let items = alice
        .api
        .get(&format!("/api/v1/accounts/{account}/items"))
        .await
        .expect(200)
        .clone();
    assert_eq!(unb64(&items[0]["data"]), b"v3");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_and_user_states_are_enforced() {
    let w = sqlite_world("accounts-devices").await;
    let alice = member(&w.server, &w.db, &w.workspace, "alice@acme.test", Role::User).await;
    let account = make_account(&alice, "Brand Instagram").await;

    // A pending device: only the trust flow.
    let pending =
        w.db.register_device(&alice.user.id, "Alice laptop", &[3u8; 64], now())
            .await
            .unwrap();
    let pending_token = w.db.issue_device_token(&pending.id, now()).await.unwrap();
    let pending_api = w.server.api().as_device(&pending_token);
    for path in ["/api/v1/accounts", "/api/v1/vault", "/api/v1/apps"] {
        pending_api.get(path).await.expect_error(403, "untrusted_device");
    }
    pending_api
        .get(&format!("/api/v1/accounts/{account}/items"))
        .await
        .expect_error(403, "untrusted_device");

    // A disabled device: told to wipe.
    let second = trusted_device(&w.db, &alice.user, "Alice phone").await;
    let second_api = w.server.api().as_device(&second);
    second_api.get("/api/v1/vault").await.expect(200);
    let device =
        w.db.devices(&alice.user.id)
            .await
            .unwrap()
            .into_iter()
            .find(|d| d.name == "Alice phone")
            .unwrap();
    w.db.disable_device(&device.id, now()).await.unwrap();
    second_api
        .get("/api/v1/vault")
        .await
        .expect_error(401, "device_disabled");
    second_api
        .post(
            &format!("/api/v1/accounts/{account}/items"),
            json!({"id": new_id(), "data": b64(b"x")}),
        )
        .await
        .expect_error(401, "device_disabled");
    // No token at all.
    w.server
        .api()
        .get("/api/v1/accounts")
        .await
        .expect_error(401, "unauthenticated");
    // The first device still works.
    alice.api.get("/api/v1/vault").await.expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deprovisioning_marks_accounts_and_locks_the_user_out() {
    let w = sqlite_world("accounts-deprov").await;
    let alice = member(&w.server, &w.db, &w.workspace, "alice@acme.test", Role::User).await;
    let bob = member(&w.server, &w.db, &w.workspace, "bob@acme.test", Role::User).await;
    let shared = make_account(&alice, "Shared").await;
    let private = make_account(&alice, "Private").await;
    alice.share(&shared, &bob, "member", 0).await;
    bob.api
        .get(&format!("/api/v1/accounts/{shared}/items"))
        .await
        .expect(200);

    let done = w.db.deprovision_user(&bob.user.id, now()).await.unwrap();
    assert_eq!(done.accounts_marked_for_rotation, 1);
    bob.api
        .get("/api/v1/vault")
        .await
        .expect_error(401, "user_deprovisioned");
    bob.api
        .get(&format!("/api/v1/accounts/{shared}/items"))
        .await
        .expect_error(401, "user_deprovisioned");

    let listed = alice.api.get("/api/v1/accounts").await.expect(200).clone();
    assert_eq!(find(&listed, &shared).unwrap()["needsRotation"], true);
    assert_eq!(find(&listed, &private).unwrap()["needsRotation"], false);
    let members = alice
        .api
        .get(&format!("/api/v1/accounts/{shared}/members"))
        .await
        .expect(200)
        .clone();
    assert_eq!(members.as_array().unwrap().len(), 1);
    // A deprovisioned user cannot be shared with again.
    alice
        .api
        .put(
            &format!("/api/v1/accounts/{private}/members/{}", bob.user.id),
            json!({"role": "member", "wrappedKey": b64(b"k"), "keyGeneration": 0}),
        )
        .await
        .expect_error(409, "conflict");
}

// ---- sharing rules ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sharing_needs_an_active_user_with_keys_and_the_current_generation() {
    let w = sqlite_world("accounts-share").await;
    let alice = member(&w.server, &w.db, &w.workspace, "alice@acme.test", Role::User).await;
    let bob = member(&w.server, &w.db, &w.workspace, "bob@acme.test", Role::User).await;
    let account = make_account(&alice, "Brand Instagram").await;
    let members = |id: &str| format!("/api/v1/accounts/{account}/members/{id}");
    let grant = |generation: i64| json!({"role": "member", "wrappedKey": b64(b"k"), "keyGeneration": generation});

    // Invited (not yet joined), and active without keys.
    let invited =
        w.db.create_user(
            &w.workspace,
            "invited@acme.test",
            "Invited",
            Role::User,
            UserStatus::Invited,
            now(),
        )
        .await
        .unwrap();
    alice
        .api
        .put(&members(&invited.id), grant(0))
        .await
        .expect_error(409, "conflict");
    let (keyless, _) = trusted_user(&w.db, &w.workspace, "keyless@acme.test", Role::User).await;
    alice
        .api
        .put(&members(&keyless.id), grant(0))
        .await
        .expect_error(409, "conflict");
    alice
        .api
        .put(&members(&new_id()), grant(0))
        .await
        .expect_error(404, "not_found");
    alice
        .api
        .put(
            &members(&bob.user.id),
            json!({"role": "admin", "wrappedKey": b64(b"k"), "keyGeneration": 0}),
        )
        .await
        .expect_error(422, "invalid");
    // A new member needs a wrapped key for the current generation.
    alice
        .api
        .put(&members(&bob.user.id), json!({"role": "member"}))
        .await
        .expect_error(422, "invalid");
    alice
        .api
        .put(&members(&bob.user.id), grant(1))
        .await
        .expect_error(409, "stale_version");
    let shared = alice.api.put(&members(&bob.user.id), grant(0)).await;
    let shared = shared.expect(200);
    assert_eq!(shared["role"], "member");
    assert_eq!(shared["email"], "bob@acme.test");
    assert_eq!(shared["keyGeneration"], 0);
    let listed = alice
        .api
        .get(&format!("/api/v1/accounts/{account}/members"))
        .await
        .expect(200)
        .clone();
    let roles: Vec<(&str, &str)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["email"].as_str().unwrap(), m["role"].as_str().unwrap()))
        .collect();
    assert!(roles.contains(&("alice@acme.test", "owner")) && roles.contains(&("bob@acme.test", "member")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_owner_stays_and_removal_marks_for_rotation() {
    let w = sqlite_world("accounts-owners").await;
    let alice = member(&w.server, &w.db, &w.workspace, "alice@acme.test", Role::User).await;
    let bob = member(&w.server, &w.db, &w.workspace, "bob@acme.test", Role::User).await;
    let account = make_account(&alice, "Brand Instagram").await;
    let path = |user: &User| format!("/api/v1/accounts/{account}/members/{}", user.id);

    alice.api.delete(&path(&alice.user)).await.expect_error(409, "conflict");
    alice
        .api
        .put(&path(&alice.user), json!({"role": "member"}))
        .await
        .expect_error(409, "conflict");
    alice.api.delete(&path(&bob.user)).await.expect_error(404, "not_found");

    alice.share(&account, &bob, "owner", 0).await;
    let listed = alice.api.get("/api/v1/accounts").await.expect(200).clone();
    assert_eq!(find(&listed, &account).unwrap()["needsRotation"], false);
    // With a second owner, Alice may step down, then leave; leaving marks the account.
    alice
        .api
        .put(&path(&alice.user), json!({"role": "member"}))
        .await
        .expect(200);
    bob.api.delete(&path(&alice.user)).await.expect(200);
    alice
        .api
        .get(&format!("/api/v1/accounts/{account}/items"))
        .await
        .expect_error(404, "not_found");
    let listed = bob.api.get("/api/v1/accounts").await.expect(200).clone();
    assert_eq!(find(&listed, &account).unwrap()["needsRotation"], true);
    bob.api.delete(&path(&bob.user)).await.expect_error(409, "conflict");
}

// ---- rotation ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_is_all_or_nothing() {
    let w = sqlite_world("accounts-rotate").await;
    let alice = member(&w.server, &w.db, &w.workspace, "alice@acme.test", Role::User).await;
    let bob = member(&w.server, &w.db, &w.workspace, "bob@acme.test", Role::User).await;
    let account = make_account(&alice, "Brand Instagram").await;
    alice.share(&account, &bob, "member", 0).await;
    let item = alice.add_item(&account, b"v1").await;
    let rotate = |generation: i64, members: Vec<&User>, items: Value| {
        let members: Vec<Value> = members
            .iter()
            .map(|u| json!({"userId": u.id, "wrappedKey": b64(format!("gen {generation} for {}", u.id).as_bytes())}))
            .collect();
        json!({
            "keyGeneration": generation, "members": members,
            "inboxPublicKey": b64(&[9u8; 32]), "sealedInboxPrivateKey": b64(b"new inbox"), "items": items,
        })
    };
    let url = format!("/api/v1/accounts/{account}/rotate");
    let items_v1 = json!([{"id": item, "version": 1, "data": b64(b"v1 re-wrapped")}]);

    // The generation moves by exactly one.
    alice
        .api
        .post(&url, rotate(2, vec![&alice.user, &bob.user], items_v1.clone()))
        .await
        .expect_error(422, "invalid");
    alice
        .api
        .post(&url, rotate(0, vec![&alice.user, &bob.user], items_v1.clone()))
        .await
        .expect_error(409, "stale_version");
    // Every current member, and nobody else.
    alice
        .api
        .post(&url, rotate(1, vec![&alice.user], items_v1.clone()))
        .await
        .expect_error(409, "conflict");
    let carol = member(&w.server, &w.db, &w.workspace, "carol@acme.test", Role::User).await;
    alice
        .api
        .post(
            &url,
            rotate(1, vec![&alice.user, &bob.user, &carol.user], items_v1.clone()),
        )
        .await
        .expect_error(409, "conflict");
    // Every current item, at its current version.
    alice
        .api
        .post(&url, rotate(1, vec![&alice.user, &bob.user], json!([])))
        .await
        .expect_error(409, "conflict");
    alice
        .api
        .put(
            &format!("/api/v1/items/{item}"),
            json!({"expectedVersion": 1, "data": b64(b"v2")}),
        )
        .await
        .expect(200);
    alice
        .api
        .post(&url, rotate(1, vec![&alice.user, &bob.user], items_v1.clone()))
        .await
        .expect_error(409, "stale_version");
    // Nothing of the refused rotations was kept.
    let vault = bob.api.get("/api/v1/vault").await.expect(200).clone();
    let entry = find(&vault, &account).unwrap();
    assert_eq!(entry["keyGeneration"], 0);
    assert_eq!(
        unb64(&entry["wrappedKey"]),
        format!("key for {}", bob.user.id).as_bytes()
    );
    assert_eq!(unb64(&entry["items"][0]["data"]), b"v2");
    assert_eq!(unb64(&entry["inboxPublicKey"]), vec![7u8; 32]);

    let items_v2 = json!([{"id": item, "version": 2, "data": b64(b"v2 re-wrapped")}]);
    alice
        .api
        .post(&url, rotate(1, vec![&alice.user, &bob.user], items_v2))
        .await
        .expect(200);
    let vault = bob.api.get("/api/v1/vault").await.expect(200).clone();
    let entry = find(&vault, &account).unwrap();
    assert_eq!(entry["keyGeneration"], 1);
    assert_eq!(
        unb64(&entry["wrappedKey"]),
        format!("gen 1 for {}", bob.user.id).as_bytes()
    );
    assert_eq!(unb64(&entry["items"][0]["data"]), b"v2 re-wrapped");
    assert_eq!(entry["items"][0]["version"], 2);
    let members = bob
        .api
        .get(&format!("/api/v1/accounts/{account}/members"))
        .await
        .expect(200)
        .clone();
    assert!(members.as_array().unwrap().iter().all(|m| m["keyGeneration"] == 1));

    // A write sealed under the old key is refused once the key has moved on; under the new one it is kept.
    alice
        .api
        .put(
            &format!("/api/v1/items/{item}"),
            json!({"expectedVersion": 2, "data": b64(b"old key"), "keyGeneration": 0}),
        )
        .await
        .expect_error(409, "stale_version");
    alice
        .api
        .post(
            &format!("/api/v1/accounts/{account}/items"),
            json!({"id": new_id(), "data": b64(b"old key"), "keyGeneration": 0}),
        )
        .await
        .expect_error(409, "stale_version");
    alice
        .api
        .put(
            &format!("/api/v1/items/{item}"),
            json!({"expectedVersion": 2, "data": b64(b"new key"), "keyGeneration": 1}),
        )
        .await
        .expect(200);
}

// ---- stale writes ----

async fn concurrent_updates(server: &Server, db: &Db, workspace: &str) {
    let owner = member(
        server,
        db,
        workspace,
        &format!("racer-{}@acme.test", new_id()),
        Role::User,
    )
    .await;
    let account = make_account(&owner, "Race").await;
    let item = owner.add_item(&account, b"v1").await;
    let path = format!("/api/v1/items/{item}");
    // Eight writers, all based on version 1: exactly one wins, the rest are told, none is lost.
    let writers: Vec<_> = (0..8)
        .map(|i| {
            let api = owner.api.clone();
            let path = path.clone();
            tokio::spawn(async move {
                let data = format!("writer {i}");
                let reply = api
                    .put(&path, json!({"expectedVersion": 1, "data": b64(data.as_bytes())}))
                    .await;
                (data, reply)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for writer in writers {
        let (data, reply) = writer.await.unwrap();
        match reply.status {
            200 => winners.push(data),
            _ => reply.expect_error(409, "stale_version"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one write based on version 1 wins");
    let items = owner
        .api
        .get(&format!("/api/v1/accounts/{account}/items"))
        .await
        .expect(200)
        .clone();
    assert_eq!(items[0]["version"], 2);
    assert_eq!(unb64(&items[0]["data"]), winners[0].as_bytes());

    owner
        .api
        .delete(&format!("{path}?version=1"))
        .await
        .expect_error(409, "stale_version");
    owner.api.delete(&path).await.expect_error(400, "bad_request");
    owner.api.delete(&format!("{path}?version=2")).await.expect(200);
    owner
        .api
        .put(&path, json!({"expectedVersion": 2, "data": b64(b"gone")}))
        .await
        .expect_error(404, "not_found");
    // Item ids are the client's, and unique.
    let taken = owner.add_item(&account, b"x").await;
    owner
        .api
        .post(
            &format!("/api/v1/accounts/{account}/items"),
            json!({"id": taken, "data": b64(b"y")}),
        )
        .await
        .expect_error(409, "conflict");
    owner
        .api
        .post(
            &format!("/api/v1/accounts/{account}/items"),
            json!({"id": "short", "data": b64(b"y")}),
        )
        .await
        .expect_error(422, "invalid");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_item_updates_never_lose_a_write() {
    let w = sqlite_world("accounts-stale").await;
    concurrent_updates(&w.server, &w.db, &w.workspace).await;
}
