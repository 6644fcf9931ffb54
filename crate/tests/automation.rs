//! Automations: the shipped ones parse, every malformed one in `data/automation/refused/` is
//! refused with its line and reason (one case per file, first line `# refused: line N: text`),
//! and an automation can never act on, or send a vault value to, another site.

use latchkey_core::automation::{parse, AutomationError, Condition, Fill, Read, StepKind, Task};
use latchkey_core::site::PublicSuffixList;

fn psl() -> PublicSuffixList {
    let path =
        std::env::var("LATCHKEY_PSL").unwrap_or_else(|_| "/usr/share/publicsuffix/public_suffix_list.dat".into());
    PublicSuffixList::parse(&std::fs::read_to_string(&path).expect("run ./build.sh setup (publicsuffix)"))
}

fn files(dir: &str) -> Vec<(String, String)> {
    let dir = format!("{}/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "automation"))
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no automations in {dir}");
    out
}

#[test]
fn the_shipped_automations_parse() {
    let psl = psl();
    for (path, text) in files("../extension/automations") {
        let a = parse(&text, &psl).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(a.site, "demo.localhost", "{path}");
        assert!(a.steps.len() > 3, "{path}");
    }
}

#[test]
fn turning_on_totp_reads_the_secret_then_fills_the_code_then_checks() {
    let text = std::fs::read_to_string(format!(
        "{}/../extension/automations/demo-turn-on-totp.automation",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let a = parse(&text, &psl()).unwrap();
    assert_eq!((a.app.as_str(), a.task), ("Northwind Cloud", Task::TurnOnTotp));
    let at = |f: &dyn Fn(&StepKind) -> bool| a.steps.iter().position(|s| f(&s.kind)).unwrap();
    let secret = at(&|k| matches!(k, StepKind::Read(_, Read::Secret)));
    let code = at(&|k| matches!(k, StepKind::Fill(_, Fill::NewCode)));
    let backup = at(&|k| matches!(k, StepKind::Read(_, Read::BackupCodes)));
    assert!(secret < code && code < backup);
    assert_eq!(a.steps[0].kind, StepKind::Open("/demo/account/2fa".into()));
    let check = a
        .steps
        .iter()
        .find(|s| matches!(s.kind, StepKind::Check(_, Condition::Present)))
        .unwrap();
    assert_eq!(check.timeout_s, 20);
    assert_eq!(a.steps[1].kind, StepKind::When("#email".into()));
    assert!(a.steps.iter().all(|s| s.line > 0 && !s.describe().is_empty()));
}

#[test]
fn malformed_automations_are_refused_with_their_line_and_reason() {
    let psl = psl();
    for (path, text) in files("tests/data/automation/refused") {
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# refused: line "))
            .unwrap_or_else(|| panic!("{path}: first line must be `# refused: line N: text`"));
        let (line, reason) = expect.split_once(": ").unwrap();
        let err = parse(&text, &psl).expect_err(&path);
        assert_eq!(err.line(), Some(line.parse().unwrap()), "{path}: {err}");
        assert!(err.to_string().contains(reason), "{path}: {err:?} lacks {reason:?}");
        assert!(err.to_string().starts_with(&format!("line {line}: ")), "{path}: {err}");
    }
}

#[test]
fn an_overlong_automation_is_refused_before_parsing() {
    let text = format!("automation 1\n{}", "# padding\n".repeat(2000));
    assert_eq!(parse(&text, &psl()), Err(AutomationError::TooLong));
}

fn demo(psl: &PublicSuffixList) -> latchkey_core::automation::Automation {
    let text = "automation 1\napp Demo\ntask turn-on-totp\nsite demo.localhost\nopen /demo/account/2fa\n\
                fill #password password\nread #secret secret\nfill #code new-code\ncheck #ok present\n";
    parse(text, psl).unwrap()
}

/// The attack: an automation (or a redirect in the middle of a job) takes the tab to another site
/// and fills the password there. Every page is checked against the automation's own site.
#[test]
fn an_automation_never_acts_on_another_site() {
    let psl = psl();
    let a = demo(&psl);
    let origin = "http://demo.localhost:8080";
    assert_eq!(
        a.page_url(&psl, origin, "/demo/account/2fa").unwrap(),
        "http://demo.localhost:8080/demo/account/2fa"
    );
    a.may_act_on(&psl, "http://demo.localhost:1234/demo/login?next=x")
        .unwrap();
    for url in [
        "https://evil.example/demo/account/2fa",
        "http://evil.localhost/",
        "https://demo.localhost.evil.example/",
        "https://evil.example/?demo.localhost",
    ] {
        assert!(
            matches!(a.may_act_on(&psl, url), Err(AutomationError::PageOffSite { .. })),
            "{url}"
        );
    }
    for url in [
        "about:blank",
        "data:text/html,x",
        "chrome-extension://abc/x",
        "ftp://demo.localhost/",
    ] {
        assert!(a.may_act_on(&psl, url).is_err(), "{url}");
    }
    // The job's origin comes from the account's saved site: one on another site is refused too,
    // so a path cannot be resolved onto a foreign origin.
    assert!(matches!(
        a.page_url(&psl, "https://evil.example", "/demo/account/2fa"),
        Err(AutomationError::PageOffSite { .. })
    ));
    assert!(
        a.page_url(&psl, "http://demo.example.com", "/x").is_err(),
        "plain HTTP off loopback"
    );
}

#[test]
fn sites_under_a_public_suffix_are_kept_apart() {
    let psl = psl();
    let text = "automation 1\napp Demo\ntask turn-on-sms\nsite team.github.io\nopen /settings\n\
                check #ok present\n";
    let a = parse(text, &psl).unwrap();
    a.may_act_on(&psl, "https://team.github.io/settings").unwrap();
    assert!(a.may_act_on(&psl, "https://attacker.github.io/settings").is_err());
    let off = "automation 1\napp Demo\ntask turn-on-sms\nsite team.github.io\nopen https://attacker.github.io/\n\
               check #ok present\n";
    assert!(matches!(
        parse(off, &psl),
        Err(AutomationError::OffSite { line: 5, .. })
    ));
}

/// The runner executes the plan only: each `open` resolved on the account's origin, each step with
/// its line and the name (never the value) of what it fills.
#[test]
fn the_plan_resolves_opens_on_the_origin_and_names_values_only() {
    let psl = psl();
    let text = std::fs::read_to_string(format!(
        "{}/../extension/automations/demo-turn-on-totp.automation",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let plan = parse(&text, &psl)
        .unwrap()
        .plan(&psl, Some("http://demo.localhost:8788/"))
        .unwrap();
    assert_eq!(plan.task, "turn-on-totp");
    assert_eq!(plan.site, "demo.localhost");
    let first = &plan.steps[0];
    assert_eq!(first.kind, "open");
    assert_eq!(
        first.url.as_deref(),
        Some("http://demo.localhost:8788/demo/account/2fa")
    );
    let fills: Vec<_> = plan
        .steps
        .iter()
        .filter(|s| s.kind == "fill")
        .map(|s| s.value.unwrap())
        .collect();
    assert_eq!(fills, ["username", "password", "password", "new-code"]);
    assert!(plan.steps.iter().any(|s| s.kind == "read-list"));
    assert_eq!(plan.steps.last().unwrap().condition, Some("text"));
    // A plan for an account saved on another site is refused: no path lands on a foreign origin.
    assert!(matches!(
        parse(&text, &psl).unwrap().plan(&psl, Some("https://evil.example")),
        Err(AutomationError::PageOffSite { .. })
    ));
}

/// The runner holds the plan, not the automation: the site rule it asks before every step is the
/// same one.
#[test]
fn the_runners_page_check_is_the_site_rule() {
    use latchkey_core::automation::may_act_on_site;
    let psl = psl();
    may_act_on_site(&psl, "demo.localhost", "http://demo.localhost:8788/demo/login").unwrap();
    assert!(matches!(
        may_act_on_site(&psl, "demo.localhost", "http://127.0.0.1:9/offsite"),
        Err(AutomationError::PageOffSite { .. })
    ));
    assert!(may_act_on_site(&psl, "demo.localhost", "about:blank").is_err());
}
