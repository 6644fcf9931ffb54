//! The on-demand messages module (feature `wasm-messages`, `extension/pkg/latchkey_messages*`):
//! the code in an SMS's text, `smsCode(text)`. Message text only: no key ever reaches this module,
//! and it shares nothing with the core's instance. (MIME parsing and QR decoding belong here too.)

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

/// The verification code in an SMS, or `null` when it has none.
///
/// The object is built field by field with `Reflect` rather than serde's Serialize, which costs
/// more wasm per type.
#[wasm_bindgen(js_name = smsCode, unchecked_return_type = "SmsCode | null")]
pub fn sms_code(text: &str) -> JsValue {
    let Some(found) = sms::extract(text) else {
        return JsValue::NULL;
    };
    let obj = js_sys::Object::new();
    let set = |name: &str, value: JsValue| {
        // Setting a property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&obj, &JsValue::from_str(name), &value);
    };
    set("code", JsValue::from_str(&found.code));
    set("kind", JsValue::from_str(found.kind.as_str()));
    set("start", JsValue::from(found.span_utf16.start as u32));
    set("end", JsValue::from(found.span_utf16.end as u32));
    set(
        "domain",
        found.domain.as_deref().map_or(JsValue::NULL, JsValue::from_str),
    );
    obj.into()
}
