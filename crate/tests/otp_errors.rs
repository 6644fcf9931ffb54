//! Bad input gets an error that says what is wrong and where.

use latchkey_core::otp::{Algorithm, Kind, Otp, OtpError};

fn err(input: &str) -> OtpError {
    Otp::parse(input).expect_err(input)
}

#[test]
fn secrets_as_people_paste_them() {
    let want = Otp::parse("JBSWY3DPEHPK3PXP").unwrap();
    for pasted in [
        "jbsw y3dp ehpk 3pxp",
        "JBSW-Y3DP-EHPK-3PXP",
        "JBSWY3DPEHPK3PXP====",
        " jbswy3dpehpk3pxp\n",
        "JBSW\tY3DP EHPK 3PXP==",
    ] {
        assert_eq!(Otp::parse(pasted).unwrap(), want, "{pasted:?}");
    }
}

#[test]
fn invalid_characters_are_named_with_their_position() {
    assert_eq!(
        err("JBSW1Y3DP"),
        OtpError::InvalidSecretChar {
            found: '1',
            position: 5
        }
    );
    assert_eq!(
        err("AB CD 8F"),
        OtpError::InvalidSecretChar {
            found: '8',
            position: 7
        }
    );
    assert_eq!(
        err("ÄBCDEFGH"),
        OtpError::InvalidSecretChar {
            found: 'Ä',
            position: 1
        }
    );
    assert_eq!(
        err("ABCD==EF"),
        OtpError::DataAfterPadding {
            found: 'E',
            position: 7
        }
    );
    let message = err("JBSW1Y3DP").to_string();
    assert!(message.contains("'1'") && message.contains("position 5"), "{message}");
}

#[test]
fn empty_and_too_short_secrets() {
    assert_eq!(err(""), OtpError::EmptySecret);
    assert_eq!(err("   - -  "), OtpError::EmptySecret);
    assert_eq!(err("===="), OtpError::EmptySecret);
    assert_eq!(err("A"), OtpError::SecretTooShort);
    assert!(Otp::parse("AB").is_ok(), "two characters make one byte");
}

#[test]
fn uri_errors() {
    assert_eq!(err("https://example.com/?secret=ABCD"), OtpError::NotAnOtpUri);
    assert_eq!(err("otpauth://totp/x"), OtpError::MissingSecret);
    assert_eq!(err("otpauth://totp/x?secret="), OtpError::MissingSecret);
    assert_eq!(
        err("otpauth://motp/x?secret=ABCD"),
        OtpError::UnknownType("motp".into())
    );
    assert_eq!(
        err("otpauth://totp/x?secret=ABCD&algorithm=MD5"),
        OtpError::UnknownAlgorithm("MD5".into())
    );
    assert_eq!(
        err("otpauth://totp/x?secret=ABCD&algorithm=SHA-1"),
        OtpError::UnknownAlgorithm("SHA-1".into())
    );
    assert_eq!(
        err("otpauth://totp/x?secret=ABCD&digits=0"),
        OtpError::InvalidDigits("0".into())
    );
    assert_eq!(
        err("otpauth://totp/x?secret=ABCD&digits=11"),
        OtpError::InvalidDigits("11".into())
    );
    assert_eq!(
        err("otpauth://totp/x?secret=ABCD&digits=six"),
        OtpError::InvalidDigits("six".into())
    );
    assert_eq!(
        err("otpauth://totp/x?secret=ABCD&period=0"),
        OtpError::InvalidPeriod("0".into())
    );
    assert_eq!(
        err("otpauth://totp/x?secret=ABCD&period=-30"),
        OtpError::InvalidPeriod("-30".into())
    );
    assert_eq!(
        err("otpauth://hotp/x?secret=ABCD&counter=-1"),
        OtpError::InvalidCounter("-1".into())
    );
    assert_eq!(
        err("otpauth://totp/x%zz?secret=ABCD"),
        OtpError::BadPercentEncoding("label", "%zz".into())
    );
    assert_eq!(err("otpauth://totp/x%ff?secret=ABCD"), OtpError::NotUtf8("label"));
    assert_eq!(
        err("otpauth://totp/x?secret=AB1D"),
        OtpError::InvalidSecretChar {
            found: '1',
            position: 3
        }
    );
    for e in [
        err("otpauth://totp/x"),
        err("https://x"),
        err("otpauth://totp/x?secret=ABCD&digits=0"),
    ] {
        assert!(!e.to_string().contains('\n'), "one line: {e}");
    }
}

#[test]
fn issuer_rule_parameter_wins_then_label_prefix() {
    let both = Otp::parse("otpauth://totp/Label%20Co:alice?secret=ABCD&issuer=Param%20Co").unwrap();
    assert_eq!(
        (both.issuer.as_deref(), both.account.as_deref()),
        (Some("Param Co"), Some("alice"))
    );
    let empty_param = Otp::parse("otpauth://totp/Label%20Co:alice?secret=ABCD&issuer=").unwrap();
    assert_eq!(empty_param.issuer.as_deref(), Some("Label Co"));
    let param_only = Otp::parse("otpauth://totp/alice?secret=ABCD&issuer=Param").unwrap();
    assert_eq!(
        (param_only.issuer.as_deref(), param_only.account.as_deref()),
        (Some("Param"), Some("alice"))
    );
    let colon_in_account = Otp::parse("otpauth://totp/Matrix:@me:matrix.org?secret=ABCD").unwrap();
    assert_eq!(
        (colon_in_account.issuer.as_deref(), colon_in_account.account.as_deref()),
        (Some("Matrix"), Some("@me:matrix.org"))
    );
}

#[test]
fn defaults_and_steam() {
    let otp = Otp::parse("otpauth://totp/x?secret=ABCD").unwrap();
    assert_eq!(
        (otp.kind, otp.algorithm, otp.digits),
        (Kind::Totp { period: 30 }, Algorithm::Sha1, 6)
    );
    let steam = Otp::parse("STEAM://ABCDEFGH").unwrap();
    assert_eq!(
        (steam.kind, steam.digits, steam.issuer.as_deref()),
        (Kind::Steam, 5, Some("Steam"))
    );
    assert!(steam
        .code_at(0)
        .chars()
        .all(|c| latchkey_core::otp::STEAM_ALPHABET.contains(&(c as u8))));
    assert!(steam.to_uri().contains("encoder=steam"));
}

#[test]
fn leading_zeros_are_kept() {
    // RFC 6238 SHA1 seed at t=1234567890 gives 005924 with 6 digits (pyotp vector).
    let otp = Otp::parse("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
    assert_eq!(otp.code_at(1234567890), "005924");
}

#[test]
fn secrets_never_print() {
    let otp = Otp::parse("JBSWY3DPEHPK3PXP").unwrap();
    let debug = format!("{otp:?}");
    assert!(!debug.contains("JBSW") && !debug.contains("72, 101"), "{debug}");
    assert!(debug.contains("redacted"));
}
