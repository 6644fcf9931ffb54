//! Trusted devices: registration (at most [`MAX_ACTIVE_DEVICES`] per user, names unique by
//! `latchkey_core::device::name_key`), status, tokens (stored as SHA-256), e-mail codes (checked
//! with the core's `PendingEmailCode`) and approval requests.

use latchkey_core::device::{self, DeviceError, PendingEmailCode};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;

use super::audit::{self, Action, NewEvent};
use super::{col, new_id, Db, DbError};
use crate::domain::Email;

/// Trusted (approved) devices a user may have; pending ones never count.
pub const MAX_ACTIVE_DEVICES: i64 = 20;
/// An approval request expires after 5 minutes: long enough to read a number off one screen and
/// type it on another, short enough that a request nobody expected does not linger on the
/// trusted devices, and that slots held by someone else's requests free up quickly.
pub const APPROVAL_LIFETIME_SECS: i64 = 5 * 60;
/// A pending device that proved the mailbox is given up an hour after registering.
pub const PENDING_LIFETIME_SECS: i64 = 60 * 60;
/// A pending device that has not proved the mailbox is given up after 15 minutes: enough for an
/// e-mailed code (5 minutes) or an approval (5 minutes, asked again once or twice), and it never
/// holds anything of the user's for longer.
pub const UNVERIFIED_LIFETIME_SECS: i64 = 15 * 60;
/// Unverified pending devices a user may have at once. Over it, a new registration gives up the
/// oldest one of the client address that holds the most, so someone registering from other
/// addresses first pushes out their own, never the one device of the person at their browser.
pub const MAX_UNVERIFIED_PER_USER: usize = 10;
/// Open approval requests a user may have at once, with the same rule as above when over it.
pub const MAX_OPEN_REQUESTS_PER_USER: usize = 5;

/// The PostgreSQL NOTIFY channel on which trust-flow changes are announced (payload: the user
/// id, or a ghost's e-mail): a request made or decided, a device trusted, denied or disabled.
pub const TRUST_CHANNEL: &str = "latchkey_trust";

/// Who holds a token, whatever their state: the API tells a disabled device or a deprovisioned
/// user apart from an unknown token, so the extension can wipe itself and say why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenOwner {
    pub device: Device,
    pub token_revoked: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceStatus {
    Pending,
    Approved,
    Denied,
    Disabled,
}

