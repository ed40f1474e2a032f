//! The embedded default: one SQLite file in the data directory.

use crate::journal::{self, Apply, Journal, Position, JOURNAL_DIR};
use crate::{Backend, SqliteSync, StoreConfig, StoreError, Write};
use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// The database file's name inside the data directory.
pub const DB_FILE: &str = "scamguard.db";

/// A store in `DATA_DIR/scamguard.db`. With [`StoreConfig::journal`], commits are appended
/// to `DATA_DIR/journal/` and applied to the database in the background (see the `journal`
/// module); reads wait for what they must see.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pub(crate) pool: sqlx::SqlitePool,
    /// One connection that makes every event commit. SQLite empties a connection's page cache
    /// whenever another connection has written since its last transaction; were commits spread
    /// over the pool, each would start cold and re-read the index pages it touches.
    pub(crate) writer: sqlx::SqlitePool,
    journal: Option<Arc<Journal>>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database in `dir` and applies pending migrations.
    pub async fn open(dir: &Path, config: &StoreConfig) -> Result<SqliteStore, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        keep_private(dir)?;
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
            // committing connection itself, which this threshold triggers. Without the
            // journal every acknowledgement waits for that stall, so it is kept short (2,000
            // pages: in the load test of docs/benchmarks.md 16,384 gave a 95 ms p99, 2,000 gave
            // 24 ms). With the journal only the applier waits, and a long interval copies each
            // index page rewritten by many transactions once (20,000 pages, 80 MiB of WAL:
            // the applier kept up at 19.7k events/s where at 2,000 it fell behind at 15k).
            .pragma(
                "wal_autocheckpoint",
                if config.journal { "20000" } else { "2000" },
            )
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
        let db = Arc::new(Applier {
            writer: writer.clone(),
        });
        let applied = db.position().await?;
        let journal_dir = dir.join(JOURNAL_DIR);
        let journal = if config.journal {
            let journal = Journal::open(&journal_dir, applied, db).await?;
            tighten(&journal_dir, 0o700)?;
            Some(Arc::new(journal))
        } else {
            journal::recover_if_idle(&journal_dir, applied, db.as_ref()).await?;
            None
        };
        Ok(SqliteStore {
            pool,
            writer,
            journal,
        })
    }

    /// Commits `writes`: to the journal when there is one, else to the database.
    async fn commit_writes(&self, writes: &[Write]) -> Result<(), StoreError> {
        match &self.journal {
            Some(j) => j.append(writes).await,
            None => self.commit_direct(writes).await,
        }
    }

    /// Events' verdicts and states are stored packed (see `packed.rs`).
    const PACKED: bool = true;

    /// Whether commits go through the journal.
    fn journaled(&self) -> bool {
        self.journal.is_some()
    }

    /// Waits until every write acknowledged so far is in the database.
    pub(crate) async fn settled(&self) -> Result<(), StoreError> {
        match &self.journal {
            Some(j) => j.settled().await,
            None => Ok(()),
        }
    }

    /// Applies what the journal holds and stops it.
    async fn close_writes(&self) {
        if let Some(j) = &self.journal {
            j.close().await;
        }
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

/// Makes the database and its `-wal` and `-shm` files readable and writable by this user only
/// (0600), and the journal's directory likewise (0700): they hold the service's records.
/// A new database starts as an empty file made with mode 0600 here, because SQLite gives the
/// `-wal` and `-shm` files the mode of the database; files from an older release are
/// tightened.
fn keep_private(dir: &Path) -> Result<(), StoreError> {
    let db = dir.join(DB_FILE);
    let mut new = std::fs::OpenOptions::new();
    new.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut new, 0o600);
    match new.open(&db) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(source) => {
            return Err(StoreError::Io {
                path: db.display().to_string(),
                source,
            })
        }
    }
    for suffix in ["", "-wal", "-shm"] {
        tighten(&dir.join(format!("{DB_FILE}{suffix}")), 0o600)?;
    }
    tighten(&dir.join(JOURNAL_DIR), 0o700)
}

/// Sets `path`'s mode to `mode` if it exists and others or its group may use it.
fn tighten(path: &Path, mode: u32) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let io = |source| StoreError::Io {
            path: path.display().to_string(),
            source,
        };
        match std::fs::metadata(path) {
            Ok(m) if m.permissions().mode() & 0o077 != 0 => {
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
                    .map_err(io)?;
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(e)),
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Where the journal's writes go: the writer's connection, one transaction per batch that also
/// records the journal position it reaches.
struct Applier {
    writer: sqlx::SqlitePool,
}

impl Applier {
    /// How far the journal was applied (the start, if never).
    async fn position(&self) -> Result<Position, StoreError> {
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT segment, byte_offset FROM journal_applied WHERE id = 1")
                .fetch_optional(&self.writer)
                .await?;
        Ok(
            row.map_or(Position::default(), |(segment, offset)| Position {
                segment: u64::try_from(segment).unwrap_or(0),
                offset: u64::try_from(offset).unwrap_or(0),
            }),
        )
    }
}

#[async_trait]
impl Apply for Applier {
    async fn apply(&self, writes: &[Write], end: Position) -> Result<(), StoreError> {
        let (sessions, events, audit) = SqliteStore::rows(writes);
        let mut tx = self.writer.begin().await?;
        SqliteStore::insert_rows(&mut tx, &sessions, &events, &audit).await?;
        sqlx::query(
            "INSERT INTO journal_applied (id, segment, byte_offset) VALUES (1, $1, $2) \
             ON CONFLICT (id) DO UPDATE SET segment = excluded.segment, \
             byte_offset = excluded.byte_offset",
        )
        .bind(i64::try_from(end.segment).unwrap_or(i64::MAX))
        .bind(i64::try_from(end.offset).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
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
    crate::migrate::SQLITE,
    "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')"
);
