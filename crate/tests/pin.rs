//! The unlock PIN (docs/security.md, "The unlock PIN"): Argon2id against the reference
//! implementation and RFC 9106, the stored settings, what a new PIN must be, the right PIN opening
//! the device keys and a wrong one, an altered blob or another device's blob never doing so, and no
//! key material in anything that leaves the core.
mod support;

use latchkey_core::kat;
use latchkey_core::pin::{check_new_pin, tries_left, KdfParams, PinError, PinLockedKeys, MAX_ATTEMPTS};
use latchkey_core::vault::{base64url_decode, base64url_encode, DeviceKeys, KeySlot, KeyStore, VaultError};
use support::{hex, json, s, u};

const REFERENCE: &str = include_str!("data/argon2id_reference.json");

/// The lightest settings a blob may have (OWASP's last row): fast enough to try every altered byte.
const FLOOR: KdfParams = KdfParams {
    memory_kib: 7 * 1024,
    iterations: 5,
    lanes: 1,
};

fn device() -> DeviceKeys {
    kat::device_keys([0x11; 32], [0x22; 32])
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The format docs/vault.md gives, written by hand: (tag, length, value) after format byte 1.
fn blob(fields: &[(u8, Vec<u8>)]) -> String {
    let mut out = vec![1u8];
    for (tag, value) in fields {
        assert!(value.len() < 128, "one-byte lengths in this helper");
        out.push(*tag);
        out.push(value.len() as u8);
        out.extend_from_slice(value);
    }
    base64url_encode(&out)
}

#[test]
fn argon2id_matches_the_reference_implementation() {
    let v = json(REFERENCE);
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 4);
    for c in cases {
        let params = (
            u(&c["memory_kib"]) as u32,
            u(&c["iterations"]) as u32,
            u(&c["lanes"]) as u32,
        );
        let tag = kat::argon2id(s(&c["password"]).as_bytes(), &hex(s(&c["salt_hex"])), &[], &[], params).unwrap();
        assert_eq!(tag.to_vec(), hex(s(&c["tag_hex"])), "libargon2 case {c}");
    }
}

/// RFC 9106 §5.3, the Argon2id test vector (with its secret and associated data).
#[test]
fn argon2id_matches_rfc9106() {
    let tag = kat::argon2id(&[0x01; 32], &[0x02; 16], &[0x03; 8], &[0x04; 12], (32, 3, 4)).unwrap();
    assert_eq!(
        tag.to_vec(),
        hex("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659")
    );
}

#[test]
fn default_settings_are_rfc9106s_second_option_and_above_owasps() {
    assert_eq!(
        KdfParams::DEFAULT,
        KdfParams {
            memory_kib: 65_536,
            iterations: 3,
            lanes: 4
        }
    );
    KdfParams::DEFAULT.check().unwrap();
    FLOOR.check().unwrap();
    // OWASP's heaviest Argon2id row is m = 46 MiB, t = 1; its lightest m·t is 35 MiB.
    let work = KdfParams::DEFAULT.memory_kib as u64 * KdfParams::DEFAULT.iterations as u64;
    assert!(KdfParams::DEFAULT.memory_kib >= 47_104 && work >= 47_104 * 3);
    for (bad, why) in [
        (
            KdfParams {
                memory_kib: 4096,
                ..FLOOR
            },
            "too little memory",
        ),
        (KdfParams { iterations: 4, ..FLOOR }, "too little work"),
        (
            KdfParams {
                iterations: 0,
                ..KdfParams::DEFAULT
            },
            "no pass",
        ),
        (
            KdfParams {
                lanes: 0,
                ..KdfParams::DEFAULT
            },
            "no lane",
        ),
        (
            KdfParams {
                lanes: 9,
                ..KdfParams::DEFAULT
            },
            "too many lanes",
        ),
        (
            KdfParams {
                iterations: 17,
                ..KdfParams::DEFAULT
            },
            "too many passes",
        ),
        (
            KdfParams {
                memory_kib: 600 * 1024,
                ..KdfParams::DEFAULT
            },
            "too much memory",
        ),
    ] {
        assert!(matches!(bad.check(), Err(PinError::BadParams(_))), "{why}: {bad:?}");
    }
}

