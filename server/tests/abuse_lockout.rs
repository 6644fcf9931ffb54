//! Attacks that try to lock a user out or burn their codes (docs/security.md), from
//! other client addresses (127.0.0.x: all of 127/8 is loopback), against the real binary: the
//! real user, at their own address, gets through all the same.

use serde_json::json;

use crate::support::trust::*;
use crate::support::world::seed_user;

/// Someone who knows only the address registers device after device, asks for code after code
/// and types wrong codes, from three other addresses, until every limit stops them. Meanwhile the
/// real user registers, gets a code, and verifies: the first device of a new user, with keys.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attacker_knowing_only_the_address_cannot_stop_the_real_user() {
    let (_dir, smtp, db, server) = server_with_mail("abuse-lockout", &[]).await;
    let user = seed_user(&db, "fay@acme.example").await;
    let api = server.api();
    let (mut registrations_refused, mut codes_refused, mut wrong, mut braked) = (0, 0, 0, 0);
    for a in 0..3 {
        let from = api.at_addr(&format!("127.0.0.{}", 30 + a));
        for i in 0..12 {
            // A registration (10 an hour for one e-mail from one address)...
            let mut phone = Device::new(&from);
            let reply = phone.register("fay@acme.example", &format!("Fay laptop {a}.{i}")).await;
            if reply.status == 429 {
                registrations_refused += 1;
                continue;
            }
            reply.expect(201);
            // ...a code for it (5 per 15 minutes for one e-mail from one address)...
            let sent = phone.post("/trust/email-code", json!({})).await;
            if sent.status == 429 {
                codes_refused += 1;
                continue;
            }
            sent.expect(202);
            // ...and five wrong codes (past 30 a day for the address, its guessing addresses are
            // stopped: distributed_guessing_is_braked_and_the_user_told).
            for _ in 0..5 {
                let reply = phone.post("/trust/email-code/verify", json!({"code": "000000"})).await;
                match reply.code() {
                    "code_wrong" | "code_attempts" => wrong += 1,
                    "rate_limited" => braked += 1,
                    _ => panic!("{}", reply.text),
                }
            }
        }
    }
    assert_eq!(
        registrations_refused,
        3 * 2,
        "registrations from one address are limited"
    );
    assert_eq!(codes_refused, 3 * 5, "code requests from one address are limited");
    assert_eq!(wrong + braked, 3 * 5 * 5);
    assert!(wrong >= 30 && braked > 0, "{wrong} wrong, {braked} braked");
    // Every slot the attacker could fill: pending devices never count toward the 20.
    let pending = db.devices(&user.id).await.unwrap().len();
    assert!(pending >= 20, "{pending} devices registered");

    // The real user, from their own address, during the attack: register, code, verify, keys.
    let real_api = api.at_addr("127.0.0.99");
    let fay = first_device(&real_api, &smtp, "fay@acme.example", "Fay's own laptop").await;
    assert_eq!(fay.device.get("/me").await.expect(200)["device"]["status"], "approved");
    // And a second device of hers, approved from the first with the number, still works.
    let phone = Device::register_device(&real_api, "fay@acme.example", "Fay's phone").await;
    let number = phone.post("/trust/approval", json!({})).await.expect(201)["request"]["number"]
        .as_i64()
        .unwrap();
    let listed = fay.listed(&phone.id).await;
    fay.approve(&listed, &number.to_string()).await.expect(200);
}

/// A code belongs to the device that asked for it: typed on another device it fails, and wrong
/// tries on one device's code never use up another's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_verifies_only_the_device_it_was_sent_for() {
    let (_dir, smtp, db, server) = server_with_mail("abuse-code-device", &[]).await;
    seed_user(&db, "gus@acme.example").await;
    let api = server.api();
    let real = Device::register_device(&api.at_addr("127.0.0.50"), "gus@acme.example", "Gus laptop").await;
    let attacker = Device::register_device(&api.at_addr("127.0.0.51"), "gus@acme.example", "Gus laptop 2").await;
    let code = real.email_code(&smtp).await;
    // The attacker burns tries on their own device: the real device's code is untouched.
    attacker.post("/trust/email-code", json!({})).await.expect(202);
    for _ in 0..5 {
        attacker
            .post("/trust/email-code/verify", json!({"code": "000000"}))
            .await;
    }
    // A code e-mailed for the real device (say, read over a shoulder) does not verify another.
    attacker
        .post("/trust/email-code/verify", json!({ "code": code }))
        .await
        .expect_error(422, "code_attempts");
    let fresh = Device::register_device(&api.at_addr("127.0.0.52"), "gus@acme.example", "Gus laptop 3").await;
    fresh
        .post("/trust/email-code/verify", json!({ "code": code }))
        .await
        .expect_error(404, "not_found");
    fresh.post("/trust/email-code", json!({})).await.expect(202);
    fresh
        .post("/trust/email-code/verify", json!({ "code": code }))
        .await
        .expect_error(422, "code_wrong");
    // The real device's code still works, first try.
    let ok = real.post("/trust/email-code/verify", json!({ "code": code })).await;
    assert_eq!(ok.expect(200)["verified"], true);
}

/// Guessing codes from many devices and addresses: past 30 wrong codes a day for the address,
/// each client address that typed 5 is stopped and the user is told once; the real user, at an
/// address that typed none, still verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn distributed_guessing_is_braked_and_the_user_told() {
    let (_dir, smtp, db, server) = server_with_mail("abuse-guessing", &[]).await;
    seed_user(&db, "hal@acme.example").await;
    let api = server.api();
    let mut failures = 0;
    let mut braked = 0;
    for a in 0..8 {
        let from = api.at_addr(&format!("127.0.2.{}", a + 1));
        for i in 0..2 {
            let phone = Device::register_device(&from, "hal@acme.example", &format!("Guesser {a}.{i}")).await;
            phone.post("/trust/email-code", json!({})).await.expect(202);
            for guess in 0..5 {
                let reply = phone
                    .post(
                        "/trust/email-code/verify",
                        json!({"code": format!("{:06}", a * 100 + i * 10 + guess)}),
                    )
                    .await;
                match reply.code() {
                    "code_wrong" | "code_attempts" => failures += 1,
                    "rate_limited" => braked += 1,
                    _ => panic!("{}", reply.text),
                }
            }
        }
    }
    assert!(failures >= 30, "{failures}");
    assert!(braked > 0, "addresses that kept guessing were stopped");
    // The user is told, once.
    let notice = next_mail(&smtp, "hal@acme.example", "wrong verification codes", 0).await;
    assert!(notice.body().contains("guess"), "{}", notice.body());
    let more = Device::register_device(&api.at_addr("127.0.2.1"), "hal@acme.example", "Guesser again").await;
    more.post("/trust/email-code", json!({})).await;
    more.post("/trust/email-code/verify", json!({"code": "123123"}))
        .await
        .expect_error(429, "rate_limited");
    assert_eq!(mails(&smtp, "hal@acme.example", "wrong verification codes").len(), 1);
    // The real user, at an address that typed no wrong code, verifies.
    let real = Device::register_device(&api.at_addr("127.0.2.200"), "hal@acme.example", "Hal laptop").await;
    let code = real.email_code(&smtp).await;
    real.post("/trust/email-code/verify", json!({ "code": code }))
        .await
        .expect(200);
}
