//! Bounds on long polls (`/trust/status?wait`, `/approvals?wait`, `/inbox/wait`): at most so many
//! waiting at once per device token, per user (devices not yet trusted: per client address) and in
//! all. A wait holds this instance's memory, a task and a
//! connection, so the bound is per instance, where that cost is paid. Past a bound the request is
//! answered 429 at once with `Retry-After`; the slot is given back when the wait ends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::api::error::ApiError;

pub const PER_TOKEN: usize = 4;
pub const PER_USER: usize = 16;
pub const TOTAL: usize = 4096;

#[derive(Default)]
struct Counts {
    tokens: HashMap<String, usize>,
    users: HashMap<String, usize>,
    total: usize,
}

#[derive(Clone, Default)]
pub struct WaitSlots(Arc<Mutex<Counts>>);

/// A slot held for the length of one wait.
pub struct WaitSlot {
    slots: WaitSlots,
    token: String,
    user: String,
}

impl WaitSlots {
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes a slot for a wait by the device `token` of `user`, or says which bound is reached.
    pub fn acquire(&self, token: &str, user: &str) -> Result<WaitSlot, ApiError> {
        let mut c = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let refuse = |what: &str| Err(ApiError::rate_limited(what, 1));
        if c.tokens.get(token).copied().unwrap_or(0) >= PER_TOKEN {
            return refuse("waiting requests from this device at once (at most 4)");
        }
        if c.users.get(user).copied().unwrap_or(0) >= PER_USER {
            return refuse("waiting requests for this user at once (at most 16)");
        }
        if c.total >= TOTAL {
            return refuse("waiting requests on this server at once");
        }
        *c.tokens.entry(token.to_string()).or_default() += 1;
        *c.users.entry(user.to_string()).or_default() += 1;
        c.total += 1;
        Ok(WaitSlot {
            slots: self.clone(),
            token: token.to_string(),
            user: user.to_string(),
        })
    }
}

impl Drop for WaitSlot {
    fn drop(&mut self) {
        let mut guard = self.slots.0.lock().unwrap_or_else(|p| p.into_inner());
        let c = &mut *guard;
        for (map, key) in [(&mut c.tokens, &self.token), (&mut c.users, &self.user)] {
            if let Some(n) = map.get_mut(key) {
                *n -= 1;
                if *n == 0 {
                    map.remove(key);
                }
            }
        }
        c.total -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_bounded_and_given_back() {
        let slots = WaitSlots::new();
        let held: Vec<_> = (0..PER_TOKEN).map(|_| slots.acquire("t", "u").unwrap()).collect();
        assert_eq!(
            slots.acquire("t", "u").err().unwrap().code,
            super::super::api::error::ErrorCode::RateLimited
        );
        let others: Vec<_> = (0..PER_USER - PER_TOKEN)
            .map(|i| slots.acquire(&format!("t{i}"), "u").unwrap())
            .collect();
        assert!(slots.acquire("fresh", "u").is_err());
        assert!(slots.acquire("fresh", "v").is_ok());
        drop(held);
        drop(others);
        assert_eq!(slots.0.lock().unwrap().total, 0);
        assert!(slots.acquire("t", "u").is_ok());
    }
}
