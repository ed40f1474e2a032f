//! What the store's integration tests share: where PostgreSQL is, and fresh databases on it.

#![allow(dead_code)] // each test binary uses part of it

/// The PostgreSQL server the tests may fill, from `SCAMGUARD_TEST_POSTGRES_URL`. When it is
/// unset the test is skipped with a line on stderr, except under `CI=true`, where a skipped
/// PostgreSQL test would hide a failure: there it fails.
pub fn postgres_url(test: &str) -> Option<String> {
    match std::env::var("SCAMGUARD_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{test}: SCAMGUARD_TEST_POSTGRES_URL is not set, and CI=true requires it")
        }
        _ => {
            eprintln!("{test}: SCAMGUARD_TEST_POSTGRES_URL is not set: skipped");
            None
        }
    }
}

/// A new, empty database on the server at `url`; returns its URL.
pub async fn fresh_postgres_database(url: &str, prefix: &str) -> String {
    use sqlx::Connection as _;
    let mut conn = sqlx::PgConnection::connect(url).await.expect("connect");
    let mut b = [0u8; 6];
    getrandom::fill(&mut b).unwrap();
    let name = format!("{prefix}_{}", hex::encode(b));
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create database");
    let (base, _) = url
        .rsplit_once('/')
        .expect("a database URL ends with /name");
    format!("{base}/{name}")
}

/// A store on a new, empty PostgreSQL database (its other files in `dir`), or `None` when the
/// tests have no PostgreSQL (see [`postgres_url`]).
pub async fn fresh_postgres_store(
    test: &str,
    prefix: &str,
    dir: &std::path::Path,
) -> Option<std::sync::Arc<dyn scamguard_store::Store>> {
    let url = postgres_url(test)?;
    let config = scamguard_store::StoreConfig {
        database_url: Some(fresh_postgres_database(&url, prefix).await),
        ..scamguard_store::StoreConfig::sqlite(dir)
    };
    Some(
        scamguard_store::open(&config)
            .await
            .expect("open PostgreSQL"),
    )
}

/// A SQLite store in `dir` whose writes go through the journal.
pub async fn journal_store(dir: &std::path::Path) -> std::sync::Arc<dyn scamguard_store::Store> {
    let mut config = scamguard_store::StoreConfig::sqlite(dir);
    config.journal = true;
    scamguard_store::open(&config).await.expect("open SQLite")
}

/// An API key record with `scopes`, made on day one.
pub fn api_key(id: &str, scopes: Vec<scamguard_store::Scope>) -> scamguard_store::ApiKeyRecord {
    scamguard_store::ApiKeyRecord {
        id: id.into(),
        prefix: format!("sg_{id}"),
        hash: format!("hash-{id}"),
        scopes,
        label: None,
        created: 1,
        revoked: None,
    }
}

/// A console login of `key` until `expires`.
pub fn console_login(hash: &str, key: &str, expires: i64) -> scamguard_store::ConsoleLogin {
    scamguard_store::ConsoleLogin {
        id_hash: hash.into(),
        key_id: key.into(),
        created: 1,
        expires,
    }
}

/// Two tests running `async fn contract(Arc<dyn Store>)`: on SQLite through the journal, and on
/// a fresh PostgreSQL database named after `prefix`.
#[allow(unused_macros)]
macro_rules! journal_and_postgres_keep_the_contract {
    ($contract:ident, $prefix:literal) => {
        #[tokio::test]
        async fn sqlite_through_the_journal_keeps_the_contract() {
            let dir = tempfile::tempdir().unwrap();
            $contract(common::journal_store(dir.path()).await).await;
        }

        #[tokio::test]
        async fn postgres_keeps_the_contract() {
            let dir = tempfile::tempdir().unwrap();
            let store = common::fresh_postgres_store(module_path!(), $prefix, dir.path()).await;
            if let Some(store) = store {
                $contract(store).await;
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use journal_and_postgres_keep_the_contract;
