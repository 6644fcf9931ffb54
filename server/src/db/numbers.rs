//! Managed phone numbers: which account holds which number, who in a workspace may obtain one and
//! how many it may have, and the quarantine of released numbers.
//!
//! - **Policy**: a minimum workspace role to obtain a number (default: admin) and a quota of
//!   numbers per workspace (default: 10) that counts numbers held *and* numbers in quarantine
//!   (each is still a number bought for the workspace), plus purchases under way.
//! - **Quarantine**: a released number stays here, held by no account, for [`QUARANTINE_SECS`].
//!   Meanwhile no other account gets it (only the account it came from may take it back) and the
//!   webhook drops its texts. Then it is free again (a Twilio number is reused before another is
//!   bought).
//! - **Atomicity**: every rule is checked in the transaction that hands out the number, with the
//!   table locked on PostgreSQL (SQLite's write transaction already excludes other writers), so
//!   instances sharing a database can neither exceed a quota nor give one number to two accounts.
//!   A purchase (a call to Twilio, outside any transaction) holds a quota slot by a reservation.

use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

use super::accounts::lock_account;
use super::audit::{self, Action, NewEvent};
use super::users::role_from;
use super::{col, flag, new_id, Backend, Db, DbError};
use crate::domain::{Refusal, Role, E164};

/// How long a released number is held back: 45 days, the minimum US carriers must age a
/// disconnected number before giving it to someone else (47 CFR 52.15(f)(1)(ii)), long enough for
/// an owner to move the app to another number before anyone else could receive its texts.
pub const QUARANTINE_SECS: i64 = 45 * 24 * 60 * 60;
/// How long a quota slot is held for a purchase under way; a purchase that takes longer is undone.
pub const RESERVATION_SECS: i64 = 5 * 60;
/// What a workspace starts with.
pub const DEFAULT_NUMBER_QUOTA: i64 = 10;
/// The largest quota an admin may set (a typo should not allow buying thousands).
pub const MAX_NUMBER_QUOTA: i64 = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber {
    /// E.164, e.g. "+15550100".
    pub e164: String,
    /// The workspace it was last held for (and counts toward while in quarantine).
    pub workspace_id: String,
    pub provider: String,
    pub provider_ref: Option<String>,
    pub account_id: Option<String>,
    /// A VoIP number (Twilio "Local"): never given to an app that refuses VoIP.
    pub voip: bool,
    /// After a release: the account it came from, and when its quarantine ends.
    pub released_from: Option<String>,
    pub quarantined_until: Option<i64>,
}

impl PhoneNumber {
    /// Whether texts to it are held back (released, quarantine not over).
    pub fn in_quarantine(&self, now: i64) -> bool {
        self.account_id.is_none() && self.quarantined_until.is_some_and(|until| until > now)
    }
}

/// A workspace's rules for managed numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberPolicy {
    /// The weakest workspace role that may obtain a number (account owners only, in any case).
    pub min_role: Role,
    /// Numbers held plus numbers in quarantine plus purchases under way.
    pub quota: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberUsage {
    pub held: i64,
    pub quarantined: i64,
    pub reserved: i64,
}

impl NumberUsage {
    pub fn total(&self) -> i64 {
        self.held + self.quarantined + self.reserved
    }
}

/// What obtaining a number for an account needs.
#[derive(Debug, Clone)]
pub struct ObtainNumber<'a> {
    pub account_id: &'a str,
    /// Who asks: their role is read inside the transaction (a role removed a moment ago counts).
    pub user_id: &'a str,
    /// The provider numbers come from ("pool" or "twilio").
    pub provider: &'a str,
    /// The local pool's numbers in order of preference; empty when the provider buys numbers.
    pub pool: &'a [String],
    /// Whether the account's app takes a VoIP number.
    pub voip_ok: bool,
}

/// The outcome of [`Db::obtain_number`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Obtained {
    /// A number is now held by the account.
    Held(PhoneNumber),
    /// Nothing to reuse: buy one from the provider, then [`Db::complete_purchase`] (or
    /// [`Db::cancel_reservation`]) with this reservation.
    Reserved(String),
    /// Every number of the local pool is held or in quarantine.
    PoolEmpty { total: usize },
}

const PHONE_COLUMNS: &str =
    "e164, workspace_id, provider, provider_ref, account_id, voip, released_from, quarantined_until";

