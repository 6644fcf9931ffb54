//! Shared accounts (a login at a third-party app), their members with wrapped account keys, the
//! app catalog and managed phone numbers.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

use super::error::is_unique_violation;
use super::{col, flag, new_id, Db, DbError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct App {
    pub id: String,
    pub name: String,
    pub site: String,
    /// Whether the app accepts a managed (Latchkey-provided) phone number for its SMS step.
    pub accepts_managed_number: bool,
    /// Whether a VoIP number will do (many apps refuse them).
    pub voip_ok: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub workspace_id: String,
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber {
    /// E.164, e.g. "+15550100".
    pub e164: String,
    pub workspace_id: String,
    pub provider: String,
    pub provider_ref: Option<String>,
    pub account_id: Option<String>,
}

const ACCOUNT_COLUMNS: &str = "id, workspace_id, app_id, site, name, key_generation, needs_rotation, \
     inbox_public_key, sealed_inbox_private_key, created_at";

fn app_from(row: &AnyRow) -> Result<App, DbError> {
    Ok(App {
        id: col(row, "id")?,
        name: col(row, "name")?,
        site: col(row, "site")?,
        accepts_managed_number: col::<i64>(row, "accepts_managed_number")? != 0,
        voip_ok: col::<i64>(row, "voip_ok")? != 0,
    })
}

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

fn account_from(row: &AnyRow) -> Result<Account, DbError> {
    Ok(Account {
        id: col(row, "id")?,
        workspace_id: col(row, "workspace_id")?,
        app_id: col(row, "app_id")?,
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

fn phone_from(row: &AnyRow) -> Result<PhoneNumber, DbError> {
    Ok(PhoneNumber {
        e164: col(row, "e164")?,
        workspace_id: col(row, "workspace_id")?,
        provider: col(row, "provider")?,
        provider_ref: col(row, "provider_ref")?,
        account_id: col(row, "account_id")?,
    })
}

/// `+` then 8 to 15 digits, the first not 0.
fn check_e164(number: &str) -> Result<(), DbError> {
    let digits = number.strip_prefix('+').unwrap_or("");
    let ok = (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0');
    if ok {
        Ok(())
    } else {
        Err(DbError::Invalid(format!(
            "{number:?} is not a phone number in E.164 form (+ and 8 to 15 digits, as in +15550100)"
        )))
    }
}

impl Db {
    /// Adds or updates an app in the catalog (by name).
    pub async fn upsert_app(
        &self,
        name: &str,
        site: &str,
        accepts_managed_number: bool,
        voip_ok: bool,
    ) -> Result<App, DbError> {
        sqlx::query(
            "INSERT INTO apps (id, name, site, accepts_managed_number, voip_ok) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (name) DO UPDATE SET site = excluded.site, \
             accepts_managed_number = excluded.accepts_managed_number, voip_ok = excluded.voip_ok",
        )
        .bind(new_id())
        .bind(name)
        .bind(site)
        .bind(flag(accepts_managed_number))
        .bind(flag(voip_ok))
        .execute(self.pool())
        .await?;
        let row = sqlx::query("SELECT id, name, site, accepts_managed_number, voip_ok FROM apps WHERE name = $1")
            .bind(name)
            .fetch_one(self.pool())
            .await?;
        Ok(App {
            id: col(&row, "id")?,
            name: col(&row, "name")?,
            site: col(&row, "site")?,
            accepts_managed_number: col::<i64>(&row, "accepts_managed_number")? != 0,
            voip_ok: col::<i64>(&row, "voip_ok")? != 0,
        })
    }

    pub async fn apps(&self) -> Result<Vec<App>, DbError> {
        let rows = sqlx::query("SELECT id, name, site, accepts_managed_number, voip_ok FROM apps ORDER BY name")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| {
                Ok(App {
                    id: col(row, "id")?,
                    name: col(row, "name")?,
                    site: col(row, "site")?,
                    accepts_managed_number: col::<i64>(row, "accepts_managed_number")? != 0,
                    voip_ok: col::<i64>(row, "voip_ok")? != 0,
                })
            })
            .collect()
    }

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
        .bind(new.app_id)
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
    pub async fn remove_member(&self, account_id: &str, user_id: &str) -> Result<(), DbError> {
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

    /// Adds a number to the workspace's pool (not yet assigned).
    pub async fn add_phone_number(
        &self,
        workspace_id: &str,
        e164: &str,
        provider: &str,
        provider_ref: Option<&str>,
        now: i64,
    ) -> Result<PhoneNumber, DbError> {
        check_e164(e164)?;
        sqlx::query(
            "INSERT INTO phone_numbers (e164, workspace_id, provider, provider_ref, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(e164)
        .bind(workspace_id)
        .bind(provider)
        .bind(provider_ref)
        .bind(now)
        .execute(self.pool())
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                DbError::Conflict(format!("the number {e164} is already known"))
            } else {
                e.into()
            }
        })?;
        self.phone_number(e164).await
    }

    /// Assigns a free number to an account (one number per account, one account per number).
    pub async fn assign_phone_number(&self, e164: &str, account_id: &str) -> Result<(), DbError> {
        let done = sqlx::query("UPDATE phone_numbers SET account_id = $2 WHERE e164 = $1 AND account_id IS NULL")
            .bind(e164)
            .bind(account_id)
            .execute(self.pool())
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    DbError::Conflict("that account already has a managed number".into())
                } else {
                    e.into()
                }
            })?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound("a free managed number with that value"));
        }
        Ok(())
    }

    /// The numbers of `provider` held by an account: (number, account id), for the pool to know at start.
    pub async fn held_numbers(&self, provider: &str) -> Result<Vec<(String, String)>, DbError> {
        let rows = sqlx::query(
            "SELECT e164, account_id FROM phone_numbers WHERE provider = $1 AND account_id IS NOT NULL ORDER BY e164",
        )
        .bind(provider)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| Ok((col(row, "e164")?, col(row, "account_id")?)))
            .collect()
    }

    pub async fn phone_number(&self, e164: &str) -> Result<PhoneNumber, DbError> {
        let row = sqlx::query(
            "SELECT e164, workspace_id, provider, provider_ref, account_id FROM phone_numbers WHERE e164 = $1",
        )
        .bind(e164)
        .fetch_optional(self.pool())
        .await?
        .ok_or(DbError::NotFound("the phone number"))?;
        phone_from(&row)
    }
}

