//! Workspaces, users, invitations and deprovisioning.

use std::collections::BTreeMap;

use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

use super::audit::{self, Action, NewEvent};
use super::error::is_unique_violation;
use super::{col, new_id, Db, DbError};
use crate::domain::{Email, Role};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    pub id: String,
    pub name: String,
    pub created_at: i64,
}

/// A role as stored: the name of a [`Role`].
pub(super) fn role_from(text: &str) -> Result<Role, DbError> {
    Role::parse(text).map_err(|e| DbError::Query(format!("unknown role in the database: {e}")))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserStatus {
    Invited,
    Active,
    Deprovisioned,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Invited => "invited",
            UserStatus::Active => "active",
            UserStatus::Deprovisioned => "deprovisioned",
        }
    }

    pub(super) fn parse(value: &str) -> Result<Self, DbError> {
        Ok(match value {
            "invited" => UserStatus::Invited,
            "active" => UserStatus::Active,
            "deprovisioned" => UserStatus::Deprovisioned,
            other => return Err(DbError::Query(format!("unknown user status {other:?} in the database"))),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub workspace_id: String,
    /// Trimmed and lower-cased.
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub status: UserStatus,
    /// Opaque to the server: the user's public keys, set when the first device creates them.
    pub public_keys: Option<Vec<u8>>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: String,
    pub workspace_id: String,
    pub email: String,
    pub role: Role,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
}

/// What inviting someone needs. The token itself is e-mailed; only its hash is stored.
#[derive(Debug, Clone)]
pub struct NewInvitation<'a> {
    pub workspace_id: &'a str,
    pub email: &'a str,
    pub role: Role,
    pub invited_by: &'a str,
    pub token_hash: &'a [u8],
    pub expires_at: i64,
}

/// What one deprovisioning changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprovisioned {
    pub devices_disabled: u64,
    pub tokens_revoked: u64,
    pub accounts_marked_for_rotation: u64,
    /// Who took over the accounts this user was the only owner of.
    pub handovers: Vec<Handover>,
    /// Accounts this user was the only member of: nobody else holds their key, so nobody can read
    /// them any more (end-to-end encryption: the server never had the key). Their managed number
    /// was released into quarantine.
    pub orphaned: Vec<OrphanedAccount>,
}

/// Who becomes owner of an account whose only owner is deprovisioned. Only a member can: they
/// already hold the account key, which the server cannot give anyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    pub account_id: String,
    pub account_name: String,
    pub new_owners: Vec<String>,
    pub reason: HandoverReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandoverReason {
    /// The deprovisioning named them (`transferTo`, or a choice for this account).
    Chosen,
    /// By default: the account's members who are workspace owners.
    WorkspaceOwner,
    /// By default, when no member is a workspace owner: the members of the strongest role.
    StrongestRole,
}

