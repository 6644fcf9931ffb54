//! What the audit log costs (issue 18), on SQLite and PostgreSQL:
//!
//! - SMS intake with and without its `message.received` event: `Db::store_sms` (the webhook's
//!   storage step, the one the event is added to) against `Db::store_sms_without_audit` (the same
//!   code with the event left out; only built with `--features bench`), 16 in flight, rounds
//!   alternated so drift hits both alike. The ratio is the storage step's; the whole webhook
//!   (HTTP, signature, sealing) costs more per message, so its ratio is closer to 1.
//! - `audit verify` over 1,000,000 events in one workspace's chain (SQLite, written in bulk with
//!   the real hash), timed in-process (`Db::verify_audit`) and as the release `latchkey audit
//!   verify --data-dir` command.
//!
//! Run by `./build.sh bench` (`cargo bench -p latchkey --features bench --bench audit`).

use latchkey_test_support as support;

use std::sync::Arc;
use std::time::Instant;

use tokio::sync::Semaphore;

use latchkey::db::{AuditEvent, Db, NewSms, Target, Verdict, GENESIS};
use support::sms::seed;
use support::{now, open_db, Postgres, TempDir};

const IN_FLIGHT: usize = 16;
const ROUND: usize = 1_000;
const ROUNDS: usize = 4;
const VERIFY_EVENTS: i64 = 1_000_000;

