//! Site matching over the real Public Suffix List (Debian's `publicsuffix` package, which
//! `./build.sh setup` installs) and the fill policy.

use latchkey_core::site::{check_fillable, host_from_input, is_loopback, PublicSuffixList, SignInGroups, SiteError};

fn list_text() -> String {
    let path =
        std::env::var("LATCHKEY_PSL").unwrap_or_else(|_| "/usr/share/publicsuffix/public_suffix_list.dat".into());
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}; run ./build.sh setup to install Debian's publicsuffix"))
}

fn list() -> PublicSuffixList {
    PublicSuffixList::parse(&list_text())
}

#[test]
fn registrable_domains_follow_the_list() {
    let psl = list();
    assert!(psl.len() > 5000, "list looks truncated: {} rules", psl.len());
    // Cases in the style of the list's own test suite (publicsuffix.org test_psl.txt).
    for (host, want) in [
        ("com", None),
        ("example.com", Some("example.com")),
        ("b.example.com", Some("example.com")),
        ("a.b.example.com", Some("example.com")),
        ("uk.com", None),
        ("example.uk.com", Some("example.uk.com")),
        ("b.example.uk.com", Some("example.uk.com")),
        ("test.ac", Some("test.ac")),
        ("mm", None),
        ("c.mm", None),
        ("b.c.mm", Some("b.c.mm")),
        ("a.b.c.mm", Some("b.c.mm")),
        ("jp", None),
        ("test.jp", Some("test.jp")),
        ("www.test.jp", Some("test.jp")),
        ("ac.jp", None),
        ("test.ac.jp", Some("test.ac.jp")),
        ("kyoto.jp", None),
        ("test.kyoto.jp", Some("test.kyoto.jp")),
        ("ide.kyoto.jp", None),
        ("b.ide.kyoto.jp", Some("b.ide.kyoto.jp")),
        ("c.kobe.jp", None),
        ("b.c.kobe.jp", Some("b.c.kobe.jp")),
        ("city.kobe.jp", Some("city.kobe.jp")),
        ("www.city.kobe.jp", Some("city.kobe.jp")),
        ("ck", None),
        ("test.ck", None),
        ("b.test.ck", Some("b.test.ck")),
        ("www.ck", Some("www.ck")),
        ("www.www.ck", Some("www.ck")),
        ("us", None),
        ("test.us", Some("test.us")),
        ("ak.us", None),
        ("test.ak.us", Some("test.ak.us")),
        ("k12.ak.us", None),
        ("test.k12.ak.us", Some("test.k12.ak.us")),
        ("news.bbc.co.uk", Some("bbc.co.uk")),
        ("user.github.io", Some("user.github.io")),
        ("xn--85x722f.com.cn", Some("xn--85x722f.com.cn")),
        ("www.xn--85x722f.xn--55qx5d.cn", Some("xn--85x722f.xn--55qx5d.cn")),
    ] {
        assert_eq!(psl.registrable_domain(host).as_deref(), want, "{host}");
    }
}

#[test]
fn same_site_rules() {
    let psl = list();
    assert!(psl.same_site("paypal.com", "www.paypal.com"));
    assert!(psl.same_site("https://www.paypal.com/signin?x=1", "paypal.com"));
    assert!(psl.same_site("accounts.google.com", "mail.google.com"));
    assert!(!psl.same_site("paypal.com", "paypal.com.evil.net"));
    assert!(!psl.same_site("paypal.com", "paypal.co"));
    assert!(
        !psl.same_site("alice.github.io", "mallory.github.io"),
        "private-section suffixes separate sites"
    );
    assert!(!psl.same_site("bbc.co.uk", "itv.co.uk"));
    assert!(psl.same_site("demo.localhost", "demo.localhost"));
    assert!(!psl.same_site("demo.localhost", "other.localhost"));
    assert!(psl.same_site("127.0.0.1", "127.0.0.1"));
    assert!(!psl.same_site("127.0.0.1", "127.0.0.2"));
    assert!(!psl.same_site("", "example.com"));
    assert_eq!(psl.site_of("WWW.Example.COM."), "example.com");
    assert_eq!(psl.site_of("localhost"), "localhost");
}

