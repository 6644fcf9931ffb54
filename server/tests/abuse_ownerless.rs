//! No account with members is ever left without an owner. Deprovisioning an account's only owner
//! used to leave it ownerless: nobody could rotate its key (after that very deprovisioning), share
//! it, or change its MFA. Now deprovisioning hands such accounts over (to a member the request
//! names, or by default to the members who are workspace owners, else those of the strongest
//! role), and the database itself refuses any change that would leave members without an owner,
//! tried here with plain SQL on SQLite and PostgreSQL. Accounts left ownerless before the upgrade
//! get an owner when the database is migrated.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::support::old_schema::{at_version_2, exec};
use crate::support::{member, now, open_db, Server};
use crate::support::{Postgres, TempDir};
use latchkey::db::{AccountRole, Db, NewAccount, Target, User};
use latchkey::domain::Role;

/// An account owned by `owner`, shared with `members` (plain members).
async fn account(db: &Db, ws: &str, name: &str, owner: &User, members: &[&User]) -> String {
    let account = db
        .create_account(
            &NewAccount {
                workspace_id: ws,
                app_id: None,
                site: "brand.example",
                name,
                owner_id: &owner.id,
                owner_wrapped_key: b"key for the owner",
                inbox_public_key: Some(&[9u8; 32]),
                sealed_inbox_private_key: Some(b"sealed inbox"),
            },
            now(),
        )
        .await
        .unwrap();
    for m in members {
        db.put_member(&account.id, &m.id, AccountRole::Member, b"key for a member", 1)
            .await
            .unwrap();
    }
    account.id
}

/// (user id, role) of an account's members.
async fn roles(db: &Db, account: &str) -> BTreeMap<String, &'static str> {
    db.members(account)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.user_id, m.role.as_str()))
        .collect()
}

