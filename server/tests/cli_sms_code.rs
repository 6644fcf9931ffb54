//! `latchkey sms-code`: a message on standard input, its code on standard output; exit 1 and
//! nothing on stdout without a code; exit 2 and one line for input that is not one SMS of UTF-8.

use std::process::Output;

use crate::support::server::{latchkey, latchkey_with, refused, stderr, stdout};

fn sms_code(args: &[&str], stdin: &[u8]) -> Output {
    let mut line = vec!["sms-code"];
    line.extend_from_slice(args);
    latchkey_with(&line, &[], stdin)
}

#[test]
fn prints_the_code_as_typed() {
    for (message, code) in [
        ("Your verification code is 482913. Don't share it.", "482913"),
        ("Use 493 017 to verify your Instagram account.\n", "493017"),
        ("G-731942 is your Google verification code.", "731942"),
        ("Your code is: 5WGU8G", "5WGU8G"),
        ("【抖音】验证码9316，用于手机验证", "9316"),
        ("<#> Your ExampleApp code is: 123ABC78\nFA+9qCX9VSu", "123ABC78"),
    ] {
        let out = sms_code(&[], message.as_bytes());
        assert!(out.status.success(), "{message:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), format!("{code}\n"), "{message:?}");
        assert_eq!(stderr(&out), "");
    }
}

#[test]
fn json_gives_kind_utf16_span_and_domain() {
    let message = "🔐 Your Apple ID Code is: 482913.\n\n@apple.com #482913 %apple.com";
    let out = sms_code(&["--json"], message.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"code": "482913", "kind": "numeric", "start": 26, "end": 32, "domain": "apple.com"})
    );
    let js: Vec<u16> = message.encode_utf16().collect();
    assert_eq!(String::from_utf16(&js[26..32]).unwrap(), "482913");

    let out = sms_code(&["--json"], "Your code is: 5WGU8G".as_bytes());
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"code": "5WGU8G", "kind": "alphanumeric", "start": 14, "end": 20, "domain": null})
    );
}

#[test]
fn no_code_exits_1_with_nothing_on_stdout() {
    for message in [
        "",
        "Your order #4821930 has shipped.",
        "Your card ending 4821 was charged $54.20 at STARBUCKS.",
        "Welcome! Enjoy 15% off your first order with code WELCOME15.",
    ] {
        refused(&sms_code(&[], message.as_bytes()), 1, "no verification code");
        refused(&sms_code(&["--json"], message.as_bytes()), 1, "no verification code");
    }
}

#[test]
fn refuses_what_is_not_one_utf8_sms() {
    refused(
        &sms_code(&[], b"Your code is 4829 \xff\xfe"),
        2,
        "not valid UTF-8 (from byte 18)",
    );
    let big = "Your code is 482913. ".repeat(4000);
    refused(&sms_code(&[], big.as_bytes()), 2, "over 64 KiB");
    // Exactly 64 KiB is accepted.
    let mut exact = "Your code is 482913.".to_string();
    exact.push_str(&" ".repeat(64 * 1024 - exact.len()));
    assert_eq!(stdout(&sms_code(&[], exact.as_bytes())), "482913\n");
}

#[test]
fn refuses_arguments_without_repeating_them() {
    let out = sms_code(&["Your code is 482913"], b"");
    refused(&out, 2, "takes no arguments");
    assert!(!stderr(&out).contains("482913"));
    refused(&sms_code(&["--jsn"], b""), 2, "unknown option \"--jsn\"");
    refused(
        &sms_code(&["--json=yes"], b""),
        2,
        "--json must be given without a value",
    );
}

#[test]
fn help_names_the_command() {
    let out = sms_code(&["--help"], b"");
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("Usage: latchkey sms-code"));
    let top = latchkey(&["--help"]);
    assert!(stdout(&top).contains("latchkey sms-code [--json]"));
}
