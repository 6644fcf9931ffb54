//! Workspaces and their people, made through the same database the server uses (for tests whose
//! subject is not the trust flow), and the API verbs a trusted member uses.

use std::path::Path;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};

use latchkey::db::{Db, NewInvitation, Target, User, UserStatus};
use latchkey::domain::Role;

use super::client::{Api, Reply};
use super::server::Server;

/// The database of a server started on `data_dir` (SQLite), opened beside it for seeding and checks.
pub async fn open_db(data_dir: &Path) -> Db {
    Db::open(&Target::in_data_dir(data_dir), now()).await.unwrap()
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A user with an approved device, made directly in the database (for tests of routes that are
/// not about the trust flow): returns the user and the device's bearer token.
pub async fn trusted_user(db: &Db, workspace_id: &str, email: &str, role: Role) -> (User, String) {
    let user = db
        .create_user(
            workspace_id,
            email,
            email.split('@').next().unwrap(),
            role,
            UserStatus::Active,
            now(),
        )
        .await
        .unwrap();
    let token = trusted_device(db, &user, "Test device").await;
    (user, token)
}

/// Another approved device for `user`; returns its token.
pub async fn trusted_device(db: &Db, user: &User, name: &str) -> String {
    let mut keys = [0u8; 64];
    getrandom::fill(&mut keys).unwrap();
    let device = db.register_device(&user.id, name, &keys, now()).await.unwrap();
    db.approve_device_self(&device.id, b"test user key envelope")
        .await
        .unwrap();
    db.issue_device_token(&device.id, now()).await.unwrap()
}

/// Bytes as the API carries them: base64url without padding.
pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn unb64(value: &Value) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(value.as_str().unwrap_or_else(|| panic!("not a string: {value}")))
        .unwrap()
}

/// 128 random bits as 32 lower-case hex digits: the ids clients choose.
pub fn new_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).unwrap();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A workspace user with a trusted device: the user, and the API as that device.
pub struct Member {
    pub user: User,
    pub api: Api,
}

/// A member of `workspace` with `role`, a trusted device, and public keys as their first device
/// would have made them (opaque to the server), so accounts can be shared with them.
pub async fn member(server: &Server, db: &Db, workspace: &str, email: &str, role: Role) -> Member {
    let member = member_without_keys(server, db, workspace, email, role).await;
    let mut keys = [0u8; 64];
    getrandom::fill(&mut keys).unwrap();
    db.set_user_keys(&member.user.id, &keys, b"sealed private keys", b"recovery envelope")
        .await
        .unwrap();
    member
}

/// As [`member`], before the user has keys.
pub async fn member_without_keys(server: &Server, db: &Db, workspace: &str, email: &str, role: Role) -> Member {
    let (user, token) = trusted_user(db, workspace, email, role).await;
    Member {
        api: server.api().as_device(&token),
        user,
    }
}

/// What [`Member::create_account`] makes: the name, the site and the catalog's app.
pub struct NewAccount<'a> {
    pub name: &'a str,
    pub site: &'a str,
    pub app: Option<&'a str>,
}

impl Default for NewAccount<'_> {
    fn default() -> Self {
        NewAccount {
            name: "Instagram",
            site: "instagram.com",
            app: None,
        }
    }
}

impl Member {
    /// Every audit event this member may read with `filter` (`&user=…`), following the cursor
    /// `page` events at a time.
    pub async fn audit_events(&self, filter: &str, page: usize) -> Vec<Value> {
        let mut events = Vec::new();
        let mut cursor = String::new();
        loop {
            let reply = self
                .get(&format!("/audit?limit={page}{filter}{cursor}"))
                .await
                .expect(200)
                .clone();
            events.extend(reply["events"].as_array().unwrap().iter().cloned());
            cursor = format!("&cursor={}", reply["next"].as_str().unwrap());
            if reply["more"] != true {
                return events;
            }
        }
    }

    /// `GET /api/v1{path}` as this member's device.
    pub async fn get(&self, path: &str) -> Reply {
        self.api.get(&format!("/api/v1{path}")).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.api.post(&format!("/api/v1{path}"), body).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.api.patch(&format!("/api/v1{path}"), body).await
    }

    /// Creates a shared account with opaque test envelopes (the account key "wrapped" for the owner
    /// reads `key for USER`); returns its id.
    pub async fn create_account(&self, new: NewAccount<'_>) -> String {
        let id = new_id();
        self.post(
            "/accounts",
            json!({
                "id": id, "name": new.name, "site": new.site, "appId": new.app,
                "wrappedKey": b64(format!("key for {}", self.user.id).as_bytes()),
                "inboxPublicKey": b64(&[7u8; 32]), "sealedInboxPrivateKey": b64(b"sealed inbox"),
            }),
        )
        .await
        .expect(201);
        id
    }

    /// Shares `account` with `with` as `role` ("owner" or "member") at key `generation`.
    pub async fn share(&self, account: &str, with: &Member, role: &str, generation: i64) -> Value {
        self.api
            .put(
                &format!("/api/v1/accounts/{account}/members/{}", with.user.id),
                json!({"role": role, "wrappedKey": b64(format!("key for {}", with.user.id).as_bytes()), "keyGeneration": generation}),
            )
            .await
            .expect(200)
            .clone()
    }

    /// Adds a vault item holding `data`; returns its id.
    pub async fn add_item(&self, account: &str, data: &[u8]) -> String {
        let id = new_id();
        let reply = self
            .post(
                &format!("/accounts/{account}/items"),
                json!({"id": id, "data": b64(data)}),
            )
            .await;
        assert_eq!(reply.expect(201), &json!({"id": id, "version": 1}));
        id
    }
}

/// The route of an account's managed number.
pub fn number_path(account: &str) -> String {
    format!("/api/v1/accounts/{account}/phone-number")
}

/// A workspace with one active user (no keys yet) at `email`.
pub async fn seed_user(db: &Db, email: &str) -> User {
    let ws = db.create_workspace("Acme", now()).await.unwrap();
    db.create_user(&ws.id, email, "Ana", Role::Owner, UserStatus::Active, now())
        .await
        .unwrap()
}

/// A workspace with an owner (returned) and `email` invited by them with `role`, open until
/// `expires_at`.
pub async fn seed_invited(db: &Db, owner_email: &str, email: &str, role: Role, expires_at: i64) -> (User, User) {
    let ws = db.create_workspace("Acme", now()).await.unwrap();
    let owner = db
        .create_user(&ws.id, owner_email, "Owner", Role::Owner, UserStatus::Active, now())
        .await
        .unwrap();
    let (invited, _) = db
        .invite(
            &NewInvitation {
                workspace_id: &ws.id,
                email,
                role,
                invited_by: &owner.id,
                token_hash: &sha_of(email),
                expires_at,
            },
            now(),
        )
        .await
        .unwrap();
    (owner, invited)
}

fn sha_of(text: &str) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes()).to_vec()
}
