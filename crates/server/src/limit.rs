//! Per-key rate limiting: each key gets its own allowance, so one noisy platform cannot
//! starve the others. One node on its own counts in memory (GCRA, via governor); nodes that
//! share a PostgreSQL database count in it, so that a key's limit holds across all of them
//! (see [`crate::ratelimit`]).

use crate::config::RateLimit;
use crate::error::ApiError;
use crate::ratelimit::SharedLimiter;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use scamguard_store::{now_ms, Store};
use std::num::NonZeroU32;
use std::sync::Arc;

/// Allowances by API key id.
pub enum Limiter {
    /// Buckets in this process's memory.
    Local(DefaultKeyedRateLimiter<Arc<str>>),
    /// Windows counted in the database every node shares.
    Shared(SharedLimiter),
}

impl std::fmt::Debug for Limiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Limiter")
    }
}

impl Limiter {
    /// A limiter allowing `limit` per key: counted in the store when `shared` (nodes share
    /// the database), else in memory.
    pub fn new(limit: RateLimit, shared: bool) -> Limiter {
        if shared {
            return Limiter::Shared(SharedLimiter::new(limit));
        }
        let rate = NonZeroU32::new(limit.per_second.max(1)).expect("at least 1");
        let burst = NonZeroU32::new(limit.burst.max(limit.per_second).max(1)).expect("at least 1");
        Limiter::Local(DefaultKeyedRateLimiter::keyed(
            Quota::per_second(rate).allow_burst(burst),
        ))
    }

    /// Takes one request from `key`'s allowance, or says when to retry.
    pub async fn check(&self, store: &dyn Store, key: &Arc<str>) -> Result<(), ApiError> {
        match self {
            Limiter::Local(l) => l.check_key(key).map_err(|not_until| {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                ApiError::RateLimited {
                    retry_after_secs: wait.as_secs_f64().ceil().max(1.0) as u64,
                }
            }),
            Limiter::Shared(l) => l.check(store, key, now_ms()).await,
        }
    }

    /// Drops allowances no longer needed, so that old keys do not hold memory (or rows).
    pub async fn sweep(&self, store: &dyn Store) -> Result<(), ApiError> {
        match self {
            Limiter::Local(l) => {
                l.retain_recent();
                l.shrink_to_fit();
            }
            Limiter::Shared(l) => {
                l.sweep(store, now_ms()).await?;
            }
        }
        Ok(())
    }
}
