//! The frame fill decision (`site::fill`), over the real Public Suffix List and the shipped sign-in
//! hosts: which frames may get a code at all, and which account's, from the sites each account's
//! codes may go to.

use latchkey_core::site::{
    same_username, Candidate, Decision, FillError, Frame, PublicSuffixList, SignInGroups, SiteError, Step,
};

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
        username: None,
    }
}

fn named(id: &str, site: &str, username: &str) -> Candidate {
    Candidate {
        username: Some(username.into()),
        ..account(id, &[site])
    }
}

const SIGN_IN: Step = Step {
    setup: false,
    new_key: None,
    username: None,
};

#[test]
fn one_match_fills_several_ask_none_says_why() {
    let (psl, groups) = (psl(), groups());
    let accounts = [
        account("github", &["github.com"]),
        account("ms-1", &["live.com"]),
        account("ms-2", &["outlook.com", "example.org"]),
        account("legacy", &[]),
    ];
    let decide = |url: &str| psl.decide(&groups, &top(url), &accounts, &SIGN_IN).map(|(_, d)| d);
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
        psl.decide(
            &groups,
            &top("https://Example.NET/x"),
            &[account("legacy", &[])],
            &SIGN_IN
        ),
        Ok(("example.net".to_string(), Decision::NoAccount))
    );
}

#[test]
fn only_web_pages_over_https_or_loopback() {
    let (psl, groups) = (psl(), groups());
    let accounts = [account("a", &["example.com"]), account("local", &["demo.localhost"])];
    let decide = |frame: Frame| psl.decide(&groups, &frame, &accounts, &SIGN_IN).map(|(_, d)| d);
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
    let decide = |f: Frame| psl.decide(&groups, &f, &accounts, &SIGN_IN).map(|(_, d)| d);
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

#[test]
fn the_user_name_typed_at_sign_in_picks_one_of_several_accounts() {
    let (psl, groups) = (psl(), groups());
    let accounts = [
        named("work", "github.com", "ann@work.example"),
        named("home", "github.com", "ann"),
        named("other", "example.org", "bob"),
        account("unnamed", &["github.com"]),
    ];
    let page = top("https://github.com/sessions/two-factor/app");
    let decide = |username: Option<&str>| {
        let step = Step { username, ..SIGN_IN };
        psl.decide(&groups, &page, &accounts, &step).map(|(_, d)| d)
    };
    assert_eq!(decide(Some("Ann@Work.Example ")), Ok(Decision::Fill("work".into())));
    assert_eq!(decide(Some("ann")), Ok(Decision::Fill("home".into())));
    let all = Decision::Choose(vec!["work".into(), "home".into(), "unnamed".into()]);
    // Nothing typed, or a name no matching account has: the person chooses.
    assert_eq!(decide(None), Ok(all.clone()));
    assert_eq!(decide(Some("carol")), Ok(all.clone()));
    assert_eq!(decide(Some("")), Ok(all.clone()));
    // A name another site's account has never makes it match this site.
    assert_eq!(decide(Some("bob")), Ok(all));
    // Two matching accounts with the same name: still a choice.
    let twins = [named("a", "github.com", "ann"), named("b", "github.com", "ANN")];
    let step = Step {
        username: Some("ann"),
        ..SIGN_IN
    };
    assert_eq!(
        psl.decide(&groups, &page, &twins, &step).map(|(_, d)| d),
        Ok(Decision::Choose(vec!["a".into(), "b".into()]))
    );
    assert!(same_username(" Ann@Example.COM", "ann@example.com"));
    assert!(!same_username("ann", "ann@example.com"));
    assert!(!same_username(" ", " "));
}

#[test]
fn a_setup_step_gets_no_saved_accounts_code_only_the_new_keys() {
    let (psl, groups) = (psl(), groups());
    let accounts = [
        named("old", "github.com", "ann"),
        named("new", "github.com", "ann"),
        account("elsewhere", &["example.org"]),
    ];
    let page = top("https://github.com/settings/two_factor_authentication/setup/intro");
    let decide = |new_key: Option<&str>, username: Option<&str>, list: &[Candidate]| {
        let step = Step {
            setup: true,
            new_key,
            username,
        };
        psl.decide(&groups, &page, list, &step).map(|(_, d)| d)
    };
    // One saved account of the site, even named by the sign-in: its code is the wrong one here.
    assert_eq!(decide(None, Some("ann"), &accounts[..1]), Ok(Decision::Setup));
    assert_eq!(decide(None, None, &accounts), Ok(Decision::Setup));
    // The account saved from this step fills its first code.
    assert_eq!(decide(Some("new"), None, &accounts), Ok(Decision::Fill("new".into())));
    // A new key saved for another site does not make this page fill it.
    assert_eq!(decide(Some("elsewhere"), None, &accounts), Ok(Decision::Setup));
    // A setup step on a site with no account still offers the key.
    assert_eq!(decide(None, None, &[]), Ok(Decision::Setup));
    // And a frame that may not be filled at all stays refused.
    let framed = Frame {
        url: "https://github.com/x",
        top_url: Some("https://evil.example/"),
        is_top: false,
        sandboxed: false,
    };
    let step = Step {
        setup: true,
        new_key: Some("new"),
        username: None,
    };
    assert_eq!(
        psl.decide(&groups, &framed, &accounts, &step),
        Err(FillError::OtherSiteFrame)
    );
}
