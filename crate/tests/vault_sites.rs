//! An account's sites record (`vault::sites`): the sites its codes may be filled on, authenticated
//! under the account key, at the one item id derived from the account id. Each attack a server or
//! database could try on it is refused: another account's record, a record at another id, another
//! kind of item in its place, a record listed twice, a flipped bit.

use latchkey_core::kat;
use latchkey_core::vault::{
    account_sites, sites_item_id, AccountKey, AccountSites, Item, ItemBody, SealedItem, VaultError, MAX_SITES,
};

const WS: &str = "ws-7f3a";
const ACCOUNT: &str = "0123456789abcdef0123456789abcdef";
const OTHER: &str = "fedcba9876543210fedcba9876543210";

/// Written once with `seal_fixture` (below) when the record was defined: it must stay readable.
const FIXTURE: &str = include_str!("data/sites_record_v1.json");

fn key() -> AccountKey {
    kat::account_key([0x22; 32])
}

fn record(account: &str, version: u64, sites: &[&str]) -> SealedItem {
    let item = Item::sites("Northwind Cloud team", sites).unwrap();
    SealedItem::seal(&key(), WS, account, &sites_item_id(account), version, &item).unwrap()
}

fn totp(account: &str) -> SealedItem {
    let item = Item::totp(
        "2FA",
        "otpauth://totp/N:team?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=N",
    )
    .unwrap();
    SealedItem::seal(&key(), WS, account, "11111111111111111111111111111111", 1, &item).unwrap()
}

#[test]
fn the_record_id_is_derived_from_the_account_id() {
    let id = sites_item_id(ACCOUNT);
    assert_eq!(id.len(), 32);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    assert_ne!(id, sites_item_id(OTHER));
    // Known answer: HKDF-SHA256(salt "latchkey sites item id v1", ikm the account id), first 16
    // bytes (checked with Python's hmac module).
    assert_eq!(sites_item_id(ACCOUNT), FIXTURE_ID);
}

const FIXTURE_ID: &str = "0ed3ebfa20b3db9af893f7ce284a273d";

#[test]
fn an_accounts_sites_come_from_its_record() {
    let items = [
        totp(ACCOUNT),
        record(
            ACCOUNT,
            4,
            &["https://Login.Example.com/sign-in", "example.org", "example.org"],
        ),
    ];
    let found = account_sites(&key(), WS, ACCOUNT, &items).unwrap();
    assert_eq!(
        found,
        Some(AccountSites {
            item: sites_item_id(ACCOUNT),
            version: 4,
            sites: vec!["login.example.com".into(), "example.org".into()],
        })
    );
    // No record: no sites (the account fills nowhere until an owner confirms them).
    assert_eq!(account_sites(&key(), WS, ACCOUNT, &[totp(ACCOUNT)]).unwrap(), None);
}

#[test]
fn a_record_written_when_the_format_was_defined_still_reads() {
    let sealed: SealedItem = serde_json::from_str(FIXTURE).unwrap();
    assert_eq!(sealed.item, FIXTURE_ID);
    let found = account_sites(&key(), WS, ACCOUNT, &[sealed]).unwrap().unwrap();
    assert_eq!(found.sites, ["demo.localhost", "login.example.com"]);
}

#[test]
fn another_accounts_record_relabelled_as_this_ones_is_refused() {
    // The server puts account OTHER's record (pointing at its sites) under ACCOUNT's ids.
    let mut moved = record(OTHER, 1, &["evil.example"]);
    moved.account = ACCOUNT.into();
    moved.item = sites_item_id(ACCOUNT);
    assert!(matches!(
        account_sites(&key(), WS, ACCOUNT, &[moved]),
        Err(VaultError::Tampered(_))
    ));
    // Left as it is, it is simply not this account's record.
    assert_eq!(
        account_sites(&key(), WS, ACCOUNT, &[record(OTHER, 1, &["evil.example"])]).unwrap(),
        None
    );
}

