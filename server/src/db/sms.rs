//! SMS messages: sealed to the account's inbox key on arrival; only ciphertext and metadata kept.
//! A provider's message id is stored once, so a retried webhook is not a second message.

use sqlx::any::AnyRow;

use super::{col, Db, DbError};

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsMessage {
    /// Increases with each message stored: a cursor for the inbox and its wait endpoint.
    pub seq: i64,
    pub provider: String,
    pub provider_message_id: String,
    pub account_id: String,
    pub from: String,
    pub to: String,
    pub received_at: i64,
    pub sealed: Vec<u8>,
}

const SMS_COLUMNS: &str = "seq, provider, provider_message_id, account_id, from_number, to_number, received_at, sealed";

fn sms_from(row: &AnyRow) -> Result<SmsMessage, DbError> {
    Ok(SmsMessage {
        seq: col(row, "seq")?,
        provider: col(row, "provider")?,
        provider_message_id: col(row, "provider_message_id")?,
        account_id: col(row, "account_id")?,
        from: col(row, "from_number")?,
        to: col(row, "to_number")?,
        received_at: col(row, "received_at")?,
        sealed: col(row, "sealed")?,
    })
}

impl Db {
    /// Stores a message unless one with the same provider id is already stored. Returns the
    /// stored message and whether this call stored it (false for a retried webhook). Durable when
    /// it returns: the webhook may be acknowledged.
    pub async fn store_sms(&self, sms: &NewSms<'_>) -> Result<(SmsMessage, bool), DbError> {
        let done = sqlx::query(
            "INSERT INTO sms_messages (provider, provider_message_id, account_id, from_number, to_number, received_at, sealed) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (provider, provider_message_id) DO NOTHING",
        )
        .bind(sms.provider)
        .bind(sms.provider_message_id)
        .bind(sms.account_id)
        .bind(sms.from)
        .bind(sms.to)
        .bind(sms.received_at)
        .bind(sms.sealed.to_vec())
        .execute(self.pool())
        .await?;
        let row = sqlx::query(&format!(
            "SELECT {SMS_COLUMNS} FROM sms_messages WHERE provider = $1 AND provider_message_id = $2"
        ))
        .bind(sms.provider)
        .bind(sms.provider_message_id)
        .fetch_one(self.pool())
        .await?;
        Ok((sms_from(&row)?, done.rows_affected() == 1))
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
