//! Sign-in hosts: an app whose sign-in or code step is served on another registrable domain than the
//! one an account was saved for (a Microsoft account saved for `live.com`, its code asked on
//! `login.microsoftonline.com`). Data, like the Public Suffix List
//! (`extension/data/sign-in-sites.txt`): callers load it with [`SignInGroups::parse`]; the shipped
//! file is checked against the real Public Suffix List with [`SignInGroups::check`] by a native test
//! (the extension loads only that file, so it does not pay for the check at each start).
//!
//! Each line names the exact hosts that serve one company's sign-in, then `for`, then the
//! registrable domains of the accounts that sign in there:
//!
//! ```text
//! login.microsoftonline.com login.live.com for live.com microsoft.com outlook.com
//! ```
//!
//! An account saved for `outlook.com` may then get its code on those two hosts, and nowhere else of
//! the company (not `www.microsoft.com`, not `office.com`): a host is the browser's security
//! boundary, so naming one grants no more than its sign-in page already has. Paths are not: a page
//! of `www.example.com/shop` can script `www.example.com/signin`, so path-based sign-ins are left out.

use std::collections::{HashMap, HashSet};

use super::{normalize_host, PublicSuffixList, SiteError};

/// The word between a line's sign-in hosts and its account sites.
const FOR: &str = "for";

/// Which hosts serve the sign-in of which accounts' sites.
#[derive(Debug, Clone, Default)]
pub struct SignInGroups {
    /// Registrable domain of an account's site → its line.
    line_of_site: HashMap<String, usize>,
    /// Exact sign-in host → its line.
    line_of_host: HashMap<String, usize>,
}

impl SignInGroups {
    /// Reads the lines (`#` starts a comment). Refuses what would widen where codes go by accident:
    /// a line without hosts or sites, a name that is not a plain lower-case domain name, a host or
    /// site in two lines.
    pub fn parse(text: &str) -> Result<Self, SiteError> {
        let mut groups = SignInGroups::default();
        for (n, line) in text.lines().enumerate() {
            let line_no = n + 1;
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let bad = |reason: String| SiteError::SignInGroups { line: line_no, reason };
            let words: Vec<&str> = line.split_whitespace().collect();
            let split = words.iter().position(|w| *w == FOR).unwrap_or(0);
            let (hosts, sites) = (&words[..split], &words[(split + 1).min(words.len())..]);
            if hosts.is_empty() || sites.is_empty() {
                return Err(bad(
                    "write the sign-in hosts, then \"for\", then the accounts' sites".into()
                ));
            }
            for (names, seen) in [(hosts, &mut groups.line_of_host), (sites, &mut groups.line_of_site)] {
                for name in names {
                    let host = normalize_host(name).map_err(|e| bad(e.to_string()))?;
                    if host != *name || !host.contains('.') || host.starts_with('[') {
                        return Err(bad(format!("{name:?} is not a lower-case domain name")));
                    }
                    if seen.insert(host, line_no).is_some() {
                        return Err(bad(format!("{name:?} is in two lines")));
                    }
                }
            }
        }
        Ok(groups)
    }

    /// Checks every name against the Public Suffix List (`public_suffix_list.dat` text): each site
    /// must be a registrable domain, each sign-in host must lie under a site of its own line, and
    /// none may be a tenant's name (under a suffix of the list's private section, such as
    /// `myshopify.com`, where anyone can have a name).
    pub fn check(&self, psl_text: &str) -> Result<(), SiteError> {
        let psl = PublicSuffixList::parse(psl_text);
        let private = private_suffixes(psl_text);
        let bad = |line: usize, reason: String| SiteError::SignInGroups { line, reason };
        for (site, &line) in &self.line_of_site {
            if psl.registrable_domain(site).as_deref() != Some(site.as_str()) {
                return Err(bad(line, format!("{site:?} is not a registrable domain")));
            }
            if under_private(&private, site) {
                return Err(bad(line, format!("{site:?} is a tenant's name under a shared suffix")));
            }
        }
        for (host, &line) in &self.line_of_host {
            let site = psl.registrable_domain(host);
            if site.as_ref().and_then(|s| self.line_of_site.get(s)) != Some(&line) {
                return Err(bad(
                    line,
                    format!("{host:?} is not under one of the sites its line names"),
                ));
            }
        }
        Ok(())
    }

