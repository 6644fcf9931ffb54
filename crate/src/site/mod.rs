//! Which site a page belongs to, and whether Latchkey may fill a code there.
//!
//! A site is a registrable domain ("eTLD+1", e.g. `paypal.com` for `www.paypal.com`, `bbc.co.uk` for
//! `news.bbc.co.uk`), computed with the Public Suffix List. The list is data, not code: callers load
//! it ([`PublicSuffixList::parse`]) so the wasm stays small and the list can be updated alone.

pub mod fill;
mod psl;
mod punycode;
mod sign_in;

pub use fill::{same_username, Candidate, Decision, FillError, Frame, Step};
pub use psl::{CompactError, PublicSuffixList};
pub use sign_in::SignInGroups;

use thiserror::Error;

/// Why a site or page was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SiteError {
    #[error("enter a site such as example.com or https://example.com/login")]
    Empty,
    #[error("{0:?} is not a host name: use letters, digits, dots and dashes (international names in their xn-- form)")]
    InvalidHost(String),
    #[error("codes are filled only over HTTPS (or on this computer's localhost), not on {0}:// pages")]
    InsecureScheme(String),
    #[error("sign-in sites, line {line}: {reason}")]
    SignInGroups { line: usize, reason: String },
}

/// Extracts and normalises the host from what a person types as an account's site:
/// `example.com`, `https://www.example.com/login?x`, `example.com:8443`, `user@host`.
pub fn host_from_input(input: &str) -> Result<String, SiteError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(SiteError::Empty);
    }
    let s = s.split_once("://").map_or(s, |(_, rest)| rest);
    let s = s.split(['/', '?', '#']).next().unwrap_or("");
    let s = s.rsplit_once('@').map_or(s, |(_, host)| host);
    let host = if let Some(v6) = s.strip_prefix('[') {
        format!("[{}]", v6.split(']').next().unwrap_or(""))
    } else {
        s.split(':').next().unwrap_or("").to_string()
    };
    normalize_host(&host)
}

/// Lower-cases, drops one trailing dot, and checks the characters of a host name or IP literal.
pub fn normalize_host(host: &str) -> Result<String, SiteError> {
    let h = host.trim().trim_end_matches('.').to_ascii_lowercase();
    let ok = if let Some(inner) = h.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
        !inner.is_empty() && inner.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
    } else {
        !h.is_empty()
            && h.len() <= 253
            && h.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            })
    };
    if ok {
        Ok(h)
    } else {
        Err(SiteError::InvalidHost(host.to_string()))
    }
}

/// Hosts that never leave this computer, where plain HTTP is acceptable (the browser also treats
/// them as secure contexts): `localhost`, `*.localhost`, `127.0.0.0/8` and `[::1]`.
pub fn is_loopback(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    h == "localhost"
        || h.ends_with(".localhost")
        || h == "[::1]"
        || (h.starts_with("127.") && h.split('.').count() == 4 && h.split('.').all(|o| o.parse::<u8>().is_ok()))
}

/// Whether a page with this URL scheme and host may receive a code at all.
pub fn check_fillable(scheme: &str, host: &str) -> Result<(), SiteError> {
    let scheme = scheme.trim_end_matches(':').to_ascii_lowercase();
    match scheme.as_str() {
        "https" => Ok(()),
        "http" if is_loopback(host) => Ok(()),
        _ => Err(SiteError::InsecureScheme(scheme)),
    }
}

fn is_ip_literal(host: &str) -> bool {
    host.starts_with('[') || (host.split('.').count() == 4 && host.split('.').all(|o| o.parse::<u8>().is_ok()))
}

impl PublicSuffixList {
    /// The site a host belongs to: its registrable domain, or the host itself for IP addresses,
    /// single-label hosts and hosts that are themselves public suffixes.
    pub fn site_of(&self, host: &str) -> String {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        if is_ip_literal(&host) {
            return host;
        }
        self.registrable_domain(&host).unwrap_or(host)
    }

    /// Whether a page on `page_host` belongs to the same site as an account saved for `account_site`.
    pub fn same_site(&self, account_site: &str, page_host: &str) -> bool {
        self.same_sign_in(&SignInGroups::default(), account_site, page_host)
    }

    /// [`Self::same_site`], or `page_host` is one of the hosts that serve the sign-in of the
    /// account's site in `groups`.
    pub fn same_sign_in(&self, groups: &SignInGroups, account_site: &str, page_host: &str) -> bool {
        let Ok(account_host) = host_from_input(account_site) else {
            return false;
        };
        let page_host = page_host.trim_end_matches('.').to_ascii_lowercase();
        let account = self.site_of(&account_host);
        account == self.site_of(&page_host) || groups.signs_in(&account, &page_host)
    }
}
