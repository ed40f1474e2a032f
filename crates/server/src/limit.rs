//! Per-key rate limiting (GCRA, via governor): each key gets its own bucket, so one noisy
//! platform cannot starve the others.

use crate::config::RateLimit;
use crate::error::ApiError;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::num::NonZeroU32;
use std::sync::Arc;

/// Buckets by API key id.
pub struct Limiter {
    inner: DefaultKeyedRateLimiter<Arc<str>>,
}

impl std::fmt::Debug for Limiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Limiter")
    }
}

impl Limiter {
    /// A limiter allowing `limit` per key.
    pub fn new(limit: RateLimit) -> Limiter {
        let rate = NonZeroU32::new(limit.per_second.max(1)).expect("at least 1");
        let burst = NonZeroU32::new(limit.burst.max(limit.per_second).max(1)).expect("at least 1");
        Limiter {
            inner: DefaultKeyedRateLimiter::keyed(Quota::per_second(rate).allow_burst(burst)),
        }
    }

    /// Takes one request from `key`'s bucket, or says when to retry.
    pub fn check(&self, key: &Arc<str>) -> Result<(), ApiError> {
        self.inner.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::RateLimited {
                retry_after_secs: wait.as_secs_f64().ceil().max(1.0) as u64,
            }
        })
    }

    /// Drops buckets that are full again, so that old keys do not hold memory.
    pub fn shrink(&self) {
        self.inner.retain_recent();
        self.inner.shrink_to_fit();
    }
}
