//! Texts as Twilio delivers them: a workspace with an account holding a managed number (its inbox
//! key pair made here, natively, as an extension would), inbound-SMS webhook forms signed by the
//! official `twilio` Python package, and [`send_sms`], which posts one.

use latchkey::db::{Db, NewAccount, User};
use latchkey::domain::Role;
use latchkey_core::vault::InboxKeyPair;

use super::client::{Api, Reply};
use super::twilio_python;
use super::world::{now, trusted_user};

/// The auth token the server under test checks signatures with (`LATCHKEY_TWILIO_AUTH_TOKEN`).
pub const AUTH_TOKEN: &str = "0123456789abcdef0123456789abcdef";
/// What the server is told the world reaches it at (as behind a proxy): Twilio signs this URL,
/// not the loopback address the test actually posts to.
pub const PUBLIC_URL: &str = "https://sms.latchkey.test/lk";
pub const WEBHOOK_PATH: &str = "/webhooks/sms/twilio";
pub const ACCOUNT_SID: &str = "AC00000000000000000000000000000001";

/// `serve` flags and environment for a server that accepts our signed posts.
pub fn server_flags() -> Vec<&'static str> {
    vec!["--public-url", PUBLIC_URL, "--twilio-account-sid", ACCOUNT_SID]
}
/// Instances sharing one PostgreSQL database share the server key too.
pub fn server_env() -> Vec<(&'static str, &'static str)> {
    vec![
        ("LATCHKEY_TWILIO_AUTH_TOKEN", AUTH_TOKEN),
        ("LATCHKEY_SERVER_KEY", SERVER_KEY),
    ]
}

/// The server key of the servers under test (64 hex digits).
pub const SERVER_KEY: &str = "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e";

pub struct Fixture {
    pub workspace_id: String,
    pub owner: User,
    pub owner_token: String,
    pub account_id: String,
    pub number: String,
    pub inbox: InboxKeyPair,
}

/// A workspace, its owner with a trusted device, and an account of theirs holding `number`.
pub async fn seed(db: &Db, number: &str) -> Fixture {
    let workspace = db.create_workspace("Inbox test", now()).await.unwrap();
    seed_in(db, &workspace.id, number).await
}

/// As [`seed`], in an existing workspace.
pub async fn seed_in(db: &Db, workspace_id: &str, number: &str) -> Fixture {
    let (owner, owner_token) = trusted_user(db, workspace_id, "owner@example.com", Role::Owner).await;
    let (account_id, inbox) = add_account(db, workspace_id, &owner, number).await;
    Fixture {
        workspace_id: workspace_id.to_string(),
        owner,
        owner_token,
        account_id,
        number: number.to_string(),
        inbox,
    }
}

/// Another account of `owner`, with a fresh inbox key pair and `number` assigned to it.
pub async fn add_account(db: &Db, workspace_id: &str, owner: &User, number: &str) -> (String, InboxKeyPair) {
    let inbox = InboxKeyPair::generate();
    let public = inbox.public().0;
    let account = db
        .create_account(
            &NewAccount {
                workspace_id,
                app_id: None,
                site: "northwind.example",
                name: "Northwind",
                owner_id: &owner.id,
                owner_wrapped_key: b"wrapped account key (opaque to the server)",
                inbox_public_key: Some(&public),
                sealed_inbox_private_key: Some(b"sealed inbox private key (opaque)"),
            },
            now(),
        )
        .await
        .unwrap();
    db.add_phone_number(workspace_id, number, "pool", None, now())
        .await
        .unwrap();
    db.assign_phone_number(number, &account.id, now()).await.unwrap();
    (account.id, inbox)
}

/// A MessageSid: "SM" and 32 lower-case hex digits.
pub fn message_sid(n: u128) -> String {
    format!("SM{n:032x}")
}

/// The form Twilio posts for one inbound SMS, with a few of the extra fields it always adds.
pub fn sms_params(sid: &str, from: &str, to: &str, body: &str) -> Vec<(String, String)> {
    [
        ("ToCountry", "US"),
        ("SmsMessageSid", sid),
        ("NumMedia", "0"),
        ("SmsSid", sid),
        ("SmsStatus", "received"),
        ("Body", body),
        ("To", to),
        ("NumSegments", "1"),
        ("MessageSid", sid),
        ("AccountSid", ACCOUNT_SID),
        ("From", from),
        ("ApiVersion", "2010-04-01"),
    ]
    .iter()
    .map(|(n, v)| (n.to_string(), v.to_string()))
    .collect()
}

/// `X-Twilio-Signature` for each form, as Twilio computes it for our public webhook URL.
pub fn sign_all(forms: &[Vec<(String, String)>]) -> Vec<String> {
    let url = format!("{PUBLIC_URL}{WEBHOOK_PATH}");
    let cases: Vec<twilio_python::Case> = forms
        .iter()
        .map(|params| twilio_python::Case {
            token: AUTH_TOKEN.to_string(),
            signed_url: url.clone(),
            check_url: url.clone(),
            params: params.clone(),
        })
        .collect();
    twilio_python::sign_all(&cases)
        .into_iter()
        .map(|a| {
            assert!(a.valid);
            a.signature
        })
        .collect()
}

pub fn encode(params: &[(String, String)]) -> Vec<u8> {
    let mut f = form_urlencoded::Serializer::new(String::new());
    for (n, v) in params {
        f.append_pair(n, v);
    }
    f.finish().into_bytes()
}

/// The same form naming another Twilio account.
pub fn with_account_sid(mut form: Vec<(String, String)>, account_sid: &str) -> Vec<(String, String)> {
    for (name, value) in &mut form {
        if name == "AccountSid" {
            *value = account_sid.to_string();
        }
    }
    form
}

/// Posts a webhook form, with `X-Twilio-Signature` when `signature` is given.
pub async fn post_sms(api: &Api, params: &[(String, String)], signature: Option<&str>) -> Reply {
    let headers: Vec<(&str, &str)> = signature.map(|s| ("x-twilio-signature", s)).into_iter().collect();
    api.raw(
        "POST",
        WEBHOOK_PATH,
        Some("application/x-www-form-urlencoded"),
        encode(params),
        &headers,
    )
    .await
}

/// Texts `body` to `to` as Twilio would (message number `n`, from +14155550100, signed for
/// [`PUBLIC_URL`] with [`AUTH_TOKEN`] as the official library signs); returns the server's answer.
pub async fn send_sms(api: &Api, n: u128, to: &str, body: &str) -> Reply {
    send_form(api, sms_params(&message_sid(n), "+14155550100", to, body)).await
}

/// Signs and posts one form.
pub async fn send_form(api: &Api, form: Vec<(String, String)>) -> Reply {
    let signature = sign_all(std::slice::from_ref(&form)).remove(0);
    post_sms(api, &form, Some(&signature)).await
}

/// `X-Twilio-Signature` as Twilio documents it, computed here (no Python): base64 of HMAC-SHA1 under
/// `token` over the URL and the parameters sorted by name. Agreement with the official library is
/// tested in the unit tests; the server's 200s confirm it.
pub fn twilio_signature(token: &str, url: &str, params: &[(String, String)]) -> String {
    use base64::Engine as _;
    use hmac::{KeyInit, Mac};
    let mut sorted: Vec<_> = params.to_vec();
    sorted.sort();
    let mut mac = <hmac::Hmac<sha1::Sha1> as KeyInit>::new_from_slice(token.as_bytes()).unwrap();
    mac.update(url.as_bytes());
    for (name, value) in &sorted {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}
