//! What every handler shares: the database, the mailer, the number provider, the inbox notifier,
//! the rate limiter and the server-wide secrets. Cheap to clone (one `Arc`).

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use zeroize::Zeroizing;

use super::notify::Notifier;
use super::waits::WaitSlots;
use crate::db::Db;
use crate::mail::Mailer;
use crate::numbers::NumberProvider;
use crate::sms::TwilioSignature;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// Where managed numbers come from.
pub enum NumberSupply {
    /// The `--pool-numbers` list, in order: the database records which are held or in quarantine.
    Pool(Vec<String>),
    /// Bought from a provider (Twilio) when no number of ours is free.
    Buy(Box<dyn NumberProvider>),
}

pub struct Inner {
    pub db: Db,
    pub mailer: Mailer,
    pub numbers: NumberSupply,
    /// Which provider `numbers` is ("pool" or "twilio"), stored with each number.
    pub numbers_provider: &'static str,
    pub notifier: Notifier,
    /// Trust-flow changes (payload: a user id): wakes `/trust/status?wait` and `/approvals?wait`.
    pub trust_events: Notifier,
    /// Bounds on concurrent long polls.
    pub waits: WaitSlots,
    /// Take the client's address from the last `X-Forwarded-For` entry (`--trust-forwarded-for`).
    pub trust_forwarded_for: bool,
    /// Keys the hashes of e-mailed codes: derived from the server key, never stored in the
    /// database (instances share it by sharing the server key).
    pub email_code_key: Zeroizing<Vec<u8>>,
    /// Keys the proposals of managed e-mail addresses (derived from the server key).
    pub address_key: Zeroizing<Vec<u8>>,
    /// The domain of managed e-mail addresses (`--mail-domain`).
    pub mail_domain: Option<crate::domain::MailDomain>,
    /// Checks Mailgun's signature on inbound-mail posts; none: such posts are refused.
    pub mailgun: Option<crate::mail::mailgun::MailgunSigningKey>,
    /// The largest e-mail taken (SMTP and webhook).
    pub mail_max_bytes: usize,
    /// Verifies the sender of arriving mail; none: `--mail-auth off`.
    pub mail_auth: Option<crate::mail::auth::MailAuth>,
    /// Checks `X-Twilio-Signature` on SMS webhooks.
    pub twilio: TwilioSignature,
    /// The `AccountSid` every SMS webhook must carry.
    pub twilio_account_sid: String,
    /// Turns true when the server starts shutting down: long polls answer at once, so a graceful
    /// shutdown (which waits for requests in flight) is not held up for their full timeout.
    pub stopping: tokio::sync::watch::Receiver<bool>,
    /// The URL the world reaches this server at, without a trailing `/` (webhook signatures are
    /// computed over it).
    pub public_url: String,
}

impl AppState {
    pub fn new(inner: Inner) -> Self {
        AppState(Arc::new(inner))
    }
}

impl AppState {
    /// Wakes the trust-flow waiters of `user` on this instance and, through the database, on the
    /// others. Best effort: a waiter that misses it answers at its timeout and the client asks again.
    pub async fn announce_trust(&self, user: &str) {
        self.trust_events.announce_local(user);
        if let Err(err) = self.db.notify_trust(user).await {
            crate::log::warn("trust_notify_failed", &[("detail", err.to_string().as_str().into())]);
        }
    }

    /// Resolves once the server is shutting down (at once if it already is).
    pub async fn stopping(&self) {
        let mut stopping = self.stopping.clone();
        // An error means the sender is gone, which also means the server is stopping.
        let _ = stopping.wait_for(|s| *s).await;
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// The current Unix time in seconds; handlers pass it to the core and the database.
pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
