//! The parts of a message that are not prose and must not yield a code on their own: Android SMS
//! Retriever markers (`<#>` in front, an 11-character app hash at the end), links and e-mail
//! addresses, and the domain-bound line (read separately by [`super::domain`]).

use core::ops::Range;

/// What was masked, and what it tells about the message.
pub(super) struct Masks {
    /// Sorted, non-overlapping byte ranges of the original text.
    pub ranges: Vec<Range<usize>>,
    /// The links' text: a number that a link repeats (`https://t.me/login/84025`) is likelier the code.
    pub links: Vec<Range<usize>>,
    /// The message carries SMS Retriever markers: it was written to deliver a code.
    pub retriever: bool,
    /// A link joins a video meeting: the message is an invitation, and its passcode no sign-in's.
    pub meeting: bool,
}

impl Masks {
    pub fn new(text: &str, bound_line: Option<Range<usize>>) -> Masks {
        let mut ranges = Vec::new();
        let mut links = Vec::new();
        let mut retriever = false;
        let mut meeting = false;
        let mut from = 0;
        while let Some(at) = super::find_bytes(&text.as_bytes()[from..], b"<#>") {
            ranges.push(from + at..from + at + 3);
            retriever = true;
            from += at + 3;
        }
        if let Some(hash) = retriever_hash(text, retriever) {
            ranges.push(hash);
            retriever = true;
        }
        for word in words(text) {
            let w = &text[word.clone()];
            if is_link(w) {
                meeting |= joins_meeting(w);
                links.push(word.clone());
                ranges.push(word);
            }
        }
        if let Some(line) = bound_line {
            ranges.push(line);
        }
        super::sort_small(&mut ranges, |r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        Masks {
            ranges: merged,
            links,
            retriever,
            meeting,
        }
    }
}

/// Byte ranges of the whitespace-separated words of `text`.
pub(super) fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = None;
    text.char_indices()
        .chain(core::iter::once((text.len(), ' ')))
        .filter_map(move |(i, c)| match (c.is_whitespace(), start) {
            (false, None) => {
                start = Some(i);
                None
            }
            (true, Some(s)) => {
                start = None;
                Some(s..i)
            }
            _ => None,
        })
}

/// The 11-character app hash Android's SMS Retriever API appends: the last word of the message,
/// of the base64 alphabet, on a line of its own (or anywhere at the end of a `<#>` message).
fn retriever_hash(text: &str, marked: bool) -> Option<Range<usize>> {
    let trimmed = text.trim_end();
    let start = trimmed
        .char_indices()
        .rfind(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &trimmed[start..];
    let alphabet = |b: u8| b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
    let own_line = start == 0 || trimmed[..start].trim_end_matches([' ', '\t']).ends_with('\n');
    let letters = word.bytes().any(|b| b.is_ascii_alphabetic());
    (word.len() == 11 && word.bytes().all(alphabet) && letters && (own_line || marked) && start > 0)
        .then_some(start..trimmed.len())
}

/// Where video meetings are joined: any language's invitation carries one of these links.
const MEETING_LINKS: &[&str] = &[
    "zoom.us/j/",
    "zoom.us/w/",
    "zoom.us/my/",
    "zoom.us/s/",
    "teams.microsoft.com/l/meetup-join",
    "teams.live.com/meet",
    "meet.google.com/",
    "webex.com/meet",
    "webex.com/join",
    "gotomeeting.com/join",
    "gotomeet.me/",
    "whereby.com/",
    "meet.jit.si/",
    "chime.aws/",
];

/// The link joins a video meeting (a sign-in code's message links to no meeting).
fn joins_meeting(link: &str) -> bool {
    let link = link.to_ascii_lowercase();
    MEETING_LINKS
        .iter()
        .any(|m| super::find_bytes(link.as_bytes(), m.as_bytes()).is_some())
}

/// A URL (`https://…`, `sgnl://…`, `www.…`, `bit.ly/…`) or an e-mail address.
fn is_link(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    if super::find_bytes(w.as_bytes(), b"://").is_some() || w.starts_with("www.") {
        return true;
    }
    let host_path = w.find('/').is_some_and(|slash| {
        let host = &w[..slash];
        host.contains('.')
            && host
                .rsplit('.')
                .next()
                .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
    });
    let email = w
        .split_once('@')
        .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
    host_path || email
}
