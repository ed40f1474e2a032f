//! scamguard store: where sessions, events, audit records and API keys live.
//!
//! # Brief overview
//!
//! One async [`Store`] trait, held as `Arc<dyn Store>`, with two implementations that run the
//! same SQL (runtime `sqlx::query`, `$1` parameters, JSON as text, times as Unix milliseconds):
//!
//! - [`SqliteStore`]: the embedded default, one file `scamguard.db` in the data directory, in
//!   WAL mode with `synchronous = NORMAL`, which survives a crash of the process without losing
//!   a committed transaction; under `serve`, commits go to an append-only journal first and
//!   reach the database in large transactions (see the `journal` module);
//! - [`PgStore`]: PostgreSQL, for several server nodes sharing one database.
//!
//! Migrations are embedded and applied when a store opens ([`migrate`]). Writes arrive in
//! batches ([`Store::commit`]): the server's group-commit writer hands over many events at
//! once and they are committed in one transaction, which is what makes both durability and
//! throughput affordable.
//!
//! Privacy is a property of what reaches this crate: sessions hold no text and no handle
//! (handles are stored only as keyed hashes, see [`HandleHasher`]), and events arrive with
//! their text already removed unless the operator turned retention on.
//!
//! # Example
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use scamguard_store::{open, StoreConfig};
//! let dir = tempfile::tempdir().unwrap();
//! let store = open(&StoreConfig::sqlite(dir.path())).await.unwrap();
//! store.ping().await.unwrap();
//! assert!(store.keys().await.unwrap().is_empty());
//! # });
//! ```

#![deny(missing_docs)]

mod audit;
pub mod console;
mod error;
mod handle;
pub mod intel;
mod journal;
pub mod migrate;
mod model;
mod packed;
mod postgres;
pub mod rate_limits;
pub mod registry;
pub mod retention;
pub mod risk;
mod sql;
mod sqlite;
pub mod stream_progress;
#[cfg(feature = "testing")]
pub mod testing;
pub mod time;
pub mod webhook;

pub use console::{ConsoleCaller, ConsoleLogin, ConsoleStore};
pub use error::StoreError;
pub use handle::{normalise_handle, HandleHasher, HANDLE_KEY_FILE};
pub use intel::{
    CampaignDetail, CampaignJoin, DecisionRecord, IntelStore, Joined, ReportQuery, ReportRecord,
};
pub use journal::JOURNAL_DIR;
pub use model::{
    ApiKeyRecord, AuditQuery, AuditRecord, EventRecord, Scope, SessionProgress, SessionQuery,
    SessionRecord, Write,
};
pub use postgres::PgStore;
pub use rate_limits::RateLimitStore;
pub use registry::{
    add_key, enrol, Actor, EnrolError, ImportSummary, KeyRevocation, OrganisationRecord,
    RegistryAuditRecord, RegistryStore, StatusChange,
};
pub use retention::{parse_period, prune, Prune, Pruned, Retention, RetentionStore};
pub use risk::{GuardianRecord, RiskLookupQuery, RiskLookupRecord, RiskStore, UserSession};
pub use sqlite::{SqliteStore, DB_FILE};
pub use stream_progress::StreamProgressStore;
pub use time::{now_ms, parse_duration, utc};
pub use webhook::{Claim, OutboxCounts, OutboxRow, WebhookStore};

/// Entry points for the fuzz targets in `/fuzz`, behind the `fuzzing` feature: the parsers of
/// untrusted bytes that are private to this crate. Not a stable API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing {
    /// Reads a journal segment as recovery does: the writes readable from its start, and the
    /// offset where the readable part ends (a torn or corrupt record stops the reading).
    pub fn read_journal_segment(bytes: &[u8]) -> (Vec<crate::Write>, usize) {
        let (writes, end) = crate::journal::decode(bytes, 0);
        (writes.into_iter().map(|(w, _)| w).collect(), end)
    }
}

