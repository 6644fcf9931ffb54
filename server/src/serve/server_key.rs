//! The server key: one 256-bit secret from which every server secret is derived (HKDF-SHA256 with
//! a label per purpose), kept out of the database. Whoever copies the database alone gets no key
//! that hashes e-mail codes (so no live code: a million guesses need the key) and no webhook token.
//!
//! Where it comes from, the first that is given:
//! 1. `LATCHKEY_SERVER_KEY`: 64 hex digits (for containers and secret managers);
//! 2. `--key-file PATH`;
//! 3. `DATA/server.key`, created at the first start: 64 hex digits and a newline, mode 0600.
//!
//! A key file that its group or others may read or write refuses the start: the key is worth as
//! much as every live code. Several instances sharing one PostgreSQL must use the same key (copy
//! the file, or give each the same `LATCHKEY_SERVER_KEY`): the database keeps a check value derived
//! from the key (not the key), and an instance whose key does not match refuses to start rather
//! than send codes the others cannot check.

use std::io::Write as _;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use hkdf::Hkdf;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use thiserror::Error;
use zeroize::Zeroizing;

use crate::db::{Db, DbError};

/// The file's name in the data directory.
pub const KEY_FILE: &str = "server.key";
/// The environment variable that gives the key instead of a file.
pub const KEY_ENV: &str = "LATCHKEY_SERVER_KEY";
/// The `settings` row holding the check value (a derived tag that reveals nothing of the key).
const CHECK_SETTING: &str = "server_key_check";

/// What each derived key is for (its HKDF label); changing one changes that key.
pub mod purpose {
    /// Keys the HMAC of e-mailed codes.
    pub const EMAIL_CODES: &str = "e-mail code hashes";
    /// The token webhooks are checked against when no Twilio auth token is given (held by nothing
    /// outside the server, so no webhook passes until a token is configured).
    pub const LOCAL_WEBHOOK_TOKEN: &str = "local webhook token";
    /// Keys the proposals of managed e-mail addresses (domain/managed_address.rs).
    pub const MAIL_ADDRESSES: &str = "managed e-mail addresses";
    /// The check value kept in the database.
    pub const CHECK: &str = "key check";
}

#[derive(Debug, Error)]
pub enum KeyError {
    #[error("{KEY_ENV} must be the server key as 64 hex digits (as in a key file); it is not")]
    EnvMalformed,
    #[error("the key file {0} must hold the server key as 64 hex digits; it does not (was it edited or truncated?)")]
    FileMalformed(PathBuf),
    #[error(
        "the key file {path} can be read or written by its group or others (mode {mode:04o}): the server key \
         protects every e-mail code, so it must be the server's user's only; run `chmod 600 {path}` and start again"
    )]
    Permissions { path: PathBuf, mode: u32 },
    #[error("the key file {0} is not a regular file")]
    NotAFile(PathBuf),
    #[error("cannot read the key file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot create the key file {path}: {source}")]
    Create { path: PathBuf, source: std::io::Error },
    #[error(
        "this server's key is not the one the database was set up with: every instance sharing a database needs \
         the same key (copy the key file, or set the same {KEY_ENV}); a new key would make their e-mail codes fail"
    )]
    Mismatch,
    #[error(transparent)]
    Database(#[from] DbError),
}

/// Where the key came from, for the log (never the key).
pub enum KeySource {
    Environment,
    File { path: PathBuf, created: bool },
}

impl KeySource {
    pub fn describe(&self) -> String {
        match self {
            KeySource::Environment => KEY_ENV.to_string(),
            KeySource::File { path, created: true } => format!("{} (created now)", path.display()),
            KeySource::File { path, created: false } => path.display().to_string(),
        }
    }
}

pub struct ServerKey(Zeroizing<[u8; 32]>);

