//! The Public Suffix List algorithm (publicsuffix.org/list): the longest matching rule wins, an
//! exception rule (`!`) wins over all, `*` matches one label, and with no match the rule is `*`.

use std::collections::HashSet;

/// A parsed Public Suffix List (ICANN and private sections alike, as browsers use them).
#[derive(Debug, Default, Clone)]
pub struct PublicSuffixList {
    rules: HashSet<String>,
    wildcards: HashSet<String>,
    exceptions: HashSet<String>,
}

impl PublicSuffixList {
    /// Parses `public_suffix_list.dat` text. Lines are rules; `//` starts a comment line.
    pub fn parse(text: &str) -> Self {
        let mut list = PublicSuffixList::default();
        for line in text.lines() {
            let rule = line.split_whitespace().next().unwrap_or("");
            if rule.is_empty() || rule.starts_with("//") {
                continue;
            }
            // Browsers report hosts in ASCII (`xn--…`); store the list's Unicode rules that way too.
            let Some(rule) = rule
                .to_lowercase()
                .split('.')
                .map(super::punycode::to_ascii_label)
                .collect::<Option<Vec<_>>>()
                .map(|labels| labels.join("."))
            else {
                continue;
            };
            if let Some(ex) = rule.strip_prefix('!') {
                list.exceptions.insert(ex.to_string());
            } else if let Some(base) = rule.strip_prefix("*.") {
                list.wildcards.insert(base.to_string());
            } else {
                list.rules.insert(rule);
            }
        }
        list
    }

    /// Number of rules loaded; a list that failed to load has none.
    pub fn len(&self) -> usize {
        self.rules.len() + self.wildcards.len() + self.exceptions.len()
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
            if self.exceptions.contains(&host[start..]) {
                return labels.get(n + 1).map_or(&host[start..], |&s| &host[s..]);
            }
        }
        // Otherwise the longest matching rule: walking from the longest suffix, the first hit.
        for (n, &start) in labels.iter().enumerate() {
            let candidate = &host[start..];
            if self.rules.contains(candidate) {
                return candidate;
            }
            if let Some(&parent) = labels.get(n + 1) {
                if self.wildcards.contains(&host[parent..]) {
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
