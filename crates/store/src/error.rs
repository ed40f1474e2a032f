//! The store's one error type.

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The store is misconfigured (a bad URL, an unusable data directory or key file).
    #[error("{0}")]
    Config(String),
    /// A unique constraint refused the write: the thing already exists.
    #[error("already exists: {0}")]
    Conflict(String),
    /// A stored value could not be read back (corrupt JSON, an unknown scope).
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// A schema migration failed, or a recorded one differs from the embedded file.
    #[error("schema migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// Reading or writing a file in the data directory failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// The database failed or could not be reached.
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl StoreError {
    /// A configuration error.
    pub fn config(message: impl Into<String>) -> Self {
        StoreError::Config(message.into())
    }

    /// Whether retrying later could help (the database is busy, down or out of connections),
    /// as opposed to a request that can never succeed.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Database(_))
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        // Turn unique violations into a kind callers can match on, like realworld's
        // `on_constraint`: a duplicate is the caller's problem, not an outage.
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                return StoreError::Conflict(db.message().to_string());
            }
        }
        StoreError::Database(e)
    }
}
