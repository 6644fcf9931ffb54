//! The offline copy of the vault (`vault::copy`): it opens only with this device's keys, only for
//! the workspace, user and device it was written for, and any change to it refuses it whole.

use latchkey_core::vault::{
    base64url_decode, base64url_encode, CopyError, CopyPlace, Item, KeyStore, OpenedCopy, WrappingKey,
};

const WS: &str = "ws-1";
const VAULT: &str = r#"{"accounts":[{"id":"acct-aws","name":"AWS","items":[]}]}"#;
const AT: u64 = 1_780_000_000_123;

fn place<'a>(workspace: &'a str, user: &'a str, device: &'a str) -> CopyPlace<'a> {
    CopyPlace {
        workspace,
        user,
        device,
    }
}

/// A trusted device of `user`: device keys, user key and key pair (the user's, shared by
/// `first` when given, as a second device gets them).
fn device(user: &str, device_id: &str) -> KeyStore {
    let mut store = KeyStore::new();
    store.create_device().unwrap();
    store.create_user(WS, user, device_id).unwrap();
    store
}

/// The same device after a browser restart and the PIN: its device keys only.
fn unlocked_only(store: &KeyStore, device_id: &str) -> KeyStore {
    let wrapping = WrappingKey::generate();
    let exported = store.export_device(&wrapping, device_id).unwrap();
    let mut fresh = KeyStore::new();
    fresh.import_device(&wrapping, &exported, device_id).unwrap();
    fresh
}

#[test]
fn a_copy_opens_on_its_device_after_a_restart_with_the_device_keys_alone() {
    let here = place(WS, "alice", "laptop");
    let mut store = device("alice", "laptop");
    let account = store.create_account(WS, "acct-aws", "alice").unwrap();
    let totp = Item::totp("AWS", "otpauth://totp/AWS:root?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
    let sealed = store.seal_item(&account.key, WS, "totp", 1, &totp).unwrap();
    let text = store.seal_copy(&here, AT, VAULT).unwrap();
    // Nothing of the vault in clear: not its names, not the reply's shape.
    let raw = String::from_utf8_lossy(&base64url_decode(&text).unwrap()).into_owned();
    assert!(!raw.contains("AWS") && !raw.contains("accounts"), "{raw}");

    let mut restarted = unlocked_only(&store, "laptop");
    let opened = restarted.open_copy(&text, &here).unwrap();
    assert_eq!(
        opened,
        OpenedCopy {
            synced_at: AT,
            vault: VAULT.into()
        }
    );
    // The user keys came back from the copy: the account key the server sealed to the user opens,
    // and with it the item, offline.
    let (_, envelope) = &account.member_envelopes[0];
    restarted.open_account_key(&account.key, envelope, WS, "alice").unwrap();
    let code = restarted.item_code(&account.key, &sealed, 59).unwrap();
    assert_eq!(code.code, "287082");
}

#[test]
fn a_store_that_holds_the_user_keys_keeps_them() {
    let here = place(WS, "alice", "laptop");
    let mut store = device("alice", "laptop");
    let text = store.seal_copy(&here, AT, VAULT).unwrap();
    let before = store.slots();
    assert_eq!(store.open_copy(&text, &here).unwrap().synced_at, AT);
    assert_eq!(store.slots(), before);
}

#[test]
fn a_locked_device_opens_nothing() {
    let here = place(WS, "alice", "laptop");
    let store = device("alice", "laptop");
    let text = store.seal_copy(&here, AT, VAULT).unwrap();
    assert_eq!(KeyStore::new().open_copy(&text, &here), Err(CopyError::Locked));
    assert_eq!(KeyStore::new().seal_copy(&here, AT, VAULT), Err(CopyError::Locked));
}

#[test]
fn a_copy_is_refused_for_another_workspace_user_or_device() {
    let here = place(WS, "alice", "laptop");
    let mut store = device("alice", "laptop");
    let text = store.seal_copy(&here, AT, VAULT).unwrap();
    for (elsewhere, what) in [
        (place("ws-2", "alice", "laptop"), "workspace"),
        (place(WS, "bob", "laptop"), "user"),
        (place(WS, "alice", "phone"), "device"),
    ] {
        assert_eq!(store.open_copy(&text, &elsewhere), Err(CopyError::Elsewhere(what)));
    }
    let message = CopyError::Elsewhere("user").to_string();
    assert!(
        message.contains("another user") && message.contains("sync"),
        "{message}"
    );
}

/// The stored text rebuilt with another clear header (what an attacker with storage access can do).
fn with_header(text: &str, workspace: &str, user: &str, device: &str) -> String {
    let bytes = base64url_decode(text).unwrap();
    let mut fields = Vec::new();
    let mut rest = &bytes[1..];
    while let Some((&tag, r)) = rest.split_first() {
        let (mut len, mut shift, mut r) = (0usize, 0, r);
        loop {
            let (&b, more) = r.split_first().unwrap();
            r = more;
            len |= ((b & 0x7f) as usize) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                break;
            }
        }
        fields.push((tag, r[..len].to_vec()));
        rest = &r[len..];
    }
    let mut out = vec![bytes[0]];
    for (tag, value) in fields {
        let value = match tag {
            1 => workspace.as_bytes().to_vec(),
            2 => user.as_bytes().to_vec(),
            3 => device.as_bytes().to_vec(),
            _ => value,
        };
        out.push(tag);
        let mut n = value.len();
        loop {
            let more = n >= 0x80;
            out.push((n as u8 & 0x7f) | if more { 0x80 } else { 0 });
            n >>= 7;
            if !more {
                break;
            }
        }
        out.extend_from_slice(&value);
    }
    base64url_encode(&out)
}

