//! Attacks on the audit log (issue 18): someone with write access to the database file changes,
//! removes or reorders events (and even recomputes a hash) to hide what they did, and
//! `latchkey audit verify` names the first broken link; an admin of one workspace tries to read
//! another's events, or a member to report a fill for an account they cannot read; two instances
//! on one PostgreSQL append at once and must not fork the chain; retention prunes and the chain
//! still verifies from its checkpoint, while a forged checkpoint does not.

use std::path::Path;

use serde_json::{json, Value};
use sqlx::Row;

use crate::support::server::{latchkey, stderr, stdout};
use crate::support::sms::{server_env, server_flags};
use crate::support::world::NewAccount;
use crate::support::{member, now, open_db, Member, Postgres, Server, TempDir};
use latchkey::db::{Action, Db, NewEvent, Target};
use latchkey::domain::Role;

/// `latchkey audit verify --data-dir DIR`: exit status, stdout and stderr.
fn verify_dir(dir: &Path) -> (i32, String, String) {
    let out = latchkey(&["audit", "verify", "--data-dir", dir.to_str().unwrap()]);
    (out.status.code().unwrap_or(-1), stdout(&out), stderr(&out))
}

async fn fill(m: &Member, account: &str, site: &str) -> crate::support::Reply {
    m.post(
        "/audit/fills",
        json!({"accountId": account, "site": site, "kind": "totp"}),
    )
    .await
}

/// Copies a stopped server's data directory (the SQLite file and any WAL beside it).
fn copy_dir(from: &Path, label: &str) -> TempDir {
    let to = TempDir::new(label);
    for name in ["latchkey.db", "latchkey.db-wal", "latchkey.db-shm"] {
        let source = from.join(name);
        if source.exists() {
            std::fs::copy(&source, to.path().join(name)).unwrap();
        }
    }
    to
}