use async_trait::async_trait;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// A short name for logs and health output.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Persistence for the service. Every method is one round trip or one transaction; callers
/// keep hot state in memory and come here to make it durable or to read history. The
/// organisation registry's methods come from the supertrait [`RegistryStore`], the bank's
/// side's from [`RiskStore`], console logins' from [`ConsoleStore`], deleting old records
/// from [`RetentionStore`], reports and campaigns from [`IntelStore`], shared rate limits
/// from [`RateLimitStore`], the webhook outbox's from [`WebhookStore`], stream workers'
/// progress from [`StreamProgressStore`].
#[async_trait]
pub trait Store:
    RegistryStore
    + RiskStore
    + ConsoleStore
    + RetentionStore
    + IntelStore
    + RateLimitStore
    + WebhookStore
    + StreamProgressStore
    + Send
    + Sync
    + std::fmt::Debug
    + 'static
{
    /// Which database this is.
    fn backend(&self) -> Backend;

    /// Whether [`Store::commit`] is a cheap append that orders concurrent callers itself (the
    /// SQLite journal), so callers gain nothing from grouping writes first.
    fn commits_by_appending(&self) -> bool {
        false
    }

    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Commits every write in one transaction: all of them or none.
    async fn commit(&self, writes: &[Write]) -> Result<(), StoreError>;

    /// One session, whether open or not, as of its last committed event.
    async fn session(&self, id: &str) -> Result<Option<SessionRecord>, StoreError>;

    /// Sessions, most recently active first (by `expires`, which is the last event plus the
    /// idle time). These are the session rows as last written: their `expires` and `updated`
    /// may trail the newest event by the server's refresh window, and `state` is not the
    /// latest (use [`Store::session`] for that). Whether a session is open at `open_at` is
    /// decided by its newest event.
    async fn sessions(&self, query: &SessionQuery) -> Result<Vec<SessionRecord>, StoreError>;

    /// A session's events in order.
    async fn events(&self, session_id: &str) -> Result<Vec<EventRecord>, StoreError>;

    /// The platform ids of a session's events, with their positions: what a server needs to
    /// recognise a replay after a restart.
    async fn event_ids(&self, session_id: &str) -> Result<Vec<(String, i64)>, StoreError>;

    /// One event by its platform id, to answer a replay with the stored verdict.
    async fn event_by_id(
        &self,
        session_id: &str,
        event_id: &str,
    ) -> Result<Option<EventRecord>, StoreError>;

    /// Marks sessions that expired at or before `now` (by their row and by their newest
    /// event) as closed; returns how many.
    async fn close_expired(&self, now: i64) -> Result<u64, StoreError>;

    /// How many sessions are open (not closed and not yet expired) at `now`.
    async fn count_open(&self, now: i64) -> Result<u64, StoreError>;

    /// Audit records matching `query`, newest first.
    async fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>, StoreError>;

    /// Stores a new API key. Its id and hash must be new.
    async fn insert_key(&self, key: &ApiKeyRecord) -> Result<(), StoreError>;

    /// Keys whose prefix is `prefix` (usually one), revoked or not.
    async fn keys_by_prefix(&self, prefix: &str) -> Result<Vec<ApiKeyRecord>, StoreError>;

    /// Every key, oldest first.
    async fn keys(&self) -> Result<Vec<ApiKeyRecord>, StoreError>;

    /// Revokes a key at `at`; false when no unrevoked key has that id.
    async fn revoke_key(&self, id: &str, at: i64) -> Result<bool, StoreError>;

    /// Records that the signed call assertion `id` (organisation and assertion id) was used,
    /// to be remembered until `until` (Unix seconds); false when it was used before. Atomic
    /// across nodes sharing the database.
    async fn first_use_of_token(&self, id: &str, until: i64) -> Result<bool, StoreError>;

    /// Forgets used assertions remembered until before `before` (Unix seconds); returns how
    /// many.
    async fn forget_used_tokens(&self, before: i64) -> Result<u64, StoreError>;

    /// Closes the connections, waiting for those in use. SQLite checkpoints its WAL here.
    async fn close(&self);
}

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// The data directory: holds `scamguard.db` unless `database_url` is set.
    pub data_dir: PathBuf,
    /// A `postgres://` URL; when set, the data directory holds no database.
    pub database_url: Option<String>,
    /// Most pooled connections.
    pub max_connections: u32,
    /// How long to wait for a pooled connection before failing.
    pub acquire_timeout: Duration,
    /// When the SQLite database waits for the disk.
    pub sqlite_sync: SqliteSync,
    /// Whether commits to SQLite go through the event journal (see [`SqliteStore`]): what
    /// `serve` uses. Only one process may journal into a data directory; others (the CLI's
    /// tools) leave it off and read what the server has applied.
    pub journal: bool,
}

/// How SQLite trades durability for speed. In both modes a commit survives a crash of the
/// server process (`kill -9`): it is in the operating system's hands before the answer goes
/// out. They differ when the operating system itself stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SqliteSync {
    /// Checkpoints wait for the disk: a power cut can lose the last commits, never the
    /// database. The default.
    #[default]
    Normal,
    /// Nothing waits for the disk: faster, with shorter stalls, but a power cut or an
    /// operating-system crash can corrupt the database. For disposable or replicated storage.
    Off,
}

impl StoreConfig {
    /// The embedded SQLite database in `data_dir`, with default pool settings.
    pub fn sqlite(data_dir: &Path) -> StoreConfig {
        StoreConfig {
            data_dir: data_dir.to_path_buf(),
            database_url: None,
            max_connections: 8,
            acquire_timeout: Duration::from_secs(5),
            sqlite_sync: SqliteSync::Normal,
            journal: false,
        }
    }
}

/// Opens the configured store and applies pending migrations.
pub async fn open(config: &StoreConfig) -> Result<Arc<dyn Store>, StoreError> {
    match config.database_url.as_deref() {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(Arc::new(PgStore::connect(url, config).await?))
        }
        Some(url) if url.starts_with("sqlite:") => Err(StoreError::config(format!(
            "database URL {url:?}: for SQLite, leave the URL out and set the data directory"
        ))),
        Some(url) => Err(StoreError::config(format!(
            "database URL {:?}: expected postgres://…",
            redact_url(url)
        ))),
        None => Ok(Arc::new(SqliteStore::open(&config.data_dir, config).await?)),
    }
}

/// A database URL without its password, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{}:***{}", &url[..s + 3], user, &url[at..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_redacted() {
        assert_eq!(
            redact_url("postgres://sg:secret@db:5432/sg"),
            "postgres://sg:***@db:5432/sg"
        );
        assert_eq!(redact_url("postgres://db/sg"), "postgres://db/sg");
    }
}
