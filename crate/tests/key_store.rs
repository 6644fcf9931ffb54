//! The key store names each key by what it is (`KeySlot`): the device keys, the user key and key
//! pair, an account's key at one key generation and that generation's inbox key. These tests hold
//! the addressing rules the extension relies on now that it keeps no index of its own.

use latchkey_core::vault::{AccountGeneration, Item, KeySlot, KeyStore, Sms, VaultError, WrappingKey};

const WS: &str = "ws-1";
const ACCOUNT: &str = "acct-aws";
const TOTP: &str = "otpauth://totp/AWS:root?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// A store with a user and one account at generation 0, its inbox opened.
fn store_with_account() -> (KeyStore, AccountGeneration, latchkey_core::vault::NewAccount) {
    let mut store = KeyStore::new();
    store.create_device().unwrap();
    store.create_user(WS, "alice", "laptop").unwrap();
    let made = store.create_account(WS, ACCOUNT, "alice").unwrap();
    let at = made.key.clone();
    store.open_inbox(&at, &made.inbox_envelope, WS).unwrap();
    (store, at, made)
}

#[test]
fn a_new_store_holds_what_was_made_under_its_name() {
    let (store, at, _) = store_with_account();
    assert_eq!(at, AccountGeneration::new(ACCOUNT, 0));
    assert_eq!(
        store.slots(),
        [
            KeySlot::Device,
            KeySlot::UserKey,
            KeySlot::UserKeyPair,
            KeySlot::Account(at.clone()),
            KeySlot::Inbox(at.clone()),
        ]
    );
    assert_eq!(store.len(), 5);
    assert_eq!(store.generation(ACCOUNT), Some(0));
    assert_eq!(store.generation("another"), None);
    // The debug form names keys, never shows them.
    assert_eq!(
        format!("{store:?}"),
        format!(
            "[Device, UserKey, UserKeyPair, Account({at:?}), Inbox({at:?})]",
            at = AccountGeneration::new(ACCOUNT, 0)
        )
    );
}

#[test]
fn a_generation_the_store_does_not_hold_is_refused_by_name() {
    let (mut store, gen0, _) = store_with_account();
    let totp = store
        .seal_item(&gen0, WS, "totp", 1, &Item::totp("AWS", TOTP).unwrap())
        .unwrap();
    let gen1 = AccountGeneration::new(ACCOUNT, 1);
    let wrong = VaultError::WrongGeneration {
        account: ACCOUNT.into(),
        asked: 1,
        held: 0,
    };
    assert_eq!(store.item_code(&gen1, &totp, 59).unwrap_err(), wrong);
    assert_eq!(store.item_summary(&gen1, &totp).unwrap_err(), wrong);
    assert_eq!(store.open_item(&gen1, &totp).unwrap_err(), wrong);
    assert_eq!(
        store.seal_item(&gen1, WS, "x", 1, &Item::note("n", "t")).unwrap_err(),
        wrong
    );
    assert_eq!(
        store
            .share_account(&gen1, &store.user_public_keys().unwrap(), WS, "bob")
            .unwrap_err(),
        wrong
    );
    assert_eq!(store.rotate_account(&gen1, WS, &[], &[]).unwrap_err(), wrong);
    assert_eq!(store.account_sites(&gen1, WS, &[]).unwrap_err(), wrong);
    // An account the store never opened is "not open", with its name in the sentence.
    let other = AccountGeneration::new("acct-other", 0);
    let err = store.item_code(&other, &totp, 59).unwrap_err();
    assert_eq!(err, VaultError::KeyNotOpen(KeySlot::Account(other)));
    assert_eq!(
        err.to_string(),
        "the key of account \"acct-other\" (generation 0) is not open on this device: unlock Latchkey or \
         sync the vault, then try again"
    );
    assert_eq!(
        wrong.to_string(),
        "this device holds key generation 0 of account \"acct-aws\", not generation 1: sync the vault, then try again"
    );
    // The generation it holds still works; nothing was replaced by the refusals.
    assert_eq!(store.item_code(&gen0, &totp, 59).unwrap().code, "287082");
    assert_eq!(store.generation(ACCOUNT), Some(0));
}

