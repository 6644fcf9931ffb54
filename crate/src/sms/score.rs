//! Scoring a candidate by its context: the nearest code keyword (closer is stronger, and a
//! keyword's pull is weakened across a sentence end or past another number), negative cues right
//! around it (an order, an amount, a card ending, a phone), cues about the whole message (prizes,
//! discounts), and its shape (six digits is the commonest code; years are rare ones).

use super::candidate::Candidate;
use super::keywords::{Hit, Reach};

/// The least score of a code. Roughly: a plain code keyword near a number of a common length.
pub(super) const THRESHOLD: f32 = 2.0;

/// Beyond this many chars a keyword says nothing about a number.
const REACH: usize = 200;

/// What the scorer knows about the whole message.
pub(super) struct Context<'a> {
    pub text: &'a [char],
    pub hits: &'a [Hit],
    pub candidates: &'a [Candidate],
    /// Prefix counts of sentence ends: `breaks[j] - breaks[i]` ends in `text[i..j]`.
    pub breaks: Vec<u32>,
    /// Per candidate: a negative cue says what the number is.
    pub explained: Vec<bool>,
    /// The whole-message cues said in words (prizes, promotions), outside addresses: found once.
    pub cues: Vec<&'a Hit>,
    /// The structural whole-message cues: a meeting's link, a percentage or an amount off.
    pub global: f32,
    /// The message carries SMS Retriever markers.
    pub retriever: bool,
    /// The text of the message's links.
    pub links: &'a [String],
    /// Per folded char: an ASCII upper-case letter in the original.
    pub upper: &'a [bool],
}

impl<'a> Context<'a> {
    pub fn new(
        text: &'a [char],
        hits: &'a [Hit],
        candidates: &'a [Candidate],
        retriever: bool,
        meeting: bool,
        links: &'a [String],
        upper: &'a [bool],
    ) -> Self {
        let mut breaks = Vec::with_capacity(text.len() + 1);
        breaks.push(0);
        let mut n = 0u32;
        for (i, &c) in text.iter().enumerate() {
            let next = text.get(i + 1).copied();
            if (c == '\n' && !introduces(text, i))
                || matches!(c, '。' | '!' | '?' | '！' | '？' | ';')
                || (c == '.' && next.is_none_or(|n| n == ' ' || n == '\n') && !abbreviation_dot(text, i))
            {
                n += 1;
            }
            breaks.push(n);
        }
        // A meeting's link, or a percentage or an amount off ("save 10%", "20% de descuento",
        // "₱50 OFF"): an invitation or a promotion, in any language.
        let global = if meeting { -4.0 } else { 0.0 } + if discount(text) { -2.0 } else { 0.0 };
        let cues = hits
            .iter()
            .filter(|h| h.reach == Reach::Message && !in_address(text, h))
            .collect();
        let mut ctx = Context {
            text,
            hits,
            candidates,
            breaks,
            explained: Vec::new(),
            cues,
            global,
            retriever,
            links,
            upper,
        };
        ctx.explained = candidates.iter().map(|c| ctx.negatives(c) <= -1.5).collect();
        ctx
    }

    fn has_break(&self, from: usize, to: usize) -> bool {
        self.breaks[to] != self.breaks[from]
    }

    /// Another number lies wholly between `from` and `to` (at most [`REACH`] apart), one that no
    /// negative cue already explains (a card ending, an amount).
    fn number_between(&self, from: usize, to: usize) -> bool {
        let first = self.candidates.partition_point(|c| c.at.start < from);
        self.candidates[first..]
            .iter()
            .enumerate()
            .take_while(|(_, c)| c.at.end <= to)
            .any(|(i, c)| !(c.alpha && !masked(c) || self.explained[first + i]))
    }

