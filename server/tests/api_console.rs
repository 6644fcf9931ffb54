//! The Workspace console's reads over real HTTP: every user with role, status, trusted devices,
//! last seen, their open invitation and what the caller may do to them (the role rules' verdicts,
//! with the sentence that explains a refusal); the deprovision preview's counts; the accounts that
//! wait for a new key with their owners.

use serde_json::{json, Value};

use crate::support::world::NewAccount;
use crate::support::TempDir;
use crate::support::{member, now, open_db, trusted_device, Server};
use latchkey::domain::Role;

fn by_email<'a>(users: &'a Value, email: &str) -> &'a Value {
    users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == email)
        .unwrap_or_else(|| panic!("{email} not in {users}"))
}

/// The roles a user's row offers, as `role → why not` (null: allowed).
fn choices(user: &Value) -> Vec<(String, Value)> {
    user["roleChoices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["role"].as_str().unwrap().to_string(), c["why"].clone()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_lists_people_with_devices_invitations_and_what_the_caller_may_do() {
    let dir = TempDir::new("api-console");
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap();
    let server = Server::start(dir.path(), &[]);
    let owner = member(&server, &db, &ws.id, "owner@acme.example", Role::Owner).await;
    let sup = member(&server, &db, &ws.id, "super@acme.example", Role::SuperAdmin).await;
    let user = member(&server, &db, &ws.id, "user@acme.example", Role::User).await;
    trusted_device(&db, &user.user, "Phone").await;
    owner
        .post(
            "/invitations",
            json!({"email": "new@acme.example", "role": "admin", "displayName": "Nova"}),
        )
        .await
        .expect(201);
    // The user's devices are seen by the server as they call it.
    user.get("/devices").await.expect(200);

    let seen = sup.get("/workspace/users").await.expect(200).clone();
    let u = by_email(&seen, "user@acme.example");
    assert_eq!(u["status"], "active");
    assert_eq!(u["trustedDevices"], 2);
    assert!(u["lastSeenAt"].as_i64().unwrap() >= now() - 60, "{u}");
    assert_eq!(u["invitation"], Value::Null);
    assert_eq!(u["deprovisionRefused"], Value::Null);
    // A super admin never grants owner: the choice is there, refused, with the rule's sentence.
    assert_eq!(
        choices(u),
        vec![
            ("owner".into(), json!("Only an owner can make someone an owner.")),
            ("super_admin".into(), Value::Null),
            ("admin".into(), Value::Null),
            ("user".into(), Value::Null),
        ]
    );
    // An owner's row: a super admin touches neither its role nor deprovisions it.
    let o = by_email(&seen, "owner@acme.example");
    assert!(choices(o)
        .iter()
        .filter(|(role, _)| role != "owner")
        .all(|(_, why)| why == "Only an owner can change an owner's role."));
    assert_eq!(
        o["deprovisionRefused"],
        "A super_admin can deprovision only people of a lower role; this user is owner."
    );
    // Oneself: no role change, no deprovisioning.
    let me = by_email(&seen, "super@acme.example");
    assert_eq!(me["you"], true);
    assert!(choices(me)
        .iter()
        .filter(|(role, _)| role != "super_admin")
        .all(|(_, why)| why == "You cannot change your own role: ask another owner."));
    // The invited person: status, no device, their invitation (which an admin invite may manage).
    let n = by_email(&seen, "new@acme.example");
    assert_eq!(
        (n["status"].as_str(), n["displayName"].as_str()),
        (Some("invited"), Some("Nova"))
    );
    assert_eq!(
        (n["trustedDevices"].as_i64(), n["lastSeenAt"].is_null()),
        (Some(0), true)
    );
    assert_eq!(n["invitation"]["expired"], false);
    assert_eq!(n["invitation"]["manageable"], true);
    assert_eq!(seen["you"]["role"], "super_admin");
    assert_eq!(seen["you"]["managesScimTokens"], false);
    assert_eq!(seen["you"]["invitableRoles"][0]["allowed"], false);
    let owners_view = owner.get("/workspace/users").await.expect(200).clone();
    assert_eq!(owners_view["you"]["managesScimTokens"], true);
    assert!(choices(by_email(&owners_view, "super@acme.example"))
        .iter()
        .all(|(_, why)| why.is_null()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_preview_counts_what_deprovisioning_does_and_rotations_name_the_owners() {
    let dir = TempDir::new("api-console-rotations");
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap();
    let server = Server::start(dir.path(), &[]);
    let admin = member(&server, &db, &ws.id, "admin@acme.example", Role::Admin).await;
    let leaver = member(&server, &db, &ws.id, "leaver@acme.example", Role::User).await;
    let stayer = member(&server, &db, &ws.id, "stayer@acme.example", Role::User).await;
    trusted_device(&db, &leaver.user, "Phone").await;
    // The leaver owns one account (shared with the stayer) and is a member of the admin's.
    let theirs = leaver
        .create_account(NewAccount {
            name: "Leaver's CRM",
            ..NewAccount::default()
        })
        .await;
    leaver.share(&theirs, &stayer, "member", 0).await;
    let admins = admin
        .create_account(NewAccount {
            name: "Ads",
            ..NewAccount::default()
        })
        .await;
    admin.share(&admins, &leaver, "member", 0).await;
    assert_eq!(
        admin.get("/workspace/rotations").await.expect(200),
        &json!({"accounts": []})
    );

    let path = format!("/users/{}/deprovision", leaver.user.id);
    let preview = admin
        .get(&format!("{path}?transferTo={}", stayer.user.id))
        .await
        .expect(200)
        .clone();
    assert_eq!(preview["devicesToDisable"], 2);
    let mut names: Vec<_> = preview["accountsToRekey"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["Ads", "Leaver's CRM"]);
    assert_eq!(
        preview["handovers"][0]["newOwners"][0]["userId"],
        stayer.user.id.as_str()
    );
    // The preview changed nothing.
    leaver.get("/devices").await.expect(200);

    let done = admin
        .post(&path, json!({"transferTo": stayer.user.id}))
        .await
        .expect(200)
        .clone();
    assert_eq!(done["devicesDisabled"], preview["devicesToDisable"]);
    assert_eq!(done["accountsMarkedForRotation"], 2);
    let rotations = admin.get("/workspace/rotations").await.expect(200).clone();
    assert_eq!(
        rotations,
        json!({"accounts": [
            {"id": admins, "name": "Ads", "site": "instagram.com", "owners": [
                {"userId": admin.user.id, "email": "admin@acme.example", "displayName": "admin"}]},
            {"id": theirs, "name": "Leaver's CRM", "site": "instagram.com", "owners": [
                {"userId": stayer.user.id, "email": "stayer@acme.example", "displayName": "stayer"}]},
        ]})
    );
    let gone = by_email(
        &admin.get("/workspace/users").await.expect(200).clone(),
        "leaver@acme.example",
    )
    .clone();
    assert_eq!(
        (gone["status"].as_str(), gone["trustedDevices"].as_i64()),
        (Some("deprovisioned"), Some(0))
    );
    assert_eq!(gone["deprovisionRefused"], "This user is already deprovisioned.");
}
