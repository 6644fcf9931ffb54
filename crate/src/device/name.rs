//! Device names: the default one, and the rule that a user's devices have distinct names.
//!
//! Two names are the same when their keys ([`name_key`]) are equal: trimmed, inner runs of
//! whitespace collapsed, Unicode-normalised to NFKC (so "ＭａｃＢｏｏｋ" in full-width letters and
//! "MacBook", or "ﬁle" with a ligature and "file", collide), and lower-cased.
//! NFKC rather than NFC because these names are compared by people, who cannot see the difference
//! between compatibility forms; it is what RFC 8265's nickname profile (PRECIS) uses too.
//!
//! Natively the `unicode-normalization` crate normalises; in wasm the browser's own
//! `String.prototype.normalize` does (its ICU tables are already there; the crate's would add about
//! 63 KB gzip). The two may differ only on characters assigned in a Unicode version one of them
//! lacks; the server, native, is the authority on uniqueness, so the browser's check is advisory.

use super::{DeviceError, DeviceInfo};

#[cfg(not(target_arch = "wasm32"))]
fn nfkc(s: &str) -> String {
    unicode_normalization::UnicodeNormalization::nfkc(s).collect()
}

#[cfg(not(target_arch = "wasm32"))]
fn nfc(s: &str) -> String {
    unicode_normalization::UnicodeNormalization::nfc(s).collect()
}

#[cfg(target_arch = "wasm32")]
fn nfkc(s: &str) -> String {
    String::from(js_sys::JsString::from(s).normalize("NFKC"))
}

#[cfg(target_arch = "wasm32")]
fn nfc(s: &str) -> String {
    String::from(js_sys::JsString::from(s).normalize("NFC"))
}

pub const MAX_NAME_CHARS: usize = 64;

/// The default name `[username] [device] - [OS]/[browser]`, e.g. "alice Mac - macOS/Chrome".
pub fn default_device_name(username: &str, info: &DeviceInfo) -> String {
    let name = format!("{} {} - {}/{}", username.trim(), info.device, info.os, info.browser);
    truncate_chars(name.trim(), MAX_NAME_CHARS)
}

fn truncate_chars(s: &str, max: usize) -> String {
    s.chars().take(max).collect::<String>().trim_end().to_string()
}

/// What uniqueness compares: NFKC, whitespace collapsed and trimmed, lower-cased.
pub fn name_key(name: &str) -> String {
    // Lower-casing can leave a string un-normalised (rarely); normalise once more.
    let folded = nfkc(&nfkc(name).to_lowercase());
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks a name someone typed and returns it tidied (trimmed, whitespace collapsed, NFC).
pub fn validate_device_name(name: &str) -> Result<String, DeviceError> {
    let tidy: String = nfc(name).split_whitespace().collect::<Vec<_>>().join(" ");
    if tidy.is_empty() {
        return Err(DeviceError::EmptyName);
    }
    if tidy.chars().any(char::is_control) {
        return Err(DeviceError::NameHasControl);
    }
    let n = tidy.chars().count();
    if n > MAX_NAME_CHARS {
        return Err(DeviceError::NameTooLong(n));
    }
    Ok(tidy)
}

/// Fails with the clashing name when `name` is the same as one of `existing` under [`name_key`].
pub fn check_name_unique<'a>(name: &str, existing: impl IntoIterator<Item = &'a str>) -> Result<(), DeviceError> {
    let key = name_key(name);
    match existing.into_iter().find(|e| name_key(e) == key) {
        Some(clash) => Err(DeviceError::NameTaken(clash.to_string())),
        None => Ok(()),
    }
}

/// `base` if it is free, else `base (2)`, `base (3)`, … (the default name for a second Mac).
pub fn unique_device_name<'a>(base: &str, existing: impl IntoIterator<Item = &'a str> + Clone) -> String {
    let base = truncate_chars(base.trim(), MAX_NAME_CHARS - 5);
    (1..)
        .map(|n| if n == 1 { base.clone() } else { format!("{base} ({n})") })
        .find(|candidate| check_name_unique(candidate, existing.clone()).is_ok())
        .expect("some suffix is free")
}
