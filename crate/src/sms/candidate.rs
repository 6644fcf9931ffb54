//! Candidates: the runs of the folded text that could be a code, with their shape.
//!
//! A word here is a maximal run of ASCII letters and digits. Digit words joined by one space or
//! dash into equal groups of 3 to 5 (`123 456`, `1234-5678`) are one candidate; a number joined to
//! another by `.`, `,`, `:` or `/` (amounts, dates, times, versions) or grouped unevenly (phone
//! numbers, IBANs, card numbers) is none; so are groups of two or one, except three pairs or 4 to 8
//! single digits joined by spaces (`48 29 13`, `4 8 2 9 1 3`: a date or time joins its parts
//! otherwise, a phone number has more). Words
//! mixing letters and digits, or letters alone, are candidates of kind alphanumeric, which the scorer
//! accepts only right after a code keyword; so are two or three equal groups of 3 to 5 letters and
//! digits joined by single dashes that hold both a letter and a digit (`ZLP-4T9`), typed without
//! the dashes.

use core::ops::Range;

use super::fold::MASK;

pub(super) const MIN_LEN: usize = 4;
pub(super) const MAX_LEN: usize = 10;

#[derive(Debug)]
pub(super) struct Candidate {
    /// Folded chars of the code as written (groups and separators included).
    pub at: Range<usize>,
    /// The code as typed, lower-cased for alphanumerics (the original supplies the case).
    pub digits: String,
    pub alpha: bool,
    /// Letters only (no digit): accepted only after `keyword:`.
    pub letters_only: bool,
    /// Shown in groups (`123 456`).
    pub grouped: bool,
    /// After an upper-case prefix and a dash (`G-123456`, `FB-51392`).
    pub prefixed: bool,
    /// Every letter was upper case in the original (`K7QX2M`); digits-only codes count as upper case.
    pub upper_case: bool,
    /// For an alphanumeric alone on its line, the line right above it, trailing spaces left out
    /// (a code set apart under the words that name it).
    pub above: Option<Range<usize>>,
}

fn word_end(t: &[char], mut i: usize) -> usize {
    while i < t.len() && t[i].is_ascii_alphanumeric() {
        i += 1;
    }
    i
}

fn all_digits(t: &[char]) -> bool {
    t.iter().all(char::is_ascii_digit)
}

/// Every candidate in `t`, in text order. `upper(i)` says whether folded char `i` was upper case.
pub(super) fn scan(t: &[char], upper: impl Fn(usize) -> bool) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if !t[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let end = word_end(t, i);
        match dashed_alphanumeric(t, i, &upper) {
            Dashed::Code(candidate) => {
                i = candidate.at.end;
                out.push(candidate);
                continue;
            }
            Dashed::Other(end) => {
                i = end;
                continue;
            }
            Dashed::No => {}
        }
        if !all_digits(&t[i..end]) {
            let len = end - i;
            if (MIN_LEN..=MAX_LEN).contains(&len) {
                let letters_only = t[i..end].iter().all(char::is_ascii_alphabetic);
                let upper_case = (i..end).all(|j| !t[j].is_ascii_alphabetic() || upper(j));
                out.push(Candidate {
                    at: i..end,
                    digits: t[i..end].iter().collect(),
                    alpha: true,
                    letters_only,
                    grouped: false,
                    prefixed: false,
                    upper_case,
                    above: None,
                });
            }
            i = end;
            continue;
        }
        i = number(t, i, end, &upper, &mut out);
    }
    for c in out.iter_mut().filter(|c| c.alpha) {
        c.above = line_above(t, &c.at);
    }
    out
}

/// The line right above `at` when `at` stands alone on its line, trailing spaces left out.
fn line_above(t: &[char], at: &Range<usize>) -> Option<Range<usize>> {
    let own_line = at.start > 0 && t[at.start - 1] == '\n' && t.get(at.end).is_none_or(|&ch| ch == '\n');
    if !own_line {
        return None;
    }
    let mut end = at.start - 1;
    while end > 0 && t[end - 1] == ' ' {
        end -= 1;
    }
    let start = t[..end].iter().rposition(|&ch| ch == '\n').map_or(0, |i| i + 1);
    (start < end).then_some(start..end)
}

enum Dashed {
    /// A code in dashed groups.
    Code(Candidate),
    /// Letters and digits in dashed groups that are no code (a serial, a reference): none of its
    /// pieces is one either; scanning resumes at the end.
    Other(usize),
    /// Not such a token: scan the word as usual.
    No,
}