fn owners_in(reply: &Value, account: &str) -> (Vec<String>, String) {
    let handover = reply["handovers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["accountId"] == account)
        .unwrap_or_else(|| panic!("no handover for {account}: {reply}"));
    let owners = handover["newOwners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["userId"].as_str().unwrap().to_string())
        .collect();
    (owners, handover["reason"].as_str().unwrap().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deprovisioning_the_only_owner_hands_the_account_over() {
    let dir = TempDir::new("abuse-ownerless-default");
    let server = Server::start(dir.path(), &[]);
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let olga = member(&server, &db, &ws, "olga@acme.test", Role::Owner).await;
    let adam = member(&server, &db, &ws, "adam@acme.test", Role::Admin).await;
    let alice = member(&server, &db, &ws, "alice@acme.test", Role::User).await;
    let bob = member(&server, &db, &ws, "bob@acme.test", Role::User).await;
    let a1 = account(&db, &ws, "Instagram", &alice.user, &[&olga.user, &bob.user]).await;
    let a2 = account(&db, &ws, "TikTok", &alice.user, &[&adam.user, &bob.user]).await;
    let lonely = account(&db, &ws, "Alice's own", &alice.user, &[]).await;
    let shared = account(&db, &ws, "Shared", &alice.user, &[&bob.user]).await;
    db.share_account(&shared, &bob.user.id, AccountRole::Owner, None, None, now())
        .await
        .unwrap();
    db.add_phone_number(&ws, "+18005550161", "pool", None, now())
        .await
        .unwrap();
    db.assign_phone_number("+18005550161", &lonely, now()).await.unwrap();
    sqlx::query(
        "INSERT INTO mail_addresses (address, workspace_id, account_id, created_at) VALUES ('lonely@mail.test', $1, $2, $3)",
    )
    .bind(&ws)
    .bind(&lonely)
    .bind(now())
    .execute(db.pool())
    .await
    .unwrap();
    let path = format!("/api/v1/users/{}/deprovision", alice.user.id);

    // The preview: the accounts whose only owner Alice is, and who would take over.
    let preview = olga.api.get(&path).await.expect(200).clone();
    assert_eq!(
        owners_in(&preview, &a1),
        (vec![olga.user.id.clone()], "workspace_owner".into())
    );
    assert_eq!(
        owners_in(&preview, &a2),
        (vec![adam.user.id.clone()], "strongest_role".into())
    );
    assert_eq!(preview["handovers"].as_array().unwrap().len(), 2, "{preview}");
    assert_eq!(
        preview["orphaned"],
        json!([{"accountId": lonely, "name": "Alice's own"}])
    );
    assert_eq!(
        db.user(&alice.user.id).await.unwrap().status.as_str(),
        "active",
        "a preview changes nothing"
    );
    bob.api.get(&path).await.expect_error(403, "forbidden");

    let done = olga.api.post(&path, json!({})).await.expect(200).clone();
    assert_eq!(done["handovers"], preview["handovers"]);
    assert_eq!(done["accountsMarkedForRotation"], 4);
    // Every account that still has members has an owner, who can rotate its key now.
    for (account, owner) in [(&a1, &olga), (&a2, &adam), (&shared, &bob)] {
        let members = roles(&db, account).await;
        assert_eq!(members.get(&owner.user.id), Some(&"owner"), "{account}: {members:?}");
        assert!(!members.contains_key(&alice.user.id));
        assert!(db.account(account).await.unwrap().needs_rotation);
        let listed = owner.api.get("/api/v1/accounts").await.expect(200).clone();
        let entry = listed["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == account.as_str())
            .unwrap()
            .clone();
        assert_eq!(
            (entry["role"].as_str(), entry["needsRotation"].as_bool()),
            (Some("owner"), Some(true))
        );
    }
    assert_eq!(
        roles(&db, &a1).await.get(&bob.user.id),
        Some(&"member"),
        "Bob stays a member"
    );
    // The account nobody else could read has no member left and its number is in quarantine.
    assert!(roles(&db, &lonely).await.is_empty());
    let number = db.phone_number("+18005550161").await.unwrap();
    assert!(number.in_quarantine(now()), "{number:?}");
    // So is its managed e-mail address (mail to it is refused).
    let address = db.mail_address("lonely@mail.test").await.unwrap();
    assert!(address.in_quarantine(now()), "{address:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deprovisioning_asks_who_takes_over() {
    let dir = TempDir::new("abuse-ownerless-chosen");
    let server = Server::start(dir.path(), &[]);
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let olga = member(&server, &db, &ws, "olga@acme.test", Role::Owner).await;
    let alice = member(&server, &db, &ws, "alice@acme.test", Role::User).await;
    let bob = member(&server, &db, &ws, "bob@acme.test", Role::User).await;
    let carol = member(&server, &db, &ws, "carol@acme.test", Role::User).await;
    let a1 = account(&db, &ws, "Instagram", &alice.user, &[&olga.user, &bob.user]).await;
    let a2 = account(&db, &ws, "TikTok", &alice.user, &[&bob.user, &carol.user]).await;
    let path = format!("/api/v1/users/{}/deprovision", alice.user.id);

    // Someone who is not a member cannot take over: only members hold the key.
    let refused = olga.api.post(&path, json!({"transferTo": carol.user.id})).await;
    refused.expect_error(409, "conflict");
    assert!(refused.text.contains("Instagram"), "{}", refused.text);
    olga.api
        .post(
            &path,
            json!({"owners": {"0123456789abcdef0123456789abcdef": bob.user.id}}),
        )
        .await
        .expect_error(422, "invalid");
    olga.api
        .post(&path, json!({"transferTo": alice.user.id}))
        .await
        .expect_error(422, "invalid");
    assert_eq!(
        db.user(&alice.user.id).await.unwrap().status.as_str(),
        "active",
        "nothing done"
    );
    assert_eq!(roles(&db, &a1).await.get(&alice.user.id), Some(&"owner"));

    // transferTo for every account, one account chosen apart.
    let preview = olga
        .api
        .get(&format!("{path}?transferTo={}", bob.user.id))
        .await
        .expect(200)
        .clone();
    assert_eq!(owners_in(&preview, &a1).0, vec![bob.user.id.clone()]);
    let done = olga
        .api
        .post(
            &path,
            json!({"transferTo": bob.user.id, "owners": {a2.clone(): carol.user.id}}),
        )
        .await
        .expect(200)
        .clone();
    assert_eq!(owners_in(&done, &a1), (vec![bob.user.id.clone()], "chosen".into()));
    assert_eq!(owners_in(&done, &a2), (vec![carol.user.id.clone()], "chosen".into()));
    assert_eq!(roles(&db, &a1).await.get(&bob.user.id), Some(&"owner"));
    assert_eq!(roles(&db, &a1).await.get(&olga.user.id), Some(&"member"));
    assert_eq!(roles(&db, &a2).await.get(&carol.user.id), Some(&"owner"));
    assert_eq!(roles(&db, &a2).await.get(&bob.user.id), Some(&"member"));
}

/// Plain SQL against the schema: every way to leave members without an owner is refused.
async fn the_database_keeps_an_owner(target: Target) {
    let db = Db::open(&target, now()).await.unwrap();
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let mut people = Vec::new();
    for email in ["alice@acme.test", "bob@acme.test", "carol@acme.test"] {
        people.push(
            db.create_user(&ws, email, "x", Role::User, latchkey::db::UserStatus::Active, now())
                .await
                .unwrap(),
        );
    }
    let (alice, bob, carol) = (&people[0], &people[1], &people[2]);
    let acc = account(&db, &ws, "Instagram", alice, &[bob]).await;
    let refused = |sql: &'static str| {
        let db = db.clone();
        let acc = acc.clone();
        async move {
            let err = sqlx::query(sql).bind(&acc).execute(db.pool()).await.expect_err(sql);
            assert!(err.to_string().contains("must keep an owner"), "{sql}: {err}");
        }
    };
    refused("DELETE FROM account_members WHERE account_id = $1 AND role = 'owner'").await;
    refused("UPDATE account_members SET role = 'member' WHERE account_id = $1").await;
    refused("UPDATE account_members SET role = 'member' WHERE account_id = $1 AND role = 'owner'").await;
    assert_eq!(roles(&db, &acc).await.get(&alice.id), Some(&"owner"), "nothing changed");
    // The storage API says so in words.
    let err = db.remove_member(&acc, &alice.id, now()).await.unwrap_err();
    assert!(err.to_string().contains("last owner"), "{err}");

    // Promoting first, then removing, is fine; so is leaving no member at all.
    sqlx::query("UPDATE account_members SET role = 'owner' WHERE account_id = $1 AND user_id = $2")
        .bind(&acc)
        .bind(&bob.id)
        .execute(db.pool())
        .await
        .unwrap();
    sqlx::query("DELETE FROM account_members WHERE account_id = $1 AND user_id = $2")
        .bind(&acc)
        .bind(&alice.id)
        .execute(db.pool())
        .await
        .unwrap();
    sqlx::query("DELETE FROM account_members WHERE account_id = $1")
        .bind(&acc)
        .execute(db.pool())
        .await
        .unwrap();
    // A member added to an account without an owner is refused.
    let err = sqlx::query(
        "INSERT INTO account_members (account_id, user_id, role, wrapped_account_key, key_generation) \
         VALUES ($1, $2, 'member', $3, 1)",
    )
    .bind(&acc)
    .bind(&carol.id)
    .bind(vec![1u8; 4])
    .execute(db.pool())
    .await
    .unwrap_err();
    assert!(err.to_string().contains("must keep an owner"), "{err}");

    if matches!(target, Target::Postgres(_)) {
        // Checked at commit: inside one transaction the order does not matter.
        let acc = account(&db, &ws, "TikTok", alice, &[bob]).await;
        let mut tx = db.pool().begin().await.unwrap();
        sqlx::query("DELETE FROM account_members WHERE account_id = $1 AND user_id = $2")
            .bind(&acc)
            .bind(&alice.id)
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query("UPDATE account_members SET role = 'owner' WHERE account_id = $1")
            .bind(&acc)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(roles(&db, &acc).await.get(&bob.id), Some(&"owner"));
        // …but a transaction that ends ownerless is refused at its commit.
        let mut tx = db.pool().begin().await.unwrap();
        sqlx::query("UPDATE account_members SET role = 'member' WHERE account_id = $1")
            .bind(&acc)
            .execute(&mut *tx)
            .await
            .unwrap();
        let err = tx.commit().await.unwrap_err();
        assert!(err.to_string().contains("must keep an owner"), "{err}");
    }
    db.close().await;
}

/// A database from before the rule, with an account its only owner's deprovisioning left ownerless.
async fn ownerless_accounts_get_an_owner_on_upgrade(target: Target) {
    let old = at_version_2(&target).await;
    exec(
        &old,
        "INSERT INTO workspaces (id, name, created_at) VALUES ('ws1', 'Acme', 0)",
        &[],
    )
    .await;
    for (id, role) in [
        ("admin1", "admin"),
        ("user1", "user"),
        ("user2", "user"),
        ("user3", "user"),
    ] {
        exec(
            &old,
            "INSERT INTO users (id, workspace_id, email, display_name, role, status, created_at) \
             VALUES ($1, 'ws1', $2, '', $3, 'active', 0)",
            &[id, &format!("{id}@acme.test"), role],
        )
        .await;
    }
    for (account, members) in [
        ("acc-admin", &[("admin1", "member"), ("user1", "member")][..]),
        ("acc-users", &[("user2", "member"), ("user3", "member")][..]),
        ("acc-fine", &[("user1", "owner"), ("user2", "member")][..]),
    ] {
        exec(
            &old,
            "INSERT INTO accounts (id, workspace_id, site, name, created_at) VALUES ($1, 'ws1', 'x.example', $1, 0)",
            &[account],
        )
        .await;
        for (user, role) in members {
            sqlx::query(
                "INSERT INTO account_members (account_id, user_id, role, wrapped_account_key, key_generation) \
                 VALUES ($1, $2, $3, $4, 1)",
            )
            .bind(account)
            .bind(*user)
            .bind(*role)
            .bind(vec![1u8; 4])
            .execute(&old)
            .await
            .unwrap();
        }
    }
    old.close().await;
    let db = Db::open(&target, now()).await.unwrap();
    let owners = |m: BTreeMap<String, &'static str>| {
        m.into_iter()
            .filter(|(_, r)| *r == "owner")
            .map(|(u, _)| u)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        owners(roles(&db, "acc-admin").await),
        vec!["admin1"],
        "the workspace admin takes over"
    );
    assert_eq!(
        owners(roles(&db, "acc-users").await),
        vec!["user2", "user3"],
        "else every member"
    );
    assert_eq!(
        owners(roles(&db, "acc-fine").await),
        vec!["user1"],
        "owned accounts are left alone"
    );
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_refuses_an_account_without_an_owner_sqlite() {
    let dir = TempDir::new("abuse-ownerless-sql");
    the_database_keeps_an_owner(Target::in_data_dir(dir.path())).await;
    let dir = TempDir::new("abuse-ownerless-upgrade");
    ownerless_accounts_get_an_owner_on_upgrade(Target::in_data_dir(dir.path())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_refuses_an_account_without_an_owner_postgres() {
    let pg = Postgres::start();
    the_database_keeps_an_owner(Target::Postgres(pg.fresh_database("ownerless_sql").await)).await;
    ownerless_accounts_get_an_owner_on_upgrade(Target::Postgres(pg.fresh_database("ownerless_upgrade").await)).await;
}
