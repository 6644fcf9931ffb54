//! What the trust-flow attack tests share: browser profiles with real core keys talking to the
//! real server, the e-mails they get, and a user with a first trusted device made through the API.
#![allow(dead_code)]

use std::time::Duration;

use serde_json::{json, Value};

use crate::support::api::{now, Api, Reply};
use crate::support::smtp::{Received, SmtpServer};
use latchkey::db::{Db, NewInvitation, User, UserStatus};
use latchkey::domain::Role;
use latchkey_core::device::ApprovalRequest;
use latchkey_core::vault::{base64url_decode, base64url_encode, KeyHandle, KeyStore, PublicKeys};

pub const API: &str = "/api/v1";
pub const FIREFOX_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0";

/// One browser profile: its own device keys; once registered, its id and token.
pub struct Phone {
    pub store: KeyStore,
    pub keys: KeyHandle,
    pub public: PublicKeys,
    pub id: String,
    pub name: String,
    pub api: Api,
}

impl Phone {
    pub fn new(api: &Api) -> Phone {
        let mut store = KeyStore::new();
        let keys = store.create_device();
        let public = store.public_keys(keys).unwrap();
        Phone {
            store,
            keys,
            public,
            id: String::new(),
            name: String::new(),
            api: api.clone(),
        }
    }

    pub async fn register(&mut self, email: &str, name: &str) -> Reply {
        let reply = self
            .api
            .post(
                &format!("{API}/devices/register"),
                json!({"email": email, "name": name, "publicKeys": self.public.to_text()}),
            )
            .await;
        if reply.status == 201 {
            self.id = reply.body["device"]["id"].as_str().unwrap().to_string();
            self.name = reply.body["device"]["name"].as_str().unwrap().to_string();
            self.api = self.api.as_device(reply.body["token"].as_str().unwrap());
        }
        reply
    }

    /// A registered profile (panics unless 201).
    pub async fn registered(api: &Api, email: &str, name: &str) -> Phone {
        let mut phone = Phone::new(api);
        phone.register(email, name).await.expect(201);
        phone
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.api.get(&format!("{API}{path}")).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.api.post(&format!("{API}{path}"), body).await
    }
}

pub fn b64(bytes: &[u8]) -> String {
    base64url_encode(bytes)
}

pub fn unb64(value: &Value) -> Vec<u8> {
    base64url_decode(value.as_str().unwrap()).unwrap()
}

/// The verification e-mails received so far for `email`.
pub fn code_mails(smtp: &SmtpServer, email: &str) -> Vec<Received> {
    mails(smtp, email, "verification code")
}

/// E-mails to `email` whose body contains `text`.
pub fn mails(smtp: &SmtpServer, email: &str, text: &str) -> Vec<Received> {
    let to = format!("<{email}>");
    smtp.received
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m.rcpt_to.contains(&to) && m.body().contains(text))
        .cloned()
        .collect()
}

