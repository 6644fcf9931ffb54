//! Vault items: opaque encrypted bytes with a version. A write names the version it was based on;
//! if the item has moved on, the write is refused with [`DbError::StaleVersion`], never lost.

use sqlx::any::AnyRow;

use super::accounts::lock_account;
use super::audit::{self, Action, NewEvent};
use super::{col, new_id, Db, DbError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultItem {
    pub id: String,
    pub account_id: String,
    /// 1 when created, +1 on each accepted write.
    pub version: i64,
    /// Opaque to the server: the core's sealed item envelope.
    pub data: Vec<u8>,
    pub created_at: i64,
    pub updated_at: i64,
}

const ITEM_COLUMNS: &str = "id, account_id, version, data, created_at, updated_at";

fn item_from(row: &AnyRow) -> Result<VaultItem, DbError> {
    Ok(VaultItem {
        id: col(row, "id")?,
        account_id: col(row, "account_id")?,
        version: col(row, "version")?,
        data: col(row, "data")?,
        created_at: col(row, "created_at")?,
        updated_at: col(row, "updated_at")?,
    })
}

impl Db {
    /// Stores a new item at version 1. `id` may be chosen by the client (its envelope binds the
    /// item id as associated data); `None` picks one.
    pub async fn create_item(
        &self,
        account_id: &str,
        id: Option<&str>,
        data: &[u8],
        now: i64,
    ) -> Result<VaultItem, DbError> {
        let item = VaultItem {
            id: id.map_or_else(new_id, str::to_string),
            account_id: account_id.to_string(),
            version: 1,
            data: data.to_vec(),
            created_at: now,
            updated_at: now,
        };
        sqlx::query(
            "INSERT INTO vault_items (id, account_id, version, data, created_at, updated_at) VALUES ($1, $2, 1, $3, $4, $4)",
        )
        .bind(&item.id)
        .bind(account_id)
        .bind(data.to_vec())
        .bind(now)
        .execute(self.pool())
        .await
        .map_err(|e| {
            if super::error::is_unique_violation(&e) {
                DbError::Conflict("an item with that id already exists".into())
            } else {
                e.into()
            }
        })?;
        Ok(item)
    }

    pub async fn item(&self, id: &str) -> Result<VaultItem, DbError> {
        let row = sqlx::query(&format!("SELECT {ITEM_COLUMNS} FROM vault_items WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(DbError::NotFound("the vault item"))?;
        item_from(&row)
    }

    pub async fn items(&self, account_id: &str) -> Result<Vec<VaultItem>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {ITEM_COLUMNS} FROM vault_items WHERE account_id = $1 ORDER BY created_at, id"
        ))
        .bind(account_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(item_from).collect()
    }

    /// Replaces an item's bytes if it is still at `expected_version`; returns the new version.
    /// One conditional UPDATE, so of two writers based on the same version exactly one wins.
    pub async fn update_item(&self, id: &str, expected_version: i64, data: &[u8], now: i64) -> Result<i64, DbError> {
        let done = sqlx::query(
            "UPDATE vault_items SET data = $3, version = version + 1, updated_at = $4 WHERE id = $1 AND version = $2",
        )
        .bind(id)
        .bind(expected_version)
        .bind(data.to_vec())
        .bind(now)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 1 {
            return Ok(expected_version + 1);
        }
        let current = self.item(id).await?.version;
        Err(DbError::StaleVersion {
            expected: expected_version,
            current,
        })
    }

    /// Deletes an item if it is still at `expected_version`.
    pub async fn delete_item(&self, id: &str, expected_version: i64) -> Result<(), DbError> {
        let done = sqlx::query("DELETE FROM vault_items WHERE id = $1 AND version = $2")
            .bind(id)
            .bind(expected_version)
            .execute(self.pool())
            .await?;
        if done.rows_affected() == 1 {
            return Ok(());
        }
        let current = self.item(id).await?.version;
        Err(DbError::StaleVersion {
            expected: expected_version,
            current,
        })
    }

    /// The API's item writes: in one transaction with the account's row locked, so they are
    /// ordered with key rotations. `key_generation`, when given, is the account key generation the
    /// bytes were sealed under; a write made before a rotation is refused (`StaleVersion`) rather
    /// than stored under a key the members no longer have.
    pub async fn write_item(&self, write: ItemWrite<'_>, now: i64) -> Result<VaultItem, DbError> {
        let mut tx = self.begin_write().await?;
        let current = lock_account(&mut tx, write.account_id).await?;
        if let Some(generation) = write.key_generation {
            if generation != current {
                return Err(DbError::StaleVersion {
                    expected: generation,
                    current,
                });
            }
        }
        let stored: Option<i64> =
            sqlx::query_scalar("SELECT version FROM vault_items WHERE id = $1 AND account_id = $2")
                .bind(write.id)
                .bind(write.account_id)
                .fetch_optional(&mut *tx)
                .await?;
        match (write.expected_version, stored) {
            (None, None) => {
                sqlx::query(
                    "INSERT INTO vault_items (id, account_id, version, data, created_at, updated_at) \
                     VALUES ($1, $2, 1, $3, $4, $4)",
                )
                .bind(write.id)
                .bind(write.account_id)
                .bind(write.data.map(<[u8]>::to_vec).unwrap_or_default())
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(|e| {
                    if super::error::is_unique_violation(&e) {
                        DbError::Conflict("an item with that id already exists: choose another random id".into())
                    } else {
                        e.into()
                    }
                })?;
            }
            (None, Some(_)) => return Err(DbError::Conflict("an item with that id already exists".into())),
            (Some(_), None) => return Err(DbError::NotFound("the vault item")),
            (Some(expected), Some(current)) if expected != current => {
                return Err(DbError::StaleVersion { expected, current })
            }
            (Some(expected), Some(_)) => match write.data {
                Some(data) => {
                    sqlx::query(
                        "UPDATE vault_items SET data = $3, version = version + 1, updated_at = $4 \
                         WHERE id = $1 AND version = $2",
                    )
                    .bind(write.id)
                    .bind(expected)
                    .bind(data.to_vec())
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                None => {
                    sqlx::query("DELETE FROM vault_items WHERE id = $1 AND version = $2")
                        .bind(write.id)
                        .bind(expected)
                        .execute(&mut *tx)
                        .await?;
                    item_event(&mut tx, self.actor(), &write, "deleted", now).await?;
                    tx.commit().await?;
                    return Ok(VaultItem {
                        id: write.id.to_string(),
                        account_id: write.account_id.to_string(),
                        version: expected,
                        data: Vec::new(),
                        created_at: now,
                        updated_at: now,
                    });
                }
            },
        }
        let change = if write.expected_version.is_some() {
            "changed"
        } else {
            "created"
        };
        item_event(&mut tx, self.actor(), &write, change, now).await?;
        tx.commit().await?;
        self.item(write.id).await
    }
}

/// One item write through [`Db::write_item`]: create (no expected version, data), update
/// (expected version, data) or delete (expected version, no data).
#[derive(Debug, Clone, Copy)]
pub struct ItemWrite<'a> {
    pub account_id: &'a str,
    pub id: &'a str,
    pub expected_version: Option<i64>,
    pub key_generation: Option<i64>,
    pub data: Option<&'a [u8]>,
}

/// `item.set`: an item (a TOTP key, backup codes: what it holds is sealed and never known here)
/// was created, changed or deleted.
async fn item_event(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &audit::Actor,
    write: &ItemWrite<'_>,
    change: &str,
    now: i64,
) -> Result<(), DbError> {
    let workspace = audit::workspace_of_account(tx, write.account_id).await?;
    let event = NewEvent::ok(&workspace, Action::ItemSet)
        .target("item", write.id)
        .account(write.account_id)
        .detail(audit::detail(&[("change", change)]));
    audit::append(tx, actor, event, now).await
}
