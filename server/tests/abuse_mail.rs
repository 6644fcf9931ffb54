//! Attacks on the e-mail intake, against the real `latchkey serve` SMTP listener over loopback:
//! using it as an open relay, sending more than the size limit (announced or not), mailing a
//! released or unknown address, a member of another account reading the mail, smuggling
//! commands past STARTTLS, and looking for the message in the SQLite files on disk.

use serde_json::json;

use crate::support::mail::{
    account_with_inbox, address_path, create_address, emails, mail_world, message, throwaway_cert, SmtpClient, DOMAIN,
};
use crate::support::{member, TempDir};
use latchkey::domain::Role;

async fn stored_emails(db: &latchkey::db::Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sms_messages WHERE kind = 'email'")
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relaying_to_another_domain_is_refused_at_rcpt() {
    let world = mail_world("abuse-mail-relay", &[]).await;
    let (mut smtp, greeting) = SmtpClient::connect(world.server.smtp_port.unwrap()).await;
    assert_eq!(greeting, 220);
    for victim in [
        "victim@gmail.com",
        "x@sub.mail.latchkey.test",
        "x@latchkey.test",
        "@gmail.com:x@gmail.com",
    ] {
        let (code, text) = smtp.envelope("spammer@evil.test", victim).await;
        assert!(code == 550 || code == 501, "{victim}: {code} {text}");
        smtp.command("RSET").await;
    }
    // With no accepted recipient there is nothing to send data to.
    let (code, _) = smtp.envelope("spammer@evil.test", "victim@gmail.com").await;
    assert_eq!(code, 550);
    let (code, _) = smtp
        .data(&message("spammer@evil.test", "victim@gmail.com", "hi", "spam"))
        .await;
    assert_eq!(code, 554);
    assert_eq!(stored_emails(&world.db).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversize_mail_is_refused_when_announced_and_cut_when_not() {
    let world = mail_world("abuse-mail-size", &["--smtp-max-bytes", "4096"]).await;
    let port = world.server.smtp_port.unwrap();

    let (mut smtp, _) = SmtpClient::connect(port).await;
    let (_, ehlo) = smtp.command("EHLO client.test").await;
    assert!(ehlo.contains("SIZE 4096"), "{ehlo}");
    let (code, _) = smtp.command("MAIL FROM:<big@sender.test> SIZE=5000").await;
    assert_eq!(code, 552);

    // Not announced: the session is answered 552 and closed as soon as the limit is passed.
    let (mut smtp, _) = SmtpClient::connect(port).await;
    assert_eq!(smtp.envelope("big@sender.test", &world.address).await.0, 250);
    assert_eq!(smtp.command("DATA").await.0, 354);
    let line = format!("{}\r\n", "A".repeat(998));
    for _ in 0..64 {
        smtp.send(line.as_bytes()).await;
    }
    let (code, text) = smtp.reply().await;
    assert_eq!(code, 552, "{text}");
    smtp.send(b".\r\nQUIT\r\n").await;
    assert_eq!(smtp.reply().await.0, 0, "the connection is closed after the cut");
    assert_eq!(stored_emails(&world.db).await, 0);

    // Just under the limit is taken.
    let (mut smtp, _) = SmtpClient::connect(port).await;
    assert_eq!(smtp.envelope("small@sender.test", &world.address).await.0, 250);
    let body = "b".repeat(3000);
    assert_eq!(
        smtp.data(&message("small@sender.test", &world.address, "ok", &body))
            .await
            .0,
        250
    );
    assert_eq!(stored_emails(&world.db).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn released_and_unknown_addresses_are_refused_alike() {
    let world = mail_world("abuse-mail-released", &[]).await;
    let port = world.server.smtp_port.unwrap();
    world.owner.api.delete(&address_path(&world.account)).await.expect(200);

    let (mut smtp, _) = SmtpClient::connect(port).await;
    let (released_code, released_text) = smtp.envelope("bank@sender.test", &world.address).await;
    smtp.command("RSET").await;
    let (unknown_code, unknown_text) = smtp.envelope("bank@sender.test", &format!("nobody@{DOMAIN}")).await;
    assert_eq!((released_code, unknown_code), (550, 550));
    assert_eq!(
        released_text, unknown_text,
        "nothing tells a released address from an unknown one"
    );

    // A message whose recipient is released between RCPT and the end of DATA is not stored either.
    create_address(&world.owner, &world.account).await;
    let (mut smtp, _) = SmtpClient::connect(port).await;
    assert_eq!(smtp.envelope("bank@sender.test", &world.address).await.0, 250);
    assert_eq!(smtp.command("DATA").await.0, 354);
    world.owner.api.delete(&address_path(&world.account)).await.expect(200);
    smtp.send(b"Subject: late\r\n\r\nlate\r\n.\r\n").await;
    assert_eq!(smtp.reply().await.0, 554);
    assert_eq!(stored_emails(&world.db).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_of_another_account_never_sees_the_mail() {
    let world = mail_world("abuse-mail-members", &[]).await;
    // Bob, an admin of the same workspace, owns account B only.
    let bob = member(
        &world.server,
        &world.db,
        &world.workspace,
        "bob@example.com",
        Role::Admin,
    )
    .await;
    let (account_b, _) = account_with_inbox(&world.db, &world.workspace, &bob).await;
    let address_b = create_address(&bob, &account_b).await;

    let waiter = {
        let api = bob.api.clone();
        tokio::spawn(async move { api.get("/api/v1/inbox/wait?after=0&timeout=3").await })
    };
    let (mut smtp, _) = SmtpClient::connect(world.server.smtp_port.unwrap()).await;
    assert_eq!(smtp.envelope("bank@sender.test", &world.address).await.0, 250);
    assert_eq!(
        smtp.data(&message(
            "bank@sender.test",
            &world.address,
            "A's code 551177",
            "551177"
        ))
        .await
        .0,
        250
    );

    assert_eq!(waiter.await.unwrap().expect(200)["messages"], json!([]));
    assert!(emails(&bob, None).await.is_empty());
    bob.api
        .get(&format!("/api/v1/inbox?account={}", world.account))
        .await
        .expect_error(404, "not_found");
    assert_eq!(emails(&world.owner, None).await.len(), 1);

    // Two recipients in one message: each account gets its own sealed copy, and sees only it.
    let (mut smtp, _) = SmtpClient::connect(world.server.smtp_port.unwrap()).await;
    assert_eq!(smtp.envelope("bank@sender.test", &world.address).await.0, 250);
    assert_eq!(smtp.command(&format!("RCPT TO:<{address_b}>")).await.0, 250);
    assert_eq!(
        smtp.data(&message("bank@sender.test", &world.address, "both", "both"))
            .await
            .0,
        250
    );
    let bobs = emails(&bob, None).await;
    assert_eq!(bobs.len(), 1);
    assert_eq!(bobs[0]["accountId"], account_b.as_str());
    assert_eq!(emails(&world.owner, None).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_pipelined_after_starttls_are_dropped() {
    let certs = TempDir::new("abuse-mail-tls-cert");
    let (cert, key) = throwaway_cert(certs.path(), "listener");
    let world = mail_world(
        "abuse-mail-starttls",
        &[
            "--smtp-cert",
            cert.to_str().unwrap(),
            "--smtp-key",
            key.to_str().unwrap(),
        ],
    )
    .await;
    let (mut smtp, _) = SmtpClient::connect(world.server.smtp_port.unwrap()).await;
    smtp.command("EHLO client.test").await;
    // A man in the middle appends commands to the cleartext STARTTLS: the server must not run
    // them inside the TLS session (CVE-2011-0411 and its kin).
    smtp.send(
        format!(
            "STARTTLS\r\nMAIL FROM:<mitm@evil.test>\r\nRCPT TO:<{}>\r\n",
            world.address
        )
        .as_bytes(),
    )
    .await;
    assert_eq!(smtp.reply().await.0, 220);
    let mut tls = smtp.start_tls(&cert).await;
    // Inside TLS the session starts over: no envelope from the injected lines.
    assert_eq!(tls.command("EHLO client.test").await.0, 250);
    let (code, text) = tls.command(&format!("RCPT TO:<{}>", world.address)).await;
    assert_eq!(code, 503, "an injected MAIL FROM was run inside TLS: {text}");
    assert_eq!(tls.command("MAIL FROM:<bank@sender.test>").await.0, 250);
    assert_eq!(tls.command(&format!("RCPT TO:<{}>", world.address)).await.0, 250);
    let (code, ehlo) = tls.command("EHLO again.test").await;
    assert!(
        code == 250 && !ehlo.contains("STARTTLS"),
        "STARTTLS offered twice: {ehlo}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_files_hold_no_plaintext_of_a_message() {
    let world = mail_world("abuse-mail-disk", &[]).await;
    let subject_secret = "Subject-Token-Q7XK29";
    let body_secret = "Body-Token-M4VZ81-code-660912";
    let (mut smtp, _) = SmtpClient::connect(world.server.smtp_port.unwrap()).await;
    assert_eq!(smtp.envelope("noreply@bank.test", &world.address).await.0, 250);
    assert_eq!(
        smtp.data(&message(
            "noreply@bank.test",
            &world.address,
            subject_secret,
            body_secret
        ))
        .await
        .0,
        250
    );
    assert_eq!(emails(&world.owner, None).await.len(), 1);
    drop(smtp);

    // Every file SQLite keeps (the database, its write-ahead log and index), as they are on disk.
    let mut seen_sender = false;
    for entry in std::fs::read_dir(world.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with("latchkey.db") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let has = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
        assert!(!has(subject_secret), "the subject is in {name} in clear");
        assert!(!has(body_secret) && !has("660912"), "the body is in {name} in clear");
        seen_sender |= has("noreply@bank.test");
    }
    // The envelope sender is kept in clear (as documented): the search did look at the right files.
    assert!(seen_sender, "the envelope sender was not found: wrong files searched");
}

/// One client cannot hold the listener: past 16 sessions at once from one address it is told 421,
/// while the sessions it has keep working and a closed one frees its place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_holds_at_most_16_sessions() {
    let world = mail_world("abuse-mail-sessions", &[]).await;
    let port = world.server.smtp_port.unwrap();
    let mut held = Vec::new();
    for _ in 0..16 {
        let (smtp, greeting) = SmtpClient::connect(port).await;
        assert_eq!(greeting, 220);
        held.push(smtp);
    }
    let (_, refused) = SmtpClient::connect(port).await;
    assert_eq!(refused, 421);
    assert_eq!(held[0].command("NOOP").await.0, 250);
    assert_eq!(held[15].command("QUIT").await.0, 221);
    drop(held.pop());
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let (_, again) = SmtpClient::connect(port).await;
    assert_eq!(again, 220);
}

/// Probing addresses one RCPT after another counts as mistakes: the tenth refusal ends the session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probing_recipients_ends_the_session() {
    let world = mail_world("abuse-mail-probe", &[]).await;
    let (mut smtp, _) = SmtpClient::connect(world.server.smtp_port.unwrap()).await;
    let (first, _) = smtp.envelope("prober@evil.test", &format!("guess0@{DOMAIN}")).await;
    assert_eq!(first, 550);
    for i in 1..9 {
        let (code, text) = smtp.command(&format!("RCPT TO:<guess{i}@{DOMAIN}>")).await;
        assert_eq!(code, 550, "{text}");
    }
    assert_eq!(smtp.command(&format!("RCPT TO:<guess9@{DOMAIN}>")).await.0, 550);
    let (code, text) = tokio::time::timeout(std::time::Duration::from_secs(10), smtp.reply())
        .await
        .expect("the session ends at once, not when it idles out");
    assert_eq!(code, 421, "{text}");
    assert!(text.contains("Too many errors"), "{text}");
    assert_eq!(smtp.reply().await.0, 0, "the session is closed");
}
