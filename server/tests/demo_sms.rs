//! The demo app's text-message verification, end to end over real HTTP: a Northwind user whose
//! phone number is a Latchkey managed number signs in; Northwind (`latchkey-demo`) "texts" the
//! code (a webhook signed with the token both programs were given, posted to `latchkey serve` as a
//! carrier would deliver it); a waiting Latchkey inbox request answers with the sealed SMS; opened
//! with the account's inbox key, it holds the code that completes the sign-in.

use std::time::Duration;

use crate::support::demo::{demo_workspace, DemoSite, PASSWORD};
use crate::support::open_db;
use crate::support::sms::*;
use crate::support::text::contains_word;
use crate::support::TempDir;
use latchkey_core::vault::{Context, Envelope, Sms};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_texted_to_a_managed_number_reaches_the_shared_inbox_and_signs_in() {
    let dir = TempDir::new("demo-sms");
    // No --public-url: the server's own address, which the demo's carrier posts to.
    let site = DemoSite::start(dir.path());
    let server = &site.server;
    let db = open_db(dir.path()).await;
    // An account of the demo workspace (the carrier texts only its numbers), with an inbox key
    // this test holds.
    let f = seed_in(&db, &demo_workspace(&db).await, "+18005550160").await;
    let mut browser = site.browser();

    // Sign up, choose text-message verification with the managed number, sign out.
    let reply = browser
        .submit("/demo/signup", &[("email", "team@example.com"), ("password", PASSWORD)])
        .await;
    reply.redirects_to("/demo/account");
    let reply = browser.submit("/demo/account/2fa", &[]).await;
    assert_eq!(reply.status, 400, "a TOTP setup without a code is refused");
    let reply = browser.send("GET", "/demo/account/2fa", &[]).await;
    assert!(reply.text.contains("/demo/account/2fa/sms"));
    let csrf = browser.csrf("/demo/account/2fa").await;
    let reply = browser
        .send(
            "POST",
            "/demo/account/2fa/sms",
            &[("csrf", &csrf), ("phone", "415 555")],
        )
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    let reply = browser
        .send(
            "POST",
            "/demo/account/2fa/sms",
            &[("csrf", &csrf), ("phone", &f.number)],
        )
        .await;
    reply.redirects_to("/demo/account");
    let account = browser.send("GET", "/demo/account", &[]).await;
    assert!(account.text.contains("ending in 0160"), "{}", account.text);
    let csrf = browser.csrf("/demo/account").await;
    browser
        .send("POST", "/demo/logout", &[("csrf", &csrf)])
        .await
        .redirects_to("/demo/login");

    // The team's extension waits on the inbox while the user signs in.
    let waiter = {
        let api = server.api().as_device(&f.owner_token);
        tokio::spawn(async move { api.get("/api/v1/inbox/wait?after=0&timeout=10").await })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let reply = browser
        .submit("/demo/login", &[("email", "team@example.com"), ("password", PASSWORD)])
        .await;
    reply.redirects_to("/demo/login/verify");
    let page = browser.send("GET", "/demo/login/verify", &[]).await;
    assert!(
        page.text.contains("texted to your phone number ending in 0160"),
        "{}",
        page.text
    );

    // The texted code arrived in the shared inbox, sealed; the inbox key opens it.
    let inbox = tokio::time::timeout(Duration::from_secs(5), waiter)
        .await
        .unwrap()
        .unwrap();
    let body = inbox.expect(200).clone();
    let messages = body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1, "{body}");
    assert_eq!(messages[0]["from"], "22395");
    use base64::Engine;
    let sealed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(messages[0]["sealed"].as_str().unwrap())
        .unwrap();
    let context = Context::sms(&f.workspace_id, &f.account_id, messages[0]["id"].as_str().unwrap());
    let sms = Sms::open(&f.inbox, &Envelope::from_bytes(sealed).unwrap(), &context).unwrap();
    let code: String = sms.text.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(code.len(), 6, "{:?}", sms.text.len());

    // A wrong code is refused (pointing at the text message), the texted one signs in.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let reply = browser.submit("/demo/login/verify", &[("otp", wrong)]).await;
    assert_eq!(reply.status, 401);
    assert!(reply.text.contains("the text message"), "{}", reply.text);
    let reply = browser.submit("/demo/login/verify", &[("otp", &code)]).await;
    reply.redirects_to("/demo/account");
    assert!(
        !contains_word(&server.stderr(), &code),
        "the texted code reached the log"
    );
    assert!(
        !contains_word(&site.app.stderr(), &code),
        "the texted code reached the demo's log"
    );
}