/// `ZLP-4T9`, `AB12-CD34`: two or three equal groups of 3 to 5 ASCII letters and digits joined by
/// single dashes, with a letter and a digit among them and nothing glued before or after; words
/// such as `add-ons` or `COVID-19` are not (no digit, or unequal groups). A longer chain whose
/// groups hold digits in more than one place (`AB12-CD34-EF56-GH78`, `X1-Y2`) is [`Dashed::Other`].
fn dashed_alphanumeric(t: &[char], start: usize, upper: &impl Fn(usize) -> bool) -> Dashed {
    let chain = dashed_chain(t, start);
    match code_groups(t, start, &chain, upper) {
        Some(candidate) => Dashed::Code(candidate),
        None if chain
            .iter()
            .filter(|g| t[(*g).clone()].iter().any(char::is_ascii_digit))
            .count()
            >= 2
            && chain.iter().any(|g| t[g.clone()].iter().any(char::is_ascii_alphabetic)) =>
        {
            Dashed::Other(chain.last().map_or(start, |g| g.end))
        }
        None => Dashed::No,
    }
}

/// The words from `start` joined by single dashes.
fn dashed_chain(t: &[char], start: usize) -> Vec<Range<usize>> {
    let mut groups = Vec::with_capacity(3);
    groups.push(start..word_end(t, start));
    loop {
        let k = groups[groups.len() - 1].end;
        if t.get(k) != Some(&'-') || !t.get(k + 1).is_some_and(char::is_ascii_alphanumeric) {
            return groups;
        }
        groups.push(k + 1..word_end(t, k + 1));
    }
}

fn code_groups(t: &[char], start: usize, groups: &[Range<usize>], upper: &impl Fn(usize) -> bool) -> Option<Candidate> {
    let len = groups[0].len();
    let end = groups.last()?.end;
    // Part of a longer token: a word, path or host (`AB1-CD2.example`) before or after.
    let joins = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/');
    let glued_after = t
        .get(end)
        .is_some_and(|&c| joins(c) || (c == '.' && t.get(end + 1).is_some_and(char::is_ascii_alphanumeric)));
    let glued_before = start.checked_sub(1).is_some_and(|j| joins(t[j]) || t[j] == '.');
    if !(2..=3).contains(&groups.len())
        || !(3..=5).contains(&len)
        || groups.iter().any(|g| g.len() != len)
        || len * groups.len() > MAX_LEN
        || glued_after
        || glued_before
    {
        return None;
    }
    let chars: Vec<char> = groups.iter().flat_map(|g| t[g.clone()].iter().copied()).collect();
    if !chars.iter().any(char::is_ascii_digit) || !chars.iter().any(char::is_ascii_alphabetic) {
        return None;
    }
    Some(Candidate {
        at: start..end,
        digits: chars.into_iter().collect(),
        alpha: true,
        letters_only: false,
        grouped: true,
        prefixed: false,
        upper_case: (start..end).all(|j| !t[j].is_ascii_alphabetic() || upper(j)),
        above: None,
    })
}