    /// The candidate's score.
    pub fn score(&self, c: &Candidate) -> f32 {
        let mut shape = shape(c);
        if c.prefixed && self.place_follows(c) {
            // "L-2449 Luxembourg", "D-10115 Berlin": a postcode with its country, then the town.
            shape -= 3.0;
        }
        let near = self.keyword_pull(c).max(self.verb_and_purpose(c));
        if c.alpha && near <= 0.0 {
            return f32::MIN;
        }
        if self.short_code(c) {
            return f32::MIN;
        }
        let mut score = shape + near + self.negatives(c) + self.whole_message(c);
        if near > 0.0 && self.presented(c) {
            // "…code for the sign-in at N26: 582913", "…per accedere a Intesa è 58291034": a colon
            // or an "is" presents the number.
            score += 0.5;
        }
        if self.retriever {
            score += 0.5;
        }
        if !c.alpha && self.said_to_be_next(c) {
            // "OTP for CRN 2749183 is 4821", "OTP to send KES 1,500.00 to 0712345678 is 739204": the
            // code is the number after the "is"; this one is what the code is for.
            score -= 2.5;
        }
        if !c.alpha && self.alone(c) {
            // A message that is nothing but the number ("482913"): some services text only the code.
            // Not enough on its own for a year ("2024").
            score += 1.5;
        }
        if !c.alpha
            && self
                .links
                .iter()
                .any(|l| super::find_bytes(l.as_bytes(), c.digits.as_bytes()).is_some())
        {
            score += 1.0;
        }
        score
    }

    /// "Use 6193 to sign in to Bolt", "Enter HF8M2 in the Steam app to finish signing in": a verb
    /// hint right before the number and a purpose hint after it, in one sentence, say together what
    /// a code keyword says (each alone is only a hint). An alphanumeric candidate needs upper case
    /// and a digit, as codes are written.
    fn verb_and_purpose(&self, c: &Candidate) -> f32 {
        if c.alpha && (c.letters_only || !c.upper_case) {
            return 0.0;
        }
        let hints = || {
            self.window(c)
                .iter()
                .filter(|h| h.weight > 0.0 && h.weight < 2.0 && h.reach == Reach::Near)
        };
        let verb =
            hints().any(|h| h.end <= c.at.start && c.at.start - h.end <= 2 && !self.has_break(h.end, c.at.start));
        let purpose =
            hints().any(|h| h.start >= c.at.end && h.start - c.at.end <= 40 && !self.has_break(c.at.end, h.start));
        if verb && purpose {
            2.0
        } else {
            0.0
        }
    }

    /// The whole-message cues (prizes, promotions, meetings), at most -6 in all. One beyond a
    /// keyword's reach of the candidate counts half: in a long e-mail, a voucher line in the order
    /// summary says less about the OTP at the top than a promotion's words around its code.
    fn whole_message(&self, c: &Candidate) -> f32 {
        let cues: f32 = self
            .cues
            .iter()
            .map(|h| {
                let far = h.end + REACH < c.at.start || h.start > c.at.end + REACH;
                if far {
                    h.weight / 2.0
                } else {
                    h.weight
                }
            })
            .sum();
        (cues + self.global).max(-6.0)
    }

    /// Nothing but punctuation and spaces around the candidate: no word in any script, no link.
    fn alone(&self, c: &Candidate) -> bool {
        let outside = self.text[..c.at.start].iter().chain(&self.text[c.at.end..]);
        outside
            .into_iter()
            .all(|&ch| !ch.is_alphanumeric() && ch != super::fold::MASK)
    }

    /// The next number follows the candidate in its sentence with only an "is" or a colon between
    /// them ("… 2749183 is 4821"): it presents that number.
    fn said_to_be_next(&self, c: &Candidate) -> bool {
        let at = self.candidates.partition_point(|d| d.at.start < c.at.end);
        self.candidates.get(at).is_some_and(|d| {
            !d.alpha
                && d.at.start - c.at.end <= 6
                && !self.has_break(c.at.end, d.at.start)
                && self.presented(d)
                && self.text[c.at.end..d.at.start].iter().all(|ch| !ch.is_ascii_digit())
        })
    }

