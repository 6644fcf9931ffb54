//! Devices and users over real HTTP: renaming and disabling one's own devices (and not another's),
//! the users list, and every role rule of invitations, role changes and deprovisioning, each in
//! its allowed and its forbidden form.

use serde_json::json;

use crate::support::smtp::SmtpServer;
use crate::support::text::contains_word;
use crate::support::trust::{Device, API};
use crate::support::TempDir;
use crate::support::{now, open_db, trusted_device, trusted_user, Api, Member, Server};
use latchkey::db::{Db, DbError, UserStatus};
use latchkey::domain::Role;
use latchkey_core::vault::{base64url_encode, KeyStore};

/// A member as this file needs them: a trusted device, no keys yet (as after an invitation).
async fn member(db: &Db, api: &Api, workspace: &str, email: &str, role: Role) -> Member {
    let (user, token) = trusted_user(db, workspace, email, role).await;
    Member {
        api: api.as_device(&token),
        user,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn own_devices_are_listed_renamed_and_disabled_and_no_one_elses() {
    let dir = TempDir::new("api-devices");
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap();
    let server = Server::start(dir.path(), &[]);
    let api = server.api();
    let ana = member(&db, &api, &ws.id, "ana@acme.example", Role::User).await;
    let ana_phone = api.as_device(&trusted_device(&db, &ana.user, "Phone").await);
    let bo = member(&db, &api, &ws.id, "bo@acme.example", Role::Owner).await;

    let list = ana.get("/devices").await.expect(200).clone();
    assert_eq!(list["limit"], 20);
    let devices = list["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 2);
    let current = devices.iter().find(|d| d["current"] == true).unwrap();
    assert_eq!(current["name"], "Test device");
    let phone_id = devices.iter().find(|d| d["name"] == "Phone").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    for field in ["id", "name", "status", "createdAt", "lastSeenAt", "current"] {
        assert!(current.get(field).is_some(), "{field} in {current}");
    }

    // Rename: unique per user (case-insensitive), valid names only; other users' devices not found.
    let renamed = ana
        .patch(&format!("/devices/{phone_id}"), json!({"name": "Pixel"}))
        .await;
    assert_eq!(renamed.expect(200)["device"]["name"], "Pixel");
    ana.patch(&format!("/devices/{phone_id}"), json!({"name": "test DEVICE"}))
        .await
        .expect_error(409, "conflict");
    ana.patch(&format!("/devices/{phone_id}"), json!({"name": "  "}))
        .await
        .expect_error(422, "invalid");
    bo.patch(&format!("/devices/{phone_id}"), json!({"name": "Mine now"}))
        .await
        .expect_error(404, "not_found");
    // Bo may use the name Ana uses.
    let bo_device = bo.get("/devices").await.expect(200)["devices"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    bo.patch(&format!("/devices/{bo_device}"), json!({"name": "Pixel"}))
        .await
        .expect(200);

    // Disable: not another user's; one's own other device; then the current one.
    bo.post(&format!("/devices/{phone_id}/disable"), json!({}))
        .await
        .expect_error(404, "not_found");
    ana_phone.get(&format!("{API}/devices")).await.expect(200);
    let disabled = ana.post(&format!("/devices/{phone_id}/disable"), json!({})).await;
    assert_eq!(disabled.expect(200)["device"]["status"], "disabled");
    ana_phone
        .get(&format!("{API}/me"))
        .await
        .expect_error(401, "device_disabled");
    let own = ana.get("/devices").await.expect(200)["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["current"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    ana.post(&format!("/devices/{own}/disable"), json!({}))
        .await
        .expect(200);
    ana.get("/devices").await.expect_error(401, "device_disabled");
    ana.post("/trust/email-code", json!({}))
        .await
        .expect_error(401, "device_disabled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitations_follow_the_role_rules_and_send_an_email() {
    let dir = TempDir::new("api-invite");
    let smtp = SmtpServer::start().await;
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap();
    let relay = smtp.url();
    let server = Server::start(dir.path(), &["--smtp-url", &relay]);
    let api = server.api();
    let owner = member(&db, &api, &ws.id, "owner@acme.example", Role::Owner).await;
    let sup = member(&db, &api, &ws.id, "super@acme.example", Role::SuperAdmin).await;
    let admin = member(&db, &api, &ws.id, "admin@acme.example", Role::Admin).await;
    let user = member(&db, &api, &ws.id, "user@acme.example", Role::User).await;

    let invite = |email: &str, role: &str| json!({"email": email, "role": role, "displayName": "New Person"});
    // Users do not invite.
    user.post("/invitations", invite("a@acme.example", "user"))
        .await
        .expect_error(403, "forbidden");
    // Admins invite up to admin; not super admins or owners.
    let made = admin.post("/invitations", invite("b@acme.example", "user")).await;
    let made = made.expect(201).clone();
    assert_eq!(made["user"]["status"], "invited");
    assert_eq!(made["user"]["role"], "user");
    assert_eq!(made["user"]["displayName"], "New Person");
    assert_eq!(made["emailSent"], true);
    admin
        .post("/invitations", invite("c@acme.example", "admin"))
        .await
        .expect(201);
    admin
        .post("/invitations", invite("d@acme.example", "super_admin"))
        .await
        .expect_error(403, "forbidden");
    admin
        .post("/invitations", invite("d@acme.example", "owner"))
        .await
        .expect_error(403, "forbidden");
    // Super admins up to super admin; only owners make owners.
    sup.post("/invitations", invite("d@acme.example", "super_admin"))
        .await
        .expect(201);
    sup.post("/invitations", invite("e@acme.example", "owner"))
        .await
        .expect_error(403, "forbidden");
    owner
        .post("/invitations", invite("e@acme.example", "owner"))
        .await
        .expect(201);
    // Taken addresses, bad roles and addresses.
    owner
        .post("/invitations", invite("B@acme.example", "user"))
        .await
        .expect_error(409, "conflict");
    owner
        .post("/invitations", invite("f@acme.example", "boss"))
        .await
        .expect_error(422, "invalid");
    owner
        .post("/invitations", invite("not an address", "user"))
        .await
        .expect_error(422, "invalid");

    // The e-mail says where to go and who invited; it carries no secret.
    let received = smtp.received.lock().unwrap().clone();
    let to_b = received
        .iter()
        .find(|m| m.rcpt_to == vec!["<b@acme.example>".to_string()])
        .unwrap();
    assert!(to_b.body().contains(&server.url), "{}", to_b.body());
    assert!(to_b.body().contains("admin@acme.example") || to_b.body().contains("admin"));
    assert!(to_b.body().contains("\"Acme\""), "{}", to_b.body());
    assert_eq!(received.len(), 4, "one e-mail per invitation made");

    // The users list shows everyone with their role and status.
    let users = user.get("/users").await.expect(200).clone();
    let users = users.as_array().unwrap();
    assert_eq!(users.len(), 8);
    let b = users.iter().find(|u| u["email"] == "b@acme.example").unwrap();
    assert_eq!(
        (b["role"].as_str(), b["status"].as_str()),
        (Some("user"), Some("invited"))
    );
    assert!(b["publicKeys"].is_null());

    // The invited person joins: registers, proves the mailbox, makes their keys on the first device;
    // they become active and the invitation is accepted.
    let mut store = KeyStore::new();
    let public = store.create_device().unwrap();
    let reg = api
        .post(
            &format!("{API}/devices/register"),
            json!({"email": "b@acme.example", "name": "Laptop", "publicKeys": public.to_text()}),
        )
        .await;
    let reg = reg.expect(201).clone();
    let device_id = reg["device"]["id"].as_str().unwrap();
    let b_api = api.as_device(reg["token"].as_str().unwrap());
    let before = smtp.received.lock().unwrap().len();
    b_api
        .post(&format!("{API}/trust/email-code"), json!({}))
        .await
        .expect(202);
    // The e-mail goes out in the background.
    let mut code = None;
    for _ in 0..200 {
        if let Some(mail) = smtp.received.lock().unwrap().get(before) {
            code = mail
                .body()
                .lines()
                .map(str::trim)
                .find(|l| l.len() == 6 && l.bytes().all(|b| b.is_ascii_digit()))
                .map(str::to_string);
        }
        if code.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let code = code.expect("the code e-mail");
    b_api
        .post(&format!("{API}/trust/email-code/verify"), json!({ "code": code }))
        .await
        .expect(200);
    let me = b_api.get(&format!("{API}/me")).await.expect(200).clone();
    let user_id = me["user"]["id"].as_str().unwrap();
    let new_user = store.create_user(&ws.id, user_id, device_id).unwrap();
    let (_kit, recovery) = store.create_recovery_kit(&ws.id, user_id).unwrap();
    let proof = store.sign_enrollment(&ws.id, user_id, device_id, &public).unwrap();
    b_api
        .post(
            &format!("{API}/trust/first-device"),
            json!({
                "userPublicKeys": new_user.public_keys.to_text(),
                "sealedPrivateKeys": base64url_encode(new_user.key_pair_envelope.as_bytes()),
                "recoveryEnvelope": base64url_encode(recovery.as_bytes()),
                "userKeyEnvelope": base64url_encode(new_user.user_key_for_device.as_bytes()),
                "proof": base64url_encode(&proof),
            }),
        )
        .await
        .expect(200);
    assert_eq!(db.user(user_id).await.unwrap().status, UserStatus::Active);
    let accepted: Option<i64> =
        sqlx::query_scalar("SELECT accepted_at FROM invitations WHERE email = 'b@acme.example'")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert!(accepted.is_some(), "the invitation is marked accepted");
    let users = user.get("/users").await.expect(200).clone();
    let b = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "b@acme.example")
        .unwrap()
        .clone();
    assert_eq!(b["status"], "active");
    assert_eq!(b["publicKeys"], new_user.public_keys.to_text());
    assert!(!contains_word(&server.stderr(), &code), "the code reached the log");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_are_changed_by_owners_and_super_admins_within_their_own_rank() {
    let dir = TempDir::new("api-roles");
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap();
    let other_ws = db.create_workspace("Elsewhere", now()).await.unwrap();
    let server = Server::start(dir.path(), &[]);
    let api = server.api();
    let owner = member(&db, &api, &ws.id, "owner@acme.example", Role::Owner).await;
    let owner2 = member(&db, &api, &ws.id, "owner2@acme.example", Role::Owner).await;
    let sup = member(&db, &api, &ws.id, "super@acme.example", Role::SuperAdmin).await;
    let admin = member(&db, &api, &ws.id, "admin@acme.example", Role::Admin).await;
    let user = member(&db, &api, &ws.id, "user@acme.example", Role::User).await;
    let stranger = member(&db, &api, &other_ws.id, "x@elsewhere.example", Role::User).await;
    let path = |m: &Member| format!("/users/{}", m.user.id);
    let role = |r: &str| json!({ "role": r });

    // Admins and users change no roles.
    admin
        .patch(&path(&user), role("admin"))
        .await
        .expect_error(403, "forbidden");
    user.patch(&path(&admin), role("user"))
        .await
        .expect_error(403, "forbidden");
    // Super admins: up to super admin, not owners, not an owner's role, not their own.
    let changed = sup.patch(&path(&user), role("admin")).await;
    assert_eq!(changed.expect(200)["role"], "admin");
    sup.patch(&path(&user), role("super_admin")).await.expect(200);
    sup.patch(&path(&user), role("owner"))
        .await
        .expect_error(403, "forbidden");
    sup.patch(&path(&owner), role("user"))
        .await
        .expect_error(403, "forbidden");
    sup.patch(&path(&sup), role("admin"))
        .await
        .expect_error(403, "forbidden");
    // Owners: anyone else, owners included; never themselves.
    owner.patch(&path(&user), role("owner")).await.expect(200);
    owner.patch(&path(&user), role("user")).await.expect(200);
    owner.patch(&path(&owner2), role("admin")).await.expect(200);
    owner
        .patch(&path(&owner), role("user"))
        .await
        .expect_error(403, "forbidden");
    // Bad roles; users of another workspace or unknown ids are not found.
    owner
        .patch(&path(&user), role("root"))
        .await
        .expect_error(422, "invalid");
    owner
        .patch(&path(&stranger), role("admin"))
        .await
        .expect_error(404, "not_found");
    owner
        .patch(&format!("/users/{}", "0".repeat(32)), role("admin"))
        .await
        .expect_error(404, "not_found");
    let roles: Vec<(String, String)> = owner
        .get("/users")
        .await
        .expect(200)
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["email"].as_str().unwrap().to_string(),
                u["role"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(roles.contains(&("user@acme.example".into(), "user".into())));
    assert!(roles.contains(&("owner2@acme.example".into(), "admin".into())));
    assert!(roles.contains(&("super@acme.example".into(), "super_admin".into())));
    assert_eq!(roles.len(), 5, "the list is this workspace's users only");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deprovisioning_follows_rank_and_locks_the_user_out_at_once() {
    let dir = TempDir::new("api-deprovision");
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap();
    let server = Server::start(dir.path(), &[]);
    let api = server.api();
    let owner = member(&db, &api, &ws.id, "owner@acme.example", Role::Owner).await;
    let owner2 = member(&db, &api, &ws.id, "owner2@acme.example", Role::Owner).await;
    let sup = member(&db, &api, &ws.id, "super@acme.example", Role::SuperAdmin).await;
    let sup2 = member(&db, &api, &ws.id, "super2@acme.example", Role::SuperAdmin).await;
    let admin = member(&db, &api, &ws.id, "admin@acme.example", Role::Admin).await;
    let admin2 = member(&db, &api, &ws.id, "admin2@acme.example", Role::Admin).await;
    let user = member(&db, &api, &ws.id, "user@acme.example", Role::User).await;
    let user2 = member(&db, &api, &ws.id, "user2@acme.example", Role::User).await;
    let path = |m: &Member| format!("/users/{}/deprovision", m.user.id);

    // The user has a second device and reads an account.
    let phone = api.as_device(&trusted_device(&db, &user.user, "Phone").await);
    for (i, account) in ["a1", "a2"].iter().enumerate() {
        let id = format!("{account:0>32}");
        sqlx::query(
            "INSERT INTO accounts (id, workspace_id, site, name, created_at) VALUES ($1, $2, 'x.example', $3, $4)",
        )
        .bind(&id)
        .bind(&ws.id)
        .bind(format!("Account {i}"))
        .bind(now())
        .execute(db.pool())
        .await
        .unwrap();
        // Every account with members has an owner (the database insists).
        for (who, role) in [(&owner.user.id, "owner"), (&user.user.id, "member")] {
            sqlx::query(
                "INSERT INTO account_members (account_id, user_id, role, wrapped_account_key, key_generation) \
                 VALUES ($1, $2, $3, $4, 1)",
            )
            .bind(&id)
            .bind(who)
            .bind(role)
            .bind(vec![1u8; 8])
            .execute(db.pool())
            .await
            .unwrap();
        }
    }

    // Users deprovision no one; admins only lower roles; super admins likewise; never oneself.
    user.post(&path(&user2), json!({})).await.expect_error(403, "forbidden");
    admin
        .post(&path(&admin2), json!({}))
        .await
        .expect_error(403, "forbidden");
    admin.post(&path(&sup), json!({})).await.expect_error(403, "forbidden");
    admin
        .post(&path(&owner), json!({}))
        .await
        .expect_error(403, "forbidden");
    sup.post(&path(&sup2), json!({})).await.expect_error(403, "forbidden");
    sup.post(&path(&owner), json!({})).await.expect_error(403, "forbidden");
    admin
        .post(&path(&admin), json!({}))
        .await
        .expect_error(403, "forbidden");
    owner
        .post(&path(&owner), json!({}))
        .await
        .expect_error(403, "forbidden");

    // Allowed: admin over a user (with its effects), super admin over an admin, owner over an owner.
    let done = admin.post(&path(&user), json!({})).await;
    assert_eq!(
        done.expect(200),
        &json!({"devicesDisabled": 2, "tokensRevoked": 2, "accountsMarkedForRotation": 2, "handovers": [], "orphaned": []})
    );
    for client in [&user.api, &phone] {
        for route in ["/me", "/devices", "/users", "/trust/status"] {
            client
                .get(&format!("{API}{route}"))
                .await
                .expect_error(401, "user_deprovisioned");
        }
    }
    let listed = owner.get("/users").await.expect(200).clone();
    let gone = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "user@acme.example")
        .unwrap()
        .clone();
    assert_eq!(gone["status"], "deprovisioned");
    owner.post(&path(&user), json!({})).await.expect_error(409, "conflict");
    // Deprovisioned users cannot register a new device either: they get what an unknown address
    // gets, a registration that can never be trusted (no device of theirs is made).
    let mut keys = KeyStore::new();
    let public = keys.create_device().unwrap();
    let before = db.devices(&user.user.id).await.unwrap().len();
    api.post(
        &format!("{API}/devices/register"),
        json!({"email": "user@acme.example", "name": "Back door", "publicKeys": public.to_text()}),
    )
    .await
    .expect(201);
    assert_eq!(db.devices(&user.user.id).await.unwrap().len(), before);

    sup.post(&path(&admin2), json!({})).await.expect(200);
    owner.post(&path(&owner2), json!({})).await.expect(200);
    owner2.get("/me").await.expect_error(401, "user_deprovisioned");
    // The admin who deprovisioned still works; the remaining owner too.
    admin.get("/users").await.expect(200);
    owner.get("/me").await.expect(200);
}

/// One e-mail rule (`domain::Email`) for registration, invitations and the storage: each used to
/// have its own (registration took anything with an `@`, invitations asked `lettre`, the storage
/// only looked for an `@`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_email_rule_for_registration_invitations_and_storage() {
    let dir = TempDir::new("api-email-rule");
    let server = Server::start(dir.path(), &[]);
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let owner = member(&db, &server.api(), &ws, "owner@acme.example", Role::Owner).await;
    for bad in [
        "ana",
        "ana@",
        "@acme.example",
        "ana@@acme.example",
        "ana smith@acme.example",
        "Ana <ana@acme.example>",
    ] {
        let mut device = Device::new(&server.api());
        device.register(bad, "Laptop").await.expect_error(422, "invalid");
        owner
            .post("/invitations", json!({"email": bad, "role": "user"}))
            .await
            .expect_error(422, "invalid");
        let stored = db
            .create_user(&ws, bad, "Ana", Role::User, UserStatus::Active, now())
            .await;
        assert!(
            matches!(stored, Err(DbError::Invalid(_))),
            "{bad:?} was stored: {stored:?}"
        );
    }
    // However it is typed, an address is the same address everywhere.
    let made = owner
        .post("/invitations", json!({"email": "  Ana@ACME.example ", "role": "user"}))
        .await;
    assert_eq!(made.expect(201)["user"]["email"], "ana@acme.example");
    owner
        .post("/invitations", json!({"email": "ana@acme.example", "role": "user"}))
        .await
        .expect_error(409, "conflict");
    let mut device = Device::new(&server.api());
    device.register("ANA@acme.example", "Laptop").await.expect(201);
    assert_eq!(device.get("/me").await.expect(200)["email"], "ana@acme.example");
}
