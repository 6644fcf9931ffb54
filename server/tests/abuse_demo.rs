//! The demo app is a fixture, never part of the product. Every server used to serve it: anonymous
//! sign-up, and a "carrier" that signed SMS webhooks with the server's own token, so anyone could
//! sign up, give any managed number of any workspace as their phone, sign in, and have a signed
//! text land in that workspace's shared inbox. Then it was served with `--demo` only. Now it is a
//! program of its own (`latchkey-demo`): `latchkey serve` serves no demo app with or without
//! `--demo`, and the demo's carrier texts only the numbers of the demo workspace: another
//! workspace's number gets nothing. The same for its e-mailed codes: its postman mails only the
//! demo workspace's managed addresses (another workspace's address would otherwise receive mail of
//! an anonymous stranger's choosing through whatever relay the demo is given).

use crate::support::demo::{demo_workspace, Browser, DemoSite, PASSWORD};
use crate::support::mail::{account_with_inbox, create_address, DOMAIN};
use crate::support::sms::*;
use crate::support::{member, now, open_db, Server, TempDir};
use latchkey::domain::Role;

/// What a production server answers on the demo app's routes: nothing.
async fn serves_no_demo_app(server: &Server) {
    let api = server.api();
    for path in [
        "/demo",
        "/demo/",
        "/demo/signup",
        "/demo/login",
        "/demo/login/verify",
        "/demo/account",
    ] {
        assert_eq!(api.get(path).await.status, 404, "GET {path}");
    }
    for path in ["/demo/signup", "/demo/login", "/demo/account/2fa/sms"] {
        let post = api
            .raw(
                "POST",
                path,
                Some("application/x-www-form-urlencoded"),
                b"email=a%40b.test&password=correct+horse+battery".to_vec(),
                &[],
            )
            .await;
        assert_eq!(post.status, 404, "POST {path}");
    }
    let index = api.get("/").await;
    assert!(!index.text.contains("/demo/"), "{}", index.text);
    assert!(!server.stdout().contains("demo app at"), "{}", server.stdout());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_demo_serves_no_demo_app() {
    let dir = TempDir::new("abuse-no-demo");
    serves_no_demo_app(&Server::start(dir.path(), &[])).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_with_the_demo_workspace_serves_no_demo_app_either() {
    let dir = TempDir::new("abuse-demo-seed-no-app");
    let site = DemoSite::start(dir.path());
    serves_no_demo_app(&site.server).await;
    // The app is the other program, on its own port.
    assert_ne!(site.app.port, site.server.port);
    assert_eq!(site.app.api().get("/demo/").await.status, 200);
}

/// A stranger signs up to the demo with `number` as their phone, then signs in (which texts it).
async fn stranger_texts(mut browser: Browser, email: &str, number: &str) -> String {
    browser
        .submit("/demo/signup", &[("email", email), ("password", PASSWORD)])
        .await
        .redirects_to("/demo/account");
    let csrf = browser.csrf("/demo/account/2fa").await;
    browser
        .post("/demo/account/2fa/sms", &[("csrf", &csrf), ("phone", number)])
        .await
        .redirects_to("/demo/account");
    let csrf = browser.csrf("/demo/account").await;
    browser
        .post("/demo/logout", &[("csrf", &csrf)])
        .await
        .redirects_to("/demo/login");
    browser
        .submit("/demo/login", &[("email", email), ("password", PASSWORD)])
        .await
        .redirects_to("/demo/login/verify");
    browser.get("/demo/login/verify").await.text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_carrier_texts_only_the_demo_workspaces_numbers() {
    let dir = TempDir::new("abuse-demo-carrier");
    let site = DemoSite::start(dir.path());
    let db = open_db(dir.path()).await;
    // A real workspace on the same server, with a managed number.
    let victim = seed(&db, "+18005550151").await;
    let page = stranger_texts(site.browser(), "mallory@example.com", &victim.number).await;
    assert!(
        db.inbox(&victim.owner.id, Some(&victim.account_id), 0, 10, 1)
            .await
            .unwrap()
            .is_empty(),
        "a stranger's text reached another workspace's inbox"
    );
    assert_eq!(db.count_sms("twilio").await.unwrap().0, 0);
    assert!(page.contains("only to the demo workspace"), "{page}");
    assert!(site.app.logged("demo_text_not_sent").await, "{}", site.app.stderr());

    // The demo workspace's own numbers are texted as before, also one obtained after the start.
    let demo = seed_in(&db, &demo_workspace(&db).await, "+18005550152").await;
    stranger_texts(site.browser(), "visitor@example.com", &demo.number).await;
    let mut stored = 0;
    for _ in 0..100 {
        stored = db.count_sms("twilio").await.unwrap().0;
        if stored > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(stored, 1);
    assert_eq!(
        db.inbox(&demo.owner.id, Some(&demo.account_id), 0, 10, 1)
            .await
            .unwrap()
            .len(),
        1
    );
}

/// A stranger signs up to the demo with `address` for e-mailed codes, then signs in (which mails it).
async fn stranger_mails(mut browser: Browser, email: &str, address: &str) -> String {
    browser
        .submit("/demo/signup", &[("email", email), ("password", PASSWORD)])
        .await
        .redirects_to("/demo/account");
    let csrf = browser.csrf("/demo/account/2fa").await;
    browser
        .post("/demo/account/2fa/email", &[("csrf", &csrf), ("code_email", address)])
        .await
        .redirects_to("/demo/account");
    let csrf = browser.csrf("/demo/account").await;
    browser
        .post("/demo/logout", &[("csrf", &csrf)])
        .await
        .redirects_to("/demo/login");
    browser
        .submit("/demo/login", &[("email", email), ("password", PASSWORD)])
        .await
        .redirects_to("/demo/login/verify");
    browser.get("/demo/login/verify").await.text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_postman_mails_only_the_demo_workspaces_addresses() {
    let dir = TempDir::new("abuse-demo-postman");
    let token = [("LATCHKEY_TWILIO_AUTH_TOKEN", AUTH_TOKEN)];
    // The server receives mail (its listener, the test support's free port) and seeds the demo's
    // team login with a managed address; the demo app mails through that listener.
    let server = Server::start_with_env(dir.path(), &["--demo", "--mail-domain", DOMAIN], &token);
    let relay = format!("127.0.0.1:{}", server.smtp_port.expect("the SMTP listener"));
    let app = Server::start_demo_with(&server, &["--smtp-relay", &relay], &token);
    let site = DemoSite { server, app };
    let db = open_db(dir.path()).await;

    // A real workspace on the same server, with a managed address.
    let workspace = db.create_workspace("Victim", now()).await.unwrap().id;
    let owner = member(&site.server, &db, &workspace, "owner@victim.test", Role::Owner).await;
    let (account, _inbox) = account_with_inbox(&db, &workspace, &owner).await;
    let victim = create_address(&owner, &account).await;
    let page = stranger_mails(site.browser(), "mallory@example.com", &victim).await;
    assert!(page.contains("only to the demo workspace"), "{page}");
    assert!(
        db.inbox(&owner.user.id, Some(&account), 0, 10, 1)
            .await
            .unwrap()
            .is_empty(),
        "a stranger's e-mail reached another workspace's inbox"
    );
    assert!(site.app.logged("demo_mail_not_sent").await, "{}", site.app.stderr());

    // The demo workspace's own address (the seed's) is mailed, and the code lands in its inbox.
    let demo = demo_workspace(&db).await;
    let team = db.phone_number("+12025550142").await.unwrap().account_id.unwrap();
    let address = db
        .account_address(&team)
        .await
        .unwrap()
        .expect("the seed's managed address")
        .address;
    let alice = db.user_by_email(&demo, "alice@northwind.test").await.unwrap();
    let page = stranger_mails(site.browser(), "visitor@example.com", &address).await;
    assert!(page.contains(&format!("we e-mailed to {address}")), "{page}");
    let mut stored = 0;
    for _ in 0..100 {
        stored = db.inbox(&alice.id, Some(&team), 0, 10, 1).await.unwrap().len();
        if stored > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(stored, 1, "the demo's code e-mail reached the team login's inbox");
}