    /// The candidate follows a colon (`: 1234`, `：1234`) or an "is" (`is 1234`, `è 1234`, `为1234`).
    fn presented(&self, c: &Candidate) -> bool {
        let mut end = c.at.start;
        if end > 0 && self.text[end - 1] == ' ' {
            end -= 1;
        }
        let Some(&last) = end.checked_sub(1).map(|i| &self.text[i]) else {
            return false;
        };
        if matches!(last, ':' | '：' | '是' | '为' | '為') {
            return true;
        }
        let start = self.text[..end]
            .iter()
            .rposition(|&c| c == ' ' || c == '\n')
            .map_or(0, |i| i + 1);
        let word = &self.text[start..end];
        IS.iter().any(|is| is.chars().eq(word.iter().copied()))
    }

    fn window(&self, c: &Candidate) -> &[Hit] {
        let lo = self.hits.partition_point(|h| h.start + REACH < c.at.start);
        let hi = self.hits.partition_point(|h| h.start <= c.at.end + REACH);
        &self.hits[lo..hi.max(lo)]
    }

    /// The strongest pull of a code keyword on the candidate.
    fn keyword_pull(&self, c: &Candidate) -> f32 {
        let mut best = 0.0f32;
        let presented = !c.alpha && self.presented(c);
        for h in self
            .window(c)
            .iter()
            .filter(|h| h.weight > 0.0 && h.reach != Reach::Message)
        {
            let pull = if h.end <= c.at.start {
                let gap = c.at.start - h.end;
                let below = c.alpha && h.weight >= 2.0 && self.shown_below(h, c);
                if c.alpha && !below && !(h.weight >= 2.0 && says_is(&self.text[h.end..c.at.start], c.letters_only)) {
                    continue;
                }
                if below {
                    // Set apart under the line that names it: as strong as "code: X".
                    h.weight
                } else {
                    let mut near = closeness(gap);
                    if presented && h.weight >= 2.0 && !self.has_break(h.end, c.at.start) {
                        // "The code to authorize your purchase of … with the card ending in 3321 is
                        // 582014": the sentence's subject names the code its end presents, however
                        // long the subject.
                        near = near.max(closeness(13));
                    }
                    h.weight * near * self.crossing(h.end, c.at.start)
                }
            } else if h.start >= c.at.end {
                let gap = h.start - c.at.end;
                // "K7QX2M is your code": an upper-case code with a digit, then only "is" and a possessive.
                if c.alpha
                    && !(h.weight >= 2.0
                        && c.upper_case
                        && !c.letters_only
                        && is_then_possessive(&self.text[c.at.end..h.start]))
                {
                    continue;
                }
                0.9 * h.weight * closeness(gap) * self.crossing(c.at.end, h.start)
            } else {
                continue;
            };
            best = best.max(pull);
        }
        best
    }

    fn crossing(&self, from: usize, to: usize) -> f32 {
        let mut f = 1.0;
        if self.has_break(from, to) {
            f *= 0.7;
        }
        if self.number_between(from, to) {
            f *= 0.6;
        }
        f
    }

