//! A crash in the middle of heavy mail intake loses nothing acknowledged and duplicates nothing:
//! 5,000 messages go to the SMTP listener over 16 concurrent sessions (lettre, a real SMTP client,
//! one connection per message), the server is killed with SIGKILL part way and restarted on the
//! same port; the senders carry on. Every message answered `250` must be in the inbox (it was
//! durable at that moment), and no message is stored twice. (Messages cut off by the crash are not
//! sent again: a sender's MTA would retry them, and one stored but unanswered could then arrive
//! twice, which SMTP allows.)

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::support::mail::{mail_world, open_email};

const MESSAGES: usize = 5_000;
const SESSIONS: usize = 16;
/// Killed once this many were acknowledged: well inside the run, with sessions in flight.
const KILL_AFTER: usize = 1_500;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigkill_mid_intake_loses_no_acknowledged_mail_and_stores_none_twice() {
    let mut world = mail_world("mail-fault", &[]).await;
    let port = world.server.smtp_port.unwrap();
    let to: Mailbox = world.address.parse().unwrap();
    let acked = Arc::new(Mutex::new(Vec::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let next = Arc::new(AtomicUsize::new(0));
    let mut senders = tokio::task::JoinSet::new();
    for _ in 0..SESSIONS {
        let (acked, count, next, to) = (acked.clone(), count.clone(), next.clone(), to.clone());
        senders.spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::SeqCst);
                if n >= MESSAGES {
                    return;
                }
                let message = Message::builder()
                    .from("sender@bank.test".parse::<Mailbox>().unwrap())
                    .to(to.clone())
                    .subject(format!("fault-{n:05}"))
                    .body(format!("message fault-{n:05}"))
                    .unwrap();
                let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
                    .port(port)
                    .timeout(Some(Duration::from_secs(10)))
                    .build();
                if transport.send(message).await.is_ok() {
                    acked.lock().unwrap().push(n);
                    count.fetch_add(1, Ordering::SeqCst);
                } else {
                    // The server is down: wait for it rather than burn through the numbers.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        });
    }
    while count.load(Ordering::SeqCst) < KILL_AFTER {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    world.server.restart();
    while senders.join_next().await.is_some() {}
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() > KILL_AFTER, "sending went on after the restart");
    assert!(
        acked.len() < MESSAGES,
        "some messages were cut off by the kill (otherwise it came too late)"
    );

    // Everything stored, opened with the account's inbox key: subjects counted.
    let mut stored: HashMap<String, usize> = HashMap::new();
    let mut after = 0;
    loop {
        let page = world
            .owner
            .api
            .get(&format!("/api/v1/inbox?after={after}&limit=500"))
            .await
            .expect(200)
            .clone();
        let messages = page["messages"].as_array().unwrap().clone();
        if messages.is_empty() {
            break;
        }
        for m in &messages {
            let raw = String::from_utf8(open_email(m, &world.workspace, &world.inbox)).unwrap();
            let subject = raw
                .lines()
                .find_map(|l| l.strip_prefix("Subject: "))
                .unwrap()
                .trim()
                .to_string();
            *stored.entry(subject).or_default() += 1;
        }
        after = page["last"].as_i64().unwrap();
    }
    for n in &acked {
        assert_eq!(
            stored.get(&format!("fault-{n:05}")),
            Some(&1),
            "acknowledged message {n} lost"
        );
    }
    let twice: Vec<_> = stored.iter().filter(|(_, c)| **c > 1).collect();
    assert!(twice.is_empty(), "stored twice: {twice:?}");
    assert!(stored.len() >= acked.len());
}
