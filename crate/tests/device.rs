//! Trusted sessions: device names from real user agents, the uniqueness rule, fingerprint phrases,
//! approval grants that must be refused, the Recovery Kit's text form, and e-mail codes.

use latchkey_core::device::{
    check_name_unique, default_device_name, email_code_hash, fingerprint_phrase, fingerprint_words, name_key,
    names_clash, new_email_code, unique_device_name, validate_device_name, word, ApprovalGrant, ApprovalRequest,
    DeviceError, DeviceInfo, PendingEmailCode, RecoveryKit, GRANT_LIFETIME_SECS,
};
use latchkey_core::kat;
use latchkey_core::vault::{DeviceKeys, UserKey};

/// (user agent, brands, os, browser, device), all strings real browsers sent.
const USER_AGENTS: &[(&str, &[&str], &str, &str, &str)] = &[
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", &[], "Windows", "Chrome", "Windows PC"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80", &[], "Windows", "Edge", "Windows PC"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0", &[], "Windows", "Firefox", "Windows PC"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0", &[], "Windows", "Opera", "Windows PC"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", &["Chromium", "Brave", "Not-A.Brand"], "Windows", "Brave", "Windows PC"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15", &[], "macOS", "Safari", "Mac"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", &[], "macOS", "Chrome", "Mac"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0", &[], "macOS", "Firefox", "Mac"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0", &[], "macOS", "Edge", "Mac"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Vivaldi/6.7.3329.21", &[], "macOS", "Vivaldi", "Mac"),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", &[], "Linux", "Chrome", "Linux PC"),
    ("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", &[], "Linux", "Firefox", "Linux PC"),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/142.0.0.0 Safari/537.36", &["Chromium"], "Linux", "Chromium", "Linux PC"),
    ("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", &[], "ChromeOS", "Chrome", "Chromebook"),
    ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36", &[], "Android", "Chrome", "Android phone"),
    ("Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Mobile Safari/537.36", &[], "Android", "Chrome", "Pixel 7"),
    ("Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36", &[], "Android", "Samsung Internet", "SM-S911B"),
    ("Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0", &[], "Android", "Firefox", "Android phone"),
    ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 EdgA/124.0.0.0", &[], "Android", "Edge", "Android tablet"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1", &[], "iOS", "Safari", "iPhone"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1", &[], "iOS", "Chrome", "iPhone"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/125.0 Mobile/15E148 Safari/605.1.15", &[], "iOS", "Firefox", "iPhone"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) EdgiOS/124.0.2478.89 Version/17.0 Mobile/15E148 Safari/604.1", &[], "iOS", "Edge", "iPhone"),
    ("Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1", &[], "iPadOS", "Safari", "iPad"),
    ("curl/8.5.0", &[], "Unknown OS", "Browser", "Computer"),
];

#[test]
fn user_agents_give_os_browser_and_device() {
    for (ua, brands, os, browser, device) in USER_AGENTS {
        let info = DeviceInfo::from_user_agent(ua, brands);
        assert_eq!(
            (info.os, info.browser, info.device.as_str()),
            (*os, *browser, *device),
            "{ua}"
        );
    }
}

#[test]
fn default_names_follow_the_pattern_and_stay_unique() {
    let info = DeviceInfo::from_user_agent(USER_AGENTS[2].0, &[]);
    assert_eq!(
        default_device_name("alice", &info),
        "alice Windows PC - Windows/Firefox"
    );
    let taken = [
        "alice Windows PC - Windows/Firefox",
        "ALICE windows pc - windows/firefox (2)",
    ];
    assert_eq!(
        unique_device_name(&default_device_name("alice", &info), taken),
        "alice Windows PC - Windows/Firefox (3)"
    );
    let long = default_device_name(&"x".repeat(100), &info);
    assert!(long.chars().count() <= 64);
}

