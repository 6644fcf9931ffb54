//! `latchkey serve --demo`: the seeded workspace is real. Alice's Recovery Kit, as printed, opens her
//! user key; that opens the shared account's key, its sites record (the demo app's host) and its
//! TOTP item, whose code is the one the demo app's team login expects. A restart keeps the same
//! workspace and prints the same sign-in.

use latchkey_core::device::RecoveryKit;
use latchkey_core::vault::{account_sites, AccountKey, Context, Envelope, ItemKind, SealedItem, UserKeyPair};
use sqlx::Row;

use crate::support::{Server, TempDir};

/// Starts `serve --demo` and returns it with its console lines up to the managed number.
async fn start_demo(dir: &std::path::Path) -> (Server, Vec<String>) {
    let server = Server::start(dir, &["--demo"]);
    for _ in 0..500 {
        let console = server.stdout();
        if console.contains("Managed number") {
            let lines = console.lines().map(str::to_string).collect();
            return (server, lines);
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no demo instructions on the console: {}", server.stdout());
}

fn kit_of(lines: &[String], email: &str) -> String {
    let line = lines.iter().find(|l| l.contains(email)).expect("the user is listed");
    line.split("Recovery Kit ").nth(1).unwrap().trim().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_workspace_opens_with_the_printed_recovery_kit() {
    let dir = TempDir::new("demo-seed");
    let (mut server, lines) = start_demo(dir.path()).await;
    let text = lines.join("\n");
    assert!(text.contains("demo workspace \"Northwind Demo\" is ready"), "{text}");
    assert!(
        text.contains("Managed number of the team login: +12025550142"),
        "{text}"
    );
    let alice_kit = kit_of(&lines, "alice@northwind.test");
    server.kill9();

    let db = crate::support::open_db(dir.path()).await;
    let row = sqlx::query(
        "SELECT id, workspace_id, sealed_private_keys, recovery_envelope FROM users WHERE email = 'alice@northwind.test'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    let (user_id, ws): (String, String) = (row.get("id"), row.get("workspace_id"));
    let recovery = Envelope::from_bytes(row.get("recovery_envelope")).unwrap();
    let sealed_pair = Envelope::from_bytes(row.get("sealed_private_keys")).unwrap();

    // The kit as printed → user key → key pair → the account key sealed to Alice → the items.
    let kit = RecoveryKit::parse(&alice_kit).unwrap();
    let user_key = kit
        .unwrap_user_key(&recovery, &Context::user_key_recovery(&ws, &user_id))
        .unwrap();
    let pair: UserKeyPair = user_key
        .unwrap_key_pair(&sealed_pair, &Context::user_key_pair(&ws, &user_id))
        .unwrap();
    let accounts = db.accounts_for_user(&user_id).await.unwrap();
    assert_eq!(accounts.len(), 1);
    let account = &accounts[0];
    assert_eq!(account.site, "demo.localhost");
    let member = db.membership(&account.id, &user_id).await.unwrap();
    let account_key = AccountKey::open_as_member(
        &pair,
        &Envelope::from_bytes(member.wrapped_account_key.clone()).unwrap(),
        &Context::account_key_for_member(&ws, &account.id, &user_id, member.key_generation as u64),
    )
    .unwrap();
    let items = db.items(&account.id).await.unwrap();
    assert_eq!(items.len(), 3);
    let mut kinds = Vec::new();
    let mut sealed_items = Vec::new();
    for stored in &items {
        let sealed: SealedItem = serde_json::from_slice(&stored.data).unwrap();
        sealed_items.push(sealed.clone());
        assert_eq!(
            (sealed.account.as_str(), sealed.item.as_str()),
            (account.id.as_str(), stored.id.as_str())
        );
        let item = sealed.open(&account_key).unwrap();
        kinds.push(item.kind());
        if item.kind() == ItemKind::Totp {
            let code = sealed.code_at(&account_key, 1_800_000_000).unwrap();
            assert_eq!(code.code.len(), 6);
        }
    }
    kinds.sort_by_key(|k| k.name());
    assert_eq!(kinds, vec![ItemKind::Login, ItemKind::Sites, ItemKind::Totp]);
    // Members' codes fill on the sites inside the sealed record, not on the plaintext site.
    let sites = account_sites(&account_key, &ws, &account.id, &sealed_items)
        .unwrap()
        .unwrap();
    assert_eq!(sites.sites, ["demo.localhost"]);
    // Bob is a member; the number is the account's.
    let members = db.members(&account.id).await.unwrap();
    assert_eq!(members.len(), 2);
    let number = db.phone_number("+12025550142").await.unwrap();
    assert_eq!(number.account_id.as_deref(), Some(account.id.as_str()));
    db.close().await;

    // Again on the same data: the same workspace, the same kit printed, nothing seeded twice.
    let (mut server, lines) = start_demo(dir.path()).await;
    assert_eq!(kit_of(&lines, "alice@northwind.test"), alice_kit);
    server.kill9();
    let db = crate::support::open_db(dir.path()).await;
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM workspaces")
        .fetch_one(db.pool())
        .await
        .unwrap()
        .get("n");
    assert_eq!(n, 1);
}
