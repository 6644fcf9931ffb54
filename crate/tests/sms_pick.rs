//! Which texted code fills a page and whose inbox it comes from (`sms::pick_code`,
//! `sms::inbox_choice`), with the real Public Suffix List and the shipped sign-in hosts deciding
//! what a domain-bound code's site is. Each rule is also an attack refused: a stale code replayed,
//! a used code filled twice, a code bound to another site filled here.

use latchkey_core::site::{PublicSuffixList, SignInGroups};
use latchkey_core::sms::{inbox_choice, pick_code, InboxChoice, Received, FRESH_SECONDS, TAB_CHOICE_MS};

const NOW: u64 = 1_800_000_000;

fn sites() -> (PublicSuffixList, SignInGroups) {
    let path =
        std::env::var("LATCHKEY_PSL").unwrap_or_else(|_| "/usr/share/publicsuffix/public_suffix_list.dat".into());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}; run ./build.sh setup"));
    let groups = SignInGroups::parse(include_str!("../../extension/data/sign-in-sites.txt")).unwrap();
    (PublicSuffixList::parse(&text), groups)
}

fn msg<'a>(id: &'a str, age: u64, code: Option<&'a str>, domain: Option<&'a str>, after: bool) -> Received<'a> {
    Received {
        id,
        received_at: NOW - age,
        after_wait_began: after,
        code,
        domain,
        verified_sender: None,
    }
}

