//! Backup codes shown next to a QR code: when a person scans a site's two-factor QR code, many
//! sites show the account's recovery codes on the same page. The extension hands this module the
//! page's visible list-like blocks (list items, table cells, `pre` lines, each block with the words
//! around it); this decides which block, if any, is a list of backup codes. Nothing is kept or
//! filled from here: the person sees what was found and confirms it (docs/import.md).
//!
//! The rule, strict on purpose (a false list stored as someone's recovery codes is worse than none):
//! - the words around the block name backup or recovery codes, in one of the languages below;
//! - every piece of the block is a code of ONE shape: `1234 5678` / `1234-5678` (digit groups),
//!   `a1b2c-3d4e5` / `abcd efgh` (letter-and-digit groups of equal length), 8–10 digits, 10
//!   letters and digits with at least one digit, or one long dash-grouped recovery code
//!   (`ABCDE-FGHIJ-…`, Microsoft's);
//! - at least [`MIN_CODES`] of them (the long recovery code alone is enough), at most [`MAX_CODES`],
//!   all different;
//! - phone numbers, dates, prices and amounts have none of these shapes (a `+`, brackets, 3-3-4
//!   groups, `/` or `.` separators, currency signs); the TOTP key the QR code holds is never a code.

use serde::Deserialize;

/// The fewest codes a list must have (sites give 5 to 16).
pub const MIN_CODES: usize = 4;
/// The most codes a list may have.
pub const MAX_CODES: usize = 40;
/// The most blocks and pieces read (the page is hostile: its size is not ours to choose).
const MAX_BLOCKS: usize = 500;
const MAX_PIECES: usize = 200;
const MAX_CONTEXT: usize = 2000;

/// One list-like block of the page as shown: its pieces (list items, cells, lines) and the words
/// around it (headings, labels, the paragraphs before it).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Block {
    pub items: Vec<String>,
    #[serde(default)]
    pub context: String,
}

/// The backup codes found, as the page shows them, and the block they are in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub codes: Vec<String>,
    pub block: usize,
}

impl Found {
    /// The codes as they are kept: without the spaces a page groups them with ("1234 5678" is
    /// typed as 12345678), so that a list kept one code a line reads back the same.
    pub fn kept(&self) -> Vec<String> {
        self.codes
            .iter()
            .map(|c| c.chars().filter(|c| !c.is_whitespace()).collect())
            .collect()
    }
}

/// The shapes of codes sites give. A list's codes all share one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `1234 5678`, `1234-5678`: digit groups of one length.
    DigitGroups(usize, usize),
    /// `a1b2c-3d4e5`, `abcd efgh`: letter-and-digit groups of one length.
    Groups(usize, usize),
    /// `12345678` to `1234567890`.
    Digits(usize),
    /// `a1b2c3d4e5`: ten letters and digits, at least one digit.
    Alnum10,
    /// `ABCDE-FGHIJ-KLMNO-PQRST-UVWXY`: one long recovery code.
    Long,
}

/// Words that name backup or recovery codes (lower case; matched inside the block's context).
const WORDS: &[&str] = &[
    // English
    "backup code",
    "backup-code",
    "back-up code",
    "recovery code",
    "recovery key",
    "one-time code",
    "one-time use",
    "single-use",
    "emergency code",
    "scratch code",
    "codes can only be used once",
    "each code can be used once",
    "each code can only be used once",
    // German
    "backup-codes",
    "sicherungscode",
    "wiederherstellungscode",
    "notfallcode",
    "einmal verwendet",
    // French
    "codes de secours",
    "code de secours",
    "codes de récupération",
    "codes de sauvegarde",
    // Spanish
    "códigos de respaldo",
    "códigos de recuperación",
    "códigos de seguridad",
    "código de un solo uso",
    // Italian
    "codici di backup",
    "codici di recupero",
    "codici di emergenza",
    // Portuguese
    "códigos de backup",
    "códigos de recuperação",
    "códigos reserva",
    // Dutch
    "back-upcodes",
    "herstelcodes",
    "reservecodes",
    // Swedish, Danish, Norwegian
    "reservkoder",
    "återställningskoder",
    "backupkoder",
    "gendannelseskoder",
    // Polish
    "kody zapasowe",
    "kody odzyskiwania",
    // Russian
    "резервные коды",
    "коды восстановления",
    // Turkish
    "yedek kod",
    "kurtarma kod",
    // Japanese
    "バックアップコード",
    "リカバリーコード",
    "復旧コード",
    // Chinese
    "备用码",
    "备用代码",
    "恢复码",
    "備用碼",
    "復原碼",
    // Korean
    "백업 코드",
    "복구 코드",
];

