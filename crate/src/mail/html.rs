//! HTML turned into the text a person reads, never rendered: tags are read by a small scanner (a
//! browser engine's parser would be most of the wasm), `script`, `style`, `title` and elements
//! hidden with `display:none` are dropped, entities decoded, block elements and `<br>` become line
//! breaks, table cells and runs of whitespace one space. Links (`<a href>`) are kept with the span
//! of their text.

use core::ops::Range;

/// The text of an HTML document and its anchors: `(href, bytes of the anchor's text)`.
pub(super) struct Rendered {
    pub text: String,
    pub anchors: Vec<(String, Range<usize>)>,
}

/// Elements whose end is a line break.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "li",
    "main",
    "nav",
    "ol",
    "pre",
    "section",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "ul",
    "caption",
];
/// Elements set apart by a blank line.
const PARAGRAPHS: &[&str] = &["p", "h1", "h2", "h3", "h4", "h5", "h6"];
/// Elements whose content is never text.
const DROPPED: &[&str] = &["script", "style", "title", "template", "noscript", "svg", "xml"];
/// Elements without an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
];

/// The text of `html`. Linear in its length; never panics.
pub(super) fn to_text(html: &str) -> Rendered {
    let mut out = Out::default();
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<' {
            if let Some(next) = tag(html, i, &mut out) {
                i = next;
                continue;
            }
        }
        if b[i] == b'&' {
            if let Some((c, next)) = entity(html, i) {
                out.push(c);
                i = next;
                continue;
            }
        }
        let c = html[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out.finish()
}

#[derive(Default)]
struct Out {
    text: String,
    pending_space: bool,
    /// Line breaks wanted before the next char (1 or 2).
    pending_breaks: u8,
    open: Vec<(String, Option<usize>)>,
    anchors: Vec<(String, Range<usize>)>,
    /// Where the open table cell's text begins.
    cell_from: Option<usize>,
    /// The text ends with a cell that held one letter or digit.
    single_cell_end: Option<usize>,
}

impl Out {
    fn push(&mut self, c: char) {
        if matches!(
            c,
            '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' | '\u{34f}'
        ) {
            return;
        }
        if c.is_whitespace() {
            self.pending_space = true;
            return;
        }
        if !self.text.is_empty() {
            if self.pending_breaks > 0 {
                for _ in 0..self.pending_breaks {
                    self.text.push('\n');
                }
            } else if self.pending_space && !self.text.ends_with('\n') {
                self.text.push(' ');
            }
        }
        self.pending_space = false;
        self.pending_breaks = 0;
        for (_, start) in self.open.iter_mut() {
            start.get_or_insert(self.text.len());
        }
        self.text.push(c);
    }

    fn brk(&mut self, n: u8) {
        self.pending_breaks = self.pending_breaks.max(n);
    }

    fn space(&mut self) {
        self.pending_space = true;
    }

    fn open_anchor(&mut self, href: String) {
        // Anchors do not nest; an unclosed one ends where the next begins.
        self.close_anchor();
        self.open.push((href, None));
    }

    fn close_anchor(&mut self) {
        if let Some((href, Some(start))) = self.open.pop() {
            self.anchors.push((href, start..self.text.len()));
        }
    }

    fn open_cell(&mut self) {
        self.space();
        self.cell_from = Some(self.text.len());
    }

    /// Cells of one letter or digit each, side by side, are one word: a code shown a digit per
    /// box (`<td>8</td><td>2</td>…` reads "82…", not "8 2 …").
    fn close_cell(&mut self) {
        let Some(from) = self.cell_from.take() else {
            return;
        };
        let content = &self.text[from..];
        let mut chars = content.trim_start().chars();
        let single = chars.next().is_some_and(char::is_alphanumeric) && chars.next().is_none();
        if !single {
            self.single_cell_end = None;
            return;
        }
        if self.single_cell_end == Some(from) && content.starts_with(' ') {
            self.text.remove(from);
            for (_, span) in &mut self.anchors {
                if span.start > from {
                    span.start -= 1;
                }
                if span.end > from {
                    span.end -= 1;
                }
            }
            for (_, start) in &mut self.open {
                if let Some(s) = start.as_mut().filter(|s| **s > from) {
                    *s -= 1;
                }
            }
        }
        self.single_cell_end = Some(self.text.len());
    }

