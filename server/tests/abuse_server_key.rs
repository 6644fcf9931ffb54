//! Attacks on the server's secrets, against the real binary over loopback.
//!
//! - A copy of the database (a backup, a leaked dump, a read-only SQL injection) used to hold the
//!   key that hashes e-mailed codes right next to the hashes: a million HMACs later, the live code.
//!   The test e-mails a real code, copies the database and tries every value the database holds as
//!   that key over all million codes: none recovers it. The same brute force with the key file
//!   does (so the attack is the real one, and only the key file makes it work).
//! - The same copy held the local webhook token: with it anyone could sign an SMS into any
//!   account's inbox. Every stored value tried as the token is refused by the webhook.
//! - A key file that others can read is as bad as the database: the server refuses to start
//!   (exit 5), as it does with a malformed key; a new key file is created 0600.
//! - Two instances on one PostgreSQL with different keys would each reject the other's codes:
//!   the second refuses to start until it is given the same key.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use hkdf::Hkdf;
use latchkey::db::{Db, Target, UserStatus};
use latchkey::domain::Role;
use latchkey_core::device::email_code_hash;
use serde_json::json;
use sha2::Sha256;
use sqlx::Row;

use crate::support::server::{serve_refused, stderr};
use crate::support::sms::{
    add_account, encode, message_sid, sms_params, twilio_signature, with_account_sid, WEBHOOK_PATH,
};
use crate::support::{now, open_db, trusted_user, Server};
use crate::support::{Postgres, TempDir};

const EMAIL: &str = "dana@acme.test";

