//! An item version at rest: its contents under a fresh content key, and that content key wrapped
//! by the account key. Rotating the account key re-wraps the small content-key envelope only.

use super::{AccountKey, ContentKey, Context, Envelope, Item, ItemSummary, VaultError};

/// One version of one item, as the server stores it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SealedItem {
    pub workspace: String,
    pub account: String,
    pub item: String,
    pub version: u64,
    /// The content key under the account key ([`Context::content_key`]).
    pub content_key: Envelope,
    /// The item under the content key ([`Context::item`]).
    pub body: Envelope,
}

/// A one-time code computed inside the core, with when it changes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Code {
    pub code: String,
    pub seconds_left: Option<u64>,
    pub period: Option<u64>,
}

impl SealedItem {
    /// Encrypts `item` as `version` of `item_id` under a fresh content key.
    pub fn seal(
        account_key: &AccountKey,
        workspace: &str,
        account: &str,
        item_id: &str,
        version: u64,
        item: &Item,
    ) -> Result<SealedItem, VaultError> {
        item.validate()?;
        let content_key = ContentKey::generate();
        let body = Envelope::encrypt(
            content_key.secret(),
            &Context::item(workspace, account, item_id, version),
            &item.encode(),
        );
        let wrapped = Envelope::encrypt(
            account_key.secret(),
            &Context::content_key(workspace, account, item_id, version),
            content_key.bytes(),
        );
        Ok(SealedItem {
            workspace: workspace.to_string(),
            account: account.to_string(),
            item: item_id.to_string(),
            version,
            content_key: wrapped,
            body,
        })
    }

    fn content_key(&self, account_key: &AccountKey) -> Result<ContentKey, VaultError> {
        let context = Context::content_key(&self.workspace, &self.account, &self.item, self.version);
        let bytes = self.content_key.decrypt(account_key.secret(), &context)?;
        Ok(ContentKey::from_bytes(
            bytes
                .as_slice()
                .try_into()
                .map_err(|_| VaultError::Malformed("content key"))?,
        ))
    }

    /// Decrypts the item (all of it: keep the result inside the core).
    pub fn open(&self, account_key: &AccountKey) -> Result<Item, VaultError> {
        let key = self.content_key(account_key)?;
        let context = Context::item(&self.workspace, &self.account, &self.item, self.version);
        Item::decode(&self.body.decrypt(key.secret(), &context)?)
    }

    /// The fields safe to show (see [`ItemSummary`]).
    pub fn summary(&self, account_key: &AccountKey) -> Result<ItemSummary, VaultError> {
        Ok(self.open(account_key)?.summary())
    }

    /// The current code of a TOTP item at `now_unix`; the key never leaves the core.
    pub fn code_at(&self, account_key: &AccountKey, now_unix: u64) -> Result<Code, VaultError> {
        let otp = self.open(account_key)?.otp()?;
        Ok(Code {
            code: otp.code_at(now_unix),
            seconds_left: otp.seconds_left(now_unix),
            period: otp.period(),
        })
    }

    /// The same item version with its content key re-wrapped from `old` to `new` (key rotation).
    /// The body envelope is untouched: it is the same bytes.
    pub fn rewrap(&self, old: &AccountKey, new: &AccountKey) -> Result<SealedItem, VaultError> {
        let key = self.content_key(old)?;
        let context = Context::content_key(&self.workspace, &self.account, &self.item, self.version);
        Ok(SealedItem {
            content_key: Envelope::encrypt(new.secret(), &context, key.bytes()),
            ..self.clone()
        })
    }
}
