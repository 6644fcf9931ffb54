//! The one JSON shape the vault reads from the network: a flat object whose values are strings or
//! whole numbers (a stored item's text, `SealedItem::to_text`). Strict on purpose, as the bytes are
//! hostile: no nesting, no duplicate or unknown keys (the caller lists the keys it knows), numbers
//! whole and at most 2^53 - 1 (what JavaScript writes exactly), nothing after the object. Written
//! by hand rather than with serde_json, which would add its parser to the always-loaded wasm.

use super::VaultError;

/// A value of the flat object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Text(String),
    Whole(u64),
}

/// The largest whole number JavaScript represents exactly.
const MAX_WHOLE: u64 = (1 << 53) - 1;

/// Writes `{"key":value,...}` in the order given, escaping as `JSON.stringify` and serde_json do
/// (so a text written by either reads back byte for byte the same).
pub(crate) fn write(fields: &[(&str, Value)]) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_text(&mut out, key);
        out.push(':');
        match value {
            Value::Text(t) => write_text(&mut out, t),
            Value::Whole(n) => out.push_str(&n.to_string()),
        }
    }
    out.push('}');
    out
}

fn write_text(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Reads a flat object holding exactly `keys` (in any order), returning their values in the order
/// of `keys`. `what` names the object in errors.
pub(crate) fn read(text: &str, keys: &[&str], what: &'static str) -> Result<Vec<Value>, VaultError> {
    let bad = || VaultError::Malformed(what);
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    let mut values: Vec<Option<Value>> = vec![None; keys.len()];
    p.expect(b'{').ok_or_else(bad)?;
    if !p.eat(b'}') {
        loop {
            let key = p.text().ok_or_else(bad)?;
            let slot = keys.iter().position(|k| *k == key).ok_or_else(bad)?;
            p.expect(b':').ok_or_else(bad)?;
            let value = p.value().ok_or_else(bad)?;
            if values[slot].replace(value).is_some() {
                return Err(bad()); // a key twice: which one would count?
            }
            if p.eat(b'}') {
                break;
            }
            p.expect(b',').ok_or_else(bad)?;
        }
    }
    p.skip_space();
    if p.i != p.s.len() {
        return Err(bad());
    }
    values.into_iter().map(|v| v.ok_or_else(bad)).collect()
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while matches!(self.s.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// Skips space, then takes `c` if it is next.
    fn eat(&mut self, c: u8) -> bool {
        self.skip_space();
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        self.eat(c).then_some(())
    }

    fn value(&mut self) -> Option<Value> {
        self.skip_space();
        match self.s.get(self.i)? {
            b'"' => self.text().map(Value::Text),
            b'0'..=b'9' => self.whole().map(Value::Whole),
            _ => None,
        }
    }

    fn whole(&mut self) -> Option<u64> {
        let start = self.i;
        while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        let digits = &self.s[start..self.i];
        // No leading zeros, no fraction or exponent: one spelling per number.
        if (digits.len() > 1 && digits[0] == b'0') || matches!(self.s.get(self.i), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        let n = digits
            .iter()
            .try_fold(0u64, |n, d| n.checked_mul(10)?.checked_add(u64::from(d - b'0')))?;
        (n <= MAX_WHOLE).then_some(n)
    }

    /// A JSON string, escapes decoded; raw control characters and lone surrogates are refused.
    fn text(&mut self) -> Option<String> {
        self.skip_space();
        if self.s.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        let mut out = Vec::new();
        loop {
            let c = *self.s.get(self.i)?;
            self.i += 1;
            match c {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = *self.s.get(self.i)?;
                    self.i += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.escaped_char()?,
                        _ => return None,
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => return None,
                _ => out.push(c),
            }
        }
    }

    /// After `\u`: four hex digits, and for a high surrogate the `\uXXXX` of its low half.
    fn escaped_char(&mut self) -> Option<char> {
        let first = self.hex4()?;
        let code = match first {
            0xd800..=0xdbff => {
                if self.s.get(self.i..self.i + 2)? != b"\\u" {
                    return None;
                }
                self.i += 2;
                let low = self.hex4()?;
                if !(0xdc00..=0xdfff).contains(&low) {
                    return None;
                }
                0x10000 + ((first - 0xd800) << 10) + (low - 0xdc00)
            }
            0xdc00..=0xdfff => return None,
            _ => first,
        };
        char::from_u32(code)
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.s.get(self.i..self.i + 4)?;
        self.i += 4;
        digits
            .iter()
            .try_fold(0u32, |n, &d| Some(n * 16 + char::from(d).to_digit(16)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: &[&str] = &["a", "n"];

    #[test]
    fn round_trips_what_it_writes() {
        for t in [
            "",
            "plain",
            "quote \" and \\ back",
            "lines\n\r\t",
            "\u{1}\u{1f}",
            "é ✓ 𝄞",
            "</script>",
        ] {
            let text = write(&[("a", Value::Text(t.into())), ("n", Value::Whole(MAX_WHOLE))]);
            assert_eq!(
                read(&text, KEYS, "x").unwrap(),
                vec![Value::Text(t.into()), Value::Whole(MAX_WHOLE)],
                "{text}"
            );
        }
    }

    #[test]
    fn reads_what_other_json_writers_write() {
        let v = read(" {\n \"n\" : 7 ,\"a\":\"\\u00e9\\/\\ud834\\udd1e\"} ", KEYS, "x").unwrap();
        assert_eq!(v, vec![Value::Text("é/𝄞".into()), Value::Whole(7)]);
    }

    #[test]
    fn refuses_everything_else() {
        for bad in [
            "",
            "[]",
            "{\"a\":\"x\"}",                        // a key missing
            "{\"a\":\"x\",\"n\":1,\"z\":2}",        // an unknown key
            "{\"a\":\"x\",\"a\":\"y\",\"n\":1}",    // a key twice
            "{\"a\":\"x\",\"n\":1}x",               // something after
            "{\"a\":\"x\",\"n\":1,}",               // a trailing comma
            "{\"a\":\"x\",\"n\":01}",               // a leading zero
            "{\"a\":\"x\",\"n\":1.0}",              // a fraction
            "{\"a\":\"x\",\"n\":1e3}",              // an exponent
            "{\"a\":\"x\",\"n\":-1}",               // negative
            "{\"a\":\"x\",\"n\":9007199254740992}", // past 2^53 - 1
            "{\"a\":\"x\",\"n\":99999999999999999999999}",
            "{\"a\":\"x\ny\",\"n\":1}",    // a raw control character
            "{\"a\":\"\\ud834\",\"n\":1}", // a lone high surrogate
            "{\"a\":\"\\udd1e\",\"n\":1}", // a lone low surrogate
            "{\"a\":\"\\x41\",\"n\":1}",   // an unknown escape
            "{\"a\":\"\\u12\",\"n\":1}",   // a short escape
            "{\"a\":\"x\",\"n\":null}",
            "{\"a\":{\"b\":1},\"n\":1}", // nesting
            "{\"a\":\"unterminated,\"n\":1}",
        ] {
            assert_eq!(read(bad, KEYS, "x"), Err(VaultError::Malformed("x")), "{bad}");
        }
    }
}
