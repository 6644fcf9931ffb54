//! The on-demand messages module (feature `wasm-messages`, `extension/pkg/latchkey_messages*`):
//! the code in an SMS's text, `smsCode(text)`, and an opened e-mail read for display and its code,
//! `mailRead(raw)`. Message text only: no key ever reaches this module, and it shares nothing with
//! the core's instance. (QR decoding belongs here too.)

use wasm_bindgen::prelude::*;

use crate::{mail, sms};

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

/** What `mailRead` gives for a raw e-mail. HTML is never rendered: `text` is its text. */
export interface MailView {
  /** The From address (not the display name), or null. */
  from: string | null;
  subject: string;
  /** The body as plain text (the text/plain part, else the HTML part turned into text). */
  text: string;
  /** The code, in `subject` or `text` (`in`); `start..end` in UTF-16 units of that field. */
  code: {
    code: string;
    kind: "numeric" | "alphanumeric";
    in: "subject" | "text";
    start: number;
    end: number;
    domain: string | null;
  } | null;
  /** Verification links (http and https only); `start..end` in UTF-16 units of `text`. Opened only on a click. */
  links: { url: string; start: number; end: number }[];
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

/// A raw e-mail (the bytes `openEmail` gives) read for display, with its code and verification
/// links. Throws an `Error` whose message says what to pass instead when the bytes are not a message.
#[wasm_bindgen(js_name = mailRead, unchecked_return_type = "MailView")]
pub fn mail_read(raw: &[u8]) -> Result<JsValue, JsError> {
    let (m, found) = mail::read_and_extract(raw).map_err(|e| JsError::new(&e.to_string()))?;
    let view = object(&[
        ("from", m.from.as_deref().map_or(JsValue::NULL, JsValue::from_str)),
        ("subject", JsValue::from_str(&m.subject)),
        ("text", JsValue::from_str(&m.text)),
    ]);
    let code = found.map_or(JsValue::NULL, |f| {
        object(&[
            ("code", JsValue::from_str(&f.code.code)),
            ("kind", JsValue::from_str(f.code.kind.as_str())),
            ("in", JsValue::from_str(f.field.as_str())),
            ("start", JsValue::from(f.code.span_utf16.start as u32)),
            ("end", JsValue::from(f.code.span_utf16.end as u32)),
            (
                "domain",
                f.code.domain.as_deref().map_or(JsValue::NULL, JsValue::from_str),
            ),
        ])
        .into()
    });
    set(&view, "code", code);
    let links = js_sys::Array::new();
    for l in &m.links {
        links.push(&object(&[
            ("url", JsValue::from_str(&l.url)),
            ("start", JsValue::from(l.span_utf16.start as u32)),
            ("end", JsValue::from(l.span_utf16.end as u32)),
        ]));
    }
    set(&view, "links", links.into());
    Ok(view.into())
}

fn object(fields: &[(&str, JsValue)]) -> js_sys::Object {
    let obj = js_sys::Object::new();
    for (name, value) in fields {
        set(&obj, name, value.clone());
    }
    obj
}

fn set(obj: &js_sys::Object, name: &str, value: JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str(name), &value);
}
