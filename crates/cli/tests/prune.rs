//! `scamguard prune` (issue 14, item 4): deletes closed sessions with their events and audit
//! records older than `--older-than`, keeps what is newer and what is open, and says what it
//! removed; on SQLite in a data directory, and with `--database-url` on PostgreSQL when
//! `SCAMGUARD_TEST_POSTGRES_URL` is set.

use scamguard_store::testing::{scan_audit, stored_session};
use scamguard_store::{now_ms, open, AuditQuery, Store, StoreConfig, Write};
use std::process::{Command, Output};
use std::sync::Arc;

#[path = "../../store/tests/common/mod.rs"]
mod pg;

const BIN: &str = env!("CARGO_BIN_EXE_scamguard");
const DAY: i64 = 86_400_000;

/// Sessions a year old (closed), a day old (closed), and a year old but never closed, each
/// with two events; audit records a year and a day old.
async fn fill(store: &Arc<dyn Store>) {
    let now = now_ms();
    store
        .commit(&[
            stored_session("year-old", now - 365 * DAY, now - 365 * DAY, 2, true),
            stored_session("day-old", now - DAY, now - DAY, 2, true),
            stored_session("open", now + DAY, now + DAY, 2, false),
            Write {
                audit: vec![scan_audit(now - 365 * DAY), scan_audit(now - DAY)],
                ..Write::default()
            },
        ])
        .await
        .unwrap();
}

fn prune(store_args: &[&str], older_than: &str) -> Output {
    Command::new(BIN)
        .arg("prune")
        .args(store_args)
        .args(["--older-than", older_than])
        .output()
        .unwrap()
}

/// What `prune` printed, and that it succeeded.
fn printed(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn line<'a>(stdout: &'a str, what: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.starts_with(what))
        .unwrap_or_else(|| panic!("no {what} line in {stdout}"))
}

async fn sessions_left(store: &Arc<dyn Store>) -> Vec<String> {
    let mut left = Vec::new();
    for id in ["year-old", "day-old", "open"] {
        if store.session(id).await.unwrap().is_some() {
            assert_eq!(store.events(id).await.unwrap().len(), 2, "{id}'s events");
            left.push(id.to_string());
        } else {
            assert!(store.events(id).await.unwrap().is_empty(), "{id}'s events");
        }
    }
    left
}

async fn audit_left(store: &Arc<dyn Store>) -> usize {
    store
        .audit(&AuditQuery {
            limit: 100,
            ..AuditQuery::default()
        })
        .await
        .unwrap()
        .len()
}

/// Runs the checks against the store `config` opens, pruning with `store_args`.
async fn prunes_by_age(config: StoreConfig, store_args: &[&str]) {
    let store = open(&config).await.unwrap();
    fill(&store).await;
    store.close().await;

    let out = printed(&prune(store_args, "30d"));
    assert!(
        line(&out, "sessions").contains(" 1  with 2 events"),
        "{out}"
    );
    assert!(line(&out, "audit records").contains(" 1  ("), "{out}");
    assert!(line(&out, "removed").contains("removed 4 records"), "{out}");
    let store = open(&config).await.unwrap();
    assert_eq!(sessions_left(&store).await, ["day-old", "open"]);
    assert_eq!(audit_left(&store).await, 1);
    store.close().await;

    // 0s: everything that has ended; an open session stays.
    let out = printed(&prune(store_args, "0s"));
    assert!(line(&out, "removed").contains("removed 4 records"), "{out}");
    let store = open(&config).await.unwrap();
    assert_eq!(sessions_left(&store).await, ["open"]);
    assert_eq!(audit_left(&store).await, 0);
    store.close().await;

    let out = printed(&prune(store_args, "0s"));
    assert!(line(&out, "removed").contains("removed 0 records"), "{out}");
}

#[tokio::test]
async fn prune_removes_what_is_older_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    prunes_by_age(StoreConfig::sqlite(dir.path()), &["--data-dir", data]).await;

    let out = prune(&["--data-dir", data], "ninety days");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--older-than") && err.contains("90d"), "{err}");
}

#[tokio::test]
async fn prune_removes_what_is_older_on_postgres() {
    let Some(url) = pg::postgres_url("prune_removes_what_is_older_on_postgres") else {
        return;
    };
    // Pruning is database-wide: a database of its own.
    let url = pg::fresh_postgres_database(&url, "sg_prune").await;
    let dir = tempfile::tempdir().unwrap();
    let config = StoreConfig {
        database_url: Some(url.clone()),
        ..StoreConfig::sqlite(dir.path())
    };
    prunes_by_age(config, &["--database-url", &url]).await;
}
