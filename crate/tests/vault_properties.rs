//! Property tests of envelopes and items (native only: proptest has no wasm RNG here).
//! Every envelope and item round-trips; any bit flip, truncation, context swap or wrong key fails
//! with an error, never with garbage.
#![cfg(not(target_arch = "wasm32"))]

use latchkey_core::device::RecoveryKit;
use latchkey_core::vault::{
    base64url_decode, base64url_encode, AccountKey, Context, Envelope, InboxKeyPair, Item, ItemBody, KeyStore,
    SealedItem, Sms, VaultError, WrappingKey,
};
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    // Any Unicode, including empty and multi-byte; bounded for speed.
    proptest::string::string_regex("(?s).{0,40}").unwrap()
}

fn item() -> impl Strategy<Value = Item> {
    let name = || proptest::string::string_regex("[^\\s].{0,30}").unwrap();
    prop_oneof![
        (name(), text(), text(), proptest::collection::vec(text(), 0..4)).prop_map(
            |(name, username, password, sites)| {
                let password = if username.is_empty() && password.is_empty() {
                    "p".to_string()
                } else {
                    password
                };
                Item {
                    name,
                    body: ItemBody::Login {
                        username,
                        password,
                        sites,
                    },
                }
            }
        ),
        (name(), proptest::collection::vec(any::<u8>(), 1..40))
            .prop_map(|(name, key)| { Item::totp(&name, &latchkey_core::otp::base32::encode(&key)).unwrap() }),
        (name(), proptest::collection::vec(text(), 0..6)).prop_map(|(name, codes)| Item {
            name,
            body: ItemBody::BackupCodes { codes }
        }),
        (name(), text()).prop_map(|(name, text)| Item {
            name,
            body: ItemBody::Note { text }
        }),
    ]
}

#[derive(Debug, Clone)]
struct Ids {
    workspace: String,
    account: String,
    item: String,
    version: u64,
}

fn ids() -> impl Strategy<Value = Ids> {
    ("[a-z0-9-]{0,12}", "[a-z0-9-]{0,12}", "[a-z0-9-]{0,12}", any::<u64>()).prop_map(
        |(workspace, account, item, version)| Ids {
            workspace,
            account,
            item,
            version,
        },
    )
}

fn seal(key: &AccountKey, ids: &Ids, item: &Item) -> SealedItem {
    SealedItem::seal(key, &ids.workspace, &ids.account, &ids.item, ids.version, item).unwrap()
}

/// Flips one bit of an envelope; the result must not parse, or must not open.
fn flip(envelope: &Envelope, bit: usize) -> Result<Envelope, VaultError> {
    let mut bytes = envelope.as_bytes().to_vec();
    let bit = bit % (bytes.len() * 8);
    bytes[bit / 8] ^= 1 << (bit % 8);
    Envelope::from_bytes(bytes)
}

