//! The inbox: SMS and e-mail, sealed to the account's inbox key on arrival; only ciphertext and
//! metadata kept (for e-mail: envelope sender and recipient, time, size). Both kinds share one
//! table, so one cursor (`seq`) and one wake-up serve both. A provider's message id is stored
//! once, so a retried webhook is not a second message.

use sqlx::any::AnyRow;

use super::audit::{self, Action, NewEvent};
use super::{col, Backend, Db, DbError};
use crate::mail::auth::{Outcome, Verdict};

/// The PostgreSQL NOTIFY channel on which a stored message is announced (payload: the account id),
/// so every server instance can wake its inbox waiters.
pub const SMS_CHANNEL: &str = "latchkey_sms";

#[derive(Debug, Clone)]
pub struct NewSms<'a> {
    /// e.g. "twilio".
    pub provider: &'a str,
    /// The provider's id for the message (Twilio's MessageSid).
    pub provider_message_id: &'a str,
    pub account_id: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub received_at: i64,
    /// The message sealed to the account's inbox public key.
    pub sealed: &'a [u8],
}

/// One e-mail for one account, as the SMTP listener stores it (several recipients of one message
/// are stored together, or not at all).
#[derive(Debug, Clone)]
pub struct NewEmail<'a> {
    /// "smtp" (the listener) or "mailgun" (its webhook).
    pub provider: &'a str,
    /// The id of this copy, unique per provider: bound into the sealed envelope.
    pub message_id: &'a str,
    pub account_id: &'a str,
    /// The envelope sender (`MAIL FROM`), possibly empty (a bounce).
    pub from: &'a str,
    /// The managed address it was for (`RCPT TO`).
    pub to: &'a str,
    pub received_at: i64,
    /// The raw message's size in bytes.
    pub size: i64,
    /// The raw message sealed to the account's inbox public key.
    pub sealed: &'a [u8],
    /// Its sender verification; none when verification is off.
    pub auth: Option<&'a Verdict>,
}

/// The provider recorded with e-mail received by the SMTP listener.
pub const SMTP_PROVIDER: &str = "smtp";
/// The provider recorded with e-mail posted by a Mailgun route (its id: the post's token and the
/// recipient's index).
pub const MAILGUN_PROVIDER: &str = "mailgun";

/// What an inbox entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Sms,
    Email,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Sms => "sms",
            MessageKind::Email => "email",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsMessage {
    pub kind: MessageKind,
    /// E-mail only: the raw message's size in bytes.
    pub size: Option<i64>,
    /// Increases with each message stored: a cursor for the inbox and its wait endpoint.
    pub seq: i64,
    pub provider: String,
    pub provider_message_id: String,
    pub account_id: String,
    pub from: String,
    pub to: String,
    pub received_at: i64,
    pub sealed: Vec<u8>,
    /// E-mail only, when it was verified on arrival: DKIM, SPF and DMARC.
    pub auth: Option<Verdict>,
}

const SMS_COLUMNS: &str =
    "seq, provider, provider_message_id, account_id, from_number, to_number, received_at, sealed, \
     kind, size, auth_dkim, auth_spf, auth_dmarc, auth_domain, auth_verified";

/// The stored verdict, if the row has one (all three outcomes present and known).
fn auth_from(row: &AnyRow) -> Result<Option<Verdict>, DbError> {
    let outcome = |name: &str| -> Result<Option<Outcome>, DbError> {
        Ok(col::<Option<String>>(row, name)?.as_deref().and_then(Outcome::parse))
    };
    let (Some(dkim), Some(spf), Some(dmarc)) = (outcome("auth_dkim")?, outcome("auth_spf")?, outcome("auth_dmarc")?)
    else {
        return Ok(None);
    };
    Ok(Some(Verdict {
        dkim,
        spf,
        dmarc,
        domain: col(row, "auth_domain")?,
        verified: col::<Option<i64>>(row, "auth_verified")? == Some(1),
    }))
}

fn sms_from(row: &AnyRow) -> Result<SmsMessage, DbError> {
    let kind = match col::<String>(row, "kind")?.as_str() {
        "email" => MessageKind::Email,
        _ => MessageKind::Sms,
    };
    Ok(SmsMessage {
        kind,
        size: col(row, "size")?,
        seq: col(row, "seq")?,
        provider: col(row, "provider")?,
        provider_message_id: col(row, "provider_message_id")?,
        account_id: col(row, "account_id")?,
        from: col(row, "from_number")?,
        to: col(row, "to_number")?,
        received_at: col(row, "received_at")?,
        sealed: col(row, "sealed")?,
        auth: auth_from(row)?,
    })
}

impl Db {
    /// Stores a message unless one with the same provider id is already stored. Returns the
    /// stored message and whether this call stored it (false for a retried webhook). Durable when
    /// it returns: the webhook may be acknowledged.
    ///
    /// `seq` is the inbox cursor, so a message must never become visible after one with a higher
    /// seq (a reader that saw the higher one would skip it). SQLite has one writer at a time, so
    /// commit order is seq order. PostgreSQL hands out identity values before commit, so writers
    /// take a table lock that only they contend for (readers are not blocked), and the
    /// announcement on [`SMS_CHANNEL`] goes out with the commit, never before.
    pub async fn store_sms(&self, sms: &NewSms<'_>) -> Result<(SmsMessage, bool), DbError> {
        self.store_sms_audited(sms, true).await
    }

