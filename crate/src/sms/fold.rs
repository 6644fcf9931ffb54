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
/// Turkish, Vietnamese), so keyword tables may be written either way ("codigo" and "código");
/// other scripts' digits and full-width forms as ASCII ([`ascii_form`]).
pub(super) fn fold_char(c: char) -> char {
    let c = ascii_form(c);
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let c = lower(c);
    if ('\u{00e0}'..='\u{024f}').contains(&c) || ('\u{1e00}'..='\u{1eff}').contains(&c) {
        for (set, base) in ACCENTS {
            if set.chars().any(|x| x == c) {
                return *base;
            }
        }
    }
    c
}

/// The ASCII char a person types for `c`: a digit of another script (`٤`, `۴`, `४`, `๔`) as its
/// ASCII digit, a full-width digit or letter (`４`, `Ａ`) as its ASCII twin; anything else
/// unchanged. Pages' code fields take ASCII digits, and messages in Arabic, Persian, Hindi, Thai
/// or Japanese may write the code in their own digits. Full-width punctuation stays as it is: a
/// CJK comma ends a clause (`验证码:482913，5分钟`), where an ASCII one would glue an amount.
pub(crate) fn ascii_form(c: char) -> char {
    let u = c as u32;
    if matches!(u, 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A) {
        return char::from_u32(u - 0xFEE0).unwrap_or(c);
    }
    DIGIT_ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&u))
        .and_then(|&zero| char::from_digit(u - zero, 10))
        .unwrap_or(c)
}

/// The zero of each decimal digit block people text in: Arabic-Indic, Persian/Urdu, Devanagari,
/// Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Sinhala, Thai, Lao,
/// Tibetan, Myanmar, Khmer, Mongolian (full-width digits are with the full-width forms).
const DIGIT_ZEROS: &[u32] = &[
    0x0660, 0x06F0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0,
    0x0F20, 0x1040, 0x17E0, 0x1810,
];

/// Lower case for the scripts of the tables, by ranges: `char::to_lowercase` would add Unicode's
/// case tables to the wasm. Scripts without case (CJK, Arabic, Hebrew, Devanagari) pass through.
fn lower(c: char) -> char {
    let u = c as u32;
    let l = match u {
        // Latin-1: À-Þ except ×.
        0xC0..=0xDE if u != 0xD7 => u + 0x20,
        // Latin Extended-A and Vietnamese: pairs upper/lower, except the few that pair the other way.
        0x100..=0x137 | 0x14A..=0x177 | 0x1E00..=0x1EFF if u.is_multiple_of(2) => u + 1,
        0x139..=0x148 | 0x179..=0x17E if u % 2 == 1 => u + 1,
        0x130 => 'i' as u32,
        0x178 => 0xFF,
        // Latin Extended-B: Vietnamese Ơ/Ư, Romanian Ș/Ț.
        0x1A0 | 0x1AF | 0x218 | 0x21A => u + 1,
        // Greek: accented capitals, then Α-Ω.
        0x386 => 0x3AC,
        0x388..=0x38A => u + 0x25,
        0x38C => 0x3CC,
        0x38E | 0x38F => u + 0x3F,
        0x391..=0x3AB if u != 0x3A2 => u + 0x20,
        // Cyrillic: Ѐ-Џ, А-Я, and the pairs from Ѡ on (Ukrainian Ґ is 0x490).
        0x400..=0x40F => u + 0x50,
        0x410..=0x42F => u + 0x20,
        0x460..=0x481 | 0x48A..=0x4BF if u.is_multiple_of(2) => u + 1,
        _ => u,
    };
    char::from_u32(l).unwrap_or(c)
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
