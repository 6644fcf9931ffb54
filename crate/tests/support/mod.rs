//! Small helpers shared by the data-driven test modules (`kat`, `wycheproof`).
#![allow(dead_code)]

use serde_json::Value;

/// Parses an embedded vector file.
pub fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("vector file is JSON")
}

/// Decodes a hex string from a vector file.
pub fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// A string field, or "" when absent.
pub fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// A whole-number field.
pub fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a u64: {v}"))
}
