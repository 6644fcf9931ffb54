//! The trust flow's verbs: browser profiles with real core keys talking to the real server
//! ([`Device::register_device`], [`Device::verify_email`]), the e-mails they get, a user with a
//! first trusted device made through the API ([`first_device`]) and its approvals
//! ([`TrustedUser::approve`]).

use std::time::Duration;

use serde_json::{json, Value};

use latchkey::db::Db;

use super::client::{Api, Reply};
use super::server::Server;
use super::smtp::{Received, SmtpServer};
use super::world::{b64, now, open_db};
use super::TempDir;
use latchkey_core::device::ApprovalRequest;
use latchkey_core::vault::{KeyStore, PublicKeys};

pub const API: &str = "/api/v1";
pub const FIREFOX_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0";

/// `latchkey serve` on a fresh data directory with its e-mail going to a test SMTP receiver (and
/// `extra` flags), and its database opened beside it.
pub async fn server_with_mail(label: &str, extra: &[&str]) -> (TempDir, SmtpServer, Db, Server) {
    let dir = TempDir::new(label);
    let smtp = SmtpServer::start().await;
    let db = open_db(dir.path()).await;
    let relay = smtp.url();
    let mut flags = vec!["--smtp-url", relay.as_str()];
    flags.extend_from_slice(extra);
    let server = Server::start(dir.path(), &flags);
    (dir, smtp, db, server)
}

/// One browser profile: its own key store and device keys; once registered, its id, name and
/// token; once the mailbox is proved, its user and workspace.
pub struct Device {
    pub store: KeyStore,
    pub public: PublicKeys,
    pub id: String,
    pub name: String,
    pub api: Api,
    pub user_id: String,
    pub workspace: String,
}

impl Device {
    pub fn new(api: &Api) -> Device {
        let mut store = KeyStore::new();
        let public = store.create_device().unwrap();
        Device {
            store,
            public,
            id: String::new(),
            name: String::new(),
            api: api.clone(),
            user_id: String::new(),
            workspace: String::new(),
        }
    }

    /// `POST /devices/register`; on 201 the device keeps its id, name and token. Registration never
    /// says anything about the user.
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
            assert!(reply.body.get("user").is_none(), "{}", reply.text);
            assert!(reply.body.get("trustedDevices").is_none(), "{}", reply.text);
        }
        reply
    }

    /// A new profile registered for `email` (pending; panics unless 201).
    pub async fn register_device(api: &Api, email: &str, name: &str) -> Device {
        let mut device = Device::new(api);
        let reply = device.register(email, name).await;
        assert_eq!(reply.expect(201)["device"]["status"], "pending");
        device
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.api.get(&format!("{API}{path}")).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.api.post(&format!("{API}{path}"), body).await
    }

    /// Asks for an e-mailed code for this device and reads it from the e-mail that names it (sent
    /// in the background), checking it went to the address the server said.
    pub async fn email_code(&self, smtp: &SmtpServer) -> String {
        let named = format!("the device \"{}\"", self.name);
        let before = mails_with(smtp, &named).len();
        let reply = self.post("/trust/email-code", json!({})).await;
        assert_eq!(reply.expect(202)["expiresIn"], 300);
        let sent_to = reply.body["sentTo"].as_str().unwrap();
        for _ in 0..400 {
            let found = mails_with(smtp, &named);
            if found.len() > before {
                let mail = found.last().unwrap();
                assert_eq!(mail.rcpt_to, vec![format!("<{sent_to}>")]);
                return code_in(mail);
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("no e-mail for {named} reached {sent_to}");
    }

    /// Proves the mailbox with the e-mailed code; the device then learns who its user is.
    pub async fn verify_email(&mut self, smtp: &SmtpServer) {
        let code = self.email_code(smtp).await;
        self.post("/trust/email-code/verify", json!({ "code": code }))
            .await
            .expect(200);
        self.learn_user().await;
    }

    /// After the e-mailed code (or an approval): who the user is, from `/me`.
    pub async fn learn_user(&mut self) {
        let me = self.get("/me").await;
        let me = me.expect(200);
        self.user_id = me["user"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("no user yet: {me}"))
            .to_string();
        self.workspace = me["user"]["workspaceId"].as_str().unwrap().to_string();
    }

    /// The proof that this device opened the user key (the user key pair's signature over its
    /// enrollment).
    pub fn enrollment_proof(&self) -> String {
        b64(&self
            .store
            .sign_enrollment(&self.workspace, &self.user_id, &self.id, &self.public)
            .unwrap())
    }
}

/// The verification e-mails received so far for `email`.
pub fn code_mails(smtp: &SmtpServer, email: &str) -> Vec<Received> {
    mails(smtp, email, "verification code")
}

/// E-mails to `email` whose body contains `text`.
pub fn mails(smtp: &SmtpServer, email: &str, text: &str) -> Vec<Received> {
    let to = format!("<{email}>");
    mails_with(smtp, text)
        .into_iter()
        .filter(|m| m.rcpt_to.contains(&to))
        .collect()
}

/// E-mails to anyone whose body contains `text`.
pub fn mails_with(smtp: &SmtpServer, text: &str) -> Vec<Received> {
    smtp.received
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m.body().contains(text))
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

/// A user with keys and a first trusted device, made through the API (its store holds the user
/// key and key pair).
pub struct TrustedUser {
    pub device: Device,
    pub workspace: String,
    pub user_id: String,
}

/// The first-device flow: register, prove the mailbox, make the user's keys on the device (user
/// key, key pair, Recovery Kit) and send them with the enrollment proof.
pub async fn first_device(api: &Api, smtp: &SmtpServer, email: &str, name: &str) -> TrustedUser {
    let mut device = Device::register_device(api, email, name).await;
    device.verify_email(smtp).await;
    let (workspace, user_id) = (device.workspace.clone(), device.user_id.clone());
    let new_user = device.store.create_user(&workspace, &user_id, &device.id).unwrap();
    let (_kit, recovery) = device.store.create_recovery_kit(&workspace, &user_id).unwrap();
    let proof = device.enrollment_proof();
    device
        .post(
            "/trust/first-device",
            json!({
                "userPublicKeys": new_user.public_keys.to_text(),
                "sealedPrivateKeys": b64(new_user.key_pair_envelope.as_bytes()),
                "recoveryEnvelope": b64(recovery.as_bytes()),
                "userKeyEnvelope": b64(new_user.user_key_for_device.as_bytes()),
                "proof": proof,
            }),
        )
        .await
        .expect(200);
    TrustedUser {
        device,
        workspace,
        user_id,
    }
}

impl TrustedUser {
    /// The open requests as this trusted device sees them.
    pub async fn open_requests(&self) -> Value {
        self.device.get("/approvals").await.expect(200).clone()
    }

    /// A signed grant for a listed request (what Approve signs in wasm).
    pub fn grant_for(&self, listed: &Value) -> String {
        let request: ApprovalRequest = serde_json::from_value(json!({
            "workspace": self.workspace, "userId": self.user_id, "requestId": listed["id"],
            "deviceId": listed["deviceId"], "deviceKeys": listed["deviceKeys"],
        }))
        .unwrap();
        self.device
            .store
            .approve_device(&request, now() as u64)
            .unwrap()
            .to_text()
    }

    /// Approve, typing `number`.
    pub async fn approve(&self, listed: &Value, number: &str) -> Reply {
        let grant = self.grant_for(listed);
        self.device
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