/// Waits (e-mail goes out in the background) until `email` has more than `before` e-mails with
/// `text`, and returns the newest.
pub async fn next_mail(smtp: &SmtpServer, email: &str, text: &str, before: usize) -> Received {
    for _ in 0..400 {
        let found = mails(smtp, email, text);
        if found.len() > before {
            return found.last().unwrap().clone();
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no e-mail with {text:?} reached {email}");
}

/// The 6-digit code on its own line of an e-mail.
pub fn code_in(mail: &Received) -> String {
    mail.body()
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 6 && l.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or_else(|| panic!("no code in the e-mail:\n{}", mail.body()))
        .to_string()
}

/// Asks for a code for `phone` and returns it, read from the e-mail that names that device.
pub async fn code_for(phone: &Phone, smtp: &SmtpServer, email: &str) -> String {
    let named = format!("the device \"{}\"", phone.name);
    let before = mails(smtp, email, &named).len();
    phone.post("/trust/email-code", json!({})).await.expect(202);
    code_in(&next_mail(smtp, email, &named, before).await)
}

/// A user with keys and a first trusted device, made through the API.
pub struct TrustedUser {
    pub phone: Phone,
    pub user_key: KeyHandle,
    pub workspace: String,
    pub user_id: String,
    pub email: String,
}

pub async fn first_device(api: &Api, smtp: &SmtpServer, email: &str, name: &str) -> TrustedUser {
    let phone = Phone::registered(api, email, name).await;
    let code = code_for(&phone, smtp, email).await;
    phone
        .post("/trust/email-code/verify", json!({ "code": code }))
        .await
        .expect(200);
    let me = phone.get("/me").await.expect(200).clone();
    let (workspace, user_id) = (
        me["user"]["workspaceId"].as_str().unwrap().to_string(),
        me["user"]["id"].as_str().unwrap().to_string(),
    );
    let mut phone = phone;
    let new_user = phone
        .store
        .create_user(phone.keys, &workspace, &user_id, &phone.id)
        .unwrap();
    let (_kit, recovery) = phone
        .store
        .create_recovery_kit(new_user.user_key, &workspace, &user_id)
        .unwrap();
    let proof = phone
        .store
        .sign_enrollment(new_user.key_pair, &workspace, &user_id, &phone.id, &phone.public)
        .unwrap();
    phone
        .post(
            "/trust/first-device",
            json!({
                "userPublicKeys": new_user.public_keys.to_text(),
                "sealedPrivateKeys": b64(new_user.key_pair_envelope.as_bytes()),
                "recoveryEnvelope": b64(recovery.as_bytes()),
                "userKeyEnvelope": b64(new_user.user_key_for_device.as_bytes()),
                "proof": b64(&proof),
            }),
        )
        .await
        .expect(200);
    TrustedUser {
        phone,
        user_key: new_user.user_key,
        workspace,
        user_id,
        email: email.to_string(),
    }
}

impl TrustedUser {
    /// The open requests as this trusted device sees them.
    pub async fn open_requests(&self) -> Value {
        self.phone.get("/approvals").await.expect(200).clone()
    }

    /// A signed grant for a listed request (what Approve signs in wasm).
    pub fn grant_for(&self, listed: &Value) -> String {
        let request: ApprovalRequest = serde_json::from_value(json!({
            "workspace": self.workspace, "userId": self.user_id, "requestId": listed["id"],
            "deviceId": listed["deviceId"], "deviceKeys": listed["deviceKeys"],
        }))
        .unwrap();
        self.phone
            .store
            .approve_device(self.phone.keys, self.user_key, &request, now() as u64)
            .unwrap()
            .to_text()
    }

    /// Approve, typing `number`.
    pub async fn approve(&self, listed: &Value, number: &str) -> Reply {
        let grant = self.grant_for(listed);
        self.phone
            .post(
                &format!("/approvals/{}/approve", listed["id"].as_str().unwrap()),
                json!({ "grant": grant, "number": number }),
            )
            .await
    }

    /// The listed request of `device_id`.
    pub async fn listed(&self, device_id: &str) -> Value {
        let open = self.open_requests().await;
        open["requests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["deviceId"] == device_id)
            .unwrap_or_else(|| panic!("no open request of {device_id}: {open}"))
            .clone()
    }
}

/// A workspace with one active user (no keys yet) at `email`.
pub async fn seed_user(db: &Db, email: &str) -> User {
    let ws = db.create_workspace("Acme", now()).await.unwrap();
    db.create_user(&ws.id, email, "Ana", Role::Owner, UserStatus::Active, now())
        .await
        .unwrap()
}

/// A workspace with an owner (returned) and `email` invited by them, open until `expires_at`.
pub async fn seed_invited(db: &Db, owner_email: &str, email: &str, expires_at: i64) -> (User, User) {
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
                role: Role::User,
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
