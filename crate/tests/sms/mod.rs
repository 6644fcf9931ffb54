//! The SMS corpora as data, and how well `sms::extract` reads them: shared by `tests/sms_extract.rs`
//! and `benches/sms.rs`.
#![allow(dead_code)]

use latchkey_core::sms::extract;
use serde_json::Value;

pub const DEV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/fixtures/sms/dev.jsonl"
));
pub const MORE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sms_more.jsonl"));

/// One message: its text and the code a person would type, if any.
pub struct Case {
    pub line: usize,
    pub text: String,
    pub code: Option<String>,
    pub category: String,
}

pub fn cases(jsonl: &str) -> Vec<Case> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("line {}: {e}", i + 1));
            Case {
                line: i + 1,
                text: v["text"].as_str().expect("text").to_string(),
                code: v["code"].as_str().map(str::to_string),
                category: v["category"].as_str().unwrap_or_default().to_string(),
            }
        })
        .collect()
}

/// Exact matches, messages, codes given for messages without one, and a line per miss.
pub struct Report {
    pub exact: usize,
    pub total: usize,
    pub negatives: usize,
    pub invented: usize,
    pub misses: Vec<String>,
}

impl Report {
    pub fn accuracy(&self) -> f64 {
        self.exact as f64 / self.total.max(1) as f64
    }
}

pub fn evaluate(cases: &[Case]) -> Report {
    let mut r = Report {
        exact: 0,
        total: cases.len(),
        negatives: 0,
        invented: 0,
        misses: Vec::new(),
    };
    for c in cases {
        let got = extract(&c.text).map(|s| s.code);
        if c.code.is_none() {
            r.negatives += 1;
            if got.is_some() {
                r.invented += 1;
            }
        }
        if got == c.code {
            r.exact += 1;
        } else {
            r.misses.push(format!(
                "line {} ({}): expected {:?}, got {:?}: {:?}; scores {:?}",
                c.line,
                c.category,
                c.code,
                got,
                c.text,
                latchkey_core::sms::explain(&c.text)
            ));
        }
    }
    r
}
