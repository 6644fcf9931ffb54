//! Which received code fills a page, and whose inbox it comes from: one set of rules for texted
//! and e-mailed codes (a field that could take either waits on both kinds, and these rules pick
//! among them). Pure rules over what the caller already knows: each message's id, arrival time and
//! found code ([`super::extract`] for an SMS, the mail reader for an e-mail, run where the message
//! is opened), the ids already used, the page's host, and a same-site test (the caller's Public
//! Suffix List and sign-in groups: `site`).
//!
//! A message's code fills when:
//! - it arrived during the wait (after the page asked), or at most [`FRESH_SECONDS`] before it:
//!   an older code was meant for an earlier sign-in;
//! - its message was never filled before (a code is used once);
//! - it has a code at all;
//! - when the message binds its code to a site (`@example.com #123456`), that site is the page's.
//!
//! Of those, the newest wins (on equal times, the first listed), except that when one of them is an
//! e-mail whose sender the server verified (DKIM/DMARC) for the page's own site, only such e-mails
//! compete: anyone can mail a managed address, so an unverified code (or one verified for the
//! sender's own domain) cannot push a verified one from the site aside. TOTP codes never reach
//! these rules: an SMS field is filled from an inbox only.

/// How old a message may be when the wait begins, in seconds.
pub const FRESH_SECONDS: u64 = 5 * 60;

/// How long the account last used in a tab stays its choice, in milliseconds.
pub const TAB_CHOICE_MS: u64 = 15 * 60 * 1000;

/// One opened message (an SMS or an e-mail), as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received<'a> {
    pub id: &'a str,
    /// When the server received it, Unix seconds.
    pub received_at: u64,
    /// It arrived through the wait, after the page asked for a code.
    pub after_wait_began: bool,
    /// The code found in its text, if any.
    pub code: Option<&'a str>,
    /// The site the message binds its code to (`@example.com #123456`), if any.
    pub domain: Option<&'a str>,
    /// An e-mail's sender domain as the server verified it (DKIM/DMARC aligned with `From:`);
    /// `None` for an SMS, an unverified sender, or verification off.
    pub verified_sender: Option<&'a str>,
}

/// The index in `messages` of the one whose code fills a page on `page_host`, or `None`.
///
/// `used(id)` says whether a message was filled before; `same_site(bound, page_host)` whether a
/// message bound to `bound` may fill a page on `page_host`.
pub fn pick_code(
    messages: &[Received],
    now_unix: u64,
    page_host: &str,
    used: impl Fn(&str) -> bool,
    same_site: impl Fn(&str, &str) -> bool,
) -> Option<usize> {
    let eligible = |m: &Received| {
        let fresh = m.after_wait_began || now_unix.saturating_sub(m.received_at) <= FRESH_SECONDS;
        m.code.is_some() && fresh && !used(m.id) && m.domain.is_none_or(|bound| same_site(bound, page_host))
    };
    let from_site = |m: &Received| m.verified_sender.is_some_and(|d| same_site(d, page_host));
    let only_from_site = messages.iter().any(|m| eligible(m) && from_site(m));
    let mut best: Option<usize> = None;
    for (i, m) in messages.iter().enumerate() {
        let competes = eligible(m) && (!only_from_site || from_site(m));
        if competes && best.is_none_or(|b| m.received_at > messages[b].received_at) {
            best = Some(i);
        }
    }
    best
}

/// Whose inbox fills a page when accounts with a managed number or address share its site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InboxChoice {
    /// This account's (an index into the matches).
    Account(usize),
    /// Several fit and none was just used in the tab: the person chooses.
    Choose,
    /// No account with a managed number fits the page.
    None,
}

/// The only match; of several, the one used in the tab (its code filled there, or the person
/// chose it) in the last [`TAB_CHOICE_MS`]; else the person is asked.
///
/// `matches` are the fitting accounts' ids; `used` the account last used in the tab and when
/// (Unix milliseconds).
pub fn inbox_choice<Id: PartialEq>(matches: &[Id], used: Option<(Id, u64)>, now_ms: u64) -> InboxChoice {
    match matches {
        [] => InboxChoice::None,
        [_] => InboxChoice::Account(0),
        _ => used
            .filter(|&(_, at)| now_ms.saturating_sub(at) <= TAB_CHOICE_MS)
            .and_then(|(id, _)| matches.iter().position(|m| *m == id))
            .map_or(InboxChoice::Choose, InboxChoice::Account),
    }
}
