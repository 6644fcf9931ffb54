//! Inbox notifications: the SMS webhook announces "a message was stored for account A" and every
//! waiting inbox request that may read A wakes up. Within one process this is a broadcast
//! channel; with PostgreSQL, instances also relay through LISTEN/NOTIFY (see `pg_relay`).

use tokio::sync::broadcast;

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
