//! Rate limits and quotas kept in the database, so that every instance sharing it counts the same
//! events (two instances on one PostgreSQL do not double a limit). A limit is "at most `max`
//! events per `window_secs` under one key", counted as a sliding log: one row per event.
//!
//! A check locks its keys' rows first (`rate_keys`, in a fixed order so two checks never wait on
//! each other crosswise), counts, and records the event under every key only if every enforced
//! key is within its limit: all or nothing. SQLite's `BEGIN IMMEDIATE` already serialises writers;
//! on PostgreSQL the upsert of the key's row holds its lock until the commit.

use super::{col, Db, DbError};

/// At most `max` events per `window_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: i64,
    pub window_secs: i64,
}

/// One key to count an event under. `enforce: false` records the event without refusing (a
/// count kept for a later decision, such as a per-user cap that spares a client's first try).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateCheck {
    pub key: String,
    pub limit: Limit,
    pub enforce: bool,
}

impl RateCheck {
    pub fn new(key: impl Into<String>, limit: Limit) -> Self {
        RateCheck {
            key: key.into(),
            limit,
            enforce: true,
        }
    }

    pub fn record_only(key: impl Into<String>, limit: Limit) -> Self {
        RateCheck {
            enforce: false,
            ..Self::new(key, limit)
        }
    }
}

/// Refused: the first enforced key over its limit, and the seconds until an event leaves its window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limited {
    pub key: String,
    pub retry_after: i64,
}

/// The longest window any limit uses; older events are swept.
pub const LONGEST_WINDOW_SECS: i64 = 24 * 60 * 60;

impl Db {
    /// Records one event under every key of `checks` if each enforced key has had fewer than its
    /// `max` events in its window; otherwise records nothing and says which key and how long.
    pub async fn rate_limit(&self, checks: &[RateCheck], now: i64) -> Result<Result<(), Limited>, DbError> {
        let mut order: Vec<&RateCheck> = checks.iter().collect();
        order.sort_by(|a, b| a.key.cmp(&b.key));
        order.dedup_by(|a, b| a.key == b.key);
        let mut tx = self.begin_write().await?;
        for check in &order {
            sqlx::query(
                "INSERT INTO rate_keys (key, touched_at) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET touched_at = $2",
            )
            .bind(&check.key)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        for check in checks.iter().filter(|c| c.enforce) {
            let row =
                sqlx::query("SELECT COUNT(*) AS n, MIN(at) AS oldest FROM rate_events WHERE key = $1 AND at > $2")
                    .bind(&check.key)
                    .bind(now - check.limit.window_secs)
                    .fetch_one(&mut *tx)
                    .await?;
            let n: i64 = col(&row, "n")?;
            if n >= check.limit.max {
                let oldest = col::<Option<i64>>(&row, "oldest")?.unwrap_or(now);
                tx.rollback().await?;
                return Ok(Err(Limited {
                    key: check.key.clone(),
                    retry_after: (oldest + check.limit.window_secs - now).max(1),
                }));
            }
        }
        for check in &order {
            sqlx::query("INSERT INTO rate_events (key, at) VALUES ($1, $2)")
                .bind(&check.key)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// How many events `key` had in the last `window_secs` (for decisions made before counting).
    pub async fn rate_count(&self, key: &str, window_secs: i64, now: i64) -> Result<i64, DbError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM rate_events WHERE key = $1 AND at > $2")
            .bind(key)
            .bind(now - window_secs)
            .fetch_one(self.pool())
            .await?;
        col(&row, "n")
    }

    /// Forgets events older than the longest window, and keys untouched since.
    pub async fn sweep_rate_limits(&self, now: i64) -> Result<u64, DbError> {
        let cutoff = now - LONGEST_WINDOW_SECS;
        let events = sqlx::query("DELETE FROM rate_events WHERE at <= $1")
            .bind(cutoff)
            .execute(self.pool())
            .await?
            .rows_affected();
        sqlx::query("DELETE FROM rate_keys WHERE touched_at <= $1")
            .bind(cutoff)
            .execute(self.pool())
            .await?;
        Ok(events)
    }
}
