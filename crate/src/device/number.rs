//! Number matching for approvals: the server draws a 3-digit number when a new device asks for
//! approval and shows it only to that device; the person approving types it on the trusted device.
//! A request they did not start shows them no number, so a push they approve out of habit, or
//! because a page told them to, fails. Typed, not picked: picking one of three numbers would pass a
//! third of the time by chance, typing passes 1 time in 900.

use crate::crypto::random;

/// The smallest and largest number drawn: always three digits, so there is no leading zero to lose.
pub const MATCH_NUMBER_MIN: u16 = 100;
pub const MATCH_NUMBER_MAX: u16 = 999;

/// A uniformly random number from 100 to 999. Rejection sampling: 2^16 is not a multiple of 900.
pub fn new_match_number() -> u16 {
    const RANGE: u32 = (MATCH_NUMBER_MAX - MATCH_NUMBER_MIN + 1) as u32;
    const LIMIT: u32 = 65_536 - (65_536 % RANGE);
    loop {
        let v = u32::from(u16::from_le_bytes(random::bytes()));
        if v < LIMIT {
            return MATCH_NUMBER_MIN + (v % RANGE) as u16;
        }
    }
}

/// The number a person typed: three digits, spaces around them ignored; anything else is `None`.
pub fn parse_match_number(typed: &str) -> Option<u16> {
    let t = typed.trim();
    if t.len() != 3 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse()
        .ok()
        .filter(|n| (MATCH_NUMBER_MIN..=MATCH_NUMBER_MAX).contains(n))
}

/// Whether the typed number is the drawn one, in constant time (timing says nothing of digits).
pub fn match_number_eq(drawn: u16, typed: u16) -> bool {
    bool::from(subtle::ConstantTimeEq::ct_eq(
        &drawn.to_be_bytes()[..],
        &typed.to_be_bytes()[..],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_three_digits_and_all_appear() {
        let mut seen = [false; 1000];
        for _ in 0..50_000 {
            let n = new_match_number();
            assert!((100..=999).contains(&n), "{n}");
            seen[n as usize] = true;
        }
        // 50 000 draws over 900 values: each is missed with probability about e^-55.
        assert!(seen[100..=999].iter().all(|&s| s));
    }

    #[test]
    fn typed_numbers_parse_strictly_and_compare() {
        assert_eq!(parse_match_number(" 472 "), Some(472));
        for bad in ["", "47", "4722", "0472", "47a", "099", "-12", "４７２"] {
            assert_eq!(parse_match_number(bad), None, "{bad:?}");
        }
        assert!(match_number_eq(472, 472));
        assert!(!match_number_eq(472, 473));
    }
}
