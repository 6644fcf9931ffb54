//! Envelopes written with format 1 when it was defined (tests/data/envelopes_v1.json), decrypted
//! with the keys they were made from. Formats written once must stay readable forever: if this
//! fails, the change broke stored data; add a new format version instead. Shared by the native
//! test (`tests/vault_fixed_bytes.rs`) and the wasm ones.

#![allow(dead_code)]

use latchkey_core::device::{ApprovalGrant, ApprovalRequest, RecoveryKit};
use latchkey_core::kat;
use latchkey_core::vault::{
    AccountGeneration, AccountKey, Context, DeviceKeys, Envelope, ItemBody, KeySlot, KeyStore, PublicKeys, SealedItem,
    Sms, UserKey, UserKeyPair, WrappingKey,
};
use serde_json::Value;

pub const FIXTURES: &str = include_str!("../data/envelopes_v1.json");
/// A key store saved in format 2 (keys named by what they are), written once by
/// [`generate_key_store_v2`].
pub const KEY_STORE_V2: &str = include_str!("../data/key_store_v2.json");
/// The account generation the format-2 store holds.
pub const GENERATION: u64 = 3;

pub const WORKSPACE: &str = "ws-7f3a";
pub const USER: &str = "user-alice";
pub const DEVICE: &str = "device-alice-laptop";
pub const NEW_DEVICE: &str = "device-alice-phone";
pub const ACCOUNT: &str = "acct-instagram";
pub const MEMBER: &str = "user-bob";
pub const SMS_ID: &str = "sms-1";
pub const REQUEST_ID: &str = "req-1";
pub const GRANT_NOW: u64 = 1_700_000_000;

pub fn user_key() -> UserKey {
    kat::user_key([0x11; 32])
}
pub fn account_key() -> AccountKey {
    kat::account_key([0x22; 32])
}
pub fn device() -> DeviceKeys {
    kat::device_keys([0x33; 32], [0x34; 32])
}
pub fn approver() -> DeviceKeys {
    kat::device_keys([0x35; 32], [0x36; 32])
}
pub fn new_device() -> DeviceKeys {
    kat::device_keys([0x37; 32], [0x38; 32])
}
pub fn member_pair() -> UserKeyPair {
    kat::user_key_pair([0x44; 32], [0x45; 32])
}
pub fn user_pair() -> UserKeyPair {
    kat::user_key_pair([0x46; 32], [0x47; 32])
}
pub fn wrapping_key() -> WrappingKey {
    WrappingKey::parse("ZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmY").unwrap()
}
pub fn request() -> ApprovalRequest {
    ApprovalRequest {
        workspace: WORKSPACE.into(),
        user_id: USER.into(),
        request_id: REQUEST_ID.into(),
        device_id: NEW_DEVICE.into(),
        device_keys: new_device().public(),
    }
}

fn env(v: &Value, name: &str) -> Envelope {
    Envelope::parse(v[name].as_str().unwrap_or_else(|| panic!("fixture {name}"))).unwrap()
}

