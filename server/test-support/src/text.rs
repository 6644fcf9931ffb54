//! Looking for a secret in text or JSON without tripping on chance: a random 3- or 6-digit number
//! turns up inside timestamps, addresses and other numbers often enough to fail a suite now and
//! then, so a secret counts as present only where it stands on its own.

use serde_json::Value;

/// Whether `word` occurs in `text` on its own: not glued to an ASCII letter or digit, nor to a
/// number through `.`, `:`, `-`, `,` or `/` (a time, an address, a date, a phone number).
/// `code=482913`, `"482913"` and `is 482913.` hold 482913; `11:53:40.482913Z`, `1482913` and
/// `127.0.0.1` (for 127) do not.
pub fn contains_word(text: &str, word: &str) -> bool {
    assert!(!word.is_empty());
    let joiner = |c: char| ".:-,/".contains(c);
    let glued = |mut side: std::iter::Peekable<Box<dyn Iterator<Item = char> + '_>>| match side.next() {
        Some(c) if c.is_ascii_alphanumeric() => true,
        Some(c) if joiner(c) => side.peek().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    };
    text.match_indices(word).any(|(at, _)| {
        let before: Box<dyn Iterator<Item = char>> = Box::new(text[..at].chars().rev());
        let after: Box<dyn Iterator<Item = char>> = Box::new(text[at + word.len()..].chars());
        !glued(before.peekable()) && !glued(after.peekable())
    })
}

/// Whether any value inside `json` (at any depth, keys aside) is `needle` as a number or holds it
/// as a word of a string.
pub fn json_holds(json: &Value, needle: &str) -> bool {
    match json {
        Value::Number(n) => n.to_string() == needle,
        Value::String(s) => contains_word(s, needle),
        Value::Array(items) => items.iter().any(|v| json_holds(v, needle)),
        Value::Object(map) => map.values().any(|v| json_holds(v, needle)),
        Value::Bool(_) | Value::Null => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_secret_counts_only_on_its_own() {
        for held in ["482913", "code=482913", "\"482913\"", "is 482913.", "x 482913\n"] {
            assert!(contains_word(held, "482913"), "{held}");
        }
        for chance in [
            "11:53:40.482913Z",
            "1482913",
            "4829130",
            "ab482913",
            "555-482913",
            "482913/2",
        ] {
            assert!(!contains_word(chance, "482913"), "{chance}");
        }
        assert!(contains_word("code:482913", "482913") && contains_word("code-482913", "482913"));
        assert!(!contains_word("127.0.0.42", "127") && contains_word("it is 127.", "127"));
        assert!(json_holds(&json!({"a": [1, {"n": 176}]}), "176"));
        assert!(json_holds(&json!({"t": "your number 176"}), "176"));
        assert!(!json_holds(
            &json!({"createdAt": 1765020123, "ip": "127.0.0.1", "176": 1}),
            "176"
        ));
    }
}
