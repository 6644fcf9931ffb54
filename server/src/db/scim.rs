//! SCIM provisioning's storage: a workspace's bearer tokens (only a hash of each secret is kept),
//! and the users as an identity provider sees them (its id for them, their names, deleted or not).
//! Each change appends its audit event in its own transaction; deactivating a user is the API's
//! deprovisioning ([`Db::deprovision_in`]) with one more rule checked in the same transaction: the
//! workspace keeps an active owner.

use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use subtle::ConstantTimeEq;

use super::audit::{self, Action, NewEvent};
use super::users::{email_taken, user_from, USER_COLUMNS};
use super::{col, hex, new_id, Db, DbError, Deprovisioned, OwnerChoice, User, UserStatus, Workspace};
use crate::domain::{Email, Role};

/// How every SCIM token starts: `lks_scim_` ID `_` SECRET (so a leaked one is recognisable).
pub const SCIM_TOKEN_PREFIX: &str = "lks_scim_";
/// The longest token name (a label for people: "Okta", "Entra ID production").
pub const MAX_SCIM_TOKEN_NAME: usize = 100;

/// A workspace's SCIM token as listed: never the secret (shown once, at creation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimToken {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// A user with what SCIM adds to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimUser {
    pub user: User,
    /// What the provider calls them (their address unless it said otherwise).
    pub user_name: String,
    pub external_id: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// When SCIM last changed them (their creation before that).
    pub updated_at: i64,
}

/// What an identity provider says about a user (create, replace, or the result of a patch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimProfile {
    /// Unique in the workspace, not case-exact.
    pub user_name: String,
    /// Where Latchkey e-mails their device codes.
    pub email: Email,
    pub display_name: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub external_id: Option<String>,
}

/// The one kind of lookup SCIM filters ask for: an attribute equal to a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScimMatch {
    /// `userName eq` (not case-exact).
    UserName(String),
    /// `emails.value eq`: the user's address.
    Email(String),
    ExternalId(String),
    Id(String),
}

const SCIM_COLUMNS: &str = "scim_user_name, external_id, given_name, family_name, updated_at";

fn scim_user_from(row: &AnyRow) -> Result<ScimUser, DbError> {
    let user = user_from(row)?;
    let updated_at = col::<Option<i64>>(row, "updated_at")?.unwrap_or(user.created_at);
    let user_name = col::<Option<String>>(row, "scim_user_name")?.unwrap_or_else(|| user.email.clone());
    Ok(ScimUser {
        user_name,
        external_id: col(row, "external_id")?,
        given_name: col(row, "given_name")?,
        family_name: col(row, "family_name")?,
        updated_at,
        user,
    })
}

fn token_from(row: &AnyRow) -> Result<ScimToken, DbError> {
    Ok(ScimToken {
        id: col(row, "id")?,
        workspace_id: col(row, "workspace_id")?,
        name: col(row, "name")?,
        created_by: col(row, "created_by")?,
        created_at: col(row, "created_at")?,
        last_used_at: col(row, "last_used_at")?,
    })
}

const TOKEN_COLUMNS: &str = "id, workspace_id, name, created_by, created_at, last_used_at";

/// The names of the profile fields that differ (for the audit event's detail: never the values).
fn changed_fields(before: &ScimUser, after: &ScimProfile) -> Vec<&'static str> {
    let mut changed = Vec::new();
    if before.user_name != after.user_name {
        changed.push("userName");
    }
    if before.user.email != after.email.as_str() {
        changed.push("emails");
    }
    if before.user.display_name != after.display_name {
        changed.push("displayName");
    }
    if before.given_name != after.given_name {
        changed.push("name.givenName");
    }
    if before.family_name != after.family_name {
        changed.push("name.familyName");
    }
    if before.external_id != after.external_id {
        changed.push("externalId");
    }
    changed
}

