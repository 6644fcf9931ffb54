//! The keyword tables: data files in `lang/`, one per language (format in `lang/README.txt`),
//! parsed once into a list sorted by first char, and matched against the folded text.

use std::sync::OnceLock;

use super::fold::fold_char;

/// Every language's table. All of them apply to every message: scripts rarely collide, and a
/// message often mixes languages (a Chinese brand in an English text, an English word in Hindi).
const LANGUAGES: &[(&str, &str)] = &[
    ("en", include_str!("lang/en.txt")),
    ("es", include_str!("lang/es.txt")),
    ("pt", include_str!("lang/pt.txt")),
    ("fr", include_str!("lang/fr.txt")),
    ("de", include_str!("lang/de.txt")),
    ("it", include_str!("lang/it.txt")),
    ("nl", include_str!("lang/nl.txt")),
    ("ru", include_str!("lang/ru.txt")),
    ("uk", include_str!("lang/uk.txt")),
    ("zh", include_str!("lang/zh.txt")),
    ("ja", include_str!("lang/ja.txt")),
    ("ko", include_str!("lang/ko.txt")),
    ("ar", include_str!("lang/ar.txt")),
    ("hi", include_str!("lang/hi.txt")),
    ("tr", include_str!("lang/tr.txt")),
    ("pl", include_str!("lang/pl.txt")),
    ("id", include_str!("lang/id.txt")),
    ("vi", include_str!("lang/vi.txt")),
    ("da", include_str!("lang/da.txt")),
    ("ca", include_str!("lang/ca.txt")),
    ("he", include_str!("lang/he.txt")),
    ("el", include_str!("lang/el.txt")),
    ("tl", include_str!("lang/tl.txt")),
    ("cs", include_str!("lang/cs.txt")),
    ("sk", include_str!("lang/sk.txt")),
    ("hu", include_str!("lang/hu.txt")),
    ("ro", include_str!("lang/ro.txt")),
    ("sv", include_str!("lang/sv.txt")),
    ("nb", include_str!("lang/nb.txt")),
    ("fi", include_str!("lang/fi.txt")),
    ("th", include_str!("lang/th.txt")),
    ("ms", include_str!("lang/ms.txt")),
    ("bg", include_str!("lang/bg.txt")),
    ("hr", include_str!("lang/hr.txt")),
    ("sr", include_str!("lang/sr.txt")),
    ("sl", include_str!("lang/sl.txt")),
    ("lt", include_str!("lang/lt.txt")),
    ("lv", include_str!("lang/lv.txt")),
    ("et", include_str!("lang/et.txt")),
    ("fa", include_str!("lang/fa.txt")),
    ("sw", include_str!("lang/sw.txt")),
    ("bn", include_str!("lang/bn.txt")),
    ("ta", include_str!("lang/ta.txt")),
    ("te", include_str!("lang/te.txt")),
    ("gu", include_str!("lang/gu.txt")),
    ("kn", include_str!("lang/kn.txt")),
    ("ml", include_str!("lang/ml.txt")),
    ("pa", include_str!("lang/pa.txt")),
    ("ur", include_str!("lang/ur.txt")),
    ("misc", include_str!("lang/misc.txt")),
];

/// Which numbers a phrase speaks for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Reach {
    /// The numbers right around it (closer is stronger).
    Near,
    /// Every number of its sentence (`~`: "… has expired").
    Sentence,
    /// The whole message (`!`: prizes, promotions), wherever it stands.
    Message,
}

/// One phrase of a table.
pub(super) struct Keyword {
    chars: Vec<char>,
    pub weight: f32,
    pub reach: Reach,
    /// A verb asking to text a word to a number ("text", "envía"): that number is a short code.
    pub send: bool,
    /// The last word may run on (`verif*`).
    prefix: bool,
}

/// A keyword found in the folded text, at folded chars `start..end`.
pub(super) struct Hit {
    pub start: usize,
    pub end: usize,
    pub weight: f32,
    pub reach: Reach,
    pub send: bool,
}