#[test]
fn a_locked_blob_keeps_its_settings_and_salt_and_derives_as_the_reference_does() {
    let d = device();
    let a = PinLockedKeys::lock(&d, "482913", KdfParams::DEFAULT, "dev-1").unwrap();
    let b = PinLockedKeys::lock(&d, "482913", KdfParams::DEFAULT, "dev-1").unwrap();
    assert_ne!(a.salt(), b.salt(), "a fresh salt at every lock");
    assert_ne!(a.key_id(), b.key_id());
    let read = PinLockedKeys::parse(&a.to_text()).unwrap();
    assert_eq!(read, a);
    assert_eq!(read.params(), KdfParams::DEFAULT);
    // The key the envelope names is Argon2id(PIN, stored salt, stored settings) as libargon2 computes it.
    let v = json(REFERENCE);
    let case = &v["cases"][0];
    assert_eq!(s(&case["password"]), "482913");
    let reference = kat::argon2id(b"482913", a.salt(), &[], &[], (65_536, 3, 4)).unwrap();
    assert_eq!(a.key_id(), kat::key_id_of_secret(&reference));
}

#[test]
fn the_right_pin_opens_the_device_keys_and_a_wrong_one_is_refused() {
    let d = device();
    let locked = PinLockedKeys::lock(&d, "482913", FLOOR, "dev-1").unwrap();
    assert_eq!(locked.unlock("482913", "dev-1").unwrap().public(), d.public());
    // A PIN is its digits: spaces between them and around it do not matter.
    assert_eq!(locked.unlock(" 482 913 ", "dev-1").unwrap().public(), d.public());
    for wrong in ["482914", "48291", "4829130", "", "482913a", "283914"] {
        assert_eq!(
            locked.unlock(wrong, "dev-1").unwrap_err(),
            PinError::WrongPin,
            "{wrong:?}"
        );
    }
    // A passphrase is read as typed (NFC), not case-folded.
    let phrase = PinLockedKeys::lock(&d, "Früh mit Kaffee", FLOOR, "dev-1").unwrap();
    assert!(
        phrase.unlock("Fru\u{308}h mit Kaffee", "dev-1").is_ok(),
        "NFD typing of the same text"
    );
    assert_eq!(
        phrase.unlock("früh mit kaffee", "dev-1").unwrap_err(),
        PinError::WrongPin
    );
}

#[test]
fn every_altered_byte_of_a_blob_is_refused() {
    let locked = PinLockedKeys::lock(&device(), "482913", FLOOR, "dev-1").unwrap();
    let bytes = base64url_decode(&locked.to_text()).unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for i in 0..bytes.len() {
        let mut altered = bytes.clone();
        altered[i] ^= 0x01;
        let result = PinLockedKeys::parse(&base64url_encode(&altered)).and_then(|l| l.unlock("482913", "dev-1"));
        let err = result.expect_err(&format!("byte {i} altered still opened"));
        kinds.insert(format!("{:?}", std::mem::discriminant(&err)));
        // The ciphertext and its tag (the envelope's last 64 + 16 bytes) are caught by AES-GCM.
        if i >= bytes.len() - 80 {
            assert_eq!(err, PinError::Damaged, "byte {i}");
        }
    }
    assert!(kinds.len() >= 3, "wrong PIN, damaged and malformed all seen: {kinds:?}");
    for cut in [0, 1, 10, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            PinLockedKeys::parse(&base64url_encode(&bytes[..cut])).is_err(),
            "cut at {cut}"
        );
    }
}

#[test]
fn a_blob_moved_from_another_device_does_not_open() {
    let locked = PinLockedKeys::lock(&device(), "482913", FLOOR, "dev-1").unwrap();
    assert_eq!(locked.unlock("482913", "dev-2").unwrap_err(), PinError::Damaged);
}