#[test]
fn names_compare_trimmed_normalised_and_case_insensitive() {
    for (a, b) in [
        ("  MacBook   Pro ", "macbook pro"),
        ("ＭａｃＢｏｏｋ", "MacBook"), // full-width (NFKC)
        ("ﬁle server", "File Server"), // ligature (NFKC)
        ("Caf\u{e9}", "Cafe\u{301}"),  // composed vs decomposed (NFC)
        ("STRASSE", "strasse"),
        ("Ω-laptop", "ω-LAPTOP"),
    ] {
        assert_eq!(name_key(a), name_key(b), "{a:?} vs {b:?}");
    }
    assert_ne!(name_key("laptop"), name_key("laptop 2"));
    assert_eq!(
        check_name_unique(" macbook  PRO", ["Work PC", "MacBook Pro"]),
        Err(DeviceError::NameTaken("MacBook Pro".into()))
    );
    assert!(check_name_unique("MacBook Air", ["MacBook Pro"]).is_ok());
}

#[test]
fn typed_names_are_validated() {
    assert_eq!(validate_device_name("  Work \t laptop "), Ok("Work laptop".into()));
    assert_eq!(validate_device_name(" \n "), Err(DeviceError::EmptyName));
    assert_eq!(validate_device_name(&"a".repeat(65)), Err(DeviceError::NameTooLong(65)));
    assert_eq!(validate_device_name("bad\u{7}bell"), Err(DeviceError::NameHasControl));
    // Invisible and text-direction characters are refused, not cleaned, and named.
    for (name, code) in [
        ("alice\u{202e}kooBcaM", "U+202E"),     // right-to-left override
        ("alice\u{2066}Mac\u{2069}", "U+2066"), // left-to-right isolate
        ("ali\u{200b}ce Mac", "U+200B"),        // zero-width space
        ("alice\u{200d}Mac", "U+200D"),         // zero-width joiner
        ("alice Mac\u{fe0f}", "U+FE0F"),        // variation selector
        ("alice\u{ad}Mac", "U+00AD"),           // soft hyphen
        ("alice \u{e0041}Mac", "U+E0041"),      // tag character
        ("\u{3164}alice", "U+3164"),            // Hangul filler
        ("alice \u{e000}", "U+E000"),           // private use
    ] {
        assert_eq!(
            validate_device_name(name),
            Err(DeviceError::NameHasInvisible(code.into())),
            "{name:?}"
        );
    }
    assert!(DeviceError::NameHasInvisible("U+202E".into())
        .to_string()
        .contains("U+202E"));
    // Ordinary letters of any script are fine.
    for ok in [
        "Ноутбук Алисы",
        "アリスのMac",
        "حاسوب علي",
        "alice's Mac - macOS/Chrome",
    ] {
        assert!(validate_device_name(ok).is_ok(), "{ok:?}");
    }
}

/// Natively (the server, which decides), look-alikes share a key: TR39 confusable skeletons.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn look_alike_names_clash() {
    for (real, fake) in [
        ("alice Mac - macOS/Chrome", "\u{430}lice Mac - macOS/Chrome"), // Cyrillic а
        ("alice Mac - macOS/Chrome", "alice Mac - mac\u{41e}S/Chrome"), // Cyrillic О
        ("Work laptop", "Work lapt\u{3bf}p"),                           // Greek ο
        ("Work laptop", "W\u{1d428}rk laptop"),                         // mathematical bold o
        ("office PC", "0ffice PC"),                                     // digit zero
        ("Mill", "Mi\u{2160}l"),                                        // Roman numeral one
    ] {
        assert!(names_clash(real, fake), "{real:?} vs {fake:?}");
        assert_eq!(
            check_name_unique(fake, [real]),
            Err(DeviceError::NameTaken(real.into()))
        );
    }
    assert_eq!(
        name_key("alice Mac"),
        name_key("\u{430}LICE mac"),
        "case and look at once"
    );
    assert!(!names_clash("Work laptop", "Home laptop"));
    assert!(!names_clash("Phone 1", "Phone 2"));
}