    /// Negative cues right before the candidate (or just after it: "4821 EUR", "1234 points").
    fn negatives(&self, c: &Candidate) -> f32 {
        let mut sum = 0.0f32;
        for h in self
            .window(c)
            .iter()
            .filter(|h| h.weight < 0.0 && h.reach != Reach::Message)
        {
            let f = if h.reach == Reach::Sentence {
                // "The code 482913 you requested has expired": the cue speaks for its sentence.
                let (from, to) = if h.end <= c.at.start {
                    (h.end, c.at.start)
                } else {
                    (c.at.end, h.start)
                };
                if from <= to && !self.has_break(from, to) {
                    1.0
                } else {
                    0.0
                }
            } else if h.end <= c.at.start {
                let gap = c.at.start - h.end;
                if c.above.as_ref().is_some_and(|above| h.start >= above.start) {
                    // A code set apart is named by the line above, whatever else that line says
                    // ("Your gift card code is below." then "GC4KX9").
                    1.0
                } else if self.has_break(h.end, c.at.start)
                    || self.text[h.end..c.at.start].iter().any(char::is_ascii_digit)
                    || self.after_number(h.start)
                {
                    // The cue names the nearer number, however short ("INR 120.00 is 582043"), or
                    // masked ("card XX4821"); or the number it follows ("250,00 EUR lautet: 738291",
                    // as "4821 EUR" below).
                    0.0
                } else if gap <= 3 {
                    1.0
                } else if gap <= 10 {
                    0.7
                } else if gap <= 20 {
                    0.3
                } else {
                    0.0
                }
            } else if h.start >= c.at.end
                && h.start - c.at.end <= 2
                && !self.has_break(c.at.end, h.start)
                && !self.number_follows(h.end)
            {
                // "4821 EUR", "1234 points"; but in "583920 call 1-800-…" or "583920 card ending
                // 4411" the cue is about the next number, and after a sentence end about what follows.
                0.8
            } else {
                0.0
            };
            sum += h.weight * f;
        }
        sum.max(-8.0)
    }
}

impl Context<'_> {
    /// The candidate stands alone on its line, upper case with a digit, right under a line that
    /// names the code: one that ends with a colon ("Here is the Steam Guard code you need to login
    /// to account x:" then "F7K2Q"), or whose sentences end there ("Here is the security code to
    /// verify your account. Use it within 15 minutes." then "K7QX2M"). E-mails set codes apart
    /// like this, a character per table cell too.
    fn shown_below(&self, h: &Hit, c: &Candidate) -> bool {
        if !c.upper_case || c.letters_only {
            return false;
        }
        let Some(above) = &c.above else {
            return false;
        };
        let last = self.text[above.end - 1];
        h.end < above.end
            && if matches!(last, ':' | '：') {
                !self.has_break(h.end, above.end - 1)
            } else {
                h.start >= above.start && matches!(last, '.' | '!' | '。' | '！')
            }
    }

    /// A digit ends right before `at`, or one space before it: what starts at `at` follows a number.
    fn after_number(&self, at: usize) -> bool {
        let digit = |i: Option<usize>| i.and_then(|i| self.text.get(i)).is_some_and(char::is_ascii_digit);
        digit(at.checked_sub(1)) || at >= 2 && self.text[at - 1] == ' ' && digit(Some(at - 2))
    }

    /// A capitalised word follows the candidate after one space (`L-2449 Luxembourg`).
    fn place_follows(&self, c: &Candidate) -> bool {
        let e = c.at.end;
        self.text.get(e) == Some(&' ')
            && self.upper.get(e + 1).copied().unwrap_or(false)
            && self
                .text
                .get(e + 2)
                .is_some_and(|ch| ch.is_ascii_alphabetic() && !self.upper[e + 2])
    }

    /// A value follows after `at` in the same sentence, within a few words ("call 1-800-…",
    /// "call +44…", "Ref: ABCD", "card ending in 4411"): the cue at `at` names that value.
    fn number_follows(&self, at: usize) -> bool {
        self.text[at..]
            .iter()
            .enumerate()
            .take(16)
            .take_while(|&(j, &c)| c != '\n' && (c != '.' || abbreviation_dot(self.text, at + j)))
            .any(|(_, &c)| c.is_ascii_digit() || matches!(c, '+' | ':' | '#'))
    }

    /// The message asks to text a word to this number: a send verb and an upper-case word that is
    /// no code keyword lie among the few words before it, in the same sentence ("Text JOIN to
    /// 72345", "Envía ALTA al 22555", "RET yazıp 3404'e gönderin"). Such a number is a short code.
    fn short_code(&self, c: &Candidate) -> bool {
        let start = c.at.start;
        let from = start.saturating_sub(40);
        let lo = from
            + self.text[from..start]
                .iter()
                .rposition(|&ch| ch == '\n' || ch == '.')
                .map_or(0, |i| i + 1);
        let verb = self.hits.iter().any(|h| h.send && h.start >= lo && h.end <= start);
        if !verb {
            return false;
        }
        // The words before the candidate, nearest first: an all-caps word of letters, 2 to 10 long,
        // within 3 words, that no code keyword covers.
        let mut end = start;
        for _ in 0..4 {
            while end > lo && !self.text[end - 1].is_ascii_alphanumeric() {
                end -= 1;
            }
            let mut begin = end;
            while begin > lo && self.text[begin - 1].is_ascii_alphanumeric() {
                begin -= 1;
            }
            if begin == end {
                return false;
            }
            let caps = (2..=10).contains(&(end - begin))
                && (begin..end).all(|i| self.text[i].is_ascii_alphabetic() && self.upper[i]);
            let keyword = self
                .hits
                .iter()
                .any(|h| h.weight > 0.0 && h.start < end && h.end > begin);
            if caps && !keyword {
                return true;
            }
            end = begin;
        }
        false
    }
}

