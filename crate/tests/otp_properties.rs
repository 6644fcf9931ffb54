#![cfg(not(target_arch = "wasm32"))]
//! Properties: formatting then parsing gives the same entry; pasted-key variants decode alike; our
//! codes agree with an independent implementation (totp-rs) on random keys, times and parameters.

use latchkey_core::otp::{base32, fill_delay_ms, seconds_left, Algorithm, Kind, Otp, Secret, FILL_MARGIN_MS};
use proptest::prelude::*;

fn algorithm() -> impl Strategy<Value = Algorithm> {
    prop::sample::select(Algorithm::ALL.to_vec())
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        (1u64..=1_000_000_000).prop_map(|period| Kind::Totp { period }),
        any::<u64>().prop_map(|counter| Kind::Hotp { counter }),
        Just(Kind::Steam),
    ]
}

/// Names as people write them: any text, trimmed (parsing trims), possibly with ':' and '%'.
fn name() -> impl Strategy<Value = Option<String>> {
    prop::option::of("[a-zA-Z0-9 @:%&?=+/#._~é中-]{1,24}")
        .prop_map(|o| o.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
}

prop_compose! {
    fn any_otp()(kind in kind(), algorithm in algorithm(), digits in 1u32..=10,
                 key in prop::collection::vec(any::<u8>(), 1..80), issuer in name(), account in name()) -> Otp {
        let steam = kind == Kind::Steam;
        Otp {
            kind,
            algorithm: if steam { Algorithm::Sha1 } else { algorithm },
            digits: if steam { 5 } else { digits },
            secret: Secret::from_bytes(key),
            issuer,
            account,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn format_then_parse_is_identity(otp in any_otp()) {
        let uri = otp.to_uri();
        let back = Otp::parse(&uri).map_err(|e| TestCaseError::fail(format!("{uri}: {e}")))?;
        prop_assert_eq!(back, otp, "{}", uri);
    }

    #[test]
    fn base32_round_trips(key in prop::collection::vec(any::<u8>(), 1..128)) {
        let text = base32::encode(&key);
        let decoded = base32::decode(&text).unwrap();
        prop_assert_eq!(decoded.as_bytes(), key.as_slice());
    }

    #[test]
    fn pasted_variants_decode_alike(key in prop::collection::vec(any::<u8>(), 1..64), group in 1usize..9, dash in any::<bool>()) {
        let canonical = base32::encode(&key);
        let sep = if dash { "-" } else { " " };
        let grouped: Vec<String> = canonical.as_bytes().chunks(group)
            .map(|c| String::from_utf8(c.to_vec()).unwrap().to_lowercase()).collect();
        let mut pasted = format!("  {}", grouped.join(sep));
        pasted.push_str(&"=".repeat((8 - canonical.len() % 8) % 8));
        pasted.push('\n');
        let decoded = base32::decode(&pasted).unwrap();
        prop_assert_eq!(decoded.as_bytes(), key.as_slice());
    }

    #[test]
    fn agrees_with_totp_rs(key in prop::collection::vec(any::<u8>(), 1..64), unix in 0u64..(1 << 40),
                           period in 1u64..300, digits in 6u32..=8, alg in 0usize..3) {
        let (ours, theirs) = [
            (Algorithm::Sha1, totp_rs::Algorithm::SHA1),
            (Algorithm::Sha256, totp_rs::Algorithm::SHA256),
            (Algorithm::Sha512, totp_rs::Algorithm::SHA512),
        ][alg];
        let mut otp = Otp::totp(Secret::from_bytes(key.clone()));
        otp.kind = Kind::Totp { period };
        otp.algorithm = ours;
        otp.digits = digits;
        let reference = totp_rs::Builder::new()
            .with_algorithm(theirs).with_digits(digits as u8).with_step_duration(period)
            .with_secret(key.as_slice()).build_noncompliant();
        prop_assert_eq!(otp.code_at(unix), reference.generate(unix).to_string());
    }

    #[test]
    fn steam_agrees_with_totp_rs(key in prop::collection::vec(any::<u8>(), 1..64), unix in 0u64..(1 << 40)) {
        let mut otp = Otp::totp(Secret::from_bytes(key.clone()));
        otp.kind = Kind::Steam;
        let reference = totp_rs::Builder::new()
            .with_algorithm(totp_rs::Algorithm::Steam).with_digits(5)
            .with_secret(key.as_slice()).build_noncompliant();
        prop_assert_eq!(otp.code_at(unix), reference.generate(unix).to_string());
    }

    #[test]
    fn seconds_left_counts_down_to_the_next_step(unix in 0u64..(1 << 40), period in 1u64..3600) {
        let left = seconds_left(unix, period);
        prop_assert!((1..=period).contains(&left));
        prop_assert_eq!((unix + left) % period, 0);
    }

    #[test]
    fn verify_accepts_neighbours_and_refuses_far_steps(mut otp in any_otp(), period in 1u64..3600, steam in any::<bool>(),
                                                       unix in 1_000_000u64..(1 << 40)) {
        otp.kind = if steam { Kind::Steam } else { Kind::Totp { period } };
        let period = otp.period().unwrap();
        let now = otp.code_at(unix);
        prop_assert_eq!(otp.verify(&now, unix, 0), Some(0));
        let previous = otp.code_at(unix - period);
        if previous != now {
            prop_assert_eq!(otp.verify(&previous, unix, 1), Some(-1));
            let far = otp.code_at(unix - 3 * period);
            if far != now && far != previous && far != otp.code_at(unix + period) {
                prop_assert_eq!(otp.verify(&far, unix, 1), None);
            }
        }
    }

    #[test]
    fn parse_never_panics(input in ".{0,200}") {
        let _ = Otp::parse(&input);
    }

    #[test]
    fn uri_parse_never_panics(tail in "[a-zA-Z0-9%&=?:/+ ._-]{0,120}") {
        let _ = Otp::parse(&format!("otpauth://{tail}"));
    }
}

#[test]
fn a_code_about_to_expire_is_not_filled_the_next_one_is() {
    let at = |s: u64, ms: u64| 1_700_000_010_000 + s * 1000 + ms; // a period starts at ...010 s
    assert_eq!(fill_delay_ms(at(0, 0), 30), 0);
    assert_eq!(fill_delay_ms(at(24, 999), 30), 0, "5.001 s left: fill now");
    assert_eq!(fill_delay_ms(at(25, 0), 30), 0, "exactly 5 s left: fill now");
    assert_eq!(fill_delay_ms(at(25, 1), 30), 4_999, "under 5 s: wait for the next code");
    assert_eq!(fill_delay_ms(at(29, 999), 30), 1);
    // A 60 s period keeps the same 5 s margin; a short one keeps a sixth of it.
    assert_eq!(fill_delay_ms(1_699_999_980_000 + 56_000, 60), 4_000);
    assert_eq!(fill_delay_ms(1_699_999_980_000 + 54_000, 60), 0);
    assert_eq!(
        fill_delay_ms(1_700_000_010_000 + 8_500, 10),
        1_500,
        "under 10/6 s left of 10 s"
    );
    assert_eq!(fill_delay_ms(1_700_000_010_000 + 8_000, 10), 0);
    assert_eq!(FILL_MARGIN_MS, 5_000);
}

proptest! {
    #[test]
    fn waiting_always_lands_on_a_fresh_code(now in 0u64..(1 << 44), period in 1u64..=300) {
        let wait = fill_delay_ms(now, period);
        let left = period * 1000 - now % (period * 1000);
        prop_assert!(wait == 0 || wait == left, "waits until the code changes, never longer");
        prop_assert!(wait < FILL_MARGIN_MS);
        // What gets filled then has at least the margin (or a sixth of the period) left.
        let filled_at = now + wait;
        let life = period * 1000 - filled_at % (period * 1000);
        prop_assert!(life >= FILL_MARGIN_MS.min(period * 1000 / 6));
    }
}
