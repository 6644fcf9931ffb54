//! Wycheproof (C2SP/wycheproof, Apache-2.0) through the core's primitives, written once and run
//! natively (`tests/wycheproof.rs`) and in headless Chromium (`tests/wasm_*.rs`), where AES runs
//! on the bitsliced software path instead of AES-NI. Each check returns (cases run, failures).
//!
//! How results are treated:
//! - `valid`: must be accepted (and, for AEAD and HKDF, produce exactly the expected bytes).
//! - `invalid`: must be rejected.
//! - `acceptable`: inputs a strict implementation may refuse (legacy encodings, weak parameters).
//!   Latchkey only verifies what Latchkey produced, so it is strict and must *reject* them. The
//!   files in tests/data/vectors hold none today; the rule is here for when they do.
//! - AES-GCM groups whose IV is not 96 bits are skipped: the core's AEAD takes a `[u8; 12]` nonce,
//!   so those inputs cannot even be expressed (the type rejects them).

#![allow(dead_code)]

use latchkey_core::kat;
use serde_json::Value;

use super::support::{hex, s};

const AES_GCM: &str = include_str!("../data/vectors/wycheproof/aes_gcm_test.aes256_only.json");
const HKDF: &str = include_str!("../data/vectors/wycheproof/hkdf_sha256_test.json");
const ED25519: &str = include_str!("../data/vectors/wycheproof/ed25519_test.json");

fn groups(text: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(text).expect("vector file is JSON");
    v["testGroups"].as_array().expect("testGroups").clone()
}

/// Whether a case must be accepted under the policy above.
fn must_accept(result: &str) -> bool {
    match result {
        "valid" => true,
        "invalid" | "acceptable" => false,
        other => panic!("unknown Wycheproof result {other:?}"),
    }
}

/// Runs every check; returns (cases run, failures).
pub fn run_all() -> (usize, Vec<String>) {
    let mut n = 0;
    let mut failures = Vec::new();
    for check in [aes_gcm, hkdf, ed25519] {
        let (count, mut f) = check();
        n += count;
        failures.append(&mut f);
    }
    (n, failures)
}

pub fn aes_gcm() -> (usize, Vec<String>) {
    let (mut n, mut fails) = (0, Vec::new());
    for g in groups(AES_GCM) {
        if g["ivSize"] != 96 || g["keySize"] != 256 || g["tagSize"] != 128 {
            continue;
        }
        for t in g["tests"].as_array().unwrap() {
            n += 1;
            let id = &t["tcId"];
            let key: [u8; 32] = hex(s(&t["key"])).try_into().unwrap();
            let iv: [u8; 12] = hex(s(&t["iv"])).try_into().unwrap();
            let (aad, msg) = (hex(s(&t["aad"])), hex(s(&t["msg"])));
            let mut sealed = hex(s(&t["ct"]));
            sealed.extend(hex(s(&t["tag"])));
            let opened = kat::aes256gcm_open(&key, &iv, &aad, &sealed);
            if must_accept(s(&t["result"])) {
                if opened.as_deref() != Ok(msg.as_slice()) {
                    fails.push(format!("AES-GCM tcId {id}: valid case not opened: {opened:?}"));
                }
                if kat::aes256gcm_seal(&key, &iv, &aad, &msg) != sealed {
                    fails.push(format!("AES-GCM tcId {id}: encryption differs"));
                }
            } else if opened.is_ok() {
                fails.push(format!("AES-GCM tcId {id}: invalid case accepted ({})", t["comment"]));
            }
        }
    }
    (n, fails)
}

pub fn hkdf() -> (usize, Vec<String>) {
    let (mut n, mut fails) = (0, Vec::new());
    for g in groups(HKDF) {
        for t in g["tests"].as_array().unwrap() {
            n += 1;
            let id = &t["tcId"];
            let mut out = vec![0u8; t["size"].as_u64().unwrap() as usize];
            let got = kat::hkdf_sha256(&hex(s(&t["salt"])), &hex(s(&t["ikm"])), &hex(s(&t["info"])), &mut out);
            if must_accept(s(&t["result"])) {
                if got.is_err() || out != hex(s(&t["okm"])) {
                    fails.push(format!("HKDF tcId {id}: wrong output or refused ({got:?})"));
                }
            } else if got.is_ok() {
                fails.push(format!("HKDF tcId {id}: invalid case accepted ({})", t["comment"]));
            }
        }
    }
    (n, fails)
}

pub fn ed25519() -> (usize, Vec<String>) {
    let (mut n, mut fails) = (0, Vec::new());
    for g in groups(ED25519) {
        let pk: [u8; 32] = match hex(s(&g["publicKey"]["pk"])).try_into() {
            Ok(pk) => pk,
            Err(_) => continue, // no group has a malformed key today; a 32-byte type could not hold one
        };
        for t in g["tests"].as_array().unwrap() {
            n += 1;
            let id = &t["tcId"];
            let got = kat::ed25519_verify(&pk, &hex(s(&t["msg"])), &hex(s(&t["sig"])));
            match (must_accept(s(&t["result"])), got) {
                (true, Err(e)) => fails.push(format!("Ed25519 tcId {id}: valid signature refused: {e}")),
                (false, Ok(())) => fails.push(format!(
                    "Ed25519 tcId {id}: {} case accepted ({}; flags {})",
                    s(&t["result"]),
                    t["comment"],
                    t["flags"]
                )),
                _ => {}
            }
        }
    }
    (n, fails)
}