#[test]
fn a_copy_relabelled_to_claim_this_place_does_not_open() {
    // Bob's copy, its header edited to say Alice's laptop, opened on Alice's laptop.
    let alice = place(WS, "alice", "laptop");
    let mut alice_store = device("alice", "laptop");
    let bob_store = device("bob", "desktop");
    let bobs = bob_store.seal_copy(&place(WS, "bob", "desktop"), AT, VAULT).unwrap();
    let relabelled = with_header(&bobs, WS, "alice", "laptop");
    assert_eq!(alice_store.open_copy(&relabelled, &alice), Err(CopyError::Altered));
    // Alice's own copy relabelled for another user of the same device fails the binding too.
    let own = alice_store.seal_copy(&alice, AT, VAULT).unwrap();
    let moved = with_header(&own, WS, "bob", "laptop");
    assert_eq!(
        alice_store.open_copy(&moved, &place(WS, "bob", "laptop")),
        Err(CopyError::Altered)
    );
    assert_eq!(
        with_header(&own, WS, "alice", "laptop"),
        own,
        "the helper rewrites faithfully"
    );
}

#[test]
fn any_changed_byte_refuses_the_copy_whole() {
    let here = place(WS, "alice", "laptop");
    let mut store = device("alice", "laptop");
    let text = store.seal_copy(&here, AT, VAULT).unwrap();
    let bytes = base64url_decode(&text).unwrap();
    for i in 0..bytes.len() {
        let mut changed = bytes.clone();
        changed[i] ^= 0x01;
        let refused = store.open_copy(&base64url_encode(&changed), &here);
        assert!(
            matches!(
                refused,
                Err(CopyError::Altered | CopyError::Elsewhere(_) | CopyError::Format(_))
            ),
            "byte {i}: {refused:?}"
        );
    }
    // Cut short, not base64url, empty: refused as altered.
    for bad in [&text[..text.len() / 2], "not a copy!", ""] {
        assert_eq!(store.open_copy(bad, &here), Err(CopyError::Altered));
    }
    let message = CopyError::Altered.to_string();
    assert!(message.contains("altered") && message.contains("not used"), "{message}");
}

#[test]
fn a_newer_format_asks_for_an_update() {
    let here = place(WS, "alice", "laptop");
    let mut store = device("alice", "laptop");
    let mut bytes = base64url_decode(&store.seal_copy(&here, AT, VAULT).unwrap()).unwrap();
    bytes[0] = 9;
    assert_eq!(
        store.open_copy(&base64url_encode(&bytes), &here),
        Err(CopyError::Format(9))
    );
}
