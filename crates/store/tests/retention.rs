//! Retention (issue 14, item 4), on SQLite (with and without the journal) and on PostgreSQL
//! when `SCAMGUARD_TEST_POSTGRES_URL` is set: pruning removes what is older than the cutoff and
//! keeps what is newer, in batches (console logins once expired). And the SQLite files' modes.

mod common;

use scamguard_store::testing::{scan_audit, stored_session};
use scamguard_store::{
    open, prune, AuditQuery, AuditRecord, Prune, Retention, RiskLookupQuery, RiskLookupRecord,
    Scope, Store, StoreConfig, Write,
};
use std::sync::Arc;
use std::time::Duration;

/// Everything ending before this is old.
const CUTOFF: i64 = 10_000;
const OLD: i64 = 5_000;
const NEW: i64 = 20_000;

fn risk_lookup(at: i64) -> RiskLookupRecord {
    RiskLookupRecord {
        id: 0,
        at,
        key_id: "bank".into(),
        user_hash: "u".into(),
        jti: format!("j{at}"),
        session_id: None,
        active: false,
        action: "allow".into(),
        risk: "{}".into(),
    }
}

async fn lookup_times(store: &dyn Store) -> Vec<i64> {
    let query = RiskLookupQuery {
        session_id: None,
        user_hash: Some("u".into()),
        limit: 100,
    };
    let mut at: Vec<i64> = store
        .risk_lookups(&query)
        .await
        .unwrap()
        .iter()
        .map(|l| l.at)
        .collect();
    at.sort();
    at
}

async fn audit_times(store: &dyn Store) -> Vec<i64> {
    let mut at: Vec<i64> = store
        .audit(&AuditQuery {
            limit: 10_000,
            ..AuditQuery::default()
        })
        .await
        .unwrap()
        .iter()
        .filter(|a| a.source == "message_scan")
        .map(|a| a.at)
        .collect();
    at.sort();
    at
}

/// What every store does: run on an empty database.
async fn contract(store: Arc<dyn Store>) {
    store
        .commit(&[
            stored_session("old", OLD, OLD, 3, true),
            stored_session("kept-by-event", OLD, NEW, 2, true),
            stored_session("recent", NEW, NEW, 1, true),
            stored_session("still-open", OLD, OLD, 1, false),
            Write {
                session: None,
                events: vec![],
                audit: vec![scan_audit(OLD), scan_audit(CUTOFF), scan_audit(NEW)],
                ..Write::default()
            },
        ])
        .await
        .unwrap();
    for at in [OLD, NEW] {
        store.record_risk_lookup(&risk_lookup(at)).await.unwrap();
    }
    store
        .insert_key(&common::api_key("k1", vec![Scope::Admin]))
        .await
        .unwrap();
    store
        .insert_key(&common::api_key("k2", vec![Scope::Admin]))
        .await
        .unwrap();
    for (hash, key, expires) in [("gone", "k1", OLD), ("live", "k1", NEW), ("k2s", "k2", NEW)] {
        store
            .console_login_insert(&common::console_login(hash, key, expires))
            .await
            .unwrap();
    }
    assert!(
        store
            .console_login_insert(&common::console_login("live", "k2", NEW))
            .await
            .is_err(),
        "a login id is unique"
    );

    // Console logins: found until they expire, are ended, or their key is revoked.
    let live = store.console_login("live", CUTOFF).await.unwrap().unwrap();
    assert_eq!((live.key_id.as_str(), live.expires), ("k1", NEW));
    assert_eq!(live.scopes, vec![Scope::Admin]);
    assert!(
        store.console_login("gone", CUTOFF).await.unwrap().is_none(),
        "expired"
    );
    assert!(store.console_login("nope", CUTOFF).await.unwrap().is_none());
    assert!(
        store.console_login("live", NEW).await.unwrap().is_none(),
        "expires at NEW"
    );
    assert!(store.console_login("k2s", CUTOFF).await.unwrap().is_some());
    assert!(store.revoke_key("k2", 2).await.unwrap());
    assert!(
        store.console_login("k2s", CUTOFF).await.unwrap().is_none(),
        "key revoked"
    );

    // Pruning everything that ended before CUTOFF.
    let pruned = prune(&*store, &Retention::all(Duration::ZERO), CUTOFF, None)
        .await
        .unwrap();
    assert_eq!(
        (
            pruned.sessions,
            pruned.events,
            pruned.audit,
            pruned.console_logins
        ),
        (1, 3, 2, 1),
        "{pruned:?}"
    );
    assert!(store.session("old").await.unwrap().is_none());
    assert!(store.events("old").await.unwrap().is_empty());
    for kept in ["kept-by-event", "recent", "still-open"] {
        assert!(store.session(kept).await.unwrap().is_some(), "{kept}");
    }
    assert_eq!(store.events("kept-by-event").await.unwrap().len(), 2);
    assert_eq!(
        audit_times(&*store).await,
        vec![CUTOFF, NEW],
        "at CUTOFF is not before it"
    );
    assert_eq!(
        lookup_times(&*store).await,
        vec![NEW],
        "risk lookups are audit records"
    );
    assert!(store.console_login("live", CUTOFF).await.unwrap().is_some());
    assert!(store.console_logout("live").await.unwrap());
    assert!(
        !store.console_logout("live").await.unwrap(),
        "already ended"
    );
    assert!(store.console_login("live", CUTOFF).await.unwrap().is_none());

    // Nothing old is left: a second pass removes nothing; a period kept for ever is skipped.
    let again = prune(&*store, &Retention::all(Duration::ZERO), CUTOFF, None)
        .await
        .unwrap();
    assert_eq!(again.total(), 0, "{again:?}");
    let forever = Retention {
        sessions: None,
        audit: None,
        reports: None,
    };
    let later = prune(&*store, &forever, i64::MAX / 2, None).await.unwrap();
    assert_eq!(
        later.total(),
        1,
        "only the expired console login k2s: {later:?}"
    );
    assert!(store.session("recent").await.unwrap().is_some());

    // Batches: a pass with a budget of one batch removes one batch of each kind.
    let many_audit: Vec<AuditRecord> = (0..Prune::Audit.batch() + 34)
        .map(|i| scan_audit(OLD + i64::from(i)))
        .collect();
    let many_sessions: Vec<Write> = (0..Prune::Sessions.batch() + 7)
        .map(|i| stored_session(&format!("batch-{i}"), OLD, OLD, 2, true))
        .collect();
    store
        .commit(&[Write {
            session: None,
            events: vec![],
            audit: many_audit,
            ..Write::default()
        }])
        .await
        .unwrap();
    store.commit(&many_sessions).await.unwrap();
    let one = prune(&*store, &Retention::all(Duration::ZERO), CUTOFF, Some(1))
        .await
        .unwrap();
    assert_eq!(one.audit, u64::from(Prune::Audit.batch()));
    assert_eq!(one.sessions, u64::from(Prune::Sessions.batch()));
    assert_eq!(one.events, 2 * u64::from(Prune::Sessions.batch()));
    let rest = prune(&*store, &Retention::all(Duration::ZERO), CUTOFF, Some(1))
        .await
        .unwrap();
    assert_eq!((rest.audit, rest.sessions, rest.events), (34, 7, 14));
    assert_eq!(audit_times(&*store).await, vec![CUTOFF, NEW]);
    store.close().await;
}