impl HandoverReason {
    pub fn as_str(self) -> &'static str {
        match self {
            HandoverReason::Chosen => "chosen",
            HandoverReason::WorkspaceOwner => "workspace_owner",
            HandoverReason::StrongestRole => "strongest_role",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrphanedAccount {
    pub account_id: String,
    pub account_name: String,
}

/// Who takes over, as the deprovisioning asks: one user for every account (`transfer_to`), or one
/// per account (`per_account`, account id → user id, which wins); the rest by default.
#[derive(Debug, Clone, Default)]
pub struct OwnerChoice {
    pub transfer_to: Option<String>,
    pub per_account: BTreeMap<String, String>,
}

/// What deprovisioning a user would change in account ownership (the preview, and the plan the
/// deprovisioning then follows in its own transaction).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OwnershipPlan {
    pub handovers: Vec<Handover>,
    pub orphaned: Vec<OrphanedAccount>,
}

/// Works out the plan inside `tx`: for every account whose only owner `user_id` is, the new owners.
async fn ownership_plan(
    tx: &mut Transaction<'static, Any>,
    user_id: &str,
    choice: &OwnerChoice,
) -> Result<OwnershipPlan, DbError> {
    let sole = sqlx::query(
        "SELECT a.id, a.name FROM accounts a JOIN account_members m ON m.account_id = a.id \
         WHERE m.user_id = $1 AND m.role = 'owner' AND NOT EXISTS \
         (SELECT 1 FROM account_members o WHERE o.account_id = a.id AND o.role = 'owner' AND o.user_id <> $1) \
         ORDER BY a.name, a.id",
    )
    .bind(user_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut plan = OwnershipPlan::default();
    let mut unknown: Vec<&String> = choice.per_account.keys().collect();
    let mut not_members = Vec::new();
    for row in &sole {
        let (account_id, account_name): (String, String) = (col(row, "id")?, col(row, "name")?);
        unknown.retain(|id| **id != account_id);
        let rows = sqlx::query(
            "SELECT m.user_id, u.role FROM account_members m JOIN users u ON u.id = m.user_id \
             WHERE m.account_id = $1 AND m.user_id <> $2 AND u.status = 'active' ORDER BY m.user_id",
        )
        .bind(&account_id)
        .bind(user_id)
        .fetch_all(&mut **tx)
        .await?;
        let mut members = Vec::new();
        for row in &rows {
            members.push((col::<String>(row, "user_id")?, role_from(&col::<String>(row, "role")?)?));
        }
        let explicit = choice.per_account.get(&account_id);
        let handover = match explicit.or(choice.transfer_to.as_ref()) {
            Some(chosen) if members.iter().any(|(id, _)| id == chosen) => {
                Some((vec![chosen.clone()], HandoverReason::Chosen))
            }
            // `transferTo` cannot apply to an account nobody else is a member of.
            Some(_) if explicit.is_none() && members.is_empty() => None,
            Some(_) => {
                not_members.push(account_name.clone());
                None
            }
            None if members.is_empty() => None,
            None => {
                let strongest = members.iter().map(|(_, role)| *role).max().unwrap_or(Role::User);
                let reason = if strongest == Role::Owner {
                    HandoverReason::WorkspaceOwner
                } else {
                    HandoverReason::StrongestRole
                };
                let owners = members
                    .iter()
                    .filter(|(_, role)| *role == strongest)
                    .map(|(id, _)| id.clone())
                    .collect();
                Some((owners, reason))
            }
        };
        match handover {
            Some((new_owners, reason)) => plan.handovers.push(Handover {
                account_id,
                account_name,
                new_owners,
                reason,
            }),
            None if members.is_empty() => plan.orphaned.push(OrphanedAccount {
                account_id,
                account_name,
            }),
            None => {}
        }
    }
    if !unknown.is_empty() {
        return Err(DbError::Invalid(
            "`owners` names an account this user is not the only owner of: see the preview for the accounts that need one"
                .into(),
        ));
    }
    if !not_members.is_empty() {
        return Err(DbError::Conflict(format!(
            "the chosen new owner is not a member of {}: only a member holds the account key (the server has none to give); \
             choose a member, or have the owner share it with them first",
            not_members.join(", ")
        )));
    }
    Ok(plan)
}

pub(super) const USER_COLUMNS: &str = "id, workspace_id, email, display_name, role, status, public_keys, created_at";

pub(super) fn user_from(row: &AnyRow) -> Result<User, DbError> {
    Ok(User {
        id: col(row, "id")?,
        workspace_id: col(row, "workspace_id")?,
        email: col(row, "email")?,
        display_name: col(row, "display_name")?,
        role: role_from(&col::<String>(row, "role")?)?,
        status: UserStatus::parse(&col::<String>(row, "status")?)?,
        public_keys: col(row, "public_keys")?,
        created_at: col(row, "created_at")?,
    })
}

impl Db {
    /// Creates a workspace with the default app catalog.
    pub async fn create_workspace(&self, name: &str, now: i64) -> Result<Workspace, DbError> {
        let workspace = Workspace {
            id: new_id(),
            name: name.trim().to_string(),
            created_at: now,
        };
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO workspaces (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(&workspace.id)
            .bind(&workspace.name)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        super::catalog::insert_default_apps(&mut tx, &workspace.id).await?;
        tx.commit().await?;
        Ok(workspace)
    }

    /// Adds a user; the e-mail address is unique within the workspace.
    pub async fn create_user(
        &self,
        workspace_id: &str,
        email: &str,
        display_name: &str,
        role: Role,
        status: UserStatus,
        now: i64,
    ) -> Result<User, DbError> {
        let email = Email::parse(email)
            .map_err(|e| DbError::Invalid(e.to_string()))?
            .into_string();
        let user = User {
            id: new_id(),
            workspace_id: workspace_id.to_string(),
            email,
            display_name: display_name.trim().to_string(),
            role,
            status,
            public_keys: None,
            created_at: now,
        };
        sqlx::query(
            "INSERT INTO users (id, workspace_id, email, display_name, role, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&user.id)
        .bind(&user.workspace_id)
        .bind(&user.email)
        .bind(&user.display_name)
        .bind(role.as_str())
        .bind(status.as_str())
        .bind(now)
        .execute(self.pool())
        .await
        .map_err(email_taken(&user.email))?;
        Ok(user)
    }

    pub async fn user(&self, id: &str) -> Result<User, DbError> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(DbError::NotFound("the user"))?;
        user_from(&row)
    }

    pub async fn user_by_email(&self, workspace_id: &str, email: &str) -> Result<User, DbError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE workspace_id = $1 AND email = $2"
        ))
        .bind(workspace_id)
        .bind(Email::normalize(email))
        .fetch_optional(self.pool())
        .await?
        .ok_or(DbError::NotFound("a user with that e-mail address"))?;
        user_from(&row)
    }

