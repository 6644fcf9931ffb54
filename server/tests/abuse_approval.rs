//! Attacks on approval (docs/security.md, "Attacks on the trust flow": phishing a trusted device into
//! approving an attacker), against the real binary over loopback HTTP with real core keys: someone who
//! knows only a user's address pushes approval requests at their trusted devices, hoping for a
//! habitual or coached click.

use serde_json::json;

use crate::support::text::contains_word;
use crate::support::trust::*;
use crate::support::world::seed_user;

/// Approve works only with the number the new device shows, which the approving side is never
/// told; a wrong number denies the request at once, and the new device sees why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approving_needs_the_number_shown_only_on_the_new_device() {
    let (_dir, smtp, db, server) = server_with_mail("abuse-number", &[]).await;
    seed_user(&db, "ana@acme.example").await;
    let api = server.api();
    let ana = first_device(&api, &smtp, "ana@acme.example", "Ana laptop").await;

    // The attacker knows only the address: no e-mail code, a name like one Ana might use.
    let attacker = Device::register_device(&api.at_addr("127.0.0.66"), "ana@acme.example", "Ana phone").await;
    let asked = attacker.post("/trust/approval", json!({})).await;
    let number = asked.expect(201)["request"]["number"].as_i64().unwrap();
    assert!((100..=999).contains(&number));
    // The trusted side sees the request, never its number.
    let listed = ana.listed(&attacker.id).await;
    assert!(listed.get("number").is_none(), "{listed}");
    assert!(!ana.open_requests().await.to_string().contains("\"number\""));

    // A habitual Approve: there is no number to pick, so one must be typed; a guess denies.
    let guess = if number == 500 { "501" } else { "500" };
    let refused = ana.approve(&listed, guess).await;
    refused.expect_error(422, "wrong_number");
    assert!(refused.text.contains("denied"), "{}", refused.text);
    let status = attacker.get("/trust/status").await;
    let status = status.expect(200);
    assert_eq!(status["request"]["status"], "denied");
    assert_eq!(status["request"]["reason"], "wrong_number");
    assert!(status["request"].get("number").is_none());
    assert_eq!(status["device"]["status"], "pending");
    // The denied request cannot be approved afterwards, even with the right number.
    ana.approve(&listed, &number.to_string())
        .await
        .expect_error(404, "not_found");
    // Malformed numbers are refused without deciding anything.
    let again = attacker.post("/trust/approval", json!({})).await;
    let number = again.expect(201)["request"]["number"].as_i64().unwrap();
    let listed = ana.listed(&attacker.id).await;
    for bad in ["", "12", "1234", "abc"] {
        ana.approve(&listed, bad).await.expect_error(422, "invalid");
    }
    let missing = ana
        .device
        .post(
            &format!("/approvals/{}/approve", listed["id"].as_str().unwrap()),
            json!({ "grant": ana.grant_for(&listed) }),
        )
        .await;
    assert_eq!(missing.status, 400, "{}", missing.text);
    assert_eq!(ana.listed(&attacker.id).await["id"], listed["id"], "still open");

    // The person holding both devices types the number: approved, and the device is trusted.
    let ok = ana.approve(&listed, &format!(" {number} ")).await;
    assert_eq!(ok.expect(200)["request"]["status"], "approved");
    let status = attacker.get("/trust/status").await.expect(200).clone();
    assert_eq!(status["device"]["status"], "approved");
    assert!(!status["approverKeys"].as_array().unwrap().is_empty());
}

