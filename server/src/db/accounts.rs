//! Shared accounts (a login at a third-party app) and their members with wrapped account keys.
//! An account with members always has an owner: the code here keeps it so, and the database
//! refuses any change that would not (triggers of migration 0004).

use std::collections::{BTreeMap, BTreeSet};

use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

use super::audit::{self, Action, NewEvent};
use super::catalog::{app_key, app_slug};
use super::error::is_unique_violation;
use super::{col, new_id, Db, DbError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub workspace_id: String,
    /// The app's slug in the workspace's catalog.
    pub app_id: Option<String>,
    pub site: String,
    pub name: String,
    pub key_generation: i64,
    /// Set when someone who could read it lost access: its key should be rotated.
    pub needs_rotation: bool,
    pub inbox_public_key: Option<Vec<u8>>,
    pub sealed_inbox_private_key: Option<Vec<u8>>,
    pub created_at: i64,
}

/// What creating an account needs: the account and its first Owner's wrapped account key.
#[derive(Debug, Clone)]
pub struct NewAccount<'a> {
    pub workspace_id: &'a str,
    pub app_id: Option<&'a str>,
    pub site: &'a str,
    pub name: &'a str,
    pub owner_id: &'a str,
    pub owner_wrapped_key: &'a [u8],
    pub inbox_public_key: Option<&'a [u8]>,
    pub sealed_inbox_private_key: Option<&'a [u8]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountRole {
    Owner,
    Member,
}

impl AccountRole {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountRole::Owner => "owner",
            AccountRole::Member => "member",
        }
    }

    fn parse(value: &str) -> Result<Self, DbError> {
        match value {
            "owner" => Ok(AccountRole::Owner),
            "member" => Ok(AccountRole::Member),
            other => Err(DbError::Query(format!(
                "unknown account role {other:?} in the database"
            ))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub account_id: String,
    pub user_id: String,
    pub role: AccountRole,
    /// Opaque: the account key wrapped to this member's public key.
    pub wrapped_account_key: Vec<u8>,
    pub key_generation: i64,
}

/// A key rotation, as the owner's client computed it: the next generation's key sealed to every
/// current member, the new inbox key pair, and every current item with its content key re-wrapped.
#[derive(Debug, Clone)]
pub struct Rotation {
    pub generation: i64,
    /// (user id, the new account key sealed to them)
    pub members: Vec<(String, Vec<u8>)>,
    pub inbox_public_key: Vec<u8>,
    pub sealed_inbox_private_key: Vec<u8>,
    /// (item id, the version it was re-wrapped from, the new bytes); the version does not change.
    pub items: Vec<(String, i64, Vec<u8>)>,
}

pub(super) const ACCOUNT_COLUMNS: &str = "id, workspace_id, app_id, site, name, key_generation, needs_rotation, \
     inbox_public_key, sealed_inbox_private_key, created_at";

/// Locks an account's row for the rest of the transaction and returns its key generation, so
/// sharing, removing, rotating and item writes on one account happen one after the other (on
/// SQLite the transaction already holds the write lock). `NotFound` when there is no such account.
pub(super) async fn lock_account(tx: &mut Transaction<'static, Any>, account_id: &str) -> Result<i64, DbError> {
    let done = sqlx::query("UPDATE accounts SET key_generation = key_generation WHERE id = $1")
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(DbError::NotFound("the account"));
    }
    let generation: i64 = sqlx::query_scalar("SELECT key_generation FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(generation)
}

/// How many owners the account has besides `user_id`.
async fn owners_besides(tx: &mut Transaction<'static, Any>, account_id: &str, user_id: &str) -> Result<i64, DbError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM account_members WHERE account_id = $1 AND role = 'owner' AND user_id <> $2",
    )
    .bind(account_id)
    .bind(user_id)
    .fetch_one(&mut **tx)
    .await?)
}

pub(super) fn account_from(row: &AnyRow) -> Result<Account, DbError> {
    Ok(Account {
        id: col(row, "id")?,
        workspace_id: col(row, "workspace_id")?,
        app_id: col::<Option<String>>(row, "app_id")?.map(app_slug),
        site: col(row, "site")?,
        name: col(row, "name")?,
        key_generation: col(row, "key_generation")?,
        needs_rotation: col::<i64>(row, "needs_rotation")? != 0,
        inbox_public_key: col(row, "inbox_public_key")?,
        sealed_inbox_private_key: col(row, "sealed_inbox_private_key")?,
        created_at: col(row, "created_at")?,
    })
}

