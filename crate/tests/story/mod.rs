//! The whole trusted-session story as one test body, run natively (`tests/story.rs`) and in
//! headless Chromium inside a service worker (`tests/wasm_worker.rs`): each `KeyStore` plays one
//! browser profile, plain variables play the server.

#![allow(dead_code)]

use latchkey_core::device::{
    default_device_name, fingerprint_phrase, new_email_code, unique_device_name, ApprovalGrant, ApprovalRequest,
    DeviceError, DeviceInfo, PendingEmailCode,
};
use latchkey_core::vault::{
    AccountGeneration, Context, Email, Item, ItemBody, KeySlot, KeyStore, Sms, VaultError, WrappingKey,
};

const WS: &str = "ws-northwind";
const ACCOUNT: &str = "acct-instagram";
const NOW: u64 = 1_700_000_000;
const MAC_CHROME: &str =
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
const ANDROID_CHROME: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36";
/// RFC 6238's SHA1 seed: at t=59 the 6-digit code is 287082.
const TOTP: &str = "otpauth://totp/Instagram:brand?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Instagram";

pub fn run() {
    // ---- Alice's first device: e-mail code, a name, keys, and a Recovery Kit ----
    let server_secret = b"server secret for e-mail codes, 32+ bytes long";
    let code = new_email_code();
    let mut pending = PendingEmailCode::new(server_secret, "alice@example.com", &code, NOW);
    assert!(matches!(
        pending.check(server_secret, "alice@example.com", "000000x", NOW + 10),
        Err(DeviceError::CodeWrong { attempts_left: 4 })
    ));
    pending
        .check(server_secret, "Alice@Example.com", &code, NOW + 20)
        .expect("the e-mailed code is accepted");

    let laptop_name = default_device_name("alice", &DeviceInfo::from_user_agent(MAC_CHROME, &[]));
    assert_eq!(laptop_name, "alice Mac - macOS/Chrome");

    let mut laptop = KeyStore::new();
    let laptop_keys = laptop.create_device().unwrap();
    let alice = laptop.create_user(WS, "alice", "alice-laptop").unwrap();
    let (kit, recovery_wrapped) = laptop.create_recovery_kit(WS, "alice").unwrap();
    let kit_text = kit.to_text().to_string();
    drop(kit);

    // ---- A second device is approved; both show the same phrase ----
    let phone_name = unique_device_name(
        &default_device_name("alice", &DeviceInfo::from_user_agent(ANDROID_CHROME, &[])),
        [laptop_name.as_str()],
    );
    assert_eq!(phone_name, "alice Pixel 8 - Android/Chrome");
    let mut phone = KeyStore::new();
    let phone_keys = phone.create_device().unwrap();
    let request = ApprovalRequest {
        workspace: WS.into(),
        user_id: "alice".into(),
        request_id: "req-42".into(),
        device_id: "alice-phone".into(),
        device_keys: phone_keys,
    };
    let phrase_on_phone = fingerprint_phrase("alice@example.com", &phone.device_public_keys().unwrap());
    let phrase_on_laptop = fingerprint_phrase(" Alice@Example.com", &request.device_keys);
    assert_eq!(phrase_on_phone, phrase_on_laptop);
    assert_eq!(phrase_on_phone.split(' ').count(), 6);

    let grant_text = laptop.approve_device(&request, NOW).unwrap().to_text();
    let grant = ApprovalGrant::parse(&grant_text).unwrap();
    // Expired, or from a device the server does not list as trusted: nothing is accepted.
    assert_eq!(
        phone
            .accept_grant(&grant, &request, &[laptop_keys], NOW + 3600)
            .unwrap_err(),
        DeviceError::Expired
    );
    assert_eq!(
        phone.accept_grant(&grant, &request, &[], NOW + 30).unwrap_err(),
        DeviceError::UnknownApprover
    );
    assert!(!phone.contains(&KeySlot::UserKey), "a refused grant left a key behind");
    phone.accept_grant(&grant, &request, &[laptop_keys], NOW + 30).unwrap();
    phone.open_user_key_pair(&alice.key_pair_envelope, WS, "alice").unwrap();
    assert_eq!(phone.user_public_keys().unwrap(), alice.public_keys);

    // ---- Alice creates a shared account and shares it with Bob ----
    let account = laptop.create_account(WS, ACCOUNT, "alice").unwrap();
    let gen0 = AccountGeneration::new(ACCOUNT, 0);
    assert_eq!(account.key, gen0);
    let item = |store: &KeyStore, key: &AccountGeneration, id: &str, version, item: &Item| {
        store.seal_item(key, WS, id, version, item).unwrap()
    };
    let login_v1 = item(
        &laptop,
        &gen0,
        "login",
        1,
        &Item::login(
            "Instagram (brand)",
            "brand@example.com",
            "first password",
            &["instagram.com"],
        ),
    );
    let totp_v1 = item(&laptop, &gen0, "totp", 1, &Item::totp("Instagram 2FA", TOTP).unwrap());

    let mut bob_laptop = KeyStore::new();
    bob_laptop.create_device().unwrap();
    let bob = bob_laptop.create_user(WS, "bob", "bob-laptop").unwrap();
    let for_bob = laptop.share_account(&gen0, &bob.public_keys, WS, "bob").unwrap();
    // Sealed for Bob at generation 0: it opens as no other generation, and for nobody else.
    assert!(bob_laptop
        .open_account_key(&AccountGeneration::new(ACCOUNT, 1), &for_bob, WS, "bob")
        .is_err());
    assert!(bob_laptop.open_account_key(&gen0, &for_bob, WS, "alice").is_err());
    bob_laptop.open_account_key(&gen0, &for_bob, WS, "bob").unwrap();
    let summary = bob_laptop.item_summary(&gen0, &login_v1).unwrap();
    assert_eq!(summary.name, "Instagram (brand)");
    assert_eq!(summary.username.as_deref(), Some("brand@example.com"));
    assert_eq!(bob_laptop.item_code(&gen0, &totp_v1, 59).unwrap().code, "287082");

    // The server seals an incoming SMS to the inbox; Bob reads it.
    let sms_ctx = Context::sms(WS, ACCOUNT, "sms-1");
    let sms = Sms {
        from: "+15551234567".into(),
        text: "Your Instagram code is 492817".into(),
    }
    .seal(&account.inbox_public_key, &sms_ctx)
    .unwrap();
    bob_laptop.open_inbox(&gen0, &account.inbox_envelope, WS).unwrap();
    assert_eq!(
        bob_laptop.open_sms(&gen0, &sms, WS, "sms-1").unwrap().text,
        "Your Instagram code is 492817"
    );
    // And an e-mail to the account's managed address: the raw message, sealed the same way.
    let mail_ctx = Context::email(WS, ACCOUNT, "mail-1");
    let raw = b"Subject: Your code is 771204\r\n\r\n771204\r\n".to_vec();
    let mail = Email { raw: raw.clone() }
        .seal(&account.inbox_public_key, &mail_ctx)
        .unwrap();
    assert_eq!(bob_laptop.open_email(&gen0, &mail, WS, "mail-1").unwrap().raw, raw);
    assert!(bob_laptop.open_sms(&gen0, &mail, WS, "sms-1").is_err());

    // Alice's phone opens the account too (sealed to Alice's user key at creation).
    let (owner, for_alice) = &account.member_envelopes[0];
    assert_eq!(owner, "alice");
    phone.open_account_key(&gen0, for_alice, WS, "alice").unwrap();
    assert_eq!(phone.item_code(&gen0, &totp_v1, 59).unwrap().code, "287082");

    // ---- Bob is removed: the account key rotates, content keys are re-wrapped ----
    let rotation = laptop
        .rotate_account(
            &gen0,
            WS,
            &[("alice".to_string(), alice.public_keys)],
            &[login_v1.clone(), totp_v1.clone()],
        )
        .unwrap();
    assert_eq!(rotation.items[0].body, login_v1.body, "contents are not re-encrypted");
    assert_ne!(rotation.items[0].content_key, login_v1.content_key);
    let gen1 = AccountGeneration::new(ACCOUNT, 1);
    assert_eq!(rotation.key, gen1);
    // The laptop now holds generation 1 only: asking for generation 0 is refused by name.
    assert_eq!(laptop.generation(ACCOUNT), Some(1));
    assert_eq!(
        laptop.item_code(&gen0, &totp_v1, 59).unwrap_err(),
        VaultError::WrongGeneration {
            account: ACCOUNT.into(),
            asked: 0,
            held: 1
        }
    );
    let login_v2 = item(
        &laptop,
        &gen1,
        "login",
        2,
        &Item::login(
            "Instagram (brand)",
            "brand@example.com",
            "changed after Bob left",
            &["instagram.com"],
        ),
    );
    // Bob's old keys open none of the new: not the new version, not the re-wrapped items, not the
    // new account key (sealed to Alice only), not an SMS sealed to the new inbox.
    assert!(matches!(
        bob_laptop.item_summary(&gen0, &login_v2),
        Err(VaultError::WrongKey { .. })
    ));
    assert!(bob_laptop.item_code(&gen0, &rotation.items[1], 59).is_err());
    let (_, new_for_alice) = &rotation.member_envelopes[0];
    assert!(bob_laptop.open_account_key(&gen1, new_for_alice, WS, "bob").is_err());
    assert_eq!(
        bob_laptop.generation(ACCOUNT),
        Some(0),
        "a refused key replaced nothing"
    );
    let sms2_ctx = Context::sms(WS, ACCOUNT, "sms-2");
    let sms2 = Sms {
        from: "+15551234567".into(),
        text: "Your Instagram code is 104833".into(),
    }
    .seal(&rotation.inbox_public_key, &sms2_ctx)
    .unwrap();
    assert!(bob_laptop.open_sms(&gen0, &sms2, WS, "sms-2").is_err());
    // Alice's phone follows the rotation.
    phone.open_account_key(&gen1, new_for_alice, WS, "alice").unwrap();
    assert_eq!(phone.generation(ACCOUNT), Some(1));
    let opened = phone.open_item(&gen1, &login_v2).unwrap();
    assert!(matches!(&opened.body, ItemBody::Login { password, .. } if password == "changed after Bob left"));
    assert_eq!(phone.item_code(&gen1, &rotation.items[1], 59).unwrap().code, "287082");

    // ---- The service worker restarts: the store comes back from its saved blob ----
    let before = phone.item_code(&gen1, &rotation.items[1], NOW).unwrap();
    let names = phone.slots();
    let session_key = WrappingKey::generate();
    let blob = phone.export(&session_key, "alice-phone");
    drop(phone);
    let phone = KeyStore::import(&session_key, &blob, "alice-phone").unwrap();
    assert_eq!(phone.slots(), names, "the same keys under the same names");
    assert_eq!(phone.item_code(&gen1, &rotation.items[1], NOW).unwrap(), before);
    assert!(KeyStore::import(&WrappingKey::generate(), &blob, "alice-phone").is_err());

    // ---- The Recovery Kit restores Alice on a fresh device ----
    let mut fresh = KeyStore::new();
    let fresh_keys = fresh.create_device().unwrap();
    let typo = kit_text.replacen(&kit_text[5..6], if &kit_text[5..6] == "7" { "8" } else { "7" }, 1);
    assert_eq!(
        fresh
            .recover_user_key(&typo, &recovery_wrapped, WS, "alice")
            .unwrap_err(),
        DeviceError::KitTypo
    );
    fresh
        .recover_user_key(&kit_text.to_lowercase(), &recovery_wrapped, WS, "alice")
        .unwrap();
    fresh.open_user_key_pair(&alice.key_pair_envelope, WS, "alice").unwrap();
    fresh.open_account_key(&gen1, new_for_alice, WS, "alice").unwrap();
    assert_eq!(
        fresh.item_summary(&gen1, &login_v2).unwrap().username.as_deref(),
        Some("brand@example.com")
    );
    assert_eq!(fresh.item_code(&gen1, &rotation.items[1], 59).unwrap().code, "287082");
    // It seals the user key to itself, so the server can hand it back next time.
    let sealed = fresh.seal_user_key(&fresh_keys, WS, "alice", "alice-fresh").unwrap();
    assert!(fresh.open_user_key(&sealed, WS, "alice", "alice-fresh").is_ok());
    assert!(fresh.open_user_key(&sealed, WS, "alice", "alice-phone").is_err());
}