/// One open request per device, a cap per client address, and a cap per user that gives up the
/// busiest address's requests first, so requests from elsewhere never push out the real one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_one_per_device_and_capped_per_address_and_user() {
    let (_dir, smtp, db, server) = server_with_mail("abuse-requests", &[]).await;
    seed_user(&db, "bo@acme.example").await;
    let api = server.api();
    let bo = first_device(&api, &smtp, "bo@acme.example", "Bo laptop").await;

    // The real new device asks first, from its own address.
    let real = Device::register_device(&api.at_addr("127.0.0.9"), "bo@acme.example", "Bo phone").await;
    real.post("/trust/approval", json!({})).await.expect(201);
    // Asking again replaces its request.
    let first = bo.listed(&real.id).await["id"].clone();
    real.post("/trust/approval", json!({})).await.expect(201);
    assert_ne!(bo.listed(&real.id).await["id"], first);
    assert_eq!(bo.open_requests().await["total"], 1);

    // Someone floods from three addresses: each address is cut off after 5 requests in 5 minutes.
    let mut attackers = Vec::new();
    for a in 0..3 {
        let from = api.at_addr(&format!("127.0.0.{}", 20 + a));
        for i in 0..6 {
            let phone = Device::register_device(&from, "bo@acme.example", &format!("Bo phone {a}{i}")).await;
            let asked = phone.post("/trust/approval", json!({})).await;
            if i < 5 {
                asked.expect(201);
            } else {
                asked.expect_error(429, "rate_limited");
                assert!(asked.headers.contains_key("retry-after"));
            }
            attackers.push(phone);
        }
    }
    // The user holds at most 5 open requests (fewer once busy addresses' devices were given
    // up), and the real one is still among them.
    let open = bo.open_requests().await;
    let total = open["total"].as_i64().unwrap();
    assert!((2..=5).contains(&total), "{open}");
    let ids: Vec<_> = open["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["deviceId"].clone())
        .collect();
    assert!(
        ids.contains(&json!(real.id)),
        "the real request survives the flood: {open}"
    );
    // Newest first.
    let times: Vec<i64> = open["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["createdAt"].as_i64().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
}

/// Every request is e-mailed to the user with what the server saw (name, time, address,
/// browser/OS) and what to do if it was not them; the number is never in it. The prompt shows
/// the same, from the connection and User-Agent, not from anything the new device claims.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_is_emailed_and_shown_as_the_server_saw_it() {
    let (_dir, smtp, db, server) = server_with_mail("abuse-notice", &[]).await;
    seed_user(&db, "cy@acme.example").await;
    let api = server.api();
    let cy = first_device(&api, &smtp, "cy@acme.example", "Cy desktop").await;
    let before = mails(&smtp, "cy@acme.example", "asked one of your trusted devices").len();
    let from = api.at_addr("127.0.0.42").with_user_agent(FIREFOX_MAC);
    let phone = Device::register_device(&from, "cy@acme.example", "Cy desktop 2").await;
    // A client cannot claim another address: without --trust-forwarded-for, X-Forwarded-For is
    // not read (the body is not read at all).
    let asked = phone
        .api
        .raw(
            "POST",
            &format!("{API}/trust/approval"),
            Some("application/json"),
            br#"{"clientAddress": "10.9.8.7"}"#.to_vec(),
            &[("x-forwarded-for", "10.9.8.7")],
        )
        .await;
    let number = asked.expect(201)["request"]["number"].as_i64().unwrap();
    let listed = cy.listed(&phone.id).await;
    assert_eq!(listed["clientAddress"], "127.0.0.42");
    assert_eq!(
        (listed["browser"].as_str(), listed["os"].as_str()),
        (Some("Firefox"), Some("macOS"))
    );
    assert!(listed["createdAt"].as_i64().unwrap() > 0);
    let mail = next_mail(&smtp, "cy@acme.example", "asked one of your trusted devices", before).await;
    let body = mail.body();
    assert_eq!(
        mail.header("Subject").as_deref(),
        Some("A new device asks to join your Latchkey account")
    );
    for expected in [
        "\"Cy desktop 2\"",
        "127.0.0.42",
        "Firefox on macOS",
        "UTC",
        "If this was not you: deny it",
    ] {
        assert!(body.contains(expected), "{expected:?} in:\n{body}");
    }
    // As a word of its own: the body's date, time and address hold digits too.
    assert!(
        !contains_word(body, &number.to_string()),
        "the number is never e-mailed:\n{body}"
    );
}

/// Names that hide or reorder characters are refused for everyone; a look-alike of a trusted
/// device's name is flagged on the prompt and cannot be approved under that name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn look_alike_and_invisible_device_names_are_refused() {
    let (_dir, smtp, db, server) = server_with_mail("abuse-names", &[]).await;
    seed_user(&db, "di@acme.example").await;
    let api = server.api();
    let di = first_device(&api, &smtp, "di@acme.example", "di Mac - macOS/Chrome").await;
    for (name, code) in [
        ("di Mac - macOS/Chrome\u{202e}", "U+202E"),
        ("di\u{2066} Mac\u{2069}", "U+2066"),
        ("di\u{200b} Mac - macOS/Chrome", "U+200B"),
    ] {
        for email in ["di@acme.example", "nobody@acme.example"] {
            let refused = Device::new(&api).register(email, name).await;
            refused.expect_error(422, "invalid");
            assert!(refused.text.contains(code), "{}", refused.text);
        }
    }
    // A Cyrillic а (U+0430) for the Latin a: registered (an unverified caller learns nothing)...
    let fake = Device::register_device(&api, "di@acme.example", "di M\u{430}c - macOS/Chrome").await;
    let number = fake.post("/trust/approval", json!({})).await.expect(201)["request"]["number"]
        .as_i64()
        .unwrap()
        .to_string();
    // ...flagged on the prompt, and refused even with the right number.
    let listed = di.listed(&fake.id).await;
    assert_eq!(listed["looksLike"], "di Mac - macOS/Chrome");
    let refused = di.approve(&listed, &number).await;
    refused.expect_error(409, "conflict");
    assert!(refused.text.contains("looks the same"), "{}", refused.text);
    assert_eq!(
        fake.get("/trust/status").await.expect(200)["device"]["status"],
        "pending"
    );
    // A trusted device cannot be renamed onto it either.
    let second = Device::register_device(&api, "di@acme.example", "di phone").await;
    db.approve_device_self(&second.id, b"env").await.unwrap();
    di.device
        .api
        .patch(
            &format!("{API}/devices/{}", second.id),
            json!({"name": "DI MAC - MACOS/CHROME"}),
        )
        .await
        .expect_error(409, "conflict");
}

