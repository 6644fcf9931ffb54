//! The Public Suffix List algorithm (publicsuffix.org/list): the longest matching rule wins, an
//! exception rule (`!`) wins over all, `*` matches one label, and with no match the rule is `*`.
//!
//! Loading is on the service worker's path to the first fill after every start, so it is built for
//! that: the rules are copied once into one buffer (no allocation per rule for the ASCII rules,
//! which are nearly all of them) and found through an open-addressing hash table of their offsets,
//! filled in one pass; a hit is confirmed on the bytes. Lookups hash a few suffixes of one host.
//! Still, parsing the whole list took 13 ms of the worker's first site decision, so `./build.sh
//! build` also writes the parsed tables as they are ([`PublicSuffixList::to_compact`]), which the
//! worker loads by copying ([`PublicSuffixList::from_compact`]), checking only that they hold together.

use thiserror::Error;

/// What a rule says about the name it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Kind {
    /// `co.uk`: a public suffix.
    Suffix = b'=',
    /// `*.ck` (stored as `ck`): every name one label under it is a public suffix.
    Wildcard = b'*',
    /// `!www.ck`: not a public suffix, whatever a wildcard says.
    Exception = b'!',
}

/// A parsed Public Suffix List (ICANN and private sections alike, as browsers use them).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PublicSuffixList {
    /// Every rule as its kind's byte followed by the name, ASCII and lower case, back to back.
    names: Vec<u8>,
    /// `(start, end)` of each rule in `names`.
    rules: Vec<(u32, u32)>,
    /// Hash table of rules: `1 +` an index into `rules`, or 0 for an empty slot; linear probing.
    /// Its length is a power of two at least twice the number of rules, so probes stay short.
    slots: Vec<u32>,
}

/// The compact form's first bytes: a format, so an older or foreign file is refused, not misread.
const COMPACT_MAGIC: &[u8; 8] = b"LKPSL02\n";