#[test]
fn forgetting_an_account_forgets_its_inbox_key() {
    let (mut store, at, made) = store_with_account();
    let sms = Sms {
        from: "+15550100".into(),
        text: "Your AWS code is 123456".into(),
    }
    .seal(
        &made.inbox_public_key,
        &latchkey_core::vault::Context::sms(WS, ACCOUNT, "m1"),
    )
    .unwrap();
    assert!(store.open_sms(&at, &sms, WS, "m1").is_ok());

    assert!(store.forget_account(ACCOUNT));
    assert!(!store.contains(&KeySlot::Account(at.clone())));
    assert!(!store.contains(&KeySlot::Inbox(at.clone())));
    assert_eq!(store.slots(), [KeySlot::Device, KeySlot::UserKey, KeySlot::UserKeyPair]);
    assert!(store.open_sms(&at, &sms, WS, "m1").is_err());
    assert!(!store.forget_account(ACCOUNT), "nothing left to forget");

    // Forgetting the account key by its name does the same; forgetting only the inbox keeps the key.
    let (mut store, at, _) = store_with_account();
    assert!(store.forget(&KeySlot::Inbox(at.clone())));
    assert!(store.contains(&KeySlot::Account(at.clone())));
    assert_eq!(
        store.open_sms(&at, &sms, WS, "m1").unwrap_err(),
        VaultError::KeyNotOpen(KeySlot::Inbox(at.clone()))
    );
    let (mut store, at, _) = store_with_account();
    assert!(store.forget(&KeySlot::Account(at.clone())));
    assert!(!store.contains(&KeySlot::Inbox(at)));
    assert_eq!(store.len(), 3);
}

#[test]
fn a_new_generation_replaces_the_old_key_and_drops_its_inbox() {
    let (mut store, gen0, _) = store_with_account();
    let rotated = store.rotate_account(&gen0, WS, &[], &[]).unwrap();
    let gen1 = AccountGeneration::new(ACCOUNT, 1);
    assert_eq!(rotated.key, gen1);
    assert_eq!(store.generation(ACCOUNT), Some(1));
    assert!(!store.contains(&KeySlot::Inbox(gen0.clone())));
    assert!(!store.contains(&KeySlot::Account(gen0)));
    assert!(store.contains(&KeySlot::Account(gen1.clone())));
    assert!(
        !store.contains(&KeySlot::Inbox(gen1.clone())),
        "the new inbox is opened when asked"
    );
    store.open_inbox(&gen1, &rotated.inbox_envelope, WS).unwrap();
    // The old generation's inbox envelope does not open under the new key.
    let (_, _, first) = store_with_account();
    assert!(store.open_inbox(&gen1, &first.inbox_envelope, WS).is_err());
}

#[test]
fn restoring_a_saved_store_gives_the_same_names() {
    let (mut store, gen0, _) = store_with_account();
    let rotated = store.rotate_account(&gen0, WS, &[], &[]).unwrap();
    store.create_account(WS, "acct-two", "alice").unwrap();
    let names = store.slots();
    let totp = store
        .seal_item(&rotated.key, WS, "totp", 1, &Item::totp("AWS", TOTP).unwrap())
        .unwrap();

    let session = WrappingKey::generate();
    let blob = store.export(&session, "laptop");
    let back = KeyStore::import(&session, &blob, "laptop").unwrap();
    assert_eq!(back.slots(), names);
    assert_eq!(back.generation(ACCOUNT), Some(1));
    assert_eq!(back.generation("acct-two"), Some(0));
    assert_eq!(back.item_code(&rotated.key, &totp, 59).unwrap().code, "287082");
    assert_eq!(back.device_public_keys().unwrap(), store.device_public_keys().unwrap());
    assert_eq!(back.user_public_keys().unwrap(), store.user_public_keys().unwrap());
    // Bound to this device and this session key.
    assert!(KeyStore::import(&session, &blob, "phone").is_err());
    assert!(KeyStore::import(&WrappingKey::generate(), &blob, "laptop").is_err());
}

#[test]
fn a_store_holds_one_device_and_keys_it_was_never_given_are_not_open() {
    let mut store = KeyStore::new();
    assert!(store.is_empty());
    assert_eq!(
        store.device_public_keys().unwrap_err(),
        VaultError::KeyNotOpen(KeySlot::Device)
    );
    assert_eq!(
        store.create_user(WS, "alice", "laptop").unwrap_err(),
        VaultError::KeyNotOpen(KeySlot::Device)
    );
    let public = store.create_device().unwrap();
    assert_eq!(store.create_device().unwrap_err(), VaultError::DevicePresent);
    let storage = WrappingKey::generate();
    let blob = store.export_device(&storage, "laptop").unwrap();
    assert_eq!(
        store.import_device(&storage, &blob, "laptop").unwrap_err(),
        VaultError::DevicePresent
    );
    assert_eq!(
        store.device_public_keys().unwrap(),
        public,
        "the first device keys stay"
    );
    assert_eq!(
        store.create_account(WS, ACCOUNT, "alice").unwrap_err(),
        VaultError::KeyNotOpen(KeySlot::UserKeyPair)
    );
    let mut after_restart = KeyStore::new();
    assert_eq!(after_restart.import_device(&storage, &blob, "laptop").unwrap(), public);
}