fn truncate(envelope: &Envelope, keep: usize) -> Result<Envelope, VaultError> {
    let bytes = envelope.as_bytes();
    Envelope::from_bytes(bytes[..keep % bytes.len()].to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn items_round_trip(item in item(), ids in ids()) {
        let key = AccountKey::generate();
        let sealed = seal(&key, &ids, &item);
        prop_assert_eq!(sealed.open(&key).unwrap(), item.clone());
        // And through the JSON the server stores.
        let json = serde_json::to_string(&sealed).unwrap();
        let back: SealedItem = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back.open(&key).unwrap(), item);
    }

    #[test]
    fn any_bit_flip_fails(item in item(), ids in ids(), bit in any::<usize>(), in_body in any::<bool>()) {
        let key = AccountKey::generate();
        let sealed = seal(&key, &ids, &item);
        let mut broken = sealed.clone();
        let target = if in_body { &mut broken.body } else { &mut broken.content_key };
        match flip(target, bit) {
            Err(_) => {} // the header no longer parses: refused before decrypting
            Ok(e) => {
                *target = e;
                prop_assert!(broken.open(&key).is_err());
            }
        }
    }

    #[test]
    fn any_truncation_fails(item in item(), ids in ids(), keep in any::<usize>(), in_body in any::<bool>()) {
        let key = AccountKey::generate();
        let sealed = seal(&key, &ids, &item);
        let mut broken = sealed.clone();
        let target = if in_body { &mut broken.body } else { &mut broken.content_key };
        if let Ok(e) = truncate(target, keep) {
            *target = e;
            prop_assert!(broken.open(&key).is_err());
        }
    }

    #[test]
    fn any_context_swap_fails(item in item(), ids in ids(), other in ids()) {
        let key = AccountKey::generate();
        let sealed = seal(&key, &ids, &item);
        for moved in [
            SealedItem { workspace: other.workspace.clone(), ..sealed.clone() },
            SealedItem { account: other.account.clone(), ..sealed.clone() },
            SealedItem { item: other.item.clone(), ..sealed.clone() },
            SealedItem { version: other.version, ..sealed.clone() },
        ] {
            if (&moved.workspace, &moved.account, &moved.item, moved.version)
                != (&sealed.workspace, &sealed.account, &sealed.item, sealed.version)
            {
                prop_assert!(matches!(moved.open(&key), Err(VaultError::Tampered(_))), "moved item not refused");
            }
        }
        // The body of one item under another item's content key: refused by key id.
        let second = seal(&key, &ids, &item);
        let swapped = SealedItem { body: second.body.clone(), ..sealed.clone() };
        prop_assert!(matches!(swapped.open(&key), Err(VaultError::WrongKey { .. })), "body swap not refused");
    }

    #[test]
    fn wrong_key_fails(item in item(), ids in ids()) {
        let sealed = seal(&AccountKey::generate(), &ids, &item);
        prop_assert!(matches!(sealed.open(&AccountKey::generate()), Err(VaultError::WrongKey { .. })), "wrong key not refused");
    }

    #[test]
    fn sealed_sms_round_trip_and_fail_when_touched(
        from in text(), body in text(), id in "[a-z0-9]{1,8}", other in "[a-z0-9]{1,8}", bit in any::<usize>(), keep in any::<usize>()
    ) {
        let inbox = InboxKeyPair::generate();
        let ctx = Context::sms("ws", "acct", &id);
        let sms = Sms { from, text: body };
        let env = sms.seal(&inbox.public(), &ctx).unwrap();
        prop_assert_eq!(Sms::open(&inbox, &env, &ctx).unwrap(), sms);
        prop_assert_eq!(Envelope::parse(&env.to_text()).unwrap(), env.clone());
        if let Ok(e) = flip(&env, bit) {
            prop_assert!(Sms::open(&inbox, &e, &ctx).is_err());
        }
        if let Ok(e) = truncate(&env, keep) {
            prop_assert!(Sms::open(&inbox, &e, &ctx).is_err());
        }
        if other != id {
            prop_assert!(matches!(Sms::open(&inbox, &env, &Context::sms("ws", "acct", &other)), Err(VaultError::Tampered(_))), "moved SMS not refused");
        }
        prop_assert!(matches!(Sms::open(&InboxKeyPair::generate(), &env, &ctx), Err(VaultError::WrongKey { .. })), "wrong inbox not refused");
    }

    #[test]
    fn base64url_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..100)) {
        let text = base64url_encode(&bytes);
        prop_assert!(!text.contains('=') && !text.contains('+') && !text.contains('/'));
        prop_assert_eq!(base64url_decode(&text), Some(bytes));
    }

    #[test]
    fn key_store_round_trips(
        device in any::<bool>(),
        user in any::<bool>(),
        accounts in proptest::collection::vec((0u64..4, any::<bool>()), 0..4),
    ) {
        let mut store = KeyStore::new();
        if device || user {
            store.create_device().unwrap();
        }
        if user {
            store.create_user("ws", "u", "d").unwrap();
            for (i, (generation, inbox)) in accounts.iter().enumerate() {
                let account = format!("acct-{i}");
                let mut made = store.create_account("ws", &account, "u").unwrap();
                for _ in 0..*generation {
                    made = store.rotate_account(&made.key, "ws", &[], &[]).unwrap();
                }
                if *inbox {
                    store.open_inbox(&made.key, &made.inbox_envelope, "ws").unwrap();
                }
            }
        }
        let key = WrappingKey::generate();
        let back = KeyStore::import(&key, &store.export(&key, "dev"), "dev").unwrap();
        prop_assert_eq!(back.len(), store.len());
        prop_assert_eq!(back.slots(), store.slots());
        prop_assert_eq!(back.device_public_keys().ok(), store.device_public_keys().ok());
        prop_assert_eq!(back.user_public_keys().ok(), store.user_public_keys().ok());
        prop_assert!(KeyStore::import(&key, &store.export(&key, "dev"), "other device").is_err());
    }

    /// Every single-symbol typo, and every swap of two different symbols that are neighbours or
    /// one apart, is caught, check symbols included.
    #[test]
    fn recovery_kit_catches_typos(position in 0usize..28, symbol in 0usize..32, swap in 0usize..27, gap in 1usize..3) {
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        let kit = RecoveryKit::generate();
        let text = kit.to_text().replace('-', "");
        prop_assert!(RecoveryKit::parse(&text).is_ok());
        let mut typo = text.clone().into_bytes();
        if typo[position] != ALPHABET[symbol] {
            typo[position] = ALPHABET[symbol];
            prop_assert!(RecoveryKit::parse(std::str::from_utf8(&typo).unwrap()).is_err());
        }
        let mut swapped = text.clone().into_bytes();
        let other = (swap + gap).min(27);
        if swapped[swap] != swapped[other] {
            swapped.swap(swap, other);
            prop_assert!(RecoveryKit::parse(std::str::from_utf8(&swapped).unwrap()).is_err());
        }
    }
}

#[test]
fn keys_and_secrets_print_redacted() {
    use latchkey_core::vault::{DeviceKeys, UserKey};
    let user_key = UserKey::generate();
    let printed = format!("{user_key:?}");
    assert!(
        printed.starts_with("UserKey(") && printed.contains("redacted"),
        "{printed}"
    );
    assert!(printed.contains(&user_key.key_id().to_hex()));
    assert!(format!("{:?}", DeviceKeys::generate()).contains("private half redacted"));
    assert!(format!("{:?}", InboxKeyPair::generate()).contains("redacted"));
    assert!(format!("{:?}", RecoveryKit::generate()).contains("redacted"));
    let item = Item::login("Bank", "me", "s3cret-password", &[]);
    assert!(!format!("{item:?}").contains("s3cret"));
    let sms = Sms {
        from: "+1555".into(),
        text: "code 123456".into(),
    };
    assert!(!format!("{sms:?}").contains("123456") && !format!("{sms:?}").contains("1555"));
    let store = KeyStore::new();
    assert_eq!(format!("{store:?}"), "[]");
    let key = WrappingKey::generate();
    assert!(!format!("{key:?}").contains(key.to_text().as_str()));
}
