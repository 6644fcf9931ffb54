//! Who is calling: a device token (`Authorization: Bearer …`, stored hashed) names a device and its
//! user. [`Session`] admits any device still in the trust flow; [`Trusted`] only an approved device
//! of an active user. A disabled device and a deprovisioned user get distinct 401 codes so the
//! extension wipes its local data and says why.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use super::error::{ApiError, ErrorCode};
use crate::db::{Actor, Db, Device, DeviceStatus, Ghost, User, UserStatus, UNVERIFIED_LIFETIME_SECS};
use crate::serve::client::Client;
use crate::serve::state::{now_unix, AppState};

/// A device with a valid token, trusted or not (pending devices reach only the trust flow).
#[derive(Debug, Clone)]
pub struct Session {
    pub device: Device,
    pub user: User,
    /// The client's address as the server saw it (for the audit log).
    pub client_addr: String,
}

impl Session {
    /// Who this caller is in the audit log.
    pub fn actor(&self) -> Actor {
        Actor::device(&self.user.id, &self.device.id, &self.client_addr)
    }

    /// The database, with every change made through it recorded as done by this caller.
    pub fn db(&self, state: &AppState) -> Db {
        state.db.acting(self.actor())
    }
}

/// An approved device of an active user: the only kind that may read the vault or the inbox.
#[derive(Debug, Clone)]
pub struct Trusted(pub Session);

impl std::ops::Deref for Trusted {
    type Target = Session;
    fn deref(&self) -> &Session {
        &self.0
    }
}

pub fn unauthenticated(message: &str) -> ApiError {
    ApiError::new(ErrorCode::Unauthenticated, message)
}

fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let value = parts
        .headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| unauthenticated("this request needs the device's token (Authorization: Bearer …)"))?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 256)
        .ok_or_else(|| unauthenticated("the Authorization header must be `Bearer ` and the device's token"))?;
    Ok(token)
}

/// Whoever holds a token from registration: a real device, or a ghost (a registration for an
/// address that is not a user here, which the trust flow answers exactly like an unverified
/// pending device; see `crate::db::Ghost`). Only the trust flow's routes take a `Caller`.
#[derive(Debug, Clone)]
pub enum Caller {
    Device(Session),
    Ghost(Ghost),
}

fn deprovisioned() -> ApiError {
    ApiError::new(
        ErrorCode::UserDeprovisioned,
        "your access to this workspace was removed by an administrator: this device forgets its Latchkey data",
    )
}

fn disabled() -> ApiError {
    ApiError::new(
        ErrorCode::DeviceDisabled,
        "this device was disabled (from My trusted devices): it forgets its Latchkey data; set it up again to use it",
    )
}

fn untrusted() -> ApiError {
    ApiError::new(
        ErrorCode::UntrustedDevice,
        "this session is not secure yet: verify this device (e-mailed code or approval from a trusted device) first",
    )
}

fn given_up() -> ApiError {
    ApiError::new(
        ErrorCode::DeviceDenied,
        "this device was not trusted in time (it waited too long without the e-mailed code or an approval): \
         start again to trust it",
    )
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts)?;
        let now = now_unix();
        let Some(owner) = state.db.token_owner(token, now).await? else {
            return match state.db.ghost_for_token(token).await? {
                Some(ghost) if ghost.created_at < now - UNVERIFIED_LIFETIME_SECS => Err(given_up()),
                Some(ghost) => Ok(Caller::Ghost(ghost)),
                None => Err(unauthenticated(
                    "this device token is not known to the server: set the device up again",
                )),
            };
        };
        let user = state.db.user(&owner.device.user_id).await?;
        if user.status == UserStatus::Deprovisioned {
            return Err(deprovisioned());
        }
        match owner.device.status {
            DeviceStatus::Disabled => Err(disabled()),
            DeviceStatus::Denied => Err(ApiError::new(
                ErrorCode::DeviceDenied,
                "this device was not approved (denied, or it waited more than an hour): start again to trust it",
            )),
            _ if owner.token_revoked => Err(ApiError::new(
                ErrorCode::DeviceDisabled,
                "this device's sign-in was revoked: it forgets its Latchkey data; set it up again to use it",
            )),
            DeviceStatus::Pending | DeviceStatus::Approved => Ok(Caller::Device(Session {
                device: owner.device,
                user,
                client_addr: Client::from_request_parts(parts, state).await?.addr,
            })),
        }
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match Caller::from_request_parts(parts, state).await? {
            Caller::Device(session) => Ok(session),
            Caller::Ghost(_) => Err(untrusted()),
        }
    }
}

impl Trusted {
    /// The device and its user as they are now: a wait outlives the check made when it began, so a
    /// disabled device or a deprovisioned user gets, once woken, the answer a new request would.
    pub async fn still(&self, state: &AppState) -> Result<(), ApiError> {
        let device = state.db.device(&self.device.id).await?;
        let user = state.db.user(&self.user.id).await?;
        if user.status == UserStatus::Deprovisioned {
            return Err(deprovisioned());
        }
        if device.status != DeviceStatus::Approved || user.status != UserStatus::Active {
            return Err(disabled());
        }
        Ok(())
    }
}

impl FromRequestParts<AppState> for Trusted {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let session = Session::from_request_parts(parts, state).await?;
        if session.device.status != DeviceStatus::Approved || session.user.status != UserStatus::Active {
            return Err(untrusted());
        }
        Ok(Trusted(session))
    }
}
