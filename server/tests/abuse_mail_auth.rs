//! Forged senders against sender verification, over real SMTP and real DNS (test support's DNS
//! server, `--dns-server`): `bank.test` is a well-run domain (its own DKIM key, SPF, DMARC
//! reject); the attacker controls `evil.test` (its own key and SPF, so its mail passes its own
//! checks). Whatever the attacker does, mail claiming `From: …@bank.test` is never listed as a
//! verified sender: only a signature by bank.test's key, or mail DMARC passes, is.

use serde_json::json;

use crate::api_mail_auth::{deliver, newest};
use crate::support::dns::DnsServer;
use crate::support::mail::{mail_world, message, DkimKey};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_from_without_the_domains_valid_signature_is_never_verified() {
    let dns = DnsServer::start();
    let bank = DkimKey::generate("bank.test", "k1");
    bank.publish(&dns);
    dns.txt("bank.test", "v=spf1 ip4:192.0.2.10 -all");
    dns.txt("_dmarc.bank.test", "v=DMARC1; p=reject");
    let evil = DkimKey::generate("evil.test", "k1");
    evil.publish(&dns);
    dns.txt("evil.test", "v=spf1 ip4:127.0.0.1 -all");
    let world = mail_world("abuse-mail-auth", &["--dns-server", &dns.arg()]).await;
    let forged = |subject: &str| {
        message(
            "Bank Security <security@bank.test>",
            &world.address,
            subject,
            "Your code is 550011. Or confirm here: https://bank.test.evil.test/confirm",
        )
    };

    // 1. Signed with the attacker's own (valid) key, sent from the attacker's SPF-authorized
    //    host: DKIM and SPF pass, for evil.test, which is not the author's domain.
    deliver(
        &world,
        "mx.evil.test",
        "bounce@evil.test",
        &evil.sign(&forged("Code 1")),
    )
    .await;
    let (auth, _) = newest(&world).await;
    assert_eq!(
        auth,
        json!({"dkim": "pass", "spf": "pass", "dmarc": "fail", "domain": "evil.test", "verified": false})
    );

    // 2. A signature claiming d=bank.test, made with the attacker's key (selector k1 of bank.test
    //    publishes bank's key): it does not verify.
    let impostor = DkimKey::generate("bank.test", "k1"); // a fresh key, never published
    deliver(
        &world,
        "mx.evil.test",
        "bounce@evil.test",
        &impostor.sign(&forged("Code 2")),
    )
    .await;
    let (auth, _) = newest(&world).await;
    assert_eq!(
        (&auth["dkim"], &auth["verified"]),
        (&json!("fail"), &json!(false)),
        "{auth}"
    );
    assert_ne!(auth["domain"], "bank.test");

    // 3. No signature, MAIL FROM the bank itself from a host its SPF does not list.
    deliver(&world, "mx.evil.test", "security@bank.test", &forged("Code 3")).await;
    let (auth, _) = newest(&world).await;
    assert_eq!(
        auth,
        json!({"dkim": "none", "spf": "fail", "dmarc": "fail", "domain": null, "verified": false})
    );

    // 4. A genuine signature by bank.test, replayed with the body changed (the code swapped):
    //    the body hash no longer matches.
    let genuine = String::from_utf8(bank.sign(&forged("Code 4"))).unwrap();
    let replayed = genuine.replace("550011", "999999");
    deliver(&world, "mx.evil.test", "bounce@evil.test", replayed.as_bytes()).await;
    let (auth, _) = newest(&world).await;
    assert_eq!(
        (&auth["dkim"], &auth["verified"]),
        (&json!("fail"), &json!(false)),
        "{auth}"
    );

    // 5. Two From addresses, the bank's and the attacker's (signed by the attacker): no single
    //    author, so nothing is verified.
    let two_froms = message(
        "security@bank.test, x@evil.test",
        &world.address,
        "Code 5",
        "Your code is 550011.",
    );
    deliver(&world, "mx.evil.test", "bounce@evil.test", &evil.sign(&two_froms)).await;
    let (auth, _) = newest(&world).await;
    assert_eq!(auth["verified"], false, "{auth}");

    // Every one of them was stored (the verdict is shown, not enforced).
    assert_eq!(crate::support::mail::emails(&world.owner, None).await.len(), 5);

    // The control: the bank's own, untouched signature is verified even from an unlisted host.
    deliver(&world, "mx.other.test", "bounce@other.test", genuine.as_bytes()).await;
    let (auth, _) = newest(&world).await;
    assert_eq!(
        auth,
        json!({"dkim": "pass", "spf": "none", "dmarc": "pass", "domain": "bank.test", "verified": true})
    );
}