#[test]
fn settings_out_of_bounds_are_refused_before_any_derivation() {
    let good = PinLockedKeys::lock(&device(), "482913", FLOOR, "dev-1").unwrap();
    // The envelope is the last field: tag 6, length 110 (header 18 + nonce 12 + 64 key bytes + tag 16).
    let bytes = base64url_decode(&good.to_text()).unwrap();
    let n = bytes.len();
    assert_eq!(bytes[n - 112..n - 110], [6, 110]);
    let envelope = bytes[n - 110..].to_vec();
    let fields = |m: u32, t: u32, p: u32| {
        vec![
            (1, vec![1]),
            (2, m.to_be_bytes().to_vec()),
            (3, t.to_be_bytes().to_vec()),
            (4, p.to_be_bytes().to_vec()),
            (5, good.salt().to_vec()),
            (6, envelope.clone()),
        ]
    };
    // The hand-written form of the real blob reads back as it.
    assert_eq!(PinLockedKeys::parse(&blob(&fields(7168, 5, 1))).unwrap(), good);
    // Four gigabytes (a worker that stalls), or nearly nothing (a cheap guess): refused as altered.
    for (m, t, p) in [
        (u32::MAX, 3, 4),
        (4 << 20, 1, 1),
        (1024, 1, 1),
        (65_536, 100, 4),
        (65_536, 3, 64),
    ] {
        assert!(
            matches!(
                PinLockedKeys::parse(&blob(&fields(m, t, p))),
                Err(PinError::BadParams(_))
            ),
            "m={m} t={t} p={p}"
        );
    }
    // Another KDF, a missing salt: not read.
    let mut other = fields(7168, 5, 1);
    other[0] = (1, vec![2]);
    assert!(PinLockedKeys::parse(&blob(&other)).is_err());
    let mut no_salt = fields(7168, 5, 1);
    no_salt.remove(4);
    assert!(PinLockedKeys::parse(&blob(&no_salt)).is_err());
}

#[test]
fn a_blob_with_weaker_settings_is_locked_again_with_the_default_at_unlock() {
    let mut store = KeyStore::new();
    let weak = PinLockedKeys::lock(&device(), "482913", FLOOR, "dev-1").unwrap();
    let opened = store.unlock_device("482913", &weak, "dev-1").unwrap();
    assert_eq!(store.device_public_keys().unwrap(), device().public());
    let upgraded = opened.upgraded.expect("re-locked");
    assert_eq!(upgraded.params(), KdfParams::DEFAULT);
    assert!(upgraded.unlock("482913", "dev-1").is_ok());
    // A store holds one device's keys: a second unlock into it is refused before any guess.
    assert_eq!(
        store.unlock_device("482913", &upgraded, "dev-1").unwrap_err(),
        PinError::Vault(VaultError::DevicePresent)
    );
    store.forget(&KeySlot::Device);
    let again = store.unlock_device("482913", &upgraded, "dev-1").unwrap();
    assert!(again.upgraded.is_none(), "default settings stay as they are");
    store.forget(&KeySlot::Device);
    assert_eq!(
        store.unlock_device("000001", &weak, "dev-1").unwrap_err(),
        PinError::WrongPin
    );
}

#[test]
fn changing_the_pin_needs_the_current_one_and_a_good_new_one() {
    let locked = PinLockedKeys::lock(&device(), "482913", FLOOR, "dev-1").unwrap();
    assert_eq!(
        locked.change("111112", "730519", "dev-1").unwrap_err(),
        PinError::WrongPin
    );
    assert!(matches!(
        locked.change("482913", "123456", "dev-1"),
        Err(PinError::WeakPin(_))
    ));
    let changed = locked.change("482913", "730519", "dev-1").unwrap();
    assert_eq!(changed.params(), KdfParams::DEFAULT, "raised to the default on the way");
    assert_eq!(changed.unlock("482913", "dev-1").unwrap_err(), PinError::WrongPin);
    assert_eq!(changed.unlock("730519", "dev-1").unwrap().public(), device().public());
}

#[test]
fn the_key_store_locks_only_under_a_pin_the_rules_accept() {
    let mut store = KeyStore::new();
    assert_eq!(
        store.lock_device("730519", "dev-1").unwrap_err(),
        PinError::Vault(VaultError::KeyNotOpen(KeySlot::Device))
    );
    let public = store.create_device().unwrap();
    assert!(matches!(
        store.lock_device("000000", "dev-1"),
        Err(PinError::WeakPin(_))
    ));
    assert!(matches!(
        store.lock_device("12345", "dev-1"),
        Err(PinError::PinTooShort(5))
    ));
    let locked = store.lock_device("730519", "dev-1").unwrap();
    assert_eq!(locked.params(), KdfParams::DEFAULT);
    store.forget(&KeySlot::Device);
    store.unlock_device("730519", &locked, "dev-1").unwrap();
    assert_eq!(store.device_public_keys().unwrap(), public);
}

