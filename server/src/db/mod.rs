//! Storage for the workspace server: one API over SQLite (the default, a file in the data
//! directory) and PostgreSQL (`--database-url postgres://…`, for several instances sharing one
//! database).
//!
//! Built on `sqlx`'s `Any` driver with runtime-checked queries: one query text serves both
//! databases (`$1` placeholders work on both), with no compile-time database or offline data.
//! Schema differences are confined to [`migrate`]. Invariants that need atomicity (the device
//! limit, unique names, stale vault writes, deprovisioning, SMS stored once, number quotas and
//! quarantine) are enforced here, inside transactions, so every caller gets them; that an account
//! with members keeps an owner is also enforced by the database itself (triggers).
//!
//! Write transactions start with [`Db::begin_write`]: `BEGIN IMMEDIATE` on SQLite (take the write
//! lock first, waiting up to the busy timeout, so a read-then-write never fails half way); on
//! PostgreSQL they lock the row they depend on (`UPDATE … WHERE id = $1` as first statement).
//! Times are unix seconds passed in by the caller, as in the core.

mod accounts;
mod addresses;
mod audit;
mod automations;
mod catalog;
mod console;
mod devices;
mod error;
mod ghosts;
mod migrate;
mod numbers;
mod ratelimit;
mod scim;
mod settings;
mod sms;
mod users;
mod vault;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Executor, Transaction};

pub use accounts::{Account, AccountRole, Member, NewAccount, Rotation};
pub use addresses::{AddressUsage, MailAddress, DEFAULT_ADDRESS_QUOTA, MAX_ADDRESS_QUOTA};
pub use audit::{
    detail as audit_detail, Action, Actor, AuditEvent, AuditQuery, NewEvent, Verdict, GENESIS, MAX_PAGE,
    SCIM_TOKEN_ACTOR,
};
pub use automations::{task_known, Job, JobQuery, JobStatus, JobStep, Reason, StepKind, StepOutcome, StepReport};
pub use catalog::{App, DEFAULT_APPS};
pub use console::DeviceActivity;
pub use devices::{
    ApprovalRequest, Decision, Device, DeviceStatus, EmailCodeCheck, RequestOrigin, TokenOwner, APPROVAL_LIFETIME_SECS,
    MAX_ACTIVE_DEVICES, MAX_OPEN_REQUESTS_PER_USER, MAX_UNVERIFIED_PER_USER, PENDING_LIFETIME_SECS, TRUST_CHANNEL,
    UNVERIFIED_LIFETIME_SECS,
};
pub use error::DbError;
pub use ghosts::{Ghost, GHOST_KEPT_SECS};
pub use migrate::MIGRATIONS;
pub use numbers::{
    NumberPolicy, NumberUsage, ObtainNumber, Obtained, PhoneNumber, DEFAULT_NUMBER_QUOTA, MAX_NUMBER_QUOTA,
    QUARANTINE_SECS, RESERVATION_SECS,
};
pub use ratelimit::{Limit, Limited, RateCheck, LONGEST_WINDOW_SECS};
pub use scim::{ScimMatch, ScimProfile, ScimToken, ScimUser, MAX_SCIM_TOKEN_NAME, SCIM_TOKEN_PREFIX};
pub use sms::{MessageKind, NewEmail, NewSms, SmsMessage, MAILGUN_PROVIDER, SMS_CHANNEL, SMTP_PROVIDER};
pub use users::{
    Deprovisioned, Handover, HandoverReason, Invitation, NewInvitation, OrphanedAccount, OwnerChoice, OwnershipPlan,
    User, UserKeys, UserStatus, Workspace,
};
pub use vault::{ItemWrite, VaultItem};

/// The SQLite file's name inside the data directory.
pub const SQLITE_FILE: &str = "latchkey.db";
/// How long a statement waits for another writer (SQLite) or for a pooled connection.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A SQLite file (created if missing).
    Sqlite(PathBuf),
    /// A `postgres://` or `postgresql://` URL.
    Postgres(String),
}

impl Target {
    /// The default: `latchkey.db` inside `data_dir`.
    pub fn in_data_dir(data_dir: &Path) -> Self {
        Target::Sqlite(data_dir.join(SQLITE_FILE))
    }

