#![cfg(not(target_arch = "wasm32"))]
//! Known answers for every import format and variant (crate/tests/data/import, written by its
//! make.mjs with Node's own scrypt, PBKDF2 and AES-GCM from each format's documentation): the same
//! four accounts (TOTP SHA1, TOTP SHA256/8 digits/60 s, HOTP, Steam) come out of each file, the
//! refused entries carry their reason, and wrong passwords, truncated, corrupted and costly files
//! are refused with the sentence that says so.

use latchkey_core::import::{self, Format, ImportError, Imported};
use latchkey_core::otp::{Kind, Otp};
use serde_json::Value;

const PASSWORD: &str = "correct horse battery staple";

fn file(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/import/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn accounts() -> Vec<Value> {
    serde_json::from_slice::<Vec<Value>>(&file("accounts.json")).unwrap()
}

/// The account as the core's own otpauth parser reads it: one rule for every format.
fn expected(a: &Value) -> Otp {
    let s = |k: &str| a[k].as_str().unwrap().to_string();
    let uri = match s("kind").as_str() {
        "totp" => format!(
            "otpauth://totp/x?secret={}&algorithm={}&digits={}&period={}",
            s("secret"),
            s("algorithm"),
            a["digits"],
            a["period"]
        ),
        "hotp" => format!(
            "otpauth://hotp/x?secret={}&digits={}&counter={}",
            s("secret"),
            a["digits"],
            a["counter"]
        ),
        _ => format!("steam://{}", s("secret")),
    };
    let mut otp = Otp::parse(&uri).unwrap();
    otp.issuer = Some(s("issuer"));
    otp.account = Some(s("account"));
    otp
}

/// Every readable entry, in order.
fn readable(imported: &Imported) -> Vec<&Otp> {
    imported.entries.iter().filter_map(|e| e.otp.as_ref().ok()).collect()
}

fn assert_accounts(imported: &Imported, how_many: usize) {
    let want: Vec<Otp> = accounts().iter().take(how_many).map(expected).collect();
    let got = readable(imported);
    assert_eq!(got.len(), want.len(), "{:?}", imported.entries);
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(*g, w);
        // The same code at a fixed time, so a key read wrong would show.
        assert_eq!(g.code_at(1_700_000_000), w.code_at(1_700_000_000));
    }
}

fn unreadable(imported: &Imported) -> Vec<(String, ImportError)> {
    imported
        .entries
        .iter()
        .filter_map(|e| e.otp.as_ref().err().map(|r| (e.label.clone(), r.clone())))
        .collect()
}

#[test]
fn aegis_plain_reads_totp_hotp_and_steam_and_names_motp() {
    let imported = import::read(&file("aegis-plain.json"), None).unwrap();
    assert_eq!(imported.format, Format::Aegis);
    assert_accounts(&imported, 4);
    assert_eq!(
        unreadable(&imported),
        vec![("Old VPN: eve".to_string(), ImportError::UnsupportedType("MOTP".into()))]
    );
    assert!(matches!(readable(&imported)[2].kind, Kind::Hotp { counter: 7 }));
    assert_eq!(readable(&imported)[3].kind, Kind::Steam);
}

#[test]
fn aegis_encrypted_opens_with_its_password_slot() {
    let imported = import::read(&file("aegis-encrypted.json"), Some(PASSWORD)).unwrap();
    assert_eq!(imported.format, Format::Aegis);
    assert_accounts(&imported, 4);
}

#[test]
fn aegis_encrypted_refuses_a_missing_or_wrong_password() {
    let bytes = file("aegis-encrypted.json");
    assert_eq!(
        import::read(&bytes, None).unwrap_err(),
        ImportError::PasswordNeeded("Aegis")
    );
    assert_eq!(
        import::read(&bytes, Some("")).unwrap_err(),
        ImportError::PasswordNeeded("Aegis")
    );
    assert_eq!(
        import::read(&bytes, Some("Correct horse battery staple")).unwrap_err(),
        ImportError::WrongPassword("Aegis")
    );
}

