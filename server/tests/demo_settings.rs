//! The demo app's settings pages as automations drive them (extension/automations/demo-*): the
//! two-factor page asks for the password again, shows a QR code with a "Can't scan it?" key, and
//! shows backup codes once after the code is confirmed; the profile changes the phone number with
//! a code texted to the new number; the two-factor page turns on texts to the verified number.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::support::demo::{demo_workspace, Browser, DemoSite, PASSWORD};
use crate::support::open_db;
use crate::support::sms::*;
use crate::support::TempDir;
use latchkey_core::otp::Otp;
use latchkey_core::vault::{Context, Envelope, Sms};

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// The base32 key between `<code id="secret">` and `</code>`, spaces removed.
fn secret_of(html: &str) -> String {
    let start = html.find("<code id=\"secret\">").expect("a secret key") + 18;
    html[start..start + html[start..].find("</code>").unwrap()].replace(' ', "")
}

async fn signed_up(browser: &mut Browser, email: &str) {
    browser
        .submit("/demo/signup", &[("email", email), ("password", PASSWORD)])
        .await
        .redirects_to("/demo/account");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_two_factor_page_asks_for_the_password_then_shows_backup_codes_once() {
    let dir = TempDir::new("demo-settings-2fa");
    let site = DemoSite::start_with(dir.path(), &["--reauth-after", "0"]);
    let mut browser = site.browser();
    signed_up(&mut browser, "owner@example.com").await;

    let page = browser.get("/demo/account/2fa").await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("id=\"reauth-password\""), "{}", page.text);
    assert!(!page.text.contains("id=\"secret\""), "no key before the password");

    // The confirm form is not taken before the password: back to the page that asks for it.
    browser
        .submit("/demo/account/2fa", &[("code", "123456")])
        .await
        .redirects_to("/demo/account/2fa");
    let csrf = browser.csrf("/demo/account/2fa").await;
    let reply = browser
        .post(
            "/demo/account/2fa/reauth",
            &[("csrf", &csrf), ("password", "not my password")],
        )
        .await;
    assert_eq!(reply.status, 401);
    assert!(reply.text.contains("That password isn") && !reply.text.contains("id=\"secret\""));

    let setup = browser
        .post("/demo/account/2fa/reauth", &[("csrf", &csrf), ("password", PASSWORD)])
        .await;
    assert_eq!(setup.status, 200, "{}", setup.text);
    for part in ["id=\"qr\"", "Can't scan it?", "id=\"confirm\""] {
        assert!(setup.text.contains(part), "{part} missing: {}", setup.text);
    }
    let otp = Otp::parse(&secret_of(&setup.text)).unwrap();
    browser
        .post("/demo/account/2fa", &[("csrf", &csrf), ("code", &otp.code_at(now()))])
        .await
        .redirects_to("/demo/account");

    let account = browser.get("/demo/account").await.text;
    assert!(
        account.contains("Two-factor authentication: <strong>On</strong>"),
        "{account}"
    );
    let list = &account[account.find("<ol id=\"backup-codes\">").expect("backup codes shown")..];
    let list = &list[..list.find("</ol>").unwrap()];
    assert_eq!(list.matches("<li>").count(), 10, "{list}");
    assert!(account.contains("id=\"backup-codes-saved\""));
    let again = browser.get("/demo/account").await.text;
    assert!(!again.contains("id=\"backup-codes\""), "backup codes are shown once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recent_sign_in_opens_the_two_factor_page_without_asking_again() {
    let dir = TempDir::new("demo-settings-recent");
    let site = DemoSite::start(dir.path());
    let mut browser = site.browser();
    signed_up(&mut browser, "recent@example.com").await;
    let page = browser.get("/demo/account/2fa").await.text;
    assert!(
        page.contains("id=\"secret\"") && !page.contains("reauth-password"),
        "{page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_number_is_verified_by_the_code_texted_to_it_then_takes_the_sign_in_codes() {
    let dir = TempDir::new("demo-settings-phone");
    let site = DemoSite::start(dir.path());
    let db = open_db(dir.path()).await;
    let f = seed_in(&db, &demo_workspace(&db).await, "+18005550161").await;
    let mut browser = site.browser();
    signed_up(&mut browser, "phone@example.com").await;

    let profile = browser.get("/demo/account/profile").await.text;
    assert!(profile.contains("Phone number: <strong>None</strong>"), "{profile}");
    let reply = browser.submit("/demo/account/profile", &[]).await;
    assert_eq!(reply.status, 405, "the profile page itself takes no form");

    let waiter = {
        let api = site.server.api().as_device(&f.owner_token);
        tokio::spawn(async move { api.get("/api/v1/inbox/wait?after=0&timeout=10").await })
    };
    let csrf = browser.csrf("/demo/account/profile").await;
    browser
        .post("/demo/account/profile/phone", &[("csrf", &csrf), ("phone", &f.number)])
        .await
        .redirects_to("/demo/account/profile");
    let profile = browser.get("/demo/account/profile").await.text;
    assert!(profile.contains("id=\"verify-phone\""), "{profile}");
    assert!(
        profile.contains("Phone number: <strong>None</strong>"),
        "not verified yet"
    );

    let inbox = tokio::time::timeout(Duration::from_secs(8), waiter)
        .await
        .unwrap()
        .unwrap();
    let body = inbox.expect(200).clone();
    let message = &body["messages"][0];
    use base64::Engine;
    let sealed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(message["sealed"].as_str().unwrap())
        .unwrap();
    let context = Context::sms(&f.workspace_id, &f.account_id, message["id"].as_str().unwrap());
    let sms = Sms::open(&f.inbox, &Envelope::from_bytes(sealed).unwrap(), &context).unwrap();
    assert!(sms.text.contains("verification code"), "{:?}", sms.text.len());
    let code: String = sms.text.chars().filter(char::is_ascii_digit).collect();

    let wrong = if code == "000000" { "111111" } else { "000000" };
    browser
        .post(
            "/demo/account/profile/phone/verify",
            &[("csrf", &csrf), ("code", wrong)],
        )
        .await
        .redirects_to("/demo/account/profile");
    let profile = browser.get("/demo/account/profile").await.text;
    assert!(
        profile.contains("didn&#39;t match") || profile.contains("didn't match"),
        "{profile}"
    );
    browser
        .post(
            "/demo/account/profile/phone/verify",
            &[("csrf", &csrf), ("code", &code)],
        )
        .await
        .redirects_to("/demo/account/profile");
    let profile = browser.get("/demo/account/profile").await.text;
    assert!(profile.contains("0161 <strong>Verified</strong>"), "{profile}");

    // The two-factor page now offers the verified number; one click turns texts on.
    let setup = browser.get("/demo/account/2fa").await.text;
    assert!(setup.contains("id=\"use-verified-number\""), "{setup}");
    let csrf = browser.csrf("/demo/account/2fa").await;
    browser
        .post("/demo/account/2fa/sms-verified", &[("csrf", &csrf)])
        .await
        .redirects_to("/demo/account");
    let account = browser.get("/demo/account").await.text;
    assert!(account.contains("ending in 0161"), "{account}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn texts_to_a_verified_number_need_one_and_the_two_factor_page_opened() {
    let dir = TempDir::new("demo-settings-unverified");
    let site = DemoSite::start_with(dir.path(), &["--reauth-after", "0"]);
    let mut browser = site.browser();
    signed_up(&mut browser, "nophone@example.com").await;
    let csrf = browser.csrf("/demo/account").await;
    // The two-factor page was never opened after a password entry: the form is not taken.
    browser
        .post("/demo/account/2fa/sms-verified", &[("csrf", &csrf)])
        .await
        .redirects_to("/demo/account/2fa");
    browser
        .post("/demo/account/2fa/reauth", &[("csrf", &csrf), ("password", PASSWORD)])
        .await;
    let reply = browser.post("/demo/account/2fa/sms-verified", &[("csrf", &csrf)]).await;
    assert_eq!(reply.status, 400, "no verified number: {}", reply.text);
    let account = browser.get("/demo/account").await.text;
    assert!(
        account.contains("Two-factor authentication: <strong>Off</strong>"),
        "{account}"
    );
}

/// The profile changes the password after the current one: the old password no longer signs in
/// (how a password saved in Latchkey goes stale, for the automation's `wrong_password` case).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_profile_changes_the_password_after_the_current_one() {
    let dir = TempDir::new("demo-settings-password");
    let site = DemoSite::start(dir.path());
    let mut browser = site.browser();
    signed_up(&mut browser, "owner@example.com").await;
    let new_password = "a brand new password";
    let csrf = browser.csrf("/demo/account/profile").await;
    let change = "/demo/account/profile/password";

    // A wrong current password changes nothing.
    browser
        .post(
            change,
            &[
                ("csrf", &csrf),
                ("current-password", "not my password"),
                ("new-password", new_password),
            ],
        )
        .await
        .redirects_to("/demo/account/profile");
    let page = browser.get("/demo/account/profile").await.text;
    assert!(page.contains("That current password isn"), "{page}");
    // Too short a new one is refused with the sign-up's sentence.
    browser
        .post(
            change,
            &[
                ("csrf", &csrf),
                ("current-password", PASSWORD),
                ("new-password", "short"),
            ],
        )
        .await
        .redirects_to("/demo/account/profile");
    assert!(browser
        .get("/demo/account/profile")
        .await
        .text
        .contains("at least 8 characters"));

    browser
        .post(
            change,
            &[
                ("csrf", &csrf),
                ("current-password", PASSWORD),
                ("new-password", new_password),
            ],
        )
        .await
        .redirects_to("/demo/account/profile");
    assert!(browser
        .get("/demo/account/profile")
        .await
        .text
        .contains("Your password is changed."));

    // Signed out: the old password is refused, the new one signs in.
    let csrf = browser.csrf("/demo/account").await;
    browser
        .post("/demo/logout", &[("csrf", &csrf)])
        .await
        .redirects_to("/demo/login");
    let refused = browser
        .submit("/demo/login", &[("email", "owner@example.com"), ("password", PASSWORD)])
        .await;
    assert_eq!(refused.status, 401, "{}", refused.text);
    browser
        .submit(
            "/demo/login",
            &[("email", "owner@example.com"), ("password", new_password)],
        )
        .await
        .redirects_to("/demo/account");
}

/// Tests only: `--changed-page` shows the two-factor page's key under another id, as an app whose
/// page changed under an automation (its `read #secret` then finds nothing).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_page_shows_the_key_under_another_id() {
    let dir = TempDir::new("demo-settings-changed");
    let site = DemoSite::start_with(dir.path(), &["--changed-page"]);
    let mut browser = site.browser();
    signed_up(&mut browser, "owner@example.com").await;
    let page = browser.get("/demo/account/2fa").await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("<code id=\"setup-key\">"), "{}", page.text);
    assert!(!page.text.contains("id=\"secret\""), "{}", page.text);
}