/// Registers a device for `EMAIL` and has the server e-mail it a code; returns the code as the
/// console (the development outbox) shows it.
async fn email_a_code(server: &Server) -> String {
    let api = server.api();
    let mut keys = latchkey_core::vault::KeyStore::new();
    let public = keys.create_device().unwrap().to_text();
    let registered = api
        .post(
            "/api/v1/devices/register",
            json!({"email": EMAIL, "name": "Dana laptop", "publicKeys": public}),
        )
        .await;
    let token = registered.expect(201)["token"].as_str().unwrap().to_string();
    api.as_device(&token)
        .post("/api/v1/trust/email-code", json!({}))
        .await
        .expect(202);
    for _ in 0..200 {
        let console = server.stdout();
        if let Some(rest) = console.split("verification code ").nth(1) {
            return rest.chars().take(6).collect();
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no code on the console: {}", server.stdout());
}

/// The attack: every code from 000000 to 999999 under `key`, compared with the stored hash.
fn brute_force(key: &[u8], stored: &[u8]) -> Option<String> {
    (0..1_000_000u32)
        .map(|n| format!("{n:06}"))
        .find(|code| email_code_hash(key, EMAIL, code).as_slice() == stored)
}

/// What a copy of the database gives an attacker: every value of the settings table (where
/// server-wide values live) and the stored hash of the newest code.
async fn loot(copy: &Path) -> (Vec<Vec<u8>>, Vec<u8>) {
    let db = Db::open(&Target::Sqlite(copy.to_path_buf()), now()).await.unwrap();
    let values: Vec<Vec<u8>> = sqlx::query("SELECT value FROM settings")
        .fetch_all(db.pool())
        .await
        .unwrap()
        .iter()
        .map(|row| row.get::<Vec<u8>, _>("value"))
        .collect();
    let hash: Vec<u8> = sqlx::query("SELECT code_hash FROM email_codes ORDER BY created_at DESC LIMIT 1")
        .fetch_one(db.pool())
        .await
        .unwrap()
        .get("code_hash");
    db.close().await;
    (values, hash)
}

/// The server's derivation (serve/server_key.rs), from the key file's hex.
fn derive(key_file_text: &str, purpose: &str) -> Vec<u8> {
    let text = key_file_text.trim();
    let key: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect();
    let mut out = vec![0u8; 32];
    let info = format!("latchkey server key v1: {purpose}");
    Hkdf::<Sha256>::new(None, &key)
        .expand(info.as_bytes(), &mut out)
        .unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_of_the_database_does_not_reveal_a_sent_code() {
    let dir = TempDir::new("abuse-db-copy");
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap();
    db.create_user(&ws.id, EMAIL, "Dana", Role::User, UserStatus::Active, now())
        .await
        .unwrap();
    let mut server = Server::start(dir.path(), &[]);
    let code = email_a_code(&server).await;
    // The attacker's copy: the database files as they are on disk (WAL included), nothing else.
    assert_eq!(server.terminate().code(), Some(0));
    db.close().await;
    let stolen = TempDir::new("abuse-db-copy-stolen");
    for name in ["latchkey.db", "latchkey.db-wal"] {
        if dir.path().join(name).exists() {
            std::fs::copy(dir.path().join(name), stolen.path().join(name)).unwrap();
        }
    }
    let (values, hash) = loot(&stolen.path().join("latchkey.db")).await;

    for value in &values {
        assert_eq!(
            brute_force(value, &hash),
            None,
            "a value stored in the database works as the code key: the copy yields the live code"
        );
    }
    // With the key file (which the copy does not have) the very same attack succeeds.
    let key_file = std::fs::read_to_string(dir.path().join("server.key")).unwrap();
    let key = derive(&key_file, "e-mail code hashes");
    assert_eq!(brute_force(&key, &hash).as_deref(), Some(code.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_of_the_database_cannot_sign_webhooks() {
    let dir = TempDir::new("abuse-webhook-token");
    // No LATCHKEY_TWILIO_AUTH_TOKEN: the server's own (local) webhook token signs.
    let server = Server::start(dir.path(), &[]);
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap();
    let (owner, _) = trusted_user(&db, &ws.id, "owner@acme.test", Role::Owner).await;
    let (account, _) = add_account(&db, &ws.id, &owner, "+18005550188").await;
    let values: Vec<Vec<u8>> = sqlx::query("SELECT value FROM settings")
        .fetch_all(db.pool())
        .await
        .unwrap()
        .iter()
        .map(|row| row.get::<Vec<u8>, _>("value"))
        .collect();
    let url = format!("{}{WEBHOOK_PATH}", server.url);
    let mut tried = 0;
    for (i, value) in values.iter().enumerate() {
        // The token as the server used it: the hex of the stored bytes, or the bytes as text.
        for token in [latchkey::db::hex(value), String::from_utf8_lossy(value).into_owned()] {
            let form = with_account_sid(
                sms_params(
                    &message_sid(900 + i as u128),
                    "+14155550100",
                    "+18005550188",
                    "Your code is 123456",
                ),
                "AC00000000000000000000000000000000",
            );
            let signature = twilio_signature(&token, &url, &form);
            let reply = server
                .api()
                .raw(
                    "POST",
                    WEBHOOK_PATH,
                    Some("application/x-www-form-urlencoded"),
                    encode(&form),
                    &[("x-twilio-signature", &signature)],
                )
                .await;
            assert_eq!(
                (reply.status, reply.code()),
                (403, "bad_signature"),
                "a token from the database signed an SMS: {}",
                reply.text
            );
            tried += 1;
        }
    }
    assert!(tried > 0);
    assert!(db.inbox(&owner.id, Some(&account), 0, 10, 1).await.unwrap().is_empty());
}

/// `latchkey serve` that is expected to stop at start: its exit status and stderr.
fn serve_fails(data_dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let out = serve_refused(data_dir, extra, env);
    (out.status.code(), stderr(&out))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_file_others_can_read_stops_the_start() {
    let dir = TempDir::new("abuse-key-perms");
    let mut server = Server::start(dir.path(), &[]);
    server.terminate();
    let key = dir.path().join("server.key");
    let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the key file is created for its owner only");
    let text = std::fs::read_to_string(&key).unwrap();
    assert_eq!(text.trim().len(), 64);
    let db = open_db(dir.path()).await;
    let stored: Vec<String> = sqlx::query("SELECT name FROM settings")
        .fetch_all(db.pool())
        .await
        .unwrap()
        .iter()
        .map(|row| row.get::<String, _>("name"))
        .collect();
    assert!(
        !stored.iter().any(|n| n.contains("key") && n != "server_key_check"),
        "{stored:?}"
    );
    db.close().await;

    for bad in [0o644, 0o640, 0o604, 0o660, 0o602] {
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(bad)).unwrap();
        let (status, stderr) = serve_fails(dir.path(), &[], &[]);
        assert_eq!(status, Some(5), "mode {bad:o}: {stderr}");
        assert!(stderr.contains("chmod 600"), "{stderr}");
        assert!(!stderr.contains(text.trim()), "the key reached the console");
    }
    // The same with --key-file, and a malformed key in the environment.
    let elsewhere = dir.path().join("elsewhere.key");
    std::fs::write(&elsewhere, &text).unwrap();
    std::fs::set_permissions(&elsewhere, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (status, stderr) = serve_fails(dir.path(), &["--key-file", elsewhere.to_str().unwrap()], &[]);
    assert_eq!(status, Some(5), "{stderr}");
    let (status, stderr) = serve_fails(dir.path(), &[], &[("LATCHKEY_SERVER_KEY", "not hex")]);
    assert_eq!(status, Some(5), "{stderr}");
    assert!(stderr.contains("64 hex digits"), "{stderr}");

    // Owner-only again: it starts, with the same key as before (the database agrees).
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut again = Server::start(dir.path(), &[]);
    again.api().get("/healthz").await.expect(200);
    again.terminate();
    // Another key for this database is refused, not silently used.
    let (status, stderr) = serve_fails(dir.path(), &[], &[("LATCHKEY_SERVER_KEY", &"ab".repeat(32))]);
    assert_eq!(status, Some(5), "{stderr}");
    assert!(stderr.contains("same key"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_sharing_postgres_must_share_the_key() {
    let pg = Postgres::start();
    let url = pg.fresh_database("abuse_key").await;
    let (dir_a, dir_b) = (TempDir::new("abuse-key-a"), TempDir::new("abuse-key-b"));
    let a = Server::start(dir_a.path(), &["--database-url", &url]);
    // B has a data directory of its own, so a key of its own: refused.
    let (status, stderr) = serve_fails(dir_b.path(), &["--database-url", &url], &[]);
    assert_eq!(status, Some(5), "{stderr}");
    assert!(stderr.contains("same key"), "{stderr}");
    // Given A's key (here through the environment, as a secret manager would), it starts.
    std::fs::remove_file(dir_b.path().join("server.key")).unwrap();
    let key = std::fs::read_to_string(dir_a.path().join("server.key")).unwrap();
    let b = Server::start_with_env(
        dir_b.path(),
        &["--database-url", &url],
        &[("LATCHKEY_SERVER_KEY", key.trim())],
    );
    a.api().get("/healthz").await.expect(200);
    b.api().get("/healthz").await.expect(200);
    assert!(
        !dir_b.path().join("server.key").exists(),
        "with the key in the environment no file is made"
    );
}
