//! In-memory rate limits: at most `max` events per `window` for one key (an address, a user, a
//! client IP), as a sliding log. Limits that must hold across instances (e-mail codes) are counted
//! in the database instead; these protect one process from floods.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One named policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: usize,
    pub window: Duration,
}

pub struct RateLimiter {
    events: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// Keys kept before old ones are swept, so a flood of distinct keys cannot grow memory forever.
const SWEEP_AT: usize = 100_000;

impl Default for RateLimiter {
    fn default() -> Self {
        Self::new()
    }
}

impl RateLimiter {
    pub fn new() -> Self {
        RateLimiter {
            events: Mutex::new(HashMap::new()),
        }
    }

    /// Records an event for `key` if it is within `limit`; otherwise returns the seconds to wait.
    pub fn check(&self, key: &str, limit: Limit) -> Result<(), u64> {
        self.check_at(key, limit, Instant::now())
    }

    fn check_at(&self, key: &str, limit: Limit, now: Instant) -> Result<(), u64> {
        let mut events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        if events.len() >= SWEEP_AT {
            events.retain(|_, log| log.back().is_some_and(|t| now.duration_since(*t) < limit.window));
        }
        let log = events.entry(key.to_string()).or_default();
        while log.front().is_some_and(|t| now.duration_since(*t) >= limit.window) {
            log.pop_front();
        }
        if log.len() >= limit.max {
            let oldest = log.front().copied().unwrap_or(now);
            let wait = limit.window.saturating_sub(now.duration_since(oldest));
            return Err(wait.as_secs() + u64::from(wait.subsec_nanos() > 0));
        }
        log.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_max_per_window_then_says_how_long_to_wait() {
        let limiter = RateLimiter::new();
        let limit = Limit {
            max: 3,
            window: Duration::from_secs(60),
        };
        let t0 = Instant::now();
        for i in 0..3 {
            assert_eq!(limiter.check_at("a", limit, t0 + Duration::from_secs(i)), Ok(()));
        }
        assert_eq!(limiter.check_at("a", limit, t0 + Duration::from_secs(10)), Err(50));
        assert_eq!(limiter.check_at("b", limit, t0 + Duration::from_secs(10)), Ok(()));
        assert_eq!(limiter.check_at("a", limit, t0 + Duration::from_secs(60)), Ok(()));
    }
}
