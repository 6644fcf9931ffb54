//! `latchkey automation check`: the dry run of an automation (the real binary): the plan of a
//! shipped automation with its pages resolved on the account's origin, a malformed one refused with
//! its line, and an origin on another site refused before anything would be opened.

use crate::support::server::{latchkey, refused, stdout};

fn repo(path: &str) -> String {
    format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn prints_the_plan_of_a_shipped_automation_and_changes_nothing() {
    let file = repo("extension/automations/demo-turn-on-totp.automation");
    let out = latchkey(&["automation", "check", &file, "--origin", "http://demo.localhost:8788"]);
    assert!(out.status.success(), "{out:?}");
    let plan = stdout(&out);
    assert!(
        plan.contains("Northwind Cloud (turn-on-totp) on demo.localhost"),
        "{plan}"
    );
    assert!(
        plan.contains("line   7: open http://demo.localhost:8788/demo/account/2fa"),
        "{plan}"
    );
    assert!(plan.contains("fill password into #reauth-password"), "{plan}");
    assert!(plan.contains("read the secret from #secret"), "{plan}");
    for file in ["demo-add-number", "demo-turn-on-sms"] {
        let out = latchkey(&[
            "automation",
            "check",
            &repo(&format!("extension/automations/{file}.automation")),
        ]);
        assert!(out.status.success(), "{file}: {out:?}");
    }
}

#[test]
fn a_malformed_automation_or_a_foreign_origin_is_refused_with_the_line() {
    let off_site = repo("server/../crate/tests/data/automation/refused/off-site-open.automation");
    refused(&latchkey(&["automation", "check", &off_site]), 1, "line 6: ");
    let file = repo("extension/automations/demo-add-number.automation");
    refused(
        &latchkey(&["automation", "check", &file, "--origin", "https://evil.example"]),
        1,
        "not on demo.localhost",
    );
    refused(
        &latchkey(&["automation", "check", "/nonexistent.automation"]),
        2,
        "cannot read",
    );
}