#[test]
fn aegis_truncated_corrupted_and_costly_files_are_refused() {
    let truncated = import::read(&file("aegis-encrypted-truncated.json"), Some(PASSWORD)).unwrap_err();
    assert!(matches!(truncated, ImportError::BadJson { .. }), "{truncated:?}");
    assert_eq!(
        import::read(&file("aegis-encrypted-corrupted.json"), Some(PASSWORD)).unwrap_err(),
        ImportError::WrongPassword("Aegis")
    );
    let costly = import::read(&file("aegis-encrypted-costly.json"), Some(PASSWORD)).unwrap_err();
    assert!(
        matches!(costly, ImportError::KdfTooCostly { format: "Aegis", .. }),
        "{costly:?}"
    );
}

#[test]
fn twofas_plain_reads_every_kind_and_names_a_bad_key() {
    let imported = import::read(&file("2fas-plain.2fas"), None).unwrap();
    assert_eq!(imported.format, Format::TwoFas);
    assert_accounts(&imported, 4);
    let bad = unreadable(&imported);
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].0, "Broken: frank");
    assert!(bad[0].1.to_string().contains("A-Z and digits 2-7"), "{}", bad[0].1);
}

#[test]
fn twofas_encrypted_opens_with_the_password_only() {
    let bytes = file("2fas-encrypted.2fas");
    assert_accounts(&import::read(&bytes, Some(PASSWORD)).unwrap(), 4);
    assert_eq!(
        import::read(&bytes, None).unwrap_err(),
        ImportError::PasswordNeeded("2FAS")
    );
    assert_eq!(
        import::read(&bytes, Some("wrong")).unwrap_err(),
        ImportError::WrongPassword("2FAS")
    );
}

#[test]
fn andotp_plain_reads_every_kind_and_refuses_md5() {
    let imported = import::read(&file("andotp-plain.json"), None).unwrap();
    assert_eq!(imported.format, Format::AndOtp);
    assert_accounts(&imported, 4);
    let bad = unreadable(&imported);
    assert_eq!(bad.len(), 1);
    assert!(
        bad[0].1.to_string().contains("unsupported algorithm \"MD5\""),
        "{}",
        bad[0].1
    );
}

#[test]
fn andotp_encrypted_opens_and_refuses_wrong_or_truncated() {
    let bytes = file("andotp-encrypted.json.aes");
    assert_accounts(&import::read(&bytes, Some(PASSWORD)).unwrap(), 4);
    assert_eq!(
        import::read(&bytes, None).unwrap_err(),
        ImportError::PasswordNeeded("andOTP")
    );
    assert_eq!(
        import::read(&bytes, Some("nope")).unwrap_err(),
        ImportError::WrongPassword("andOTP")
    );
    assert_eq!(
        import::read(&file("andotp-encrypted-truncated.json.aes"), Some(PASSWORD)).unwrap_err(),
        ImportError::WrongPassword("andOTP")
    );
    // Iterations far beyond andOTP's 160 000 are a file meant to stall the tab.
    let mut costly = bytes.clone();
    costly[..4].copy_from_slice(&u32::MAX.to_be_bytes());
    assert!(matches!(
        import::read(&costly, Some(PASSWORD)).unwrap_err(),
        ImportError::KdfTooCostly { .. }
    ));
}

#[test]
fn bitwarden_reads_otpauth_bare_and_steam_totp_fields_with_their_sites() {
    let imported = import::read(&file("bitwarden.json"), None).unwrap();
    assert_eq!(imported.format, Format::Bitwarden);
    // Items without a TOTP (no MFA, a note) are not entries at all.
    assert_eq!(imported.entries.len(), 5);
    assert_accounts(&imported, 4);
    assert_eq!(imported.entries[0].url.as_deref(), Some("https://github.com/login"));
    let bad = unreadable(&imported);
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].0, "Typo: heidi");
    assert_eq!(
        import::read(&file("bitwarden-encrypted.json"), None).unwrap_err(),
        ImportError::BitwardenEncrypted
    );
}

#[test]
fn google_export_in_two_batches_reads_all_accounts_and_names_the_batches() {
    let imported = import::read(&file("google-migration.txt"), None).unwrap();
    assert_eq!(imported.format, Format::Google);
    // Google's export has no period: every key is 30 s there, bob's 60 s included.
    let mut want: Vec<Otp> = accounts().iter().take(3).map(expected).collect();
    want[1].kind = Kind::Totp { period: 30 };
    assert_eq!(readable(&imported), want.iter().collect::<Vec<_>>());
    let batches: Vec<(u32, u32)> = imported.batches.iter().map(|b| (b.index, b.size)).collect();
    assert_eq!(batches, vec![(0, 2), (1, 2)]);
    assert!(imported.batches.iter().all(|b| b.id == 123456789));
    let single = import::read(&file("google-single-batch.txt"), None).unwrap();
    assert_eq!(readable(&single), want.iter().collect::<Vec<_>>());
}

