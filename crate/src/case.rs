//! Unicode lower case, for the rules that compare text whatever its case (a typed user name, the
//! Public Suffix List's rules). Natively the standard library's tables; in the browser
//! `String.prototype.toLowerCase`, whose tables the browser already has: the standard library's
//! would add about 5 KB gzip to the always-loaded wasm. Both apply Unicode's default case mapping
//! (final sigma included).

/// `s` in lower case.
pub(crate) fn lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    lower_unicode(s)
}

#[cfg(not(target_arch = "wasm32"))]
fn lower_unicode(s: &str) -> String {
    s.to_lowercase()
}

#[cfg(target_arch = "wasm32")]
fn lower_unicode(s: &str) -> String {
    String::from(js_sys::JsString::from(s).to_lower_case())
}

#[cfg(test)]
mod tests {
    use super::lower;

    #[test]
    fn ascii_and_unicode_lower_as_the_standard_says() {
        for (text, want) in [
            ("Bob@Example.COM", "bob@example.com"),
            ("ÄRGER@Bücher.DE", "ärger@bücher.de"),
            ("ΟΔΥΣΣΕΥΣ", "οδυσσευς"),
            ("İstanbul", "i̇stanbul"),
            ("ИВАН", "иван"),
        ] {
            assert_eq!(lower(text), want, "{text}");
        }
    }
}
