//! Trusted devices: registration (at most [`MAX_ACTIVE_DEVICES`] per user, names unique by
//! `latchkey_core::device::name_key`), status, tokens (stored as SHA-256), e-mail codes (checked
//! with the core's `PendingEmailCode`) and approval requests.

use latchkey_core::device::{self, DeviceError, PendingEmailCode};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;

use super::error::is_unique_violation;
use super::users::normalize_email;
use super::{col, new_id, Db, DbError};

/// Devices that count against the limit: pending or approved.
pub const MAX_ACTIVE_DEVICES: i64 = 20;
/// An approval request expires after 15 minutes.
pub const APPROVAL_LIFETIME_SECS: i64 = 15 * 60;
/// A device still pending an hour after registering is given up (denied), so abandoned or
/// hostile registrations cannot hold the user's device slots or names.
pub const PENDING_LIFETIME_SECS: i64 = 60 * 60;

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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalRequest {
    pub id: String,
    pub device_id: String,
    pub user_id: String,
    pub status: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// The result of checking an e-mail code: the core's verdict, already stored.
pub type EmailCodeCheck = Result<(), DeviceError>;

const DEVICE_COLUMNS: &str =
    "id, user_id, name, public_keys, status, user_key_envelope, approval_grant, email_verified_at, created_at, last_seen_at";

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
    })
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn name_taken(name: &str) -> DbError {
    DbError::Conflict(format!(
        "you already have a device named {name:?}: choose another name, or rename or disable that device"
    ))
}

