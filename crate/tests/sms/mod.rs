//! The SMS corpora as data, and how well `sms::extract` reads them: shared by `tests/sms_extract.rs`
//! and `benches/sms.rs`.
//!
//! `tests/data/sms_world.jsonl` (the world corpus) is split, by a hash of each message's `id` fixed before
//! any tuning, into a tuning part and a held-back part ([`held_back`]). The held-back part is scored,
//! but its misses are printed only with `LATCHKEY_SHOW_HELD=1`, so nobody tunes on them by accident.
#![allow(dead_code)]

use latchkey_core::sms::extract;
use serde_json::Value;

/// The shared development corpus (`../shared/fixtures/sms/dev.jsonl`), copied here so the core's
/// tests build from this repository alone.
pub const DEV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sms_dev.jsonl"));
pub const MORE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sms_more.jsonl"));
pub const WORLD: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sms_world.jsonl"));

/// One message: its text and the code a person would type, if any.
pub struct Case {
    pub line: usize,
    pub id: String,
    pub text: String,
    pub code: Option<String>,
    pub category: String,
    pub lang: String,
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
                id: v["id"].as_str().unwrap_or_default().to_string(),
                text: v["text"].as_str().expect("text").to_string(),
                code: v["code"].as_str().map(str::to_string),
                category: v["category"].as_str().unwrap_or_default().to_string(),
                lang: v["lang"].as_str().unwrap_or_default().to_string(),
            }
        })
        .collect()
}

/// FNV-1a, 32 bits: the split must not change with the Rust version or the platform.
fn fnv1a(s: &str) -> u32 {
    s.bytes()
        .fold(0x811c_9dc5, |h: u32, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// The held-back third of the world corpus: decided by the id alone, before any tuning.
/// (`tests/bench/detect-score.mjs` splits the pages by the same rule.)
pub fn held_back(id: &str) -> bool {
    !id.is_empty() && fnv1a(id).is_multiple_of(3)
}

/// The tuning and the held-back parts of `cases`.
pub fn split(cases: Vec<Case>) -> (Vec<Case>, Vec<Case>) {
    cases.into_iter().partition(|c| !held_back(&c.id))
}

/// Whether held-back misses may be shown (only once tuning is over).
pub fn show_held() -> bool {
    std::env::var("LATCHKEY_SHOW_HELD").is_ok_and(|v| v == "1")
}

/// Exact matches, messages, codes given for messages without one, and a line per miss.
pub struct Report {
    pub exact: usize,
    pub total: usize,
    pub negatives: usize,
    pub invented: usize,
    pub misses: Vec<String>,
    /// Per language: (exact, total, invented).
    pub per_lang: Vec<(String, usize, usize, usize)>,
}

impl Report {
    pub fn accuracy(&self) -> f64 {
        self.exact as f64 / self.total.max(1) as f64
    }
}

/// The code as compared: a code's case is kept, as the field gets it.
pub fn evaluate(cases: &[Case]) -> Report {
    let mut r = Report {
        exact: 0,
        total: cases.len(),
        negatives: 0,
        invented: 0,
        misses: Vec::new(),
        per_lang: Vec::new(),
    };
    for c in cases {
        let got = extract(&c.text).map(|s| s.code);
        let lang = match r.per_lang.iter().position(|(l, ..)| *l == c.lang) {
            Some(i) => i,
            None => {
                r.per_lang.push((c.lang.clone(), 0, 0, 0));
                r.per_lang.len() - 1
            }
        };
        r.per_lang[lang].2 += 1;
        if c.code.is_none() {
            r.negatives += 1;
            if got.is_some() {
                r.invented += 1;
                r.per_lang[lang].3 += 1;
            }
        }
        if got == c.code {
            r.exact += 1;
            r.per_lang[lang].1 += 1;
        } else {
            r.misses.push(format!(
                "line {} {} ({}, {}): expected {:?}, got {:?}: {:?}; scores {:?}",
                c.line,
                c.id,
                c.lang,
                c.category,
                c.code,
                got,
                c.text,
                latchkey_core::sms::explain(&c.text)
            ));
        }
    }
    r.per_lang.sort_by(|a, b| a.0.cmp(&b.0));
    r
}
