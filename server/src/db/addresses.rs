//! Managed e-mail addresses: which account holds which address at the workspace's mail domain,
//! how many a workspace may have, and the quarantine of released addresses.
//!
//! The rules are the managed numbers' (db/numbers.rs), and share their code where they are the
//! same: who may obtain one is [`super::numbers::check_obtainer`] (account owners whose
//! workspace role meets the number policy's minimum), a released address stays in quarantine for
//! [`QUARANTINE_SECS`] (mail to it is refused, only the account it came from may take it back), and
//! a quota counts addresses held *and* in quarantine. Every rule is checked in the one transaction
//! that hands out the address, with the table locked on PostgreSQL, so instances sharing a
//! database can neither exceed the quota nor give one address to two accounts.
//!
//! Which address an account gets is decided by the caller (a keyed hash of the account, so the
//! dialog can show it before it is created: serve/api/addresses.rs); storage only refuses one
//! that is taken.

use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

use super::accounts::lock_account;
use super::audit::{self, Action, NewEvent};
use super::numbers::check_obtainer;
use super::numbers::QUARANTINE_SECS;
use super::{col, Backend, Db, DbError};

/// What a workspace starts with: addresses cost nothing, the quota only bounds abuse.
pub const DEFAULT_ADDRESS_QUOTA: i64 = 100;
/// The largest quota an admin may set.
pub const MAX_ADDRESS_QUOTA: i64 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailAddress {
    /// `local@domain`, lower case.
    pub address: String,
    pub workspace_id: String,
    pub account_id: Option<String>,
    pub released_from: Option<String>,
    pub quarantined_until: Option<i64>,
}

