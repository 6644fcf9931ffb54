//! The e-mail corpus as data (`tests/data/mail/*.eml`, `manifest.jsonl`: written by `make.py`), and
//! how well `mail::read_and_extract` reads it: shared by `tests/mail_extract.rs` and `benches/mail.rs`.
#![allow(dead_code)]

use std::path::PathBuf;

use latchkey_core::mail;
use serde_json::Value;

pub struct Case {
    pub file: String,
    pub raw: Vec<u8>,
    pub code: Option<String>,
    pub lang: String,
    pub category: String,
}

pub fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/mail")
}

pub fn cases() -> Vec<Case> {
    let manifest = std::fs::read_to_string(dir().join("manifest.jsonl")).expect("manifest.jsonl");
    manifest
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a JSON line");
            let file = v["file"].as_str().expect("file").to_string();
            Case {
                raw: std::fs::read(dir().join(&file)).unwrap_or_else(|e| panic!("{file}: {e}")),
                file,
                code: v["code"].as_str().map(str::to_string),
                lang: v["lang"].as_str().unwrap_or_default().to_string(),
                category: v["category"].as_str().unwrap_or_default().to_string(),
            }
        })
        .collect()
}

/// Codes compare ignoring case, spaces and dashes.
pub fn same(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    norm(a) == norm(b)
}

pub struct Report {
    pub total: usize,
    pub exact: usize,
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
        total: cases.len(),
        exact: 0,
        negatives: 0,
        invented: 0,
        misses: Vec::new(),
    };
    for c in cases {
        let got = mail::read_and_extract(&c.raw)
            .map_err(|e| e.to_string())
            .map(|(_, found)| found.map(|f| f.code.code));
        if c.code.is_none() {
            r.negatives += 1;
        }
        match (&got, &c.code) {
            (Ok(Some(g)), Some(want)) if same(g, want) => r.exact += 1,
            (Ok(None), None) => r.exact += 1,
            (Ok(Some(_)), None) => {
                r.invented += 1;
                r.misses.push(format!("{}: invented {:?}", c.file, got));
            }
            _ => r.misses.push(format!("{}: want {:?}, got {:?}", c.file, c.code, got)),
        }
    }
    r
}
