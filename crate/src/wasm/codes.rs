//! One-time codes for the popup and autofill: `describe`, `code`, `Keyring`, and the core's version.

use wasm_bindgen::prelude::*;

use super::{js_err, to_js, unix_seconds};
use crate::otp::{Kind, Otp, PreparedOtp};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** What `describe` returns; `uri` is the canonical otpauth:// form (it holds the secret). */
export interface Description {
  kind: "totp" | "hotp" | "steam";
  algorithm: string;
  digits: number;
  period: number | null;
  counter: number | null;
  issuer: string | null;
  account: string | null;
  secretBits: number;
  uri: string;
}
/** What `code` returns. */
export interface Code { code: string; secondsLeft: number | null; period: number | null; }
"#;

/// What the popup shows about an entry; `uri` is the canonical form the extension stores.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Description {
    kind: &'static str,
    algorithm: &'static str,
    digits: u32,
    period: Option<u64>,
    counter: Option<u64>,
    issuer: Option<String>,
    account: Option<String>,
    secret_bits: usize,
    uri: String,
}

fn describe_otp(otp: &Otp) -> Description {
    let (kind, counter) = match otp.kind {
        Kind::Totp { .. } => ("totp", None),
        Kind::Hotp { counter } => ("hotp", Some(counter)),
        Kind::Steam => ("steam", None),
    };
    Description {
        kind,
        algorithm: otp.algorithm.name(),
        digits: otp.digits,
        period: otp.period(),
        counter,
        issuer: otp.issuer.clone(),
        account: otp.account.clone(),
        secret_bits: otp.secret.bits(),
        uri: otp.to_uri(),
    }
}

/// Parses a pasted key, `otpauth://` or `steam://` URI; throws with a sentence saying what is wrong.
#[wasm_bindgen(unchecked_return_type = "Description")]
pub fn describe(input: &str) -> Result<JsValue, JsError> {
    to_js(&describe_otp(&Otp::parse(input).map_err(js_err)?))
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Code {
    code: String,
    seconds_left: Option<u64>,
    period: Option<u64>,
}

/// The current code of one entry at `unix` seconds.
#[wasm_bindgen(unchecked_return_type = "Code")]
pub fn code(input: &str, unix: f64) -> Result<JsValue, JsError> {
    let otp = Otp::parse(input).map_err(js_err)?;
    let now = unix_seconds(unix)?;
    to_js(&Code {
        code: otp.code_at(now),
        seconds_left: otp.seconds_left(now),
        period: otp.period(),
    })
}

/// How many milliseconds to wait before filling a time-based code with this `period` (seconds) at
/// `nowMs` (Unix milliseconds): 0 to fill now, else until the next code (`otp::fill_delay_ms`).
#[wasm_bindgen(js_name = fillDelay)]
pub fn fill_delay(now_ms: f64, period: f64) -> Result<f64, JsError> {
    let now = unix_seconds(now_ms / 1000.0).map(|_| now_ms.floor() as u64)?;
    if !(1.0..=86_400.0).contains(&period) {
        return Err(JsError::new("a code's period is between 1 second and a day"));
    }
    Ok(crate::otp::fill_delay_ms(now, period as u64) as f64)
}

/// Many entries parsed once, for computing all their codes each tick.
#[wasm_bindgen]
#[derive(Default)]
pub struct Keyring {
    entries: Vec<PreparedOtp>,
}

#[wasm_bindgen]
impl Keyring {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Keyring {
        Keyring::default()
    }

    /// Adds an entry and returns its index.
    pub fn add(&mut self, input: &str) -> Result<usize, JsError> {
        self.entries.push(Otp::parse(input).map_err(js_err)?.prepare());
        Ok(self.entries.len() - 1)
    }

    /// Entry `index`'s period in seconds; `undefined` for HOTP (or no such entry).
    pub fn period(&self, index: usize) -> Option<f64> {
        self.entries.get(index)?.period().map(|p| p as f64)
    }

    /// Seconds until entry `index`'s code changes at `unix`; `undefined` for HOTP.
    #[wasm_bindgen(js_name = secondsLeft)]
    pub fn seconds_left(&self, index: usize, unix: f64) -> Result<Option<f64>, JsError> {
        let now = unix_seconds(unix)?;
        Ok(self
            .entries
            .get(index)
            .and_then(|e| e.seconds_left(now))
            .map(|s| s as f64))
    }

    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.entries.len()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Every entry's code at `unix`, one per line in insertion order (`codesText(t).split("\n")`).
    /// One string crosses into JS instead of one per entry: 1.5x faster for 10,000 (./build.sh bench).
    #[wasm_bindgen(js_name = codesText)]
    pub fn codes_text(&self, unix: f64) -> Result<String, JsError> {
        let now = unix_seconds(unix)?;
        let mut text = String::with_capacity(self.entries.len() * 9);
        for (i, entry) in self.entries.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            text.push_str(&entry.code_at(now));
        }
        Ok(text)
    }
}

/// The core's version, shown in the popup's footer.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
