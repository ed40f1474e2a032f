//! Schema migrations: a database made by the release before sqlx's migrator upgrades in place,
//! and a recorded migration that differs from the embedded file stops the store from opening.

mod common;

use scamguard_store::{open, StoreConfig, DB_FILE};

/// The SQLite database of release 0.1 (`schema_migrations` up to version 4), made by that
/// release's binary: an API key, an enrolled organisation and one session of three events.
const V01_SQLITE: &[u8] = include_bytes!("fixtures/v0.1-sqlite.db");

async fn tables(pool: &sqlx::SqlitePool) -> Vec<String> {
    sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .fetch_all(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_release_01_sqlite_database_upgrades_in_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(DB_FILE), V01_SQLITE).unwrap();
    let store = open(&StoreConfig::sqlite(dir.path())).await.unwrap();
    let sessions = store
        .sessions(&scamguard_store::SessionQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].max_action, "block");
    assert_eq!(store.events(&sessions[0].id).await.unwrap().len(), 3);
    assert_eq!(store.keys().await.unwrap().len(), 1);
    assert_eq!(
        store.registry_list().await.unwrap()[0].organisation.id,
        "hz-police"
    );
    store.close().await;

    let pool =
        sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.path().join(DB_FILE).display()))
            .await
            .unwrap();
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY 1")
        .fetch_all(&pool)
        .await
        .unwrap();
    let embedded: Vec<i64> = scamguard_store::migrate::SQLITE
        .iter()
        .map(|m| m.version)
        .collect();
    assert_eq!(applied, embedded);
    assert!(!tables(&pool)
        .await
        .contains(&"schema_migrations".to_string()));
    pool.close().await;

    // And it opens again with nothing to do.
    let store = open(&StoreConfig::sqlite(dir.path())).await.unwrap();
    assert_eq!(store.keys().await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_edited_migration_is_noticed() {
    let dir = tempfile::tempdir().unwrap();
    open(&StoreConfig::sqlite(dir.path()))
        .await
        .unwrap()
        .close()
        .await;
    let pool =
        sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.path().join(DB_FILE).display()))
            .await
            .unwrap();
    sqlx::query("UPDATE _sqlx_migrations SET checksum = x'00' WHERE version = 2")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let err = open(&StoreConfig::sqlite(dir.path())).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("migration 2 was previously applied but has been modified"),
        "{err}"
    );
}

/// Runs migrations 1-4 the way release 0.1 did: each file's statements, then a row in
/// `schema_migrations`.
async fn make_release_01_postgres(url: &str) {
    use sqlx::Connection as _;
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    sqlx::raw_sql(
        "CREATE TABLE schema_migrations \
         (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied BIGINT NOT NULL)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    for m in scamguard_store::migrate::POSTGRES.iter().take(4) {
        sqlx::raw_sql(sqlx::AssertSqlSafe(m.sql.as_str().to_string()))
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("INSERT INTO schema_migrations VALUES ($1, $2, 0)")
            .bind(m.version)
            .bind(format!("{:04}_{}.sql", m.version, m.description))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    sqlx::query(
        "INSERT INTO api_keys (id, prefix, hash, scopes, label, created) \
         VALUES ('k1', 'sg_x', 'abc', 'scan', NULL, 1)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
}

#[tokio::test]
async fn a_release_01_postgres_database_upgrades_in_place() {
    let Some(url) = common::postgres_url("a_release_01_postgres_database_upgrades_in_place") else {
        return;
    };
    let url = common::fresh_postgres_database(&url, "sg_legacy").await;
    make_release_01_postgres(&url).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = StoreConfig::sqlite(dir.path());
    config.database_url = Some(url.clone());
    let store = open(&config).await.unwrap();
    assert_eq!(store.keys().await.unwrap()[0].id, "k1");
    store.close().await;
    let store = open(&config).await.unwrap();
    assert_eq!(store.keys().await.unwrap().len(), 1);
    store.close().await;
}
