//! Attacks on the Workspace console's reads: a member with the User role asks for the people
//! list (devices, last seen, invitations) and for the accounts waiting for a new key, and an admin
//! of another workspace asks for this one's; both refused or shown only their own.

use serde_json::json;

use crate::support::world::NewAccount;
use crate::support::TempDir;
use crate::support::{member, now, open_db, Server};
use latchkey::domain::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_role_member_cannot_read_the_console_and_other_workspaces_stay_out() {
    let dir = TempDir::new("abuse-console");
    let db = open_db(dir.path()).await;
    let acme = db.create_workspace("Acme", now()).await.unwrap();
    let other = db.create_workspace("Other", now()).await.unwrap();
    let server = Server::start(dir.path(), &[]);
    let admin = member(&server, &db, &acme.id, "admin@acme.example", Role::Admin).await;
    let user = member(&server, &db, &acme.id, "user@acme.example", Role::User).await;
    let leaver = member(&server, &db, &acme.id, "leaver@acme.example", Role::User).await;
    let account = admin.create_account(NewAccount::default()).await;
    admin.share(&account, &leaver, "member", 0).await;
    admin
        .post(&format!("/users/{}/deprovision", leaver.user.id), json!({}))
        .await
        .expect(200);
    admin.get("/workspace/users").await.expect(200);

    for path in ["/workspace/users", "/workspace/rotations"] {
        user.get(path).await.expect_error(403, "forbidden");
    }
    // An owner of another workspace sees only their own people, and no account of Acme's.
    let stranger = member(&server, &db, &other.id, "owner@other.example", Role::Owner).await;
    let seen = stranger.get("/workspace/users").await.expect(200).clone();
    let emails: Vec<_> = seen["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].clone())
        .collect();
    assert_eq!(emails, [json!("owner@other.example")]);
    assert_eq!(
        stranger.get("/workspace/rotations").await.expect(200),
        &json!({"accounts": []})
    );
    assert_eq!(
        admin.get("/workspace/rotations").await.expect(200)["accounts"][0]["id"],
        account.as_str()
    );
}
