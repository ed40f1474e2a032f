//! The store contract, run against SQLite always and against PostgreSQL when
//! `SCAMGUARD_TEST_POSTGRES_URL` names a database the test may fill (CI sets it).

mod common;

use scamguard_store::{
    open, ApiKeyRecord, AuditQuery, AuditRecord, EventRecord, Scope, SessionProgress, SessionQuery,
    SessionRecord, Store, StoreConfig, StoreError, Write, JOURNAL_DIR,
};
use std::sync::Arc;

fn session(id: &str, updated: i64, expires: i64) -> SessionRecord {
    SessionRecord {
        id: id.into(),
        created: 1_000,
        updated,
        expires,
        channel: "video_call".into(),
        locale: "zh-Hans".into(),
        handle_hash: "h1".into(),
        state: r#"{"events":0}"#.into(),
        max_action: "allow".into(),
        closed: false,
        owner: None,
    }
}

fn event(session_id: &str, seq: i64, event_id: Option<&str>) -> EventRecord {
    EventRecord {
        session_id: session_id.into(),
        seq,
        event_id: event_id.map(String::from),
        kind: "screen_share_request".into(),
        at: 2_000 + seq,
        action: "block".into(),
        payload: r#"{"type":"screen_share_request"}"#.into(),
        verdict: format!(r#"{{"action":"block","seq":{seq}}}"#),
        progress: None,
    }
}

fn audit(session_id: Option<&str>, at: i64, handle: &str) -> AuditRecord {
    AuditRecord {
        id: 0,
        at,
        source: "session".into(),
        session_id: session_id.map(String::from),
        seq: Some(1),
        handle_hash: Some(handle.into()),
        action: "block".into(),
        score: 12.5,
        rules: vec!["authority_asks_for_screen".into()],
        signals: vec![
            "claims_service_role".into(),
            "screen_share_requested".into(),
        ],
        reason: "不要共享屏幕".into(),
    }
}

/// A unique prefix so that runs against a shared PostgreSQL database do not collide.
fn unique(tag: &str) -> String {
    let mut b = [0u8; 6];
    getrandom::fill(&mut b).unwrap();
    format!("{tag}-{}", hex::encode(b))
}

/// An event that carries the session's progress, with a verdict an audit record can be read
/// from.
fn progressed(session_id: &str, seq: i64, action: &str, updated: i64, expires: i64) -> EventRecord {
    EventRecord {
        action: action.into(),
        verdict: format!(
            r#"{{"action":"{action}","score":{seq}.5,"signals":[{{"code":"claims_authority","weight":6.0,"evidence":["公安局"]}},{{"code":"context_only","weight":0.0,"evidence":[]}}],"directives":[],"rules":[{{"name":"authority_asks_for_screen","action":"block"}}],"locale":"zh-Hans","explanation":"不要共享屏幕"}}"#
        ),
        progress: Some(SessionProgress {
            state: format!(r#"{{"events":{seq}}}"#),
            updated,
            expires,
        }),
        ..event(session_id, seq, None)
    }
}

/// Events that carry progress: the session reads as of its newest event, stays open while
/// that event says so, and its flagged events are its audit trail.
async fn progress_travels_with_events(store: &dyn Store) {
    let c = unique("c");
    let mut handle_row = session(&c, 1_000, 2_000);
    handle_row.handle_hash = unique("hc");
    let handle = handle_row.handle_hash.clone();
    store
        .commit(&[Write {
            session: Some(handle_row.clone()),
            events: vec![progressed(&c, 0, "allow", 1_000, 2_000)],
            audit: vec![],
            user_hash: None,
            owner: None,
        }])
        .await
        .unwrap();
    // Two more events, the session row left as it was.
    store
        .commit(&[Write {
            session: None,
            events: vec![
                progressed(&c, 1, "warn", 1_500, 2_500),
                progressed(&c, 2, "block", 1_900, 2_900),
            ],
            audit: vec![],
            user_hash: None,
            owner: None,
        }])
        .await
        .unwrap();
    let now = store.session(&c).await.unwrap().unwrap();
    assert_eq!(now.state, r#"{"events":2}"#, "state of the newest event");
    assert_eq!((now.updated, now.expires), (1_900, 2_900));
    assert_eq!(now.created, 1_000);

    // The row says it expired at 2000; its newest event keeps it open until 2900.
    let open_at = |t| SessionQuery {
        open_at: Some(t),
        expires_before: None,
        limit: 10_000,
    };
    let listed = store.sessions(&open_at(2_100)).await.unwrap();
    assert!(listed.iter().any(|s| s.id == c), "listed as open at 2100");
    store.close_expired(2_100).await.unwrap();
    assert!(!store.session(&c).await.unwrap().unwrap().closed);
    let listed = store.sessions(&open_at(2_900)).await.unwrap();
    assert!(!listed.iter().any(|s| s.id == c), "expired at 2900");
    store.close_expired(2_900).await.unwrap();
    assert!(store.session(&c).await.unwrap().unwrap().closed);

    // Audit: the warn and the block, newest first, by session, by handle and by time.
    let by = |session_id: Option<String>, handle_hash: Option<String>, since, until| AuditQuery {
        session_id,
        handle_hash,
        since,
        until,
        limit: 10,
    };
    let trail = store
        .audit(&by(Some(c.clone()), None, None, None))
        .await
        .unwrap();
    assert_eq!(
        trail
            .iter()
            .map(|r| (r.seq, r.at, r.action.as_str()))
            .collect::<Vec<_>>(),
        vec![(Some(2), 1_900, "block"), (Some(1), 1_500, "warn")]
    );
    let r = &trail[0];
    assert_eq!(
        r.signals,
        vec!["claims_authority"],
        "weightless signals are left out"
    );
    assert_eq!(r.rules, vec!["authority_asks_for_screen"]);
    assert_eq!((r.score, r.reason.as_str()), (2.5, "不要共享屏幕"));
    assert_eq!(r.handle_hash.as_deref(), Some(handle.as_str()));
    assert_eq!(r.source, "session");
    assert_eq!(
        store
            .audit(&by(None, Some(handle.clone()), None, None))
            .await
            .unwrap(),
        trail
    );
    let window = store
        .audit(&by(None, Some(handle.clone()), Some(1_600), Some(2_000)))
        .await
        .unwrap();
    assert_eq!(window.len(), 1);
    assert_eq!(window[0].seq, Some(2));
    let one = AuditQuery {
        limit: 1,
        ..by(None, Some(handle), None, None)
    };
    assert_eq!(store.audit(&one).await.unwrap().len(), 1);
}

async fn contract(store: Arc<dyn Store>, journaled: bool) {
    store.ping().await.unwrap();
    let a = unique("a");
    let b = unique("b");

    // One batch: two sessions, three events, one audit record.
    let mut sa = session(&a, 3_000, 10_000);
    store
        .commit(&[
            Write {
                session: Some(sa.clone()),
                events: vec![event(&a, 0, None), event(&a, 1, Some("e1"))],
                audit: vec![audit(Some(&a), 3_000, "h1")],
                user_hash: None,
                owner: Some("k1".into()),
            },
            Write {
                session: Some(session(&b, 4_000, 5_000)),
                events: vec![event(&b, 0, None)],
                audit: vec![],
                user_hash: None,
                owner: None,
            },
        ])
        .await
        .unwrap();
    // The owner is written with the session's first write and read back with the session.
    sa.owner = Some("k1".into());
    assert_eq!(store.session(&a).await.unwrap().unwrap(), sa);
    assert!(store.session(&unique("none")).await.unwrap().is_none());
    let evs = store.events(&a).await.unwrap();
    assert_eq!(evs.len(), 2);
    assert_eq!(evs[1], event(&a, 1, Some("e1")));
    assert_eq!(
        store.event_ids(&a).await.unwrap(),
        vec![("e1".to_string(), 1)]
    );
    assert_eq!(
        store.event_by_id(&a, "e1").await.unwrap(),
        Some(event(&a, 1, Some("e1")))
    );
    assert!(store.event_by_id(&a, "e9").await.unwrap().is_none());

    // Updating a session replaces its state; the same event id is refused.
    sa.state = r#"{"events":1}"#.into();
    sa.max_action = "block".into();
    sa.updated = 6_000;
    sa.expires = 20_000;
    store
        .commit(&[Write {
            session: Some(sa.clone()),
            events: vec![event(&a, 2, Some("e2"))],
            audit: vec![],
            user_hash: None,
            owner: None,
        }])
        .await
        .unwrap();
    assert_eq!(store.session(&a).await.unwrap().unwrap(), sa);
    let duplicate = store
        .commit(&[Write {
            session: None,
            events: vec![event(&a, 3, Some("e1"))],
            audit: vec![],
            user_hash: None,
            owner: None,
        }])
        .await;
    if journaled {
        // The journal acknowledges before the database sees the write; the applier then
        // refuses it alone, and the writes after it still land.
        duplicate.unwrap();
        store
            .commit(&[Write {
                session: None,
                events: vec![],
                audit: vec![audit(None, 3_500, "h9")],
                user_hash: None,
                owner: None,
            }])
            .await
            .unwrap();
        let q = AuditQuery {
            handle_hash: Some("h9".into()),
            limit: 10,
            ..AuditQuery::default()
        };
        assert_eq!(store.audit(&q).await.unwrap().len(), 1);
    } else {
        let err = duplicate.unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    }
    assert_eq!(
        store.events(&a).await.unwrap().len(),
        3,
        "a failed batch leaves nothing"
    );

    // Listing and expiry.
    let open = store
        .sessions(&SessionQuery {
            open_at: Some(7_000),
            expires_before: None,
            limit: 1000,
        })
        .await
        .unwrap();
    assert!(open.iter().any(|s| s.id == a));
    assert!(!open.iter().any(|s| s.id == b), "b expired at 5000");
    assert!(store.count_open(7_000).await.unwrap() >= 1);
    assert!(store.close_expired(7_000).await.unwrap() >= 1);
    assert!(store.session(&b).await.unwrap().unwrap().closed);
    assert!(!store.session(&a).await.unwrap().unwrap().closed);

    // Audit queries by session, handle and time.
    let handle = unique("h");
    store
        .commit(&[Write {
            session: None,
            events: vec![],
            audit: vec![
                audit(None, 100, &handle),
                audit(None, 200, &handle),
                audit(None, 300, &handle),
            ],
            user_hash: None,
            owner: None,
        }])
        .await
        .unwrap();
    let q = |since, until| AuditQuery {
        handle_hash: Some(handle.clone()),
        since,
        until,
        limit: 100,
        ..AuditQuery::default()
    };
    let all = store.audit(&q(None, None)).await.unwrap();
    assert_eq!(
        all.iter().map(|r| r.at).collect::<Vec<_>>(),
        vec![300, 200, 100]
    );
    assert_eq!(all[0].signals, audit(None, 0, "").signals);
    assert_eq!(all[0].reason, "不要共享屏幕");
    assert_eq!(
        store.audit(&q(Some(200), Some(300))).await.unwrap().len(),
        1
    );
    let by_session = store
        .audit(&AuditQuery {
            session_id: Some(a.clone()),
            limit: 10,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(by_session.len(), 1);
    assert_eq!(by_session[0].session_id.as_deref(), Some(a.as_str()));

    progress_travels_with_events(store.as_ref()).await;

    // Keys.
    let id = unique("k");
    let key = ApiKeyRecord {
        id: id.clone(),
        prefix: id.clone(),
        hash: unique("hash"),
        scopes: vec![Scope::Scan],
        label: Some("platform".into()),
        created: 1,
        revoked: None,
    };
    store.insert_key(&key).await.unwrap();
    assert!(matches!(
        store.insert_key(&key).await.unwrap_err(),
        StoreError::Conflict(_)
    ));
    assert_eq!(store.keys_by_prefix(&id).await.unwrap(), vec![key.clone()]);
    assert!(store.keys().await.unwrap().contains(&key));
    assert!(store.revoke_key(&id, 5).await.unwrap());
    assert!(!store.revoke_key(&id, 6).await.unwrap(), "already revoked");
    assert_eq!(store.keys_by_prefix(&id).await.unwrap()[0].revoked, Some(5));
}

#[tokio::test]
async fn sqlite_store_keeps_its_contract() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&StoreConfig::sqlite(dir.path())).await.unwrap();
    contract(store.clone(), false).await;
    store.close().await;
    assert!(dir.path().join("scamguard.db").exists());
}

/// A new session `id` with its first event.
fn first_event(id: &str) -> Write {
    Write {
        session: Some(session(id, 1, 2)),
        events: vec![event(id, 0, Some("x"))],
        audit: vec![],
        user_hash: None,
        owner: None,
    }
}

/// The embedded store in `dir`, committing through the journal as `serve` does.
fn journaled(dir: &std::path::Path) -> StoreConfig {
    StoreConfig {
        journal: true,
        ..StoreConfig::sqlite(dir)
    }
}

#[tokio::test]
async fn sqlite_store_reopens_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&StoreConfig::sqlite(dir.path())).await.unwrap();
    store.commit(&[first_event("s1")]).await.unwrap();
    store.close().await;
    // Migrations run again on open and must find nothing to do.
    let store = open(&StoreConfig::sqlite(dir.path())).await.unwrap();
    assert_eq!(store.events("s1").await.unwrap().len(), 1);
}

#[tokio::test]
async fn journaled_sqlite_store_keeps_its_contract() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&journaled(dir.path())).await.unwrap();
    contract(store.clone(), true).await;
    store.commit(&[first_event("last")]).await.unwrap();
    store.close().await;
    // What was acknowledged is in the database after close and reopen, and the reopening
    // clears the applied segments.
    let store = open(&StoreConfig::sqlite(dir.path())).await.unwrap();
    assert_eq!(store.events("last").await.unwrap().len(), 1);
    let left: Vec<_> = std::fs::read_dir(dir.path().join(JOURNAL_DIR))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".log"))
        .collect();
    assert!(left.is_empty(), "applied segments are deleted: {left:?}");
}

#[tokio::test]
async fn one_server_journals_into_a_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let config = journaled(dir.path());
    let first = open(&config).await.unwrap();
    let err = open(&config).await.unwrap_err();
    assert!(err.to_string().contains("in use by another"), "{err}");
    // A tool reading the same directory opens without the journal and leaves it alone.
    let tool = open(&StoreConfig::sqlite(dir.path())).await.unwrap();
    first.commit(&[first_event("s1")]).await.unwrap();
    first.close().await;
    assert_eq!(tool.events("s1").await.unwrap().len(), 1);
    // Once the first is closed, another may journal.
    let second = open(&config).await.unwrap();
    assert_eq!(second.events("s1").await.unwrap().len(), 1);
    second.close().await;
}

#[tokio::test]
async fn postgres_store_keeps_its_contract() {
    let dir = tempfile::tempdir().unwrap();
    if let Some(store) = common::fresh_postgres_store(module_path!(), "sg_store", dir.path()).await
    {
        contract(store, false).await;
    }
}

#[tokio::test]
async fn bad_urls_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = StoreConfig::sqlite(dir.path());
    config.database_url = Some("mysql://x".into());
    let err = open(&config).await.unwrap_err();
    assert!(err.to_string().contains("expected postgres://"), "{err}");
}
