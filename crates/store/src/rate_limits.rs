//! Rate-limit counters shared through the database, so that a key's limit holds across every
//! node serving it rather than once per node.
//!
//! [`RateLimitStore`] is a supertrait of [`crate::Store`]; its SQL is the same on both
//! backends (the `rate_limit_store!` macro below). A counter is one row per key and fixed
//! window, raised by an UPSERT that returns the new total in the same round trip, so nodes
//! racing on one key are ordered by the row lock and never both read the old total.

use crate::StoreError;
use async_trait::async_trait;

/// Persistence for shared rate-limit windows.
#[async_trait]
pub trait RateLimitStore {
    /// Adds `amount` to what `key` was granted in the window starting at `window_start` (Unix
    /// ms) and returns the window's new total, `amount` included. Atomic across nodes.
    async fn add_to_window(
        &self,
        key: &str,
        window_start: i64,
        amount: i64,
    ) -> Result<i64, StoreError>;

    /// Deletes windows that started before `before` (Unix ms); returns how many.
    async fn forget_windows(&self, before: i64) -> Result<u64, StoreError>;
}

macro_rules! rate_limit_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::rate_limits::RateLimitStore for $store {
            async fn add_to_window(
                &self,
                key: &str,
                window_start: i64,
                amount: i64,
            ) -> Result<i64, $crate::StoreError> {
                use sqlx::Row as _;
                let row = sqlx::query::<$db>(
                    "INSERT INTO rate_limits (key, window_start, granted) VALUES ($1, $2, $3) \
                     ON CONFLICT (key, window_start) \
                     DO UPDATE SET granted = rate_limits.granted + excluded.granted \
                     RETURNING granted",
                )
                .bind(key)
                .bind(window_start)
                .bind(amount)
                .fetch_one(self.write_pool())
                .await?;
                Ok(row.try_get::<i64, _>(0)?)
            }

            async fn forget_windows(&self, before: i64) -> Result<u64, $crate::StoreError> {
                let r = sqlx::query::<$db>("DELETE FROM rate_limits WHERE window_start < $1")
                    .bind(before)
                    .execute(self.write_pool())
                    .await?;
                Ok(r.rows_affected())
            }
        }
    };
}

rate_limit_store!(crate::SqliteStore, sqlx::Sqlite);
rate_limit_store!(crate::PgStore, sqlx::Postgres);

#[cfg(test)]
mod tests {
    use crate::{open, StoreConfig};

    #[tokio::test]
    async fn windows_add_up_and_are_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&StoreConfig::sqlite(dir.path())).await.unwrap();
        assert_eq!(store.add_to_window("k1", 1000, 5).await.unwrap(), 5);
        assert_eq!(store.add_to_window("k1", 1000, 3).await.unwrap(), 8);
        assert_eq!(store.add_to_window("k2", 1000, 1).await.unwrap(), 1);
        assert_eq!(store.add_to_window("k1", 2000, 1).await.unwrap(), 1);
        assert_eq!(store.forget_windows(2000).await.unwrap(), 2);
        assert_eq!(store.add_to_window("k1", 1000, 1).await.unwrap(), 1);
        assert_eq!(store.add_to_window("k1", 2000, 1).await.unwrap(), 2);
    }
}