    fn finish(mut self) -> Rendered {
        self.close_anchor();
        Rendered {
            text: self.text,
            anchors: self.anchors,
        }
    }
}

/// Reads the markup at `at` (a `<`); returns where the text resumes, or `None` when the `<` is text.
fn tag(html: &str, at: usize, out: &mut Out) -> Option<usize> {
    let b = html.as_bytes();
    let rest = &b[at + 1..];
    if rest.starts_with(b"!--") {
        return Some(find(b, at + 4, b"-->").map_or(b.len(), |e| e + 3));
    }
    let closing = rest.first() == Some(&b'/');
    let name_at = at + 1 + usize::from(closing);
    let first = *b.get(name_at)?;
    if first == b'!' || first == b'?' {
        return Some(tag_end(b, name_at).map_or(b.len(), |e| e + 1));
    }
    if !first.is_ascii_alphabetic() {
        return None;
    }
    let name_end = name_at
        + b[name_at..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-' || **c == b':')
            .count();
    let name = html[name_at..name_end].to_ascii_lowercase();
    let end = tag_end(b, name_end).unwrap_or(b.len());
    let attrs = &html[name_end..end.min(html.len())];
    let next = (end + 1).min(b.len());

    if closing {
        if name == "a" {
            out.close_anchor();
        } else if PARAGRAPHS.contains(&name.as_str()) {
            out.brk(2);
        } else if BLOCKS.contains(&name.as_str()) {
            out.brk(1);
        } else if name == "td" || name == "th" {
            out.close_cell();
            out.space();
        }
        return Some(next);
    }
    if DROPPED.iter().any(|d| d.trim_end_matches('>') == name) {
        return Some(skip_element(html, next, &name).unwrap_or(b.len()));
    }
    if hidden(attrs) && !VOID.contains(&name.as_str()) {
        if let Some(after) = skip_element(html, next, &name) {
            return Some(after);
        }
    }
    match name.as_str() {
        "br" => out.brk(1),
        "hr" => out.brk(2),
        "td" | "th" => {
            out.close_cell();
            out.open_cell();
        }
        "a" => {
            if let Some(href) = attr(attrs, "href") {
                out.open_anchor(href);
            }
        }
        n if PARAGRAPHS.contains(&n) => out.brk(2),
        n if BLOCKS.contains(&n) => out.brk(1),
        _ => {}
    }
    Some(next)
}

/// The `>` ending a tag whose attributes start at `from`, skipping quoted values.
fn tag_end(b: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, &c) in b.iter().enumerate().skip(from) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Past the end tag matching an element `name` opened before `from` (same-name elements nest);
/// `None` when it is never closed.
fn skip_element(html: &str, from: usize, name: &str) -> Option<usize> {
    let b = html.as_bytes();
    let raw = matches!(name, "script" | "style" | "title" | "xml" | "template" | "noscript");
    let mut depth = 1usize;
    let mut i = from;
    while let Some(lt) = find(b, i, b"<") {
        let closing = b.get(lt + 1) == Some(&b'/');
        let n_at = lt + 1 + usize::from(closing);
        let n_end = n_at + b[n_at..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        let same = b[n_at..n_end].eq_ignore_ascii_case(name.as_bytes());
        let end = tag_end(b, n_end).unwrap_or(b.len());
        if same && closing {
            depth -= 1;
            if depth == 0 {
                return Some((end + 1).min(b.len()));
            }
        } else if same && !raw && !b[lt..end].ends_with(b"/") {
            depth += 1;
        }
        i = lt + 1;
    }
    None
}

/// `display:none`, `mso-hide:all` or the `hidden` attribute: text a reader never sees.
fn hidden(attrs: &str) -> bool {
    if let Some(style) = attr(attrs, "style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if s.contains("display:none") || s.contains("mso-hide:all") {
            return true;
        }
    }
    attrs
        .split(|c: char| c.is_whitespace() || c == '/')
        .any(|w| w.eq_ignore_ascii_case("hidden"))
}

/// The value of attribute `name` in a tag's attribute text, entities decoded.
fn attr(attrs: &str, name: &str) -> Option<String> {
    let b = attrs.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let n_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'>' {
            i += 1;
        }
        let n = &attrs[n_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = None;
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let (v_start, v_end) = match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let s = i + 1;
                    let e = b[s..].iter().position(|&c| c == q).map_or(b.len(), |p| s + p);
                    i = (e + 1).min(b.len());
                    (s, e)
                }
                _ => {
                    let s = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    (s, i)
                }
            };
            value = Some(&attrs[v_start..v_end]);
        }
        if n.eq_ignore_ascii_case(name) {
            return Some(decode_entities(value.unwrap_or("")));
        }
        if n_start == i {
            i += 1;
        }
    }
    None
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s.as_bytes()[i] == b'&' {
            if let Some((c, next)) = entity(s, i) {
                out.push(c);
                i = next;
                continue;
            }
        }
        let c = s[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    crate::sms::find_bytes(hay.get(from..)?, needle).map(|p| from + p)
}