/// Stores `ROUND` messages (ids from `first`), `IN_FLIGHT` at a time; messages per second.
async fn intake(db: &Db, account: &str, to: &str, first: usize, audited: bool) -> f64 {
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut tasks = tokio::task::JoinSet::new();
    let started = Instant::now();
    for i in first..first + ROUND {
        let permit = Arc::clone(&slots).acquire_owned().await.unwrap();
        let (db, account, to) = (db.clone(), account.to_string(), to.to_string());
        tasks.spawn(async move {
            let _permit = permit;
            let sid = format!("SM{i:032x}");
            let sms = NewSms {
                provider: "twilio",
                provider_message_id: &sid,
                account_id: &account,
                from: "+14155550100",
                to: &to,
                received_at: now(),
                sealed: &[0x5a; 180],
            };
            let (_, stored) = if audited {
                db.store_sms(&sms).await.unwrap()
            } else {
                db.store_sms_without_audit(&sms).await.unwrap()
            };
            assert!(stored);
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    ROUND as f64 / started.elapsed().as_secs_f64()
}

/// Alternating rounds with and without the event: (with, without) in messages per second.
async fn compare(db: &Db, account: &str, to: &str) -> (f64, f64) {
    // One warm-up round each, not counted.
    intake(db, account, to, 10_000_000, true).await;
    intake(db, account, to, 20_000_000, false).await;
    let (mut with, mut without) = (0.0, 0.0);
    for round in 0..ROUNDS {
        with += intake(db, account, to, round * ROUND, true).await;
        without += intake(db, account, to, 1_000_000 + round * ROUND, false).await;
    }
    (with / ROUNDS as f64, without / ROUNDS as f64)
}

fn row(name: &str, (with, without): (f64, f64)) {
    println!(
        "{name:<34} {with:>10.0} msg/s with audit  {without:>10.0} msg/s without  ratio {:.2}",
        with / without
    );
}

/// Writes a chain of `n` valid events straight into the tables (bulk inserts of the real hashes).
async fn write_chain(db: &Db, workspace: &str, n: i64) {
    const PER_STATEMENT: i64 = 500;
    let mut prev = GENESIS.to_vec();
    let mut seq = 0;
    let mut tx = db.pool().begin().await.unwrap();
    while seq < n {
        let count = PER_STATEMENT.min(n - seq);
        let mut sql = String::from(
            "INSERT INTO audit_events (workspace_id, seq, at, actor_user_id, actor_device_id, action, target_type, \
             target_id, account_id, detail, client_addr, outcome, prev_hash, hash) VALUES ",
        );
        let mut events = Vec::with_capacity(count as usize);
        for k in 0..count {
            seq += 1;
            let mut event = AuditEvent {
                workspace_id: workspace.to_string(),
                seq,
                at: 1_700_000_000 + seq,
                actor_user_id: Some("0123456789abcdef0123456789abcdef".into()),
                actor_device_id: Some("fedcba9876543210fedcba9876543210".into()),
                action: "code.filled".into(),
                target_type: Some("account".into()),
                target_id: Some("00112233445566778899aabbccddeeff".into()),
                account_id: Some("00112233445566778899aabbccddeeff".into()),
                detail: Some(format!("{{\"kind\":\"totp\",\"site\":\"site{}.example\"}}", seq % 97)),
                client_addr: "203.0.113.7".into(),
                outcome: "ok".into(),
                prev_hash: prev.clone(),
                hash: Vec::new(),
            };
            event.hash = event.computed_hash().to_vec();
            prev = event.hash.clone();
            let b = k * 14;
            if k > 0 {
                sql.push(',');
            }
            sql.push('(');
            sql.push_str(&(1..=14).map(|c| format!("${}", b + c)).collect::<Vec<_>>().join(","));
            sql.push(')');
            events.push(event);
        }
        let mut q = sqlx::query(&sql);
        for e in events {
            q = q
                .bind(e.workspace_id)
                .bind(e.seq)
                .bind(e.at)
                .bind(e.actor_user_id)
                .bind(e.actor_device_id)
                .bind(e.action)
                .bind(e.target_type)
                .bind(e.target_id)
                .bind(e.account_id)
                .bind(e.detail)
                .bind(e.client_addr)
                .bind(e.outcome)
                .bind(e.prev_hash)
                .bind(e.hash);
        }
        q.execute(&mut *tx).await.unwrap();
    }
    sqlx::query("INSERT INTO audit_heads (workspace_id, seq, hash) VALUES ($1, $2, $3)")
        .bind(workspace)
        .bind(n)
        .bind(prev)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    println!("audit log overhead (issue 18)");

    let dir = TempDir::new("bench-audit-sqlite");
    let db = open_db(dir.path()).await;
    let f = seed(&db, "+18005550171").await;
    row("SMS store, SQLite", compare(&db, &f.account_id, &f.number).await);
    db.close().await;

    let pg = Postgres::start();
    let url = pg.fresh_database("bench_audit").await;
    let db = Db::open(&Target::Postgres(url), now()).await.unwrap();
    let f = seed(&db, "+18005550172").await;
    row("SMS store, PostgreSQL", compare(&db, &f.account_id, &f.number).await);
    db.close().await;

    let dir = TempDir::new("bench-audit-verify");
    let db = open_db(dir.path()).await;
    let workspace = db.create_workspace("Bench", now()).await.unwrap().id;
    let started = Instant::now();
    write_chain(&db, &workspace, VERIFY_EVENTS).await;
    let written = started.elapsed();
    let started = Instant::now();
    let verdict = db.verify_audit().await.unwrap();
    let in_process = started.elapsed();
    assert_eq!(
        verdict,
        Verdict::Intact {
            workspaces: 1,
            events: VERIFY_EVENTS as u64
        }
    );
    db.close().await;
    let started = Instant::now();
    let out = support::server::latchkey(&["audit", "verify", "--data-dir", dir.path().to_str().unwrap()]);
    let command = started.elapsed();
    assert!(out.status.success(), "{}", support::server::stderr(&out));
    println!(
        "audit verify, 1,000,000 events (SQLite): {:.2} s in-process ({:.0} events/s), {:.2} s as `latchkey audit verify` \
         (chain written in {:.1} s)",
        in_process.as_secs_f64(),
        VERIFY_EVENTS as f64 / in_process.as_secs_f64(),
        command.as_secs_f64(),
        written.as_secs_f64()
    );
}
