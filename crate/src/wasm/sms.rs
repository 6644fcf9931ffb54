//! The SMS code finder for the service worker: `smsCode(text)`.

use wasm_bindgen::prelude::*;

use crate::sms;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** What `smsCode` finds: `start..end` is where the code is written, in UTF-16 units (`text.slice(start, end)`). */
export interface SmsCode {
  code: string;
  kind: "numeric" | "alphanumeric";
  start: number;
  end: number;
  domain: string | null;
}
"#;

#[derive(serde::Serialize)]
struct Found<'a> {
    code: &'a str,
    kind: &'static str,
    start: usize,
    end: usize,
    domain: Option<&'a str>,
}

/// The verification code in an SMS, or `null` when it has none.
#[wasm_bindgen(js_name = smsCode, unchecked_return_type = "SmsCode | null")]
pub fn sms_code(text: &str) -> Result<JsValue, JsError> {
    let Some(found) = sms::extract(text) else {
        return Ok(JsValue::NULL);
    };
    super::to_js(&Found {
        code: &found.code,
        kind: found.kind.as_str(),
        start: found.span_utf16.start,
        end: found.span_utf16.end,
        domain: found.domain.as_deref(),
    })
}
