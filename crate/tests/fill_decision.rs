//! The frame fill decision (`site::fill`), over the real Public Suffix List and the shipped sign-in
//! hosts: which frames may get a code at all, and which account's, from the sites each account's
//! codes may go to.

use latchkey_core::site::{Candidate, Decision, FillError, Frame, PublicSuffixList, SignInGroups, SiteError};

fn psl() -> PublicSuffixList {
    let path =
        std::env::var("LATCHKEY_PSL").unwrap_or_else(|_| "/usr/share/publicsuffix/public_suffix_list.dat".into());
    PublicSuffixList::parse(&std::fs::read_to_string(&path).expect("run ./build.sh setup (publicsuffix)"))
}

fn groups() -> SignInGroups {
    SignInGroups::parse(include_str!("../../extension/data/sign-in-sites.txt")).unwrap()
}

fn top(url: &str) -> Frame<'_> {
    Frame {
        url,
        top_url: Some(url),
        is_top: true,
        sandboxed: false,
    }
}

fn account(id: &str, sites: &[&str]) -> Candidate {
    Candidate {
        id: id.into(),
        sites: sites.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn one_match_fills_several_ask_none_says_why() {
    let (psl, groups) = (psl(), groups());
    let accounts = [
        account("github", &["github.com"]),
        account("ms-1", &["live.com"]),
        account("ms-2", &["outlook.com", "example.org"]),
        account("legacy", &[]),
    ];
    let decide = |url: &str| psl.decide(&groups, &top(url), &accounts).map(|(_, d)| d);
    assert_eq!(
        decide("https://github.com/sessions/two-factor"),
        Ok(Decision::Fill("github".into()))
    );
    assert_eq!(decide("https://example.org/verify"), Ok(Decision::Fill("ms-2".into())));
    assert_eq!(
        decide("https://login.live.com/ppsecure/post.srf"),
        Ok(Decision::Choose(vec!["ms-1".into(), "ms-2".into()]))
    );
    assert_eq!(decide("https://gitlab.com/users/sign_in"), Ok(Decision::NoAccount));
    // An account with no sites (a shared account without its sites record) matches nothing.
    assert_eq!(
        psl.decide(&groups, &top("https://Example.NET/x"), &[account("legacy", &[])]),
        Ok(("example.net".to_string(), Decision::NoAccount))
    );
}

#[test]
fn only_web_pages_over_https_or_loopback() {
    let (psl, groups) = (psl(), groups());
    let accounts = [account("a", &["example.com"]), account("local", &["demo.localhost"])];
    let decide = |frame: Frame| psl.decide(&groups, &frame, &accounts).map(|(_, d)| d);
    assert_eq!(decide(top("https://www.example.com/")), Ok(Decision::Fill("a".into())));
    assert_eq!(
        decide(top("http://www.example.com/")),
        Err(FillError::Refused(SiteError::InsecureScheme("http".into())))
    );
    assert_eq!(
        decide(top("http://demo.localhost:8787/demo/")),
        Ok(Decision::Fill("local".into()))
    );
    assert_eq!(decide(top("about:blank")), Err(FillError::NoAddress));
    assert_eq!(decide(top("")), Err(FillError::NoAddress));
    assert!(matches!(
        decide(top("chrome-extension://abc/popup.html")),
        Err(FillError::Refused(_))
    ));
    let sandboxed = Frame {
        sandboxed: true,
        ..top("https://www.example.com/")
    };
    assert_eq!(decide(sandboxed), Err(FillError::Sandboxed));
    // User info and ports are not the host.
    assert_eq!(
        decide(top("https://example.com@evil.example:443/")),
        Ok(Decision::NoAccount)
    );
}

#[test]
fn frames_of_another_site_than_the_page_are_never_filled() {
    let (psl, groups) = (psl(), groups());
    let accounts = [account("a", &["example.com"]), account("ms", &["live.com"])];
    let frame = |url: &'static str, top_url: Option<&'static str>| Frame {
        url,
        top_url,
        is_top: false,
        sandboxed: false,
    };
    let decide = |f: Frame| psl.decide(&groups, &f, &accounts).map(|(_, d)| d);
    assert_eq!(
        decide(frame("https://auth.example.com/otp", Some("https://www.example.com/"))),
        Ok(Decision::Fill("a".into()))
    );
    assert_eq!(
        decide(frame("https://www.example.com/otp", Some("https://evil.example/"))),
        Err(FillError::OtherSiteFrame)
    );
    assert_eq!(
        decide(frame("https://www.example.com/otp", None)),
        Err(FillError::TopUnknown)
    );
    assert!(matches!(
        decide(frame("https://www.example.com/otp", Some("http://www.example.com/"))),
        Err(FillError::Refused(_))
    ));
    // A sign-in host framed by another site (even one of the company) is another site's frame.
    assert_eq!(
        decide(frame("https://login.live.com/", Some("https://www.office.com/"))),
        Err(FillError::OtherSiteFrame)
    );
}

#[test]
fn the_matching_list_is_what_the_badge_and_the_sms_wait_use() {
    let (psl, groups) = (psl(), groups());
    let accounts = [
        account("a", &["example.com"]),
        account("b", &["other.example", "login.example.com"]),
    ];
    assert_eq!(psl.matching(&groups, &accounts, "login.example.com"), ["a", "b"]);
    assert_eq!(psl.matching(&groups, &accounts, "www.other.example"), ["b"]);
    assert!(psl.matching(&groups, &accounts, "example.net").is_empty());
    assert_eq!(
        psl.fillable_host(&top("https://Login.Example.com./x")).as_deref(),
        Ok("login.example.com")
    );
}