#[test]
fn fingerprint_phrases_are_stable_and_sensitive() {
    let keys = kat::device_keys([0x33; 32], [0x34; 32]).public();
    let phrase = fingerprint_phrase("alice@example.com", &keys);
    // Fixed: two devices running different Latchkey versions must show the same words.
    assert_eq!(phrase, fingerprint_phrase(" ALICE@example.com ", &keys));
    assert_eq!(phrase, FIXED_PHRASE);
    assert_eq!(fingerprint_words("alice@example.com", &keys).len(), 6);
    assert_ne!(phrase, fingerprint_phrase("bob@example.com", &keys));
    let other = kat::device_keys([0x33; 32], [0x35; 32]).public();
    assert_ne!(phrase, fingerprint_phrase("alice@example.com", &other));
    assert_eq!((word(0), word(2047)), ("abandon", "zoo"));
}

const FIXED_PHRASE: &str = "kid essence thing park body sunset";

const NOW: u64 = 1_700_000_000;

fn request(device: &DeviceKeys) -> ApprovalRequest {
    ApprovalRequest {
        workspace: "ws".into(),
        user_id: "alice".into(),
        request_id: "req-1".into(),
        device_id: "phone".into(),
        device_keys: device.public(),
    }
}

#[test]
fn grants_are_checked_before_anything_is_accepted() {
    let approver = DeviceKeys::generate();
    let phone = DeviceKeys::generate();
    let user_key = UserKey::generate();
    let req = request(&phone);
    let trusted = [approver.public()];
    let grant = ApprovalGrant::approve(&approver, &user_key, &req, NOW).unwrap();
    let parsed = ApprovalGrant::parse(&grant.to_text()).unwrap();
    assert_eq!(parsed, grant);
    assert_eq!(
        grant.accept(&phone, &req, &trusted, NOW + 1).unwrap().key_id(),
        user_key.key_id()
    );

    // Forged: a flipped signature bit; a sealed key swapped from another grant; a later expiry.
    let mut forged = grant.clone();
    forged.signature[10] ^= 1;
    assert_eq!(
        forged.accept(&phone, &req, &trusted, NOW + 1).unwrap_err(),
        DeviceError::Forged
    );
    let other = ApprovalGrant::approve(&approver, &UserKey::generate(), &req, NOW).unwrap();
    let swapped = ApprovalGrant {
        user_key: other.user_key,
        ..grant.clone()
    };
    assert_eq!(
        swapped.accept(&phone, &req, &trusted, NOW + 1).unwrap_err(),
        DeviceError::Forged
    );
    let extended = ApprovalGrant {
        expires_at: grant.expires_at + 3600,
        ..grant.clone()
    };
    assert_eq!(
        extended.accept(&phone, &req, &trusted, NOW + 1).unwrap_err(),
        DeviceError::Forged
    );
    // Signed by a device the server does not list as this user's.
    let stranger = DeviceKeys::generate();
    let by_stranger = ApprovalGrant::approve(&stranger, &user_key, &req, NOW).unwrap();
    assert_eq!(
        by_stranger.accept(&phone, &req, &trusted, NOW + 1).unwrap_err(),
        DeviceError::UnknownApprover
    );
    // Wrong device, wrong request.
    let laptop = DeviceKeys::generate();
    assert_eq!(
        grant.accept(&laptop, &req, &trusted, NOW + 1).unwrap_err(),
        DeviceError::WrongDevice
    );
    let other_req = ApprovalRequest {
        request_id: "req-2".into(),
        ..req.clone()
    };
    assert_eq!(
        grant.accept(&phone, &other_req, &trusted, NOW + 1).unwrap_err(),
        DeviceError::WrongDevice
    );
    // Expired; or signed by a device whose clock is far ahead.
    assert_eq!(
        grant
            .accept(&phone, &req, &trusted, NOW + GRANT_LIFETIME_SECS)
            .unwrap_err(),
        DeviceError::Expired
    );
    let from_the_future = ApprovalGrant::approve(&approver, &user_key, &req, NOW + 7200).unwrap();
    assert_eq!(
        from_the_future.accept(&phone, &req, &trusted, NOW).unwrap_err(),
        DeviceError::TooLongLived
    );
    // Garbage on the wire.
    assert!(ApprovalGrant::parse("not a grant").is_err());
    assert!(ApprovalGrant::parse(&grant.to_text()[..40]).is_err());
}

