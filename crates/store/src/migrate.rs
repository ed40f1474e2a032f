//! Embedded schema migrations, one directory per backend, run by sqlx's migrator.
//!
//! Applied migrations are never edited: a change to the schema is a new file with the next
//! number in both `migrations/sqlite` and `migrations/postgres`. The migrator records each
//! migration with a checksum of its file in `_sqlx_migrations`, so a database whose recorded
//! migration differs from the embedded file refuses to open instead of drifting silently; on
//! PostgreSQL it also takes an advisory lock, so nodes starting together migrate once.
//!
//! Databases made before the migrator recorded their migrations in `schema_migrations`
//! (version, name, applied). [`legacy_versions`] reads that table so the store can record
//! those versions as applied without running them again; migration 5 then drops it.

use sqlx::migrate::Migrator;

/// Migrations for SQLite.
pub static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");

/// Migrations for PostgreSQL.
pub static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");

/// The newest version recorded by the table that tracked migrations before the migrator,
/// if the database has that table. `exists_sql` asks the backend's catalogue whether the
/// table exists and returns one boolean-ish column.
macro_rules! legacy_versions {
    ($pool:expr, $db:ty, $exists_sql:expr) => {{
        use sqlx::Row as _;
        let exists: bool = sqlx::query::<$db>($exists_sql)
            .fetch_one($pool)
            .await?
            .try_get::<bool, _>(0)?;
        if exists {
            let row = sqlx::query::<$db>("SELECT MAX(version) AS v FROM schema_migrations")
                .fetch_one($pool)
                .await?;
            row.try_get::<Option<i64>, _>("v")?
        } else {
            None
        }
    }};
}
pub(crate) use legacy_versions;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_migrations() {
        let sqlite: Vec<_> = SQLITE.iter().map(|m| (m.version, &m.description)).collect();
        let postgres: Vec<_> = POSTGRES
            .iter()
            .map(|m| (m.version, &m.description))
            .collect();
        assert_eq!(sqlite, postgres);
        // Numbered 1, 2, 3, … with none missing.
        let versions: Vec<i64> = SQLITE.iter().map(|m| m.version).collect();
        let expected: Vec<i64> = (1..=versions.len() as i64).collect();
        assert_eq!(
            versions, expected,
            "migrations are numbered from 1 without gaps"
        );
        assert!(SQLITE
            .iter()
            .next()
            .unwrap()
            .sql
            .as_str()
            .contains("CREATE TABLE sessions"));
    }
}
