//! The charsets mail-parser does not read without `encoding_rs` (Shift_JIS, ISO-2022-JP, EUC-JP,
//! GB2312/GBK/GB18030, EUC-KR, Big5): the part's bytes are decoded here, natively by `encoding_rs`
//! and in the browser by `TextDecoder`, which implements the same WHATWG Encoding Standard (and
//! ships its tables with the browser rather than in our wasm).

use mail_parser::decoders::charsets::map::charset_decoder;

/// Whether mail-parser left text in `label` undecoded: a multi-byte charset (without `encoding_rs`
/// its decoders only read UTF-8), or one it has no table for that is not UTF-8 or ASCII.
pub(super) fn needs_us(label: &str) -> bool {
    let l = label.trim().to_ascii_lowercase();
    multi_byte(&l)
        || !l.is_empty()
            && charset_decoder(l.as_bytes()).is_none()
            && !matches!(
                l.as_str(),
                "utf-8" | "utf8" | "us-ascii" | "ascii" | "us_ascii" | "ansi_x3.4-1968"
            )
}

/// The CJK multi-byte charsets' labels (WHATWG and IANA names and aliases), lower case.
fn multi_byte(label: &str) -> bool {
    [
        "jis",
        "2022",
        "euc",
        "gb",
        "big5",
        "ks_c",
        "ksc",
        "949",
        "936",
        "932",
        "korean",
        "chinese",
        "iso-ir-58",
        "iso-ir-149",
    ]
    .iter()
    .any(|k| label.contains(k))
}

/// `bytes` in the charset `label` (an IANA or WHATWG label), or `None` for a label neither
/// mail-parser nor the Encoding Standard knows.
pub(super) fn decode(label: &str, bytes: &[u8]) -> Option<String> {
    let label = label.trim().to_ascii_lowercase();
    if !multi_byte(&label) {
        if let Some(known) = charset_decoder(label.as_bytes()) {
            return Some(known(bytes));
        }
    }
    platform(&label, bytes)
}

#[cfg(not(target_arch = "wasm32"))]
fn platform(label: &str, bytes: &[u8]) -> Option<String> {
    let encoding = encoding_rs::Encoding::for_label(label.as_bytes())?;
    Some(encoding.decode_without_bom_handling(bytes).0.into_owned())
}

#[cfg(target_arch = "wasm32")]
fn platform(label: &str, bytes: &[u8]) -> Option<String> {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        type TextDecoder;
        #[wasm_bindgen(constructor, catch)]
        fn new(label: &str) -> Result<TextDecoder, JsValue>;
        #[wasm_bindgen(method, catch)]
        fn decode(this: &TextDecoder, bytes: &[u8]) -> Result<String, JsValue>;
    }
    // A label TextDecoder does not know throws a RangeError: no decoding, as natively.
    TextDecoder::new(label).ok()?.decode(bytes).ok()
}

/// A header value with RFC 2047 encoded words (`=?ISO-2022-JP?B?…?=`) decoded; whitespace between
/// two encoded words is dropped, as the RFC says. A word that cannot be decoded stays as written.
pub(super) fn encoded_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    let mut after_word = false;
    while let Some(at) = rest.find("=?") {
        let (before, from) = rest.split_at(at);
        match word(from) {
            Some((text, len)) => {
                if !(after_word && before.trim().is_empty()) {
                    out.push_str(before);
                }
                out.push_str(&text);
                rest = &from[len..];
                after_word = true;
            }
            None => {
                out.push_str(before);
                out.push_str("=?");
                rest = &from[2..];
                after_word = false;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The encoded word at the start of `s` decoded, and its length.
fn word(s: &str) -> Option<(String, usize)> {
    let inner = &s[2..];
    let (charset_raw, inner) = inner.split_once('?')?;
    let (enc, inner) = inner.split_once('?')?;
    let end = inner.find("?=")?;
    let data = &inner[..end];
    if charset_raw.is_empty() || charset_raw.len() > 40 || data.contains([' ', '\t', '\r', '\n']) {
        return None;
    }
    // RFC 2231 may add a language: `ISO-2022-JP*ja`.
    let charset = charset_raw.split('*').next().unwrap_or(charset_raw);
    let bytes = match enc {
        "B" | "b" => mail_parser::decoders::base64::base64_decode(data.as_bytes())?,
        "Q" | "q" => {
            let spaced = data.replace('_', " ");
            mail_parser::decoders::quoted_printable::quoted_printable_decode(spaced.as_bytes())?
        }
        _ => return None,
    };
    let text = decode(charset, &bytes).unwrap_or_else(|| String::from_utf8_lossy(&bytes).into_owned());
    Some((text, 2 + charset_raw.len() + 1 + enc.len() + 1 + end + 2))
}