/// The language codes with a table, for documentation and tests.
pub fn languages() -> impl Iterator<Item = &'static str> {
    LANGUAGES.iter().map(|(lang, _)| *lang)
}

fn table() -> &'static [Keyword] {
    static TABLE: OnceLock<Vec<Keyword>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut all: Vec<Keyword> = LANGUAGES.iter().flat_map(|(_, text)| parse(text)).collect();
        super::sort_small(&mut all, |k| k.chars[0]);
        all
    })
}

fn parse(text: &str) -> impl Iterator<Item = Keyword> + '_ {
    text.lines().filter_map(|line| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let (weight, phrase) = line.split_once(' ')?;
        let (reach, weight) = if let Some(w) = weight.strip_prefix('!') {
            (Reach::Message, w)
        } else if let Some(w) = weight.strip_prefix('~') {
            (Reach::Sentence, w)
        } else {
            (Reach::Near, weight)
        };
        // `^` marks a send verb; it pulls no number either way.
        let (send, weight) = match weight.strip_prefix('^') {
            Some(_) => (true, "0"),
            None => (false, weight),
        };
        // Whole numbers only: parsing a float would pull float parsing into the wasm.
        let weight = weight.parse::<i8>().ok()? as f32;
        let (prefix, phrase) = match phrase.trim().strip_suffix('*') {
            Some(p) => (true, p),
            None => (false, phrase.trim()),
        };
        let mut chars: Vec<char> = Vec::new();
        for c in phrase.chars() {
            let f = if c.is_whitespace() { ' ' } else { fold_char(c) };
            if !(f == ' ' && chars.last() == Some(&' ')) {
                chars.push(f);
            }
        }
        (!chars.is_empty()).then_some(Keyword {
            chars,
            weight,
            reach,
            send,
            prefix,
        })
    })
}

/// A letter or digit of a script that separates words with spaces: keywords must start and end
/// on its word boundaries. CJK, kana, Hangul, Thai, Lao, Myanmar and Khmer run words together, so
/// they match anywhere.
///
/// By ranges, not Unicode tables (`char::is_alphanumeric` would add its tables to the wasm): ASCII
/// letters and digits, and any char from U+00C0 up to the CJK blocks except the punctuation,
/// symbol and space blocks that messages use (general punctuation, arrows, dingbats…).
pub(super) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    let u = c as u32;
    (0xC0..0x2000).contains(&u)
        && !matches!(
            u,
            0xD7 | 0xF7
                | 0x37E | 0x387
                | 0x589 | 0x5BE | 0x5C0 | 0x5C3 | 0x5C6 | 0x5F3 | 0x5F4
                | 0x60C | 0x60D | 0x61B | 0x61F | 0x66A..=0x66D | 0x6D4
                | 0x964 | 0x965 | 0x970
                | 0x1361..=0x1368
                | 0xE00..=0xEFF
                | 0x1000..=0x109F
                | 0x1780..=0x17FF
        )
}

/// Every keyword occurrence in `text` (folded chars).
pub(super) fn find(text: &[char]) -> Vec<Hit> {
    let table = table();
    let mut hits = Vec::new();
    for (i, &c) in text.iter().enumerate() {
        let from = table.partition_point(|k| k.chars[0] < c);
        for k in table[from..].iter().take_while(|k| k.chars[0] == c) {
            let end = i + k.chars.len();
            if end > text.len() || text[i..end] != k.chars[..] {
                continue;
            }
            let first_word = is_word_char(k.chars[0]);
            let last_word = is_word_char(k.chars[k.chars.len() - 1]);
            if first_word && i > 0 && is_word_char(text[i - 1]) {
                continue;
            }
            let mut end = end;
            if k.prefix {
                while end < text.len() && is_word_char(text[end]) {
                    end += 1;
                }
            } else if last_word && end < text.len() && is_word_char(text[end]) {
                continue;
            }
            hits.push(Hit {
                start: i,
                end,
                weight: k.weight,
                reach: k.reach,
                send: k.send,
            });
        }
    }
    hits
}
