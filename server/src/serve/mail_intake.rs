//! What every way mail comes in shares (the SMTP listener, the Mailgun webhook): which managed
//! address a recipient is and which account holds it now, and storing a message for its
//! recipients: sealed to each account's inbox key (serve/inbox_seal.rs), all copies in one
//! transaction, then waiters woken. The caller answers its sender only after [`store`] returned.

use crate::db::{DbError, NewEmail};
use crate::domain::Recipient;
use crate::log;
use crate::mail::auth::{Connection, Verdict};
use crate::serve::inbox_seal::{self, Content};
use crate::serve::state::{now_unix, AppState};

/// A recipient, as intake sees it.
pub enum Lookup {
    /// A live managed address (lower case) and the account holding it.
    Held {
        address: String,
        account_id: String,
    },
    /// The server has no `--mail-domain`.
    NoDomain,
    /// Another domain: not ours to take (no relaying).
    Foreign,
    Malformed,
    /// At our domain, but unknown or released (the same answer for both).
    NoMailbox,
}

pub async fn lookup(state: &AppState, path: &str) -> Result<Lookup, DbError> {
    let Some(domain) = &state.mail_domain else {
        return Ok(Lookup::NoDomain);
    };
    let address = match domain.recipient(path) {
        Ok(address) => address,
        Err(Recipient::Foreign) => return Ok(Lookup::Foreign),
        Err(Recipient::Malformed) => return Ok(Lookup::Malformed),
    };
    match state.db.mail_address(&address).await {
        Ok(held) => Ok(match held.account_id {
            Some(account_id) => Lookup::Held { address, account_id },
            None => Lookup::NoMailbox,
        }),
        Err(DbError::NotFound(_)) => Ok(Lookup::NoMailbox),
        Err(err) => Err(err),
    }
}

/// One message for its recipients.
pub struct Incoming<'a> {
    /// "smtp" or "mailgun".
    pub provider: &'a str,
    /// The envelope sender.
    pub from: &'a str,
    /// (address, account id) as looked up when the recipient was given.
    pub recipients: &'a [(String, String)],
    pub raw: &'a [u8],
    /// The id of each recipient's copy (bound into its envelope; unique per provider).
    pub ids: Vec<String>,
    /// Logged: whether it came over TLS.
    pub tls: bool,
    /// Its sender verification ([`verify`]), stored in clear beside each copy.
    pub auth: Option<Verdict>,
}

/// How the sender of a message can be verified on the path it came by.
pub enum Arrival<'a> {
    /// Over SMTP: DKIM, SPF and DMARC.
    Smtp(Connection<'a>),
    /// Posted by a provider's webhook: DKIM only (the connection was the provider's).
    Webhook,
}

/// The sender verification of `raw` (none when `--mail-auth off`). Bounded in time by
/// [`crate::mail::auth::BUDGET`]; never fails (what DNS could not tell in time is `temperror`).
pub async fn verify(state: &AppState, raw: &[u8], arrival: Arrival<'_>) -> Option<Verdict> {
    let auth = state.mail_auth.as_ref()?;
    Some(match arrival {
        Arrival::Smtp(connection) => auth.verify_smtp(raw, &connection).await,
        Arrival::Webhook => auth.verify_dkim_only(raw).await,
    })
}

/// Seals and stores one copy per recipient still held by the same account (one released since
/// is skipped); returns how many were stored (0: none could take it). `Err` is a temporary
/// failure (the sender should retry), already logged.
pub async fn store(state: &AppState, incoming: Incoming<'_>) -> Result<usize, ()> {
    let now = now_unix();
    let temporary = |event: &str, err: &dyn std::fmt::Display| {
        log::warn(event, &[("detail", err.to_string().as_str().into())]);
    };
    let mut copies = Vec::with_capacity(incoming.recipients.len());
    for ((address, account_id), id) in incoming.recipients.iter().zip(&incoming.ids) {
        match state.db.mail_address(address).await {
            Ok(held) if held.account_id.as_deref() == Some(account_id.as_str()) => {}
            Ok(_) | Err(DbError::NotFound(_)) => continue,
            Err(err) => {
                temporary("email_lookup_failed", &err);
                return Err(());
            }
        }
        let account = match state.db.account(account_id).await {
            Ok(account) => account,
            Err(err) => {
                temporary("email_account_failed", &err);
                return Err(());
            }
        };
        match inbox_seal::seal(&account, id, Content::Email { raw: incoming.raw }) {
            Ok(sealed) => copies.push((id.as_str(), address.as_str(), account.id.clone(), sealed)),
            Err(err) => log::warn(
                "email_dropped",
                &[
                    ("account", account.id.as_str().into()),
                    ("reason", err.to_string().as_str().into()),
                ],
            ),
        }
    }
    if copies.is_empty() {
        return Ok(0);
    }
    let size = i64::try_from(incoming.raw.len()).unwrap_or(i64::MAX);
    let rows: Vec<NewEmail<'_>> = copies
        .iter()
        .map(|(id, to, account_id, sealed)| NewEmail {
            provider: incoming.provider,
            message_id: id,
            account_id,
            from: incoming.from,
            to,
            received_at: now,
            size,
            sealed,
            auth: incoming.auth.as_ref(),
        })
        .collect();
    let seqs = match state.db.store_emails(&rows).await {
        Ok(seqs) => seqs,
        Err(err) => {
            temporary("email_store_failed", &err);
            return Err(());
        }
    };
    for (_, _, account_id, _) in &copies {
        state.notifier.announce_local(account_id);
    }
    for ((id, _, account_id, _), seq) in copies.iter().zip(&seqs) {
        log::info(
            "email_received",
            &[
                ("provider", incoming.provider.into()),
                ("account", account_id.as_str().into()),
                ("id", (*id).into()),
                ("seq", (*seq).into()),
                ("size", size.into()),
                ("tls", incoming.tls.into()),
                ("dkim", incoming.auth.as_ref().map_or("off", |a| a.dkim.as_str()).into()),
                ("spf", incoming.auth.as_ref().map_or("off", |a| a.spf.as_str()).into()),
                (
                    "dmarc",
                    incoming.auth.as_ref().map_or("off", |a| a.dmarc.as_str()).into(),
                ),
                ("verified", incoming.auth.as_ref().is_some_and(|a| a.verified).into()),
            ],
        );
    }
    Ok(copies.len())
}
