//! The wasm test body, shared by the page runner (`wasm_browser.rs`) and the service-worker runner
//! (`wasm_worker.rs`): the known answers through the core, then the exported JS API itself.

use latchkey_core::wasm::{code, describe, Keyring, Sites};
use wasm_bindgen::JsValue;

use super::kat;

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
    assert_eq!(
        ring.codes(0.0).map_err(JsValue::from).unwrap(),
        vec!["84755224".to_string(), "C5V56".to_string()]
    );

    let sites = Sites::new(PSL).map_err(JsValue::from).unwrap();
    assert!(sites.rule_count() > 5000);
    assert_eq!(sites.site_of("news.bbc.co.uk"), "bbc.co.uk");
    assert_eq!(
        sites.site_of("www.xn--85x722f.xn--55qx5d.cn"),
        "xn--85x722f.xn--55qx5d.cn"
    );
    assert!(sites.same_site("https://www.paypal.com/signin", "paypal.com"));
    assert!(!sites.same_site("alice.github.io", "mallory.github.io"));
    assert!(Sites::refuse_fill("https:", "example.com").is_none());
    assert!(Sites::refuse_fill("http:", "example.com").is_some());
    assert!(Sites::refuse_fill("http:", "demo.localhost").is_none());
    assert!(Sites::new("// only a comment").is_err());
}