/// The block of backup codes on the page, if one is there. `secret` is the TOTP key the QR code
/// holds (base32, any spacing or case): a list holding it is not a list of codes.
pub fn find(blocks: &[Block], secret: Option<&str>) -> Option<Found> {
    let secret = secret.map(squash).filter(|s| !s.is_empty());
    blocks
        .iter()
        .take(MAX_BLOCKS)
        .enumerate()
        .filter_map(|(i, b)| codes_in(b, secret.as_deref()).map(|codes| Found { codes, block: i }))
        .max_by_key(|f| (f.codes.len(), std::cmp::Reverse(f.block)))
}

/// The block's codes when it is a list of backup codes.
fn codes_in(block: &Block, secret: Option<&str>) -> Option<Vec<String>> {
    if !names_codes(&block.context) {
        return None;
    }
    let pieces = pieces(&block.items)?;
    let mut shape = None;
    for p in &pieces {
        let s = shape_of(p)?;
        if *shape.get_or_insert(s) != s {
            return None;
        }
    }
    let shape = shape?;
    let enough = if shape == Shape::Long { 1 } else { MIN_CODES };
    if pieces.len() < enough || pieces.len() > MAX_CODES {
        return None;
    }
    let mut seen: Vec<String> = pieces.iter().map(|p| squash(p)).collect();
    if let Some(secret) = secret {
        // The key itself, or pieces of it (a key shown in groups is not a list of codes).
        if seen.iter().any(|p| secret.contains(p.as_str())) {
            return None;
        }
    }
    seen.sort();
    seen.dedup();
    (seen.len() == pieces.len()).then_some(pieces)
}

/// Whether the words around a block name backup or recovery codes.
fn names_codes(context: &str) -> bool {
    let context: String = context.chars().take(MAX_CONTEXT).collect::<String>().to_lowercase();
    // Non-breaking and other spaces as plain spaces, so "backup\u{a0}codes" reads as words.
    let context: String = context
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    WORDS.iter().any(|w| context.contains(w))
}

/// The block's pieces: each item, split where the page spaces codes apart (a line break, a tab,
/// two spaces or more), without a list's numbering ("1.", "2)"). None when the block is too large.
fn pieces(items: &[String]) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for item in items.iter().take(MAX_PIECES) {
        for line in item.lines() {
            for piece in line.split("  ").flat_map(|p| p.split('\t')) {
                let piece = strip_numbering(piece.trim());
                if piece.is_empty() {
                    continue;
                }
                if out.len() == MAX_PIECES {
                    return None;
                }
                out.push(piece.to_string());
            }
        }
    }
    Some(out)
}

/// "1. 1234 5678" → "1234 5678"; "10) abcd" → "abcd".
fn strip_numbering(piece: &str) -> &str {
    let digits = piece.bytes().take_while(u8::is_ascii_digit).count();
    match piece.as_bytes().get(digits) {
        Some(b'.' | b')') if (1..=2).contains(&digits) && piece.as_bytes().get(digits + 1) == Some(&b' ') => {
            piece[digits + 1..].trim_start()
        }
        _ => piece,
    }
}

/// The code's shape, if it has one of a backup code's.
fn shape_of(piece: &str) -> Option<Shape> {
    if !piece.is_ascii() || piece.len() > 40 {
        return None;
    }
    let alnum = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let has_digit = |s: &str| s.bytes().any(|b| b.is_ascii_digit());
    // One case throughout (a code is not a sentence's word): "Abcd efgh" is not a code.
    let cased = piece.bytes().any(|b| b.is_ascii_lowercase()) && piece.bytes().any(|b| b.is_ascii_uppercase());
    if cased {
        return None;
    }
    let dashes: Vec<&str> = piece.split('-').collect();
    if dashes.len() >= 4 && dashes.iter().all(|g| (4..=5).contains(&g.len()) && alnum(g)) && piece.len() >= 20 {
        return Some(Shape::Long);
    }
    let groups: Vec<&str> = if dashes.len() == 2 {
        dashes
    } else {
        piece.split(' ').collect()
    };
    if groups.len() == 2 {
        let (a, b) = (groups[0], groups[1]);
        if !(4..=6).contains(&a.len()) || a.len() != b.len() {
            return None;
        }
        if digits(a) && digits(b) {
            return Some(Shape::DigitGroups(a.len(), 2));
        }
        if alnum(a) && alnum(b) {
            return Some(Shape::Groups(a.len(), 2));
        }
        return None;
    }
    if groups.len() != 1 {
        return None;
    }
    if digits(piece) && (8..=10).contains(&piece.len()) {
        return Some(Shape::Digits(piece.len()));
    }
    if alnum(piece) && piece.len() == 10 && has_digit(piece) && !piece.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Shape::Alnum10);
    }
    None
}

