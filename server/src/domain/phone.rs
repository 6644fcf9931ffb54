//! Phone numbers in E.164 form (`+` and up to 15 digits), the one shape the server stores and compares.

use std::fmt;

/// A syntactically valid E.164 number: `+`, a non-zero first digit, 8 to 15 digits in all.
/// (Numbering plans are not checked: the carrier has already routed the message.)
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct E164(String);

impl E164 {
    /// `None` unless `text` is exactly `+` followed by 8–15 ASCII digits, the first not 0.
    pub fn parse(text: &str) -> Option<E164> {
        let digits = text.strip_prefix('+')?;
        let ok =
            (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0');
        ok.then(|| E164(text.to_string()))
    }

    /// A North American number (+1 and ten digits), the only kind managed numbers are.
    pub fn is_us(&self) -> bool {
        self.0.len() == 12 && self.0.starts_with("+1")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::E164;

    #[test]
    fn accepts_e164_only() {
        for good in ["+14155550100", "+442071838750", "+12345678"] {
            assert!(E164::parse(good).is_some(), "{good}");
        }
        let too_long = format!("+1{}", "2".repeat(15));
        for bad in [
            "14155550100",
            "+0155550100",
            "+1415555010a",
            "+",
            "+1234567",
            &too_long,
            " +14155550100",
            "+1 415 555 0100",
            "+١٤١٥٥٥٥٠١٠٠",
        ] {
            assert!(E164::parse(bad).is_none(), "{bad}");
        }
        assert!(E164::parse("+14155550100").unwrap().is_us());
        assert!(!E164::parse("+442071838750").unwrap().is_us());
    }
}
