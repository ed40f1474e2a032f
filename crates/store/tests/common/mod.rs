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
