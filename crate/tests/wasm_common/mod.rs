//! The wasm test body, shared by the page runner (`wasm_browser.rs`) and the service-worker runner
//! (`wasm_worker.rs`): the known answers through the core, then the exported JS API itself.

use latchkey_core::wasm::bench::seal_sms;
use latchkey_core::wasm::devices::{check_device_name, default_device_name, fingerprint_phrase};
use latchkey_core::wasm::import::{import_read, qr_scan};
use latchkey_core::wasm::messages::{mail_read, sms_code};
use latchkey_core::wasm::vault::{parse_sealed_item, sealed_item_text, sites_item_id, Vault};
use latchkey_core::wasm::{code, describe, fill_delay, inbox_choice, Keyring, Sites};
use wasm_bindgen::JsValue;

use super::{fixed_bytes, kat, story, wycheproof};

const PSL: &str = include_str!("/usr/share/publicsuffix/public_suffix_list.dat");

fn field(v: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(name)).expect("object field")
}

pub fn known_answers() {
    let (n, failures) = kat::run_all();
    assert!(n > 150, "only {n} vectors ran");
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

pub fn js_api() {
    // Case folded by the browser's toLowerCase in wasm (src/case.rs), as natively.
    assert!(latchkey_core::site::same_username(
        " ÄRGER@Bücher.de",
        "ärger@bücher.DE"
    ));
    assert!(latchkey_core::site::same_username("ΟΔΥΣΣΕΥΣ", "οδυσσευς"));
    assert!(!latchkey_core::site::same_username("ivan", "иван"));
    // RFC 6238 SHA1 at t=59 (8 digits), through the exported functions.
    let uri = "otpauth://totp/ACME:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8";
    let d = describe(uri).map_err(JsValue::from).unwrap();
    assert_eq!(field(&d, "kind").as_string().as_deref(), Some("totp"));
    assert_eq!(field(&d, "issuer").as_string().as_deref(), Some("ACME"));
    assert_eq!(field(&d, "period").as_f64(), Some(30.0));
    assert!(field(&d, "counter").is_null());
    let c = code(uri, 59.9).map_err(JsValue::from).unwrap();
    assert_eq!(field(&c, "code").as_string().as_deref(), Some("94287082"));
    assert_eq!(field(&c, "secondsLeft").as_f64(), Some(1.0));

    // Errors cross as JS Errors carrying the core's sentence.
    let err = JsValue::from(describe("JBSW1Y3DP").unwrap_err());
    let message = field(&err, "message").as_string().unwrap();
    assert!(message.contains("position 5"), "{message}");
    assert!(code(uri, -1.0).is_err() && code(uri, f64::NAN).is_err());

    let mut ring = Keyring::new();
    ring.add(uri).map_err(JsValue::from).unwrap();
    ring.add("steam://FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW")
        .map_err(JsValue::from)
        .unwrap();
    assert!(ring.add("not base32!").is_err());
    assert_eq!(ring.length(), 2);
    assert_eq!(ring.codes_text(0.0).map_err(JsValue::from).unwrap(), "84755224\nC5V56");
    assert_eq!(Keyring::new().codes_text(0.0).map_err(JsValue::from).unwrap(), "");

    let sites = Sites::new(PSL).map_err(JsValue::from).unwrap();
    assert!(sites.rule_count() > 5000);
    assert_eq!(sites.site_of("news.bbc.co.uk"), "bbc.co.uk");
    assert_eq!(
        sites.site_of("www.xn--85x722f.xn--55qx5d.cn"),
        "xn--85x722f.xn--55qx5d.cn"
    );
    assert!(sites.same_site("https://www.paypal.com/signin", "paypal.com"));
    assert!(!sites.same_site("alice.github.io", "mallory.github.io"));
    assert!(!sites.same_site("live.com", "login.microsoftonline.com"));
    // Which texted code fills (`sms::pick_code`), through the flat lists JS hands over.
    let strings = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let now = 1_800_000_000.0;
    let pick = |host: &str, domains: &[&str], used: &[&str]| {
        sites
            .pick_code(
                host,
                now,
                strings(&["old", "new", "bound"]),
                vec![now - 400.0, now - 10.0, now - 5.0],
                vec![0, 0, 0],
                strings(&["111111", "222222", "333333"]),
                strings(domains),
                strings(&["", "", ""]),
                strings(used),
            )
            .map_err(JsValue::from)
            .unwrap()
    };
    assert_eq!(pick("www.paypal.com", &["", "", "paypal.com"], &[]), Some(2));
    assert_eq!(pick("www.example.com", &["", "", "paypal.com"], &[]), Some(1));
    assert_eq!(pick("www.example.com", &["", "", "paypal.com"], &["new"]), None);
    assert!(sites
        .pick_code(
            "a.com",
            now,
            strings(&["x"]),
            vec![],
            vec![],
            strings(&[]),
            strings(&[]),
            strings(&[]),
            vec![]
        )
        .is_err());
    assert_eq!(ok(inbox_choice(1, -1, 0.0, 1e12)), Some(0));
    assert_eq!(ok(inbox_choice(2, 1, 1e12 - 1000.0, 1e12)), Some(1));
    assert_eq!(ok(inbox_choice(2, -1, 0.0, 1e12)), None);
    assert_eq!(ok(inbox_choice(0, -1, 0.0, 1e12)), None);

    let mut sites = sites;
    assert!(
        sites
            .load_sign_in_sites("# one sign-in\nlogin.microsoftonline.com for live.com\n")
            .map_err(JsValue::from)
            .unwrap()
            == 2
    );
    assert!(sites.same_site("live.com", "login.microsoftonline.com"));
    assert!(!sites.same_site("live.com", "www.microsoftonline.com"));
    assert!(!sites.same_site("live.com", "evil-live.com"));
    assert!(sites.load_sign_in_sites("live.com microsoftonline.com\n").is_err());
    assert!(
        sites.same_site("live.com", "login.microsoftonline.com"),
        "a bad list keeps the lines loaded before"
    );
    // The fill decision: [action, host, reason, ...ids].
    let decide = |url: &str, top: Option<&str>, is_top: bool, sandboxed: bool, sites_of: &[&str]| {
        let ids: Vec<String> = (0..sites_of.len()).map(|i| i.to_string()).collect();
        sites.decide(
            url,
            top.map(str::to_string),
            is_top,
            sandboxed,
            ids,
            sites_of.iter().map(|s| s.to_string()).collect(),
            vec!["ann@example.com".to_string(), "Bob@Example.com".to_string()],
            false,
            None,
            None,
        )
    };
    let page = "https://login.microsoftonline.com/common";
    assert_eq!(
        decide(page, Some(page), true, false, &["live.com", ""]),
        ["fill", "login.microsoftonline.com", "", "0"]
    );
    assert_eq!(
        decide(
            page,
            Some(page),
            true,
            false,
            &["live.com", "x.example microsoftonline.com"]
        ),
        ["choose", "login.microsoftonline.com", "", "0", "1"]
    );
    assert_eq!(
        decide(page, Some(page), true, false, &[]),
        ["none", "login.microsoftonline.com", ""]
    );
    // The step's hints: the user name typed picks one of two; a setup step fills only its new key.
    let both = vec!["0".to_string(), "1".to_string()];
    let two_sites = vec!["live.com".to_string(), "live.com".to_string()];
    let names = vec!["ann@example.com".to_string(), "Bob@Example.com".to_string()];
    let hinted = |setup: bool, new_key: Option<&str>, username: Option<&str>| {
        sites.decide(
            page,
            Some(page.to_string()),
            true,
            false,
            both.clone(),
            two_sites.clone(),
            names.clone(),
            setup,
            new_key.map(str::to_string),
            username.map(str::to_string),
        )
    };
    assert_eq!(
        hinted(false, None, Some(" bob@example.com")),
        ["fill", "login.microsoftonline.com", "", "1"]
    );
    assert_eq!(
        hinted(true, None, Some("bob@example.com")),
        ["setup", "login.microsoftonline.com", ""]
    );
    assert_eq!(
        hinted(true, Some("0"), None),
        ["fill", "login.microsoftonline.com", "", "0"]
    );
    assert_eq!(fill_delay(29_000.0, 30.0).map_err(JsValue::from).unwrap(), 1_000.0);
    assert_eq!(fill_delay(20_000.0, 30.0).map_err(JsValue::from).unwrap(), 0.0);
    let framed = decide(page, Some("https://evil.example/"), false, false, &["live.com"]);
    assert_eq!(framed[..2], ["none", ""]);
    assert!(framed[2].contains("another site"), "{framed:?}");
    assert_eq!(decide(page, Some(page), true, true, &["live.com"])[..2], ["none", ""]);
    assert!(Sites::refuse_fill("https:", "example.com").is_none());
    assert!(Sites::refuse_fill("http:", "example.com").is_some());
    assert!(Sites::refuse_fill("http:", "demo.localhost").is_none());
    assert!(Sites::new("// only a comment").is_err());
}

pub fn crypto_vectors() {
    let (n, failures) = wycheproof::run_all();
    assert!(n >= 66 + 86 + 151, "only {n} Wycheproof cases ran");
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let failures = fixed_bytes::check_all();
    assert!(
        failures.is_empty(),
        "stored envelopes no longer read back: {failures:?}"
    );
}

pub fn vault_story() {
    story::run();
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        js_sys::Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

fn text(v: &JsValue, name: &str) -> String {
    field(v, name)
        .as_string()
        .unwrap_or_else(|| panic!("{name} is not text"))
}

fn num(v: &JsValue, name: &str) -> u32 {
    field(v, name)
        .as_f64()
        .unwrap_or_else(|| panic!("{name} is not a number")) as u32
}

fn ok<T>(r: Result<T, wasm_bindgen::JsError>) -> T {
    r.map_err(JsValue::from).expect("the call succeeds")
}

fn message(r: Result<impl std::fmt::Debug, wasm_bindgen::JsError>) -> String {
    let err = JsValue::from(r.expect_err("the call fails"));
    field(&err, "message").as_string().unwrap()
}

/// The names `slots()` gives, as `kind` or `kind:account:generation`.
fn slot_names(vault: &Vault) -> Vec<String> {
    vault
        .slots()
        .iter()
        .map(|s| match field(&s, "account").as_string() {
            Some(account) => format!("{}:{account}:{}", text(&s, "kind"), num(&s, "generation")),
            None => text(&s, "kind"),
        })
        .collect()
}

/// The vault through the functions JS calls: keys named by what they are (an account by its id and
/// key generation), envelopes and summaries out.
pub fn vault_js_api() {
    let ws = "ws-1";
    let mut laptop = Vault::new();
    let laptop_keys = ok(laptop.create_device());
    assert!(message(laptop.create_device()).contains("already holds a device"));
    assert!(message(laptop.create_account(ws, "acct", "alice")).contains("the user key pair is not open"));
    let user = ok(laptop.create_user(ws, "alice", "laptop"));
    assert!(field(&user, "userKey").is_undefined(), "no handle crosses to JS");
    assert_eq!(slot_names(&laptop), ["device", "userKey", "userKeyPair"]);
    assert_eq!(ok(laptop.device_public_keys()), laptop_keys);

    let kit = ok(laptop.create_recovery_kit(ws, "alice"));
    assert_eq!(text(&kit, "kit").len(), 34);

    // A second device, approved.
    let mut phone = Vault::new();
    let phone_keys = ok(phone.create_device());
    let request = obj(&[
        ("workspace", s(ws)),
        ("userId", s("alice")),
        ("requestId", s("req-1")),
        ("deviceId", s("phone")),
        ("deviceKeys", s(&phone_keys)),
    ]);
    assert_eq!(
        ok(fingerprint_phrase("alice@example.com", &phone_keys)),
        ok(fingerprint_phrase("ALICE@example.com", &phone_keys))
    );
    let grant = ok(laptop.approve_device(request.clone(), 1_700_000_000.0));
    assert!(message(phone.accept_grant(&grant, request.clone(), vec![], 1_700_000_010.0)).contains("trusted devices"));
    assert_eq!(slot_names(&phone), ["device"], "a refused grant keeps nothing");
    ok(phone.accept_grant(&grant, request, vec![laptop_keys], 1_700_000_010.0));
    ok(phone.open_user_key_pair(&text(&user, "keyPairEnvelope"), ws, "alice"));
    assert_eq!(slot_names(&phone), ["device", "userKey", "userKeyPair"]);

    // An account with a login and a TOTP key, kept at generation 0.
    let account = ok(laptop.create_account(ws, "acct", "alice"));
    assert_eq!(text(&account, "accountId"), "acct");
    assert_eq!(num(&account, "generation"), 0);
    assert_eq!(laptop.generation("acct"), Some(0.0));
    let login = ok(laptop.seal_item(
        "acct",
        0.0,
        ws,
        "login",
        1.0,
        obj(&[
            ("kind", s("login")),
            ("name", s("AWS root")),
            ("username", s("root@example.com")),
            ("password", s("pa55word")),
            ("sites", js_sys::Array::of1(&s("aws.amazon.com")).into()),
        ]),
    ));
    let totp = ok(laptop.seal_item(
        "acct",
        0.0,
        ws,
        "totp",
        1.0,
        obj(&[
            ("kind", s("totp")),
            ("name", s("AWS MFA")),
            ("otp", s("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")),
        ]),
    ));
    assert!(message(laptop.seal_item(
        "acct",
        0.0,
        ws,
        "x",
        1.0,
        obj(&[("kind", s("totp")), ("name", s("x")), ("otp", s("!!"))])
    ))
    .contains("one-time password"));

    // Its sites record, at the id the core derives; read back by `accountSites`, and only there.
    let record_id = sites_item_id("acct");
    let record = ok(laptop.seal_item(
        "acct",
        0.0,
        ws,
        &record_id,
        1.0,
        obj(&[
            ("kind", s("sites")),
            ("name", s("AWS")),
            ("sites", js_sys::Array::of1(&s("signin.aws.amazon.com")).into()),
        ]),
    ));
    assert!(message(laptop.seal_item(
        "acct",
        0.0,
        ws,
        &record_id,
        1.0,
        obj(&[
            ("kind", s("sites")),
            ("name", s("x")),
            ("sites", js_sys::Array::of1(&s("Not A Host")).into())
        ])
    ))
    .contains("is not a host name"));
    let found = ok(laptop.account_sites("acct", 0.0, ws, js_sys::Array::of2(&totp, &record).into()));
    assert_eq!(found, Some(vec!["signin.aws.amazon.com".to_string()]));
    assert_eq!(
        ok(laptop.account_sites("acct", 0.0, ws, js_sys::Array::of1(&totp).into())),
        None
    );

    // The phone opens the account; JS gets public fields and codes, never the TOTP key.
    let members = js_sys::Array::from(&field(&account, "memberEnvelopes"));
    let for_alice = text(&members.get(0), "envelope");
    assert!(phone.open_account_key("acct", 1.0, &for_alice, ws, "alice").is_err());
    assert!(message(phone.item_code("acct", 0.0, totp.clone(), 59.0)).contains("is not open on this device"));
    ok(phone.open_account_key("acct", 0.0, &for_alice, ws, "alice"));
    let summary = ok(phone.item_summary("acct", 0.0, login.clone()));
    assert_eq!(text(&summary, "name"), "AWS root");
    assert_eq!(text(&summary, "username"), "root@example.com");
    assert!(field(&summary, "password").is_undefined());
    assert_eq!(
        text(&ok(phone.item_code("acct", 0.0, totp.clone(), 59.0)), "code"),
        "287082"
    );
    // A generation the phone does not hold is refused, naming the one it holds.
    let wrong = message(phone.item_code("acct", 1.0, totp.clone(), 59.0));
    assert!(
        wrong.contains("holds key generation 0") && wrong.contains("not generation 1"),
        "{wrong}"
    );
    assert!(phone.generation(&"acct".repeat(2)).is_none());
    assert_eq!(
        ok(phone.reveal_secret("acct", 0.0, login.clone(), "password")),
        "pa55word"
    );
    assert!(message(phone.reveal_secret("acct", 0.0, totp.clone(), "otp")).contains("never leaves"));
    assert!(message(phone.reveal_secret("acct", 0.0, totp.clone(), "password")).contains("never leaves"));

    // The item's text, as stored and sent: read back only where it was sealed.
    let stored = ok(sealed_item_text(login.clone()));
    let back = ok(parse_sealed_item(&stored, ws, "acct", &text(&login, "item"), 1.0));
    assert_eq!(text(&back, "body"), text(&login, "body"));
    assert_eq!(ok(phone.reveal_secret("acct", 0.0, back, "password")), "pa55word");
    assert!(message(parse_sealed_item(&stored, ws, "acct", "another-item", 1.0)).contains("is not used"));
    assert!(message(parse_sealed_item(&stored, ws, "acct", &text(&login, "item"), 2.0)).contains("is not used"));
    assert!(parse_sealed_item("not an item", ws, "acct", "x", 1.0).is_err());

    // SMS sealed "by the server", read on the phone.
    let sms = ok(seal_sms(
        &text(&account, "inboxPublicKey"),
        ws,
        "acct",
        "m1",
        "+1555",
        "code 123456",
    ));
    assert!(message(phone.open_sms("acct", 0.0, &sms, ws, "m1")).contains("inbox key"));
    ok(phone.open_inbox("acct", 0.0, &text(&account, "inboxEnvelope"), ws));
    assert_eq!(
        text(&ok(phone.open_sms("acct", 0.0, &sms, ws, "m1")), "text"),
        "code 123456"
    );
    assert!(phone.open_sms("acct", 0.0, &sms, ws, "m2").is_err());
    assert_eq!(
        slot_names(&phone),
        ["device", "userKey", "userKeyPair", "account:acct:0", "inbox:acct:0"]
    );

    // Rotation for the remaining members; items come back re-wrapped, the key at generation 1.
    let members = js_sys::Array::of1(&obj(&[
        ("userId", s("alice")),
        ("publicKeys", text(&user, "publicKeys").into()),
    ]));
    let rotated = ok(laptop.rotate_account(
        "acct",
        0.0,
        ws,
        members.into(),
        js_sys::Array::of2(&login, &totp).into(),
    ));
    assert_eq!(num(&rotated, "generation"), 1);
    assert_eq!(laptop.generation("acct"), Some(1.0));
    let new_items = js_sys::Array::from(&field(&rotated, "items"));
    assert_eq!(
        text(&ok(laptop.item_code("acct", 1.0, new_items.get(1), 59.0)), "code"),
        "287082"
    );
    assert!(phone.item_summary("acct", 0.0, new_items.get(0)).is_err());

    // Surviving a service-worker restart: the same names come back.
    let session_key = Vault::new_wrapping_key();
    let blob = ok(phone.save(&session_key, "phone"));
    let restored = ok(Vault::restore(&session_key, &blob, "phone"));
    assert_eq!(restored.size(), phone.size());
    assert_eq!(slot_names(&restored), slot_names(&phone));
    assert_eq!(text(&ok(restored.item_code("acct", 0.0, totp, 59.0)), "code"), "287082");
    assert!(Vault::restore(&Vault::new_wrapping_key(), &blob, "phone").is_err());
    let storage_key = Vault::new_wrapping_key();
    let device_blob = ok(phone.export_device(&storage_key, "phone"));
    let mut after_reboot = Vault::new();
    ok(after_reboot.import_device(&storage_key, &device_blob, "phone"));
    assert_eq!(ok(after_reboot.device_public_keys()), phone_keys);
    assert_eq!(slot_names(&after_reboot), ["device"]);

    // Forgetting an account forgets its inbox key too.
    assert!(phone.forget_account("acct"));
    assert_eq!(slot_names(&phone), ["device", "userKey", "userKeyPair"]);
    assert!(!phone.forget_account("acct"));

    // Recovery on a fresh device.
    let mut fresh = Vault::new();
    ok(fresh.recover_user_key(&text(&kit, "kit"), &text(&kit, "wrappedUserKey"), ws, "alice"));
    assert_eq!(slot_names(&fresh), ["userKey"]);
    assert!(message(fresh.recover_user_key("0000-0000", &text(&kit, "wrappedUserKey"), ws, "alice")).contains("28"));

    // Device names: the browser's String.normalize does NFKC here.
    let mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    let existing = vec!["alice Mac - macOS/Chrome".to_string()];
    assert_eq!(
        default_device_name("alice", mac, vec![], existing.clone()),
        "alice Mac - macOS/Chrome (2)"
    );
    assert!(message(check_device_name(
        "  ＡＬＩＣＥ   mac - macOS/Chrome ",
        existing.clone()
    ))
    .contains("already have"));
    assert_eq!(ok(check_device_name("  Work   laptop ", existing)), "Work laptop");
}

/// `smsCode` from JS, and the shared SMS corpus read in wasm as natively.
pub fn sms_js_api() {
    let text = "🔐 Your Apple ID Code is: 482913.\n\n@apple.com #482913 %apple.com";
    let found = sms_code(text);
    assert_eq!(field(&found, "code").as_string().as_deref(), Some("482913"));
    assert_eq!(field(&found, "kind").as_string().as_deref(), Some("numeric"));
    assert_eq!(field(&found, "start").as_f64(), Some(26.0));
    assert_eq!(field(&found, "end").as_f64(), Some(32.0));
    assert_eq!(field(&found, "domain").as_string().as_deref(), Some("apple.com"));
    let none = sms_code("Your order #4821930 has shipped.");
    assert!(none.is_null());
    let alpha = sms_code("Your code is: 5WGU8G");
    assert_eq!(field(&alpha, "kind").as_string().as_deref(), Some("alphanumeric"));
    assert!(field(&alpha, "domain").is_null());

    for corpus in [super::sms::DEV, super::sms::MORE] {
        let r = super::sms::evaluate(&super::sms::cases(corpus));
        assert!(r.accuracy() >= 0.98 && r.invented == 0, "{}", r.misses.join("\n"));
    }
}

/// `mailRead` from JS: e-mails in multi-byte charsets decoded by the browser's TextDecoder, HTML
/// read as text, the code's field and UTF-16 span, verification links, and bytes that are no e-mail.
pub fn mail_js_api() {
    macro_rules! eml {
        ($name:literal) => {
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/mail/", $name)).as_slice()
        };
    }
    for (raw, code, subject, says) in [
        (
            eml!("ja-mercari-iso2022jp.eml"),
            "593021",
            "確認コードのお知らせ",
            "確認コード: 593021",
        ),
        (
            eml!("ja-rakuten-shiftjis.eml"),
            "482913",
            "【楽天】認証コードのお知らせ",
            "認証コード：482913",
        ),
        (
            eml!("ja-amazon-eucjp.eml"),
            "219384",
            "Amazon.co.jp: ワンタイムパスワード",
            "有効期限は10分",
        ),
        (
            eml!("zh-taobao-gbk-html.eml"),
            "582910",
            "【淘宝网】验证码",
            "验证码30分钟内有效",
        ),
        (
            eml!("zh-alibaba-gb2312.eml"),
            "739102",
            "您的验证码",
            "您的验证码是：739102",
        ),
        (eml!("zh-tw-big5.eml"), "384019", "您的驗證碼", "您的驗證碼為 384019"),
        (
            eml!("ko-naver-euckr.eml"),
            "482913",
            "[네이버] 인증번호 안내",
            "인증번호 [482913]",
        ),
        (
            eml!("ru-yandex-koi8r.eml"),
            "482917",
            "Код подтверждения",
            "Ваш код подтверждения: 482917",
        ),
    ] {
        let view = mail_read(raw).unwrap_or_else(|_| panic!("{subject}: not read"));
        assert_eq!(field(&view, "subject").as_string().as_deref(), Some(subject));
        let text = field(&view, "text").as_string().unwrap();
        assert!(text.contains(says), "{subject}: {text:?}");
        let found = field(&view, "code");
        assert_eq!(field(&found, "code").as_string().as_deref(), Some(code), "{subject}");
        let units: Vec<u16> = text.encode_utf16().collect();
        let (start, end) = (
            field(&found, "start").as_f64().unwrap() as usize,
            field(&found, "end").as_f64().unwrap() as usize,
        );
        assert_eq!(field(&found, "in").as_string().as_deref(), Some("text"));
        assert_eq!(String::from_utf16(&units[start..end]).unwrap(), code);
    }

    let Ok(view) = mail_read(eml!("en-notion-alnum.eml")) else {
        panic!("notion: not read")
    };
    assert_eq!(
        field(&view, "from").as_string().as_deref(),
        Some("notify@mail.notion.so")
    );
    let found = field(&view, "code");
    assert_eq!(field(&found, "kind").as_string().as_deref(), Some("alphanumeric"));
    assert!(field(&found, "domain").is_null());
    let links = js_sys::Array::from(&field(&view, "links"));
    assert_eq!(links.length(), 1);
    assert_eq!(
        field(&links.get(0), "url").as_string().as_deref(),
        Some("https://www.notion.so/loginwithemail?state=abc&token=xyz")
    );
    let Ok(none) = mail_read(eml!("none-en-amazon-receipt.eml")) else {
        panic!("receipt: not read")
    };
    assert!(field(&none, "code").is_null());
    assert!(mail_read(b"Your code is 482913").is_err());
}

/// The unlock PIN through the exported API, where the extension runs it: Argon2id as the reference
/// C implementation computes it, a PIN the rules refuse, the right PIN opening the device keys and
/// a wrong one giving `undefined`, an altered blob throwing, and changing the PIN.
pub fn pin_js_api() {
    use latchkey_core::wasm::pin::{change_pin, check_pin, pin_max_attempts};

    let v: serde_json::Value = serde_json::from_str(include_str!("../data/argon2id_reference.json")).unwrap();
    let c = &v["cases"][0];
    let hex = |s: &str| {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect::<Vec<u8>>()
    };
    let tag = latchkey_core::kat::argon2id(
        c["password"].as_str().unwrap().as_bytes(),
        &hex(c["salt_hex"].as_str().unwrap()),
        &[],
        &[],
        (65_536, 3, 4),
    )
    .unwrap();
    assert_eq!(
        tag.to_vec(),
        hex(c["tag_hex"].as_str().unwrap()),
        "Argon2id in wasm differs from libargon2"
    );

    assert_eq!(pin_max_attempts(), 5);
    assert!(message(check_pin("123456")).contains("too easy to guess"));
    ok(check_pin("730519"));

    let mut laptop = Vault::new();
    let public = ok(laptop.create_device());
    assert!(message(laptop.lock_device("000000", "dev-1")).contains("one digit repeated"));
    let locked = ok(laptop.lock_device("730519", "dev-1"));
    assert!(message(laptop.unlock_device("730519", &locked, "dev-1")).contains("already holds a device"));

    let mut fresh = Vault::new();
    assert!(
        ok(fresh.unlock_device("730518", &locked, "dev-1")).is_undefined(),
        "a wrong PIN opened"
    );
    let opened = ok(fresh.unlock_device("730519", &locked, "dev-1"));
    assert_eq!(ok(fresh.device_public_keys()), public);
    assert!(field(&opened, "upgraded").is_null());
    let mut fresh = Vault::new();
    assert!(message(fresh.unlock_device("730519", &locked, "dev-2")).contains("damaged"));
    let mut altered = latchkey_core::vault::base64url_decode(&locked).unwrap();
    let last = altered.len() - 1;
    altered[last] ^= 1;
    let altered = latchkey_core::vault::base64url_encode(&altered);
    assert!(message(fresh.unlock_device("730519", &altered, "dev-1")).contains("damaged"));

    assert_eq!(ok(change_pin("111112", "4092 7716", &locked, "dev-1")), None);
    let changed = ok(change_pin("730519", "4092 7716", &locked, "dev-1")).expect("changed");
    assert!(ok(fresh.unlock_device("730519", &changed, "dev-1")).is_undefined());
    assert!(!ok(fresh.unlock_device("40927716", &changed, "dev-1")).is_undefined());
    assert_eq!(ok(fresh.device_public_keys()), public);
}

/// The offline copy through `Vault.sealCopy`/`openCopy`: it opens on its device after a restart
/// (device keys only, locked by the PIN and unlocked), and is refused elsewhere or altered.
pub fn offline_copy_js_api() {
    let vault_json = r#"{"accounts":[]}"#;
    let mut laptop = Vault::new();
    ok(laptop.create_device());
    ok(laptop.create_user("ws-1", "alice", "laptop"));
    let copy = ok(laptop.seal_copy("ws-1", "alice", "laptop", 1_780_000_000_123.0, vault_json));
    let locked = ok(laptop.lock_device("730519", "laptop"));

    assert!(message(Vault::new().open_copy(&copy, "ws-1", "alice", "laptop")).contains("Latchkey is locked"));
    let mut restarted = Vault::new();
    ok(restarted.unlock_device("730519", &locked, "laptop"));
    assert!(message(restarted.open_copy(&copy, "ws-1", "bob", "laptop")).contains("belongs to another user"));
    let mut altered = copy.clone().into_bytes();
    let at = altered.len() * 2 / 3;
    altered[at] = if altered[at] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap();
    assert!(message(restarted.open_copy(&altered, "ws-1", "alice", "laptop")).contains("altered or damaged"));
    let opened = ok(restarted.open_copy(&copy, "ws-1", "alice", "laptop"));
    assert_eq!(field(&opened, "syncedAt").as_f64(), Some(1_780_000_000_123.0));
    assert_eq!(field(&opened, "vault").as_string().as_deref(), Some(vault_json));
    assert_eq!(slot_names(&restarted), ["device", "userKey", "userKeyPair"]);
}

/// `importRead` and `qrScan` from JS (the import module): an encrypted Aegis backup opened with
/// scrypt and AES-GCM in wasm, its preview (parameters, current code, verdicts, the refused
/// entries' reasons), a wrong password, and pictures with no code or a size that lies.
pub fn import_js_api() {
    let aegis = include_bytes!("../data/import/aegis-encrypted.json");
    let read = import_read(
        aegis,
        Some("correct horse battery staple".into()),
        JsValue::NULL,
        1_700_000_000.0,
    )
    .unwrap_or_else(|_| panic!("the Aegis backup opens"));
    assert_eq!(field(&read, "format").as_string().as_deref(), Some("aegis"));
    let entries = js_sys::Array::from(&field(&read, "entries"));
    assert_eq!(entries.length(), 5);
    let github = entries.get(0);
    assert_eq!(
        field(&github, "label").as_string().as_deref(),
        Some("GitHub: alice@example.com")
    );
    assert_eq!(field(&github, "algorithm").as_string().as_deref(), Some("SHA1"));
    assert_eq!(field(&github, "verdict").as_string().as_deref(), Some("new"));
    // The same code as the core computes natively for this key at this time.
    let expected = latchkey_core::otp::Otp::parse("JBSWY3DPEHPK3PXP")
        .unwrap()
        .code_at(1_700_000_000);
    assert_eq!(field(&github, "code").as_string(), Some(expected));
    let hotp = entries.get(2);
    assert_eq!(field(&hotp, "verdict").as_string().as_deref(), Some("unreadable"));
    assert!(field(&hotp, "error").as_string().unwrap().contains("counter-based"));
    assert!(import_read(aegis, Some("wrong".into()), JsValue::NULL, 1_700_000_000.0).is_err());
    assert!(import_read(aegis, None, JsValue::NULL, 1_700_000_000.0).is_err());

    let blank = vec![255u8; 64 * 64 * 4];
    let found = qr_scan(&blank, 64, 64, JsValue::NULL, 1_700_000_000.0).unwrap_or_else(|_| panic!("scans"));
    assert_eq!(js_sys::Array::from(&found).length(), 0);
    assert!(qr_scan(&blank, 65, 64, JsValue::NULL, 1_700_000_000.0).is_err());
}