    /// [`Db::store_sms`] without its audit event: only for the benchmark that measures what the
    /// audit log costs on the intake path (`cargo bench --features bench`), never in the server.
    #[cfg(feature = "bench")]
    pub async fn store_sms_without_audit(&self, sms: &NewSms<'_>) -> Result<(SmsMessage, bool), DbError> {
        self.store_sms_audited(sms, false).await
    }

    async fn store_sms_audited(&self, sms: &NewSms<'_>, audited: bool) -> Result<(SmsMessage, bool), DbError> {
        let insert = sqlx::query(
            "INSERT INTO sms_messages (provider, provider_message_id, account_id, from_number, to_number, received_at, sealed) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (provider, provider_message_id) DO NOTHING",
        )
        .bind(sms.provider)
        .bind(sms.provider_message_id)
        .bind(sms.account_id)
        .bind(sms.from)
        .bind(sms.to)
        .bind(sms.received_at)
        .bind(sms.sealed.to_vec());
        let select = format!("SELECT {SMS_COLUMNS} FROM sms_messages WHERE provider = $1 AND provider_message_id = $2");
        let select = sqlx::query(&select).bind(sms.provider).bind(sms.provider_message_id);
        match self.backend() {
            Backend::Sqlite => {
                let mut tx = self.begin_write().await?;
                let stored = insert.execute(&mut *tx).await?.rows_affected() == 1;
                let message = sms_from(&select.fetch_one(&mut *tx).await?)?;
                if stored && audited {
                    self.message_event(&mut tx, &message).await?;
                }
                tx.commit().await?;
                Ok((message, stored))
            }
            Backend::Postgres => {
                let mut tx = self.pool().begin().await?;
                sqlx::query("LOCK TABLE sms_messages IN SHARE ROW EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await?;
                let stored = insert.execute(&mut *tx).await?.rows_affected() == 1;
                if stored {
                    sqlx::query("SELECT pg_notify($1, $2)")
                        .bind(SMS_CHANNEL)
                        .bind(sms.account_id)
                        .execute(&mut *tx)
                        .await?;
                }
                let message = sms_from(&select.fetch_one(&mut *tx).await?)?;
                if stored && audited {
                    self.message_event(&mut tx, &message).await?;
                }
                tx.commit().await?;
                Ok((message, stored))
            }
        }
    }

    /// `message.received`: who sent it to which number, never what it says.
    async fn message_event(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        message: &SmsMessage,
    ) -> Result<(), DbError> {
        let envelope = [
            ("provider", message.provider.as_str()),
            ("from", message.from.as_str()),
            ("to", message.to.as_str()),
        ];
        self.received_event(tx, &message.account_id, message.seq, message.received_at, &envelope)
            .await
    }

    /// `message.received` for any message (SMS or e-mail), in its storing transaction: the
    /// envelope's fields only, never what the message says.
    async fn received_event(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        account_id: &str,
        seq: i64,
        received_at: i64,
        envelope: &[(&str, &str)],
    ) -> Result<(), DbError> {
        let workspace = audit::workspace_of_account(tx, account_id).await?;
        let seq = seq.to_string();
        let event = NewEvent::ok(&workspace, Action::MessageReceived)
            .target("message", &seq)
            .account(account_id)
            .detail(audit::detail(envelope));
        audit::append(tx, self.actor(), event, received_at).await
    }

    /// Stores one e-mail for each of its recipients' accounts in one transaction: durable when it
    /// returns (the SMTP client may be told `250`), and all or nothing. Ordering and the
    /// PostgreSQL announcement are as for [`Db::store_sms`].
    pub async fn store_emails(&self, emails: &[NewEmail<'_>]) -> Result<Vec<i64>, DbError> {
        let mut tx = self.begin_write().await?;
        if self.backend() == Backend::Postgres {
            sqlx::query("LOCK TABLE sms_messages IN SHARE ROW EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
        }
        let mut seqs = Vec::with_capacity(emails.len());
        for email in emails {
            sqlx::query(
                "INSERT INTO sms_messages (provider, provider_message_id, account_id, from_number, to_number, received_at, \
                 sealed, kind, size, auth_dkim, auth_spf, auth_dmarc, auth_domain, auth_verified) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'email', $8, $9, $10, $11, $12, $13)",
            )
            .bind(email.provider)
            .bind(email.message_id)
            .bind(email.account_id)
            .bind(email.from)
            .bind(email.to)
            .bind(email.received_at)
            .bind(email.sealed.to_vec())
            .bind(email.size)
            .bind(email.auth.map(|a| a.dkim.as_str()))
            .bind(email.auth.map(|a| a.spf.as_str()))
            .bind(email.auth.map(|a| a.dmarc.as_str()))
            .bind(email.auth.and_then(|a| a.domain.clone()))
            .bind(email.auth.map(|a| i64::from(a.verified)))
            .execute(&mut *tx)
            .await?;
            let seq: i64 =
                sqlx::query_scalar("SELECT seq FROM sms_messages WHERE provider = $1 AND provider_message_id = $2")
                    .bind(email.provider)
                    .bind(email.message_id)
                    .fetch_one(&mut *tx)
                    .await?;
            seqs.push(seq);
            let envelope = [
                ("provider", email.provider),
                ("kind", "email"),
                ("from", email.from),
                ("to", email.to),
            ];
            self.received_event(&mut tx, email.account_id, seq, email.received_at, &envelope)
                .await?;
            if self.backend() == Backend::Postgres {
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(SMS_CHANNEL)
                    .bind(email.account_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(seqs)
    }

    /// The inbox of a user: messages after the cursor `after_seq`, oldest first, of one account
    /// (`Some`) or of every account (`None`) they are a member of *at the time of this read*: the
    /// membership is checked by the same query, so a member removed a moment ago reads nothing.
    pub async fn inbox(
        &self,
        user_id: &str,
        account_id: Option<&str>,
        after_seq: i64,
        limit: i64,
        now: i64,
    ) -> Result<Vec<SmsMessage>, DbError> {
        let messages = self.inbox_unrecorded(user_id, account_id, after_seq, limit).await?;
        self.record_inbox_read(user_id, &messages, now).await?;
        Ok(messages)
    }

    /// `inbox.read`, one event per account whose messages were handed to the reader (how many,
    /// up to which seq). A read that returns nothing is not recorded (long polls repeat it).
    async fn record_inbox_read(&self, user_id: &str, messages: &[SmsMessage], now: i64) -> Result<(), DbError> {
        if messages.is_empty() {
            return Ok(());
        }
        let mut per_account: std::collections::BTreeMap<&str, (usize, i64)> = std::collections::BTreeMap::new();
        for m in messages {
            let entry = per_account.entry(m.account_id.as_str()).or_default();
            entry.0 += 1;
            entry.1 = entry.1.max(m.seq);
        }
        let mut tx = self.begin_write().await?;
        let workspace = audit::workspace_of_user(&mut tx, user_id).await?;
        for (account, (count, through)) in per_account {
            let (count, through) = (count.to_string(), through.to_string());
            let event = NewEvent::ok(&workspace, Action::InboxRead)
                .target("account", account)
                .account(account)
                .detail(audit::detail(&[("messages", &count), ("through_seq", &through)]));
            audit::append(&mut tx, self.actor(), event, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn inbox_unrecorded(
        &self,
        user_id: &str,
        account_id: Option<&str>,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<SmsMessage>, DbError> {
        match account_id {
            Some(account) => {
                let rows = sqlx::query(&format!(
                    "SELECT {SMS_COLUMNS} FROM sms_messages WHERE account_id = $1 AND seq > $2 AND EXISTS \
                     (SELECT 1 FROM account_members WHERE account_id = $1 AND user_id = $3) ORDER BY seq LIMIT $4"
                ))
                .bind(account)
                .bind(after_seq)
                .bind(user_id)
                .bind(limit)
                .fetch_all(self.pool())
                .await?;
                rows.iter().map(sms_from).collect()
            }
            None => self.sms_for_user(user_id, after_seq, limit).await,
        }
    }

    /// Whether a message with this provider id is stored (a provider's retry or a replay).
    pub async fn message_stored(&self, provider: &str, provider_message_id: &str) -> Result<bool, DbError> {
        Ok(
            sqlx::query("SELECT 1 AS one FROM sms_messages WHERE provider = $1 AND provider_message_id = $2")
                .bind(provider)
                .bind(provider_message_id)
                .fetch_optional(self.pool())
                .await?
                .is_some(),
        )
    }

    /// How many messages are stored under a provider's message id (the fault test checks it is
    /// never more than one), and how many in all.
    pub async fn count_sms(&self, provider: &str) -> Result<(i64, i64), DbError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS total, COUNT(DISTINCT provider_message_id) AS distinct_ids \
             FROM sms_messages WHERE provider = $1",
        )
        .bind(provider)
        .fetch_one(self.pool())
        .await?;
        Ok((col(&row, "total")?, col(&row, "distinct_ids")?))
    }

    /// Messages of one account after the cursor `after_seq` (0 for all), oldest first.
    pub async fn sms_for_account(
        &self,
        account_id: &str,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<SmsMessage>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {SMS_COLUMNS} FROM sms_messages WHERE account_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"
        ))
        .bind(account_id)
        .bind(after_seq)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(sms_from).collect()
    }

    /// The shared inbox of a user: messages of every account they are a member of, after the
    /// cursor, oldest first.
    pub async fn sms_for_user(&self, user_id: &str, after_seq: i64, limit: i64) -> Result<Vec<SmsMessage>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {SMS_COLUMNS} FROM sms_messages WHERE seq > $2 AND account_id IN \
             (SELECT account_id FROM account_members WHERE user_id = $1) ORDER BY seq LIMIT $3"
        ))
        .bind(user_id)
        .bind(after_seq)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(sms_from).collect()
    }
}