fn phone_from(row: &AnyRow) -> Result<PhoneNumber, DbError> {
    Ok(PhoneNumber {
        e164: col(row, "e164")?,
        workspace_id: col(row, "workspace_id")?,
        provider: col(row, "provider")?,
        provider_ref: col(row, "provider_ref")?,
        account_id: col(row, "account_id")?,
        voip: col::<i64>(row, "voip")? != 0,
        released_from: col(row, "released_from")?,
        quarantined_until: col(row, "quarantined_until")?,
    })
}

/// Storage keeps phone numbers in E.164 form only.
pub(super) fn check_e164(number: &str) -> Result<(), DbError> {
    match E164::parse(number) {
        Some(_) => Ok(()),
        None => Err(DbError::Invalid(format!(
            "{number:?} is not a phone number in E.164 form (+ and 8 to 15 digits, as in +15550100)"
        ))),
    }
}

/// On PostgreSQL, takes the lock every number-handing transaction takes first (readers, such as
/// the SMS webhook, are not blocked). SQLite's `BEGIN IMMEDIATE` already is that lock.
async fn lock_numbers(db: &Db, tx: &mut Transaction<'static, Any>) -> Result<(), DbError> {
    if db.backend() == Backend::Postgres {
        sqlx::query("LOCK TABLE phone_numbers IN SHARE ROW EXCLUSIVE MODE")
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn policy_in(tx: &mut Transaction<'static, Any>, workspace_id: &str) -> Result<NumberPolicy, DbError> {
    let row = sqlx::query("SELECT number_min_role, number_quota FROM workspaces WHERE id = $1")
        .bind(workspace_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(DbError::NotFound("the workspace"))?;
    Ok(NumberPolicy {
        min_role: role_from(&col::<String>(&row, "number_min_role")?)?,
        quota: col(&row, "number_quota")?,
    })
}

async fn usage_in(tx: &mut Transaction<'static, Any>, workspace_id: &str, now: i64) -> Result<NumberUsage, DbError> {
    let row = sqlx::query(
        "SELECT \
           (SELECT COUNT(*) FROM phone_numbers WHERE workspace_id = $1 AND account_id IS NOT NULL) AS held, \
           (SELECT COUNT(*) FROM phone_numbers WHERE workspace_id = $1 AND account_id IS NULL \
              AND quarantined_until > $2) AS quarantined, \
           (SELECT COUNT(*) FROM number_reservations WHERE workspace_id = $1 AND expires_at > $2) AS reserved",
    )
    .bind(workspace_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(NumberUsage {
        held: col(&row, "held")?,
        quarantined: col(&row, "quarantined")?,
        reserved: col(&row, "reserved")?,
    })
}

/// Gives the number `e164` (known here, free or quarantined from this very account) to `account_id`.
async fn take_over(
    tx: &mut Transaction<'static, Any>,
    e164: &str,
    account_id: &str,
    workspace_id: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE phone_numbers SET account_id = $2, workspace_id = $3, released_from = NULL, quarantined_until = NULL \
         WHERE e164 = $1 AND account_id IS NULL",
    )
    .bind(e164)
    .bind(account_id)
    .bind(workspace_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The one rule for who may obtain a managed number *or* a managed e-mail address for an account
/// of `workspace_id` (read inside the caller's write transaction, so a role removed a moment ago
/// counts): an active user of that workspace whose role is at least the policy's minimum. (That
/// they own the account is checked by the route.) Returns the workspace's policy.
pub(super) async fn check_obtainer(
    tx: &mut Transaction<'static, Any>,
    user_id: &str,
    workspace_id: &str,
) -> Result<NumberPolicy, DbError> {
    let caller = sqlx::query("SELECT role, status, workspace_id FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(DbError::NotFound("the user"))?;
    let (role, status, caller_ws): (String, String, String) = (
        col(&caller, "role")?,
        col(&caller, "status")?,
        col(&caller, "workspace_id")?,
    );
    let policy = policy_in(tx, workspace_id).await?;
    let role = role_from(&role)?;
    if status != "active" || caller_ws != workspace_id {
        return Err(DbError::Forbidden(
            Refusal::ObtainNumber(policy.min_role.plural()).to_string(),
        ));
    }
    role.may_obtain_number(policy.min_role)
        .map_err(|refusal| DbError::Forbidden(refusal.to_string()))?;
    Ok(policy)
}

impl Db {
    /// The workspace's number policy and what counts toward its quota now.
    pub async fn number_policy(&self, workspace_id: &str, now: i64) -> Result<(NumberPolicy, NumberUsage), DbError> {
        let mut tx = self.pool().begin().await?;
        let policy = policy_in(&mut tx, workspace_id).await?;
        let usage = usage_in(&mut tx, workspace_id, now).await?;
        tx.commit().await?;
        Ok((policy, usage))
    }

    /// Changes the workspace's number policy. A quota below what is already used is allowed (no
    /// number is taken away); it only stops new ones.
    pub async fn set_number_policy(&self, workspace_id: &str, policy: NumberPolicy, now: i64) -> Result<(), DbError> {
        if !(0..=MAX_NUMBER_QUOTA).contains(&policy.quota) {
            return Err(DbError::Invalid(format!(
                "the number quota must be a whole number from 0 to {MAX_NUMBER_QUOTA}"
            )));
        }
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE workspaces SET number_min_role = $2, number_quota = $3 WHERE id = $1")
            .bind(workspace_id)
            .bind(policy.min_role.as_str())
            .bind(policy.quota)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound("the workspace"));
        }
        let quota = policy.quota.to_string();
        let detail = audit::detail(&[("number_min_role", policy.min_role.as_str()), ("number_quota", &quota)]);
        let event = NewEvent::ok(workspace_id, Action::PolicyChanged).detail(detail);
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Hands a number to an account, in one transaction: the caller must be an active user whose
    /// workspace role is at least the policy's (`Forbidden`), the account must have no number
    /// (`Conflict`). Then, in order:
    /// 1. a number this account released and still in quarantine is given back to it (it never
    ///    left the account's hands, so it costs no quota);
    /// 2. otherwise the quota must have room (`LimitReached`);
    /// 3. the pool: its first number that is free (never held, or quarantine over);
    ///    a buying provider: a free number it bought before (VoIP only if the app takes it),
    ///    else a reservation to buy one.
    pub async fn obtain_number(&self, req: &ObtainNumber<'_>, now: i64) -> Result<Obtained, DbError> {
        let mut tx = self.begin_write().await?;
        lock_numbers(self, &mut tx).await?;
        lock_account(&mut tx, req.account_id).await?;
        let workspace_id: String = sqlx::query_scalar("SELECT workspace_id FROM accounts WHERE id = $1")
            .bind(req.account_id)
            .fetch_one(&mut *tx)
            .await?;
        let policy = check_obtainer(&mut tx, req.user_id, &workspace_id).await?;
        let held: Option<String> = sqlx::query_scalar("SELECT e164 FROM phone_numbers WHERE account_id = $1")
            .bind(req.account_id)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(held) = held {
            return Err(DbError::Conflict(format!(
                "this account already has the managed number {held}: release it first"
            )));
        }
        let pending: Option<i64> =
            sqlx::query_scalar("SELECT expires_at FROM number_reservations WHERE account_id = $1")
                .bind(req.account_id)
                .fetch_optional(&mut *tx)
                .await?;
        if pending.is_some_and(|expires| expires > now) {
            return Err(DbError::Conflict(
                "a number is being obtained for this account right now: wait a moment and reload".into(),
            ));
        }
        let own: Option<String> = sqlx::query_scalar(
            "SELECT e164 FROM phone_numbers WHERE account_id IS NULL AND released_from = $1 AND quarantined_until > $2 \
             AND provider = $3 ORDER BY quarantined_until DESC, e164 LIMIT 1",
        )
        .bind(req.account_id)
        .bind(now)
        .bind(req.provider)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(e164) = own {
            take_over(&mut tx, &e164, req.account_id, &workspace_id).await?;
            return self.finish_held(tx, &e164, req.account_id, &workspace_id, now).await;
        }
        let usage = usage_in(&mut tx, &workspace_id, now).await?;
        if usage.total() >= policy.quota {
            return Err(DbError::LimitReached(format!(
                "this workspace has used its quota of {} managed numbers ({} held, {} released and in quarantine, {} being obtained); \
                 release one (it stays in quarantine for {} days) or ask an administrator to raise the quota",
                policy.quota,
                usage.held,
                usage.quarantined,
                usage.reserved,
                QUARANTINE_SECS / 86_400
            )));
        }
        if !req.pool.is_empty() {
            for e164 in req.pool {
                let row = sqlx::query("SELECT account_id, quarantined_until FROM phone_numbers WHERE e164 = $1")
                    .bind(e164)
                    .fetch_optional(&mut *tx)
                    .await?;
                let free = match &row {
                    None => true,
                    Some(row) => {
                        col::<Option<String>>(row, "account_id")?.is_none()
                            && col::<Option<i64>>(row, "quarantined_until")?.is_none_or(|until| until <= now)
                    }
                };
                if !free {
                    continue;
                }
                check_e164(e164)?;
                if row.is_none() {
                    sqlx::query(
                        "INSERT INTO phone_numbers (e164, workspace_id, provider, provider_ref, account_id, created_at) \
                         VALUES ($1, $2, $3, $1, $4, $5)",
                    )
                    .bind(e164)
                    .bind(&workspace_id)
                    .bind(req.provider)
                    .bind(req.account_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                } else {
                    take_over(&mut tx, e164, req.account_id, &workspace_id).await?;
                }
                return self.finish_held(tx, e164, req.account_id, &workspace_id, now).await;
            }
            return Ok(Obtained::PoolEmpty { total: req.pool.len() });
        }
        let reuse: Option<String> = sqlx::query_scalar(
            "SELECT e164 FROM phone_numbers WHERE provider = $1 AND account_id IS NULL \
             AND (quarantined_until IS NULL OR quarantined_until <= $2) AND (voip = 0 OR $3 = 1) \
             ORDER BY quarantined_until, e164 LIMIT 1",
        )
        .bind(req.provider)
        .bind(now)
        .bind(flag(req.voip_ok))
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(e164) = reuse {
            take_over(&mut tx, &e164, req.account_id, &workspace_id).await?;
            return self.finish_held(tx, &e164, req.account_id, &workspace_id, now).await;
        }
        sqlx::query("DELETE FROM number_reservations WHERE account_id = $1")
            .bind(req.account_id)
            .execute(&mut *tx)
            .await?;
        let id = new_id();
        sqlx::query(
            "INSERT INTO number_reservations (id, workspace_id, account_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(&workspace_id)
        .bind(req.account_id)
        .bind(now)
        .bind(now + RESERVATION_SECS)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Obtained::Reserved(id))
    }

    async fn finish_held(
        &self,
        mut tx: Transaction<'static, Any>,
        e164: &str,
        account_id: &str,
        workspace_id: &str,
        now: i64,
    ) -> Result<Obtained, DbError> {
        let event = NewEvent::ok(workspace_id, Action::NumberCreated)
            .target("number", e164)
            .account(account_id);
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        Ok(Obtained::Held(self.phone_number(e164).await?))
    }

    /// Records the number bought under `reservation` as held by the reservation's account, and
    /// frees the reservation. `NotFound` when the reservation expired (the quota slot may be
    /// someone else's by now): give the number back to the provider.
    pub async fn complete_purchase(
        &self,
        reservation: &str,
        number: &PhoneNumber,
        now: i64,
    ) -> Result<PhoneNumber, DbError> {
        check_e164(&number.e164)?;
        let mut tx = self.begin_write().await?;
        lock_numbers(self, &mut tx).await?;
        let row =
            sqlx::query("SELECT workspace_id, account_id FROM number_reservations WHERE id = $1 AND expires_at > $2")
                .bind(reservation)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(DbError::NotFound("a current reservation for this purchase"))?;
        let (workspace_id, account_id): (String, String) = (col(&row, "workspace_id")?, col(&row, "account_id")?);
        sqlx::query("DELETE FROM number_reservations WHERE id = $1")
            .bind(reservation)
            .execute(&mut *tx)
            .await?;
        let taken: Option<String> = sqlx::query_scalar("SELECT e164 FROM phone_numbers WHERE account_id = $1")
            .bind(&account_id)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(held) = taken {
            return Err(DbError::Conflict(format!(
                "this account already has the managed number {held}: release it first"
            )));
        }
        let known = sqlx::query("SELECT account_id FROM phone_numbers WHERE e164 = $1")
            .bind(&number.e164)
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_some() {
            return Err(DbError::Conflict(format!(
                "the number {} is already known here: it cannot be bought again",
                number.e164
            )));
        }
        sqlx::query(
            "INSERT INTO phone_numbers (e164, workspace_id, provider, provider_ref, account_id, voip, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&number.e164)
        .bind(&workspace_id)
        .bind(&number.provider)
        .bind(number.provider_ref.as_deref())
        .bind(&account_id)
        .bind(flag(number.voip))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let event = NewEvent::ok(&workspace_id, Action::NumberCreated)
            .target("number", &number.e164)
            .account(&account_id)
            .detail(audit::detail(&[("provider", &number.provider)]));
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        self.phone_number(&number.e164).await
    }

    /// Frees a reservation whose purchase failed.
    pub async fn cancel_reservation(&self, reservation: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM number_reservations WHERE id = $1")
            .bind(reservation)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Releases the number an account holds: from now on it routes no texts to anyone, and it
    /// stays in quarantine until `now + QUARANTINE_SECS`. Returns it as it now is (held by no account).
    pub async fn release_phone_number(&self, account_id: &str, now: i64) -> Result<Option<PhoneNumber>, DbError> {
        let mut tx = self.begin_write().await?;
        lock_numbers(self, &mut tx).await?;
        let row = sqlx::query(&format!(
            "SELECT {PHONE_COLUMNS} FROM phone_numbers WHERE account_id = $1"
        ))
        .bind(account_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let mut number = phone_from(&row)?;
        number.account_id = None;
        number.released_from = Some(account_id.to_string());
        number.quarantined_until = Some(now + QUARANTINE_SECS);
        sqlx::query(
            "UPDATE phone_numbers SET account_id = NULL, released_from = $2, quarantined_until = $3 WHERE e164 = $1",
        )
        .bind(&number.e164)
        .bind(&number.released_from)
        .bind(number.quarantined_until)
        .execute(&mut *tx)
        .await?;
        let workspace = audit::workspace_of_account(&mut tx, account_id).await?;
        let event = NewEvent::ok(&workspace, Action::NumberReleased)
            .target("number", &number.e164)
            .account(account_id);
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        Ok(Some(number))
    }

    /// The managed number an account holds, if any.
    pub async fn account_phone_number(&self, account_id: &str) -> Result<Option<PhoneNumber>, DbError> {
        let row = sqlx::query(&format!(
            "SELECT {PHONE_COLUMNS} FROM phone_numbers WHERE account_id = $1"
        ))
        .bind(account_id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(phone_from).transpose()
    }

    pub async fn phone_number(&self, e164: &str) -> Result<PhoneNumber, DbError> {
        let row = sqlx::query(&format!("SELECT {PHONE_COLUMNS} FROM phone_numbers WHERE e164 = $1"))
            .bind(e164)
            .fetch_optional(self.pool())
            .await?
            .ok_or(DbError::NotFound("the phone number"))?;
        phone_from(&row)
    }

    /// The numbers held by accounts of a workspace.
    pub async fn workspace_numbers(&self, workspace_id: &str) -> Result<Vec<PhoneNumber>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {PHONE_COLUMNS} FROM phone_numbers WHERE workspace_id = $1 AND account_id IS NOT NULL ORDER BY e164"
        ))
        .bind(workspace_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(phone_from).collect()
    }

    /// Adds a number to the workspace (not yet assigned): the demo's seed and tests.
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
            if super::error::is_unique_violation(&e) {
                DbError::Conflict(format!("the number {e164} is already known"))
            } else {
                e.into()
            }
        })?;
        self.phone_number(e164).await
    }

    /// Assigns a free number (never held, or out of quarantine) to an account of its workspace
    /// (one number per account, one account per number): the demo's seed and tests. Obtaining
    /// through the API goes through [`Db::obtain_number`] and its policy.
    pub async fn assign_phone_number(&self, e164: &str, account_id: &str, now: i64) -> Result<(), DbError> {
        let done = sqlx::query(
            "UPDATE phone_numbers SET account_id = $2, released_from = NULL, quarantined_until = NULL \
             WHERE e164 = $1 AND account_id IS NULL AND (quarantined_until IS NULL OR quarantined_until <= $3) \
             AND workspace_id = (SELECT workspace_id FROM accounts WHERE id = $2)",
        )
        .bind(e164)
        .bind(account_id)
        .bind(now)
        .execute(self.pool())
        .await
        .map_err(|e| {
            if super::error::is_unique_violation(&e) {
                DbError::Conflict("that account already has a managed number".into())
            } else {
                e.into()
            }
        })?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound(
                "a free managed number of the account's workspace with that value",
            ));
        }
        Ok(())
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