    pub async fn users(&self, workspace_id: &str) -> Result<Vec<User>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE workspace_id = $1 ORDER BY email"
        ))
        .bind(workspace_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(user_from).collect()
    }

    pub async fn set_user_role(&self, user_id: &str, role: Role, now: i64) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        let before = sqlx::query("SELECT role, workspace_id FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(DbError::NotFound("the user"))?;
        let (from, workspace): (String, String) = (col(&before, "role")?, col(&before, "workspace_id")?);
        sqlx::query("UPDATE users SET role = $2 WHERE id = $1")
            .bind(user_id)
            .bind(role.as_str())
            .execute(&mut *tx)
            .await?;
        let event = NewEvent::ok(&workspace, Action::UserRoleChanged)
            .target("user", user_id)
            .detail(audit::detail(&[("from", &from), ("to", role.as_str())]));
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores the user's key material, opaque: public keys, private keys sealed under the user
    /// key, and the user key wrapped by the recovery secret.
    pub async fn set_user_keys(
        &self,
        user_id: &str,
        public_keys: &[u8],
        sealed_private_keys: &[u8],
        recovery_envelope: &[u8],
    ) -> Result<(), DbError> {
        let done = sqlx::query(
            "UPDATE users SET public_keys = $2, sealed_private_keys = $3, recovery_envelope = $4, \
             status = CASE WHEN status = 'invited' THEN 'active' ELSE status END \
             WHERE id = $1 AND status <> 'deprovisioned'",
        )
        .bind(user_id)
        .bind(public_keys.to_vec())
        .bind(sealed_private_keys.to_vec())
        .bind(recovery_envelope.to_vec())
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound("an active user with that id"));
        }
        Ok(())
    }

    /// Invites an address: creates the user as `invited` and the invitation, whose token the
    /// caller e-mails (only its hash is stored), in one transaction.
    pub async fn invite(&self, new: &NewInvitation<'_>, now: i64) -> Result<(User, Invitation), DbError> {
        let email = Email::parse(new.email)
            .map_err(|e| DbError::Invalid(e.to_string()))?
            .into_string();
        let user = User {
            id: new_id(),
            workspace_id: new.workspace_id.to_string(),
            email,
            display_name: String::new(),
            role: new.role,
            status: UserStatus::Invited,
            public_keys: None,
            created_at: now,
        };
        let invitation = Invitation {
            id: new_id(),
            workspace_id: new.workspace_id.to_string(),
            email: user.email.clone(),
            role: new.role,
            expires_at: new.expires_at,
            accepted_at: None,
        };
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO users (id, workspace_id, email, display_name, role, status, created_at) \
             VALUES ($1, $2, $3, '', $4, 'invited', $5)",
        )
        .bind(&user.id)
        .bind(&user.workspace_id)
        .bind(&user.email)
        .bind(new.role.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(email_taken(&user.email))?;
        sqlx::query(
            "INSERT INTO invitations (id, workspace_id, email, role, invited_by, token_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&invitation.id)
        .bind(new.workspace_id)
        .bind(&invitation.email)
        .bind(new.role.as_str())
        .bind(new.invited_by)
        .bind(new.token_hash.to_vec())
        .bind(now)
        .bind(new.expires_at)
        .execute(&mut *tx)
        .await?;
        let event = NewEvent::ok(new.workspace_id, Action::UserInvited)
            .target("user", &user.id)
            .detail(audit::detail(&[("role", new.role.as_str())]));
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        Ok((user, invitation))
    }

    /// Accepts the invitation whose token hashes to `token_hash`, once, before it expires.
    pub async fn accept_invitation(&self, token_hash: &[u8], now: i64) -> Result<User, DbError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE invitations SET accepted_at = $2 WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash.to_vec())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound(
                "a valid invitation (it may have expired or been used already)",
            ));
        }
        let row = sqlx::query("SELECT workspace_id, email FROM invitations WHERE token_hash = $1")
            .bind(token_hash.to_vec())
            .fetch_one(&mut *tx)
            .await?;
        let (workspace_id, email): (String, String) = (col(&row, "workspace_id")?, col(&row, "email")?);
        sqlx::query("UPDATE users SET status = 'active' WHERE workspace_id = $1 AND email = $2 AND status = 'invited'")
            .bind(&workspace_id)
            .bind(&email)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.user_by_email(&workspace_id, &email).await
    }

    /// What deprovisioning `user_id` with `choice` would do to account ownership; changes nothing.
    pub async fn deprovision_plan(&self, user_id: &str, choice: &OwnerChoice) -> Result<OwnershipPlan, DbError> {
        let mut tx = self.pool().begin().await?;
        let plan = ownership_plan(&mut tx, user_id, choice).await?;
        tx.rollback().await?;
        Ok(plan)
    }

    /// Deprovisions a user in one transaction, new owners chosen by default (see
    /// [`Db::deprovision_user_with`]).
    pub async fn deprovision_user(&self, user_id: &str, now: i64) -> Result<Deprovisioned, DbError> {
        self.deprovision_user_with(user_id, &OwnerChoice::default(), now).await
    }

    /// Deprovisions a user in one transaction: the user is marked, every device disabled, every
    /// token revoked, pending approvals expired; every account whose only owner they were gets
    /// new owners first (as `choice` says, else by default: see [`HandoverReason`]); then their
    /// memberships are removed and the accounts they could read marked for key rotation. An
    /// account nobody else was a member of is left with no member, and its number released.
    pub async fn deprovision_user_with(
        &self,
        user_id: &str,
        choice: &OwnerChoice,
        now: i64,
    ) -> Result<Deprovisioned, DbError> {
        let mut tx = self.begin_write().await?;
        let done = self.deprovision_in(&mut tx, user_id, choice, now).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// The deprovisioning itself, and its audit event, inside `tx` (committed by the caller, so
    /// SCIM can check its own rule in the same transaction).
    pub(super) async fn deprovision_in(
        &self,
        tx: &mut Transaction<'static, Any>,
        user_id: &str,
        choice: &OwnerChoice,
        now: i64,
    ) -> Result<Deprovisioned, DbError> {
        let done = sqlx::query("UPDATE users SET status = 'deprovisioned', deprovisioned_at = $2 WHERE id = $1")
            .bind(user_id)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound("the user"));
        }
        let plan = ownership_plan(tx, user_id, choice).await?;
        let devices_disabled =
            sqlx::query("UPDATE devices SET status = 'disabled' WHERE user_id = $1 AND status <> 'disabled'")
                .bind(user_id)
                .execute(&mut **tx)
                .await?
                .rows_affected();
        let tokens_revoked = sqlx::query(
            "UPDATE device_tokens SET revoked_at = $2 WHERE revoked_at IS NULL \
             AND device_id IN (SELECT id FROM devices WHERE user_id = $1)",
        )
        .bind(user_id)
        .bind(now)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        sqlx::query("UPDATE approval_requests SET status = 'expired' WHERE user_id = $1 AND status = 'pending'")
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
        // New owners before the removal: the database refuses a moment without an owner.
        for handover in &plan.handovers {
            for owner in &handover.new_owners {
                sqlx::query("UPDATE account_members SET role = 'owner' WHERE account_id = $1 AND user_id = $2")
                    .bind(&handover.account_id)
                    .bind(owner)
                    .execute(&mut **tx)
                    .await?;
            }
        }
        let accounts_marked_for_rotation = sqlx::query(
            "UPDATE accounts SET needs_rotation = 1 WHERE id IN (SELECT account_id FROM account_members WHERE user_id = $1)",
        )
        .bind(user_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        sqlx::query("DELETE FROM account_members WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
        for orphan in &plan.orphaned {
            sqlx::query(
                "UPDATE phone_numbers SET account_id = NULL, released_from = $1, quarantined_until = $2 WHERE account_id = $1",
            )
            .bind(&orphan.account_id)
            .bind(now + super::numbers::QUARANTINE_SECS)
            .execute(&mut **tx)
            .await?;
            // Its managed e-mail address too: mail sealed to an inbox nobody can open is refused.
            sqlx::query(
                "UPDATE mail_addresses SET account_id = NULL, released_from = $1, quarantined_until = $2 WHERE account_id = $1",
            )
            .bind(&orphan.account_id)
            .bind(now + super::numbers::QUARANTINE_SECS)
            .execute(&mut **tx)
            .await?;
        }
        let workspace = audit::workspace_of_user(tx, user_id).await?;
        let counts = [
            devices_disabled.to_string(),
            accounts_marked_for_rotation.to_string(),
            plan.handovers.len().to_string(),
            plan.orphaned.len().to_string(),
        ];
        let event = NewEvent::ok(&workspace, Action::UserDeprovisioned)
            .target("user", user_id)
            .detail(audit::detail(&[
                ("devices_disabled", &counts[0]),
                ("accounts_to_rekey", &counts[1]),
                ("accounts_handed_over", &counts[2]),
                ("accounts_left_empty", &counts[3]),
            ]));
        audit::append(tx, self.actor(), event, now).await?;
        Ok(Deprovisioned {
            devices_disabled,
            tokens_revoked,
            accounts_marked_for_rotation,
            handovers: plan.handovers,
            orphaned: plan.orphaned,
        })
    }
}

