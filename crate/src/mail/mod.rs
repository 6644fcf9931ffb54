//! E-mail: a raw message (RFC 5322 / MIME) read into what a person sees ([`read`]), and the
//! verification code in it ([`extract`]).
//!
//! # Reading
//! The MIME structure is parsed by the `mail-parser` crate: multipart, quoted-printable and base64,
//! RFC 2047 encoded headers, and charsets other than UTF-8 (single-byte tables and, through
//! `encoding_rs`, Shift_JIS, ISO-2022-JP, EUC-KR, GB2312/GBK, Big5). The body is the `text/plain`
//! part when the message has one with text (and, if it has an HTML one too, with the code when the
//! HTML has one), else the HTML part turned into text by [`html`]: never
//! rendered, scripts, styles and hidden elements dropped, entities decoded, blocks as line breaks.
//! Verification links (http and https only) are kept with their span in that text ([`links`]).
//!
//! # Extraction
//! The subject and the body are read by the SMS extractor (`crate::sms`): the same keyword tables,
//! candidates (grouped digits "123 456", prefixes, alphanumerics after "code:"), negative cues
//! (orders, amounts, phones, dates, postcodes, tracking numbers) and threshold. Of the two, the
//! higher-scoring code wins; the body's when both give the same code, so that it is highlighted
//! where the person reads it. Only the first [`EXTRACT_BYTES`] of the body are read: codes come
//! first, footers and quoted threads last.

mod charset;
mod html;
mod links;

use core::ops::Range;

pub use links::Link;

use crate::sms::{self, CodeKind, SmsCode};

/// A message larger than this is refused (the server's SMTP listener takes 4 MiB by default).
pub const MAX_BYTES: usize = 32 * 1024 * 1024;

/// How much of the body the extractor reads.
pub const EXTRACT_BYTES: usize = 64 * 1024;

/// At most this many verification links are kept (a hostile message may hold thousands).
pub const MAX_LINKS: usize = 20;

/// Why raw bytes could not be read as an e-mail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MailError {
    #[error(
        "the message is empty: pass the raw e-mail (headers, a blank line, then the body), as an .eml file holds it"
    )]
    Empty,
    #[error(
        "these bytes are not an e-mail: no header such as From:, Subject: or Content-Type: starts them; pass the raw message as received (an .eml file), not its text or HTML alone"
    )]
    NotAMessage,
    #[error("the message is over 32 MiB, more than any e-mail Latchkey accepts: pass one message, not a mailbox")]
    TooLarge,
}

/// An e-mail as a person reads it.
#[derive(Clone, PartialEq, Eq)]
pub struct Mail {
    /// The From address (`alice@example.com`, not the display name), if the message has one.
    pub from: Option<String>,
    /// The subject, decoded; empty when there is none.
    pub subject: String,
    /// The body as plain text (line feeds only).
    pub text: String,
    /// Verification links, with their spans in `text`.
    pub links: Vec<Link>,
}

/// Bodies and subjects hold codes: debug output shows only their sizes.
impl core::fmt::Debug for Mail {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Mail")
            .field("from", &self.from)
            .field("subject", &format_args!("<{} bytes>", self.subject.len()))
            .field("text", &format_args!("<{} bytes>", self.text.len()))
            .field("links", &self.links.len())
            .finish()
    }
}

/// Which field of the message holds the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Subject,
    Text,
}

impl Field {
    /// The name used in JSON and JS (`subject`, `text`).
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Subject => "subject",
            Field::Text => "text",
        }
    }
}

/// The code found in an e-mail: `code.span` and `code.span_utf16` index into the field named by `field`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub field: Field,
    pub code: SmsCode,
}

impl Found {
    pub fn kind(&self) -> CodeKind {
        self.code.kind
    }
}

/// Reads a raw message. Never panics, for any bytes.
pub fn read(raw: &[u8]) -> Result<Mail, MailError> {
    parse(raw).map(|(mail, _)| mail)
}

