//! Finding the verification code in an SMS, and which one fills a page ([`pick_code`]).
//!
//! [`extract`] returns the code a person would type, its kind, where it is written (bytes and
//! UTF-16, for highlighting) and, for a domain-bound message, the site it is for.
//!
//! # How
//! A scanner, not a pattern list:
//! 1. **Masks.** Android SMS Retriever markers (`<#>`, the 11-character app hash at the end),
//!    links and e-mail addresses, and the domain-bound line (`@example.com #123456`, read by
//!    [`domain`]) are set aside: they never yield a code by themselves.
//! 2. **Folding.** The rest is lower-cased, Latin accents are removed, other scripts' digits and
//!    full-width forms become ASCII, and whitespace is collapsed
//!    ([`fold`]); every folded char remembers its bytes in the original.
//! 3. **Keywords.** The tables in `lang/*.txt` (one per language, data only) are matched on the
//!    folded text: phrases that name the code ("verification code", "验证码", "код"), phrases that
//!    name something else ("order", "balance", "ending in", "call"), and cues about the whole
//!    message ("prize", "% off"). Every table applies to every message.
//! 4. **Candidates** ([`candidate`]): 4 to 10 digits, alone or in even groups (`123 456`,
//!    `1234-5678`, three pairs `48 29 13`), optionally after an upper-case prefix (`G-`, `FB-`);
//!    words of letters and digits, and two or three of them in equal dashed groups (`ZLP-4T9`,
//!    typed without the dashes; a longer chain such as an id yields nothing). Numbers glued to others by `.`, `,`, `:` or `/` (amounts, dates, times), unevenly
//!    grouped (phones, IBANs), after `+`, `*` (card endings), `#` or a currency sign are none; a
//!    colon right after a word presents a number instead (`Code:482913`, `验证码:4829`).
//! 5. **Scoring** ([`score`]): the nearest code keyword's weight, less for distance, a sentence
//!    end or another number in between; a message that is the number alone; negative cues close by (a cue right after a number
//!    counts only when no other value follows it: in "482913 call 1-800-…" the cue names the phone
//!    number); whole-message cues; the shape. Alphanumeric candidates count only right after a code
//!    keyword ("code: 5WGU8G", "kode kamu adalah ZP4K7X": an "is" and a possessive may stand
//!    between) or, upper case with a digit, right before "is your code" ("K7QX2M is your code");
//!    letters alone only after a colon. A number the message asks you to text a word to ("Text JOIN
//!    to 72345", "Envía ALTA al 22555": a send verb from the tables and an upper-case word within
//!    the few words before it) is a short code, never a code. The best candidate at or above the
//!    threshold wins, the first on a tie. A domain-bound line overrides the scan: its code (letters
//!    and digits, groups joined by single dashes: `#Q4P-7ZK`) and site are taken as written.
//!
//! # Known limits
//! - A message with no code keyword in any table yields nothing unless its shape speaks (a prefix
//!   like `G-`, a grouped code in an SMS Retriever message, a number its link repeats).
//! - It finds codes, not login codes: a locker's "pickup code is 4829", or "use code 482913 at
//!   checkout" without a discount or prize cue nearby, is taken as a code.
//! - Two codes in one message: the one closer to a keyword wins; no second one is reported.
//! - Codes are read as ASCII: other scripts' digits (`٤٨٢٩١٣`, `४८२९`) and full-width forms
//!   (`４８２９１３`, `ＡＢ１２`) are folded to what a person types.
//! - Alphanumeric codes need the message to say so ("code: X"); a code that is a common word
//!   right after "code:" would be taken.
//! - Keywords match on word boundaries in spaced scripts; Arabic words with attached prefixes
//!   (و, ب) need their own table entries.
//! - Keyword tables cover 49 languages (`lang/`); a message in another language needs a code
//!   keyword in one of them, or its shape, to yield a code.
//! - Accuracy is measured on `tests/data/sms_dev.jsonl`, `tests/data/sms_more.jsonl` and
//!   `tests/data/sms_world.jsonl` (49 languages, a held-back third never tuned on; see
//!   `benches/sms.rs`); it is a heuristic and will meet formats it misreads.

mod candidate;
mod code;
mod domain;
mod fold;
mod keywords;
mod mask;
mod pick;
mod score;

pub use code::{CodeKind, SmsCode};
pub use keywords::languages;
pub use pick::{inbox_choice, pick_code, InboxChoice, Received, FRESH_SECONDS, TAB_CHOICE_MS};

use core::ops::Range;

/// Every candidate with its score, for tuning the tables (the corpus tests print it beside each miss).
#[doc(hidden)]
pub fn explain(text: &str) -> Vec<(String, f32)> {
    let scan = Scan::new(text);
    let ctx = scan.context();
    scan.candidates
        .iter()
        .map(|c| (c.digits.clone(), ctx.score(c)))
        .collect()
}

