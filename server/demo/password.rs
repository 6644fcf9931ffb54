//! Password storage: PBKDF2-HMAC-SHA256 with a per-user random salt (RFC 8018 §5.2).
//!
//! 100,000 iterations keeps sign-up fast enough for tests that create many users; a production
//! service would pick a memory-hard function (Argon2id) and tune it to its hardware.

use std::sync::LazyLock;

use pbkdf2::pbkdf2_hmac;
use sha2::Sha256;

use super::session::random_bytes;

const ITERATIONS: u32 = 100_000;

#[derive(Clone)]
pub struct PasswordHash {
    salt: [u8; 16],
    hash: [u8; 32],
}

impl PasswordHash {
    pub fn new(password: &str) -> Self {
        let salt = random_bytes();
        PasswordHash {
            salt,
            hash: derive(password, &salt),
        }
    }

    pub fn matches(&self, password: &str) -> bool {
        constant_time_eq(&derive(password, &self.salt), &self.hash)
    }
}

fn derive(password: &str, salt: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, ITERATIONS, &mut out);
    out
}

/// Hashes off the async threads: 100,000 HMACs would stall other requests.
pub async fn hash(password: String) -> PasswordHash {
    tokio::task::spawn_blocking(move || PasswordHash::new(&password))
        .await
        .expect("password hashing panicked")
}

/// Checks `password` against `stored`. With no stored hash (unknown e-mail) it still spends the time
/// of one check, so response times do not tell which e-mail addresses have accounts.
pub async fn verify(stored: Option<PasswordHash>, password: String) -> bool {
    static UNKNOWN_USER: LazyLock<PasswordHash> = LazyLock::new(|| PasswordHash::new("no such user"));
    tokio::task::spawn_blocking(move || match stored {
        Some(hash) => hash.matches(&password),
        None => {
            std::hint::black_box(UNKNOWN_USER.matches(&password));
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// Compares without an early exit, so timing does not reveal how many leading bytes matched.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_only_the_right_password_and_salts_differ() {
        let (a, b) = (PasswordHash::new("correct horse"), PasswordHash::new("correct horse"));
        assert!(a.matches("correct horse"));
        assert!(!a.matches("correct hors"));
        assert_ne!(a.hash, b.hash);
    }
}