/// [`read`] then [`extract`], with the body searched once: choosing between a text and an HTML
/// alternative already searched it.
pub fn read_and_extract(raw: &[u8]) -> Result<(Mail, Option<Found>), MailError> {
    let (mail, text) = parse(raw)?;
    let text = text.unwrap_or_else(|| sms::scored(head(&mail.text)));
    let found = pick(sms::scored(&mail.subject), text);
    Ok((mail, found))
}

/// HTML anchors: href, and span in the body's text.
type Anchors = Vec<(String, Range<usize>)>;

/// What [`sms::scored`] found in a body: `None` inside when it has no code.
type Scored = Option<(SmsCode, f32)>;

/// The message, and the body's search when choosing the body needed it.
fn parse(raw: &[u8]) -> Result<(Mail, Option<Scored>), MailError> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(MailError::Empty);
    }
    if raw.len() > MAX_BYTES {
        return Err(MailError::TooLarge);
    }
    let message = mail_parser::MessageParser::default()
        .parse(raw)
        .ok_or(MailError::NotAMessage)?;
    let known_header = message
        .headers()
        .iter()
        .any(|h| !matches!(h.name, mail_parser::HeaderName::Other(_)));
    if !known_header {
        return Err(MailError::NotAMessage);
    }
    let from = message
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty());
    let subject = subject(&message);

    let (text, anchors, scored) = body(&message);
    let mut found: Vec<(String, Range<usize>)> = Vec::new();
    for (url, span) in anchors {
        if found.len() < MAX_LINKS && links::is_verification(&text[span.clone()], &url) {
            found.push((url, span));
        }
    }
    for (url, span) in links::in_text(&text) {
        if found.len() >= MAX_LINKS {
            break;
        }
        let inside_anchor = found.iter().any(|(_, s)| s.start <= span.start && span.end <= s.end);
        if !inside_anchor && links::is_verification(&url, &url) {
            found.push((url, span));
        }
    }
    sms::sort_small(&mut found, |(_, s)| s.start);
    let links = found
        .into_iter()
        .map(|(url, span)| Link {
            span_utf16: utf16(&text, span.clone()),
            url,
            span,
        })
        .collect();
    Ok((
        Mail {
            from,
            subject,
            text,
            links,
        },
        scored,
    ))
}

/// The verification code in a message, or `None`. Never panics; bounded by [`EXTRACT_BYTES`].
pub fn extract(mail: &Mail) -> Option<Found> {
    pick(sms::scored(&mail.subject), sms::scored(head(&mail.text)))
}

/// Of the subject's and the body's codes, the higher-scoring; the body's when both give the same.
fn pick(subject: Scored, text: Scored) -> Option<Found> {
    match (subject, text) {
        (None, None) => None,
        (Some((s, _)), None) => Some(Found {
            field: Field::Subject,
            code: s,
        }),
        (None, Some((t, _))) => Some(Found {
            field: Field::Text,
            code: t,
        }),
        (Some((s, ss)), Some((t, ts))) => {
            if s.code == t.code || ts >= ss {
                Some(Found {
                    field: Field::Text,
                    code: t,
                })
            } else {
                Some(Found {
                    field: Field::Subject,
                    code: s,
                })
            }
        }
    }
}

/// The message's readable body: its text alternative, unless that is empty or a stub without the
/// code its HTML alternative shows ("View this e-mail in a browser"): then people read the HTML,
/// and so does Latchkey. With the body's HTML anchors, and its search when choosing needed one.
fn body(message: &mail_parser::Message) -> (String, Anchors, Option<Scored>) {
    let (text, anchors) = alternative(message, &message.text_body);
    if text.is_empty() {
        let (text, anchors) = alternative(message, &message.html_body);
        return (text, anchors, None);
    }
    if message.html_body == message.text_body {
        return (text, anchors, None);
    }
    let scored = sms::scored(head(&text));
    if scored.is_none() {
        let (html, html_anchors) = alternative(message, &message.html_body);
        let html_scored = sms::scored(head(&html));
        if html_scored.is_some() {
            return (html, html_anchors, Some(html_scored));
        }
    }
    (text, anchors, Some(scored))
}