    /// Whether `name` is a private-section suffix of the Public Suffix List or lies under one: a
    /// name its owner hands out to others (`shop.myshopify.com`, `user.github.io`).
    pub fn is_tenant(psl_text: &str, name: &str) -> bool {
        under_private(&private_suffixes(psl_text), name)
    }

    /// How many sites and hosts the lines name.
    pub fn len(&self) -> usize {
        self.line_of_site.len() + self.line_of_host.len()
    }

    pub fn is_empty(&self) -> bool {
        self.line_of_site.is_empty() && self.line_of_host.is_empty()
    }

    /// Whether `page_host` (exactly) serves the sign-in of accounts whose site is `account_site`
    /// (a registrable domain).
    pub fn signs_in(&self, account_site: &str, page_host: &str) -> bool {
        matches!(
            (self.line_of_site.get(account_site), self.line_of_host.get(page_host)),
            (Some(a), Some(b)) if a == b
        )
    }
}

/// The domains of the rules in the list's private section (`*.` and `!` dropped). Their names are
/// ASCII in the list, which is all a sign-in line may hold.
fn private_suffixes(psl_text: &str) -> HashSet<&str> {
    let mut private = false;
    let mut out = HashSet::new();
    for line in psl_text.lines() {
        if line.contains("===BEGIN PRIVATE DOMAINS===") {
            private = true;
        } else if line.contains("===END PRIVATE DOMAINS===") {
            private = false;
        } else if private && !line.starts_with("//") {
            if let Some(rule) = line.split_whitespace().next() {
                out.insert(rule.trim_start_matches('!').trim_start_matches("*."));
            }
        }
    }
    out
}

fn under_private(private: &HashSet<&str>, name: &str) -> bool {
    std::iter::once(name)
        .chain(name.match_indices('.').map(|(i, _)| &name[i + 1..]))
        .any(|suffix| private.contains(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lines_and_comments() {
        let g = SignInGroups::parse(
            "# comment\nlogin.microsoftonline.com login.live.com for live.com outlook.com  # trailing\n\naccounts.google.com for google.com youtube.com\n",
        )
        .unwrap();
        assert_eq!(g.len(), 7);
        assert!(g.signs_in("live.com", "login.microsoftonline.com"));
        assert!(g.signs_in("outlook.com", "login.live.com"));
        assert!(g.signs_in("youtube.com", "accounts.google.com"));
        assert!(
            !g.signs_in("live.com", "www.microsoftonline.com"),
            "hosts match exactly"
        );
        assert!(
            !g.signs_in("live.com", "outlook.com"),
            "a site of the line is not a sign-in host"
        );
        assert!(!g.signs_in("live.com", "accounts.google.com"));
        assert!(!g.signs_in("unknown.com", "login.live.com"));
    }

    #[test]
    fn refuses_what_would_widen_a_line() {
        let line_of = |text: &str| match SignInGroups::parse(text) {
            Err(SiteError::SignInGroups { line, .. }) => line,
            other => panic!("{text:?} was accepted: {other:?}"),
        };
        assert_eq!(line_of("a.b.com for b.com\nlonely.com\n"), 2);
        assert_eq!(line_of("a.b.com for\n"), 1);
        assert_eq!(line_of("for b.com\n"), 1);
        assert_eq!(line_of("a.b.com for b.com\na.b.com for c.com\n"), 2);
        assert_eq!(line_of("a.b.com for b.com\nx.c.com for b.com\n"), 2);
        assert_eq!(line_of("a.b.com for Upper.com\n"), 1);
        assert_eq!(line_of("https://a.b.com for b.com\n"), 1);
        assert_eq!(line_of("*.b.com for b.com\n"), 1);
        assert_eq!(line_of("localhost for b.com\n"), 1);
        assert_eq!(line_of("a.b.com/signin for b.com\n"), 1);
    }
}
