//! Structured logs: one JSON object per line on stderr, so a collector can parse them and a person
//! can still read them. Fields are explicit: nothing logs a request body, a query string, a code,
//! a token or an SMS text (see `docs/api.md`, "What is logged").

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }
}

/// A field value: text is JSON-escaped, numbers are written as they are.
pub enum Value<'a> {
    Str(&'a str),
    Int(i64),
    Bool(bool),
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::Str(s)
    }
}
impl<'a> From<&'a String> for Value<'a> {
    fn from(s: &'a String) -> Self {
        Value::Str(s)
    }
}
impl From<i64> for Value<'_> {
    fn from(n: i64) -> Self {
        Value::Int(n)
    }
}
impl From<u64> for Value<'_> {
    fn from(n: u64) -> Self {
        Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}
impl From<u16> for Value<'_> {
    fn from(n: u16) -> Self {
        Value::Int(i64::from(n))
    }
}
impl From<usize> for Value<'_> {
    fn from(n: usize) -> Self {
        Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}
impl From<bool> for Value<'_> {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

/// Writes one line: `{"ts":…,"level":…,"event":…, fields…}`.
pub fn event(level: Level, event: &str, fields: &[(&str, Value<'_>)]) {
    let line = format_line(now_rfc3339(), level, event, fields);
    // One write per line (eprint! locks stderr), so concurrent lines never interleave; unit tests capture it.
    eprint!("{line}");
}

pub fn info(name: &str, fields: &[(&str, Value<'_>)]) {
    event(Level::Info, name, fields);
}

pub fn warn(name: &str, fields: &[(&str, Value<'_>)]) {
    event(Level::Warn, name, fields);
}

pub fn error(name: &str, fields: &[(&str, Value<'_>)]) {
    event(Level::Error, name, fields);
}

fn format_line(ts: String, level: Level, event: &str, fields: &[(&str, Value<'_>)]) -> String {
    let mut line = String::with_capacity(128);
    line.push_str("{\"ts\":");
    push_json_str(&mut line, &ts);
    line.push_str(",\"level\":");
    push_json_str(&mut line, level.as_str());
    line.push_str(",\"event\":");
    push_json_str(&mut line, event);
    for (key, value) in fields {
        line.push(',');
        push_json_str(&mut line, key);
        line.push(':');
        match value {
            Value::Str(s) => push_json_str(&mut line, s),
            Value::Int(n) => {
                let _ = write!(line, "{n}");
            }
            Value::Bool(b) => line.push_str(if *b { "true" } else { "false" }),
        }
    }
    line.push_str("}\n");
    line
}

fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// UTC time as `2026-11-23T10:52:18.123Z` (no date crate: days to civil date, Howard Hinnant's algorithm).
fn now_rfc3339() -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    rfc3339(now.as_secs() as i64, now.subsec_millis())
}

fn rfc3339(secs: i64, millis: u32) -> String {
    crate::domain::Utc::from_unix(secs).rfc3339_millis(millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil_utc() {
        assert_eq!(rfc3339(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(951_782_400, 5), "2000-02-29T00:00:00.005Z");
        assert_eq!(rfc3339(1_795_430_338, 123), "2026-11-23T10:38:58.123Z");
    }

    #[test]
    fn lines_are_json_with_escaped_text() {
        let line = format_line(
            "t".into(),
            Level::Warn,
            "x",
            &[
                ("path", "/a\"b\n".into()),
                ("status", 200u16.into()),
                ("ok", true.into()),
            ],
        );
        assert_eq!(
            line,
            "{\"ts\":\"t\",\"level\":\"warn\",\"event\":\"x\",\"path\":\"/a\\\"b\\n\",\"status\":200,\"ok\":true}\n"
        );
        let parsed: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(parsed["path"], "/a\"b\n");
        let control = format_line("t".into(), Level::Info, "\u{1b}[31m", &[]);
        assert!(control.contains("\\u001b[31m"), "{control}");
    }
}
