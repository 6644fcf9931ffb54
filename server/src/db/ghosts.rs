//! Registrations for an address that is not a user here (or whose invitation expired, or who was
//! deprovisioned). They are answered exactly as a real registration is, with a token that reaches
//! the same trust-flow routes and gets the same answers as an unverified pending device: a code
//! "sent" (nothing is e-mailed) that never verifies, an approval request that nobody can approve
//! and that expires. So a caller cannot learn from the answers whether an address is a user.

use latchkey_core::device::{DeviceError, EMAIL_CODE_LIFETIME_SECS, EMAIL_CODE_MAX_ATTEMPTS};
use sqlx::any::AnyRow;

use super::devices::{token_hash, APPROVAL_LIFETIME_SECS};
use super::{col, new_id, Db, DbError};
use crate::domain::Email;

/// Ghosts are kept a day (their tokens then answer `unauthenticated`, as a purged device's would).
pub const GHOST_KEPT_SECS: i64 = 24 * 60 * 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ghost {
    pub id: String,
    pub email: String,
    pub name: String,
    pub client_addr: String,
    pub created_at: i64,
    pub code_expires_at: Option<i64>,
    pub code_attempts: i64,
    pub request_id: Option<String>,
    pub request_number: Option<i64>,
    pub request_created_at: Option<i64>,
    pub request_expires_at: Option<i64>,
}

const COLUMNS: &str = "id, email, name, client_addr, created_at, code_expires_at, code_attempts, request_id, \
     request_number, request_created_at, request_expires_at";

fn ghost_from(row: &AnyRow) -> Result<Ghost, DbError> {
    Ok(Ghost {
        id: col(row, "id")?,
        email: col(row, "email")?,
        name: col(row, "name")?,
        client_addr: col(row, "client_addr")?,
        created_at: col(row, "created_at")?,
        code_expires_at: col(row, "code_expires_at")?,
        code_attempts: col(row, "code_attempts")?,
        request_id: col(row, "request_id")?,
        request_number: col(row, "request_number")?,
        request_created_at: col(row, "request_created_at")?,
        request_expires_at: col(row, "request_expires_at")?,
    })
}

impl Db {
    /// A ghost registration and its token (returned once; only its hash is kept).
    pub async fn register_ghost(
        &self,
        email: &str,
        name: &str,
        client_addr: &str,
        now: i64,
    ) -> Result<(Ghost, String), DbError> {
        let token = format!("{}{}", new_id(), new_id());
        let ghost = Ghost {
            id: new_id(),
            email: Email::normalize(email),
            name: name.to_string(),
            client_addr: client_addr.to_string(),
            created_at: now,
            code_expires_at: None,
            code_attempts: 0,
            request_id: None,
            request_number: None,
            request_created_at: None,
            request_expires_at: None,
        };
        sqlx::query(
            "INSERT INTO ghost_devices (id, token_hash, email, name, client_addr, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&ghost.id)
        .bind(token_hash(&token))
        .bind(&ghost.email)
        .bind(&ghost.name)
        .bind(&ghost.client_addr)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok((ghost, token))
    }

    pub async fn ghost_for_token(&self, token: &str) -> Result<Option<Ghost>, DbError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM ghost_devices WHERE token_hash = $1"))
            .bind(token_hash(token))
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(ghost_from).transpose()
    }

    /// A code "sent" to a ghost: as for a device, a new code with its own attempts.
    pub async fn ghost_code_sent(&self, id: &str, now: i64) -> Result<(), DbError> {
        sqlx::query("UPDATE ghost_devices SET code_expires_at = $2, code_attempts = 0 WHERE id = $1")
            .bind(id)
            .bind(now + EMAIL_CODE_LIFETIME_SECS as i64)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// A code typed on a ghost: counted, and refused as a wrong code is (none can be right).
    pub async fn ghost_code_attempt(&self, id: &str, now: i64) -> Result<Result<(), DeviceError>, DbError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT code_expires_at, code_attempts FROM ghost_devices WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let expires: Option<i64> = col(&row, "code_expires_at")?;
        let attempts: i64 = col(&row, "code_attempts")?;
        let Some(expires) = expires else {
            return Err(DbError::NotFound("a code sent for this device"));
        };
        let max = i64::from(EMAIL_CODE_MAX_ATTEMPTS);
        let verdict = if now >= expires {
            Err(DeviceError::CodeExpired)
        } else if attempts >= max {
            Err(DeviceError::CodeAttempts)
        } else {
            sqlx::query("UPDATE ghost_devices SET code_attempts = code_attempts + 1 WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if attempts + 1 >= max {
                Err(DeviceError::CodeAttempts)
            } else {
                Err(DeviceError::CodeWrong {
                    attempts_left: u32::try_from(max - attempts - 1).unwrap_or(0),
                })
            }
        };
        tx.commit().await?;
        Ok(verdict)
    }

    /// An approval request of a ghost: it replaces the ghost's earlier one and simply expires.
    pub async fn ghost_request(&self, id: &str, number: u16, now: i64) -> Result<Ghost, DbError> {
        sqlx::query(
            "UPDATE ghost_devices SET request_id = $2, request_number = $3, request_created_at = $4, \
             request_expires_at = $5 WHERE id = $1",
        )
        .bind(id)
        .bind(new_id())
        .bind(i64::from(number))
        .bind(now)
        .bind(now + APPROVAL_LIFETIME_SECS)
        .execute(self.pool())
        .await?;
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM ghost_devices WHERE id = $1"))
            .bind(id)
            .fetch_one(self.pool())
            .await?;
        ghost_from(&row)
    }

    /// Forgets ghosts older than [`GHOST_KEPT_SECS`].
    pub async fn sweep_ghosts(&self, now: i64) -> Result<u64, DbError> {
        Ok(sqlx::query("DELETE FROM ghost_devices WHERE created_at <= $1")
            .bind(now - GHOST_KEPT_SECS)
            .execute(self.pool())
            .await?
            .rows_affected())
    }
}
