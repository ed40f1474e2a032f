//! How far the stream workers got in each session's messages (see the server's `worker`).
//!
//! [`StreamProgressStore`] is a supertrait of [`crate::Store`]; its SQL is the same on both
//! backends. Progress only moves forward: a worker that finishes an older message late cannot
//! move it back.

use crate::StoreError;
use async_trait::async_trait;

/// Persistence for stream workers' progress per session.
#[async_trait]
pub trait StreamProgressStore {
    /// The stream sequence of the last message of `session` a worker finished, if any.
    async fn stream_progress(&self, session: &str) -> Result<Option<i64>, StoreError>;

    /// Records that the message at `stream_seq` of `session` is finished, at `now` (Unix ms),
    /// unless a later one already is.
    async fn advance_stream_progress(
        &self,
        session: &str,
        stream_seq: i64,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Forgets sessions whose progress last moved before `before` (Unix ms); returns how many.
    async fn forget_stream_progress(&self, before: i64) -> Result<u64, StoreError>;
}

macro_rules! stream_progress_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::stream_progress::StreamProgressStore for $store {
            async fn stream_progress(
                &self,
                session: &str,
            ) -> Result<Option<i64>, $crate::StoreError> {
                use sqlx::Row as _;
                let row = sqlx::query::<$db>(
                    "SELECT stream_seq FROM stream_progress WHERE session_id = $1",
                )
                .bind(session)
                // A read: the pool, not the one write connection the journal's commits queue on.
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(|r| r.try_get::<i64, _>(0)).transpose()?)
            }

            async fn advance_stream_progress(
                &self,
                session: &str,
                stream_seq: i64,
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query::<$db>(
                    "INSERT INTO stream_progress (session_id, stream_seq, updated) \
                     VALUES ($1, $2, $3) ON CONFLICT (session_id) DO UPDATE \
                     SET stream_seq = excluded.stream_seq, updated = excluded.updated \
                     WHERE stream_progress.stream_seq < excluded.stream_seq",
                )
                .bind(session)
                .bind(stream_seq)
                .bind(now)
                .execute(self.write_pool())
                .await?;
                Ok(())
            }

            async fn forget_stream_progress(&self, before: i64) -> Result<u64, $crate::StoreError> {
                let r = sqlx::query::<$db>("DELETE FROM stream_progress WHERE updated < $1")
                    .bind(before)
                    .execute(self.write_pool())
                    .await?;
                Ok(r.rows_affected())
            }
        }
    };
}

stream_progress_store!(crate::SqliteStore, sqlx::Sqlite);
stream_progress_store!(crate::PgStore, sqlx::Postgres);

#[cfg(test)]
mod tests {
    use crate::{open, StoreConfig};

    #[tokio::test]
    async fn progress_only_moves_forward() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&StoreConfig::sqlite(dir.path())).await.unwrap();
        assert_eq!(store.stream_progress("call-1").await.unwrap(), None);
        store
            .advance_stream_progress("call-1", 7, 100)
            .await
            .unwrap();
        store
            .advance_stream_progress("call-1", 5, 200)
            .await
            .unwrap();
        assert_eq!(store.stream_progress("call-1").await.unwrap(), Some(7));
        store
            .advance_stream_progress("call-1", 9, 300)
            .await
            .unwrap();
        store
            .advance_stream_progress("call-2", 1, 50)
            .await
            .unwrap();
        assert_eq!(store.stream_progress("call-1").await.unwrap(), Some(9));
        assert_eq!(store.forget_stream_progress(100).await.unwrap(), 1);
        assert_eq!(store.stream_progress("call-2").await.unwrap(), None);
    }
}
