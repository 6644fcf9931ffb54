//! The command line as a person meets it: help, version, known answers, and bad input refused with
//! exit status 2 and one line saying why.

use crate::support::server::{latchkey, latchkey_with, refused, stderr, stdout};

const KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // RFC 6238's SHA1 key

#[test]
fn rfc6238_answers() {
    // RFC 6238 appendix B, T = 59 and T = 1111111109, 8 digits; keys are the ASCII digits.
    let sha256 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";
    let sha512 =
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA";
    for (key, algorithm, time, code) in [
        (KEY, "SHA1", "59", "94287082"),
        (sha256, "SHA256", "59", "46119246"),
        (sha512, "SHA512", "59", "90693936"),
        (KEY, "SHA1", "1111111109", "07081804"),
        (sha256, "sha256", "1111111109", "68084774"),
    ] {
        let out = latchkey(&["totp", key, "--algorithm", algorithm, "--digits", "8", "--time", time]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stdout(&out), format!("{code}\n"));
    }
}

#[test]
fn uri_steam_and_stdin() {
    let uri = format!("otpauth://totp/ACME:alice?secret={KEY}&digits=8&issuer=ACME");
    assert_eq!(stdout(&latchkey(&["totp", &uri, "--time", "59"])), "94287082\n");
    let steam = stdout(&latchkey(&["totp", &format!("steam://{KEY}"), "--time", "59"]));
    assert_eq!(steam.trim().len(), 5, "{steam:?}");
    assert!(steam.trim().bytes().all(|b| b"23456789BCDFGHJKMNPQRTVWXY".contains(&b)));

    let out = latchkey_with(
        &["totp", "-", "--digits", "8", "--time", "59"],
        &[],
        format!("{KEY}\n").as_bytes(),
    );
    assert_eq!(stdout(&out), "94287082\n");
}

#[test]
fn help_and_version() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["help"],
        &["totp", "--help"],
        &["totp", KEY, "-h"],
        &["serve", "--help"],
    ] {
        let out = latchkey(args);
        assert!(out.status.success(), "{args:?}");
        assert!(stdout(&out).contains("Usage"), "{args:?}: {}", stdout(&out));
    }
    let out = latchkey(&["--version"]);
    assert!(out.status.success());
    assert_eq!(stdout(&out), format!("latchkey {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let cases: &[(&[&str], &str)] = &[
        (&[], "no command given"),
        (&["bogus"], "unknown command \"bogus\""),
        (&["--bogus"], "unknown option \"--bogus\""),
        (&["totp"], "missing SECRET_OR_URI"),
        (&["totp", "JB1WY3DP"], "the secret key has '1' at position 3"),
        (&["totp", "JBSW=Y3DP"], "after its '=' padding"),
        (&["totp", ""], "the secret key is empty"),
        (
            &["totp", KEY, "--digits", "x"],
            "digits must be a whole number from 1 to 10, not \"x\"",
        ),
        (&["totp", KEY, "--digits", "0"], "digits must be"),
        (
            &["totp", KEY, "--period", "0"],
            "period must be a whole number of seconds, at least 1",
        ),
        (&["totp", KEY, "--algorithm", "MD5"], "unsupported algorithm \"MD5\""),
        (&["totp", KEY, "--time", "-5"], "--time must be a Unix time"),
        (&["totp", KEY, "--time"], "--time needs a value"),
        (&["totp", KEY, "--counter", "x"], "counter must be"),
        (
            &["totp", KEY, "--digits", "6", "--digits", "7"],
            "--digits was given twice",
        ),
        (
            &["totp", KEY, "--bogus"],
            "unknown option \"--bogus\" for `latchkey totp`",
        ),
        (&["totp", KEY, "--counter", "1", "--time", "5"], "give one or the other"),
        (
            &["totp", "otpauth://hotp/x?secret=ABCD", "--period", "60"],
            "HOTP (counter-based) key",
        ),
        (
            &["totp", "steam://ABCDEFGH", "--digits", "6"],
            "Steam Guard key always gives 5 characters",
        ),
        (&["totp", "otpauth://totp/x?digits=6"], "the URI has no secret"),
        (&["totp", "otpauth://totp/x?secret=ABCD&digits=12"], "digits must be"),
        (&["totp", "https://example.com/"], "not an otpauth:// URI"),
        (&["serve", "--addr", "nope"], "--addr must be IP:PORT"),
        (&["serve", "extra"], "`latchkey serve` takes no arguments"),
        (
            &["serve", "--public-url", "ftp://x"],
            "--public-url must be an absolute http://",
        ),
        (&["serve", "--public-url", "https://u@x/"], "--public-url must be"),
        (
            &["serve", "--smtp-url", "smtps://u:p@relay:465"],
            "must not contain a user name or password",
        ),
        (&["serve", "--smtp-listen", "25"], "--smtp-listen must be IP:PORT"),
        (&["serve", "--mail-domain", "a..b"], "--mail-domain must be a DNS name"),
        (&["serve", "--smtp-url", "relay"], "--smtp-url"),
        (
            &["serve", "--pool-numbers", "+12025550142,+442071838750"],
            "--pool-numbers must be US numbers",
        ),
        (&["serve", "--demo=yes"], "--demo must be given without a value"),
        (&["serve", "--mail-auth", "maybe"], "--mail-auth must be on or off"),
        (
            &["serve", "--dns-server", "dns.example"],
            "--dns-server must be an IP address",
        ),
    ];
    for (args, reason) in cases {
        println!("latchkey {args:?}");
        // Exit status 2, one line on stderr saying why, nothing on stdout.
        refused(&latchkey(args), 2, reason);
    }
}

#[test]
fn errors_do_not_repeat_the_key() {
    // A second positional argument is often the rest of an unquoted key: do not echo either part.
    let out = latchkey(&["totp", "JBSWY3DP", "EHPK3PXP"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(!err.contains("JBSWY3DP") && !err.contains("EHPK3PXP"), "{err}");
    assert!(err.contains("quote a key that contains spaces"), "{err}");
}