#[test]
fn site_input_is_normalised() {
    for (input, want) in [
        ("example.com", "example.com"),
        ("  HTTPS://Www.Example.com:8443/login?next=/#x ", "www.example.com"),
        ("user:pw@example.com/path", "example.com"),
        ("http://[::1]:8080/", "[::1]"),
        ("demo.localhost:8787", "demo.localhost"),
    ] {
        assert_eq!(host_from_input(input).as_deref(), Ok(want), "{input}");
    }
    assert_eq!(host_from_input("  "), Err(SiteError::Empty));
    assert!(matches!(
        host_from_input("exa mple.com"),
        Err(SiteError::InvalidHost(_))
    ));
    assert!(matches!(host_from_input("bücher.de"), Err(SiteError::InvalidHost(_))));
    assert!(matches!(host_from_input("-bad.com"), Err(SiteError::InvalidHost(_))));
}

#[test]
fn fill_policy_https_or_loopback() {
    assert_eq!(check_fillable("https:", "example.com"), Ok(()));
    assert_eq!(check_fillable("http", "localhost"), Ok(()));
    assert_eq!(check_fillable("http:", "demo.localhost"), Ok(()));
    assert_eq!(check_fillable("http:", "127.0.0.1"), Ok(()));
    assert_eq!(check_fillable("http:", "[::1]"), Ok(()));
    assert!(check_fillable("http:", "example.com").is_err());
    assert!(check_fillable("http:", "localhost.example.com").is_err());
    assert!(check_fillable("http:", "127.0.0.1.nip.io").is_err());
    assert!(check_fillable("file:", "").is_err());
    assert!(check_fillable("ftp:", "localhost").is_err());
    assert!(is_loopback("LOCALHOST.") && !is_loopback("mylocalhost"));
}

/// The sign-in hosts the extension ships (`extension/data/sign-in-sites.txt`).
const SIGN_IN_SITES: &str = include_str!("../../extension/data/sign-in-sites.txt");

#[test]
fn shipped_sign_in_hosts_pass_the_public_suffix_list() {
    let psl = list_text();
    let groups = SignInGroups::parse(SIGN_IN_SITES).expect("extension/data/sign-in-sites.txt parses");
    assert!(groups.len() >= 20);
    groups
        .check(&psl)
        .expect("every site a registrable domain, no tenant, every host under its line's sites");
}

#[test]
fn a_list_that_names_a_tenant_or_a_stray_host_is_refused() {
    let psl = list_text();
    let refused = |text: &str| {
        let groups = SignInGroups::parse(text).expect("well-formed");
        match groups.check(&psl) {
            Err(SiteError::SignInGroups { line, reason }) => (line, reason),
            other => panic!("{text:?} passed: {other:?}"),
        }
    };
    // A tenant's name under a private-section suffix: anyone can own one.
    assert_eq!(refused("login.example.com for example.com acme.myshopify.com\n").0, 1);
    assert_eq!(
        refused("# c\nid.atlassian.com for atlassian.com evil.atlassian.net\n").0,
        2
    );
    // A public suffix, or a subdomain where a registrable domain belongs.
    assert_eq!(refused("login.example.com for example.com co.uk\n").0, 1);
    assert_eq!(refused("login.example.com for example.com www.example.org\n").0, 1);
    // A host of another company than its line's sites.
    assert_eq!(refused("login.evil.example for example.com\n").0, 1);
    assert_eq!(refused("shop.myshopify.com for myshopify.com\n").0, 1);
}