impl Db {
    /// Registers a device for an active (or invited) user, as `pending`. Refused when the user
    /// already has [`MAX_ACTIVE_DEVICES`] pending or approved devices, or one with the same name.
    pub async fn register_device(
        &self,
        user_id: &str,
        name: &str,
        public_keys: &[u8],
        now: i64,
    ) -> Result<Device, DbError> {
        let name = device::validate_device_name(name).map_err(|e| DbError::Invalid(e.to_string()))?;
        let key = device::name_key(&name);
        let mut tx = self.begin_write().await?;
        // Lock the user's row: concurrent registrations for one user take turns from here.
        let locked = sqlx::query("UPDATE users SET status = status WHERE id = $1 AND status <> 'deprovisioned'")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if locked.rows_affected() == 0 {
            return Err(DbError::NotFound("an active user with that id"));
        }
        sqlx::query(
            "UPDATE devices SET status = 'denied' WHERE user_id = $1 AND status = 'pending' AND created_at < $2",
        )
        .bind(user_id)
        .bind(now - PENDING_LIFETIME_SECS)
        .execute(&mut *tx)
        .await?;
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM devices WHERE user_id = $1 AND status IN ('pending', 'approved')")
                .bind(user_id)
                .fetch_one(&mut *tx)
                .await?;
        let active: i64 = col(&row, "n")?;
        if active >= MAX_ACTIVE_DEVICES {
            return Err(DbError::LimitReached(format!(
                "you already have {MAX_ACTIVE_DEVICES} active devices, the most allowed: disable one you no longer \
                 use (Devices → Disable) and try again"
            )));
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
        };
        sqlx::query(
            "INSERT INTO devices (id, user_id, name, name_key, public_keys, status, created_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $5, 'pending', $6, $6)",
        )
        .bind(&device.id)
        .bind(user_id)
        .bind(&device.name)
        .bind(&key)
        .bind(public_keys.to_vec())
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                name_taken(&device.name)
            } else {
                e.into()
            }
        })?;
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

    /// Renames a device; the new name must be unique among the user's active devices.
    pub async fn rename_device(&self, id: &str, name: &str) -> Result<Device, DbError> {
        let name = device::validate_device_name(name).map_err(|e| DbError::Invalid(e.to_string()))?;
        let done = sqlx::query("UPDATE devices SET name = $2, name_key = $3 WHERE id = $1")
            .bind(id)
            .bind(&name)
            .bind(device::name_key(&name))
            .execute(self.pool())
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    name_taken(&name)
                } else {
                    e.into()
                }
            })?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound("the device"));
        }
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
        tx.commit().await?;
        Ok(())
    }

    /// Marks a pending device approved with the user key wrapped to it (the first device, after
    /// the e-mail code, or a later one unlocked with the Recovery Kit).
    pub async fn approve_device_self(&self, id: &str, user_key_envelope: &[u8]) -> Result<(), DbError> {
        let done = sqlx::query(
            "UPDATE devices SET status = 'approved', user_key_envelope = $2 WHERE id = $1 AND status = 'pending'",
        )
        .bind(id)
        .bind(user_key_envelope.to_vec())
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound("a pending device with that id"));
        }
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
        let done = sqlx::query("UPDATE devices SET email_verified_at = $2 WHERE id = $1 AND status = 'pending'")
            .bind(device_id)
            .bind(now)
            .execute(self.pool())
            .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound("a pending device with that id"));
        }
        Ok(())
    }

    /// Stores a code sent to `email` (its hash, expiry, attempts and use, as the core keeps them).
    pub async fn put_email_code(
        &self,
        email: &str,
        user_id: Option<&str>,
        code: &PendingEmailCode,
        now: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO email_codes (id, email, user_id, code_hash, created_at, expires_at, attempts, used) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_id())
        .bind(normalize_email(email))
        .bind(user_id)
        .bind(code.hash.to_vec())
        .bind(now)
        .bind(i64::try_from(code.expires_at).unwrap_or(i64::MAX))
        .bind(i64::from(code.attempts))
        .bind(i64::from(code.used))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// How many codes were sent to `email` since `since` (for rate limiting).
    pub async fn email_codes_sent_since(&self, email: &str, since: i64) -> Result<i64, DbError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM email_codes WHERE email = $1 AND created_at >= $2")
            .bind(normalize_email(email))
            .bind(since)
            .fetch_one(self.pool())
            .await?;
        col(&row, "n")
    }

    /// How many codes were sent for `user_id` since `since` (rate limiting per user, whatever
    /// the address).
    pub async fn email_codes_sent_to_user_since(&self, user_id: &str, since: i64) -> Result<i64, DbError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM email_codes WHERE user_id = $1 AND created_at >= $2")
            .bind(user_id)
            .bind(since)
            .fetch_one(self.pool())
            .await?;
        col(&row, "n")
    }

    /// Checks a submitted code against the newest code sent to `email`, with the core's rules
    /// (expiry, 5 attempts, single use), and stores the counted attempt, atomically: two
    /// concurrent submissions cannot both use one code or both take the last attempt.
    pub async fn check_email_code(
        &self,
        server_secret: &[u8],
        email: &str,
        submitted: &str,
        now: i64,
    ) -> Result<EmailCodeCheck, DbError> {
        let email = normalize_email(email);
        let mut tx = self.begin_write().await?;
        // Lock (PostgreSQL) the newest code's row before reading it; SQLite already holds the lock.
        let newest = sqlx::query("SELECT id FROM email_codes WHERE email = $1 ORDER BY created_at DESC, id LIMIT 1")
            .bind(&email)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(DbError::NotFound("a code sent to that address"))?;
        let id: String = col(&newest, "id")?;
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
        tx.commit().await?;
        Ok(verdict)
    }

    /// Opens an approval request for a pending device; it expires after 15 minutes.
    pub async fn request_approval(&self, device_id: &str, now: i64) -> Result<ApprovalRequest, DbError> {
        let device = self.device(device_id).await?;
        if device.status != DeviceStatus::Pending {
            return Err(DbError::Conflict(
                "only a device pending approval can ask for it".into(),
            ));
        }
        let request = ApprovalRequest {
            id: new_id(),
            device_id: device.id,
            user_id: device.user_id,
            status: "pending".into(),
            created_at: now,
            expires_at: now + APPROVAL_LIFETIME_SECS,
        };
        sqlx::query(
            "INSERT INTO approval_requests (id, device_id, user_id, status, created_at, expires_at) \
             VALUES ($1, $2, $3, 'pending', $4, $5)",
        )
        .bind(&request.id)
        .bind(&request.device_id)
        .bind(&request.user_id)
        .bind(now)
        .bind(request.expires_at)
        .execute(self.pool())
        .await?;
        Ok(request)
    }

    /// The user's open (pending, unexpired) approval requests, for their trusted devices to show.
    pub async fn pending_approvals(&self, user_id: &str, now: i64) -> Result<Vec<ApprovalRequest>, DbError> {
        let rows = sqlx::query(
            "SELECT id, device_id, user_id, status, created_at, expires_at FROM approval_requests \
             WHERE user_id = $1 AND status = 'pending' AND expires_at > $2 ORDER BY created_at",
        )
        .bind(user_id)
        .bind(now)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ApprovalRequest {
                    id: col(row, "id")?,
                    device_id: col(row, "device_id")?,
                    user_id: col(row, "user_id")?,
                    status: col(row, "status")?,
                    created_at: col(row, "created_at")?,
                    expires_at: col(row, "expires_at")?,
                })
            })
            .collect()
    }

    /// Approves (with the user key wrapped to the new device and the signed grant) or denies a
    /// request, by an approved device of the same user, before it expires; once.
    pub async fn decide_approval(
        &self,
        request_id: &str,
        approver_device_id: &str,
        approval: Option<(&[u8], &[u8])>,
        now: i64,
    ) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        let decided = if approval.is_some() { "approved" } else { "denied" };
        // One statement checks everything and claims the request: pending, unexpired, and the
        // approver an approved device of the same user (and not the requesting device itself).
        let done = sqlx::query(
            "UPDATE approval_requests SET status = $3, decided_by = $2, decided_at = $4 \
             WHERE id = $1 AND status = 'pending' AND expires_at > $4 AND device_id <> $2 \
             AND user_id = (SELECT user_id FROM devices WHERE id = $2 AND status = 'approved')",
        )
        .bind(request_id)
        .bind(approver_device_id)
        .bind(decided)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound(
                "an open approval request that this device may decide (it may have expired, been decided, \
                 or belong to another user)",
            ));
        }
        let request = sqlx::query("SELECT device_id FROM approval_requests WHERE id = $1")
            .bind(request_id)
            .fetch_one(&mut *tx)
            .await?;
        let device_id: String = col(&request, "device_id")?;
        let (status, envelope, grant) = match approval {
            Some((envelope, grant)) => ("approved", Some(envelope.to_vec()), Some(grant.to_vec())),
            None => ("denied", None, None),
        };
        sqlx::query(
            "UPDATE devices SET status = $2, user_key_envelope = $3, approval_grant = $4 \
             WHERE id = $1 AND status = 'pending'",
        )
        .bind(&device_id)
        .bind(status)
        .bind(envelope)
        .bind(grant)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Device {
    /// A device still pending [`PENDING_LIFETIME_SECS`] after registering is given up: it gets
    /// `device_denied`, whether or not a later registration already marked it so.
    pub fn pending_too_long(&self, now: i64) -> bool {
        self.status == DeviceStatus::Pending && self.created_at < now - PENDING_LIFETIME_SECS
    }
}