/// Letters and digits only, upper case: how a key or code compares whatever its spacing.
fn squash(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(context: &str, items: &[&str]) -> Block {
        Block {
            items: items.iter().map(|s| s.to_string()).collect(),
            context: context.into(),
        }
    }

    #[test]
    fn shapes() {
        assert_eq!(shape_of("1234 5678"), Some(Shape::DigitGroups(4, 2)));
        assert_eq!(shape_of("1234-5678"), Some(Shape::DigitGroups(4, 2)));
        assert_eq!(shape_of("a1b2c-3d4e5"), Some(Shape::Groups(5, 2)));
        assert_eq!(shape_of("abcd efgh"), Some(Shape::Groups(4, 2)));
        assert_eq!(shape_of("12345678"), Some(Shape::Digits(8)));
        assert_eq!(shape_of("a1b2c3d4e5"), Some(Shape::Alnum10));
        assert_eq!(shape_of("ABCDE-FGHIJ-KLMNO-PQRST-UVWXY"), Some(Shape::Long));
        for not in [
            "+1 555 010 0199",
            "(555) 010-0199",
            "555-010-0199",
            "2024-01-15",
            "15.01.2024",
            "01/15/2024",
            "$12.99",
            "12,99 €",
            "1,234,567",
            "Save them",
            "everything",
            "1234567",
            "12345678901",
            "ab-cd",
        ] {
            assert_eq!(shape_of(not), None, "{not}");
        }
    }

    #[test]
    fn numbering_is_not_part_of_a_code() {
        assert_eq!(strip_numbering("1. 1234 5678"), "1234 5678");
        assert_eq!(strip_numbering("10) abcd efgh"), "abcd efgh");
        assert_eq!(strip_numbering("1234 5678"), "1234 5678");
    }

    #[test]
    fn mixed_shapes_are_not_a_list() {
        let b = block(
            "Backup codes",
            &["1234 5678", "2345 6789", "a1b2c-3d4e5", "3456 7890", "4567 8901"],
        );
        assert_eq!(find(&[b], None), None);
    }

    #[test]
    fn repeated_codes_are_not_a_list() {
        let b = block("Recovery codes", &["1234 5678"; 5]);
        assert_eq!(find(&[b], None), None);
    }

    #[test]
    fn the_key_in_groups_is_not_a_list() {
        let b = block("Backup codes", &["JBSW", "Y3DP", "EHPK", "3PXP"]);
        assert_eq!(find(std::slice::from_ref(&b), Some("jbsw y3dp ehpk 3pxp")), None);
        let b = block("Backup codes", &["jbsw y3dp", "ehpk 3pxp", "aaaa bbbb", "cccc dddd"]);
        assert_eq!(find(&[b], Some("JBSWY3DPEHPK3PXP")), None);
    }

    #[test]
    fn the_largest_list_is_chosen() {
        let small = block("Backup codes", &["1234 5678", "2345 6789", "3456 7890", "4567 8901"]);
        let large = block(
            "Backup codes",
            &["1234 5678", "2345 6789", "3456 7890", "4567 8901", "5678 9012"],
        );
        assert_eq!(find(&[small, large], None).map(|f| f.block), Some(1));
    }

    #[test]
    fn a_hostile_page_is_read_within_bounds() {
        let huge = block("Backup codes", &["1234 5678  ".repeat(10_000).as_str()]);
        assert_eq!(find(&[huge], None), None);
        let many: Vec<Block> = (0..10_000).map(|_| Block::default()).collect();
        assert_eq!(find(&many, None), None);
    }
}