    /// Where it is, for the log: the file, or the PostgreSQL URL without its password.
    pub fn describe(&self) -> String {
        match self {
            Target::Sqlite(path) => format!("SQLite {}", path.display()),
            Target::Postgres(url) => format!("PostgreSQL {}", hide_password(url)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A handle on the database: cheap to clone (a connection pool).
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// PostgreSQL only: the URL, for connections outside the pool (LISTEN for the inbox relay).
    postgres_url: Option<std::sync::Arc<str>>,
    /// Who the changes made through this handle are recorded as (the audit log): the server
    /// itself unless [`Db::acting`] named a person.
    actor: std::sync::Arc<Actor>,
}

impl Db {
    /// Connects and runs the migrations. `Unavailable` if it cannot connect, `Migration` if the
    /// schema cannot be brought up to date.
    pub async fn open(target: &Target, now_unix: i64) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let db = match target {
            Target::Sqlite(path) => Self::open_sqlite(path).await?,
            Target::Postgres(url) => Self::open_postgres(url).await?,
        };
        db.migrate(now_unix).await?;
        Ok(db)
    }

    async fn open_sqlite(path: &Path) -> Result<Db, DbError> {
        let path = path
            .to_str()
            .ok_or_else(|| DbError::Unavailable(format!("the path {} is not valid UTF-8", path.display())))?;
        let url = format!("sqlite://{}?mode=rwc", percent_encode_path(path));
        let busy_ms = BUSY_TIMEOUT.as_millis();
        let pool = AnyPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(BUSY_TIMEOUT * 2)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    // WAL: readers never block the writer; NORMAL sync is durable across a crash
                    // of the process (not of the machine) and much faster than FULL.
                    for pragma in [
                        "PRAGMA journal_mode = WAL".to_string(),
                        "PRAGMA synchronous = NORMAL".to_string(),
                        "PRAGMA foreign_keys = ON".to_string(),
                        format!("PRAGMA busy_timeout = {busy_ms}"),
                    ] {
                        conn.execute(pragma.as_str()).await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| DbError::Unavailable(format!("cannot open {path}: {e}")))?;
        Ok(Db {
            pool,
            backend: Backend::Sqlite,
            postgres_url: None,
            actor: std::sync::Arc::new(Actor::system()),
        })
    }

    async fn open_postgres(url: &str) -> Result<Db, DbError> {
        let options = sqlx::postgres::PgConnectOptions::from_str(url)
            .map_err(|e| DbError::Unavailable(format!("the database URL is not valid: {e}")))?;
        // One direct attempt first: the pool would retry a refused connection until its timeout,
        // and a server pointed at the wrong place should say so at once.
        use sqlx::Connection;
        let probe = tokio::time::timeout(BUSY_TIMEOUT * 2, sqlx::PgConnection::connect_with(&options))
            .await
            .map_err(|_| DbError::Unavailable(format!("no answer within {}s", (BUSY_TIMEOUT * 2).as_secs())))?
            .map_err(|e| DbError::Unavailable(e.to_string()))?;
        let _ = probe.close().await;
        let pool = AnyPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(BUSY_TIMEOUT * 2)
            .connect(url)
            .await
            .map_err(|e| DbError::Unavailable(e.to_string()))?;
        Ok(Db {
            pool,
            backend: Backend::Postgres,
            postgres_url: Some(url.into()),
            actor: std::sync::Arc::new(Actor::system()),
        })
    }

    /// The same database, with every change made through the returned handle recorded in the
    /// audit log as done by `actor` (handlers call this with the caller's user, device and address).
    pub fn acting(&self, actor: Actor) -> Db {
        Db {
            actor: std::sync::Arc::new(actor),
            ..self.clone()
        }
    }

    /// Who changes made through this handle are recorded as.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The PostgreSQL URL (None on SQLite), for a dedicated LISTEN connection.
    pub fn postgres_url(&self) -> Option<&str> {
        self.postgres_url.as_deref()
    }

    /// A round trip to the database, for `/healthz`.
    pub async fn health(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1 AS ok").fetch_one(&self.pool).await?;
        Ok(())
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Starts a transaction that will write: see the module docs.
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Any>, DbError> {
        let statement = match self.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        Ok(self.pool.begin_with(statement).await?)
    }

    /// The pool, for tests and maintenance queries; the application goes through the methods.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

/// A new random id: 16 bytes as 32 lower-case hex digits (unguessable, so ids in URLs leak nothing).
pub(crate) fn new_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
    hex(&bytes)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `postgres://user:secret@host/db` → `postgres://user:…@host/db`.
fn hide_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "(URL not shown)".to_string();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) if userinfo.contains(':') => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:…@{host}")
        }
        _ => url.to_string(),
    }
}

/// Percent-encodes what would end or change a SQLite URL's path (`?`, `#`, `%`, spaces).
fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '%' | '?' | '#' | ' ' => out.push_str(&format!("%{:02X}", c as u32)),
            _ => out.push(c),
        }
    }
    out
}

/// Reads a column, turning a decoding error into `DbError::Query`.
pub(crate) fn col<'r, T>(row: &'r AnyRow, name: &str) -> Result<T, DbError>
where
    T: sqlx::Decode<'r, Any> + sqlx::Type<Any>,
{
    use sqlx::Row;
    row.try_get(name).map_err(DbError::from_sqlx)
}

/// 0/1 flags, stored as BIGINT on both databases.
pub(crate) fn flag(value: bool) -> i64 {
    i64::from(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_not_shown() {
        let target = Target::Postgres("postgres://latchkey:s3cret@db.internal:5432/latchkey".into());
        assert_eq!(
            target.describe(),
            "PostgreSQL postgres://latchkey:…@db.internal:5432/latchkey"
        );
        let target = Target::Postgres("postgres://latchkey@db/latchkey".into());
        assert_eq!(target.describe(), "PostgreSQL postgres://latchkey@db/latchkey");
    }

    #[test]
    fn odd_paths_stay_paths() {
        assert_eq!(percent_encode_path("/tmp/a b?c#d%e"), "/tmp/a%20b%3Fc%23d%25e");
        assert_eq!(new_id().len(), 32);
        assert_ne!(new_id(), new_id());
    }
}