/// The char of the character reference at `at` (a `&`) and where it ends; `None` when it is text.
fn entity(s: &str, at: usize) -> Option<(char, usize)> {
    let b = s.as_bytes();
    let body_end = at
        + 1
        + b[at + 1..]
            .iter()
            .take(32)
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'#')
            .count();
    let body = &s[at + 1..body_end];
    let next = if b.get(body_end) == Some(&b';') {
        body_end + 1
    } else {
        body_end
    };
    if let Some(num) = body.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        let c = match n {
            0 => '\u{fffd}',
            // Windows-1252 in numeric references, as browsers read them.
            0x80..=0x9f => cp1252(n as u8),
            _ => char::from_u32(n).unwrap_or('\u{fffd}'),
        };
        return Some((c, next));
    }
    // Named references need their `;`, except the few that mail writes without.
    if next == body_end && !matches!(body, "amp" | "lt" | "gt" | "nbsp" | "quot") {
        return None;
    }
    NAMED
        .iter()
        .find(|(n, _)| *n == body)
        .map(|&(_, c)| (c, next))
        .or_else(|| latin1(body).map(|c| (c, next)))
}

fn cp1252(b: u8) -> char {
    const HIGH: &str = "€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8d}Ž\u{8f}\u{90}‘’“”•–—˜™š›œ\u{9d}žŸ";
    HIGH.chars().nth(usize::from(b - 0x80)).unwrap_or('\u{fffd}')
}

