//! Attacks on the Mailgun inbound-mail webhook (`POST /webhooks/mail/mailgun/mime`), against the
//! real binary: a post without Mailgun's signature or with a wrong one, a correctly signed post
//! replayed after the 5-minute window (Mailgun's documented example values among them), the same
//! post replayed inside it, mail for a released or foreign address, and a server without a
//! signing key. Signatures are computed by Python's `hmac` as Mailgun's documentation shows.

use crate::support::mail::{
    address_path, emails, mail_world, mailgun_signature, message, multipart, open_email, MailWorld, MAILGUN_KEY,
    MAILGUN_PATH,
};
use crate::support::{now, Reply};

/// Mailgun's documented example token (its docs give no key, and a placeholder signature).
const DOC_TOKEN: &str = "e0b5477167110d68991efc6b9f89f0a11066af27834600e123";
const DOC_TIMESTAMP: &str = "1770920772";
const DOC_SIGNATURE: &str = "12d99f5a15355c180971bed7494d578b093c958f57766f3fe750761baed12345";

async fn post(world: &MailWorld, recipient: &str, timestamp: &str, token: &str, signature: &str, raw: &[u8]) -> Reply {
    let (content_type, body) = multipart(&[
        ("recipient", recipient.as_bytes()),
        ("sender", b"bounce@mail.instagram.test"),
        ("from", b"Instagram <security@mail.instagram.test>"),
        ("subject", b"ignored: the subject is read from body-mime"),
        ("timestamp", timestamp.as_bytes()),
        ("token", token.as_bytes()),
        ("signature", signature.as_bytes()),
        ("body-mime", raw),
    ]);
    world
        .server
        .api()
        .raw("POST", MAILGUN_PATH, Some(&content_type), body, &[])
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_fresh_posts_signed_with_the_key_are_stored_and_each_once() {
    let world = mail_world("abuse-mailgun", &[]).await;
    // The launcher clears LATCHKEY_MAILGUN_SIGNING_KEY: this world's server has none.
    let raw = message("security@mail.instagram.test", &world.address, "Code 406211", "406211");
    let ts = now().to_string();
    let sig = mailgun_signature(MAILGUN_KEY, &ts, DOC_TOKEN);
    post(&world, &world.address, &ts, DOC_TOKEN, &sig, &raw)
        .await
        .expect_error(403, "bad_signature");
    drop(world);

    let world = mailgun_world().await;
    let token = |n: u8| format!("{DOC_TOKEN}{n:02}");
    // Unsigned, wrongly signed, or signed with another key: refused, nothing stored.
    post(&world, &world.address, &ts, &token(1), "", &raw)
        .await
        .expect_error(403, "bad_signature");
    let other_key = mailgun_signature("key-not-this-accounts", &ts, &token(1));
    post(&world, &world.address, &ts, &token(1), &other_key, &raw)
        .await
        .expect_error(403, "bad_signature");
    // Mailgun's documented example values, replayed: too old (and not our key's).
    post(&world, &world.address, DOC_TIMESTAMP, DOC_TOKEN, DOC_SIGNATURE, &raw)
        .await
        .expect_error(403, "bad_signature");
    let old = (now() - 301).to_string();
    let old_sig = mailgun_signature(MAILGUN_KEY, &old, &token(2));
    let stale = post(&world, &world.address, &old, &token(2), &old_sig, &raw).await;
    stale.expect_error(403, "bad_signature");
    assert!(stale.text.contains("seconds away"), "{}", stale.text);
    assert!(emails(&world.owner, None).await.is_empty());

    // Fresh and signed: stored, sealed, next to SMS; the same post again (a replay, or Mailgun's
    // retry) stores nothing more.
    let sig = mailgun_signature(MAILGUN_KEY, &ts, &token(3));
    assert_eq!(
        post(&world, &world.address, &ts, &token(3), &sig, &raw).await.status,
        200
    );
    assert_eq!(
        post(&world, &world.address, &ts, &token(3), &sig, &raw).await.status,
        200
    );
    let listed = emails(&world.owner, Some(&world.account)).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["from"], "bounce@mail.instagram.test");
    assert_eq!(open_email(&listed[0], &world.workspace, &world.inbox), raw);

    // A signed post for a foreign or released address is refused with 406 (Mailgun does not retry).
    let sig = mailgun_signature(MAILGUN_KEY, &ts, &token(4));
    assert_eq!(
        post(&world, "victim@gmail.com", &ts, &token(4), &sig, &raw)
            .await
            .status,
        406
    );
    world.owner.api.delete(&address_path(&world.account)).await.expect(200);
    let sig = mailgun_signature(MAILGUN_KEY, &ts, &token(5));
    assert_eq!(
        post(&world, &world.address, &ts, &token(5), &sig, &raw).await.status,
        406
    );
    assert_eq!(emails(&world.owner, None).await.len(), 1);
}

/// A mail world whose server has the Mailgun signing key.
async fn mailgun_world() -> MailWorld {
    crate::support::mail::mail_world_with_env(
        "abuse-mailgun-keyed",
        &[],
        &[("LATCHKEY_MAILGUN_SIGNING_KEY", MAILGUN_KEY)],
    )
    .await
}