impl DeviceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceStatus::Pending => "pending",
            DeviceStatus::Approved => "approved",
            DeviceStatus::Denied => "denied",
            DeviceStatus::Disabled => "disabled",
        }
    }

    fn parse(value: &str) -> Result<Self, DbError> {
        Ok(match value {
            "pending" => DeviceStatus::Pending,
            "approved" => DeviceStatus::Approved,
            "denied" => DeviceStatus::Denied,
            "disabled" => DeviceStatus::Disabled,
            other => {
                return Err(DbError::Query(format!(
                    "unknown device status {other:?} in the database"
                )))
            }
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: String,
    pub user_id: String,
    pub name: String,
    /// Opaque: the device's X25519 and Ed25519 public keys as the core encodes them.
    pub public_keys: Vec<u8>,
    pub status: DeviceStatus,
    /// The user key wrapped to this device, once approved.
    pub user_key_envelope: Option<Vec<u8>>,
    /// The signed grant, when a trusted device approved this one (relayed to it as-is).
    pub approval_grant: Option<Vec<u8>>,
    /// When this device proved its user's mailbox with an e-mailed code.
    pub email_verified_at: Option<i64>,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// The client address it registered from, as the server saw it ("" when not known).
    pub client_addr: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalRequest {
    pub id: String,
    pub device_id: String,
    pub user_id: String,
    pub status: String,
    pub created_at: i64,
    pub expires_at: i64,
    /// The number the new device shows and the approving person must type.
    pub match_number: Option<i64>,
    /// Where the request came from and the browser/OS, as the server saw them.
    pub client_addr: String,
    pub client_os: String,
    pub client_browser: String,
    /// Why it was denied: `denied` (by a person), `wrong_number`.
    pub denied_reason: Option<String>,
}

/// Who asked for an approval, as the server saw the request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestOrigin {
    pub client_addr: String,
    pub os: String,
    pub browser: String,
}

/// How a request was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision<'a> {
    /// Approved: the user key sealed to the new device, and the signed grant.
    Approve { envelope: &'a [u8], grant: &'a [u8] },
    /// Denied by the person: the device is denied too.
    Deny,
    /// The typed number was wrong: this request is denied, the device may ask again.
    WrongNumber,
}

/// The result of checking an e-mail code: the core's verdict, already stored.
pub type EmailCodeCheck = Result<(), DeviceError>;

const DEVICE_COLUMNS: &str = "id, user_id, name, public_keys, status, user_key_envelope, approval_grant, \
     email_verified_at, created_at, last_seen_at, client_addr";

fn device_from(row: &AnyRow) -> Result<Device, DbError> {
    Ok(Device {
        id: col(row, "id")?,
        user_id: col(row, "user_id")?,
        name: col(row, "name")?,
        public_keys: col(row, "public_keys")?,
        status: DeviceStatus::parse(&col::<String>(row, "status")?)?,
        user_key_envelope: col(row, "user_key_envelope")?,
        approval_grant: col(row, "approval_grant")?,
        email_verified_at: col(row, "email_verified_at")?,
        created_at: col(row, "created_at")?,
        last_seen_at: col(row, "last_seen_at")?,
        client_addr: col::<Option<String>>(row, "client_addr")?.unwrap_or_default(),
    })
}

pub(crate) fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn name_taken(name: &str) -> DbError {
    DbError::Conflict(format!(
        "you already have a trusted device named {name:?}, and this name is the same or looks the same: \
         choose another name, or rename or disable that device"
    ))
}

impl Db {
    /// Tells every instance's waiters (PostgreSQL) that `user`'s trust state changed. Called after
    /// the change committed; on SQLite there is one instance and its own notifier suffices.
    pub async fn notify_trust(&self, user: &str) -> Result<(), DbError> {
        if self.backend() == super::Backend::Postgres {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(TRUST_CHANNEL)
                .bind(user)
                .execute(self.pool())
                .await?;
        }
        Ok(())
    }

    /// Registers a device for an active (or invited) user, as `pending`, from an unknown client.
    pub async fn register_device(
        &self,
        user_id: &str,
        name: &str,
        public_keys: &[u8],
        now: i64,
    ) -> Result<Device, DbError> {
        self.register_pending(user_id, name, public_keys, "", now).await
    }

    /// Registers a device as `pending`. Nothing about the user's other devices can refuse it (an
    /// unverified caller must learn nothing): neither the trusted-device limit nor a name already
    /// in use, which are checked when the device is about to be trusted. Only the name's syntax is
    /// checked here. Pending devices past their lifetime are given up first; if the user then has
    /// [`MAX_UNVERIFIED_PER_USER`] unverified ones, the oldest of the client address holding the
    /// most is given up to make room.
    pub async fn register_pending(
        &self,
        user_id: &str,
        name: &str,
        public_keys: &[u8],
        client_addr: &str,
        now: i64,
    ) -> Result<Device, DbError> {
        let name = device::validate_device_name(name).map_err(|e| DbError::Invalid(e.to_string()))?;
        let key = device::name_key(&name);
        let mut tx = self.begin_write().await?;
        lock_user(&mut tx, user_id).await?;
        give_up_stale(&mut tx, user_id, now).await?;
        let rows = sqlx::query(
            "SELECT id, client_addr, created_at FROM devices WHERE user_id = $1 AND status = 'pending' \
             AND email_verified_at IS NULL ORDER BY created_at, id",
        )
        .bind(user_id)
        .fetch_all(&mut *tx)
        .await?;
        let mut unverified = Vec::with_capacity(rows.len());
        for row in &rows {
            unverified.push((
                col::<String>(row, "id")?,
                col::<Option<String>>(row, "client_addr")?.unwrap_or_default(),
            ));
        }
        if unverified.len() >= MAX_UNVERIFIED_PER_USER {
            if let Some(victim) = oldest_of_busiest(&unverified, client_addr) {
                give_up_device(&mut tx, &victim).await?;
            }
        }
        let device = Device {
            id: new_id(),
            user_id: user_id.to_string(),
            name,
            public_keys: public_keys.to_vec(),
            status: DeviceStatus::Pending,
            user_key_envelope: None,
            approval_grant: None,
            email_verified_at: None,
            created_at: now,
            last_seen_at: now,
            client_addr: client_addr.to_string(),
        };
        sqlx::query(
            "INSERT INTO devices (id, user_id, name, name_key, public_keys, status, created_at, last_seen_at, client_addr) \
             VALUES ($1, $2, $3, $4, $5, 'pending', $6, $6, $7)",
        )
        .bind(&device.id)
        .bind(user_id)
        .bind(&device.name)
        .bind(&key)
        .bind(public_keys.to_vec())
        .bind(now)
        .bind(client_addr)
        .execute(&mut *tx)
        .await?;
        let workspace = audit::workspace_of_user(&mut tx, user_id).await?;
        let event = NewEvent::ok(&workspace, Action::DeviceRegistered).target("device", &device.id);
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        Ok(device)
    }

    pub async fn device(&self, id: &str) -> Result<Device, DbError> {
        let row = sqlx::query(&format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(DbError::NotFound("the device"))?;
        device_from(&row)
    }

    /// A user's devices, newest first.
    pub async fn devices(&self, user_id: &str) -> Result<Vec<Device>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {DEVICE_COLUMNS} FROM devices WHERE user_id = $1 ORDER BY created_at DESC, id"
        ))
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(device_from).collect()
    }

    /// Renames a device; the new name must not clash (core `names_clash`: case, look-alikes)
    /// with another trusted device of the same user.
    pub async fn rename_device(&self, id: &str, name: &str, now: i64) -> Result<Device, DbError> {
        let name = device::validate_device_name(name).map_err(|e| DbError::Invalid(e.to_string()))?;
        let current = self.device(id).await?;
        let mut tx = self.begin_write().await?;
        lock_user(&mut tx, &current.user_id).await?;
        check_name_free(&mut tx, &current.user_id, id, &name).await?;
        sqlx::query("UPDATE devices SET name = $2, name_key = $3 WHERE id = $1")
            .bind(id)
            .bind(&name)
            .bind(device::name_key(&name))
            .execute(&mut *tx)
            .await?;
        let workspace = audit::workspace_of_user(&mut tx, &current.user_id).await?;
        let event = NewEvent::ok(&workspace, Action::DeviceRenamed).target("device", id);
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        self.device(id).await
    }

    /// Disables a device and revokes its tokens, in one transaction.
    pub async fn disable_device(&self, id: &str, now: i64) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE devices SET status = 'disabled' WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound("the device"));
        }
        sqlx::query("UPDATE device_tokens SET revoked_at = $2 WHERE device_id = $1 AND revoked_at IS NULL")
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE approval_requests SET status = 'expired' WHERE device_id = $1 AND status = 'pending'")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let user = sqlx::query("SELECT user_id FROM devices WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let workspace = audit::workspace_of_user(&mut tx, &col::<String>(&user, "user_id")?).await?;
        audit::append(
            &mut tx,
            self.actor(),
            NewEvent::ok(&workspace, Action::DeviceDisabled).target("device", id),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks a pending device approved with the user key wrapped to it (set-up and tests; the
    /// API goes through the e-mail code, the Recovery Kit or an approval). The trusted-device
    /// limit and the name rule hold here too.
    pub async fn approve_device_self(&self, id: &str, user_key_envelope: &[u8]) -> Result<(), DbError> {
        let device = self.device(id).await.map_err(|e| match e {
            DbError::NotFound(_) => DbError::NotFound("a pending device with that id"),
            other => other,
        })?;
        let mut tx = self.begin_write().await?;
        lock_user(&mut tx, &device.user_id).await?;
        may_trust(&mut tx, &device.user_id, id).await?;
        let done = sqlx::query(
            "UPDATE devices SET status = 'approved', user_key_envelope = $2 WHERE id = $1 AND status = 'pending'",
        )
        .bind(id)
        .bind(user_key_envelope.to_vec())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound("a pending device with that id"));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Issues a token bound to the device: 32 random bytes as hex, of which only the SHA-256 is
    /// stored. The token is returned once.
    pub async fn issue_device_token(&self, device_id: &str, now: i64) -> Result<String, DbError> {
        let token = format!("{}{}", new_id(), new_id());
        sqlx::query("INSERT INTO device_tokens (token_hash, device_id, created_at) VALUES ($1, $2, $3)")
            .bind(token_hash(&token))
            .bind(device_id)
            .bind(now)
            .execute(self.pool())
            .await?;
        Ok(token)
    }

    /// The device a token belongs to, if the token is not revoked and the device not disabled or
    /// denied (a pending device still authenticates, to reach the trust flow). Records last seen.
    pub async fn device_for_token(&self, token: &str, now: i64) -> Result<Device, DbError> {
        let row = sqlx::query(&format!(
            "SELECT {DEVICE_COLUMNS} FROM devices WHERE id = \
             (SELECT device_id FROM device_tokens WHERE token_hash = $1 AND revoked_at IS NULL) \
             AND status IN ('pending', 'approved')"
        ))
        .bind(token_hash(token))
        .fetch_optional(self.pool())
        .await?
        .ok_or(DbError::NotFound("a valid device token"))?;
        let device = device_from(&row)?;
        sqlx::query("UPDATE devices SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2")
            .bind(&device.id)
            .bind(now)
            .execute(self.pool())
            .await?;
        Ok(device)
    }

    /// The device a token was issued to, revoked or not, in any state (`None`: no such token).
    /// Records the device as seen.
    pub async fn token_owner(&self, token: &str, now: i64) -> Result<Option<TokenOwner>, DbError> {
        let Some(row) = sqlx::query("SELECT device_id, revoked_at FROM device_tokens WHERE token_hash = $1")
            .bind(token_hash(token))
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let device_id: String = col(&row, "device_id")?;
        let revoked: Option<i64> = col(&row, "revoked_at")?;
        let device = self.device(&device_id).await?;
        if revoked.is_none() && device.last_seen_at < now {
            sqlx::query("UPDATE devices SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2")
                .bind(&device.id)
                .bind(now)
                .execute(self.pool())
                .await?;
        }
        Ok(Some(TokenOwner {
            device,
            token_revoked: revoked.is_some(),
        }))
    }

    /// Records that a pending device proved its user's mailbox (a correct e-mailed code).
    pub async fn mark_email_verified(&self, device_id: &str, now: i64) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE devices SET email_verified_at = $2 WHERE id = $1 AND status = 'pending'")
            .bind(device_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound("a pending device with that id"));
        }
        let workspace = workspace_of_device(&mut tx, device_id).await?;
        let event = NewEvent::ok(&workspace, Action::DeviceVerified).target("device", device_id);
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores a code sent to `email` for one device (its hash, expiry, attempts and use, as the
    /// core keeps them). The device's earlier codes stop working: only its newest is checked.
    pub async fn put_email_code(
        &self,
        email: &str,
        user_id: Option<&str>,
        device_id: &str,
        client_addr: &str,
        code: &PendingEmailCode,
        now: i64,
    ) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO email_codes (id, email, user_id, code_hash, created_at, expires_at, attempts, used, device_id, client_addr) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(new_id())
        .bind(Email::normalize(email))
        .bind(user_id)
        .bind(code.hash.to_vec())
        .bind(now)
        .bind(i64::try_from(code.expires_at).unwrap_or(i64::MAX))
        .bind(i64::from(code.attempts))
        .bind(i64::from(code.used))
        .bind(device_id)
        .bind(client_addr)
        .execute(&mut *tx)
        .await?;
        if let Some(user_id) = user_id {
            let workspace = audit::workspace_of_user(&mut tx, user_id).await?;
            let event = NewEvent::ok(&workspace, Action::DeviceCodeEmailed).target("device", device_id);
            audit::append(&mut tx, self.actor(), event, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Checks a submitted code against the newest code sent *for this device* (a code e-mailed for
    /// another device never verifies this one), with the core's rules (expiry, 5 attempts per code,
    /// single use), and stores the counted attempt, atomically: two concurrent submissions cannot
    /// both use one code or both take the last attempt.
    pub async fn check_email_code(
        &self,
        server_secret: &[u8],
        device_id: &str,
        email: &str,
        submitted: &str,
        now: i64,
    ) -> Result<EmailCodeCheck, DbError> {
        let email = Email::normalize(email);
        let mut tx = self.begin_write().await?;
        let newest = sqlx::query(
            "SELECT id FROM email_codes WHERE device_id = $1 AND email = $2 ORDER BY created_at DESC, id DESC LIMIT 1",
        )
        .bind(device_id)
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(DbError::NotFound("a code sent for this device"))?;
        let id: String = col(&newest, "id")?;
        // Lock (PostgreSQL) the code's row before reading it; SQLite already holds the lock.
        sqlx::query("UPDATE email_codes SET attempts = attempts WHERE id = $1")
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        let row = sqlx::query("SELECT code_hash, expires_at, attempts, used FROM email_codes WHERE id = $1")
            .bind(&id)
            .fetch_one(&mut *tx)
            .await?;
        let hash: Vec<u8> = col(&row, "code_hash")?;
        let mut pending = PendingEmailCode {
            hash: hash
                .try_into()
                .map_err(|_| DbError::Query("a stored e-mail code hash is not 32 bytes".into()))?,
            expires_at: u64::try_from(col::<i64>(&row, "expires_at")?).unwrap_or(0),
            attempts: u32::try_from(col::<i64>(&row, "attempts")?).unwrap_or(u32::MAX),
            used: col::<i64>(&row, "used")? != 0,
        };
        let verdict = pending.check(server_secret, &email, submitted, u64::try_from(now).unwrap_or(0));
        sqlx::query("UPDATE email_codes SET attempts = $2, used = $3 WHERE id = $1")
            .bind(&id)
            .bind(i64::from(pending.attempts))
            .bind(i64::from(pending.used))
            .execute(&mut *tx)
            .await?;
        // A wrong, expired or used code is recorded here; a right one where the device is marked
        // verified (`mark_email_verified`).
        if let Err(why) = &verdict {
            let workspace = workspace_of_device(&mut tx, device_id).await?;
            let outcome = code_failure(why);
            let event = NewEvent::ok(&workspace, Action::DeviceVerified)
                .target("device", device_id)
                .outcome(outcome);
            audit::append(&mut tx, self.actor(), event, now).await?;
        }
        tx.commit().await?;
        Ok(verdict)
    }

    /// Opens an approval request for a pending device, with the number drawn for it and where it
    /// came from. The device's earlier open request expires (one open request per device); if the
    /// user then has [`MAX_OPEN_REQUESTS_PER_USER`] open requests, the oldest of the client address
    /// holding the most expires to make room. It expires after [`APPROVAL_LIFETIME_SECS`].
    pub async fn request_approval(
        &self,
        device_id: &str,
        match_number: u16,
        origin: &RequestOrigin,
        now: i64,
    ) -> Result<ApprovalRequest, DbError> {
        let device = self.device(device_id).await?;
        let mut tx = self.begin_write().await?;
        lock_user(&mut tx, &device.user_id).await?;
        let status = sqlx::query("SELECT status FROM devices WHERE id = $1")
            .bind(device_id)
            .fetch_one(&mut *tx)
            .await?;
        if col::<String>(&status, "status")? != "pending" {
            return Err(DbError::Conflict(
                "only a device pending approval can ask for it".into(),
            ));
        }
        sqlx::query("UPDATE approval_requests SET status = 'expired' WHERE device_id = $1 AND status = 'pending'")
            .bind(device_id)
            .execute(&mut *tx)
            .await?;
        let rows = sqlx::query(
            "SELECT id, client_addr FROM approval_requests WHERE user_id = $1 AND status = 'pending' \
             AND expires_at > $2 ORDER BY created_at, id",
        )
        .bind(&device.user_id)
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        let mut open = Vec::with_capacity(rows.len());
        for row in &rows {
            open.push((
                col::<String>(row, "id")?,
                col::<Option<String>>(row, "client_addr")?.unwrap_or_default(),
            ));
        }
        if open.len() >= MAX_OPEN_REQUESTS_PER_USER {
            if let Some(victim) = oldest_of_busiest(&open, &origin.client_addr) {
                sqlx::query("UPDATE approval_requests SET status = 'expired' WHERE id = $1")
                    .bind(&victim)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let request = ApprovalRequest {
            id: new_id(),
            device_id: device.id,
            user_id: device.user_id,
            status: "pending".into(),
            created_at: now,
            expires_at: now + APPROVAL_LIFETIME_SECS,
            match_number: Some(i64::from(match_number)),
            client_addr: origin.client_addr.clone(),
            client_os: origin.os.clone(),
            client_browser: origin.browser.clone(),
            denied_reason: None,
        };
        sqlx::query(
            "INSERT INTO approval_requests (id, device_id, user_id, status, created_at, expires_at, match_number, \
             client_addr, client_os, client_browser) VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, $9)",
        )
        .bind(&request.id)
        .bind(&request.device_id)
        .bind(&request.user_id)
        .bind(now)
        .bind(request.expires_at)
        .bind(i64::from(match_number))
        .bind(&request.client_addr)
        .bind(&request.client_os)
        .bind(&request.client_browser)
        .execute(&mut *tx)
        .await?;
        let workspace = audit::workspace_of_user(&mut tx, &request.user_id).await?;
        let event = NewEvent::ok(&workspace, Action::DeviceApprovalRequested).target("device", &request.device_id);
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        Ok(request)
    }

    /// The user's open (pending, unexpired) approval requests, newest first, at most `limit`.
    pub async fn pending_approvals(
        &self,
        user_id: &str,
        now: i64,
        limit: i64,
    ) -> Result<Vec<ApprovalRequest>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {REQUEST_COLUMNS} FROM approval_requests WHERE user_id = $1 AND status = 'pending' \
             AND expires_at > $2 ORDER BY created_at DESC, id LIMIT $3"
        ))
        .bind(user_id)
        .bind(now)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(request_from).collect()
    }

    /// How many open requests the user has (the list above may be cut short).
    pub async fn open_approval_count(&self, user_id: &str, now: i64) -> Result<i64, DbError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM approval_requests WHERE user_id = $1 AND status = 'pending' AND expires_at > $2",
        )
        .bind(user_id)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        col(&row, "n")
    }

    /// Decides a request, by an approved device of the same user, before it expires; once.
    /// Approving also checks that the new device may be trusted (the trusted-device limit, a name
    /// that does not clash with another trusted device's).
    pub async fn decide_approval(
        &self,
        request_id: &str,
        approver_device_id: &str,
        decision: Decision<'_>,
        now: i64,
    ) -> Result<(), DbError> {
        let request = self.approval_request(request_id).await?;
        let mut tx = self.begin_write().await?;
        lock_user(&mut tx, &request.user_id).await?;
        let (status, reason) = match decision {
            Decision::Approve { .. } => ("approved", None),
            Decision::Deny => ("denied", Some("denied")),
            Decision::WrongNumber => ("denied", Some("wrong_number")),
        };
        // One statement checks everything and claims the request: pending, unexpired, and the
        // approver an approved device of the same user (and not the requesting device itself).
        let done = sqlx::query(
            "UPDATE approval_requests SET status = $3, decided_by = $2, decided_at = $4, denied_reason = $5 \
             WHERE id = $1 AND status = 'pending' AND expires_at > $4 AND device_id <> $2 \
             AND user_id = (SELECT user_id FROM devices WHERE id = $2 AND status = 'approved')",
        )
        .bind(request_id)
        .bind(approver_device_id)
        .bind(status)
        .bind(now)
        .bind(reason)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound(
                "an open approval request that this device may decide (it may have expired, been decided, \
                 or belong to another user)",
            ));
        }
        match decision {
            Decision::Approve { envelope, grant } => {
                may_trust(&mut tx, &request.user_id, &request.device_id).await?;
                sqlx::query(
                    "UPDATE devices SET status = 'approved', user_key_envelope = $2, approval_grant = $3 \
                     WHERE id = $1 AND status = 'pending'",
                )
                .bind(&request.device_id)
                .bind(envelope.to_vec())
                .bind(grant.to_vec())
                .execute(&mut *tx)
                .await?;
            }
            Decision::Deny => {
                sqlx::query("UPDATE devices SET status = 'denied' WHERE id = $1 AND status = 'pending'")
                    .bind(&request.device_id)
                    .execute(&mut *tx)
                    .await?;
            }
            Decision::WrongNumber => {}
        }
        let workspace = audit::workspace_of_user(&mut tx, &request.user_id).await?;
        let (action, outcome) = match decision {
            Decision::Approve { .. } => (Action::DeviceApproved, "ok"),
            Decision::Deny => (Action::DeviceDenied, "ok"),
            Decision::WrongNumber => (Action::DeviceDenied, "wrong_number"),
        };
        let event = NewEvent::ok(&workspace, action)
            .target("device", &request.device_id)
            .outcome(outcome);
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A user's devices for the list: every trusted one, then at most `others` of the rest,
    /// disabled ones first (only the user disables: nobody else can crowd them out), then pending,
    /// then denied, newest first in each; and how many of the rest were left out.
    pub async fn devices_page(&self, user_id: &str, others: i64) -> Result<(Vec<Device>, i64), DbError> {
        let trusted = self.approved_devices(user_id).await?;
        let rows = sqlx::query(&format!(
            "SELECT {DEVICE_COLUMNS} FROM devices WHERE user_id = $1 AND status <> 'approved' \
             ORDER BY CASE status WHEN 'disabled' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, created_at DESC, id LIMIT $2"
        ))
        .bind(user_id)
        .bind(others)
        .fetch_all(self.pool())
        .await?;
        let row = sqlx::query("SELECT COUNT(*) AS n FROM devices WHERE user_id = $1 AND status <> 'approved'")
            .bind(user_id)
            .fetch_one(self.pool())
            .await?;
        let total: i64 = col(&row, "n")?;
        let mut devices = trusted;
        for row in &rows {
            devices.push(device_from(row)?);
        }
        let shown = i64::try_from(rows.len()).unwrap_or(i64::MAX);
        Ok((devices, (total - shown).max(0)))
    }

    /// The names of the user's trusted devices whose names clash with `name` (core rule), other
    /// than `except`: for telling the approving person "this looks like your device X".
    pub async fn clashing_trusted_name(
        &self,
        user_id: &str,
        except: &str,
        name: &str,
    ) -> Result<Option<String>, DbError> {
        let trusted = self.approved_devices(user_id).await?;
        Ok(trusted
            .iter()
            .filter(|d| d.id != except)
            .find(|d| device::names_clash(&d.name, name))
            .map(|d| d.name.clone()))
    }
}

