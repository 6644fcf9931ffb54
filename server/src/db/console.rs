//! What the Workspace console reads about a whole workspace (docs/api.md, "Devices and users"):
//! each user's device activity, and the accounts that wait for a new key with their owners.
//! Names and ids only: nothing here is a key or a secret.

use std::collections::BTreeMap;

use super::accounts::{account_from, AccountRole, ACCOUNT_COLUMNS};
use super::{col, Account, Db, DbError};

/// A user's devices as the console shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeviceActivity {
    /// Approved devices (the trusted ones).
    pub trusted: i64,
    /// The latest time any of the user's devices called the server; `None` without a device.
    pub last_seen_at: Option<i64>,
}

impl Db {
    /// Device activity of every user of the workspace who has a device, by user id.
    pub async fn device_activity(&self, workspace_id: &str) -> Result<BTreeMap<String, DeviceActivity>, DbError> {
        let rows = sqlx::query(
            "SELECT d.user_id AS user_id, \
             CAST(SUM(CASE WHEN d.status = 'approved' THEN 1 ELSE 0 END) AS BIGINT) AS trusted, \
             CAST(MAX(d.last_seen_at) AS BIGINT) AS last_seen_at \
             FROM devices d JOIN users u ON u.id = d.user_id WHERE u.workspace_id = $1 GROUP BY d.user_id",
        )
        .bind(workspace_id)
        .fetch_all(self.pool())
        .await?;
        let mut out = BTreeMap::new();
        for row in &rows {
            out.insert(
                col::<String>(row, "user_id")?,
                DeviceActivity {
                    trusted: col(row, "trusted")?,
                    last_seen_at: col(row, "last_seen_at")?,
                },
            );
        }
        Ok(out)
    }

    /// The workspace's accounts marked for key rotation, by name, each with its owners' user ids
    /// (who can rotate it: only members hold the account key).
    pub async fn accounts_needing_rotation(&self, workspace_id: &str) -> Result<Vec<(Account, Vec<String>)>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE workspace_id = $1 AND needs_rotation = 1 ORDER BY name, id"
        ))
        .bind(workspace_id)
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::new();
        for row in &rows {
            let account = account_from(row)?;
            let owners = self
                .members(&account.id)
                .await?
                .into_iter()
                .filter(|m| m.role == AccountRole::Owner)
                .map(|m| m.user_id)
                .collect();
            out.push((account, owners));
        }
        Ok(out)
    }
}
