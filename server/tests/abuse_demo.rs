//! The demo app is a fixture, never part of the product. Every server used to serve it: anonymous
//! sign-up, and a "carrier" that signed SMS webhooks with the server's own token, so anyone could
//! sign up, give any managed number of any workspace as their phone, sign in, and have a signed
//! text land in that workspace's shared inbox. Then it was served with `--demo` only. Now it is a
//! program of its own (`latchkey-demo`): `latchkey serve` serves no demo app with or without
//! `--demo`, and the demo's carrier texts only the numbers of the demo workspace: another
//! workspace's number gets nothing.

use crate::support::demo::{demo_workspace, Browser, DemoSite, PASSWORD};
use crate::support::sms::*;
use crate::support::{open_db, Server, TempDir};

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
