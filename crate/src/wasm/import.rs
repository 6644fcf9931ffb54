//! The on-demand import module (feature `wasm-import`, `extension/pkg/latchkey_import*`): QR codes
//! in a picture (`qrScan`) and authenticator exports (`importRead`), both turned into entries with
//! what the preview shows. Loaded by the worker when a person scans or imports, never at start.
//!
//! Each entry's `uri` is its key as a canonical `otpauth://` link: the worker keeps it to seal
//! into the vault on confirm and strips it from everything it sends to a page (the preview has
//! issuer, account, parameters and the current code only).

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{js_err, to_js, unix_seconds};
use crate::backup_codes::{self, Block};
use crate::import::{self, Entry, Existing, Migration, Verdict};
use crate::otp::{Kind, Otp};
use crate::qr;

#[wasm_bindgen(typescript_custom_section)]
const TS_IMPORT: &'static str = r#"
/** One entry of an import or a scanned QR code, as the preview shows it. `uri` holds the key: the worker keeps it. */
export interface ImportEntry {
  label: string;
  issuer: string | null;
  account: string | null;
  url: string | null;
  kind: "totp" | "hotp" | "steam" | null;
  algorithm: string | null;
  digits: number | null;
  period: number | null;
  counter: number | null;
  code: string | null;
  uri: string | null;
  error: string | null;
  verdict: "new" | "mfaOf" | "replacesMfa" | "duplicate" | "unreadable";
  id?: string;
  of?: number;
}
export interface ImportRead {
  format: "google" | "aegis" | "2fas" | "andotp" | "bitwarden" | "uris";
  batches: { index: number; size: number; id: number }[];
  entries: ImportEntry[];
}
/** One list-like block of a page: its pieces' text and the words around it. */
export interface PageBlock {
  items: string[];
  context: string;
}
export interface QrFound {
  corners: [number, number][];
  error: string | null;
  batches: { index: number; size: number; id: number }[];
  entries: ImportEntry[];
}
"#;

#[derive(Serialize)]
struct EntryView {
    label: String,
    issuer: Option<String>,
    account: Option<String>,
    url: Option<String>,
    kind: Option<&'static str>,
    algorithm: Option<&'static str>,
    digits: Option<u32>,
    period: Option<u64>,
    counter: Option<u64>,
    code: Option<String>,
    uri: Option<String>,
    error: Option<String>,
    #[serde(flatten)]
    verdict: Verdict,
}

fn view(entry: &Entry, verdict: Verdict, now: u64) -> EntryView {
    let otp: Option<&Otp> = entry.otp.as_ref().ok();
    EntryView {
        label: entry.label.clone(),
        issuer: otp.and_then(|o| o.issuer.clone()),
        account: otp.and_then(|o| o.account.clone()),
        url: entry.url.clone(),
        kind: otp.map(|o| match o.kind {
            Kind::Totp { .. } => "totp",
            Kind::Hotp { .. } => "hotp",
            Kind::Steam => "steam",
        }),
        algorithm: otp.map(|o| o.algorithm.name()),
        digits: otp.map(|o| o.digits),
        period: otp.and_then(Otp::period),
        counter: otp.and_then(|o| match o.kind {
            Kind::Hotp { counter } => Some(counter),
            _ => None,
        }),
        code: otp.map(|o| o.code_at(now)),
        uri: otp.map(Otp::to_uri),
        error: match &entry.otp {
            Err(e) => Some(e.to_string()),
            Ok(o) => import::importable(o).err().map(|e| e.to_string()),
        },
        verdict,
    }
}

fn views(entries: &[Entry], existing: &[Existing], now: u64) -> Vec<EntryView> {
    import::plan(entries, existing)
        .into_iter()
        .map(|p| view(&entries[p.index], p.verdict, now))
        .collect()
}

fn existing_of(existing: JsValue) -> Result<Vec<Existing>, JsError> {
    if existing.is_undefined() || existing.is_null() {
        return Ok(Vec::new());
    }
    serde_wasm_bindgen::from_value(existing)
        .map_err(|e| JsError::new(&format!("the existing accounts are not a list: {e}")))
}

/// Reads an export file's bytes (the password opens encrypted ones) into entries for the
/// preview, each matched against the workspace's `existing` accounts ({id, name, username,
/// sites, hasTotp}) at Unix time `now` (seconds).
#[wasm_bindgen(js_name = importRead, unchecked_return_type = "ImportRead")]
pub fn import_read(bytes: &[u8], password: Option<String>, existing: JsValue, now: f64) -> Result<JsValue, JsError> {
    let now = unix_seconds(now)?;
    let existing = existing_of(existing)?;
    let imported = import::read(bytes, password.as_deref()).map_err(js_err)?;
    #[derive(Serialize)]
    struct Out {
        format: import::Format,
        batches: Vec<Migration>,
        entries: Vec<EntryView>,
    }
    to_js(&Out {
        format: imported.format,
        batches: imported.batches,
        entries: views(&imported.entries, &existing, now),
    })
}

/// Every QR code in an RGBA picture (a captured tab, an image file), each with its entries (one
/// for an `otpauth://` code, several for a Google export) or the reason it is refused.
#[wasm_bindgen(js_name = qrScan, unchecked_return_type = "QrFound[]")]
pub fn qr_scan(rgba: &[u8], width: u32, height: u32, existing: JsValue, now: f64) -> Result<JsValue, JsError> {
    let now = unix_seconds(now)?;
    let existing = existing_of(existing)?;
    let found = qr::scan_rgba(rgba, width as usize, height as usize).map_err(js_err)?;
    #[derive(Serialize)]
    struct Found {
        corners: [(i32, i32); 4],
        error: Option<String>,
        batches: Vec<Migration>,
        entries: Vec<EntryView>,
    }
    let out: Vec<Found> = found
        .into_iter()
        .map(|f| {
            let (entries, batches, error) = match f.payload {
                Ok(qr::Payload::Otp(otp)) => {
                    let label = match (&otp.issuer, &otp.account) {
                        (Some(i), Some(a)) => format!("{i}: {a}"),
                        (Some(x), None) | (None, Some(x)) => x.clone(),
                        (None, None) => String::new(),
                    };
                    (
                        vec![Entry {
                            label,
                            url: None,
                            otp: Ok(otp),
                        }],
                        Vec::new(),
                        None,
                    )
                }
                Ok(qr::Payload::Migration(imported)) => (imported.entries, imported.batches, None),
                Err(e) => (Vec::new(), Vec::new(), Some(e.to_string())),
            };
            Found {
                corners: f.corners,
                error,
                batches,
                entries: views(&entries, &existing, now),
            }
        })
        .collect();
    to_js(&out)
}

/// The backup codes a page shows beside its QR code (`blocks`: the page's list-like blocks), as
/// they are kept, or null; `secret` is the scanned key (never taken for a code).
#[wasm_bindgen(js_name = backupCodes, unchecked_return_type = "string[] | null")]
pub fn find_backup_codes(
    #[wasm_bindgen(unchecked_param_type = "PageBlock[]")] blocks: JsValue,
    secret: Option<String>,
) -> Result<JsValue, JsError> {
    let blocks: Vec<Block> = serde_wasm_bindgen::from_value(blocks)
        .map_err(|e| JsError::new(&format!("the page's blocks are not a list of blocks: {e}")))?;
    to_js(&backup_codes::find(&blocks, secret.as_deref()).map(|f| f.kept()))
}