/// The trust flow's queries (issue 4): approving a first or recovered device, reading requests.
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
    ) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        approve_verified(&mut tx, device_id, user_id, user_key_envelope).await?;
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

    /// Codes sent since `since` to `email` (or, with `by_user`, for that user id whatever the
    /// address): how many, and when the oldest of them was sent (for Retry-After).
    pub async fn email_code_sends(&self, key: &str, by_user: bool, since: i64) -> Result<(i64, i64), DbError> {
        let (column, key) = if by_user {
            ("user_id", key.to_string())
        } else {
            ("email", normalize_email(key))
        };
        let row = sqlx::query(&format!(
            "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM email_codes WHERE {column} = $1 AND created_at >= $2"
        ))
        .bind(key)
        .bind(since)
        .fetch_one(self.pool())
        .await?;
        Ok((col(&row, "n")?, col::<Option<i64>>(&row, "oldest")?.unwrap_or(since)))
    }
}

const REQUEST_COLUMNS: &str = "id, device_id, user_id, status, created_at, expires_at";

fn request_from(row: &AnyRow) -> Result<ApprovalRequest, DbError> {
    Ok(ApprovalRequest {
        id: col(row, "id")?,
        device_id: col(row, "device_id")?,
        user_id: col(row, "user_id")?,
        status: col(row, "status")?,
        created_at: col(row, "created_at")?,
        expires_at: col(row, "expires_at")?,
    })
}

async fn approve_verified(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
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