/// Runs SQL on a copy's SQLite file directly, as someone holding the file would.
async fn tamper(dir: &Path, statements: &[&str]) {
    let db = Db::open(&Target::in_data_dir(dir), now()).await.unwrap();
    for sql in statements {
        sqlx::query(sql).execute(db.pool()).await.unwrap();
    }
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changed_removed_or_reordered_events_are_caught_by_verify() {
    let dir = TempDir::new("abuse-audit-tamper");
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let mut server = Server::start(dir.path(), &[]);
    // Event 1: the admin's device registered (by the server, seeding); 2: the account created.
    let ana = member(&server, &db, &ws, "ana@acme.example", Role::Admin).await;
    let account = ana.create_account(NewAccount::default()).await;
    // Events 3 to 7: codes filled.
    for i in 0..5 {
        fill(&ana, &account, &format!("site{i}.example")).await.expect(201);
    }
    server.terminate();
    db.close().await;
    let (status, out, err) = verify_dir(dir.path());
    assert_eq!(status, 0, "{out}{err}");
    assert!(out.contains("7 events checked"), "{out}");

    // Changing what an event says (a fill on another site, by nobody).
    let edited = copy_dir(dir.path(), "abuse-audit-edited");
    tamper(
        edited.path(),
        &["UPDATE audit_events SET detail = '{\"kind\":\"totp\",\"site\":\"elsewhere.example\"}', actor_user_id = NULL WHERE seq = 4"],
    )
    .await;
    let (status, _, err) = verify_dir(edited.path());
    assert_eq!(status, 1, "{err}");
    assert!(err.contains("event 4") && err.contains("was changed"), "{err}");

    // Deleting an event from the middle.
    let deleted = copy_dir(dir.path(), "abuse-audit-deleted");
    tamper(deleted.path(), &["DELETE FROM audit_events WHERE seq = 5"]).await;
    let (status, _, err) = verify_dir(deleted.path());
    assert_eq!(status, 1, "{err}");
    assert!(err.contains("event 5 is missing"), "{err}");

    // Reordering two events (their positions swapped, contents and hashes untouched).
    let reordered = copy_dir(dir.path(), "abuse-audit-reordered");
    tamper(
        reordered.path(),
        &[
            "UPDATE audit_events SET seq = 1000 WHERE seq = 3",
            "UPDATE audit_events SET seq = 3 WHERE seq = 4",
            "UPDATE audit_events SET seq = 4 WHERE seq = 1000",
        ],
    )
    .await;
    let (status, _, err) = verify_dir(reordered.path());
    assert_eq!(status, 1, "{err}");
    assert!(err.contains("event 3"), "{err}");

    // Cutting the newest event off the end (the chain alone would still link up).
    let truncated = copy_dir(dir.path(), "abuse-audit-truncated");
    tamper(truncated.path(), &["DELETE FROM audit_events WHERE seq = 7"]).await;
    let (status, _, err) = verify_dir(truncated.path());
    assert_eq!(status, 1, "{err}");
    assert!(err.contains("removed from the end"), "{err}");

    // Changing an event and recomputing its own hash: the next event still names the old one.
    let rehashed = copy_dir(dir.path(), "abuse-audit-rehashed");
    let rewrite = Db::open(&Target::in_data_dir(rehashed.path()), now()).await.unwrap();
    let mut events = rewrite
        .audit_events(&latchkey::db::AuditQuery {
            workspace_id: ws.clone(),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let forged = &mut events[3];
    forged.detail = Some("{\"kind\":\"totp\",\"site\":\"elsewhere.example\"}".into());
    let new_hash = forged.computed_hash().to_vec();
    sqlx::query("UPDATE audit_events SET detail = $1, hash = $2 WHERE workspace_id = $3 AND seq = 4")
        .bind(forged.detail.clone())
        .bind(new_hash)
        .bind(&ws)
        .execute(rewrite.pool())
        .await
        .unwrap();
    rewrite.close().await;
    let (status, _, err) = verify_dir(rehashed.path());
    assert_eq!(status, 1, "{err}");
    assert!(err.contains("event 5") && err.contains("previous-event hash"), "{err}");

    // A directory with no database is an error, not an empty "intact" log; one database at a time.
    let empty = TempDir::new("abuse-audit-empty");
    let (status, _, err) = verify_dir(empty.path());
    assert_eq!(status, 3, "{err}");
    let both = latchkey(&[
        "audit",
        "verify",
        "--data-dir",
        dir.path().to_str().unwrap(),
        "--database-url",
        "postgres://nobody@127.0.0.1:1/none",
    ]);
    assert_eq!(both.status.code(), Some(2), "{}", stderr(&both));
    assert!(stderr(&both).contains("cannot be given together"), "{}", stderr(&both));
}

/// Every event of the caller's workspace, following the cursor 3 at a time.
async fn all_events(m: &Member, filter: &str) -> Vec<Value> {
    m.audit_events(filter, 3).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_workspaces_events_stay_invisible_and_plain_users_are_refused() {
    let dir = TempDir::new("abuse-audit-tenants");
    let db = open_db(dir.path()).await;
    let server = Server::start(dir.path(), &[]);
    let (ws_a, ws_b) = (
        db.create_workspace("Acme", now()).await.unwrap().id,
        db.create_workspace("Globex", now()).await.unwrap().id,
    );
    let admin_a = member(&server, &db, &ws_a, "admin@acme.example", Role::Admin).await;
    let user_a = member(&server, &db, &ws_a, "user@acme.example", Role::User).await;
    let owner_b = member(&server, &db, &ws_b, "owner@globex.example", Role::Owner).await;
    let account_a = admin_a.create_account(NewAccount::default()).await;
    let account_b = owner_b.create_account(NewAccount::default()).await;
    fill(&owner_b, &account_b, "globex.example").await.expect(201);

    // A's admin walks the whole log, and filters by B's user and account: nothing of B's.
    let seen = all_events(&admin_a, "").await;
    assert!(!seen.is_empty());
    let text = serde_json::to_string(&seen).unwrap();
    for secret in [owner_b.user.id.as_str(), account_b.as_str(), "globex.example"] {
        assert!(!text.contains(secret), "{secret} leaked into {text}");
    }
    assert!(all_events(&admin_a, &format!("&user={}", owner_b.user.id))
        .await
        .is_empty());
    assert!(all_events(&admin_a, &format!("&account={account_b}")).await.is_empty());
    // A forged cursor only moves within A's own chain.
    let forged = base64_cursor(0);
    let page = admin_a
        .get(&format!("/audit?cursor={forged}"))
        .await
        .expect(200)
        .clone();
    assert!(!page.to_string().contains(&account_b));
    admin_a.get("/audit?cursor=bm9wZQ").await.expect_error(422, "invalid");

    // A plain user reads no log at all, in any format.
    for format in ["json", "jsonl", "csv"] {
        user_a
            .get(&format!("/audit?format={format}"))
            .await
            .expect_error(403, "forbidden");
    }

    // Reporting fills for accounts one cannot read: B's (another workspace), and A's own account
    // by a member who is not on it. Refused as "not found", and nothing is written anywhere.
    let before_b = all_events(&owner_b, "").await.len();
    let before_a = all_events(&admin_a, "").await.len();
    fill(&admin_a, &account_b, "globex.example")
        .await
        .expect_error(404, "not_found");
    fill(&user_a, &account_a, "acme.example")
        .await
        .expect_error(404, "not_found");
    // Hostile values are refused, not stored.
    admin_a
        .post(
            "/audit/fills",
            json!({"accountId": account_a, "site": "=cmd|' /C calc'!A0", "kind": "totp"}),
        )
        .await
        .expect_error(422, "invalid");
    admin_a
        .post(
            "/audit/fills",
            json!({"accountId": account_a, "site": "acme.example", "kind": "password"}),
        )
        .await
        .expect_error(422, "invalid");
    // A fill dated into the log's past (more than a day) or its future, to rewrite the story
    // the log tells: refused.
    let at = now();
    for filled_at in [at - 25 * 3600, at + 3600] {
        admin_a
            .post(
                "/audit/fills",
                json!({"accountId": account_a, "site": "acme.example", "kind": "totp", "filledAt": filled_at}),
            )
            .await
            .expect_error(422, "invalid");
    }
    assert_eq!(all_events(&owner_b, "").await.len(), before_b);
    assert_eq!(all_events(&admin_a, "").await.len(), before_a);

    // Sent late (the server was away): recorded when received, with when the fill happened.
    admin_a
        .post(
            "/audit/fills",
            json!({"accountId": account_a, "site": "acme.example", "kind": "totp", "filledAt": at - 3600}),
        )
        .await
        .expect(201);
    let events = all_events(&admin_a, "&action=code.filled").await;
    let late = events.last().unwrap();
    assert_eq!(
        late["detail"],
        json!({"site": "acme.example", "kind": "totp", "filledAt": (at - 3600).to_string()})
    );
    assert!(late["at"].as_i64().unwrap() >= at, "{late}");
}

fn base64_cursor(seq: i64) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("a1.{seq}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_appending_at_once_keep_one_chain() {
    let pg = Postgres::start();
    let url = pg.fresh_database("abuse_audit_instances").await;
    let db = Db::open(&Target::Postgres(url.clone()), now()).await.unwrap();
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let (dir_a, dir_b) = (TempDir::new("audit-instance-a"), TempDir::new("audit-instance-b"));
    let mut flags = server_flags();
    flags.extend(["--database-url", url.as_str()]);
    let a = Server::start_with_env(dir_a.path(), &flags, &server_env());
    let b = Server::start_with_env(dir_b.path(), &flags, &server_env());
    let ana = member(&a, &db, &ws, "ana@acme.example", Role::Owner).await;
    let account = ana.create_account(NewAccount::default()).await;
    let on_b = b.api().as_device(ana.api.token.as_deref().unwrap());

    // 2 x 30 fills at once, half through each instance.
    let mut tasks = Vec::new();
    for i in 0..60 {
        let api = if i % 2 == 0 { ana.api.clone() } else { on_b.clone() };
        let account = account.clone();
        tasks.push(tokio::spawn(async move {
            api.post(
                "/api/v1/audit/fills",
                json!({"accountId": account, "site": format!("s{i}.example"), "kind": "totp"}),
            )
            .await
            .status
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), 201);
    }
    let rows = sqlx::query("SELECT seq FROM audit_events WHERE workspace_id = $1 ORDER BY seq")
        .bind(&ws)
        .fetch_all(db.pool())
        .await
        .unwrap();
    let seqs: Vec<i64> = rows.iter().map(|r| r.get::<i64, _>("seq")).collect();
    // Device registered, account created, 60 fills: one chain, no gap, no fork.
    assert_eq!(seqs, (1..=62).collect::<Vec<i64>>());
    let out = latchkey(&["audit", "verify", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("62 events checked"), "{}", stdout(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pruning_keeps_the_chain_verifiable_and_a_forged_checkpoint_is_caught() {
    let dir = TempDir::new("abuse-audit-retention");
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let day = 86_400;
    // Five events from 30 days ago, three from today.
    for i in 0..8 {
        let at = if i < 5 { now() - 30 * day + i } else { now() };
        db.record(NewEvent::ok(&ws, Action::CodeFilled), at).await.unwrap();
    }
    db.close().await;
    let mut server = Server::start(dir.path(), &["--audit-retention-days", "7"]);
    assert!(server.logged("audit_pruned").await, "{}", server.stderr());
    server.terminate();
    let (status, out, err) = verify_dir(dir.path());
    assert_eq!(status, 0, "{out}{err}");
    // Three kept, and the pruning itself recorded.
    assert!(out.contains("4 events checked"), "{out}");
    let db = open_db(dir.path()).await;
    let row = sqlx::query("SELECT seq FROM audit_checkpoints WHERE workspace_id = $1")
        .bind(&ws)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(row.get::<i64, _>("seq"), 5);
    let kept = sqlx::query("SELECT action FROM audit_events WHERE workspace_id = $1 ORDER BY seq")
        .bind(&ws)
        .fetch_all(db.pool())
        .await
        .unwrap();
    let kept: Vec<String> = kept.iter().map(|r| r.get::<String, _>("action")).collect();
    assert_eq!(kept, ["code.filled", "code.filled", "code.filled", "audit.pruned"]);
    db.close().await;

    // Someone deletes more events and moves the checkpoint forward to hide it.
    let forged = copy_dir(dir.path(), "abuse-audit-checkpoint");
    tamper(
        forged.path(),
        &[
            "DELETE FROM audit_events WHERE seq = 6",
            "UPDATE audit_checkpoints SET seq = 6",
        ],
    )
    .await;
    let (status, _, err) = verify_dir(forged.path());
    assert_eq!(status, 1, "{err}");
    assert!(err.contains("event 7"), "{err}");
}