/// Why a compact list (`public_suffix_list.bin`) was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CompactError {
    #[error("the site list is not in Latchkey's compact form (or from another version): reinstall Latchkey")]
    Format,
    #[error("the site list is cut short or damaged ({0}): reinstall Latchkey")]
    Damaged(&'static str),
    #[error("the Public Suffix List has {0}, which the compact form cannot hold: use a list of the usual shape")]
    TooLarge(&'static str),
}

/// FNV-1a: small and quick; the list is shipped data, so no one picks its collisions.
fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl PublicSuffixList {
    /// Parses `public_suffix_list.dat` text. Lines are rules (up to the first space); `//` starts a
    /// comment line. (Byte by byte: at a worker's start this runs in wasm's baseline tier.)
    pub fn parse(text: &str) -> Self {
        let mut list = PublicSuffixList {
            names: Vec::with_capacity(text.len()),
            rules: Vec::with_capacity(text.len() / 12),
            slots: Vec::new(),
        };
        for line in text.as_bytes().split(|&b| b == b'\n') {
            let line = line.trim_ascii_start();
            let rule = &line[..line.iter().position(u8::is_ascii_whitespace).unwrap_or(line.len())];
            let (kind, name) = match rule {
                [] | [b'/', b'/', ..] => continue,
                [b'!', name @ ..] => (Kind::Exception, name),
                [b'*', b'.', name @ ..] => (Kind::Wildcard, name),
                name => (Kind::Suffix, name),
            };
            list.add(kind, name);
        }
        list.slots = vec![0; (list.rules.len() * 2).next_power_of_two()];
        for i in 0..list.rules.len() {
            let stored = list.stored(i);
            let mut slot = list.first_slot(hash(stored));
            // A rule listed twice is kept once.
            while list.slots[slot] != 0 && list.stored(list.slots[slot] as usize - 1) != stored {
                slot = (slot + 1) & (list.slots.len() - 1);
            }
            list.slots[slot] = i as u32 + 1;
        }
        list
    }

    /// The parsed tables as bytes, for the worker to load without parsing: the magic, the counts of
    /// rules, slots and name bytes (little-endian `u32`s), each rule's length in bytes (a rule starts
    /// where the one before ends), the slots as little-endian `u16`s, then the names. Small types
    /// keep the file small (the worker reads it at its first site decision); a list they cannot
    /// hold is refused.
    pub fn to_compact(&self) -> Result<Vec<u8>, CompactError> {
        if self.rules.len() > usize::from(u16::MAX) {
            return Err(CompactError::TooLarge("more than 65,535 rules"));
        }
        let mut out = Vec::with_capacity(20 + self.rules.len() + 2 * self.slots.len() + self.names.len());
        out.extend_from_slice(COMPACT_MAGIC);
        for n in [self.rules.len(), self.slots.len(), self.names.len()] {
            out.extend_from_slice(&(n as u32).to_le_bytes());
        }
        for &(start, end) in &self.rules {
            out.push(u8::try_from(end - start).map_err(|_| CompactError::TooLarge("a rule over 255 bytes"))?);
        }
        for &slot in &self.slots {
            // Fits: a slot holds at most the number of rules, checked above.
            out.extend_from_slice(&(slot as u16).to_le_bytes());
        }
        out.extend_from_slice(&self.names);
        Ok(out)
    }

    /// Loads what [`Self::to_compact`] wrote. The file ships with the extension, but a damaged one
    /// must still not make a lookup read out of bounds or probe forever: every length and slot is
    /// checked, and the table must keep an empty slot.
    pub fn from_compact(bytes: &[u8]) -> Result<Self, CompactError> {
        let rest = bytes.strip_prefix(COMPACT_MAGIC).ok_or(CompactError::Format)?;
        let (header, tables) = rest.split_at_checked(12).ok_or(CompactError::Damaged("no header"))?;
        let count = |i: usize| u32::from_le_bytes([header[i], header[i + 1], header[i + 2], header[i + 3]]) as usize;
        let (rule_count, slot_count, name_len) = (count(0), count(4), count(8));
        let impossible = CompactError::Damaged("impossible counts");
        let slots_at = rule_count;
        let names_at = slot_count
            .checked_mul(2)
            .and_then(|n| n.checked_add(slots_at))
            .ok_or(impossible.clone())?;
        if tables.len() != names_at.checked_add(name_len).ok_or(impossible)? {
            return Err(CompactError::Damaged("wrong length"));
        }
        let (lengths, rest) = tables.split_at(slots_at);
        let (slots, names) = rest.split_at(names_at - slots_at);
        let mut rules = Vec::with_capacity(rule_count);
        let mut start = 0u32;
        for &len in lengths {
            // Each rule holds at least its kind's byte; the sum is checked against the names below.
            if len == 0 {
                return Err(CompactError::Damaged("an empty rule"));
            }
            let end = start
                .checked_add(u32::from(len))
                .ok_or(CompactError::Damaged("rules and names disagree"))?;
            rules.push((start, end));
            start = end;
        }
        if start as usize != name_len {
            return Err(CompactError::Damaged("rules and names disagree"));
        }
        let slots: Vec<u32> = slots
            .chunks_exact(2)
            .map(|w| u32::from(u16::from_le_bytes([w[0], w[1]])))
            .collect();
        if !slot_count.is_power_of_two() && slot_count != 0 {
            return Err(CompactError::Damaged("slot count"));
        }
        if slots.iter().any(|&s| s as usize > rule_count) || (rule_count > 0 && !slots.contains(&0)) {
            return Err(CompactError::Damaged("a slot out of range"));
        }
        Ok(PublicSuffixList {
            names: names.to_vec(),
            rules,
            slots,
        })
    }

    fn add(&mut self, kind: Kind, name: &[u8]) {
        let start = self.names.len();
        self.names.push(kind as u8);
        if name.is_ascii() {
            self.names.extend_from_slice(name);
            self.names[start + 1..].make_ascii_lowercase();
        } else {
            // Browsers report hosts in ASCII (`xn--…`); store the list's Unicode rules that way too.
            // (`name` is whole UTF-8: the text was split at ASCII bytes only.)
            let ascii = std::str::from_utf8(name).ok().and_then(|name| {
                crate::case::lower(name)
                    .split('.')
                    .map(super::punycode::to_ascii_label)
                    .collect::<Option<Vec<_>>>()
            });
            let Some(ascii) = ascii else {
                self.names.truncate(start);
                return;
            };
            self.names.extend_from_slice(ascii.join(".").as_bytes());
        }
        // Offsets fit u32: the list is a few hundred kilobytes.
        self.rules.push((start as u32, self.names.len() as u32));
    }

    /// Rule `i` as stored: its kind's byte, then its name.
    fn stored(&self, i: usize) -> &[u8] {
        let (start, end) = self.rules[i];
        &self.names[start as usize..end as usize]
    }

    fn first_slot(&self, h: u64) -> usize {
        (h as usize) & (self.slots.len() - 1)
    }

    fn contains(&self, kind: Kind, name: &str) -> bool {
        if self.slots.is_empty() {
            return false;
        }
        let mut key = Vec::with_capacity(name.len() + 1);
        key.push(kind as u8);
        key.extend_from_slice(name.as_bytes());
        let mut slot = self.first_slot(hash(&key));
        loop {
            match self.slots[slot] {
                0 => return false,
                i if self.stored(i as usize - 1) == key.as_slice() => return true,
                _ => slot = (slot + 1) & (self.slots.len() - 1),
            }
        }
    }

    /// Number of rules loaded (each once); a list that failed to load has none.
    pub fn len(&self) -> usize {
        self.slots.iter().filter(|&&s| s != 0).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The public suffix of a lower-case ASCII host (`co.uk` for `www.bbc.co.uk`).
    pub fn public_suffix<'a>(&self, host: &'a str) -> &'a str {
        let labels: Vec<usize> = std::iter::once(0)
            .chain(host.match_indices('.').map(|(i, _)| i + 1))
            .collect();
        // An exception rule prevails over every other match (`!www.ck` makes `www.ck` registrable).
        for (n, &start) in labels.iter().enumerate() {
            if self.contains(Kind::Exception, &host[start..]) {
                return labels.get(n + 1).map_or(&host[start..], |&s| &host[s..]);
            }
        }
        // Otherwise the longest matching rule: walking from the longest suffix, the first hit.
        for (n, &start) in labels.iter().enumerate() {
            let candidate = &host[start..];
            if self.contains(Kind::Suffix, candidate) {
                return candidate;
            }
            if let Some(&parent) = labels.get(n + 1) {
                if self.contains(Kind::Wildcard, &host[parent..]) {
                    return candidate;
                }
            }
        }
        // Default rule `*`: the last label.
        labels.last().map_or(host, |&s| &host[s..])
    }

    /// The registrable domain (public suffix plus one label), or `None` when the host is itself a
    /// public suffix.
    pub fn registrable_domain(&self, host: &str) -> Option<String> {
        let host = host.trim_end_matches('.');
        if host.is_empty() || host.starts_with('.') || host.contains("..") {
            return None;
        }
        let suffix = self.public_suffix(host);
        if suffix.len() >= host.len() {
            return None;
        }
        let prefix = &host[..host.len() - suffix.len() - 1];
        let label = prefix.rsplit('.').next()?;
        Some(format!("{label}.{suffix}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_do_not_answer_for_one_another_and_rules_count_once_each() {
        let list = PublicSuffixList::parse("// c\n\nco.uk\n*.ck\n!www.ck\n公司.cn  trailing words\nCOM\nco.uk\n");
        assert_eq!(list.len(), 5);
        assert!(list.contains(Kind::Suffix, "co.uk"));
        assert!(!list.contains(Kind::Wildcard, "co.uk"));
        assert!(list.contains(Kind::Wildcard, "ck") && !list.contains(Kind::Suffix, "ck"));
        assert!(list.contains(Kind::Exception, "www.ck"));
        assert!(list.contains(Kind::Suffix, "xn--55qx5d.cn"));
        assert!(list.contains(Kind::Suffix, "com"), "rules are lower-cased");
        assert!(!list.contains(Kind::Suffix, "uk") && !list.contains(Kind::Suffix, "o.uk"));
    }

    #[test]
    fn a_damaged_compact_list_is_refused_never_misread() {
        let good = PublicSuffixList::parse("co.uk\n*.ck\n!www.ck\ncom\n")
            .to_compact()
            .unwrap();
        assert!(PublicSuffixList::from_compact(&good).is_ok());
        assert_eq!(
            PublicSuffixList::from_compact(b"co.uk\ncom\n"),
            Err(CompactError::Format)
        );
        // Every truncation, and every single byte changed in the header or the tables.
        for cut in 0..good.len() {
            assert!(PublicSuffixList::from_compact(&good[..cut]).is_err(), "cut at {cut}");
        }
        let names_at = good.len() - PublicSuffixList::parse("co.uk\n*.ck\n!www.ck\ncom\n").names.len();
        for at in 8..names_at {
            for byte in [0u8, 0x7f, 0xff] {
                let mut bad = good.clone();
                if bad[at] == byte {
                    continue;
                }
                bad[at] = byte;
                if let Ok(list) = PublicSuffixList::from_compact(&bad) {
                    // A changed slot may still point in range: lookups must still end, in bounds.
                    for host in ["www.ck", "a.b.ck", "bbc.co.uk", "x.com", "nothing"] {
                        let _ = list.public_suffix(host);
                    }
                }
            }
        }
        // A table without an empty slot would make a lookup of an unknown name probe forever.
        let full = PublicSuffixList {
            names: b"=a".to_vec(),
            rules: vec![(0, 2)],
            slots: vec![1],
        };
        assert!(PublicSuffixList::from_compact(&full.to_compact().unwrap()).is_err());
        // A rule the compact form cannot hold is refused when writing, not cut.
        let long = format!("{}.com\n", "a".repeat(300));
        assert_eq!(
            PublicSuffixList::parse(&long).to_compact(),
            Err(CompactError::TooLarge("a rule over 255 bytes"))
        );
    }
}