/// SCIM tokens.
impl Db {
    /// A new token for `workspace_id`: returns it as listed and the whole token, to show once.
    /// `created_by` is the owner who asked (None: the command line on the server's host).
    pub async fn create_scim_token(
        &self,
        workspace_id: &str,
        name: &str,
        created_by: Option<&str>,
        now: i64,
    ) -> Result<(ScimToken, String), DbError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_SCIM_TOKEN_NAME || name.chars().any(char::is_control) {
            return Err(DbError::Invalid(format!(
                "a SCIM token's name must be 1 to {MAX_SCIM_TOKEN_NAME} characters, on one line"
            )));
        }
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|e| DbError::Query(format!("no randomness: {e}")))?;
        let secret = hex(&secret);
        let token = ScimToken {
            id: new_id(),
            workspace_id: workspace_id.to_string(),
            name: name.to_string(),
            created_by: created_by.map(str::to_string),
            created_at: now,
            last_used_at: None,
        };
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO scim_tokens (id, workspace_id, name, secret_hash, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&token.id)
        .bind(workspace_id)
        .bind(&token.name)
        .bind(Sha256::digest(secret.as_bytes()).to_vec())
        .bind(created_by)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let event = NewEvent::ok(workspace_id, Action::ScimTokenCreated)
            .target("scim_token", &token.id)
            .detail(audit::detail(&[("name", &token.name)]));
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        let whole = format!("{SCIM_TOKEN_PREFIX}{}_{secret}", token.id);
        Ok((token, whole))
    }

    /// The workspace's tokens not revoked, oldest first.
    pub async fn scim_tokens(&self, workspace_id: &str) -> Result<Vec<ScimToken>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM scim_tokens WHERE workspace_id = $1 AND revoked_at IS NULL \
             ORDER BY created_at, id"
        ))
        .bind(workspace_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(token_from).collect()
    }

    /// Revokes a token of `workspace_id` (another workspace's is not found): refused from now on.
    pub async fn revoke_scim_token(&self, workspace_id: &str, id: &str, now: i64) -> Result<ScimToken, DbError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE scim_tokens SET revoked_at = $3 WHERE id = $1 AND workspace_id = $2 AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(workspace_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound("a SCIM token with that id in this workspace"));
        }
        let row = sqlx::query(&format!("SELECT {TOKEN_COLUMNS} FROM scim_tokens WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let token = token_from(&row)?;
        let event = NewEvent::ok(workspace_id, Action::ScimTokenRevoked)
            .target("scim_token", id)
            .detail(audit::detail(&[("name", &token.name)]));
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The live token `presented` is, or None (unknown, malformed, wrong secret or revoked: the
    /// caller cannot tell which). The secret's hash is compared in constant time. Records the use
    /// (at most once a minute per token, to keep SCIM reads from writing every time).
    pub async fn scim_token_for(&self, presented: &str, now: i64) -> Result<Option<ScimToken>, DbError> {
        let Some((id, secret)) = presented
            .strip_prefix(SCIM_TOKEN_PREFIX)
            .and_then(|rest| rest.split_once('_'))
        else {
            return Ok(None);
        };
        if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let row = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS}, secret_hash, revoked_at FROM scim_tokens WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let stored: Vec<u8> = col(&row, "secret_hash")?;
        let given = Sha256::digest(secret.as_bytes());
        let matches: bool = stored.as_slice().ct_eq(given.as_slice()).into();
        if !matches || col::<Option<i64>>(&row, "revoked_at")?.is_some() {
            return Ok(None);
        }
        let token = token_from(&row)?;
        if token.last_used_at.is_none_or(|at| at < now - 60) {
            sqlx::query("UPDATE scim_tokens SET last_used_at = $2 WHERE id = $1")
                .bind(id)
                .bind(now)
                .execute(self.pool())
                .await?;
        }
        Ok(Some(token))
    }

    /// The one workspace named `name` (the command line names workspaces; ids are for machines).
    pub async fn workspace_named(&self, name: &str) -> Result<Workspace, DbError> {
        let rows = sqlx::query("SELECT id, name, created_at FROM workspaces WHERE name = $1")
            .bind(name.trim())
            .fetch_all(self.pool())
            .await?;
        match rows.as_slice() {
            [row] => Ok(Workspace {
                id: col(row, "id")?,
                name: col(row, "name")?,
                created_at: col(row, "created_at")?,
            }),
            [] => Err(DbError::NotFound("a workspace with that name")),
            _ => Err(DbError::Conflict(format!(
                "{} workspaces are named {name:?}: rename one first",
                rows.len()
            ))),
        }
    }
}

/// Users through SCIM: only the token's workspace, and never one SCIM deleted.
impl Db {
    pub async fn scim_user(&self, workspace_id: &str, id: &str) -> Result<ScimUser, DbError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, {SCIM_COLUMNS} FROM users \
             WHERE id = $1 AND workspace_id = $2 AND scim_deleted_at IS NULL"
        ))
        .bind(id)
        .bind(workspace_id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(DbError::NotFound("the user"))?;
        scim_user_from(&row)
    }

    /// One page of the workspace's users (oldest first), and how many match in all.
    pub async fn scim_users(
        &self,
        workspace_id: &str,
        matching: Option<&ScimMatch>,
        offset: i64,
        limit: i64,
    ) -> Result<(i64, Vec<ScimUser>), DbError> {
        let (condition, value) = match matching {
            None => ("", String::new()),
            Some(ScimMatch::UserName(v)) => (
                " AND LOWER(COALESCE(scim_user_name, email)) = $2",
                v.trim().to_lowercase(),
            ),
            Some(ScimMatch::Email(v)) => (" AND email = $2", Email::normalize(v)),
            Some(ScimMatch::ExternalId(v)) => (" AND external_id = $2", v.clone()),
            Some(ScimMatch::Id(v)) => (" AND id = $2", v.clone()),
        };
        let base = format!("FROM users WHERE workspace_id = $1 AND scim_deleted_at IS NULL{condition}");
        let count_sql = format!("SELECT COUNT(*) AS n {base}");
        let mut count = sqlx::query(&count_sql).bind(workspace_id);
        if matching.is_some() {
            count = count.bind(&value);
        }
        let total: i64 = col(&count.fetch_one(self.pool()).await?, "n")?;
        let (lim, off) = if matching.is_some() { ("$3", "$4") } else { ("$2", "$3") };
        let page_sql =
            format!("SELECT {USER_COLUMNS}, {SCIM_COLUMNS} {base} ORDER BY created_at, id LIMIT {lim} OFFSET {off}");
        let mut page = sqlx::query(&page_sql).bind(workspace_id);
        if matching.is_some() {
            page = page.bind(&value);
        }
        let rows = page.bind(limit).bind(offset).fetch_all(self.pool()).await?;
        Ok((total, rows.iter().map(scim_user_from).collect::<Result<_, _>>()?))
    }

    /// Creates a user (role `user`; active, or deprovisioned when the provider says inactive), or
    /// brings back the one SCIM deleted with this address (the same person: their devices stay
    /// disabled). Another user with the address is a conflict.
    pub async fn scim_create_user(
        &self,
        workspace_id: &str,
        profile: &ScimProfile,
        active: bool,
        now: i64,
    ) -> Result<ScimUser, DbError> {
        let status = if active {
            UserStatus::Active
        } else {
            UserStatus::Deprovisioned
        };
        let mut tx = self.begin_write().await?;
        // Someone live with this address or userName: a conflict. SCIM deleted them: the same
        // address comes back as the same person; a userName alone is retired from the deleted one.
        let rows = sqlx::query(
            "SELECT id, email, scim_deleted_at FROM users WHERE workspace_id = $1 \
             AND (email = $2 OR LOWER(COALESCE(scim_user_name, email)) = $3)",
        )
        .bind(workspace_id)
        .bind(profile.email.as_str())
        .bind(profile.user_name.to_lowercase())
        .fetch_all(&mut *tx)
        .await?;
        let mut revive = None;
        for row in &rows {
            if col::<Option<i64>>(row, "scim_deleted_at")?.is_none() {
                return Err(DbError::Conflict(format!(
                    "{} or {} is already a user of this workspace",
                    profile.user_name, profile.email
                )));
            }
            let id: String = col(row, "id")?;
            if col::<String>(row, "email")? == profile.email.as_str() {
                revive = Some(id);
            } else {
                sqlx::query("UPDATE users SET scim_user_name = NULL WHERE id = $1")
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let revived = revive.is_some();
        let id = revive.unwrap_or_else(new_id);
        if revived {
            sqlx::query(
                "UPDATE users SET status = $2, scim_deleted_at = NULL, deprovisioned_at = $3, display_name = $4, \
                 given_name = $5, family_name = $6, external_id = $7, updated_at = $8, scim_user_name = $9 WHERE id = $1",
            )
            .bind(&id)
            .bind(status.as_str())
            .bind((!active).then_some(now))
            .bind(&profile.display_name)
            .bind(&profile.given_name)
            .bind(&profile.family_name)
            .bind(&profile.external_id)
            .bind(now)
            .bind(&profile.user_name)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query(
                "INSERT INTO users (id, workspace_id, email, display_name, role, status, created_at, deprovisioned_at, \
                 given_name, family_name, external_id, updated_at, scim_user_name) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $7, $12)",
            )
            .bind(&id)
            .bind(workspace_id)
            .bind(profile.email.as_str())
            .bind(&profile.display_name)
            .bind(Role::User.as_str())
            .bind(status.as_str())
            .bind(now)
            .bind((!active).then_some(now))
            .bind(&profile.given_name)
            .bind(&profile.family_name)
            .bind(&profile.external_id)
            .bind(&profile.user_name)
            .execute(&mut *tx)
            .await
            .map_err(email_taken(profile.email.as_str()))?;
        }
        let event = NewEvent::ok(workspace_id, Action::UserProvisioned)
            .target("user", &id)
            .detail(audit::detail(&[
                ("status", status.as_str()),
                ("revived", if revived { "true" } else { "false" }),
            ]));
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        self.scim_user(workspace_id, &id).await
    }

    /// Replaces what the provider says about a user (not their status: see
    /// [`Db::scim_deactivate`], [`Db::reactivate_user`]). Nothing changed: nothing written.
    pub async fn scim_update_profile(
        &self,
        workspace_id: &str,
        id: &str,
        profile: &ScimProfile,
        now: i64,
    ) -> Result<ScimUser, DbError> {
        let before = self.scim_user(workspace_id, id).await?;
        let changed = changed_fields(&before, profile);
        if changed.is_empty() {
            return Ok(before);
        }
        let mut tx = self.begin_write().await?;
        let taken = sqlx::query(
            "SELECT COUNT(*) AS n FROM users WHERE workspace_id = $1 AND id <> $2 AND scim_deleted_at IS NULL \
             AND LOWER(COALESCE(scim_user_name, email)) = $3",
        )
        .bind(workspace_id)
        .bind(id)
        .bind(profile.user_name.to_lowercase())
        .fetch_one(&mut *tx)
        .await?;
        if col::<i64>(&taken, "n")? > 0 {
            return Err(DbError::Conflict(format!(
                "{} is already the userName of another user of this workspace",
                profile.user_name
            )));
        }
        sqlx::query(
            "UPDATE users SET email = $3, display_name = $4, given_name = $5, family_name = $6, external_id = $7, \
             updated_at = $8, scim_user_name = $9 WHERE id = $1 AND workspace_id = $2 AND scim_deleted_at IS NULL",
        )
        .bind(id)
        .bind(workspace_id)
        .bind(profile.email.as_str())
        .bind(&profile.display_name)
        .bind(&profile.given_name)
        .bind(&profile.family_name)
        .bind(&profile.external_id)
        .bind(now)
        .bind(&profile.user_name)
        .execute(&mut *tx)
        .await
        .map_err(email_taken(profile.email.as_str()))?;
        let event = NewEvent::ok(workspace_id, Action::UserUpdated)
            .target("user", id)
            .detail(audit::detail(&[("fields", &changed.join(","))]));
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        self.scim_user(workspace_id, id).await
    }

    /// Deactivates a user as the API's deprovisioning does (default handover), refusing the
    /// workspace's last active owner (nobody would be left to manage it, or its SCIM tokens).
    pub async fn scim_deactivate(&self, workspace_id: &str, id: &str, now: i64) -> Result<Deprovisioned, DbError> {
        let mut tx = self.begin_write().await?;
        let done = self.scim_deactivate_in(&mut tx, workspace_id, id, now).await?;
        tx.commit().await?;
        Ok(done)
    }

    async fn scim_deactivate_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        workspace_id: &str,
        id: &str,
        now: i64,
    ) -> Result<Deprovisioned, DbError> {
        let row = sqlx::query("SELECT role, status FROM users WHERE id = $1 AND workspace_id = $2")
            .bind(id)
            .bind(workspace_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(DbError::NotFound("the user"))?;
        if col::<String>(&row, "status")? == UserStatus::Deprovisioned.as_str() {
            return Err(DbError::Conflict("this user is already deprovisioned".into()));
        }
        let role = super::users::role_from(&col::<String>(&row, "role")?)?;
        // The token acts with an owner's rank (only owners create tokens): the API's rule.
        Role::Owner
            .may_deprovision(role, false)
            .map_err(|e| DbError::Forbidden(e.to_string()))?;
        if role == Role::Owner {
            let others = sqlx::query(
                "SELECT COUNT(*) AS n FROM users WHERE workspace_id = $1 AND role = 'owner' AND status = 'active' AND id <> $2",
            )
            .bind(workspace_id)
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
            if col::<i64>(&others, "n")? == 0 {
                return Err(DbError::Forbidden(
                    "this is the workspace's last active owner: make someone else an owner first, \
                     or deprovision them from the console"
                        .into(),
                ));
            }
        }
        self.deprovision_in(tx, id, &OwnerChoice::default(), now).await
    }

    /// Makes a deprovisioned user active again. Their devices stay disabled and their account
    /// memberships stay removed: each device goes through the trust flow again.
    pub async fn reactivate_user(&self, workspace_id: &str, id: &str, now: i64) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE users SET status = 'active', deprovisioned_at = NULL, updated_at = $3 \
             WHERE id = $1 AND workspace_id = $2 AND status = 'deprovisioned' AND scim_deleted_at IS NULL",
        )
        .bind(id)
        .bind(workspace_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound("a deprovisioned user with that id"));
        }
        let event = NewEvent::ok(workspace_id, Action::UserReactivated).target("user", id);
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// SCIM's DELETE: deprovisions the user if they are not already (the same rules), and hides
    /// them from SCIM. The row stays (the audit log and accounts refer to it).
    pub async fn scim_delete_user(&self, workspace_id: &str, id: &str, now: i64) -> Result<(), DbError> {
        let user = self.scim_user(workspace_id, id).await?;
        let mut tx = self.begin_write().await?;
        if user.user.status != UserStatus::Deprovisioned {
            self.scim_deactivate_in(&mut tx, workspace_id, id, now).await?;
        }
        sqlx::query("UPDATE users SET scim_deleted_at = $3 WHERE id = $1 AND workspace_id = $2")
            .bind(id)
            .bind(workspace_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let event = NewEvent::ok(workspace_id, Action::UserScimDeleted).target("user", id);
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