impl MailAddress {
    /// Whether mail to it is refused because it was released (quarantine not over).
    pub fn in_quarantine(&self, now: i64) -> bool {
        self.account_id.is_none() && self.quarantined_until.is_some_and(|until| until > now)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressUsage {
    pub quota: i64,
    pub held: i64,
    pub quarantined: i64,
}

const ADDRESS_COLUMNS: &str = "address, workspace_id, account_id, released_from, quarantined_until";

fn address_from(row: &AnyRow) -> Result<MailAddress, DbError> {
    Ok(MailAddress {
        address: col(row, "address")?,
        workspace_id: col(row, "workspace_id")?,
        account_id: col(row, "account_id")?,
        released_from: col(row, "released_from")?,
        quarantined_until: col(row, "quarantined_until")?,
    })
}

async fn lock_addresses(db: &Db, tx: &mut Transaction<'static, Any>) -> Result<(), DbError> {
    if db.backend() == Backend::Postgres {
        sqlx::query("LOCK TABLE mail_addresses IN SHARE ROW EXCLUSIVE MODE")
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn usage_in(tx: &mut Transaction<'static, Any>, workspace_id: &str, now: i64) -> Result<AddressUsage, DbError> {
    let row = sqlx::query(
        "SELECT (SELECT address_quota FROM workspaces WHERE id = $1) AS quota, \
           (SELECT COUNT(*) FROM mail_addresses WHERE workspace_id = $1 AND account_id IS NOT NULL) AS held, \
           (SELECT COUNT(*) FROM mail_addresses WHERE workspace_id = $1 AND account_id IS NULL \
              AND quarantined_until > $2) AS quarantined",
    )
    .bind(workspace_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(AddressUsage {
        quota: col::<Option<i64>>(&row, "quota")?.ok_or(DbError::NotFound("the workspace"))?,
        held: col(&row, "held")?,
        quarantined: col(&row, "quarantined")?,
    })
}

/// Storage keeps addresses as `local@domain` in lower case, ASCII only.
fn check_address(address: &str) -> Result<(), DbError> {
    let ok = address.len() <= 254
        && address.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && address
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"@.-_".contains(&b))
        });
    match ok {
        true => Ok(()),
        false => Err(DbError::Invalid(format!("{address:?} is not a managed e-mail address"))),
    }
}

impl Db {
    /// The workspace's address quota and what counts toward it now.
    pub async fn address_usage(&self, workspace_id: &str, now: i64) -> Result<AddressUsage, DbError> {
        let mut tx = self.pool().begin().await?;
        let usage = usage_in(&mut tx, workspace_id, now).await?;
        tx.commit().await?;
        Ok(usage)
    }

    /// Changes the workspace's address quota (a quota below what is used takes nothing away).
    pub async fn set_address_quota(&self, workspace_id: &str, quota: i64, now: i64) -> Result<(), DbError> {
        if !(0..=MAX_ADDRESS_QUOTA).contains(&quota) {
            return Err(DbError::Invalid(format!(
                "the address quota must be a whole number from 0 to {MAX_ADDRESS_QUOTA}"
            )));
        }
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE workspaces SET address_quota = $2 WHERE id = $1")
            .bind(workspace_id)
            .bind(quota)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound("the workspace"));
        }
        let detail = audit::detail(&[("address_quota", &quota.to_string())]);
        let event = NewEvent::ok(workspace_id, Action::PolicyChanged).detail(detail);
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many addresses `account_id` ever held (held now, or released from it): the counter the
    /// next address's proposal is derived from, so a released address is never proposed again.
    pub async fn addresses_ever(&self, account_id: &str) -> Result<i64, DbError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM mail_addresses WHERE account_id = $1 OR released_from = $1")
                .bind(account_id)
                .fetch_one(self.pool())
                .await?,
        )
    }

    /// The address `account_id` released and may still take back (its quarantine not over).
    pub async fn own_quarantined_address(&self, account_id: &str, now: i64) -> Result<Option<MailAddress>, DbError> {
        let row = sqlx::query(&format!(
            "SELECT {ADDRESS_COLUMNS} FROM mail_addresses WHERE account_id IS NULL AND released_from = $1 \
             AND quarantined_until > $2 ORDER BY quarantined_until DESC, address LIMIT 1"
        ))
        .bind(account_id)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(address_from).transpose()
    }

    /// Gives an address to an account, in one transaction: the caller must pass the shared rule
    /// for managed numbers and addresses (`Forbidden`), the account must have no address
    /// (`Conflict`). Then an address this account released and still in quarantine is given back
    /// (it costs no quota); otherwise the quota must have room (`LimitReached`) and `proposed`
    /// is created (`Conflict` if it exists, which a fresh proposal never does).
    pub async fn obtain_address(
        &self,
        account_id: &str,
        user_id: &str,
        proposed: &str,
        now: i64,
    ) -> Result<MailAddress, DbError> {
        check_address(proposed)?;
        let mut tx = self.begin_write().await?;
        lock_addresses(self, &mut tx).await?;
        lock_account(&mut tx, account_id).await?;
        let workspace_id: String = sqlx::query_scalar("SELECT workspace_id FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_one(&mut *tx)
            .await?;
        check_obtainer(&mut tx, user_id, &workspace_id).await?;
        let held: Option<String> = sqlx::query_scalar("SELECT address FROM mail_addresses WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(held) = held {
            return Err(DbError::Conflict(format!(
                "this account already has the managed e-mail address {held}: release it first"
            )));
        }
        let own: Option<String> = sqlx::query_scalar(
            "SELECT address FROM mail_addresses WHERE account_id IS NULL AND released_from = $1 \
             AND quarantined_until > $2 ORDER BY quarantined_until DESC, address LIMIT 1",
        )
        .bind(account_id)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let address = match own {
            Some(address) => {
                sqlx::query(
                    "UPDATE mail_addresses SET account_id = $2, released_from = NULL, quarantined_until = NULL \
                     WHERE address = $1 AND account_id IS NULL",
                )
                .bind(&address)
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
                address
            }
            None => {
                let usage = usage_in(&mut tx, &workspace_id, now).await?;
                if usage.held + usage.quarantined >= usage.quota {
                    return Err(DbError::LimitReached(format!(
                        "this workspace has used its quota of {} managed e-mail addresses ({} held, {} released and in \
                         quarantine); release one (it stays in quarantine for {} days) or ask an administrator to raise \
                         the quota",
                        usage.quota,
                        usage.held,
                        usage.quarantined,
                        QUARANTINE_SECS / 86_400
                    )));
                }
                let taken: Option<String> = sqlx::query_scalar("SELECT address FROM mail_addresses WHERE address = $1")
                    .bind(proposed)
                    .fetch_optional(&mut *tx)
                    .await?;
                if taken.is_some() {
                    return Err(DbError::Conflict(
                        "that e-mail address was already used: reload for another".into(),
                    ));
                }
                sqlx::query(
                    "INSERT INTO mail_addresses (address, workspace_id, account_id, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(proposed)
                .bind(&workspace_id)
                .bind(account_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                proposed.to_string()
            }
        };
        let event = NewEvent::ok(&workspace_id, Action::AddressCreated)
            .target("address", &address)
            .account(account_id);
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        self.mail_address(&address).await
    }

    /// Releases the address an account holds: from now on its mail is refused, and it stays in
    /// quarantine until `now + QUARANTINE_SECS`. Returns it as it now is (held by no account).
    pub async fn release_address(&self, account_id: &str, now: i64) -> Result<Option<MailAddress>, DbError> {
        let mut tx = self.begin_write().await?;
        lock_addresses(self, &mut tx).await?;
        let row = sqlx::query(&format!(
            "SELECT {ADDRESS_COLUMNS} FROM mail_addresses WHERE account_id = $1"
        ))
        .bind(account_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let mut held = address_from(&row)?;
        held.account_id = None;
        held.released_from = Some(account_id.to_string());
        held.quarantined_until = Some(now + QUARANTINE_SECS);
        sqlx::query(
            "UPDATE mail_addresses SET account_id = NULL, released_from = $2, quarantined_until = $3 WHERE address = $1",
        )
        .bind(&held.address)
        .bind(&held.released_from)
        .bind(held.quarantined_until)
        .execute(&mut *tx)
        .await?;
        let workspace = audit::workspace_of_account(&mut tx, account_id).await?;
        let event = NewEvent::ok(&workspace, Action::AddressReleased)
            .target("address", &held.address)
            .account(account_id);
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        Ok(Some(held))
    }

    /// The managed address an account holds, if any.
    pub async fn account_address(&self, account_id: &str) -> Result<Option<MailAddress>, DbError> {
        let row = sqlx::query(&format!(
            "SELECT {ADDRESS_COLUMNS} FROM mail_addresses WHERE account_id = $1"
        ))
        .bind(account_id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(address_from).transpose()
    }

    /// One address, held or not (`NotFound` if it was never created).
    pub async fn mail_address(&self, address: &str) -> Result<MailAddress, DbError> {
        let row = sqlx::query(&format!(
            "SELECT {ADDRESS_COLUMNS} FROM mail_addresses WHERE address = $1"
        ))
        .bind(address)
        .fetch_optional(self.pool())
        .await?
        .ok_or(DbError::NotFound("the e-mail address"))?;
        address_from(&row)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn addresses_are_lower_case_ascii() {
        assert!(super::check_address("k3j9q2m7x4ta@mail.example.com").is_ok());
        for bad in ["", "a@", "@b", "A@b", "a@b@c", "a b@c", "é@c", "a\n@c"] {
            assert!(super::check_address(bad).is_err(), "{bad}");
        }
    }
}