fn sealed(v: &Value, name: &str) -> SealedItem {
    serde_json::from_value(v[name].clone()).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// Decrypts every fixture; returns what differed from what was written.
pub fn check_all() -> Vec<String> {
    let v: Value = serde_json::from_str(FIXTURES).expect("fixtures are JSON");
    let mut fails = Vec::new();
    let mut expect = |ok: bool, what: &str| {
        if !ok {
            fails.push(what.to_string());
        }
    };
    let ak = account_key();

    let login = sealed(&v, "loginItem").open(&ak).expect("login item opens");
    expect(login.name == "Instagram (brand)", "login name");
    expect(
        matches!(&login.body, ItemBody::Login { username, password, sites }
            if username == "brand@example.com" && password == "hunter2 but longer ✓" && sites == &["instagram.com", "https://www.instagram.com/accounts/login/"]),
        "login fields",
    );
    let code = sealed(&v, "totpItem").code_at(&ak, 59).expect("totp item gives codes");
    expect(code.code == "287082", "totp code at t=59");
    let backup = sealed(&v, "backupItem").open(&ak).expect("backup item opens");
    expect(
        matches!(&backup.body, ItemBody::BackupCodes { codes } if codes == &["1234-5678", "8765-4321"]),
        "backup codes",
    );
    let note = sealed(&v, "noteItem").open(&ak).expect("note opens");
    expect(
        matches!(&note.body, ItemBody::Note { text } if text == "Recovery e-mail: ops@example.com\nPIN on file."),
        "note text",
    );

    let uk = UserKey::open_on_device(
        &device(),
        &env(&v, "userKeyForDevice"),
        &Context::user_key_for_device(WORKSPACE, USER, DEVICE),
    )
    .expect("user key for device opens");
    expect(uk.key_id() == user_key().key_id(), "user key for device");

    let pair = user_key()
        .unwrap_key_pair(&env(&v, "userKeyPair"), &Context::user_key_pair(WORKSPACE, USER))
        .expect("user key pair opens");
    expect(pair.public() == user_pair().public(), "user key pair");

    let member_ak = AccountKey::open_as_member(
        &member_pair(),
        &env(&v, "accountKeyForMember"),
        &Context::account_key_for_member(WORKSPACE, ACCOUNT, MEMBER, 0),
    )
    .expect("account key for member opens");
    expect(member_ak.key_id() == ak.key_id(), "account key for member");

    let inbox = ak
        .unwrap_inbox(
            &env(&v, "inboxKeyPair"),
            &Context::inbox_key_pair(WORKSPACE, ACCOUNT, 0),
        )
        .expect("inbox key pair opens");
    expect(
        inbox.public() == kat::inbox_key_pair([0x55; 32]).public(),
        "inbox key pair",
    );
    let sms = Sms::open(&inbox, &env(&v, "sms"), &Context::sms(WORKSPACE, ACCOUNT, SMS_ID)).expect("SMS opens");
    expect(
        sms.from == "+15551234567" && sms.text == "Your Instagram code is 492 817.",
        "SMS",
    );

    let kit = RecoveryKit::parse(v["recoveryKit"].as_str().unwrap()).expect("kit parses");
    let recovered = kit
        .unwrap_user_key(
            &env(&v, "recoveryWrapped"),
            &Context::user_key_recovery(WORKSPACE, USER),
        )
        .expect("recovery unwraps");
    expect(recovered.key_id() == user_key().key_id(), "recovered user key");

    let grant = ApprovalGrant::parse(v["grant"].as_str().unwrap()).expect("grant parses");
    let granted = grant
        .accept(&new_device(), &request(), &[approver().public()], GRANT_NOW + 1)
        .expect("grant accepted");
    expect(granted.key_id() == user_key().key_id(), "granted user key");

    let device_back = wrapping_key()
        .unwrap_device(&env(&v, "deviceKeys"), &Context::device_keys(DEVICE))
        .expect("device keys unwrap");
    expect(device_back.public() == device().public(), "device keys at rest");

    // Format 1 named keys by handle numbers: the device and user keys come back; it held no other.
    let store = KeyStore::import(&wrapping_key(), &env(&v, "keyStore"), DEVICE).expect("key store imports");
    expect(store.len() == 3, "key store size");
    expect(
        store.device_public_keys().ok() == PublicKeys::parse(v["keyStoreDevice"].as_str().unwrap()).ok(),
        "key store device keys",
    );
    expect(store.contains(&KeySlot::UserKey), "key store user key");
    expect(
        store.user_public_keys().ok() == PublicKeys::parse(v["keyStoreUser"].as_str().unwrap()).ok(),
        "key store user pair",
    );

    // Format 2: every key under the name it was saved with.
    let v2: Value = serde_json::from_str(KEY_STORE_V2).expect("fixtures are JSON");
    let store = KeyStore::import(&wrapping_key(), &env(&v2, "keyStore"), DEVICE).expect("format-2 key store imports");
    let at = AccountGeneration::new(ACCOUNT, GENERATION);
    expect(
        store.slots()
            == [
                KeySlot::Device,
                KeySlot::UserKey,
                KeySlot::UserKeyPair,
                KeySlot::Account(at.clone()),
                KeySlot::Inbox(at.clone()),
            ],
        "format-2 key store names",
    );
    expect(
        store.device_public_keys().ok() == Some(device().public()),
        "format-2 device keys",
    );
    expect(
        store.user_public_keys().ok() == Some(user_pair().public()),
        "format-2 user pair",
    );
    expect(
        store
            .item_code(&at, &sealed(&v, "totpItem"), 59)
            .is_ok_and(|c| c.code == "287082"),
        "format-2 account key",
    );
    expect(
        store
            .open_sms(&at, &env(&v, "sms"), WORKSPACE, SMS_ID)
            .is_ok_and(|m| m.text == "Your Instagram code is 492 817."),
        "format-2 inbox key",
    );
    fails
}

/// Writes `key_store_v2.json` (run once, when format 2 was defined; never again for format 2):
/// the known device, user and account keys, opened through the store's own calls and saved.
pub fn generate_key_store_v2() -> String {
    let mut store = KeyStore::new();
    let device_blob = wrapping_key()
        .wrap_device(&device(), &Context::device_keys(DEVICE))
        .unwrap();
    store.import_device(&wrapping_key(), &device_blob, DEVICE).unwrap();
    let sealed_user_key = user_key()
        .seal_to_device(
            &device().public(),
            &Context::user_key_for_device(WORKSPACE, USER, DEVICE),
        )
        .unwrap();
    store.open_user_key(&sealed_user_key, WORKSPACE, USER, DEVICE).unwrap();
    let pair = user_key()
        .wrap_key_pair(&user_pair(), &Context::user_key_pair(WORKSPACE, USER))
        .unwrap();
    store.open_user_key_pair(&pair, WORKSPACE, USER).unwrap();
    let at = AccountGeneration::new(ACCOUNT, GENERATION);
    let for_user = account_key()
        .seal_to_member(
            &user_pair().public(),
            &Context::account_key_for_member(WORKSPACE, ACCOUNT, USER, GENERATION),
        )
        .unwrap();
    store.open_account_key(&at, &for_user, WORKSPACE, USER).unwrap();
    let inbox = account_key()
        .wrap_inbox(
            &kat::inbox_key_pair([0x55; 32]),
            &Context::inbox_key_pair(WORKSPACE, ACCOUNT, GENERATION),
        )
        .unwrap();
    store.open_inbox(&at, &inbox, WORKSPACE).unwrap();
    let out = serde_json::json!({
        "comment": "A key store saved in format 2, written once by tests/fixed_bytes::generate_key_store_v2. Never regenerate: old data must stay readable.",
        "keyStore": store.export(&wrapping_key(), DEVICE).to_text(),
    });
    serde_json::to_string_pretty(&out).unwrap()
}

/// Wrote the fixtures (run once, when format 1 was defined; never again for format 1).
pub fn generate() -> String {
    use latchkey_core::vault::Item;
    let ak = account_key();
    let item = |id: &str, item: Item| {
        serde_json::to_value(SealedItem::seal(&ak, WORKSPACE, ACCOUNT, id, 3, &item).unwrap()).unwrap()
    };
    let kit = RecoveryKit::generate();
    let inbox = kat::inbox_key_pair([0x55; 32]);
    let grant = ApprovalGrant::approve(&approver(), &user_key(), &request(), GRANT_NOW).unwrap();
    let out = serde_json::json!({
        "comment": "Envelope format 1, written once by tests/fixed_bytes::generate. Never regenerate: old data must stay readable.",
        "loginItem": item("item-login", Item::login("Instagram (brand)", "brand@example.com", "hunter2 but longer ✓", &["instagram.com", "https://www.instagram.com/accounts/login/"])),
        "totpItem": item("item-totp", Item::totp("Instagram 2FA", "otpauth://totp/Instagram:brand?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Instagram").unwrap()),
        "backupItem": item("item-backup", Item::backup_codes("Instagram backup codes", &["1234-5678", "8765-4321"])),
        "noteItem": item("item-note", Item::note("Notes", "Recovery e-mail: ops@example.com\nPIN on file.")),
        "userKeyForDevice": user_key().seal_to_device(&device().public(), &Context::user_key_for_device(WORKSPACE, USER, DEVICE)).unwrap().to_text(),
        "userKeyPair": user_key().wrap_key_pair(&user_pair(), &Context::user_key_pair(WORKSPACE, USER)).unwrap().to_text(),
        "accountKeyForMember": ak.seal_to_member(&member_pair().public(), &Context::account_key_for_member(WORKSPACE, ACCOUNT, MEMBER, 0)).unwrap().to_text(),
        "inboxKeyPair": ak.wrap_inbox(&inbox, &Context::inbox_key_pair(WORKSPACE, ACCOUNT, 0)).unwrap().to_text(),
        "sms": Sms { from: "+15551234567".into(), text: "Your Instagram code is 492 817.".into() }.seal(&inbox.public(), &Context::sms(WORKSPACE, ACCOUNT, SMS_ID)).unwrap().to_text(),
        "recoveryKit": kit.to_text().as_str(),
        "recoveryWrapped": kit.wrap_user_key(&user_key(), &Context::user_key_recovery(WORKSPACE, USER)).unwrap().to_text(),
        "grant": grant.to_text(),
        "deviceKeys": wrapping_key().wrap_device(&device(), &Context::device_keys(DEVICE)).unwrap().to_text(),
        // "keyStore", "keyStoreDevice" and "keyStoreUser" came from the handle-numbered key store
        // (format 1), which no longer exists; format 2 is `generate_key_store_v2`.
    });
    serde_json::to_string_pretty(&out).unwrap()
}