/// The id of the message picked for a page on `host`, with `used` ids already filled.
fn pick<'a>(messages: &'a [Received<'a>], host: &str, used: &[&str]) -> Option<&'a str> {
    let (psl, groups) = sites();
    pick_code(
        messages,
        NOW,
        host,
        |id| used.contains(&id),
        |bound, page| psl.same_sign_in(&groups, bound, page),
    )
    .map(|i| messages[i].id)
}

#[test]
fn the_newest_fresh_unused_code_is_chosen() {
    let m = [
        msg("a", 100, Some("111111"), None, false),
        msg("b", 10, Some("222222"), None, false),
    ];
    assert_eq!(pick(&m, "demo.localhost", &[]), Some("b"));
    // On equal times, the first listed.
    let tie = [
        msg("a", 10, Some("111111"), None, false),
        msg("b", 10, Some("222222"), None, false),
    ];
    assert_eq!(pick(&tie, "demo.localhost", &[]), Some("a"));
}

#[test]
fn a_code_older_than_five_minutes_is_not_filled_unless_it_arrived_during_the_wait() {
    assert_eq!(
        pick(&[msg("a", FRESH_SECONDS + 1, Some("1"), None, false)], "x.example", &[]),
        None
    );
    assert_eq!(
        pick(&[msg("a", FRESH_SECONDS, Some("1"), None, false)], "x.example", &[]),
        Some("a")
    );
    assert_eq!(
        pick(&[msg("a", FRESH_SECONDS + 60, Some("1"), None, true)], "x.example", &[]),
        Some("a")
    );
    // A clock ahead of the server's: a message from "the future" is fresh, not an overflow.
    let ahead = Received {
        received_at: NOW + 30,
        ..msg("a", 0, Some("1"), None, false)
    };
    assert_eq!(pick(&[ahead], "x.example", &[]), Some("a"));
}

#[test]
fn a_used_message_is_never_filled_again_and_the_next_one_is() {
    let m = [
        msg("a", 10, Some("111111"), None, false),
        msg("b", 20, Some("222222"), None, false),
    ];
    assert_eq!(pick(&m[..1], "x.example", &["a"]), None);
    assert_eq!(pick(&m, "x.example", &["a"]), Some("b"));
}

#[test]
fn a_code_bound_to_another_site_is_not_filled_and_one_bound_to_this_site_is() {
    let other = [msg("a", 10, Some("111111"), Some("other.example"), false)];
    assert_eq!(pick(&other, "demo.localhost", &[]), None);
    let here = [msg("a", 10, Some("111111"), Some("demo.localhost"), false)];
    assert_eq!(pick(&here, "demo.localhost", &[]), Some("a"));
    // Bound to the registrable domain: any host of that site; never a look-alike suffix.
    let apple = [msg("a", 10, Some("482913"), Some("apple.com"), false)];
    assert_eq!(pick(&apple, "appleid.apple.com", &[]), Some("a"));
    assert_eq!(pick(&apple, "apple.com.evil.example", &[]), None);
    assert_eq!(pick(&apple, "notapple.com", &[]), None);
    // Bound to a site whose sign-in another host serves (extension/data/sign-in-sites.txt).
    let live = [msg("a", 10, Some("482913"), Some("live.com"), false)];
    assert_eq!(pick(&live, "login.microsoftonline.com", &[]), Some("a"));
    // A bound code elsewhere does not hide an unbound one for this page.
    let mixed = [
        msg("a", 5, Some("1"), Some("other.example"), false),
        msg("b", 50, Some("2"), None, false),
    ];
    assert_eq!(pick(&mixed, "demo.localhost", &[]), Some("b"));
}

#[test]
fn messages_without_a_code_are_skipped() {
    assert_eq!(pick(&[msg("a", 10, None, None, false)], "x.example", &[]), None);
    let m = [msg("a", 5, None, None, false), msg("b", 10, Some("1"), None, false)];
    assert_eq!(pick(&m, "x.example", &[]), Some("b"));
}

#[test]
fn whose_inbox_the_only_account_or_the_one_used_in_the_tab_lately_else_ask() {
    let now = 1_800_000_000_000;
    assert_eq!(inbox_choice::<&str>(&[], None, now), InboxChoice::None);
    assert_eq!(inbox_choice(&["a"], Some(("b", now)), now), InboxChoice::Account(0));
    assert_eq!(inbox_choice(&["a", "b"], None, now), InboxChoice::Choose);
    assert_eq!(
        inbox_choice(&["a", "b"], Some(("b", now - 1000)), now),
        InboxChoice::Account(1)
    );
    // Used too long ago, or an account that does not fit the page: ask.
    assert_eq!(
        inbox_choice(&["a", "b"], Some(("b", now - TAB_CHOICE_MS - 1)), now),
        InboxChoice::Choose
    );
    assert_eq!(
        inbox_choice(&["a", "b"], Some(("b", now - TAB_CHOICE_MS)), now),
        InboxChoice::Account(1)
    );
    assert_eq!(inbox_choice(&["a", "b"], Some(("c", now)), now), InboxChoice::Choose);
}

/// Anyone can mail a managed address: when a code e-mailed by a sender verified for the page's
/// own site is there, an unverified one (or one verified for the attacker's own domain), however
/// new, does not fill in its place. Without such a message, the newest wins as before.
#[test]
fn a_code_from_a_sender_verified_for_the_site_beats_newer_unverified_ones() {
    let verified = |id, age, domain| Received {
        verified_sender: Some(domain),
        ..msg(id, age, Some("111111"), None, false)
    };
    let site = verified("bank", 60, "bank.example");
    let attacker_own_domain = verified("evil", 10, "evil.example");
    let unverified = msg("forged", 5, Some("999999"), None, false);
    assert_eq!(
        pick(&[site, attacker_own_domain, unverified], "login.bank.example", &[]),
        Some("bank")
    );
    // Used, the verified one no longer shields the others: the newest fills.
    assert_eq!(
        pick(
            &[site, attacker_own_domain, unverified],
            "login.bank.example",
            &["bank"]
        ),
        Some("forged")
    );
    // Verified for another site only: no preference.
    assert_eq!(
        pick(&[attacker_own_domain, unverified], "login.bank.example", &[]),
        Some("forged")
    );
    // A stale verified message does not shield a fresh one.
    let stale = verified("old", FRESH_SECONDS + 1, "bank.example");
    assert_eq!(pick(&[stale, unverified], "login.bank.example", &[]), Some("forged"));
}
