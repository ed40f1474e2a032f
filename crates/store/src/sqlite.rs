//! The embedded default: one SQLite file in the data directory.

use crate::{Backend, SqliteSync, StoreConfig, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::time::Duration;

/// The database file's name inside the data directory.
pub const DB_FILE: &str = "scamguard.db";

/// A store in `DATA_DIR/scamguard.db`.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pub(crate) pool: sqlx::SqlitePool,
    /// One connection that makes every event commit. SQLite empties a connection's page cache
    /// whenever another connection has written since its last transaction; were commits spread
    /// over the pool, each would start cold and re-read the index pages it touches.
    pub(crate) writer: sqlx::SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database in `dir` and applies pending migrations.
    pub async fn open(dir: &Path, config: &StoreConfig) -> Result<SqliteStore, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        let options = SqliteConnectOptions::new()
            .filename(dir.join(DB_FILE))
            .create_if_missing(true)
            // WAL with synchronous=NORMAL: a commit is durable against a crash of the process
            // (the WAL is in the OS's hands once written); only a power loss can drop the last
            // commits. That trade buys group commit without an fsync per batch. OFF also skips
            // the fsyncs of checkpoints, at the risk described on `SqliteSync::Off`.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match config.sqlite_sync {
                SqliteSync::Normal => SqliteSynchronous::Normal,
                SqliteSync::Off => SqliteSynchronous::Off,
            })
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true)
            // Checkpoints copy the WAL into the database (and, unless sync is off, wait for
            // the disk). A background task runs them off the write path (see `checkpoints`);
            // under sustained writes the WAL can only restart after a checkpoint made by the
            // writer itself, which this threshold (8 MiB of pages) triggers. Kept small, each
            // such stall is short: in the session-event load test of docs/benchmarks.md,
            // 16,384 pages gave a 95 ms p99, 2,000 gave 24 ms at about 10 % less throughput.
            .pragma("wal_autocheckpoint", "2000")
            // A bigger page cache (32 MiB per connection) keeps the index pages that events
            // touch in memory; memory-mapped reads spare a copy per page.
            .pragma("cache_size", "-32768")
            .pragma("mmap_size", "268435456")
            // Each multi-row INSERT keeps a statement journal so that it can be undone alone;
            // in a temporary file that is a write system call per page, in memory it is a copy.
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(config.max_connections.max(1))
            .acquire_timeout(config.acquire_timeout)
            .connect_with(options.clone())
            .await?;
        Self::migrate(&pool).await?;
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(config.acquire_timeout)
            // Never recycled: a new connection would start with an empty cache. Not pinged
            // before each use either: that would be one more round trip per commit, and a
            // local file does not drop connections.
            .test_before_acquire(false)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        tokio::spawn(checkpoints(pool.clone()));
        Ok(SqliteStore { pool, writer })
    }

    /// The pool commits go through: the writer's one connection.
    pub(crate) fn write_pool(&self) -> &sqlx::SqlitePool {
        &self.writer
    }

    /// A transaction that will write: it takes the write lock at BEGIN, waiting up to the busy
    /// timeout. A plain (deferred) transaction that reads before it writes fails at once with
    /// "database is locked" if another connection committed in between, since its snapshot is
    /// then stale.
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}

/// How often the background task checkpoints the WAL.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// Checkpoints the WAL off the write path until the pool closes. PASSIVE never blocks the
/// writer: it copies what no reader still needs and lets commits carry on meanwhile.
async fn checkpoints(pool: sqlx::SqlitePool) {
    let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if pool.is_closed() {
            return;
        }
        match sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            Ok(_) => {}
            Err(sqlx::Error::PoolClosed) => return,
            Err(e) => tracing::warn!(error = %e, "WAL checkpoint failed"),
        }
    }
}

crate::sql::sql_store!(
    SqliteStore,
    sqlx::Sqlite,
    Backend::Sqlite,
    crate::migrate::SQLITE
);
