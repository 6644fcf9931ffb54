//! Domain-bound codes, the format WebOTP and Apple's AutoFill read: a line
//! `@example.com #123456` (optionally followed by ` %iframe.example`) that names the site the code
//! is for. <https://wicg.github.io/sms-one-time-codes/>

use core::ops::Range;

pub(super) struct Bound {
    /// The top-level site, lower-cased.
    pub domain: String,
    /// The code's bytes in the original text.
    pub code: Range<usize>,
    /// From the `@` to the end of its line: masked from the scanner.
    pub line: Range<usize>,
}

/// The last `@host #code` in `text`, where `@` starts the text or follows whitespace and the code
/// ends the text, its line, or is followed by a space. The code is letters and digits, optionally in
/// groups joined by single dashes (`#Q4P-7ZK`): the format allows any non-space characters, and a
/// dash is the one senders use.
pub(super) fn find(text: &str) -> Option<Bound> {
    let bytes = text.as_bytes();
    let mut found = None;
    for (at, _) in text.match_indices('@') {
        if at > 0 && !text[..at].ends_with(char::is_whitespace) {
            continue;
        }
        let host_end = at
            + 1
            + bytes[at + 1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'.' || **b == b'-')
                .count();
        let host = &text[at + 1..host_end];
        if !valid_host(host) || !text[host_end..].starts_with(" #") {
            continue;
        }
        let code_start = host_end + 2;
        let mut code_end = code_start;
        while code_end < bytes.len() {
            let b = bytes[code_end];
            let inner_dash = b == b'-'
                && code_end > code_start
                && bytes[code_end - 1].is_ascii_alphanumeric()
                && bytes.get(code_end + 1).is_some_and(u8::is_ascii_alphanumeric);
            if !(b.is_ascii_alphanumeric() || inner_dash) {
                break;
            }
            code_end += 1;
        }
        let alnum = bytes[code_start..code_end]
            .iter()
            .filter(|b| b.is_ascii_alphanumeric())
            .count();
        if alnum < 4
            || code_end - code_start > 12
            || text[code_end..].chars().next().is_some_and(|c| !c.is_whitespace())
        {
            continue;
        }
        let line_end = text[code_end..].find('\n').map_or(text.len(), |i| code_end + i);
        found = Some(Bound {
            domain: host.to_ascii_lowercase(),
            code: code_start..code_end,
            line: at..line_end,
        });
    }
    found
}

fn valid_host(host: &str) -> bool {
    let labels_ok = host
        .split('.')
        .all(|l| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-'));
    (host.contains('.') || host == "localhost") && host.len() <= 253 && labels_ok
}
