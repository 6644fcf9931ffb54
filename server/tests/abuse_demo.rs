//! The demo app belongs to `--demo` only. Every server used to serve it: anonymous sign-up, and a
//! "carrier" that signs SMS webhooks with the server's own token, so anyone could sign up, give
//! any managed number of any workspace as their phone, sign in, and have a signed text land in
//! that workspace's shared inbox. Now a server without `--demo` has no demo app at all, and the
//! demo's carrier texts only the numbers of the demo workspace: another workspace's number gets
//! nothing.

use crate::support::demo::{demo_workspace, redirects_to, Browser, PASSWORD};
use crate::support::sms::*;
use crate::support::TempDir;
use crate::support::{open_db, Server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_demo_serves_no_demo_app() {
    let dir = TempDir::new("abuse-no-demo");
    let server = Server::start(dir.path(), &[]);
    let api = server.api();
    for path in ["/demo", "/demo/", "/demo/signup", "/demo/login"] {
        assert_eq!(api.get(path).await.status, 404, "GET {path}");
    }
    let signup = api
        .raw(
            "POST",
            "/demo/signup",
            Some("application/x-www-form-urlencoded"),
            b"email=a%40b.test&password=correct+horse+battery".to_vec(),
            &[],
        )
        .await;
    assert_eq!(signup.status, 404);
    let index = api.get("/").await;
    assert!(!index.text.contains("/demo/"), "{}", index.text);
    assert!(!server.stdout().contains("demo app"), "{}", server.stdout());
}

/// A stranger signs up to the demo with `number` as their phone, then signs in (which texts it).
async fn stranger_texts(server: &Server, email: &str, number: &str) -> String {
    let mut browser = Browser::new(server.api());
    let reply = browser
        .submit("/demo/signup", &[("email", email), ("password", PASSWORD)])
        .await;
    redirects_to(&reply, "/demo/account");
    let csrf = browser.csrf("/demo/account/2fa").await;
    let reply = browser
        .send("POST", "/demo/account/2fa/sms", &[("csrf", &csrf), ("phone", number)])
        .await;
    redirects_to(&reply, "/demo/account");
    let csrf = browser.csrf("/demo/account").await;
    redirects_to(
        &browser.send("POST", "/demo/logout", &[("csrf", &csrf)]).await,
        "/demo/login",
    );
    let reply = browser
        .submit("/demo/login", &[("email", email), ("password", PASSWORD)])
        .await;
    redirects_to(&reply, "/demo/login/verify");
    browser.send("GET", "/demo/login/verify", &[]).await.text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_carrier_texts_only_the_demo_workspaces_numbers() {
    let dir = TempDir::new("abuse-demo-carrier");
    let server = Server::start(dir.path(), &["--demo"]);
    let db = open_db(dir.path()).await;
    // A real workspace on the same server, with a managed number.
    let victim = seed(&db, "+18005550151").await;
    let page = stranger_texts(&server, "mallory@example.com", &victim.number).await;
    assert!(
        db.inbox(&victim.owner.id, Some(&victim.account_id), 0, 10)
            .await
            .unwrap()
            .is_empty(),
        "a stranger's text reached another workspace's inbox"
    );
    assert_eq!(db.count_sms("twilio").await.unwrap().0, 0);
    assert!(page.contains("only to the demo workspace"), "{page}");
    assert!(server.logged("demo_text_not_sent").await, "{}", server.stderr());

    // The demo workspace's own numbers are texted as before.
    let demo = seed_in(&db, &demo_workspace(&db).await, "+18005550152").await;
    stranger_texts(&server, "visitor@example.com", &demo.number).await;
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
        db.inbox(&demo.owner.id, Some(&demo.account_id), 0, 10)
            .await
            .unwrap()
            .len(),
        1
    );
}
