//! PostgreSQL, for several nodes sharing one database.

use crate::{redact_url, Backend, StoreConfig, StoreError};
use sqlx::postgres::PgPoolOptions;

/// A store in a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PgStore {
    pub(crate) pool: sqlx::PgPool,
}

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host:port/db`) and applies pending migrations.
    pub async fn connect(url: &str, config: &StoreConfig) -> Result<PgStore, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(config.max_connections.max(1))
            .acquire_timeout(config.acquire_timeout)
            .connect(url)
            .await
            .map_err(|e| {
                StoreError::config(format!("cannot connect to {}: {e}", redact_url(url)))
            })?;
        Self::migrate(&pool).await?;
        Ok(PgStore { pool })
    }

    /// The pool commits go through: the one pool, as PostgreSQL keeps no page cache per
    /// connection.
    pub(crate) fn write_pool(&self) -> &sqlx::PgPool {
        &self.pool
    }

    /// Commits `writes`: straight to the database (PostgreSQL has its own write-ahead log, and
    /// several nodes may share it, so it keeps no journal).
    async fn commit_writes(&self, writes: &[crate::Write]) -> Result<(), StoreError> {
        self.commit_direct(writes).await
    }

    /// Events' verdicts and states are plain text: PostgreSQL compresses large values itself
    /// (TOAST), and the columns stay readable with SQL.
    const PACKED: bool = false;

    /// Never: PostgreSQL keeps no journal of its own here.
    fn journaled(&self) -> bool {
        false
    }

    /// Nothing to wait for: every acknowledged write is already in the database.
    pub(crate) async fn settled(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// Nothing to finish before the pool closes.
    async fn close_writes(&self) {}

    /// A transaction that will write (PostgreSQL's row locks need nothing special).
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, StoreError> {
        Ok(self.pool.begin().await?)
    }
}

crate::sql::sql_store!(
    PgStore,
    sqlx::Postgres,
    Backend::Postgres,
    crate::migrate::POSTGRES,
    "SELECT to_regclass('schema_migrations') IS NOT NULL"
);
