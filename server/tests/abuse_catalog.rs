//! The app catalog is per workspace. It used to be one table for the whole server: an admin of one
//! workspace could `PUT /apps/instagram` and change what every other workspace's accounts are
//! offered (turn managed numbers on for a bank, say VoIP is fine where it is not), and see every
//! app anyone added. Now an admin edits their own workspace's catalog only, and another
//! workspace's entries are invisible and unusable. A database from before gets one copy of the
//! old catalog per workspace, with each account pointing at its own workspace's copy.

use serde_json::{json, Value};

use crate::support::old_schema::{at_version_2, exec};
use crate::support::{member, new_id, now, open_db, Api, Server};
use crate::support::{Postgres, TempDir};
use latchkey::db::{Db, Target};
use latchkey::domain::Role;

async fn admin(server: &Server, db: &Db, ws: &str, email: &str) -> Api {
    member(server, db, ws, email, Role::Admin).await.api
}

fn find<'a>(apps: &'a Value, id: &str) -> Option<&'a Value> {
    apps.as_array().unwrap().iter().find(|a| a["id"] == id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_cannot_edit_or_see_another_workspaces_catalog() {
    let dir = TempDir::new("abuse-catalog");
    let server = Server::start(dir.path(), &["--pool-numbers", "+15005550131"]);
    let db = open_db(dir.path()).await;
    let acme = db.create_workspace("Acme", now()).await.unwrap().id;
    let evil = db.create_workspace("Evil", now()).await.unwrap().id;
    let acme_admin = admin(&server, &db, &acme, "admin@acme.test").await;
    let evil_admin = admin(&server, &db, &evil, "admin@evil.test").await;
    let acme_before = acme_admin.get("/api/v1/apps").await.expect(200).clone();
    assert_eq!(find(&acme_before, "instagram").unwrap()["voipOk"], false);

    // Evil's admin rewrites "instagram" and adds an app of its own: in Evil's catalog only.
    let rewritten = json!({"name": "Instagram", "site": "instagram.com", "acceptsManagedNumber": true, "voipOk": true});
    evil_admin.put("/api/v1/apps/instagram", rewritten).await.expect(200);
    evil_admin
        .put(
            "/api/v1/apps/evil-tool",
            json!({"name": "Evil tool", "site": "evil.example", "acceptsManagedNumber": true, "voipOk": true}),
        )
        .await
        .expect(200);
    let acme_after = acme_admin.get("/api/v1/apps").await.expect(200).clone();
    assert_eq!(
        acme_after, acme_before,
        "another workspace's admin changed this catalog"
    );
    assert!(find(&acme_after, "evil-tool").is_none());
    let evil_apps = evil_admin.get("/api/v1/apps").await.expect(200).clone();
    assert_eq!(find(&evil_apps, "instagram").unwrap()["voipOk"], true);

    // Acme cannot use Evil's entry: not for an account, not for a number.
    let account = |app: &str| {
        json!({
            "id": new_id(), "name": "Brand", "site": "evil.example", "appId": app,
            "wrappedKey": "aw", "inboxPublicKey": "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc", "sealedInboxPrivateKey": "cw",
        })
    };
    acme_admin
        .post("/api/v1/accounts", account("evil-tool"))
        .await
        .expect_error(422, "invalid");
    // An entry of the same slug in Acme is Acme's own; Evil's stays as it was.
    acme_admin
        .put(
            "/api/v1/apps/evil-tool",
            json!({"name": "Our tool", "site": "ours.example", "acceptsManagedNumber": false, "voipOk": false}),
        )
        .await
        .expect(200);
    let evil_tool = evil_admin.get("/api/v1/apps").await.expect(200).clone();
    assert_eq!(find(&evil_tool, "evil-tool").unwrap()["name"], "Evil tool");
    let created = acme_admin.post("/api/v1/accounts", account("evil-tool")).await;
    let created = created.expect(201).clone();
    assert_eq!(created["app"]["name"], "Our tool");
    // Our tool takes no managed number, whatever Evil's entry of that slug says.
    let id = created["id"].as_str().unwrap();
    acme_admin
        .post(&format!("/api/v1/accounts/{id}/phone-number"), json!({}))
        .await
        .expect_error(409, "conflict");
}

/// A database from before per-workspace catalogs: one catalog, two workspaces using it.
async fn old_catalog_is_copied_per_workspace(target: Target) {
    let old = at_version_2(&target).await;
    for ws in ["ws-a", "ws-b"] {
        exec(
            &old,
            "INSERT INTO workspaces (id, name, created_at) VALUES ($1, $1, 0)",
            &[ws],
        )
        .await;
    }
    exec(
        &old,
        "INSERT INTO apps (id, name, site, accepts_managed_number, voip_ok) VALUES ('instagram', 'Instagram', 'instagram.com', 1, 0)",
        &[],
    )
    .await;
    exec(
        &old,
        "INSERT INTO apps (id, name, site, accepts_managed_number, voip_ok) VALUES ('custom', 'Custom', 'custom.example', 1, 1)",
        &[],
    )
    .await;
    for (account, ws, app) in [("acc-a", "ws-a", "instagram"), ("acc-b", "ws-b", "custom")] {
        exec(
            &old,
            "INSERT INTO accounts (id, workspace_id, app_id, site, name, created_at) VALUES ($1, $2, $3, 'x.example', $1, 0)",
            &[account, ws, app],
        )
        .await;
    }
    old.close().await;
    let db = Db::open(&target, now()).await.unwrap();
    for ws in ["ws-a", "ws-b"] {
        let apps = db.apps(ws).await.unwrap();
        assert_eq!(
            apps.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
            vec!["custom", "instagram"],
            "{ws}"
        );
        assert!(db.app(ws, "custom").await.unwrap().voip_ok);
    }
    assert_eq!(db.account("acc-a").await.unwrap().app_id.as_deref(), Some("instagram"));
    assert_eq!(db.account("acc-b").await.unwrap().app_id.as_deref(), Some("custom"));
    // From now on each copy is its workspace's own.
    let mut app = db.app("ws-a", "instagram").await.unwrap();
    app.voip_ok = true;
    db.put_app("ws-a", &app, 0).await.unwrap();
    assert!(!db.app("ws-b", "instagram").await.unwrap().voip_ok);
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_old_shared_catalog_becomes_one_per_workspace() {
    let dir = TempDir::new("abuse-catalog-upgrade");
    old_catalog_is_copied_per_workspace(Target::in_data_dir(dir.path())).await;
    let pg = Postgres::start();
    old_catalog_is_copied_per_workspace(Target::Postgres(pg.fresh_database("catalog_upgrade").await)).await;
}