/// A number starting with the digit word `start..end`: reads the whole cluster, pushes what it
/// yields, and returns where scanning resumes.
fn number(t: &[char], start: usize, end: usize, upper: &impl Fn(usize) -> bool, out: &mut Vec<Candidate>) -> usize {
    let mut groups = Vec::with_capacity(4);
    groups.push(start..end);
    let mut seps = Vec::new();
    let mut compound = false;
    let mut k = end;
    while k + 1 < t.len() && matches!(t[k], ' ' | '-' | '.' | ',' | ':' | '/') && t[k + 1].is_ascii_digit() {
        let next = word_end(t, k + 1);
        if !all_digits(&t[k + 1..next]) {
            break;
        }
        if t[k] != ' ' && t[k] != '-' {
            compound = true;
        }
        seps.push(t[k]);
        groups.push(k + 1..next);
        k = next;
    }
    // A number glued to a preceding one by other punctuation (12.50, 10:30) or a sign. A colon
    // right after a word presents the number instead (`Code:482913`, `验证码:4829`), and so does an
    // equals sign right after a letter (`OTP=482913`: links, where `?id=4829` is a parameter, are
    // masked before this).
    let before = |n: usize| start.checked_sub(n).map(|j| t[j]);
    let presented_by_colon = (before(1) == Some(':')
        && before(2).is_some_and(|c| !c.is_ascii_digit() && c != ' ' && c != ':'))
        || (before(1) == Some('=') && before(2).is_some_and(char::is_alphabetic));
    // Emphasis around the number alone (`*482913*`, `**482913**`, `_482913_`: chat and plain-text
    // e-mail bold) is no mask and no glue: the same one or two marks on both sides, nothing word-like
    // beyond either.
    let emphasised = match before(1) {
        Some(mark @ ('*' | '_')) => {
            let run_before = t[..start].iter().rev().take_while(|&&c| c == mark).count();
            let run_after = t[k..].iter().take_while(|&&c| c == mark).count();
            let clear = |c: Option<&char>| c.is_none_or(|c| !c.is_alphanumeric());
            run_before == run_after
                && run_before <= 2
                && clear(t[..start - run_before].last())
                && clear(t.get(k + run_after))
        }
        _ => false,
    };
    // `#12345` right after a space is an order/ticket number; other glue means a compound.
    let ticket = before(1) == Some('#') && before(2).is_none_or(|c| c == ' ' || c == '\n');
    let not_glue = ticket || presented_by_colon || emphasised;
    if matches!(
        before(1),
        Some('+' | '.' | ',' | ':' | '/' | '*' | '#' | '=' | '_' | '\\')
    ) && !not_glue
    {
        compound = true;
    }
    if (matches!(t.get(k).copied(), Some('%' | '*' | '_' | MASK)) && !emphasised) || matches!(before(1), Some(MASK)) {
        compound = true;
    }
    // Money: a currency sign right before or after, or one space away.
    let after = |n: usize| t.get(k + n - 1).copied();
    let money = |c: Option<char>| c.is_some_and(is_currency);
    if money(before(1))
        || (before(1) == Some(' ') && money(before(2)))
        || money(after(1))
        || (after(1) == Some(' ') && money(after(2)))
    {
        compound = true;
    }
    if compound {
        return k;
    }
    let total: usize = groups.iter().map(|g| g.len()).sum();
    // Spaced out for reading: three pairs (`48 29 13`) or 4 to 8 single digits (`4 8 2 9 1 3`, as
    // e-mails letter-space a code), joined by spaces only.
    let spaced = seps.iter().all(|&s| s == ' ')
        && match groups[0].len() {
            2 => groups.len() == 3,
            1 => (MIN_LEN..=8).contains(&groups.len()),
            _ => false,
        };
    let even = groups.iter().all(|g| g.len() == groups[0].len()) && ((3..=5).contains(&groups[0].len()) || spaced);
    let same_sep = seps.iter().all(|&s| Some(&s) == seps.first());
    let prefixed = before(1) == Some('-') && before(2).is_some_and(|c| c.is_ascii_alphabetic()) && {
        let mut j = start - 1;
        while j > 0 && t[j - 1].is_ascii_alphabetic() {
            j -= 1;
        }
        (1..=4).contains(&(start - 1 - j)) && (j == 0 || !t[j - 1].is_ascii_alphanumeric()) && (j..start - 1).all(upper)
    };
    let push = |out: &mut Vec<Candidate>, at: Range<usize>, grouped: bool| {
        let digits: String = t[at.clone()].iter().filter(|c| c.is_ascii_digit()).collect();
        if (MIN_LEN..=MAX_LEN).contains(&digits.len()) {
            out.push(Candidate {
                at,
                digits,
                alpha: false,
                letters_only: false,
                grouped,
                prefixed,
                upper_case: true,
                above: None,
            });
        }
    };
    if groups.len() == 1 {
        push(out, start..k, false);
    } else if even && same_sep && (groups.len() <= 3 || spaced) && total <= MAX_LEN {
        push(out, start..k, true);
    } else if groups.len() == 2 && seps[0] == ' ' {
        // Two unrelated numbers side by side ("code 4829 2 minutes").
        for g in groups {
            push(out, g, false);
        }
    }
    k
}

/// A currency sign, or a CJK currency character written after amounts.
fn is_currency(c: char) -> bool {
    matches!(
        c,
        '$' | '€'
            | '£'
            | '¥'
            | '₹'
            | '₽'
            | '₩'
            | '₪'
            | '₺'
            | '₫'
            | '¢'
            | '₱'
            | '₦'
            | '฿'
            | '元'
            | '円'
            | '원'
            | '￥'
            | '₴'
            | '₸'
            | '﷼'
    )
}