/// The readable text of the parts `ids` (one alternative of the message), with their anchors.
fn alternative(message: &mail_parser::Message, ids: &[u32]) -> (String, Anchors) {
    let mut text = String::new();
    let mut anchors = Vec::new();
    for &id in ids {
        let Some((part, html)) = message.part(id).and_then(|p| part_text(message, p)) else {
            continue;
        };
        let (part, part_anchors) = if html {
            let r = html::to_text(&part);
            (r.text, r.anchors)
        } else {
            (part.replace("\r\n", "\n").replace('\r', "\n"), Vec::new())
        };
        if part.trim().is_empty() {
            continue;
        }
        separate(&mut text);
        let at = text.len();
        text.push_str(&part);
        anchors.extend(part_anchors.into_iter().map(|(u, s)| (u, s.start + at..s.end + at)));
    }
    let trimmed = text.trim_end().len();
    text.truncate(trimmed);
    (text, anchors)
}

/// The part of a body the extractor reads: its first [`EXTRACT_BYTES`].
fn head(text: &str) -> &str {
    let mut end = text.len().min(EXTRACT_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A text part's text and whether it is HTML. mail-parser decodes the charsets it has tables for;
/// a part in another (Shift_JIS, ISO-2022-JP, GBK…) is decoded again from its raw bytes.
fn part_text(message: &mail_parser::Message, part: &mail_parser::MessagePart) -> Option<(String, bool)> {
    use mail_parser::{MimeHeaders, PartType};
    let (decoded, html) = match &part.body {
        PartType::Text(t) => (t, false),
        PartType::Html(h) => (h, true),
        _ => return None,
    };
    let label = part.content_type().and_then(|ct| ct.attribute("charset"));
    if let Some(label) = label.filter(|l| charset::needs_us(l)) {
        let raw = message
            .raw_message
            .get(part.offset_body as usize..part.offset_end as usize)
            .unwrap_or_default();
        let bytes = match part.encoding {
            mail_parser::Encoding::Base64 => {
                let clean: Vec<u8> = raw.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
                mail_parser::decoders::base64::base64_decode(&clean)
            }
            mail_parser::Encoding::QuotedPrintable => {
                mail_parser::decoders::quoted_printable::quoted_printable_decode(raw)
            }
            mail_parser::Encoding::None => Some(raw.to_vec()),
        };
        if let Some(text) = bytes.and_then(|b| charset::decode(label, &b)) {
            return Some((text, html));
        }
    }
    Some((decoded.to_string(), html))
}

/// The subject, decoded. Encoded words in a charset mail-parser has no table for are decoded here.
fn subject(message: &mail_parser::Message) -> String {
    let raw = message.header_raw(mail_parser::HeaderName::Subject).unwrap_or_default();
    let parsed = message.subject().unwrap_or_default();
    let foreign = raw.contains("=?") && parsed.contains("=?") || raw.contains("=?") && raw_needs_us(raw);
    one_line(&if foreign {
        charset::encoded_words(raw)
    } else {
        parsed.to_string()
    })
}

/// Whether an encoded word of `raw` names a charset mail-parser left undecoded.
fn raw_needs_us(raw: &str) -> bool {
    raw.split("=?").skip(1).any(|w| {
        let label = w.split('?').next().unwrap_or_default();
        charset::needs_us(label.split('*').next().unwrap_or_default())
    })
}

fn separate(text: &mut String) {
    if !text.is_empty() {
        while text.ends_with([' ', '\n']) {
            text.pop();
        }
        text.push_str("\n\n");
    }
}

/// A header's value on one line: folding and control characters become single spaces.
fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn utf16(text: &str, span: Range<usize>) -> Range<usize> {
    let start = text[..span.start].encode_utf16().count();
    start..start + text[span].encode_utf16().count()
}

#[cfg(test)]
mod tests;
