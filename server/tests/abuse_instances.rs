//! Several `latchkey serve` instances on one PostgreSQL: an attacker spreading requests
//! over the instances gets no more than from one, and a trust-flow change on one instance wakes the
//! waiters on the other (LISTEN/NOTIFY), with no polling.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::smtp::SmtpServer;
use crate::support::trust::*;
use crate::support::world::seed_user;
use crate::support::{now, Server};
use crate::support::{Postgres, TempDir};
use latchkey::db::{Db, Target};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_hold_across_instances_and_waiters_wake_across_them() {
    let pg = Postgres::start();
    let url = pg.fresh_database("abuse_instances").await;
    let db = Db::open(&Target::Postgres(url.clone()), now()).await.unwrap();
    seed_user(&db, "kim@acme.example").await;
    seed_user(&db, "lou@acme.example").await;
    let smtp = SmtpServer::start().await;
    let relay = smtp.url();
    let (dir_a, dir_b) = (TempDir::new("instance-a"), TempDir::new("instance-b"));
    // Instances on one database share the server key (a key file copied, or the environment).
    let key = [("LATCHKEY_SERVER_KEY", "7a".repeat(32))];
    let key: Vec<(&str, &str)> = key.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let a = Server::start_with_env(dir_a.path(), &["--database-url", &url, "--smtp-url", &relay], &key);
    let b = Server::start_with_env(dir_b.path(), &["--database-url", &url, "--smtp-url", &relay], &key);
    let (api_a, api_b) = (a.api().at_addr("127.0.4.1"), b.api().at_addr("127.0.4.1"));

    // Registrations for one address from one client: 10 an hour in all, alternating instances.
    let mut made = 0;
    for i in 0..12 {
        let api = if i % 2 == 0 { &api_a } else { &api_b };
        let reply = Device::new(api).register("kim@acme.example", &format!("Kim {i}")).await;
        match reply.status {
            201 => made += 1,
            429 => {}
            _ => panic!("{}", reply.text),
        }
    }
    assert_eq!(made, 10, "two instances do not double the limit");
    // Codes for one address from one client: 5 per 15 minutes in all.
    let mut sent = 0;
    for i in 0..8 {
        let api = if i % 2 == 0 { &api_a } else { &api_b };
        let phone = Device::register_device(&api.at_addr("127.0.4.2"), "lou@acme.example", &format!("Lou {i}")).await;
        match phone.post("/trust/email-code", json!({})).await.status {
            202 => sent += 1,
            429 => {}
            other => panic!("{other}"),
        }
    }
    assert_eq!(sent, 5, "two instances do not double the code quota");

    // A request made through instance A wakes a trusted device's wait on instance B.
    let lou = first_device(&b.api().at_addr("127.0.4.9"), &smtp, "lou@acme.example", "Lou laptop").await;
    let waiting = {
        let api = lou.device.api.clone();
        tokio::spawn(async move {
            let start = Instant::now();
            (api.get(&format!("{API}/approvals?wait=20")).await, start.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    let phone = Device::register_device(&a.api().at_addr("127.0.4.10"), "lou@acme.example", "Lou phone").await;
    let number = phone.post("/trust/approval", json!({})).await.expect(201)["request"]["number"]
        .as_i64()
        .unwrap();
    let (open, took) = waiting.await.unwrap();
    assert_eq!(open.expect(200)["requests"][0]["deviceId"], phone.id.as_str());
    assert!(
        took < Duration::from_secs(15),
        "woken by the other instance, not by the timeout: {took:?}"
    );
    // The approval made on B wakes the new device's status wait on A.
    let status = {
        let api = phone.api.clone();
        tokio::spawn(async move { api.get(&format!("{API}/trust/status?wait=20")).await })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    let listed = lou.listed(&phone.id).await;
    lou.approve(&listed, &number.to_string()).await.expect(200);
    let status = tokio::time::timeout(Duration::from_secs(15), status)
        .await
        .expect("woken by the other instance")
        .unwrap();
    assert_eq!(status.expect(200)["device"]["status"], "approved");
}
