//! Verification links: the http(s) links of a message that confirm an address or sign a person in
//! ("Verify email", `https://example.com/confirm?token=…`), not the unsubscribe, privacy or help
//! links every e-mail carries. Only `http://` and `https://` links are kept: a `javascript:` or
//! `data:` link is never offered.

use core::ops::Range;

/// A link in the message's text: `url` is where it goes, `span` the bytes of `Mail::text` that show
/// it (the URL itself in plain text, the anchor's words in HTML).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    pub span: Range<usize>,
    pub span_utf16: Range<usize>,
}

/// Words (lower case, matched anywhere in the link's text or URL) that say a link verifies or signs in.
const VERIFY: &[&str] = &[
    "verif",
    "confirm",
    "activat",
    "activer",
    "activar",
    "activeer",
    "validat",
    "magic",
    "sign-in",
    "signin",
    "sign_in",
    "sign in",
    "login",
    "log-in",
    "log in",
    "passwordless",
    "token=",
    "otp",
    "bestätig",
    "bestaetig",
    "aktivier",
    "anmelden",
    "einloggen",
    "vérifi",
    "connexion",
    "conferma",
    "attiva",
    "accedi",
    "bevestig",
    "inloggen",
    "potwierd",
    "weryfik",
    "aktyw",
    "zaloguj",
    "doğrula",
    "onayla",
    "giriş",
    "entrar",
    "acceder",
    "ativar",
    "подтверд",
    "актив",
    "войти",
    "вход",
    "確認",
    "認証",
    "ログイン",
    "验证",
    "驗證",
    "确认",
    "登录",
    "인증",
    "확인",
    "로그인",
];

/// Words that make a link something else, whatever else it says.
const OTHER: &[&str] = &[
    "unsubscribe",
    "abbestellen",
    "abmelden",
    "désinscri",
    "desinscri",
    "disiscri",
    "darse de baja",
    "uitschrijven",
    "afmelden",
    "wypisz",
    "отпис",
    "配信停止",
    "退订",
    "退訂",
    "수신거부",
    "abonelik",
    "privacy",
    "datenschutz",
    "confidentialit",
    "privacidad",
    "terms",
    "preferences",
    "help",
    "support",
    "report",
    "not you",
    "wasn't you",
    "view in browser",
    "view online",
    "mailto:",
];

/// Whether a link whose text is `text` and target is `url` verifies or signs in.
pub(super) fn is_verification(text: &str, url: &str) -> bool {
    let lower = |s: &str| s.chars().flat_map(char::to_lowercase).collect::<String>();
    let (text, url) = (lower(text), lower(url));
    let says = |words: &[&str]| words.iter().any(|w| text.contains(w) || url.contains(w));
    is_http(&url) && says(VERIFY) && !says(OTHER)
}

pub(super) fn is_http(url: &str) -> bool {
    let b = url.as_bytes();
    let scheme = |s: &[u8]| b.len() > s.len() && b[..s.len()].eq_ignore_ascii_case(s);
    scheme(b"http://") || scheme(b"https://")
}

/// The http(s) URLs written in plain text, with their byte spans: a URL ends at whitespace, at `<`
/// `>` `"`, and loses trailing punctuation (`https://x.example/a.` ends before the dot).
pub(super) fn in_text(text: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("http").map(|p| from + p) {
        let rest = &text[at..];
        let len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '[' | ']'))
            .unwrap_or(rest.len());
        let mut url = &rest[..len];
        while let Some(stripped) = url.strip_suffix(['.', ',', ';', ':', '!', '?', ')', '*']) {
            url = stripped;
        }
        let preceded_by_word = text[..at].chars().next_back().is_some_and(char::is_alphanumeric);
        if is_http(url) && !preceded_by_word && url.len() > "https://".len() {
            out.push((url.to_string(), at..at + url.len()));
        }
        from = at + len.max(4);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_found_in_text_without_trailing_punctuation() {
        let t = "Open (https://ex.com/verify?t=1). Or <http://a.example/x>, not javascript:alert(1) nor xhttp://b.";
        let found: Vec<_> = in_text(t).into_iter().map(|(u, r)| (u.clone(), t[r] == u)).collect();
        assert_eq!(
            found,
            [
                ("https://ex.com/verify?t=1".to_string(), true),
                ("http://a.example/x".to_string(), true)
            ]
        );
    }

    #[test]
    fn only_verification_links_over_http_count() {
        assert!(is_verification("Verify email", "https://ex.com/e/abc"));
        assert!(is_verification(
            "https://ex.com/confirm?token=abc",
            "https://ex.com/confirm?token=abc"
        ));
        assert!(is_verification("E-Mail-Adresse bestätigen", "https://ex.de/x"));
        assert!(!is_verification("Unsubscribe", "https://ex.com/verify-unsubscribe"));
        assert!(!is_verification("Privacy policy", "https://ex.com/privacy"));
        assert!(!is_verification("Verify", "javascript:verify()"));
        assert!(!is_verification("Read our blog", "https://ex.com/blog"));
    }
}