fn closeness(gap: usize) -> f32 {
    match gap {
        0..=3 => 1.0,
        4..=12 => 0.85,
        13..=25 => 0.65,
        26..=80 => 0.4,
        81..=REACH => 0.2,
        _ => 0.0,
    }
}

/// A number written behind a mask of x's (`XX4821`, `xxxx4821`: a card's or an account's last
/// digits): a number of its own, whatever its letters.
fn masked(c: &Candidate) -> bool {
    let digits = c.digits.trim_start_matches('x');
    c.digits.starts_with('x') && digits.len() >= 2 && digits.bytes().all(|b| b.is_ascii_digit())
}

fn shape(c: &Candidate) -> f32 {
    if c.alpha {
        return if c.letters_only { 0.0 } else { 0.5 };
    }
    let n = c.digits.len();
    let mut s = match n {
        6 => 1.0,
        4 | 5 | 7 | 8 => 0.5,
        _ => 0.0,
    };
    if c.grouped {
        s += 0.5;
    }
    if c.prefixed {
        s += 3.0;
    }
    if n == 4 && (c.digits.starts_with("19") || c.digits.starts_with("20")) {
        s -= 0.5;
    }
    s
}

/// The words between a keyword and an alphanumeric candidate say "is" ("code: X", "code is X",
/// "código es X", "kode kamu adalah X"): only "is" and a possessive may stand between. A code of
/// letters alone needs the colon.
fn says_is(gap: &[char], letters_only: bool) -> bool {
    if gap.len() > 24 {
        return false;
    }
    let colon = gap.iter().any(|&c| c == ':' || c == '：');
    if letters_only && !colon {
        return false;
    }
    let gap: String = gap.iter().collect();
    gap.split([' ', ':', '：', '-', '\n'])
        .filter(|w| !w.is_empty())
        .all(|w| IS.contains(&w) || POSSESSIVE.contains(&w))
}

/// The words between an alphanumeric candidate and a keyword after it: an "is", then at most a
/// possessive ("K7QX2M is your code", "XK4P7Q je váš kód").
fn is_then_possessive(gap: &[char]) -> bool {
    if gap.len() > 16 {
        return false;
    }
    let gap: String = gap.iter().collect();
    let mut words = gap.split([' ', '\n']).filter(|w| !w.is_empty());
    words.next().is_some_and(|w| IS.contains(&w)) && words.all(|w| POSSESSIVE.contains(&w))
}

/// "your" in the tables' languages, folded: they may stand between a code keyword and its code.
const POSSESSIVE: &[&str] = &[
    "your",
    "the",
    "tu",
    "su",
    "seu",
    "sua",
    "o",
    "votre",
    "ton",
    "dein",
    "ihr",
    "il",
    "tuo",
    "je",
    "jouw",
    "uw",
    "din",
    "ditt",
    "dit",
    "vas",
    "tvoj",
    "twoj",
    "tvuj",
    "kamu",
    "anda",
    "sinu",
    "tavs",
    "jusu",
    "sizin",
    "\u{432}\u{430}\u{448}",
    "\u{432}\u{430}\u{448}\u{438}\u{44f}\u{442}",
    "\u{3c3}\u{3b1}\u{3c2}",
    "\u{3bf}",
    "tau",
    "dvs",
    "ng",
    "iyong",
    "wako",
    "\u{5e9}\u{5dc}\u{5da}",
];

