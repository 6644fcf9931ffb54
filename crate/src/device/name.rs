//! Device names: the default one, what a typed name may contain, and the rule that a user's
//! trusted devices have names a person can tell apart.
//!
//! **What a name may contain** ([`validate_device_name`]): no control characters, and nothing a
//! person cannot see or that reorders what they see: no bidi overrides, embeddings, isolates or
//! marks (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C), no other default-ignorable code
//! points (zero-width spaces and joiners, U+2060–U+2064, variation selectors, tag characters,
//! Hangul fillers, the soft hyphen: Unicode's DerivedCoreProperties `Default_Ignorable_Code_Point`,
//! copied below), no interlinear annotation controls (U+FFF9–U+FFFB) and no private-use characters
//! (their glyph is whatever a font decides). A name with one of these is refused, never cleaned
//! silently: a cleaned name would differ from what the person typed.
//!
//! **Which names clash** ([`name_key`]): two names clash when their keys are equal. Natively (the
//! server, which decides) the key is the Unicode TR39 *skeleton* of the NFKC-normalised,
//! lower-cased name, whitespace collapsed: "аlice Mac" with a Cyrillic `а` (U+0430), "ALICE MAC",
//! "ａｌｉｃｅ Mac" in full width and "alice Mac" all clash, so a look-alike of an existing name
//! cannot be registered under it. The skeleton comes from the `unicode-security` crate's
//! confusables tables (about 90 KB), which the wasm does not carry: in the browser the key is the
//! NFKC, lower-cased form only (the browser's own `String.prototype.normalize`), so the browser's
//! check is advisory and the server's is the rule.

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

/// TR39 skeleton natively; the identity in wasm (see the module docs).
#[cfg(not(target_arch = "wasm32"))]
fn skeleton(s: &str) -> String {
    unicode_security::skeleton(s).collect()
}

#[cfg(target_arch = "wasm32")]
fn skeleton(s: &str) -> String {
    s.to_string()
}

pub const MAX_NAME_CHARS: usize = 64;

/// Unicode 15.1 `Default_Ignorable_Code_Point` (DerivedCoreProperties.txt), as ranges.
const DEFAULT_IGNORABLE: &[(char, char)] = &[
    ('\u{ad}', '\u{ad}'),
    ('\u{34f}', '\u{34f}'),
    ('\u{61c}', '\u{61c}'),
    ('\u{115f}', '\u{1160}'),
    ('\u{17b4}', '\u{17b5}'),
    ('\u{180b}', '\u{180f}'),
    ('\u{200b}', '\u{200f}'),
    ('\u{202a}', '\u{202e}'),
    ('\u{2060}', '\u{206f}'),
    ('\u{3164}', '\u{3164}'),
    ('\u{fe00}', '\u{fe0f}'),
    ('\u{feff}', '\u{feff}'),
    ('\u{ffa0}', '\u{ffa0}'),
    ('\u{fff0}', '\u{fff8}'),
    ('\u{1bca0}', '\u{1bca3}'),
    ('\u{1d173}', '\u{1d17a}'),
    ('\u{e0000}', '\u{e0fff}'),
];

/// Characters a name may not hold although they are not control characters: invisible ones,
/// ones that reorder the text around them, and private-use ones.
fn is_invisible_or_reordering(c: char) -> bool {
    DEFAULT_IGNORABLE.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
        || ('\u{fff9}'..='\u{fffb}').contains(&c)
        || ('\u{e000}'..='\u{f8ff}').contains(&c)
        || c >= '\u{f0000}'
}

/// The default name `[username] [device] - [OS]/[browser]`, e.g. "alice Mac - macOS/Chrome".
pub fn default_device_name(username: &str, info: &DeviceInfo) -> String {
    let name = format!("{} {} - {}/{}", username.trim(), info.device, info.os, info.browser);
    truncate_chars(name.trim(), MAX_NAME_CHARS)
}

fn truncate_chars(s: &str, max: usize) -> String {
    s.chars().take(max).collect::<String>().trim_end().to_string()
}

/// What uniqueness compares, ignoring case: NFKC, lower-cased, whitespace collapsed, then
/// (natively) the TR39 skeleton lower-cased again (skeletons keep case: "0" becomes "O").
pub fn name_key(name: &str) -> String {
    // Lower-casing can leave a string un-normalised (rarely); normalise once more.
    let folded = nfkc(&nfkc(name).to_lowercase());
    skeleton(&collapse(&folded)).to_lowercase()
}

/// The case-sensitive look of a name: the skeleton of its NFKC form. Lower-casing first would
/// let "MiⅠl" (a capital I, or a Roman numeral one) pass for "Mill": they differ in lower case
/// but not on screen.
fn visual_key(name: &str) -> String {
    skeleton(&collapse(&nfkc(name)))
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a person could take one name for the other: the same ignoring case, or the same look.
pub fn names_clash(a: &str, b: &str) -> bool {
    name_key(a) == name_key(b) || visual_key(a) == visual_key(b)
}

/// Checks a name someone typed and returns it tidied (trimmed, whitespace collapsed, NFC).
pub fn validate_device_name(name: &str) -> Result<String, DeviceError> {
    if let Some(c) = name.chars().find(|&c| is_invisible_or_reordering(c)) {
        return Err(DeviceError::NameHasInvisible(format!("U+{:04X}", u32::from(c))));
    }
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
    match existing.into_iter().find(|e| names_clash(name, e)) {
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
