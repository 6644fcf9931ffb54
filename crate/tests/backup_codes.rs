//! Backup codes beside a QR code: the detector on a corpus of page layouts written from how
//! GitHub, Google, Microsoft, AWS and Dropbox-like pages look (tests/data/backup-codes/*.json,
//! each with the blocks the extension reads and the codes expected, or none), and property tests
//! that no input makes it panic.

use std::fs;
use std::path::Path;

use latchkey_core::backup_codes::{self, Block};
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    about: String,
    #[serde(default)]
    secret: Option<String>,
    expect: Option<Vec<String>>,
    blocks: Vec<Block>,
}

#[test]
fn corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/backup-codes");
    let mut read = 0;
    let (mut positives, mut negatives) = (0, 0);
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let case: Case = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let found = backup_codes::find(&case.blocks, case.secret.as_deref()).map(|f| f.codes);
        assert_eq!(found, case.expect, "{}: {}", path.display(), case.about);
        if case.expect.is_some() {
            positives += 1;
        } else {
            negatives += 1;
        }
        read += 1;
    }
    assert!(
        read >= 10 && positives >= 5 && negatives >= 5,
        "the corpus is all there"
    );
}

#[test]
fn a_list_without_the_key_is_found_with_it_given() {
    let b = Block {
        context: "Backup codes".into(),
        items: vec![
            "1234 5678".into(),
            "2345 6789".into(),
            "3456 7890".into(),
            "4567 8901".into(),
        ],
    };
    assert!(backup_codes::find(&[b], Some("JBSWY3DPEHPK3PXP")).is_some());
}

proptest! {
    #[test]
    fn never_panics(items in proptest::collection::vec(".{0,40}", 0..30), context in ".{0,80}", secret in proptest::option::of(".{0,40}")) {
        let b = Block { items, context };
        let _ = backup_codes::find(&[b], secret.as_deref());
    }

    #[test]
    fn code_like_lists_never_panic(items in proptest::collection::vec("[0-9a-zA-Z -]{0,30}", 0..30)) {
        let b = Block { items, context: "backup codes".into() };
        let _ = backup_codes::find(&[b], None);
    }
}
