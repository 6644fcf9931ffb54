//! Sites that share one sign-in: apps whose login or verification pages live on another registrable
//! domain than the one an account was saved for (a Microsoft account saved for `live.com`, its code
//! asked on `login.microsoftonline.com`). The groups are data, like the Public Suffix List
//! (`extension/data/sign-in-sites.txt`): callers load them with [`SignInGroups::parse`].

use std::collections::HashMap;

use super::{normalize_host, SiteError};

/// Groups of registrable domains, each owned by one company with one sign-in.
#[derive(Debug, Clone, Default)]
pub struct SignInGroups {
    group_of: HashMap<String, usize>,
}

impl SignInGroups {
    /// Reads one group per line (sites separated by spaces, `#` comments). Refuses what would widen
    /// a group by accident: a line of one site, a site that is not a plain host, a site in two lines.
    /// A site that is not a registrable domain (a tenant under a public suffix, a subdomain) never
    /// matches, because pages are compared by their registrable domain.
    pub fn parse(text: &str) -> Result<Self, SiteError> {
        let mut group_of = HashMap::new();
        let mut group = 0;
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let bad = |reason: String| SiteError::SignInGroups { line: n + 1, reason };
            let sites: Vec<&str> = line.split_whitespace().collect();
            if sites.len() < 2 {
                return Err(bad("a group needs at least two sites".into()));
            }
            for site in sites {
                let host = normalize_host(site).map_err(|e| bad(e.to_string()))?;
                if host != site || !host.contains('.') {
                    return Err(bad(format!("{site:?} is not a lower-case domain name")));
                }
                if group_of.insert(host, group).is_some() {
                    return Err(bad(format!("{site:?} is in two groups")));
                }
            }
            group += 1;
        }
        Ok(SignInGroups { group_of })
    }

    /// How many sites the groups name.
    pub fn len(&self) -> usize {
        self.group_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.group_of.is_empty()
    }

    /// Whether two registrable domains are in one group.
    pub fn together(&self, site_a: &str, site_b: &str) -> bool {
        matches!((self.group_of.get(site_a), self.group_of.get(site_b)), (Some(a), Some(b)) if a == b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_groups_and_comments() {
        let g = SignInGroups::parse("# comment\nlive.com microsoftonline.com  # trailing\n\ngoogle.com youtube.com\n")
            .unwrap();
        assert_eq!(g.len(), 4);
        assert!(g.together("live.com", "microsoftonline.com"));
        assert!(g.together("youtube.com", "google.com"));
        assert!(!g.together("live.com", "google.com"));
        assert!(!g.together("live.com", "live.org"));
        assert!(
            !g.together("unknown.com", "unknown.com"),
            "sites outside every group are never together here"
        );
    }

    #[test]
    fn refuses_what_would_widen_a_group() {
        let line_of = |text: &str| match SignInGroups::parse(text) {
            Err(SiteError::SignInGroups { line, .. }) => line,
            other => panic!("{text:?} was accepted: {other:?}"),
        };
        assert_eq!(line_of("a.com b.com\nlonely.com\n"), 2);
        assert_eq!(line_of("a.com b.com\nb.com c.com\n"), 2);
        assert_eq!(line_of("a.com Upper.com\n"), 1);
        assert_eq!(line_of("a.com https://b.com\n"), 1);
        assert_eq!(line_of("a.com localhost\n"), 1);
    }
}
