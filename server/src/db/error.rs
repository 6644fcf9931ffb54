use thiserror::Error;

/// Why a storage call failed. Each message is a sentence a person (or the HTTP layer) can act on.
#[derive(Debug, Error)]
pub enum DbError {
    #[error("{0} was not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error(
        "this was changed elsewhere: it is at version {current}, the change was based on version {expected}; \
         reload it and make the change again"
    )]
    StaleVersion { expected: i64, current: i64 },
    #[error("{0}")]
    LimitReached(String),
    /// A rule about who may do this (a workspace policy) refused it.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Invalid(String),
    #[error("the database cannot be reached: {0}")]
    Unavailable(String),
    #[error("the database could not be brought up to date: migration {version} ({name}) failed: {reason}")]
    Migration {
        version: i64,
        name: &'static str,
        reason: String,
    },
    #[error("the database failed: {0}")]
    Query(String),
}

impl DbError {
    /// Maps a driver error: connection trouble is `Unavailable`, the rest `Query`. Constraint
    /// violations that a caller expects are turned into `Conflict` where they happen.
    pub(crate) fn from_sqlx(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Protocol(_)
            | sqlx::Error::Configuration(_) => DbError::Unavailable(err.to_string()),
            // The database's own guard (migration 0004's triggers), should a change get past the code.
            sqlx::Error::Database(db) if db.message().contains(OWNER_RULE) => {
                DbError::Conflict(format!("{OWNER_RULE}: make someone else an owner first"))
            }
            other => DbError::Query(other.to_string()),
        }
    }
}

/// The message of the database's triggers that keep an owner on every account with members.
pub const OWNER_RULE: &str = "an account with members must keep an owner";

impl From<sqlx::Error> for DbError {
    fn from(err: sqlx::Error) -> Self {
        DbError::from_sqlx(err)
    }
}

/// True when `err` is a unique-constraint violation (on either database).
pub(crate) fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}
