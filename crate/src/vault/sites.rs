//! An account's sites record: where its codes may be filled, authenticated by the account key.
//!
//! The server keeps a plaintext `site` for each account, for lists and the app catalog; a
//! compromised server or database can change it at will. Codes (TOTP and SMS) therefore go only to
//! the sites inside this record: an item of kind `sites` sealed under the account key like any
//! other item, at an item id derived from the account id ([`sites_item_id`]), so each account has
//! exactly one and the server cannot offer another item in its place. An account without one (made
//! before this record existed) fills nowhere until an owner confirms its sites.
//!
//! Caveats: the server can still withhold the record (no fill) or serve an older version that an
//! owner once wrote (as for every item); and whoever holds the account key (every member) could
//! seal a record, though only owners may write items to the server.

use super::{AccountKey, ItemBody, SealedItem, VaultError};
use crate::crypto::hkdf;

/// The item id of an account's sites record: the first 16 bytes of HKDF-SHA256 (salt
/// `"latchkey sites item id v1"`, ikm the account id), as 32 lower-case hex digits.
pub fn sites_item_id(account: &str) -> String {
    let full = hkdf::derive_key(b"latchkey sites item id v1", account.as_bytes(), b"");
    full[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The sites an account's codes may be filled on, with the record's id and version (for the next write).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccountSites {
    pub item: String,
    pub version: u64,
    pub sites: Vec<String>,
}

/// Finds and opens an account's sites record among its items. `Ok(None)`: the account has none.
/// Items of kind `sites` at any other id are ignored; the record at the derived id must be a sites
/// record and open under the account key.
pub fn account_sites(
    account_key: &AccountKey,
    workspace: &str,
    account: &str,
    items: &[SealedItem],
) -> Result<Option<AccountSites>, VaultError> {
    let id = sites_item_id(account);
    let mut found = items
        .iter()
        .filter(|i| i.item == id && i.account == account && i.workspace == workspace);
    let Some(record) = found.next() else {
        return Ok(None);
    };
    if found.next().is_some() {
        return Err(VaultError::SitesListedTwice);
    }
    match &record.open(account_key)?.body {
        ItemBody::Sites { sites } => Ok(Some(AccountSites {
            item: id,
            version: record.version,
            sites: sites.clone(),
        })),
        _ => Err(VaultError::NotSitesRecord),
    }
}
