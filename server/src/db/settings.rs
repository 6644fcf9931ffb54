//! Server-wide secrets, kept in the database so that every instance sharing it uses the same ones.

use super::{col, Db, DbError};

impl Db {
    /// The secret called `name`, created with `generate` the first time. Concurrent first calls
    /// (several instances starting at once) agree: the first insert wins and everyone reads it.
    pub async fn secret(&self, name: &str, generate: impl FnOnce() -> Vec<u8>, now: i64) -> Result<Vec<u8>, DbError> {
        sqlx::query("INSERT INTO settings (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(generate())
            .bind(now)
            .execute(self.pool())
            .await?;
        let row = sqlx::query("SELECT value FROM settings WHERE name = $1")
            .bind(name)
            .fetch_one(self.pool())
            .await?;
        col(&row, "value")
    }
}

impl Db {
    /// The setting called `name`, if it was ever stored.
    pub async fn setting(&self, name: &str) -> Result<Option<Vec<u8>>, DbError> {
        let row = sqlx::query("SELECT value FROM settings WHERE name = $1")
            .bind(name)
            .fetch_optional(self.pool())
            .await?;
        row.map(|row| col(&row, "value")).transpose()
    }
}