/// Many requests and devices never make the lists unbounded: at most 10 open requests (newest
/// first, with the total), every trusted device plus at most 10 others (with how many more), so
/// the dashboard renders and Disable stays reachable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_requests_keep_the_lists_bounded() {
    let (_dir, smtp, db, server) = server_with_mail("abuse-many", &[]).await;
    let user = seed_user(&db, "ed@acme.example").await;
    let api = server.api();
    let ed = first_device(&api, &smtp, "ed@acme.example", "Ed laptop").await;
    // Requests from many addresses (past the per-user cap), devices past every bound.
    for i in 0..40 {
        let from = api.at_addr(&format!("127.0.1.{}", i + 1));
        let phone = Device::register_device(&from, "ed@acme.example", &format!("Ed device {i}")).await;
        phone.post("/trust/approval", json!({})).await.expect(201);
    }
    for i in 0..30 {
        let mut keys = [0u8; 64];
        getrandom::fill(&mut keys).unwrap();
        let d = db
            .register_device(&user.id, &format!("Seeded {i}"), &keys, crate::support::now())
            .await
            .unwrap();
        db.mark_email_verified(&d.id, crate::support::now()).await.unwrap();
    }
    let open = ed.open_requests().await;
    assert!(open["requests"].as_array().unwrap().len() <= 10, "{open}");
    assert!(open["total"].as_i64().unwrap() >= open["requests"].as_array().unwrap().len() as i64);
    let listed = ed.device.get("/devices").await.expect(200).clone();
    let devices = listed["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 11, "1 trusted + 10 others");
    assert!(listed["more"].as_i64().unwrap() >= 50, "{}", listed["more"]);
    let mine = devices.iter().find(|d| d["status"] == "approved").unwrap();
    assert_eq!(mine["id"], ed.device.id.as_str());
    // Disable is reachable for a trusted device whatever the noise.
    let other = Device::register_device(&api, "ed@acme.example", "Ed old phone").await;
    db.approve_device_self(&other.id, b"env").await.unwrap();
    let listed = ed.device.get("/devices").await.expect(200).clone();
    assert!(listed["devices"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["id"] == other.id.as_str()));
    ed.device
        .post(&format!("/devices/{}/disable", other.id), json!({}))
        .await
        .expect(200);
}

/// Behind a reverse proxy (`--trust-forwarded-for`), the client is the last address the proxy
/// appended to X-Forwarded-For (earlier entries are whatever the client sent); a request without
/// the header is refused rather than counted as the proxy's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_proxy_the_last_forwarded_address_is_the_client() {
    let (_dir, _smtp, db, server) = server_with_mail("abuse-forwarded", &["--trust-forwarded-for"]).await;
    seed_user(&db, "fo@acme.example").await;
    let api = server.api();
    let forwarded = |api: &crate::support::Api, path: &str, xff: &str| {
        let (api, path, xff) = (api.clone(), format!("{API}{path}"), xff.to_string());
        async move {
            api.raw(
                "POST",
                &path,
                Some("application/json"),
                b"{}".to_vec(),
                &[("x-forwarded-for", &xff)],
            )
            .await
        }
    };
    let body =
        json!({"email": "fo@acme.example", "name": "Fo laptop", "publicKeys": Device::new(&api).public.to_text()});
    api.post(&format!("{API}/devices/register"), body.clone())
        .await
        .expect_error(400, "bad_request");
    let reg = api
        .raw(
            "POST",
            &format!("{API}/devices/register"),
            Some("application/json"),
            serde_json::to_vec(&body).unwrap(),
            &[("x-forwarded-for", "198.51.100.1, 203.0.113.9")],
        )
        .await;
    let token = reg.expect(201)["token"].as_str().unwrap().to_string();
    let device = api.as_device(&token);
    forwarded(&device, "/trust/approval", "10.0.0.1, 203.0.113.9")
        .await
        .expect(201);
    let stored: String = sqlx::query_scalar("SELECT client_addr FROM approval_requests")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(stored, "203.0.113.9");
}
