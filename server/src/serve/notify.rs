//! Inbox notifications: the SMS webhook announces "a message was stored for account A" and every
//! waiting inbox request that may read A wakes up. Within one process this is a broadcast
//! channel; with PostgreSQL, instances also relay through LISTEN/NOTIFY (see [`spawn_pg_relay`]).

use std::time::Duration;

use tokio::sync::broadcast;

use crate::db::Db;
use crate::log;

/// Announced when announcements may have been missed (the relay reconnected): every waiter re-reads.
pub const EVERYONE: &str = "*";

/// Capacity of the in-process channel: a waiter that falls this far behind re-reads the database
/// (it is told it lagged), so nothing is lost, only coalesced.
const CHANNEL_CAPACITY: usize = 1024;

#[derive(Clone)]
pub struct Notifier {
    sender: broadcast::Sender<String>,
}

impl Default for Notifier {
    fn default() -> Self {
        Self::new()
    }
}

impl Notifier {
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(CHANNEL_CAPACITY);
        Notifier { sender }
    }

    /// Tells this process's waiters that `account_id` has a new message.
    pub fn announce_local(&self, account_id: &str) {
        // No receivers is fine: nobody is waiting.
        let _ = self.sender.send(account_id.to_string());
    }

    /// A receiver for announcements made after this call. Subscribe *before* reading the
    /// database, so a message stored in between is not missed.
    pub fn subscribe(&self) -> broadcast::Receiver<String> {
        self.sender.subscribe()
    }
}

/// Relays the database's announcements (made by [`Db::store_sms`] on any instance, with the
/// commit) to this process's waiters, for as long as the process runs. PostgreSQL only; on SQLite
/// there is one process and [`Notifier::announce_local`] reaches every waiter.
///
/// Each time LISTEN is (re)established it wakes every waiter once: announcements made while it was
/// down (or before it first connected, just after start) were lost, and a re-read finds what they
/// missed. If the connection drops, it reconnects after a pause that grows to 5 s.
///
/// One LISTEN connection serves several channels (the inbox's, `SMS_CHANNEL`, and the trust
/// flow's, `crate::db::TRUST_CHANNEL`, payload a user id), each channel's announcements going
/// to its own notifier.
pub fn spawn_pg_relays(db: &Db, relays: Vec<(&'static str, Notifier)>) {
    let Some(url) = db.postgres_url().map(str::to_string) else {
        return;
    };
    tokio::spawn(async move {
        let mut pause = Duration::from_millis(100);
        loop {
            let detail = match listen(&url, &relays, &mut pause).await {
                Ok(()) => "the database closed the connection".to_string(),
                Err(e) => e.to_string(),
            };
            log::warn(
                "inbox_relay_disconnected",
                &[
                    ("detail", detail.as_str().into()),
                    ("retry_ms", u64::try_from(pause.as_millis()).unwrap_or(u64::MAX).into()),
                ],
            );
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(5));
        }
    });
}

/// One LISTEN connection, until it fails.
async fn listen(url: &str, relays: &[(&'static str, Notifier)], pause: &mut Duration) -> Result<(), sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect(url).await?;
    listener.listen_all(relays.iter().map(|(channel, _)| *channel)).await?;
    for (_, notifier) in relays {
        notifier.announce_local(EVERYONE);
    }
    *pause = Duration::from_millis(100);
    log::info("inbox_relay_listening", &[]);
    loop {
        match listener.try_recv().await? {
            Some(notification) => {
                if let Some((_, notifier)) = relays.iter().find(|(c, _)| *c == notification.channel()) {
                    notifier.announce_local(notification.payload());
                }
            }
            // The connection was lost. `try_recv` would reconnect on the next call, silently;
            // reconnecting here instead lets us wake the waiters for what was missed.
            None => return Ok(()),
        }
    }
}