#[test]
fn recovery_kits_read_as_people_type_them() {
    let kit = RecoveryKit::generate();
    let text = kit.to_text().to_string();
    assert_eq!(text.len(), 34);
    assert_eq!(text.matches('-').count(), 6);
    assert!(text
        .chars()
        .all(|c| c == '-' || "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c)));
    assert!(format!("{kit:?}").contains("redacted"));
    for typed in [
        text.to_lowercase(),
        text.replace('-', " "),
        text.replace('-', ""),
        text.replace('0', "O").replace('1', "l"),
        format!("  {text}\n"),
    ] {
        assert!(RecoveryKit::parse(&typed).is_ok(), "{typed:?}");
    }
    assert_eq!(RecoveryKit::parse("ABCD-EFGH").unwrap_err(), DeviceError::KitLength(8));
    let with_u = format!("U{}", &text[1..]);
    assert_eq!(
        RecoveryKit::parse(&with_u).unwrap_err(),
        DeviceError::KitCharacter {
            found: 'U',
            position: 1
        }
    );
}

#[test]
fn recovery_kits_catch_every_single_typo_and_near_swap() {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    for _ in 0..20 {
        let text = RecoveryKit::generate().to_text().replace('-', "").into_bytes();
        for i in 0..28 {
            for &c in ALPHABET.iter().filter(|c| **c != text[i]) {
                let mut typo = text.clone();
                typo[i] = c;
                assert!(RecoveryKit::parse(std::str::from_utf8(&typo).unwrap()).is_err());
            }
            for j in [i + 1, i + 2].into_iter().filter(|j| *j < 28 && text[*j] != text[i]) {
                let mut swapped = text.clone();
                swapped.swap(i, j);
                assert!(RecoveryKit::parse(std::str::from_utf8(&swapped).unwrap()).is_err());
            }
        }
    }
}

#[test]
fn email_codes_are_uniform_single_use_limited_and_expiring() {
    let secret = b"server secret";
    let mut seen = [0usize; 10];
    for _ in 0..2000 {
        let code = new_email_code();
        assert_eq!(code.len(), 6);
        for d in code.bytes() {
            seen[(d - b'0') as usize] += 1;
        }
    }
    // 12,000 digits: each of the ten should appear about 1,200 times.
    assert!(seen.iter().all(|n| (900..1500).contains(n)), "{seen:?}");

    assert_ne!(
        email_code_hash(secret, "a@x", "123456"),
        email_code_hash(b"other", "a@x", "123456")
    );
    assert_ne!(
        email_code_hash(secret, "a@x", "123456"),
        email_code_hash(secret, "b@x", "123456")
    );
    assert_eq!(
        email_code_hash(secret, " A@X ", "123456"),
        email_code_hash(secret, "a@x", "123456")
    );

    let mut p = PendingEmailCode::new(secret, "a@x", "123456", NOW);
    assert_eq!(p.check(secret, "a@x", "123 456", NOW + 299), Ok(()));
    assert_eq!(p.check(secret, "a@x", "123456", NOW + 299), Err(DeviceError::CodeUsed));

    let mut p = PendingEmailCode::new(secret, "a@x", "123456", NOW);
    assert_eq!(
        p.check(secret, "a@x", "123456", NOW + 300),
        Err(DeviceError::CodeExpired)
    );

    let mut p = PendingEmailCode::new(secret, "a@x", "123456", NOW);
    for left in (1..5).rev() {
        assert_eq!(
            p.check(secret, "a@x", "000000", NOW),
            Err(DeviceError::CodeWrong { attempts_left: left })
        );
    }
    assert_eq!(p.check(secret, "a@x", "000000", NOW), Err(DeviceError::CodeAttempts));
    assert_eq!(
        p.check(secret, "a@x", "123456", NOW),
        Err(DeviceError::CodeAttempts),
        "even the right code, now"
    );
}

#[test]
fn every_error_is_a_sentence() {
    for e in [
        DeviceError::EmptyName,
        DeviceError::Forged,
        DeviceError::Expired,
        DeviceError::KitTypo,
        DeviceError::CodeWrong { attempts_left: 2 },
    ] {
        let m = e.to_string();
        assert!(m.len() > 20 && m.contains(' '), "{m}");
    }
}
