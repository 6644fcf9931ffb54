//! The development outbox: each e-mail as one `.eml` file, private to the server's user.

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::MailError;

/// Writes `message` to a new file in `dir` (created 0700 if missing) and returns its path.
pub async fn write(dir: &Path, message: Vec<u8>) -> Result<PathBuf, MailError> {
    let task_dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || write_blocking(&task_dir, &message))
        .await
        .unwrap_or_else(|e| Err(std::io::Error::other(e.to_string())))
        .map_err(|source| MailError::Outbox {
            dir: dir.to_path_buf(),
            source,
        })
}

fn write_blocking(dir: &Path, message: &[u8]) -> std::io::Result<PathBuf> {
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let mut random = [0u8; 6];
    getrandom::fill(&mut random).map_err(|e| std::io::Error::other(e.to_string()))?;
    let name: String = random.iter().map(|b| format!("{b:02x}")).collect();
    let path = dir.join(format!("{secs}-{name}.eml"));
    // create_new: never overwrite, mode 0600: the file holds a live code.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)?;
    file.write_all(message)?;
    file.sync_all()?;
    Ok(path)
}