impl Device {
    /// A device still pending [`UNVERIFIED_LIFETIME_SECS`] after registering without proving the
    /// mailbox, or [`PENDING_LIFETIME_SECS`] after, is given up: it gets `device_denied`, whether
    /// or not a later registration already marked it so.
    pub fn pending_too_long(&self, now: i64) -> bool {
        let lifetime = match self.email_verified_at {
            Some(_) => PENDING_LIFETIME_SECS,
            None => UNVERIFIED_LIFETIME_SECS,
        };
        self.status == DeviceStatus::Pending && self.created_at < now - lifetime
    }
}

/// The trust flow's queries (docs/api.md, "Trust flow"): approving a first or recovered device, reading requests.
impl Db {
    /// The first trusted device of a user: stores the user's key material (only if the user has
    /// none yet), approves the device (pending, e-mail verified), activates an invited user and
    /// marks their invitation accepted, in one transaction. Two devices racing: one wins, the
    /// other gets a conflict.
    #[allow(clippy::too_many_arguments)]
    pub async fn enroll_first_device(
        &self,
        user_id: &str,
        device_id: &str,
        public_keys: &[u8],
        sealed_private_keys: &[u8],
        recovery_envelope: &[u8],
        user_key_envelope: &[u8],
        now: i64,
    ) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE users SET public_keys = $2, sealed_private_keys = $3, recovery_envelope = $4, \
             status = CASE WHEN status = 'invited' THEN 'active' ELSE status END \
             WHERE id = $1 AND status <> 'deprovisioned' AND public_keys IS NULL",
        )
        .bind(user_id)
        .bind(public_keys.to_vec())
        .bind(sealed_private_keys.to_vec())
        .bind(recovery_envelope.to_vec())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::Conflict(
                "this user already has keys: unlock them with the Recovery Kit or ask a trusted device to approve"
                    .into(),
            ));
        }
        may_trust(&mut tx, user_id, device_id).await?;
        approve_verified(&mut tx, device_id, user_id, user_key_envelope).await?;
        let row = sqlx::query("SELECT workspace_id, email FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE invitations SET accepted_at = $3 WHERE workspace_id = $1 AND email = $2 AND accepted_at IS NULL",
        )
        .bind(col::<String>(&row, "workspace_id")?)
        .bind(col::<String>(&row, "email")?)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let workspace: String = col(&row, "workspace_id")?;
        let event = NewEvent::ok(&workspace, Action::DeviceTrusted)
            .target("device", device_id)
            .detail(audit::detail(&[("via", "first_device")]));
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A device that unlocked the user key with the Recovery Kit: approved (pending, e-mail
    /// verified) with the user key sealed to it.
    pub async fn enroll_recovered_device(
        &self,
        user_id: &str,
        device_id: &str,
        user_key_envelope: &[u8],
        now: i64,
    ) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        lock_user(&mut tx, user_id).await?;
        may_trust(&mut tx, user_id, device_id).await?;
        approve_verified(&mut tx, device_id, user_id, user_key_envelope).await?;
        let workspace = audit::workspace_of_user(&mut tx, user_id).await?;
        let event = NewEvent::ok(&workspace, Action::DeviceTrusted)
            .target("device", device_id)
            .detail(audit::detail(&[("via", "recovery_kit")]));
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The approved devices of a user, oldest first (their keys are who may sign grants).
    pub async fn approved_devices(&self, user_id: &str) -> Result<Vec<Device>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {DEVICE_COLUMNS} FROM devices WHERE user_id = $1 AND status = 'approved' ORDER BY created_at, id"
        ))
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(device_from).collect()
    }

    pub async fn approval_request(&self, id: &str) -> Result<ApprovalRequest, DbError> {
        let row = sqlx::query(&format!(
            "SELECT {REQUEST_COLUMNS} FROM approval_requests WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(DbError::NotFound("the approval request"))?;
        request_from(&row)
    }

    /// The newest approval request of a device, if it made one.
    pub async fn latest_approval_request(&self, device_id: &str) -> Result<Option<ApprovalRequest>, DbError> {
        let row = sqlx::query(&format!(
            "SELECT {REQUEST_COLUMNS} FROM approval_requests WHERE device_id = $1 ORDER BY created_at DESC, id LIMIT 1"
        ))
        .bind(device_id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(request_from).transpose()
    }
}

const REQUEST_COLUMNS: &str = "id, device_id, user_id, status, created_at, expires_at, match_number, \
     client_addr, client_os, client_browser, denied_reason";

fn request_from(row: &AnyRow) -> Result<ApprovalRequest, DbError> {
    let text = |name: &str| col::<Option<String>>(row, name).map(Option::unwrap_or_default);
    Ok(ApprovalRequest {
        id: col(row, "id")?,
        device_id: col(row, "device_id")?,
        user_id: col(row, "user_id")?,
        status: col(row, "status")?,
        created_at: col(row, "created_at")?,
        expires_at: col(row, "expires_at")?,
        match_number: col(row, "match_number")?,
        client_addr: text("client_addr")?,
        client_os: text("client_os")?,
        client_browser: text("client_browser")?,
        denied_reason: col(row, "denied_reason")?,
    })
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// The workspace of a device's user.
async fn workspace_of_device(tx: &mut Tx, device_id: &str) -> Result<String, DbError> {
    let row = sqlx::query("SELECT u.workspace_id FROM devices d JOIN users u ON u.id = d.user_id WHERE d.id = $1")
        .bind(device_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(DbError::NotFound("the device"))?;
    col(&row, "workspace_id")
}

/// The audit outcome of a refused e-mail code (never the code).
fn code_failure(why: &DeviceError) -> &'static str {
    match why {
        DeviceError::CodeExpired => "code_expired",
        DeviceError::CodeUsed => "code_used",
        DeviceError::CodeAttempts => "too_many_attempts",
        _ => "wrong_code",
    }
}

/// Locks the user's row (PostgreSQL; SQLite's writer lock is already held): changes to one
/// user's devices and requests take turns from here. Fails for a deprovisioned or unknown user.
async fn lock_user(tx: &mut Tx, user_id: &str) -> Result<(), DbError> {
    let locked = sqlx::query("UPDATE users SET status = status WHERE id = $1 AND status <> 'deprovisioned'")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    if locked.rows_affected() == 0 {
        return Err(DbError::NotFound("an active user with that id"));
    }
    Ok(())
}

/// Gives up the user's pending devices past their lifetime (and their open requests).
async fn give_up_stale(tx: &mut Tx, user_id: &str, now: i64) -> Result<(), DbError> {
    let stale = sqlx::query(
        "SELECT id FROM devices WHERE user_id = $1 AND status = 'pending' AND \
         ((email_verified_at IS NULL AND created_at < $2) OR created_at < $3)",
    )
    .bind(user_id)
    .bind(now - UNVERIFIED_LIFETIME_SECS)
    .bind(now - PENDING_LIFETIME_SECS)
    .fetch_all(&mut **tx)
    .await?;
    for row in &stale {
        give_up_device(tx, &col::<String>(row, "id")?).await?;
    }
    Ok(())
}

/// A pending device given up: denied, its open requests expired.
async fn give_up_device(tx: &mut Tx, device_id: &str) -> Result<(), DbError> {
    sqlx::query("UPDATE devices SET status = 'denied' WHERE id = $1 AND status = 'pending'")
        .bind(device_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE approval_requests SET status = 'expired' WHERE device_id = $1 AND status = 'pending'")
        .bind(device_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Of `(id, client address)` pairs oldest first, the oldest id of the address that holds the
/// most, counting the newcomer's address as holding one more (so a tie goes against it).
pub(crate) fn oldest_of_busiest(items: &[(String, String)], newcomer: &str) -> Option<String> {
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (_, addr) in items {
        *counts.entry(addr.as_str()).or_default() += 1;
    }
    *counts.entry(newcomer).or_default() += 1;
    let most = counts.values().copied().max()?;
    items
        .iter()
        .find(|(_, addr)| counts.get(addr.as_str()) == Some(&most))
        .or_else(|| items.first())
        .map(|(id, _)| id.clone())
}

/// Whether `device_id` may become a trusted device of the user now: fewer than
/// [`MAX_ACTIVE_DEVICES`] trusted ones, and its name clashes with none of theirs. Call with the
/// user's row locked.
async fn may_trust(tx: &mut Tx, user_id: &str, device_id: &str) -> Result<(), DbError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM devices WHERE user_id = $1 AND status = 'approved' AND id <> $2")
        .bind(user_id)
        .bind(device_id)
        .fetch_one(&mut **tx)
        .await?;
    if col::<i64>(&row, "n")? >= MAX_ACTIVE_DEVICES {
        return Err(DbError::LimitReached(format!(
            "you already have {MAX_ACTIVE_DEVICES} trusted devices, the most allowed: disable one you no longer \
             use (My trusted devices → Disable) and try again"
        )));
    }
    let row = sqlx::query("SELECT name FROM devices WHERE id = $1")
        .bind(device_id)
        .fetch_one(&mut **tx)
        .await?;
    check_name_free(tx, user_id, device_id, &col::<String>(&row, "name")?).await
}

/// Refuses `name` for `device_id` when it clashes (case, look-alikes) with another trusted device
/// of the user.
async fn check_name_free(tx: &mut Tx, user_id: &str, device_id: &str, name: &str) -> Result<(), DbError> {
    let rows = sqlx::query("SELECT name FROM devices WHERE user_id = $1 AND status = 'approved' AND id <> $2")
        .bind(user_id)
        .bind(device_id)
        .fetch_all(&mut **tx)
        .await?;
    let names = rows
        .iter()
        .map(|r| col::<String>(r, "name"))
        .collect::<Result<Vec<_>, _>>()?;
    match device::check_name_unique(name, names.iter().map(String::as_str)) {
        Ok(()) => Ok(()),
        Err(DeviceError::NameTaken(clash)) => Err(name_taken(&clash)),
        Err(other) => Err(DbError::Invalid(other.to_string())),
    }
}

async fn approve_verified(
    tx: &mut Tx,
    device_id: &str,
    user_id: &str,
    user_key_envelope: &[u8],
) -> Result<(), DbError> {
    let done = sqlx::query(
        "UPDATE devices SET status = 'approved', user_key_envelope = $3 \
         WHERE id = $1 AND user_id = $2 AND status = 'pending' AND email_verified_at IS NOT NULL",
    )
    .bind(device_id)
    .bind(user_id)
    .bind(user_key_envelope.to_vec())
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(DbError::Conflict(
            "this device is not pending with a verified e-mail address: verify the e-mailed code first".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn token_hash_is_sha256() {
        assert_eq!(
            crate::db::hex(&super::token_hash("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