#[test]
fn what_a_new_pin_or_passphrase_must_be() {
    let ok = [
        "730519",
        "482 913",
        "9051 7326",
        "2718281828",
        "correct horse battery",
        "Früh mit Kaffee",
        "tr0ub4dor&3",
        "19870412", // a date: allowed (docs/security.md says to prefer a passphrase)
    ];
    for pin in ok {
        assert_eq!(check_new_pin(pin), Ok(()), "{pin:?}");
    }
    let refused: &[(&str, &str)] = &[
        ("", "Empty"),
        ("   ", "Empty"),
        ("12345", "PinTooShort"),
        ("4829", "PinTooShort"),
        ("short", "PassphraseTooShort"),
        ("abc 12", "PassphraseTooShort"),
        ("000000", "WeakPin"),
        ("111111", "WeakPin"),
        ("99999999", "WeakPin"),
        ("123456", "WeakPin"),
        ("654321", "WeakPin"),
        ("890123", "WeakPin"),
        ("1234567890", "WeakPin"),
        ("121212", "WeakPin"),
        ("123123", "WeakPin"),
        ("520520", "WeakPin"),
        ("112233", "WeakPin"),
        ("998877", "WeakPin"),
        ("123321", "WeakPin"),
        ("147258", "WeakPin"),
        ("159753", "WeakPin"),
        ("5201314", "WeakPin"),
        ("aaaaaaaa", "WeakPassphrase"),
        ("abcabcabc", "WeakPassphrase"),
        ("Password", "WeakPassphrase"),
        ("QWERTYUIOP", "WeakPassphrase"),
        ("iloveyou", "WeakPassphrase"),
    ];
    for (pin, why) in refused {
        let err = check_new_pin(pin).expect_err(pin);
        assert!(format!("{err:?}").starts_with(why), "{pin:?}: {err:?}, expected {why}");
    }
    let long = "x".repeat(60) + &"y".repeat(69);
    assert_eq!(check_new_pin(&long), Err(PinError::TooLong(129)));
    // Each refusal is a sentence that says what to do.
    assert_eq!(
        check_new_pin("123456").unwrap_err().to_string(),
        "that PIN is too easy to guess (it is a run of digits): choose 6 or more digits without a pattern"
    );
    assert_eq!(
        check_new_pin("000000").unwrap_err().to_string(),
        "that PIN is too easy to guess (it is one digit repeated): choose 6 or more digits without a pattern"
    );
}

#[test]
fn no_key_material_leaves_in_blobs_or_debug_output() {
    let d = device();
    let locked = PinLockedKeys::lock(&d, "730519", FLOOR, "dev-1").unwrap();
    let bytes = base64url_decode(&locked.to_text()).unwrap();
    let derived = kat::argon2id(
        b"730519",
        locked.salt(),
        &[],
        &[],
        (FLOOR.memory_kib, FLOOR.iterations, FLOOR.lanes),
    )
    .unwrap();
    for (what, secret) in [
        ("the X25519 private key", &[0x11u8; 32][..]),
        ("the Ed25519 seed", &[0x22; 32][..]),
        ("the PIN", b"730519"),
        ("the derived key", &derived[..]),
        ("half the derived key", &derived[..16]),
    ] {
        assert!(!contains(&bytes, secret), "the blob holds {what}");
    }
    let mut store = KeyStore::new();
    let opened = store.unlock_device("730519", &locked, "dev-1").unwrap();
    for shown in [
        format!("{locked:?}"),
        format!("{store:?}"),
        format!("{opened:?}"),
        format!("{d:?}"),
    ] {
        assert!(!shown.contains("730519"), "{shown}");
        assert!(!shown.to_lowercase().contains(&"11".repeat(32)), "{shown}");
        assert!(!shown.contains(&base64url_encode(&derived)), "{shown}");
    }
}

#[test]
fn five_wrong_tries_and_the_keys_go() {
    assert_eq!(MAX_ATTEMPTS, 5);
    assert_eq!((0..=6).map(tries_left).collect::<Vec<_>>(), [5, 4, 3, 2, 1, 0, 0]);
}
