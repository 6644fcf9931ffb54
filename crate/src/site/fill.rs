//! The fill decision for one frame that found a code field: may it receive a code at all, and
//! whose. Its inputs are what the browser reports about the frame (its URL, its tab's top URL,
//! whether it is the top frame, whether its origin is opaque), never anything the page says, and
//! for each account the sites its codes may go to: for a shared account, those inside its sealed
//! sites record (`vault::sites`), never the server's plaintext site.
//!
//! Two hints about the page's step may narrow the choice, never widen it (both come from a hostile
//! page in the end): the detector's "this is a two-factor *setup* step" refuses every existing
//! account's code, and the username typed in this tab's sign-in step picks one account among
//! several that match the site. Neither can make an account match a site it was not saved for.

use thiserror::Error;

use super::{check_fillable, host_from_input, PublicSuffixList, SignInGroups, SiteError};

/// What the browser reports about a frame.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    /// The frame's URL.
    pub url: &'a str,
    /// The URL of the tab's top frame, when known.
    pub top_url: Option<&'a str>,
    pub is_top: bool,
    /// The frame's origin is opaque (`"null"`): a sandboxed frame, a `data:` document.
    pub sandboxed: bool,
}

/// An account that could fill, by its caller's id, with the sites its codes may go to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Candidate {
    pub id: String,
    /// Hosts or sites as saved; an empty list matches nothing.
    pub sites: Vec<String>,
    /// The user name or e-mail address the account signs in with (its key's label), when known.
    pub username: Option<String>,
}

/// What the tab says about the step the frame is on.
#[derive(Debug, Clone, Copy, Default)]
pub struct Step<'a> {
    /// The code field sits next to a newly shown key or QR code: the app is setting up two-factor
    /// for an account, and a code of an account saved before is always the wrong one.
    pub setup: bool,
    /// The id of the account saved from this setup step (in this tab): the one whose first code
    /// finishes the set-up.
    pub new_key: Option<&'a str>,
    /// The user name typed or filled in this tab's sign-in step on this site (never a password).
    pub username: Option<&'a str>,
}

/// Why a frame gets no code.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FillError {
    #[error("this frame has no web address")]
    NoAddress,
    #[error("sandboxed frames are never filled")]
    Sandboxed,
    #[error(transparent)]
    Refused(#[from] SiteError),
    #[error("the page around this frame is unknown")]
    TopUnknown,
    #[error("frames of another site than the page are never filled")]
    OtherSiteFrame,
}

/// What to do for a frame that may be filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Exactly one account matches: fill its code.
    Fill(String),
    /// Several match: fill nothing, let the person choose.
    Choose(Vec<String>),
    /// No account's codes may go to this page.
    NoAccount,
    /// A two-factor setup step: no saved account's code goes here; offer to save the new key.
    Setup,
}

/// Whether a user name typed into a sign-in form names the account saved with `saved`: the same
/// text apart from surrounding spaces and case (e-mail addresses and most user names are
/// case-insensitive where people type them).
pub fn same_username(typed: &str, saved: &str) -> bool {
    let (typed, saved) = (typed.trim(), saved.trim());
    !typed.is_empty() && crate::case::lower(typed) == crate::case::lower(saved)
}

/// The scheme and host of a URL the browser reported (already canonical: lower-case scheme,
/// punycode host); `None` for what has no host (`about:blank`, `data:`).
fn web_address(url: &str) -> Option<(&str, String)> {
    let (scheme, _) = url.split_once("://")?;
    Some((scheme, host_from_input(url).ok()?))
}

impl PublicSuffixList {
    /// The host of a frame that may be filled at all: a web page over HTTPS (or on loopback), and
    /// either the top frame or a frame of the same site as the top frame. Frames of other sites
    /// (ads, widgets, other companies' embedded sign-ins) never get a code.
    pub fn fillable_host(&self, frame: &Frame) -> Result<String, FillError> {
        let (scheme, host) = web_address(frame.url).ok_or(FillError::NoAddress)?;
        if frame.sandboxed {
            return Err(FillError::Sandboxed);
        }
        check_fillable(scheme, &host)?;
        if !frame.is_top {
            let (top_scheme, top_host) = frame.top_url.and_then(web_address).ok_or(FillError::TopUnknown)?;
            check_fillable(top_scheme, &top_host)?;
            if self.site_of(&top_host) != self.site_of(&host) {
                return Err(FillError::OtherSiteFrame);
            }
        }
        Ok(host)
    }

    /// The ids of the candidates whose codes may go to a page on `host`: one of their sites is the
    /// page's site, or names a site whose sign-in `host` serves.
    pub fn matching<'c>(&self, groups: &SignInGroups, candidates: &'c [Candidate], host: &str) -> Vec<&'c str> {
        candidates
            .iter()
            .filter(|c| c.sites.iter().any(|site| self.same_sign_in(groups, site, host)))
            .map(|c| c.id.as_str())
            .collect()
    }

    /// The decision for a frame that found a code field, with the frame's host; an error when the
    /// frame may not be filled at all. `step` narrows it: on a setup step only the account saved
    /// from it fills; among several matches, the one whose user name was typed in this tab's
    /// sign-in step fills.
    pub fn decide(
        &self,
        groups: &SignInGroups,
        frame: &Frame,
        candidates: &[Candidate],
        step: &Step,
    ) -> Result<(String, Decision), FillError> {
        let host = self.fillable_host(frame)?;
        let matches = self.matching(groups, candidates, &host);
        if step.setup {
            let fresh = step.new_key.filter(|id| matches.contains(id));
            let decision = fresh.map_or(Decision::Setup, |id| Decision::Fill(id.to_string()));
            return Ok((host, decision));
        }
        let decision = match matches.as_slice() {
            [] => Decision::NoAccount,
            [one] => Decision::Fill(one.to_string()),
            many => match by_username(candidates, many, step.username) {
                Some(id) => Decision::Fill(id.to_string()),
                None => Decision::Choose(many.iter().map(|s| s.to_string()).collect()),
            },
        };
        Ok((host, decision))
    }
}

/// The one match whose saved user name is the one typed, if exactly one is.
fn by_username<'c>(candidates: &'c [Candidate], matches: &[&'c str], typed: Option<&str>) -> Option<&'c str> {
    let typed = typed?;
    let mut named = candidates
        .iter()
        .filter(|c| matches.contains(&c.id.as_str()) && c.username.as_deref().is_some_and(|u| same_username(typed, u)));
    match (named.next(), named.next()) {
        (Some(one), None) => Some(one.id.as_str()),
        _ => None,
    }
}
