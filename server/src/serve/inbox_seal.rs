//! The one place where the server seals what arrives for an account (an SMS from the Twilio
//! webhook, an e-mail from the SMTP listener or a provider's webhook) to the account's inbox
//! public key, at once, before anything is stored. The envelope binds workspace, account, object
//! type and message id, so a sealed message moved to another account, message or kind does not
//! open. Nothing else in the server ever handles message content.

use thiserror::Error;

use crate::db::Account;
use latchkey_core::vault::{Context, Email, InboxPublicKey, Sms};

/// What is sealed: the text of an SMS, or the raw bytes of an e-mail.
pub enum Content<'a> {
    Sms { from: &'a str, text: &'a str },
    Email { raw: &'a [u8] },
}

#[derive(Debug, Error)]
pub enum SealError {
    #[error("the account has no inbox key yet")]
    NoInboxKey,
    #[error("the account's inbox key is malformed")]
    BadInboxKey,
    #[error("sealing failed: {0}")]
    Seal(String),
}

/// `content` sealed to `account`'s inbox key, with the context of message `message_id`.
pub fn seal(account: &Account, message_id: &str, content: Content<'_>) -> Result<Vec<u8>, SealError> {
    let key = account.inbox_public_key.as_deref().ok_or(SealError::NoInboxKey)?;
    let key = <[u8; 32]>::try_from(key)
        .map(InboxPublicKey)
        .map_err(|_| SealError::BadInboxKey)?;
    let sealed = match content {
        Content::Sms { from, text } => Sms {
            from: from.to_string(),
            text: text.to_string(),
        }
        .seal(&key, &Context::sms(&account.workspace_id, &account.id, message_id)),
        Content::Email { raw } => {
            Email { raw: raw.to_vec() }.seal(&key, &Context::email(&account.workspace_id, &account.id, message_id))
        }
    };
    sealed
        .map(|envelope| envelope.as_bytes().to_vec())
        .map_err(|e| SealError::Seal(e.to_string()))
}
