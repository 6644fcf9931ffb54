//! The text the scanner reads: lower-cased, Latin accents removed, whitespace runs collapsed, and
//! masked ranges (URLs, the SMS Retriever hash, the domain-bound line) replaced by one placeholder.
//! Each folded char remembers the bytes of the original text it came from, so spans map back.

use core::ops::Range;

/// Stands for a masked range: neither a letter, a digit, a space nor a sentence end.
pub(super) const MASK: char = '\u{FFFC}';

pub(super) struct Folded {
    pub chars: Vec<char>,
    /// For each folded char, the original bytes it stands for.
    pub orig: Vec<Range<usize>>,
}

impl Folded {
    /// Folds `text`, skipping each of `masks` (sorted, non-overlapping byte ranges on char boundaries).
    pub fn new(text: &str, masks: &[Range<usize>]) -> Folded {
        let mut chars = Vec::with_capacity(text.len());
        let mut orig = Vec::with_capacity(text.len());
        let mut masks = masks.iter().peekable();
        let mut iter = text.char_indices().peekable();
        while let Some((at, c)) = iter.next() {
            if let Some(m) = masks.peek() {
                if at >= m.start {
                    let m = masks.next().expect("peeked");
                    chars.push(MASK);
                    orig.push(m.clone());
                    while iter.peek().is_some_and(|&(i, _)| i < m.end) {
                        iter.next();
                    }
                    continue;
                }
            }
            let end = at + c.len_utf8();
            let f = if c == '\n' || c == '\r' || c == '\u{2028}' || c == '\u{2029}' {
                '\n'
            } else if c.is_whitespace() {
                ' '
            } else {
                fold_char(c)
            };
            if f == ' ' || f == '\n' {
                if let Some(last) = chars.last_mut() {
                    if *last == ' ' || *last == '\n' {
                        if f == '\n' {
                            *last = '\n';
                        }
                        if let Some(r) = orig.last_mut() {
                            r.end = end;
                        }
                        continue;
                    }
                }
            }
            chars.push(f);
            orig.push(at..end);
        }
        Folded { chars, orig }
    }

    /// The original bytes of folded chars `range`.
    pub fn bytes(&self, range: Range<usize>) -> Range<usize> {
        self.orig[range.start].start..self.orig[range.end - 1].end
    }
}

/// Lower case, and the base letter of an accented Latin letter (Western, Central European,
/// Turkish, Vietnamese), so keyword tables may be written either way ("codigo" and "código").
pub(super) fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let c = c.to_lowercase().next().unwrap_or(c);
    if ('\u{00e0}'..='\u{024f}').contains(&c) || ('\u{1e00}'..='\u{1eff}').contains(&c) {
        for (set, base) in ACCENTS {
            if set.contains(c) {
                return *base;
            }
        }
    }
    c
}

/// Accented letters by their base letter.
const ACCENTS: &[(&str, char)] = &[
    ("àáâãäåāăąạảấầẩẫậắằẳẵặ", 'a'),
    ("çćĉċč", 'c'),
    ("ďđ", 'd'),
    ("èéêëēĕėęěẹẻẽếềểễệ", 'e'),
    ("ğĝġģ", 'g'),
    ("ìíîïĩīĭįıỉị", 'i'),
    ("ł", 'l'),
    ("ñńņňŉ", 'n'),
    ("òóôõöøōŏőơọỏốồổỗộớờởỡợ", 'o'),
    ("śŝşšș", 's'),
    ("ţťțŧ", 't'),
    ("ùúûüũūŭůűųưụủứừửữự", 'u'),
    ("ýÿŷỳỵỷỹ", 'y'),
    ("źżž", 'z'),
];