#[tokio::test]
async fn sqlite_prunes_what_is_old_and_keeps_what_is_new() {
    let dir = tempfile::tempdir().unwrap();
    contract(open(&StoreConfig::sqlite(dir.path())).await.unwrap()).await;
}

#[tokio::test]
async fn journaled_sqlite_prunes_what_it_has_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let config = StoreConfig {
        journal: true,
        ..StoreConfig::sqlite(dir.path())
    };
    contract(open(&config).await.unwrap()).await;
}

#[tokio::test]
async fn postgres_prunes_what_is_old_and_keeps_what_is_new() {
    // Pruning is database-wide: a database of its own.
    let dir = tempfile::tempdir().unwrap();
    let store = common::fresh_postgres_store(module_path!(), "sg_retention", dir.path()).await;
    if let Some(store) = store {
        contract(store).await;
    }
}

/// Issue 14, item 4: the database and its WAL and shared-memory files are readable by their
/// owner only, new or from an older release, and so is the journal's directory.
#[cfg(unix)]
#[tokio::test]
async fn sqlite_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mode = |name: &str| {
        std::fs::metadata(dir.path().join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    let config = StoreConfig {
        journal: true,
        ..StoreConfig::sqlite(dir.path())
    };
    let store = open(&config).await.unwrap();
    store
        .commit(&[stored_session("s", NEW, NEW, 1, false)])
        .await
        .unwrap();
    assert!(store.session("s").await.unwrap().is_some());
    for file in ["scamguard.db", "scamguard.db-wal", "scamguard.db-shm"] {
        assert_eq!(mode(file), 0o600, "{file}");
    }
    assert_eq!(mode("journal"), 0o700);
    let segments: Vec<_> = std::fs::read_dir(dir.path().join("journal"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".log"))
        .collect();
    assert!(!segments.is_empty(), "an open journal has a segment");
    for name in segments {
        assert_eq!(mode(&format!("journal/{name}")), 0o600, "{name}");
    }
    store.close().await;

    // Files an older release left readable are tightened when the store opens.
    for file in ["scamguard.db", "journal"] {
        let path = dir.path().join(file);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::write(dir.path().join("scamguard.db-wal"), b"").unwrap();
    std::fs::set_permissions(
        dir.path().join("scamguard.db-wal"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let store = open(&config).await.unwrap();
    assert!(store.session("s").await.unwrap().is_some());
    assert_eq!(mode("scamguard.db"), 0o600);
    assert_eq!(mode("scamguard.db-wal"), 0o600);
    assert_eq!(mode("journal"), 0o700);
    store.close().await;
}