/// Named references mail uses most; the accented letters are read by [`latin1`].
const NAMED: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("ensp", ' '),
    ("emsp", ' '),
    ("thinsp", ' '),
    ("zwnj", '\u{200c}'),
    ("zwj", '\u{200d}'),
    ("shy", '\u{ad}'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("hellip", '…'),
    ("mdash", '—'),
    ("ndash", '–'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("sbquo", '‚'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("bdquo", '„'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("lsaquo", '‹'),
    ("rsaquo", '›'),
    ("bull", '•'),
    ("middot", '·'),
    ("euro", '€'),
    ("pound", '£'),
    ("yen", '¥'),
    ("cent", '¢'),
    ("sect", '§'),
    ("deg", '°'),
    ("times", '×'),
    ("divide", '÷'),
    ("iexcl", '¡'),
    ("iquest", '¿'),
    ("ordf", 'ª'),
    ("ordm", 'º'),
    ("para", '¶'),
    ("dagger", '†'),
    ("rarr", '→'),
    ("larr", '←'),
    ("szlig", 'ß'),
    ("OElig", 'Œ'),
    ("oelig", 'œ'),
    ("Scaron", 'Š'),
    ("scaron", 'š'),
    ("Yuml", 'Ÿ'),
];

/// Latin-1 letters by their reference names (`&eacute;`, `&Auml;`, `&ccedil;`, `&oslash;`).
fn latin1(name: &str) -> Option<char> {
    const MARKS: &[(&str, &str, &str)] = &[
        // (suffix, upper-case letters, lower-case letters), in the order of the vowels `aeiouy`.
        ("grave", "ÀÈÌÒÙ", "àèìòù"),
        ("acute", "ÁÉÍÓÚÝ", "áéíóúý"),
        ("circ", "ÂÊÎÔÛ", "âêîôû"),
        ("tilde", "ÃÑÕ", "ãñõ"),
        ("uml", "ÄËÏÖÜ", "äëïöüÿ"),
        ("ring", "Å", "å"),
        ("cedil", "Ç", "ç"),
        ("slash", "Ø", "ø"),
    ];
    const VOWELS: &str = "aeiouy";
    let mut chars = name.chars();
    let letter = chars.next()?;
    let suffix = chars.as_str();
    if name == "AElig" || name == "aelig" {
        return Some(if letter == 'A' { 'Æ' } else { 'æ' });
    }
    if name == "ETH" || name == "eth" {
        return Some(if letter == 'E' { 'Ð' } else { 'ð' });
    }
    if name == "THORN" || name == "thorn" {
        return Some(if letter == 'T' { 'Þ' } else { 'þ' });
    }
    let (_, upper, lower) = MARKS.iter().find(|(s, _, _)| *s == suffix)?;
    let set = if letter.is_ascii_uppercase() { upper } else { lower };
    let base = letter.to_ascii_lowercase();
    let index = match suffix {
        "tilde" => "anoy".find(base)?,
        "ring" if base == 'a' => 0,
        "cedil" if base == 'c' => 0,
        "slash" if base == 'o' => 0,
        "ring" | "cedil" | "slash" => return None,
        _ => VOWELS.find(base)?,
    };
    set.chars().nth(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_break_lines_and_hidden_or_script_text_is_dropped() {
        let r = to_text(
            "<html><head><title>T</title><style>p{color:red}</style></head><body>\
             <div style=\"display: none\">preheader 111111</div>\
             <p>Your code&nbsp;is:</p><div style=\"font-size:32px\"><b>48</b><b>2913</b></div>\
             <script>var code = 999999;</script><p>Caf&eacute; &amp; na&iuml;ve &#8212; &#x263A;<br>next</p>\
             <table><tr><td>ab</td><td>cd</td></tr></table></body></html>",
        );
        assert_eq!(r.text, "Your code is:\n\n482913\n\nCafé & naïve — ☺\nnext\n\nab cd");
    }

    #[test]
    fn anchors_keep_their_text_span_and_href() {
        let r = to_text("<p>Click <a class=x href='https://ex.com/v?a=1&amp;b=2'> Verify  email </a> now</p>");
        assert_eq!(r.text, "Click Verify email now");
        assert_eq!(r.anchors.len(), 1);
        let (href, span) = &r.anchors[0];
        assert_eq!(href, "https://ex.com/v?a=1&b=2");
        assert_eq!(&r.text[span.clone()], "Verify email");
    }

    #[test]
    fn broken_markup_never_panics_and_keeps_text() {
        for s in [
            "<",
            "<a",
            "&",
            "&#",
            "&#x110000;",
            "<div style='display:none'>x",
            "a<b>c",
            "<!--",
            "é<é>é&é;",
        ] {
            let _ = to_text(s);
        }
        assert_eq!(to_text("1 < 2 &unknown; x").text, "1 < 2 &unknown; x");
        assert_eq!(to_text("<div style='display:none'>kept").text, "kept");
    }

    #[test]
    fn one_char_cells_side_by_side_are_one_word() {
        let cells: String = "829104"
            .chars()
            .map(|d| format!("<td style='font-size:30px'> {d} </td>"))
            .collect();
        let r = to_text(&format!(
            "<table><tr><td>Code</td>{cells}<td>x</td><td>Total</td></tr></table>"
        ));
        assert_eq!(r.text, "Code 829104x Total");
        assert_eq!(
            to_text("<table><tr><td>a</td></tr><tr><td>b</td></tr></table>").text,
            "a\nb"
        );
    }
}