impl ServerKey {
    /// The key from the environment's value, else `key_file`, else `DATA/server.key` (created if
    /// missing, as is `key_file`).
    pub fn load(
        env: Option<&str>,
        key_file: Option<&Path>,
        data_dir: &Path,
    ) -> Result<(ServerKey, KeySource), KeyError> {
        if let Some(text) = env {
            let key = parse_hex(text).ok_or(KeyError::EnvMalformed)?;
            return Ok((ServerKey(key), KeySource::Environment));
        }
        let path = key_file.map_or_else(|| data_dir.join(KEY_FILE), Path::to_path_buf);
        match read_file(&path) {
            Ok(key) => Ok((ServerKey(key), KeySource::File { path, created: false })),
            Err(KeyError::Read { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                match create_file(&path) {
                    Ok(key) => Ok((ServerKey(key), KeySource::File { path, created: true })),
                    // Another process created it first: use theirs.
                    Err(KeyError::Create { source, .. }) if source.kind() == std::io::ErrorKind::AlreadyExists => {
                        Ok((ServerKey(read_file(&path)?), KeySource::File { path, created: false }))
                    }
                    Err(e) => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// A 32-byte key for one purpose (see [`purpose`]).
    pub fn derive(&self, purpose: &str) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(vec![0u8; 32]);
        let info = [b"latchkey server key v1: ".as_slice(), purpose.as_bytes()].concat();
        Hkdf::<Sha256>::new(None, self.0.as_slice())
            .expand(&info, &mut out)
            .expect("32 bytes is within HKDF's limit");
        out
    }

    /// Records the key's check value in the database the first time; afterwards refuses a key
    /// whose check value differs (`Mismatch`).
    pub async fn check_against(&self, db: &Db, now: i64) -> Result<(), KeyError> {
        let mine = self.derive(purpose::CHECK);
        let stored = db.setting_or_init(CHECK_SETTING, || mine.to_vec(), now).await?;
        if bool::from(stored.ct_eq(mine.as_slice())) {
            Ok(())
        } else {
            Err(KeyError::Mismatch)
        }
    }
}

fn parse_hex(text: &str) -> Option<Zeroizing<[u8; 32]>> {
    let text = text.trim();
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut key = Zeroizing::new([0u8; 32]);
    for (i, pair) in text.as_bytes().chunks(2).enumerate() {
        let hex = std::str::from_utf8(pair).ok()?;
        key[i] = u8::from_str_radix(hex, 16).ok()?;
    }
    Some(key)
}

fn read_file(path: &Path) -> Result<Zeroizing<[u8; 32]>, KeyError> {
    let read_error = |source| KeyError::Read {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read_error)?;
    if !meta.is_file() {
        return Err(KeyError::NotAFile(path.to_path_buf()));
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(KeyError::Permissions {
            path: path.to_path_buf(),
            mode,
        });
    }
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(read_error)?);
    parse_hex(&text).ok_or_else(|| KeyError::FileMalformed(path.to_path_buf()))
}

fn create_file(path: &Path) -> Result<Zeroizing<[u8; 32]>, KeyError> {
    let create_error = |source| KeyError::Create {
        path: path.to_path_buf(),
        source,
    };
    let mut key = Zeroizing::new([0u8; 32]);
    getrandom::fill(key.as_mut_slice()).expect("the operating system's random number generator failed");
    let text = Zeroizing::new(format!("{}\n", crate::db::hex(key.as_slice())));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(create_error)?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(create_error)?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_give_different_keys_and_hex_is_strict() {
        let key = ServerKey(parse_hex(&"ab".repeat(32)).unwrap());
        let a = key.derive(purpose::EMAIL_CODES);
        let b = key.derive(purpose::LOCAL_WEBHOOK_TOKEN);
        assert_ne!(a, b);
        assert_eq!(a, key.derive(purpose::EMAIL_CODES));
        assert_ne!(a.as_slice(), key.0.as_slice());
        for bad in ["ab".repeat(31), "zz".repeat(32), "ab".repeat(33), String::new()] {
            assert!(parse_hex(&bad).is_none(), "{bad}");
        }
        assert!(parse_hex(&format!(" {}\n", "0A".repeat(32))).is_some());
    }
}