#[test]
fn a_list_of_links_reads_each_and_names_what_is_not_a_key_without_quoting_it() {
    let imported = import::read(&file("uris.txt"), None).unwrap();
    assert_eq!(imported.format, Format::UriList);
    assert_accounts(&imported, 4);
    let bad = unreadable(&imported);
    assert_eq!(bad.len(), 2);
    assert_eq!(bad[0].0, "https:// link");
    assert_eq!(bad[1].0, "otpauth:// link");
    assert!(!bad
        .iter()
        .any(|(label, _)| label.contains("ABC1") || label.contains("example.com")));
}

#[test]
fn other_files_are_named_and_refused() {
    assert_eq!(import::read(b"", None).unwrap_err(), ImportError::Empty);
    assert_eq!(
        import::read(b"hello world", None).unwrap_err(),
        ImportError::UnknownFormat
    );
    assert_eq!(
        import::read(b"{\"a\": 1}", None).unwrap_err(),
        ImportError::UnknownFormat
    );
    assert!(matches!(
        import::read(b"{\"db\": ", None).unwrap_err(),
        ImportError::BadJson { .. }
    ));
    let big = vec![b' '; import::MAX_FILE_BYTES + 1];
    assert!(matches!(
        import::read(&big, None).unwrap_err(),
        ImportError::TooLarge(_)
    ));
    // A truncated Google link: its protobuf runs past the end.
    let google = String::from_utf8(file("google-single-batch.txt")).unwrap();
    let cut = &google.trim()[..google.trim().len() - 20];
    let imported = import::read(cut.as_bytes(), None).unwrap();
    assert!(
        matches!(imported.entries[0].otp, Err(ImportError::BadMigration(_))),
        "{:?}",
        imported.entries
    );
}

#[test]
fn errors_never_quote_a_secret() {
    // A key with one wrong character: the reason names the character and place, not the key.
    let imported = import::read(&file("bitwarden.json"), None).unwrap();
    for (_, reason) in unreadable(&imported) {
        assert!(!reason.to_string().contains("JBSWY3DP"), "{reason}");
    }
    // Debug output of the entries redacts every key.
    let shown = format!("{:?}", import::read(&file("aegis-plain.json"), None).unwrap());
    for a in accounts() {
        assert!(!shown.contains(a["secret"].as_str().unwrap()), "{shown}");
    }
}

#[test]
fn the_plan_matches_existing_accounts_by_site_and_name_and_marks_duplicates() {
    use import::{plan, Existing, Verdict};
    let mut imported = import::read(&file("bitwarden.json"), None).unwrap();
    // The same key twice in one file: the second is a duplicate.
    imported.entries.push(imported.entries[0].clone());
    let existing = vec![
        // GitHub, same user, no MFA yet: the key becomes its MFA.
        Existing {
            id: "gh".into(),
            name: "GitHub".into(),
            username: "alice@example.com".into(),
            sites: vec!["github.com".into()],
            has_totp: false,
        },
        // Example Corp's site, another user: no match, bob's entry is a new account.
        Existing {
            id: "ex".into(),
            name: "Example".into(),
            username: "mallory".into(),
            sites: vec!["example.com".into()],
            has_totp: false,
        },
        // Steam's site, already has a key: replacing asks.
        Existing {
            id: "st".into(),
            name: "Valve".into(),
            username: String::new(),
            sites: vec!["steampowered.com".into()],
            has_totp: true,
        },
    ];
    let verdicts: Vec<Verdict> = plan(&imported.entries, &existing)
        .into_iter()
        .map(|p| p.verdict)
        .collect();
    assert_eq!(
        verdicts,
        vec![
            Verdict::MfaOf { id: "gh".into() },
            Verdict::New,
            // carol's key is counter-based (HOTP): the extension fills time-based codes only.
            Verdict::Unreadable,
            Verdict::ReplacesMfa { id: "st".into() },
            Verdict::Unreadable,
            Verdict::Duplicate { of: 0 },
        ]
    );
}