impl Db {
    pub async fn app(&self, id: &str) -> Result<App, DbError> {
        let row = sqlx::query("SELECT id, name, site, accepts_managed_number, voip_ok FROM apps WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(DbError::NotFound("the app"))?;
        app_from(&row)
    }

    /// Adds or changes the catalog entry `id`. Names stay unique.
    pub async fn put_app(&self, app: &App) -> Result<App, DbError> {
        sqlx::query(
            "INSERT INTO apps (id, name, site, accepts_managed_number, voip_ok) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, site = excluded.site, \
             accepts_managed_number = excluded.accepts_managed_number, voip_ok = excluded.voip_ok",
        )
        .bind(&app.id)
        .bind(&app.name)
        .bind(&app.site)
        .bind(flag(app.accepts_managed_number))
        .bind(flag(app.voip_ok))
        .execute(self.pool())
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                DbError::Conflict(format!("another app in the catalog is already called {:?}", app.name))
            } else {
                e.into()
            }
        })?;
        self.app(&app.id).await
    }

    /// Changes what is given: the name, the site, the app (`Some(None)` clears it).
    pub async fn update_account(
        &self,
        id: &str,
        name: Option<&str>,
        site: Option<&str>,
        app_id: Option<Option<&str>>,
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
            sqlx::query("UPDATE accounts SET app_id = $2 WHERE id = $1")
                .bind(id)
                .bind(app_id)
                .execute(&mut *tx)
                .await?;
        }
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
        tx.commit().await?;
        self.account(account_id).await
    }

    /// The managed number an account holds, if any.
    pub async fn account_phone_number(&self, account_id: &str) -> Result<Option<PhoneNumber>, DbError> {
        let row = sqlx::query(
            "SELECT e164, workspace_id, provider, provider_ref, account_id FROM phone_numbers WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(phone_from).transpose()
    }

    /// Records a number a provider just obtained as held by `account_id`, in one transaction: one
    /// number per account (`Conflict` if it already has one), and a number held by one account only.
    pub async fn hold_phone_number(
        &self,
        number: &PhoneNumber,
        account_id: &str,
        now: i64,
    ) -> Result<PhoneNumber, DbError> {
        check_e164(&number.e164)?;
        let mut tx = self.begin_write().await?;
        lock_account(&mut tx, account_id).await?;
        let held: Option<String> = sqlx::query_scalar("SELECT e164 FROM phone_numbers WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(held) = held {
            return Err(DbError::Conflict(format!(
                "this account already has the managed number {held}: release it first"
            )));
        }
        let taken: Option<Option<String>> = sqlx::query_scalar("SELECT account_id FROM phone_numbers WHERE e164 = $1")
            .bind(&number.e164)
            .fetch_optional(&mut *tx)
            .await?;
        match taken {
            Some(Some(_)) => {
                return Err(DbError::Conflict(format!(
                    "the number {} is already held by another account",
                    number.e164
                )))
            }
            Some(None) => {
                sqlx::query(
                    "UPDATE phone_numbers SET account_id = $2, provider = $3, provider_ref = $4, workspace_id = $5 \
                     WHERE e164 = $1",
                )
                .bind(&number.e164)
                .bind(account_id)
                .bind(&number.provider)
                .bind(number.provider_ref.as_deref())
                .bind(&number.workspace_id)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query(
                    "INSERT INTO phone_numbers (e164, workspace_id, provider, provider_ref, account_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&number.e164)
                .bind(&number.workspace_id)
                .bind(&number.provider)
                .bind(number.provider_ref.as_deref())
                .bind(account_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        self.phone_number(&number.e164).await
    }

    /// Forgets the number an account holds (after the provider released it): it no longer routes
    /// texts to the account. Returns what was held.
    pub async fn release_phone_number(&self, account_id: &str) -> Result<Option<PhoneNumber>, DbError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT e164, workspace_id, provider, provider_ref, account_id FROM phone_numbers WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let number = phone_from(&row)?;
        sqlx::query("DELETE FROM phone_numbers WHERE e164 = $1")
            .bind(&number.e164)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(number))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn e164() {
        assert!(super::check_e164("+15550100123").is_ok());
        for bad in ["15550100", "+0555010012", "+1555", "+1555-0100", "+1234567890123456"] {
            assert!(super::check_e164(bad).is_err(), "{bad}");
        }
    }
}
