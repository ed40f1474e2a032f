//! Rate limits shared by every node on one database: fixed windows counted in the store.
//!
//! A key may make `limit` requests in each window of `limit / per_second` seconds (windows
//! are aligned to the Unix epoch, so every node agrees on them): the sustained rate is
//! `per_second` and a burst of up to `limit` passes at once. As with any fixed window, a
//! client that spends one window's allowance at its end and the next one's at its start gets
//! up to `2 × limit` through in one window's length, never more.
//!
//! # The local allowance, and the bound it gives
//!
//! A node does not ask the database for every request. It claims a chunk of `chunk` requests
//! of a key's window at once (`UPSERT … RETURNING` the new total) and spends it locally.
//! The database grants a claim only up to what is left of the limit, so:
//!
//! - **never more than `limit`** requests of a key are admitted in a window, summed over all
//!   nodes: every admitted request is covered by a grant already counted in the database;
//! - a key can be refused early by at most `nodes × (chunk − 1)` requests in a window: what
//!   other nodes claimed and have not spent yet when the total reaches the limit;
//! - it costs one round trip per `chunk` requests of a key per node, plus one per key, node
//!   and window for the claim that finds the window used up.
//!
//! With the default (1,000/s, burst 2,000: windows of 2 s, chunks of 31) a key at full speed
//! costs 65 small writes per node every 2 s instead of 2,000.

use crate::config::RateLimit;
use crate::error::ApiError;
use scamguard_store::Store;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Most requests claimed from the database at once.
const MAX_CHUNK: i64 = 64;

/// What this node holds of one key's current window.
#[derive(Debug, Clone, Copy)]
struct Allowance {
    window_start: i64,
    /// Granted by the database and not spent yet.
    left: i64,
    /// The database granted less than asked: the window is used up everywhere.
    used_up: bool,
}

/// Per-key fixed-window counters in the store, with a local allowance per key.
#[derive(Debug)]
pub struct SharedLimiter {
    limit: i64,
    window_ms: i64,
    chunk: i64,
    local: Mutex<HashMap<Arc<str>, Allowance>>,
}

impl SharedLimiter {
    /// A limiter allowing `limit` per key, counted in the store.
    pub fn new(limit: RateLimit) -> SharedLimiter {
        let per_second = i64::from(limit.per_second.max(1));
        let per_window = i64::from(limit.burst).max(per_second);
        SharedLimiter {
            limit: per_window,
            window_ms: (per_window * 1000 / per_second).max(1),
            chunk: (per_window / 64).clamp(1, MAX_CHUNK),
            local: Mutex::new(HashMap::new()),
        }
    }

    /// Requests admitted per key and window, the window's length (ms) and the chunk a node
    /// claims at once.
    pub fn shape(&self) -> (i64, i64, i64) {
        (self.limit, self.window_ms, self.chunk)
    }

    fn window_start(&self, now: i64) -> i64 {
        now - now.rem_euclid(self.window_ms)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Arc<str>, Allowance>> {
        self.local.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes one request of `key`'s window at `now` (Unix ms), claiming from `store` when this
    /// node holds none; or says when to retry.
    pub async fn check(&self, store: &dyn Store, key: &Arc<str>, now: i64) -> Result<(), ApiError> {
        let start = self.window_start(now);
        let refused = ApiError::RateLimited {
            retry_after_secs: ((start + self.window_ms - now) as f64 / 1000.0)
                .ceil()
                .max(1.0) as u64,
        };
        {
            let mut local = self.lock();
            if let Some(a) = local.get_mut(key).filter(|a| a.window_start == start) {
                if a.left > 0 {
                    a.left -= 1;
                    return Ok(());
                }
                if a.used_up {
                    return Err(refused);
                }
            }
        }
        // Several requests of one key may claim at once; each claim is counted, so the bound
        // holds, and what they get is pooled below.
        let total = store.add_to_window(key, start, self.chunk).await?;
        let granted = (self.limit - (total - self.chunk)).clamp(0, self.chunk);
        let mut local = self.lock();
        let a = local.entry(key.clone()).or_insert(Allowance {
            window_start: start,
            left: 0,
            used_up: false,
        });
        if a.window_start != start {
            *a = Allowance {
                window_start: start,
                left: 0,
                used_up: false,
            };
        }
        a.left += granted;
        a.used_up |= granted < self.chunk;
        if a.left > 0 {
            a.left -= 1;
            Ok(())
        } else {
            Err(refused)
        }
    }

    /// Drops this node's allowances of windows that have ended, and the store's counters of
    /// windows that ended before the previous one.
    pub async fn sweep(&self, store: &dyn Store, now: i64) -> Result<u64, ApiError> {
        let start = self.window_start(now);
        self.lock().retain(|_, a| a.window_start >= start);
        Ok(store.forget_windows(start - self.window_ms).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scamguard_store::{open, StoreConfig};

    #[tokio::test]
    async fn two_limiters_on_one_store_admit_the_limit_between_them() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&StoreConfig::sqlite(dir.path())).await.unwrap();
        let limit = RateLimit {
            per_second: 100,
            burst: 200,
        };
        let (a, b) = (SharedLimiter::new(limit), SharedLimiter::new(limit));
        assert_eq!(a.shape(), (200, 2000, 3));
        let key: Arc<str> = "key_1".into();
        let now = 10_000; // the start of a window
        let mut admitted = 0;
        let mut refused = 0;
        for i in 0..500 {
            let l = if i % 2 == 0 { &a } else { &b };
            match l.check(&*store, &key, now + i).await {
                Ok(()) => admitted += 1,
                Err(ApiError::RateLimited { retry_after_secs }) => {
                    assert!((1..=2).contains(&retry_after_secs));
                    refused += 1
                }
                Err(e) => panic!("{e}"),
            }
        }
        // Never past the limit; short of it by at most the two nodes' unspent chunks.
        assert!(admitted <= 200, "{admitted}");
        assert!(admitted >= 200 - 2 * (3 - 1), "{admitted}");
        assert_eq!(admitted + refused, 500);
        // Another key has its own window; the next window starts afresh.
        assert!(a.check(&*store, &"key_2".into(), now).await.is_ok());
        assert!(b.check(&*store, &key, now + 2000).await.is_ok());
        // The sweep forgets windows before the previous one.
        assert_eq!(a.sweep(&*store, now + 4000).await.unwrap(), 2);
    }
}
