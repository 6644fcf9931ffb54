//! Server-wide settings shared by every instance through the database. Never a secret: whoever
//! reads the database reads these. Secrets come from the server key (serve/server_key.rs).

use super::{col, Db, DbError};

impl Db {
    /// The setting called `name`, stored with `value` the first time. Concurrent first calls
    /// (several instances starting at once) agree: the first insert wins and everyone reads it.
    pub async fn setting_or_init(
        &self,
        name: &str,
        value: impl FnOnce() -> Vec<u8>,
        now: i64,
    ) -> Result<Vec<u8>, DbError> {
        sqlx::query("INSERT INTO settings (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(value())
            .bind(now)
            .execute(self.pool())
            .await?;
        let row = sqlx::query("SELECT value FROM settings WHERE name = $1")
            .bind(name)
            .fetch_one(self.pool())
            .await?;
        col(&row, "value")
    }

    /// The setting called `name`, if it was ever stored.
    pub async fn setting(&self, name: &str) -> Result<Option<Vec<u8>>, DbError> {
        let row = sqlx::query("SELECT value FROM settings WHERE name = $1")
            .bind(name)
            .fetch_optional(self.pool())
            .await?;
        row.map(|row| col(&row, "value")).transpose()
    }
}