#[test]
fn codes_go_to_the_sign_in_hosts_of_an_accounts_site_only() {
    let psl = list();
    let groups = SignInGroups::parse(SIGN_IN_SITES).unwrap();
    for (account, page) in [
        ("live.com", "login.microsoftonline.com"),
        ("https://account.microsoft.com/", "login.live.com"),
        ("outlook.com", "account.live.com"),
        ("LOGIN.LIVE.COM.", "login.live.com"),
        ("youtube.com", "accounts.google.com"),
        ("icloud.com", "idmsa.apple.com"),
        ("twitter.com", "x.com"),
        ("bitbucket.org", "id.atlassian.com"),
        ("live.com", "outlook.live.com"), // the account's own site, as without the list
        ("paypal.com", "www.paypal.com"),
    ] {
        assert!(psl.same_sign_in(&groups, account, page), "{account} on {page}");
    }
    for (account, page) in [
        // Another host of the same company is not a sign-in host.
        ("live.com", "www.microsoft.com"),
        ("live.com", "office.com"),
        ("live.com", "portal.azure.com"),
        ("live.com", "www.microsoftonline.com"),
        ("youtube.com", "www.google.com"),
        ("icloud.com", "www.apple.com"),
        ("trello.com", "www.atlassian.com"),
        ("google.com", "icloud.com"),
        // Look-alikes and tenants.
        ("live.com", "live.com.evil.example"),
        ("live.com", "login.microsoftonline.com.evil.example"),
        ("live.com", "evil-live.com"),
        ("mystore.myshopify.com", "evil.myshopify.com"),
        ("mystore.myshopify.com", "accounts.shopify.com"),
        ("acme.atlassian.net", "id.atlassian.com"), // atlassian.net is in no line
        // Path-based sign-ins are not listed: another store of the company gets nothing.
        ("amazon.com", "www.amazon.de"),
        ("not a site", "live.com"),
    ] {
        assert!(!psl.same_sign_in(&groups, account, page), "{account} on {page}");
    }
    // Without the list, only the site itself.
    assert!(!psl.same_site("live.com", "login.microsoftonline.com"));
}

#[test]
fn tenants_are_the_names_under_the_private_section() {
    let psl = list_text();
    for tenant in [
        "myshopify.com",
        "shop.myshopify.com",
        "user.github.io",
        "x.y.blogspot.com",
    ] {
        assert!(SignInGroups::is_tenant(&psl, tenant), "{tenant}");
    }
    for owned in [
        "google.com",
        "login.microsoftonline.com",
        "bbc.co.uk",
        "github.com",
        "atlassian.com",
    ] {
        assert!(!SignInGroups::is_tenant(&psl, owned), "{owned}");
    }
}

/// The compact list the worker loads (`./build.sh build` writes it with `compact-site-list`) is the
/// text's parse, table for table, and decides every host drawn from the whole list as the text does.
#[test]
fn the_compact_list_decides_as_the_text_parse_on_the_whole_list() {
    let text = list_text();
    let parsed = PublicSuffixList::parse(&text);
    let loaded = PublicSuffixList::from_compact(&parsed.to_compact().expect("the list fits the compact form"))
        .expect("the compact form loads");
    assert_eq!(loaded, parsed);
    assert_eq!(loaded.len(), parsed.len());
    let mut hosts = 0;
    for line in text.lines() {
        let rule = line.split_whitespace().next().unwrap_or("");
        if rule.is_empty() || rule.starts_with("//") || !rule.is_ascii() {
            continue;
        }
        let name = rule
            .trim_start_matches('!')
            .trim_start_matches("*.")
            .to_ascii_lowercase();
        for host in [name.clone(), format!("x.{name}"), format!("y.x.{name}")] {
            assert_eq!(
                loaded.registrable_domain(&host),
                parsed.registrable_domain(&host),
                "{host}"
            );
            assert_eq!(loaded.public_suffix(&host), parsed.public_suffix(&host), "{host}");
            hosts += 1;
        }
    }
    assert!(hosts > 15_000, "only {hosts} hosts drawn from the list");
}
