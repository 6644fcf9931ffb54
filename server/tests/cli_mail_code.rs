//! `latchkey mail-code`: a raw e-mail on standard input, its code on standard output; exit 1 and
//! nothing on stdout without a code; exit 2 and one line for input that is not an e-mail.

use std::path::PathBuf;
use std::process::Output;

use crate::support::server::{latchkey, latchkey_with, refused, stderr, stdout};

fn mail_code(args: &[&str], stdin: &[u8]) -> Output {
    let mut line = vec!["mail-code"];
    line.extend_from_slice(args);
    latchkey_with(&line, &[], stdin)
}

/// A message of the core's e-mail corpus (crate/tests/data/mail).
fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../crate/tests/data/mail")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn prints_the_code_as_typed() {
    for (file, code) in [
        ("en-github-device.eml", "748201"),
        ("en-dropbox-grouped.eml", "847392"),
        ("en-notion-alnum.eml", "ZK4P7QX"),
        ("ja-mercari-iso2022jp.eml", "593021"),
        ("zh-taobao-gbk-html.eml", "582910"),
        ("ru-yandex-koi8r.eml", "482917"),
        ("en-uber-subject-only.eml", "8204"),
    ] {
        let out = mail_code(&[], &fixture(file));
        assert!(out.status.success(), "{file}: {}", stderr(&out));
        assert_eq!(stdout(&out), format!("{code}\n"), "{file}");
        assert_eq!(stderr(&out), "");
    }
}

#[test]
fn json_gives_kind_field_utf16_span_domain_and_links() {
    let out = mail_code(&["--json"], &fixture("en-notion-alnum.eml"));
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "code": "ZK4P7QX", "kind": "alphanumeric", "in": "text", "start": 37, "end": 44, "domain": null,
            "links": [{"url": "https://www.notion.so/loginwithemail?state=abc&token=xyz", "start": 80, "end": 136}],
        })
    );

    // "Your temporary Notion login code is: ZK4P7QX" starts the text; the link is the URL in it.

    // In the subject, counted in UTF-16 units: the emoji is two.
    let raw = "From: a@b.example\r\nSubject: \u{1f510} 483920 is your code\r\n\r\nSee the subject.\r\n";
    let v: serde_json::Value = serde_json::from_str(&stdout(&mail_code(&["--json"], raw.as_bytes()))).unwrap();
    assert_eq!(
        (&v["in"], &v["start"], &v["end"], &v["kind"]),
        (&"subject".into(), &3.into(), &9.into(), &"numeric".into())
    );
}

#[test]
fn no_code_exits_1_with_nothing_on_stdout() {
    for file in [
        "none-en-amazon-receipt.eml",
        "none-de-dhl-shipping.eml",
        "none-en-calendar-invite.eml",
        "none-en-verify-link-only.eml",
    ] {
        refused(&mail_code(&[], &fixture(file)), 1, "no verification code in the e-mail");
        refused(
            &mail_code(&["--json"], &fixture(file)),
            1,
            "no verification code in the e-mail",
        );
    }
}

#[test]
fn refuses_what_is_not_one_email() {
    refused(&mail_code(&[], b""), 2, "the message is empty");
    refused(&mail_code(&[], b"Your code is 482913"), 2, "not an e-mail");
    refused(&mail_code(&[], b"\xff\xfe\x00\x01 binary"), 2, "not an e-mail");
    let mut big = b"From: a@b.example\r\nSubject: code\r\n\r\n".to_vec();
    big.resize(32 * 1024 * 1024 + 1, b'x');
    refused(&mail_code(&[], &big), 2, "over 32 MiB");
}

#[test]
fn refuses_arguments_without_repeating_them() {
    let out = mail_code(&["Your code is 482913"], b"");
    refused(&out, 2, "takes no arguments");
    assert!(!stderr(&out).contains("482913"));
    refused(&mail_code(&["--jsn"], b""), 2, "unknown option \"--jsn\"");
    refused(
        &mail_code(&["--json=yes"], b""),
        2,
        "--json must be given without a value",
    );
}

#[test]
fn help_names_the_command() {
    let out = mail_code(&["--help"], b"");
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("Usage: latchkey mail-code"));
    let top = latchkey(&["--help"]);
    assert!(stdout(&top).contains("latchkey mail-code [--json]"));
}
