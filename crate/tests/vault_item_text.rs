//! A stored item's text (`SealedItem::to_text` / `parse`, docs/vault.md "Item text"): the one
//! format every writer uses and the one reader every reader uses. It is what the server's seed and
//! earlier extensions wrote (base64url of the item's JSON), and the reader refuses an item the
//! server lists somewhere else than the item names: the attack is a server (or database) that
//! shows one item's ciphertext under another item's id or version.

use latchkey_core::kat;
use latchkey_core::vault::{base64url_encode, AccountKey, Item, ItemKind, ItemPlace, SealedItem, VaultError};

const WS: &str = "ws-7f3a";
const ACCOUNT: &str = "0123456789abcdef0123456789abcdef";
const ITEM: &str = "11111111111111111111111111111111";

fn key() -> AccountKey {
    kat::account_key([0x33; 32])
}

fn sealed(item_id: &str, version: u64) -> SealedItem {
    let item = Item::login(
        "Northwind Cloud team",
        "team@northwind.test",
        "pa55word",
        &["northwind.test"],
    );
    SealedItem::seal(&key(), WS, ACCOUNT, item_id, version, &item).unwrap()
}

fn at(item: &str, version: u64) -> ItemPlace<'_> {
    ItemPlace {
        workspace: WS,
        account: ACCOUNT,
        item,
        version,
    }
}

#[test]
fn the_text_is_what_the_server_seed_and_earlier_extensions_wrote() {
    let s = sealed(ITEM, 3);
    // The server's seed writes `serde_json::to_vec(&sealed)`; the extension wrote
    // `toB64(JSON.stringify(sealed))` of the same object: the same bytes.
    let before = base64url_encode(&serde_json::to_vec(&s).unwrap());
    assert_eq!(s.to_text(), before);
    let back = SealedItem::parse(&before, &at(ITEM, 3)).unwrap();
    assert_eq!(back, s);
    assert_eq!(back.summary(&key()).unwrap().kind, ItemKind::Login.name());
}

#[test]
fn any_json_spelling_of_the_same_item_reads() {
    let s = sealed(ITEM, 1);
    let json = format!(
        "{{ \"body\": \"{}\", \"contentKey\": \"{}\",\n \"version\": 1, \"item\": \"{ITEM}\", \"account\": \"\\u0030123456789abcdef0123456789abcdef\", \"workspace\": \"{WS}\" }}",
        s.body.to_text(),
        s.content_key.to_text(),
    );
    assert_eq!(
        SealedItem::parse(&base64url_encode(json.as_bytes()), &at(ITEM, 1)).unwrap(),
        s
    );
}

#[test]
fn an_item_listed_under_another_id_or_version_is_refused() {
    let other = "22222222222222222222222222222222";
    let text = sealed(ITEM, 2).to_text();
    let misplaced = |place: &ItemPlace| match SealedItem::parse(&text, place) {
        Err(VaultError::ItemMisplaced(what)) => what,
        r => panic!("not refused as misplaced: {r:?}"),
    };
    assert_eq!(misplaced(&at(other, 2)), "item");
    assert_eq!(misplaced(&at(ITEM, 3)), "version");
    assert_eq!(
        misplaced(&ItemPlace {
            account: other,
            ..at(ITEM, 2)
        }),
        "account"
    );
    assert_eq!(
        misplaced(&ItemPlace {
            workspace: "ws-other",
            ..at(ITEM, 2)
        }),
        "workspace"
    );
    let message = SealedItem::parse(&text, &at(other, 2)).unwrap_err().to_string();
    assert!(message.contains("is not used"), "{message}");
}

#[test]
fn what_is_not_an_item_is_refused() {
    let s = sealed(ITEM, 1);
    let b64 = |json: String| base64url_encode(json.as_bytes());
    let good = |version: &str, content_key: &str| {
        format!(
            "{{\"workspace\":\"{WS}\",\"account\":\"{ACCOUNT}\",\"item\":\"{ITEM}\",\"version\":{version},\"contentKey\":\"{content_key}\",\"body\":\"{}\"}}",
            s.body.to_text()
        )
    };
    let ck = s.content_key.to_text();
    assert_eq!(SealedItem::parse(&b64(good("1", &ck)), &at(ITEM, 1)), Ok(s.clone()));
    assert_eq!(
        SealedItem::parse("not base64!", &at(ITEM, 1)),
        Err(VaultError::NotBase64)
    );
    for bad in [
        b64("null".into()),
        b64(good("\"1\"", &ck)),                               // a version as text
        b64(good("1.5", &ck)),                                 // not whole
        b64(good("1", &ck).replace("\"body\"", "\"bodies\"")), // an unknown key, one missing
        b64(good("1", &ck).replacen('}', ",\"extra\":1}", 1)), // a key added
        base64url_encode(&[0xff, 0xfe]),                       // not UTF-8
    ] {
        assert_eq!(
            SealedItem::parse(&bad, &at(ITEM, 1)),
            Err(VaultError::Malformed("stored item")),
            "{bad}"
        );
    }
    // An envelope that is not one.
    assert!(SealedItem::parse(&b64(good("1", "AAAA")), &at(ITEM, 1)).is_err());
}

/// The rule for what a person may see of an item (`Item::reveal`): a login's password, backup
/// codes, a note's text; never a TOTP key, whatever field is asked for.
#[test]
fn only_passwords_backup_codes_and_notes_are_revealed() {
    let login = Item::login("L", "u", "pa55word", &[]);
    assert_eq!(login.reveal("password").unwrap().as_str(), "pa55word");
    let codes = Item::backup_codes("B", &["1111-2222", "3333-4444"]);
    assert_eq!(codes.reveal("codes").unwrap().as_str(), "1111-2222\n3333-4444");
    assert_eq!(
        Item::note("N", "the safe is behind the painting")
            .reveal("text")
            .unwrap()
            .as_str(),
        "the safe is behind the painting"
    );

    let totp = Item::totp("T", "otpauth://totp/N:team?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
    for field in ["otp", "password", "codes", "text", "secret", ""] {
        assert_eq!(totp.reveal(field), Err(VaultError::TotpKeyStays), "{field}");
    }
    assert!(VaultError::TotpKeyStays.to_string().contains("never leaves"));
    let sites = Item::sites("S", &["northwind.test"]).unwrap();
    for (item, field) in [
        (&login, "codes"),
        (&login, "username"),
        (&codes, "password"),
        (&sites, "text"),
        (&sites, "sites"),
    ] {
        assert!(
            matches!(item.reveal(field), Err(VaultError::NoSecretField { .. })),
            "{field}"
        );
    }
}