/// "is" in the tables' languages, folded.
const IS: &[&str] = &[
    "is",
    "es",
    "est",
    "ist",
    "e",
    "to",
    "ay",
    "la",
    "lautet",
    "este",
    "er",
    "jest",
    "adalah",
    "olan",
    "\u{662f}",
    "ar",
    "je",
    "on",
    "ir",
    "yra",
    "ni",
    "ialah",
    "da",
    "\u{3b5}\u{3af}\u{3bd}\u{3b1}\u{3b9}",
    "\u{435}",
    "\u{458}\u{435}",
    "\u{5d4}\u{5d5}\u{5d0}",
    "\u{647}\u{648}",
    "\u{e04}\u{e37}\u{e2d}",
    "\u{e40}\u{e1b}\u{e47}\u{e19}",
    // Thai runs words together: "ของคุณคือ" is "yours is".
    "\u{e02}\u{e2d}\u{e07}\u{e04}\u{e38}\u{e13}\u{e04}\u{e37}\u{e2d}",
    "ng",
    "si",
];

/// The line ending at `at` (a `\n`) ends with a colon, blank lines after it aside: it introduces
/// what comes below ("Enter this code to continue:" then "482913"), so the break is no sentence end.
/// A few characters back at most, so a run of blank lines costs no more than one.
fn introduces(text: &[char], at: usize) -> bool {
    text[at.saturating_sub(12)..at]
        .iter()
        .rev()
        .find(|&&c| !matches!(c, ' ' | '\n'))
        .is_some_and(|&c| matches!(c, ':' | '：'))
}

/// The dot at `i` ends an abbreviation that presents the number after it (`Ref no. 1234`,
/// `Nr. 88123`, `Tel. 555…`): a word of one to three letters before it, a space and a digit after.
/// It ends no sentence, so the cue before it keeps its number.
fn abbreviation_dot(text: &[char], i: usize) -> bool {
    if text.get(i) != Some(&'.') || text.get(i + 1) != Some(&' ') || !text.get(i + 2).is_some_and(char::is_ascii_digit)
    {
        return false;
    }
    let letters = text[..i].iter().rev().take_while(|c| c.is_alphabetic()).count();
    (1..=3).contains(&letters) && (letters == i || !text[i - letters - 1].is_alphanumeric())
}

/// A number followed by a percent sign or "off" ("10%", "20 %", "٪", "₱50 OFF"): a promotion's
/// words; messages with a code carry none.
fn discount(text: &[char]) -> bool {
    let at = |i: usize, c: char| text.get(i) == Some(&c);
    let mark = |i: usize| {
        matches!(text.get(i), Some('%' | '٪'))
            || at(i, 'o') && at(i + 1, 'f') && at(i + 2, 'f') && !text.get(i + 3).is_some_and(|c| c.is_alphanumeric())
    };
    (0..text.len()).any(|i| text[i].is_ascii_digit() && (mark(i + 1) || at(i + 1, ' ') && mark(i + 2)))
}

/// The hit is part of a domain name or web address ("e-shop.gr", "deals.example.com"): a name,
/// not words the message says.
fn in_address(text: &[char], h: &Hit) -> bool {
    let start = text[..h.start]
        .iter()
        .rposition(|c| c.is_whitespace())
        .map_or(0, |i| i + 1);
    let end = text[h.end..]
        .iter()
        .position(|c| c.is_whitespace())
        .map_or(text.len(), |i| h.end + i);
    text[start..end]
        .windows(3)
        .any(|w| w[0].is_alphanumeric() && w[1] == '.' && w[2].is_ascii_alphabetic())
}