#[test]
fn a_sites_item_at_another_id_or_another_item_at_the_records_id_is_not_the_record() {
    let elsewhere = SealedItem::seal(
        &key(),
        WS,
        ACCOUNT,
        "22222222222222222222222222222222",
        1,
        &Item::sites("x", &["evil.example"]).unwrap(),
    )
    .unwrap();
    assert_eq!(account_sites(&key(), WS, ACCOUNT, &[elsewhere]).unwrap(), None);

    let login = SealedItem::seal(
        &key(),
        WS,
        ACCOUNT,
        &sites_item_id(ACCOUNT),
        1,
        &Item::login("x", "u", "p", &["evil.example"]),
    )
    .unwrap();
    assert_eq!(
        account_sites(&key(), WS, ACCOUNT, &[login]),
        Err(VaultError::NotSitesRecord)
    );
}

#[test]
fn a_record_listed_twice_or_altered_is_refused() {
    let twice = [
        record(ACCOUNT, 1, &["example.com"]),
        record(ACCOUNT, 2, &["evil.example"]),
    ];
    assert_eq!(
        account_sites(&key(), WS, ACCOUNT, &twice),
        Err(VaultError::SitesListedTwice)
    );

    let mut flipped = record(ACCOUNT, 1, &["example.com"]);
    let mut bytes = flipped.body.as_bytes().to_vec();
    *bytes.last_mut().unwrap() ^= 1;
    flipped.body = latchkey_core::vault::Envelope::from_bytes(bytes).unwrap();
    assert!(account_sites(&key(), WS, ACCOUNT, &[flipped]).is_err());

    // Another version number than the one sealed (a replayed record relabelled) fails too.
    let mut relabelled = record(ACCOUNT, 1, &["example.com"]);
    relabelled.version = 7;
    assert!(matches!(
        account_sites(&key(), WS, ACCOUNT, &[relabelled]),
        Err(VaultError::Tampered(_))
    ));
}

#[test]
fn rotation_keeps_the_record_and_the_old_key_no_longer_opens_it() {
    let new = kat::account_key([0x23; 32]);
    let rewrapped = record(ACCOUNT, 1, &["example.com"]).rewrap(&key(), &new).unwrap();
    let found = account_sites(&new, WS, ACCOUNT, std::slice::from_ref(&rewrapped))
        .unwrap()
        .unwrap();
    assert_eq!(found.sites, ["example.com"]);
    assert!(account_sites(&key(), WS, ACCOUNT, &[rewrapped]).is_err());
}

#[test]
fn a_record_names_one_to_twenty_usable_sites() {
    assert_eq!(Item::sites("x", &[]).unwrap_err(), VaultError::NoSites);
    let many: Vec<String> = (0..=MAX_SITES).map(|i| format!("s{i}.example")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(
        Item::sites("x", &many).unwrap_err(),
        VaultError::TooManySites(MAX_SITES + 1)
    );
    assert!(matches!(Item::sites("x", &["not a site"]), Err(VaultError::BadSite(_))));
    assert!(matches!(Item::sites("x", &[""]), Err(VaultError::BadSite(_))));
    let item = Item::sites("x", &["EXAMPLE.com.", "https://a.example.com:8443/x"]).unwrap();
    assert!(matches!(&item.body, ItemBody::Sites { sites } if sites == &["example.com", "a.example.com"]));
    assert_eq!(item.summary().kind, "sites");
    assert_eq!(item.summary().sites, ["example.com", "a.example.com"]);
    // Sealing checks too: a hand-built record with a site not in normal form is refused.
    let raw = Item {
        name: "x".into(),
        body: ItemBody::Sites {
            sites: vec!["Example.COM".into()],
        },
    };
    assert!(matches!(
        SealedItem::seal(&key(), WS, ACCOUNT, &sites_item_id(ACCOUNT), 1, &raw),
        Err(VaultError::BadSite(_))
    ));
}

/// Prints the fixture (run once with `--ignored --nocapture` when the format was defined; never again).
#[test]
#[ignore]
fn seal_fixture() {
    let sealed = record(ACCOUNT, 1, &["demo.localhost", "login.example.com"]);
    println!("{}", serde_json::to_string_pretty(&sealed).unwrap());
}
