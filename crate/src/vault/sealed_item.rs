//! An item version at rest: its contents under a fresh content key, and that content key wrapped
//! by the account key. Rotating the account key re-wraps the small content-key envelope only.
//!
//! On the wire and in storage (`data` in docs/api.md) an item is its text: base64url (no padding)
//! of a flat JSON object, `{"workspace","account","item","version","contentKey","body"}`
//! ([`SealedItem::to_text`], [`SealedItem::parse`]; docs/vault.md, "Item text").

use super::flat_json::{self, Value};
use super::{base64url, AccountKey, ContentKey, Context, Envelope, Item, ItemSummary, VaultError};

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

/// Where the server keeps an item: its workspace, account, id and version (the row it came in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemPlace<'a> {
    pub workspace: &'a str,
    pub account: &'a str,
    pub item: &'a str,
    pub version: u64,
}

/// The item text's keys, in the order they are written.
const TEXT_KEYS: &[&str] = &["workspace", "account", "item", "version", "contentKey", "body"];

impl SealedItem {
    /// The item's text, as stored and sent: base64url of its JSON. `parse` reads it back.
    pub fn to_text(&self) -> String {
        let json = flat_json::write(&[
            (TEXT_KEYS[0], Value::Text(self.workspace.clone())),
            (TEXT_KEYS[1], Value::Text(self.account.clone())),
            (TEXT_KEYS[2], Value::Text(self.item.clone())),
            (TEXT_KEYS[3], Value::Whole(self.version)),
            (TEXT_KEYS[4], Value::Text(self.content_key.to_text())),
            (TEXT_KEYS[5], Value::Text(self.body.to_text())),
        ]);
        base64url::encode(json.as_bytes())
    }

    /// Reads an item's text that the server returned at `place`. Refuses text that is not an item,
    /// and an item naming another workspace, account, id or version than where it was found: its
    /// envelopes bind those too, so it could never open, but it must not even be listed, as a
    /// server could otherwise show one item under another's name and version.
    pub fn parse(text: &str, place: &ItemPlace) -> Result<SealedItem, VaultError> {
        const WHAT: &str = "stored item";
        let bytes = base64url::decode(text).ok_or(VaultError::NotBase64)?;
        let json = std::str::from_utf8(&bytes).map_err(|_| VaultError::Malformed(WHAT))?;
        let malformed = || VaultError::Malformed(WHAT);
        let values = flat_json::read(json, TEXT_KEYS, WHAT)?;
        let text = |i: usize| match &values[i] {
            Value::Text(t) => Ok(t.as_str()),
            Value::Whole(_) => Err(malformed()),
        };
        let (workspace, account, item) = (text(0)?, text(1)?, text(2)?);
        let Value::Whole(version) = values[3] else {
            return Err(malformed());
        };
        let (content_key, body) = (text(4)?, text(5)?);
        let checks = [
            ("workspace", place.workspace == workspace),
            ("account", place.account == account),
            ("item", place.item == item),
            ("version", place.version == version),
        ];
        if let Some((what, _)) = checks.iter().find(|(_, same)| !same) {
            return Err(VaultError::ItemMisplaced(what));
        }
        Ok(SealedItem {
            workspace: workspace.to_string(),
            account: account.to_string(),
            item: item.to_string(),
            version,
            content_key: Envelope::parse(content_key)?,
            body: Envelope::parse(body)?,
        })
    }

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
