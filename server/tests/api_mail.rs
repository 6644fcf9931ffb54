//! Managed e-mail addresses and mail intake over real HTTP and real SMTP: an owner is shown the
//! address before creating it, creates, releases and takes it back; who may (owners, the number
//! policy's roles, apps that take one, the quota); mail sent with lettre (a real SMTP client)
//! lands sealed in the inbox next to SMS, wakes a waiting inbox, and opens with the account's
//! inbox key; STARTTLS with a throwaway certificate.

use lettre::message::Mailbox;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde_json::json;

use crate::support::mail::{
    account_with_inbox, address_path, create_address, emails, mail_world, open_email, throwaway_cert, SmtpClient,
    DOMAIN,
};
use crate::support::server::{refused, serve_refused};
use crate::support::world::NewAccount;
use crate::support::{member, now, open_db, Server, TempDir};
use latchkey::domain::Role;

fn lettre_plain(port: u16) -> AsyncSmtpTransport<Tokio1Executor> {
    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(port)
        .build()
}

fn code_mail(to: &str, subject: &str, body: &str) -> Message {
    Message::builder()
        .from("Instagram <security@mail.instagram.test>".parse::<Mailbox>().unwrap())
        .to(to.parse::<Mailbox>().unwrap())
        .subject(subject)
        .body(body.to_string())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_sees_creates_releases_and_takes_back_the_address() {
    let dir = TempDir::new("mail-addresses");
    let server = Server::start(dir.path(), &["--mail-domain", DOMAIN]);
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let owner = member(&server, &db, &ws, "owner@acme.test", Role::Owner).await;
    let (account, _inbox) = account_with_inbox(&db, &ws, &owner).await;
    let path = address_path(&account);

    // The dialog shows the address before it exists; creating gives exactly that one.
    let shown = owner.api.get(&path).await.expect(200).clone();
    assert_eq!((&shown["address"], &shown["supported"]), (&json!(null), &json!(true)));
    let proposed = shown["proposed"].as_str().unwrap().to_string();
    let (local, domain) = proposed.split_once('@').unwrap();
    assert_eq!((local.len(), domain), (12, DOMAIN));
    assert_eq!(owner.api.get(&path).await.expect(200)["proposed"], proposed.as_str());
    let created = owner.api.post(&path, json!({})).await.expect(201)["address"].clone();
    assert_eq!(created, proposed.as_str());
    owner.api.post(&path, json!({})).await.expect_error(409, "conflict");
    let shown = owner.api.get(&path).await.expect(200).clone();
    assert_eq!(shown, json!({"address": proposed, "supported": true, "proposed": null}));
    let accounts = owner.api.get("/api/v1/accounts").await.expect(200).clone();
    let listed = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == account.as_str())
        .unwrap()
        .clone();
    assert_eq!(listed["emailAddress"], proposed.as_str());
    assert_eq!(listed["app"]["acceptsManagedEmail"], true);

    // A member sees it; only owners create or release.
    let mate = member(&server, &db, &ws, "mate@acme.test", Role::Admin).await;
    owner.share(&account, &mate, "member", 1).await;
    let seen = mate.api.get(&path).await.expect(200).clone();
    assert_eq!((&seen["address"], &seen["proposed"]), (&json!(proposed), &json!(null)));
    mate.api.delete(&path).await.expect_error(403, "forbidden");

    // Released: quarantined 45 days; the same account may take it back, and it is offered again.
    let released = owner.api.delete(&path).await.expect(200).clone();
    assert_eq!(released["released"], proposed.as_str());
    assert!(released["quarantinedUntil"].as_i64().unwrap() > now() + 44 * 86_400);
    owner.api.delete(&path).await.expect_error(404, "not_found");
    assert_eq!(owner.api.get(&path).await.expect(200)["proposed"], proposed.as_str());
    assert_eq!(create_address(&owner, &account).await, proposed);

    // After its quarantine is over and it was released again, a new address is proposed.
    owner.api.delete(&path).await.expect(200);
    sqlx::query("UPDATE mail_addresses SET quarantined_until = $1")
        .bind(now() - 1)
        .execute(db.pool())
        .await
        .unwrap();
    let next = create_address(&owner, &account).await;
    assert_ne!(next, proposed);

    // Each creation and release is in the audit log, done by the owner, naming the address.
    let events = db
        .audit_events(&latchkey::db::AuditQuery {
            workspace_id: ws.clone(),
            user_id: None,
            account_id: Some(account.clone()),
            action: None,
            since: None,
            until: None,
            after_seq: 0,
            limit: 100,
        })
        .await
        .unwrap();
    let addresses: Vec<(&str, Option<&str>, Option<&str>)> = events
        .iter()
        .filter(|e| e.action.starts_with("address."))
        .map(|e| (e.action.as_str(), e.target_id.as_deref(), e.actor_user_id.as_deref()))
        .collect();
    let by = Some(owner.user.id.as_str());
    assert_eq!(
        addresses,
        vec![
            ("address.created", Some(proposed.as_str()), by),
            ("address.released", Some(proposed.as_str()), by),
            ("address.created", Some(proposed.as_str()), by),
            ("address.released", Some(proposed.as_str()), by),
            ("address.created", Some(next.as_str()), by),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_may_create_an_address_follows_the_catalog_the_number_policy_and_the_quota() {
    let dir = TempDir::new("mail-rules");
    let server = Server::start(dir.path(), &["--mail-domain", DOMAIN]);
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let admin = member(&server, &db, &ws, "admin@acme.test", Role::Admin).await;

    // An app that does not take one (set in the catalog), or no app: refused.
    admin
        .api
        .put(
            "/api/v1/apps/bank",
            json!({"name": "Bank", "site": "bank.example", "acceptsManagedNumber": true, "voipOk": false, "acceptsManagedEmail": false}),
        )
        .await
        .expect(200);
    let bank = admin
        .create_account(NewAccount {
            app: Some("bank"),
            ..NewAccount::default()
        })
        .await;
    let none = admin.create_account(NewAccount::default()).await;
    for account in [&bank, &none] {
        let shown = admin.api.get(&address_path(account)).await.expect(200).clone();
        assert_eq!((&shown["supported"], &shown["proposed"]), (&json!(false), &json!(null)));
        admin
            .api
            .post(&address_path(account), json!({}))
            .await
            .expect_error(409, "conflict");
    }
    // A catalog edit from a client that does not know the field keeps the app's setting.
    admin
        .api
        .put(
            "/api/v1/apps/instagram",
            json!({"name": "Instagram", "site": "instagram.com", "acceptsManagedNumber": true, "voipOk": false}),
        )
        .await
        .expect(200);
    let apps = admin.api.get("/api/v1/apps").await.expect(200).clone();
    let instagram = apps
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "instagram")
        .unwrap()
        .clone();
    assert_eq!(instagram["acceptsManagedEmail"], true);

    // The number policy's minimum role is the rule for addresses too (one rule, db/numbers.rs).
    let user = member(&server, &db, &ws, "user@acme.test", Role::User).await;
    let users_account = user
        .create_account(NewAccount {
            app: Some("instagram"),
            ..NewAccount::default()
        })
        .await;
    let refused_reply = user.api.post(&address_path(&users_account), json!({})).await;
    refused_reply.expect_error(403, "forbidden");
    assert!(
        refused_reply.text.contains("e-mail addresses"),
        "{}",
        refused_reply.text
    );
    admin
        .api
        .put(
            "/api/v1/workspace/number-policy",
            json!({"minRole": "user", "quota": 10}),
        )
        .await
        .expect(200);
    create_address(&user, &users_account).await;

    // The quota counts held and quarantined addresses.
    db.set_address_quota(&ws, 2, 0).await.unwrap();
    let a = admin
        .create_account(NewAccount {
            app: Some("instagram"),
            ..NewAccount::default()
        })
        .await;
    let b = admin
        .create_account(NewAccount {
            app: Some("instagram"),
            ..NewAccount::default()
        })
        .await;
    create_address(&admin, &a).await;
    admin
        .api
        .post(&address_path(&b), json!({}))
        .await
        .expect_error(409, "limit_reached");
    admin.api.delete(&address_path(&a)).await.expect(200);
    admin
        .api
        .post(&address_path(&b), json!({}))
        .await
        .expect_error(409, "limit_reached");
    // Taking one's own address back costs nothing.
    create_address(&admin, &a).await;

    // Without --mail-domain the server gives out no address.
    let bare_dir = TempDir::new("mail-none");
    let bare = Server::start(bare_dir.path(), &[]);
    let bare_db = open_db(bare_dir.path()).await;
    let ws2 = bare_db.create_workspace("Acme", now()).await.unwrap().id;
    let owner2 = member(&bare, &bare_db, &ws2, "o@acme.test", Role::Owner).await;
    let acct2 = owner2
        .create_account(NewAccount {
            app: Some("instagram"),
            ..NewAccount::default()
        })
        .await;
    assert_eq!(
        owner2.api.get(&address_path(&acct2)).await.expect(200)["proposed"],
        json!(null)
    );
    owner2
        .api
        .post(&address_path(&acct2), json!({}))
        .await
        .expect_error(503, "unavailable");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_sent_over_smtp_lands_sealed_in_the_inbox_next_to_sms_and_wakes_waiters() {
    let world = mail_world("mail-intake", &[]).await;
    let port = world.server.smtp_port.expect("the SMTP listener is on");

    // A waiting inbox is woken by the mail.
    let waiter = {
        let api = world.owner.api.clone();
        let account = world.account.clone();
        tokio::spawn(async move {
            api.get(&format!("/api/v1/inbox/wait?account={account}&after=0&timeout=20"))
                .await
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let to = world.address.to_uppercase(); // addresses match whatever the case
    lettre_plain(port)
        .send(code_mail(
            &to,
            "Your Instagram code is 482913",
            "Use 482913 to sign in.",
        ))
        .await
        .expect("250 from the listener");
    let woken = waiter.await.unwrap();
    let page = woken.expect(200).clone();
    assert_eq!(page["messages"].as_array().unwrap().len(), 1);

    let listed = emails(&world.owner, Some(&world.account)).await;
    assert_eq!(listed.len(), 1);
    let mail = &listed[0];
    assert_eq!(mail["type"], "email");
    assert_eq!(mail["from"], "security@mail.instagram.test");
    assert_eq!(mail["to"], world.address.as_str());
    assert!(mail["size"].as_i64().unwrap() > 100);
    assert!(mail["receivedAt"].as_i64().unwrap() >= now() - 60);
    let raw = String::from_utf8(open_email(mail, &world.workspace, &world.inbox)).unwrap();
    assert!(raw.contains("Subject: Your Instagram code is 482913"), "{raw}");
    assert!(raw.contains("Use 482913 to sign in."));
    assert_eq!(raw.len() as i64, mail["size"].as_i64().unwrap());
    // The shared inbox lists it too; the logs carry no subject or body.
    assert_eq!(emails(&world.owner, None).await.len(), 1);
    assert!(world.server.logged("email_received").await);
    assert!(!world.server.stderr().contains("482913"));

    // SMS keep their shape, with `type: "sms"` added.
    sqlx::query(
        "INSERT INTO sms_messages (provider, provider_message_id, account_id, from_number, to_number, received_at, sealed) \
         VALUES ('twilio', 'SM1', $1, '+15550100', '+15550101', 1, X'00')",
    )
    .bind(&world.account)
    .execute(world.db.pool())
    .await
    .unwrap();
    let page = world.owner.api.get("/api/v1/inbox").await.expect(200).clone();
    let sms = page["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "SM1")
        .unwrap()
        .clone();
    assert_eq!(sms["type"], "sms");
    assert!(sms.get("size").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starttls_is_offered_with_a_certificate_and_mail_arrives_over_it() {
    let certs = TempDir::new("mail-tls-cert");
    let (cert, key) = throwaway_cert(certs.path(), "listener");
    let (cert_s, key_s) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let world = mail_world("mail-tls", &["--smtp-cert", cert_s, "--smtp-key", key_s]).await;
    let port = world.server.smtp_port.unwrap();

    let (mut plain, _) = SmtpClient::connect(port).await;
    let (code, ehlo) = plain.command("EHLO client.test").await;
    assert_eq!(code, 250);
    assert!(ehlo.contains("STARTTLS") && ehlo.contains("SIZE 4194304"), "{ehlo}");

    let pem = std::fs::read(&cert).unwrap();
    let tls = TlsParameters::builder("localhost".into())
        .add_root_certificate(Certificate::from_pem(&pem).unwrap())
        .build_rustls()
        .unwrap();
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(port)
        .tls(Tls::Required(tls))
        .build();
    transport
        .send(code_mail(&world.address, "Code 771204", "771204"))
        .await
        .expect("delivered over STARTTLS");
    assert_eq!(emails(&world.owner, Some(&world.account)).await.len(), 1);
    assert!(world.server.logged("\"tls\":true").await, "{}", world.server.stderr());

    // A certificate that is not one stops the start with a clear message; so does half a pair.
    let bad = certs.path().join("bad.crt");
    std::fs::write(&bad, "not a certificate").unwrap();
    let dir = TempDir::new("mail-tls-bad");
    let out = serve_refused(
        dir.path(),
        &[
            "--smtp-listen",
            "127.0.0.1:0",
            "--smtp-cert",
            bad.to_str().unwrap(),
            "--smtp-key",
            key_s,
        ],
        &[],
    );
    refused(&out, 1, "SMTP certificate");
    let out = serve_refused(dir.path(), &["--smtp-cert", cert_s], &[]);
    refused(&out, 2, "--smtp-cert and --smtp-key go together");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_two_instances_share_addresses_and_mail_wakes_the_other_instance() {
    use crate::support::sms::server_env;
    use crate::support::Postgres;
    use latchkey::db::{Db, Target};
    let pg = Postgres::start();
    let url = pg.fresh_database("mail_instances").await;
    let (dir_a, dir_b) = (TempDir::new("mail-pg-a"), TempDir::new("mail-pg-b"));
    let flags = ["--mail-domain", DOMAIN, "--database-url", url.as_str()];
    let a = Server::start_with_env(dir_a.path(), &flags, &server_env());
    let b = Server::start_with_env(dir_b.path(), &flags, &server_env());
    let db = Db::open(&Target::Postgres(url.clone()), now()).await.unwrap();
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let owner = member(&a, &db, &ws, "owner@acme.test", Role::Owner).await;
    let (account, inbox) = account_with_inbox(&db, &ws, &owner).await;

    // Both instances propose the same address (one server key); creating it twice is refused.
    let path = address_path(&account);
    let proposed_a = owner.api.get(&path).await.expect(200)["proposed"].clone();
    let b_api = b.api().as_device(owner.api.token.as_deref().unwrap());
    assert_eq!(b_api.get(&path).await.expect(200)["proposed"], proposed_a);
    let address = create_address(&owner, &account).await;
    b_api.post(&path, json!({})).await.expect_error(409, "conflict");

    // Mail to instance B's listener wakes a waiter on instance A.
    let waiter = {
        let api = owner.api.clone();
        let account = account.clone();
        tokio::spawn(async move {
            api.get(&format!("/api/v1/inbox/wait?account={account}&after=0&timeout=10"))
                .await
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    lettre_plain(b.smtp_port.unwrap())
        .send(code_mail(&address, "Code 315599", "315599"))
        .await
        .unwrap();
    let page = waiter.await.unwrap().expect(200).clone();
    let listed = page["messages"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "{page}");
    let raw = String::from_utf8(open_email(&listed[0], &ws, &inbox)).unwrap();
    assert!(raw.contains("Subject: Code 315599"));
}
