//! The API's error codes are a contract with three copies: the server's `ErrorCode`, the table in
//! docs/api.md, and the extension's (the codes its API client knows, the ones after which it wipes
//! the device, and every code it compares against). This holds all of them to `ErrorCode::ALL`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use latchkey::serve::api::error::ErrorCode;

/// Codes the extension makes up itself (no server sends them).
const CLIENT_ONLY: &[&str] = &["network", "bad_reply"];
/// Wipe reasons of the extension's own (after too many wrong PINs), not API codes.
const LOCAL_REASONS: &[&str] = &["pin_attempts"];

fn repo_file(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn server_codes() -> BTreeMap<&'static str, u16> {
    ErrorCode::ALL
        .iter()
        .map(|c| (c.as_str(), c.status().as_u16()))
        .collect()
}

/// The quoted strings ('…') in `text`.
fn quoted(text: &str) -> BTreeSet<String> {
    text.split('\'').skip(1).step_by(2).map(str::to_string).collect()
}

/// The text from `start` to the first `end` after it.
fn section<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} is not there any more: update this test"));
    let rest = &text[from..];
    &rest[..rest.find(end).unwrap_or_else(|| panic!("no {end:?} after {start:?}"))]
}

#[test]
fn every_code_is_distinct_and_has_one_status() {
    let codes = server_codes();
    assert_eq!(codes.len(), ErrorCode::ALL.len(), "a code text is used twice");
    for code in ErrorCode::ALL {
        assert!(
            code.as_str().bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{code}"
        );
        assert!(
            code.status().is_client_error() || code.status().is_server_error(),
            "{code}"
        );
    }
}

#[test]
fn docs_api_md_lists_exactly_these_codes_with_their_statuses() {
    let docs = repo_file("docs/api.md");
    let table = section(&docs, "| code | status | meaning |", "\n\n");
    let mut documented = BTreeMap::new();
    for row in table.lines().skip(2) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let status: u16 = cells[2].parse().unwrap_or_else(|_| panic!("no status in {row:?}"));
        for code in cells[1].split('`').skip(1).step_by(2) {
            assert!(documented.insert(code, status).is_none(), "{code} is listed twice");
        }
    }
    assert_eq!(
        documented,
        server_codes(),
        "docs/api.md's error table and ErrorCode disagree"
    );
}

#[test]
fn the_extension_knows_exactly_these_codes() {
    let api = repo_file("extension/background/workspace/api.js");
    let mut known = quoted(section(&api, "export const CODES", "]);"));
    for own in CLIENT_ONLY {
        assert!(
            known.remove(*own),
            "the extension no longer has its own code {own}: update CLIENT_ONLY"
        );
    }
    let server: BTreeSet<String> = server_codes().keys().map(|c| c.to_string()).collect();
    assert_eq!(
        known, server,
        "extension/background/workspace/api.js CODES and ErrorCode disagree"
    );

    let wipes = quoted(section(&api, "export const WIPE_CODES", ";\n"));
    let server_wipes: BTreeSet<String> = ErrorCode::ALL
        .iter()
        .filter(|c| c.wipes_device())
        .map(|c| c.as_str().to_string())
        .collect();
    assert_eq!(
        wipes, server_wipes,
        "the codes after which the extension wipes the device"
    );
}

#[test]
fn every_code_the_extension_compares_against_is_one_the_server_sends() {
    let server = server_codes();
    let allowed = |code: &str| server.contains_key(code) || CLIENT_ONLY.contains(&code);
    let mut compared = 0;
    for file in js_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../extension")) {
        let text = std::fs::read_to_string(&file).unwrap();
        // `e.code === 'device_denied'`: an error's code (not `typeof code === 'string'`).
        for (i, _) in text.match_indices(".code === '") {
            let before = &text[..i];
            let word = before
                .rfind(|c: char| c.is_whitespace() || c == '(')
                .map_or(0, |p| p + 1);
            if before[..word].trim_end().ends_with("typeof") {
                continue;
            }
            let code = text[i + 11..].split('\'').next().unwrap();
            assert!(
                allowed(code),
                "{} compares against {code:?}, which no server sends",
                file.display()
            );
            compared += 1;
        }
    }
    assert!(
        compared > 5,
        "the scan found almost nothing: has the extension changed shape?"
    );

    // The reasons the extension explains after wiping a device (API codes, and its own).
    let wipe = repo_file("extension/background/workspace/wipe.js");
    let why = section(&wipe, "const WHY", "\n};");
    let reasons: Vec<&str> = why
        .lines()
        .filter_map(|l| l.trim_start().split_once(':').map(|(k, _)| k))
        .filter(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        .collect();
    assert!(reasons.contains(&"device_disabled") && reasons.contains(&"user_deprovisioned"));
    for reason in reasons {
        assert!(
            allowed(reason) || LOCAL_REASONS.contains(&reason),
            "wipe.js explains {reason:?}, which is neither an API code nor one of its own"
        );
    }
}

/// The extension's own JavaScript (not the generated wasm bindings).
fn js_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() && path.file_name().is_some_and(|n| n != "pkg") {
            out.extend(js_files(&path));
        } else if path.extension().is_some_and(|e| e == "js") {
            out.push(path);
        }
    }
    out
}
