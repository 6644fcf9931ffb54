use core::ops::Range;

/// What kind of code a message carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CodeKind {
    /// Digits only (typed without the spaces or dashes the message may show).
    Numeric,
    /// Letters, or letters and digits, as the message wrote them.
    Alphanumeric,
}

impl CodeKind {
    /// The lower-case name used in JSON (`numeric`, `alphanumeric`).
    pub fn as_str(self) -> &'static str {
        match self {
            CodeKind::Numeric => "numeric",
            CodeKind::Alphanumeric => "alphanumeric",
        }
    }
}

/// A verification code found in an SMS.
#[derive(Clone, PartialEq, Eq)]
pub struct SmsCode {
    /// The code as a person types it: `123456` for "123 456" or "123-456", `5WGU8G` as written.
    pub code: String,
    pub kind: CodeKind,
    /// Where the code is written in the original text, in bytes: `&text[span]` is the code as shown
    /// ("123 456", or "482910" in "G-482910").
    pub span: Range<usize>,
    /// The same place in UTF-16 code units, as JavaScript strings count (for highlighting).
    pub span_utf16: Range<usize>,
    /// The site of a domain-bound line (`@example.com #123456`, the WebOTP format), lower-cased.
    pub domain: Option<String>,
}

/// The code is a secret: debug output shows only its shape.
impl core::fmt::Debug for SmsCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SmsCode")
            .field("code", &format_args!("<{} chars>", self.code.chars().count()))
            .field("kind", &self.kind)
            .field("span", &self.span)
            .field("span_utf16", &self.span_utf16)
            .field("domain", &self.domain)
            .finish()
    }
}