/// Steps 1 to 4 of the scan (see the module's documentation), kept for scoring.
struct Scan {
    bound: Option<domain::Bound>,
    folded: fold::Folded,
    candidates: Vec<candidate::Candidate>,
    hits: Vec<keywords::Hit>,
    retriever: bool,
    meeting: bool,
    links: Vec<String>,
    upper: Vec<bool>,
}

impl Scan {
    fn new(text: &str) -> Scan {
        let bound = domain::find(text);
        let masks = mask::Masks::new(text, bound.as_ref().map(|b| b.line.clone()));
        let folded = fold::Folded::new(text, &masks.ranges);
        let upper = upper_flags(text, &folded);
        let candidates = candidate::scan(&folded.chars, |i| upper[i]);
        let hits = keywords::find(&folded.chars);
        let links = link_digits(text, &masks.links);
        Scan {
            bound,
            folded,
            candidates,
            hits,
            retriever: masks.retriever,
            meeting: masks.meeting,
            links,
            upper,
        }
    }

    fn context(&self) -> score::Context<'_> {
        let (text, hits, candidates) = (&self.folded.chars, &self.hits, &self.candidates);
        score::Context::new(
            text,
            hits,
            candidates,
            self.retriever,
            self.meeting,
            &self.links,
            &self.upper,
        )
    }
}

/// The verification code in `text`, or `None` when it has none.
///
/// Never panics, for any input; the work is linear in the text's length (a keyword's reach is
/// bounded). `text` is the message as received: spans index into it.
pub fn extract(text: &str) -> Option<SmsCode> {
    scored(text).map(|(code, _)| code)
}

/// [`extract`] with the winning candidate's score, so that a caller reading several texts of one
/// message (an e-mail's subject and body: `crate::mail`) can keep the most convincing. A
/// domain-bound line scores [`f32::MAX`]: it is taken as written.
pub(crate) fn scored(text: &str) -> Option<(SmsCode, f32)> {
    let scan = Scan::new(text);
    let ctx = scan.context();
    let (folded, candidates) = (&scan.folded, &scan.candidates);

    if let Some(bound) = &scan.bound {
        let code = &text[bound.code.clone()];
        let span = candidates
            .iter()
            .find(|c| c.digits.eq_ignore_ascii_case(code))
            .map_or(bound.code.clone(), |c| folded.bytes(c.at.clone()));
        let kind = if code.bytes().all(|b| b.is_ascii_digit()) {
            CodeKind::Numeric
        } else {
            CodeKind::Alphanumeric
        };
        return Some((
            build(text, code.to_string(), kind, span, Some(bound.domain.clone())),
            f32::MAX,
        ));
    }

    let mut best: Option<(f32, &candidate::Candidate)> = None;
    for c in candidates {
        let s = ctx.score(c);
        if s >= score::THRESHOLD && best.is_none_or(|(b, _)| s > b) {
            best = Some((s, c));
        }
    }
    let (s, c) = best?;
    let span = folded.bytes(c.at.clone());
    let code = if c.alpha {
        // As written (its case), without the dashes between groups (`ZLP-4T9` is typed ZLP4T9).
        let typed = text[span.clone()]
            .chars()
            .map(fold::ascii_form)
            .filter(|c| c.is_alphanumeric())
            .collect();
        build(text, typed, CodeKind::Alphanumeric, span, None)
    } else {
        build(text, c.digits.clone(), CodeKind::Numeric, span, None)
    };
    Some((code, s))
}

/// For each folded char, whether it was an ASCII upper-case letter in the original.
fn upper_flags(text: &str, folded: &fold::Folded) -> Vec<bool> {
    folded
        .orig
        .iter()
        .map(|r| {
            text[r.clone()]
                .chars()
                .next()
                .is_some_and(|c| fold::ascii_form(c).is_ascii_uppercase())
        })
        .collect()
}

/// The digits of each link, run together (`sgnl://verify/1234-5678` gives `12345678`).
fn link_digits(text: &str, links: &[Range<usize>]) -> Vec<String> {
    links
        .iter()
        .map(|r| text[r.clone()].chars().filter(char::is_ascii_digit).collect())
        .collect()
}

/// Where `needle` starts in `hay`: a plain loop, as `str::find(&str)` would add its Two-Way
/// searcher to the wasm and SMS are short.
pub(crate) fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| &hay[i..i + needle.len()] == needle)
}

/// Sorts by a key with insertion sort: the lists are short or sorted once, and the standard
/// library's sorts are several KB of wasm.
pub(crate) fn sort_small<T, K: PartialOrd>(v: &mut [T], key: impl Fn(&T) -> K) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && key(&v[j - 1]) > key(&v[j]) {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

fn build(text: &str, code: String, kind: CodeKind, span: Range<usize>, domain: Option<String>) -> SmsCode {
    let start16 = text[..span.start].encode_utf16().count();
    let end16 = start16 + text[span.clone()].encode_utf16().count();
    SmsCode {
        code,
        kind,
        span,
        span_utf16: start16..end16,
        domain,
    }
}