/// The user's key material, as the first device uploaded it (all opaque to the server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserKeys {
    pub public_keys: Vec<u8>,
    pub sealed_private_keys: Vec<u8>,
    pub recovery_envelope: Vec<u8>,
}

/// Queries of the trust flow and the users routes (docs/api.md).
impl Db {
    pub async fn workspace(&self, id: &str) -> Result<Workspace, DbError> {
        let row = sqlx::query("SELECT id, name, created_at FROM workspaces WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(DbError::NotFound("the workspace"))?;
        Ok(Workspace {
            id: col(&row, "id")?,
            name: col(&row, "name")?,
            created_at: col(&row, "created_at")?,
        })
    }

    /// The users with this address in any workspace, deprovisioned ones left out (registration).
    pub async fn users_with_email(&self, email: &str) -> Result<Vec<User>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE email = $1 AND status <> 'deprovisioned' ORDER BY workspace_id"
        ))
        .bind(Email::normalize(email))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(user_from).collect()
    }

    /// The user's keys, or `None` before their first device created them.
    pub async fn user_keys(&self, user_id: &str) -> Result<Option<UserKeys>, DbError> {
        let row = sqlx::query("SELECT public_keys, sealed_private_keys, recovery_envelope FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(DbError::NotFound("the user"))?;
        let bytes = |name: &str| col::<Option<Vec<u8>>>(&row, name);
        Ok(
            match (
                bytes("public_keys")?,
                bytes("sealed_private_keys")?,
                bytes("recovery_envelope")?,
            ) {
                (Some(public_keys), Some(sealed_private_keys), Some(recovery_envelope)) => Some(UserKeys {
                    public_keys,
                    sealed_private_keys,
                    recovery_envelope,
                }),
                _ => None,
            },
        )
    }

    pub async fn set_display_name(&self, user_id: &str, display_name: &str) -> Result<(), DbError> {
        sqlx::query("UPDATE users SET display_name = $2 WHERE id = $1")
            .bind(user_id)
            .bind(display_name.trim())
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

/// Maps a unique-key violation on a user's e-mail to a conflict that names it; other errors pass on.
pub(super) fn email_taken(email: &str) -> impl FnOnce(sqlx::Error) -> DbError + '_ {
    move |e| {
        if is_unique_violation(&e) {
            DbError::Conflict(format!("{email} is already a user of this workspace"))
        } else {
            e.into()
        }
    }
}

const INVITATION_COLUMNS: &str = "id, workspace_id, email, role, expires_at, accepted_at";

fn invitation_from(row: &AnyRow) -> Result<Invitation, DbError> {
    Ok(Invitation {
        id: col(row, "id")?,
        workspace_id: col(row, "workspace_id")?,
        email: col(row, "email")?,
        role: role_from(&col::<String>(row, "role")?)?,
        expires_at: col(row, "expires_at")?,
        accepted_at: col(row, "accepted_at")?,
    })
}

/// Invitations expire: an invited user can join only while their invitation is open;
/// admins resend (a new week) or cancel it.
impl Db {
    /// Whether the invited user `email` of `workspace_id` has an invitation still open at `now`.
    pub async fn invitation_open(&self, workspace_id: &str, email: &str, now: i64) -> Result<bool, DbError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM invitations WHERE workspace_id = $1 AND email = $2 \
             AND accepted_at IS NULL AND expires_at > $3",
        )
        .bind(workspace_id)
        .bind(Email::normalize(email))
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(col::<i64>(&row, "n")? > 0)
    }

    /// The workspace's invitations not yet accepted (open or expired), newest first.
    pub async fn pending_invitations(&self, workspace_id: &str) -> Result<Vec<Invitation>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {INVITATION_COLUMNS} FROM invitations WHERE workspace_id = $1 AND accepted_at IS NULL \
             ORDER BY created_at DESC, id"
        ))
        .bind(workspace_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(invitation_from).collect()
    }

    pub async fn invitation(&self, id: &str) -> Result<Invitation, DbError> {
        let row = sqlx::query(&format!("SELECT {INVITATION_COLUMNS} FROM invitations WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(DbError::NotFound("the invitation"))?;
        invitation_from(&row)
    }

    /// Gives a not-yet-accepted invitation a new expiry (its user must still be invited).
    pub async fn renew_invitation(&self, id: &str, expires_at: i64) -> Result<Invitation, DbError> {
        let done = sqlx::query(
            "UPDATE invitations SET expires_at = $2 WHERE id = $1 AND accepted_at IS NULL AND EXISTS \
             (SELECT 1 FROM users u WHERE u.workspace_id = invitations.workspace_id AND u.email = invitations.email \
             AND u.status = 'invited')",
        )
        .bind(id)
        .bind(expires_at)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::Conflict(
                "this invitation was already accepted or its user removed: there is nothing to resend".into(),
            ));
        }
        self.invitation(id).await
    }

    /// Cancels a not-yet-accepted invitation: the invitation and its invited user go, with any
    /// pending device they registered (none can be trusted: an invited user has no keys), so the
    /// address can be invited again later.
    pub async fn cancel_invitation(&self, id: &str, now: i64) -> Result<Invitation, DbError> {
        let invitation = self.invitation(id).await?;
        let mut tx = self.begin_write().await?;
        let user = sqlx::query("SELECT id FROM users WHERE workspace_id = $1 AND email = $2 AND status = 'invited'")
            .bind(&invitation.workspace_id)
            .bind(&invitation.email)
            .fetch_optional(&mut *tx)
            .await?;
        if invitation.accepted_at.is_some() || user.is_none() {
            return Err(DbError::Conflict(
                "this invitation was already accepted: deprovision the user instead".into(),
            ));
        }
        let user_id: String = col(user.as_ref().expect("checked"), "id")?;
        for statement in [
            "DELETE FROM approval_requests WHERE user_id = $1",
            "DELETE FROM email_codes WHERE user_id = $1",
            "DELETE FROM device_tokens WHERE device_id IN (SELECT id FROM devices WHERE user_id = $1)",
            "DELETE FROM devices WHERE user_id = $1",
        ] {
            sqlx::query(statement).bind(&user_id).execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM invitations WHERE workspace_id = $1 AND email = $2 AND accepted_at IS NULL")
            .bind(&invitation.workspace_id)
            .bind(&invitation.email)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM users WHERE id = $1 AND status = 'invited'")
            .bind(&user_id)
            .execute(&mut *tx)
            .await?;
        let event = NewEvent::ok(&invitation.workspace_id, Action::InvitationCancelled).target("invitation", id);
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        Ok(invitation)
    }
}