fn member_from(row: &AnyRow) -> Result<Member, DbError> {
    Ok(Member {
        account_id: col(row, "account_id")?,
        user_id: col(row, "user_id")?,
        role: AccountRole::parse(&col::<String>(row, "role")?)?,
        wrapped_account_key: col(row, "wrapped_account_key")?,
        key_generation: col(row, "key_generation")?,
    })
}

impl Db {
    /// Creates an account with its first Owner, in one transaction (a random id, key generation 1).
    pub async fn create_account(&self, new: &NewAccount<'_>, now: i64) -> Result<Account, DbError> {
        self.create_account_as(&new_id(), new, 1, now).await
    }

    /// Creates an account under an id the client chose (it is bound into the envelopes), at key
    /// generation `generation`, with its first Owner, in one transaction. A taken id is `Conflict`.
    pub async fn create_account_as(
        &self,
        id: &str,
        new: &NewAccount<'_>,
        generation: i64,
        now: i64,
    ) -> Result<Account, DbError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO accounts (id, workspace_id, app_id, site, name, key_generation, inbox_public_key, \
             sealed_inbox_private_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(new.workspace_id)
        .bind(new.app_id.map(|slug| app_key(new.workspace_id, slug)))
        .bind(new.site)
        .bind(new.name)
        .bind(generation)
        .bind(new.inbox_public_key.map(<[u8]>::to_vec))
        .bind(new.sealed_inbox_private_key.map(<[u8]>::to_vec))
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                DbError::Conflict("an account with that id already exists: choose another random id".into())
            } else {
                e.into()
            }
        })?;
        sqlx::query(
            "INSERT INTO account_members (account_id, user_id, role, wrapped_account_key, key_generation) \
             VALUES ($1, $2, 'owner', $3, $4)",
        )
        .bind(id)
        .bind(new.owner_id)
        .bind(new.owner_wrapped_key.to_vec())
        .bind(generation)
        .execute(&mut *tx)
        .await?;
        let event = NewEvent::ok(new.workspace_id, Action::AccountCreated)
            .target("account", id)
            .account(id);
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        self.account(id).await
    }

    pub async fn account(&self, id: &str) -> Result<Account, DbError> {
        let row = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(DbError::NotFound("the account"))?;
        account_from(&row)
    }

    /// The accounts a user is a member of.
    pub async fn accounts_for_user(&self, user_id: &str) -> Result<Vec<Account>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id IN \
             (SELECT account_id FROM account_members WHERE user_id = $1) ORDER BY name, id"
        ))
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(account_from).collect()
    }

    /// Adds a member, or replaces their role and wrapped key.
    pub async fn put_member(
        &self,
        account_id: &str,
        user_id: &str,
        role: AccountRole,
        wrapped_account_key: &[u8],
        key_generation: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO account_members (account_id, user_id, role, wrapped_account_key, key_generation) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id, user_id) DO UPDATE SET role = excluded.role, \
             wrapped_account_key = excluded.wrapped_account_key, key_generation = excluded.key_generation",
        )
        .bind(account_id)
        .bind(user_id)
        .bind(role.as_str())
        .bind(wrapped_account_key.to_vec())
        .bind(key_generation)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn members(&self, account_id: &str) -> Result<Vec<Member>, DbError> {
        let rows = sqlx::query(
            "SELECT account_id, user_id, role, wrapped_account_key, key_generation FROM account_members \
             WHERE account_id = $1 ORDER BY user_id",
        )
        .bind(account_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(member_from).collect()
    }

    /// The member row of `user_id` in `account_id`: `NotFound` means no access.
    pub async fn membership(&self, account_id: &str, user_id: &str) -> Result<Member, DbError> {
        let row = sqlx::query(
            "SELECT account_id, user_id, role, wrapped_account_key, key_generation FROM account_members \
             WHERE account_id = $1 AND user_id = $2",
        )
        .bind(account_id)
        .bind(user_id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(DbError::NotFound("a membership of that user in that account"))?;
        member_from(&row)
    }

    /// Removes a member and marks the account for key rotation. The last owner stays: an account
    /// always has someone who can manage it.
    pub async fn remove_member(&self, account_id: &str, user_id: &str, now: i64) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        lock_account(&mut tx, account_id).await?;
        let owners = owners_besides(&mut tx, account_id, user_id).await?;
        let role: Option<String> =
            sqlx::query_scalar("SELECT role FROM account_members WHERE account_id = $1 AND user_id = $2")
                .bind(account_id)
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
        if role.as_deref() == Some("owner") && owners == 0 {
            return Err(DbError::Conflict(
                "this is the account's last owner: make someone else an owner first".into(),
            ));
        }
        let done = sqlx::query("DELETE FROM account_members WHERE account_id = $1 AND user_id = $2")
            .bind(account_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound("a membership of that user in that account"));
        }
        sqlx::query("UPDATE accounts SET needs_rotation = 1 WHERE id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        let workspace = audit::workspace_of_account(&mut tx, account_id).await?;
        let event = NewEvent::ok(&workspace, Action::AccountUnshared)
            .target("user", user_id)
            .account(account_id);
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a finished key rotation: the new generation, and the mark cleared.
    pub async fn finish_rotation(&self, account_id: &str, new_generation: i64) -> Result<(), DbError> {
        let done = sqlx::query(
            "UPDATE accounts SET key_generation = $2, needs_rotation = 0 WHERE id = $1 AND key_generation < $2",
        )
        .bind(account_id)
        .bind(new_generation)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::Conflict(
                "the account's key generation is already at or past that one: reload and rotate again".into(),
            ));
        }
        Ok(())
    }

    /// Changes what is given: the name, the site, the app (`Some(None)` clears it; a slug of the
    /// account's workspace's catalog).
    pub async fn update_account(
        &self,
        id: &str,
        name: Option<&str>,
        site: Option<&str>,
        app_id: Option<Option<&str>>,
        now: i64,
    ) -> Result<Account, DbError> {
        let mut tx = self.begin_write().await?;
        lock_account(&mut tx, id).await?;
        if let Some(name) = name {
            sqlx::query("UPDATE accounts SET name = $2 WHERE id = $1")
                .bind(id)
                .bind(name)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(site) = site {
            sqlx::query("UPDATE accounts SET site = $2 WHERE id = $1")
                .bind(id)
                .bind(site)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(app_id) = app_id {
            let workspace: String = sqlx::query_scalar("SELECT workspace_id FROM accounts WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query("UPDATE accounts SET app_id = $2 WHERE id = $1")
                .bind(id)
                .bind(app_id.map(|slug| app_key(&workspace, slug)))
                .execute(&mut *tx)
                .await?;
        }
        // Which fields changed, never their values (a site is shown in the event's account).
        let fields: Vec<&str> = [
            (name.is_some(), "name"),
            (site.is_some(), "site"),
            (app_id.is_some(), "app"),
        ]
        .into_iter()
        .filter_map(|(changed, field)| changed.then_some(field))
        .collect();
        let workspace = audit::workspace_of_account(&mut tx, id).await?;
        let event = NewEvent::ok(&workspace, Action::AccountUpdated)
            .target("account", id)
            .account(id)
            .detail(audit::detail(&[("fields", &fields.join(","))]));
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        self.account(id).await
    }

    /// The memberships of a user, with their accounts, by account name.
    pub async fn memberships_of(&self, user_id: &str) -> Result<Vec<(Account, Member)>, DbError> {
        let mut out = Vec::new();
        for account in self.accounts_for_user(user_id).await? {
            // A membership removed between the two reads is simply left out.
            match self.membership(&account.id, user_id).await {
                Ok(member) => out.push((account, member)),
                Err(DbError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// Shares an account with a user or changes their role, in one transaction. A new member needs
    /// the account key wrapped to them at the current generation; an existing member keeps theirs
    /// unless a new one is given. The last owner cannot be made a member.
    pub async fn share_account(
        &self,
        account_id: &str,
        user_id: &str,
        role: AccountRole,
        wrapped_account_key: Option<&[u8]>,
        key_generation: Option<i64>,
        now: i64,
    ) -> Result<Member, DbError> {
        let mut tx = self.begin_write().await?;
        let current = lock_account(&mut tx, account_id).await?;
        if let Some(generation) = key_generation {
            if generation != current {
                return Err(DbError::StaleVersion {
                    expected: generation,
                    current,
                });
            }
        }
        let existing: Option<String> =
            sqlx::query_scalar("SELECT role FROM account_members WHERE account_id = $1 AND user_id = $2")
                .bind(account_id)
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
        if existing.as_deref() == Some("owner")
            && role != AccountRole::Owner
            && owners_besides(&mut tx, account_id, user_id).await? == 0
        {
            return Err(DbError::Conflict(
                "this is the account's last owner: make someone else an owner first".into(),
            ));
        }
        match (existing, wrapped_account_key) {
            (None, None) => {
                return Err(DbError::Invalid(
                    "sharing with a new member needs the account key wrapped to them (wrappedKey and keyGeneration)"
                        .into(),
                ))
            }
            (_, Some(_)) if key_generation.is_none() => {
                return Err(DbError::Invalid(
                    "a wrapped key needs the key generation it was made for (keyGeneration)".into(),
                ))
            }
            (_, Some(wrapped)) => {
                sqlx::query(
                    "INSERT INTO account_members (account_id, user_id, role, wrapped_account_key, key_generation) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id, user_id) DO UPDATE SET role = excluded.role, \
                     wrapped_account_key = excluded.wrapped_account_key, key_generation = excluded.key_generation",
                )
                .bind(account_id)
                .bind(user_id)
                .bind(role.as_str())
                .bind(wrapped.to_vec())
                .bind(current)
                .execute(&mut *tx)
                .await?;
            }
            (Some(_), None) => {
                sqlx::query("UPDATE account_members SET role = $3 WHERE account_id = $1 AND user_id = $2")
                    .bind(account_id)
                    .bind(user_id)
                    .bind(role.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let workspace = audit::workspace_of_account(&mut tx, account_id).await?;
        let event = NewEvent::ok(&workspace, Action::AccountShared)
            .target("user", user_id)
            .account(account_id)
            .detail(audit::detail(&[("role", role.as_str())]));
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        self.membership(account_id, user_id).await
    }

    /// Replaces the account key in one transaction: the generation moves up by exactly one, every
    /// current member gets the new key, the inbox key pair is replaced, every current item is
    /// re-wrapped, and the rotation mark is cleared. Anything that changed since the owner's client
    /// read the account (a member, an item or its version, another rotation) refuses it whole.
    pub async fn rotate_account(&self, account_id: &str, rotation: &Rotation, now: i64) -> Result<Account, DbError> {
        let mut tx = self.begin_write().await?;
        let current = lock_account(&mut tx, account_id).await?;
        if rotation.generation <= current {
            return Err(DbError::StaleVersion {
                expected: rotation.generation - 1,
                current,
            });
        }
        if rotation.generation != current + 1 {
            return Err(DbError::Invalid(format!(
                "the account's key is at generation {current}: a rotation makes generation {} exactly",
                current + 1
            )));
        }
        let members: BTreeSet<String> = sqlx::query_scalar("SELECT user_id FROM account_members WHERE account_id = $1")
            .bind(account_id)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
        let given: BTreeSet<String> = rotation.members.iter().map(|(u, _)| u.clone()).collect();
        if given.len() != rotation.members.len() {
            return Err(DbError::Invalid("a member is listed twice in the rotation".into()));
        }
        if given != members {
            return Err(DbError::Conflict(
                "the rotation must give the new key to exactly the account's current members, and they changed: \
                 reload the account and rotate again"
                    .into(),
            ));
        }
        let rows = sqlx::query("SELECT id, version FROM vault_items WHERE account_id = $1")
            .bind(account_id)
            .fetch_all(&mut *tx)
            .await?;
        let mut items = BTreeMap::new();
        for row in &rows {
            items.insert(col::<String>(row, "id")?, col::<i64>(row, "version")?);
        }
        if rotation.items.len() != items.len() {
            return Err(DbError::Conflict(
                "the rotation must re-wrap exactly the account's current items, and they changed: \
                 reload the account and rotate again"
                    .into(),
            ));
        }
        for (id, version, _) in &rotation.items {
            match items.remove(id) {
                Some(stored) if stored == *version => {}
                Some(stored) => {
                    return Err(DbError::StaleVersion {
                        expected: *version,
                        current: stored,
                    })
                }
                None => {
                    return Err(DbError::Conflict(
                        "the rotation must re-wrap exactly the account's current items, and they changed: \
                         reload the account and rotate again"
                            .into(),
                    ))
                }
            }
        }
        for (user_id, wrapped) in &rotation.members {
            sqlx::query(
                "UPDATE account_members SET wrapped_account_key = $3, key_generation = $4 \
                 WHERE account_id = $1 AND user_id = $2",
            )
            .bind(account_id)
            .bind(user_id)
            .bind(wrapped.clone())
            .bind(rotation.generation)
            .execute(&mut *tx)
            .await?;
        }
        for (id, version, data) in &rotation.items {
            sqlx::query("UPDATE vault_items SET data = $3, updated_at = $4 WHERE id = $1 AND version = $2")
                .bind(id)
                .bind(version)
                .bind(data.clone())
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "UPDATE accounts SET key_generation = $2, needs_rotation = 0, inbox_public_key = $3, \
             sealed_inbox_private_key = $4 WHERE id = $1",
        )
        .bind(account_id)
        .bind(rotation.generation)
        .bind(rotation.inbox_public_key.clone())
        .bind(rotation.sealed_inbox_private_key.clone())
        .execute(&mut *tx)
        .await?;
        let workspace = audit::workspace_of_account(&mut tx, account_id).await?;
        let generation = rotation.generation.to_string();
        let event = NewEvent::ok(&workspace, Action::AccountRekeyed)
            .target("account", account_id)
            .account(account_id)
            .detail(audit::detail(&[("key_generation", &generation)]));
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        self.account(account_id).await
    }
}
