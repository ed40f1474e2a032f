//! The bank's side of the store: a user's open sessions with their call times, through the
//! journal as `serve` commits; the audit of lookups; guardians.

mod common;

use scamguard_store::{
    EventRecord, GuardianRecord, RiskLookupQuery, RiskLookupRecord, SessionProgress, SessionRecord,
    Store, Write,
};
use std::sync::Arc;

fn session(id: &str, expires: i64) -> SessionRecord {
    SessionRecord {
        id: id.into(),
        created: 1_000,
        updated: 1_000,
        expires,
        channel: "video_call".into(),
        locale: "zh-Hans".into(),
        handle_hash: "caller".into(),
        state: r#"{"events":0}"#.into(),
        max_action: "allow".into(),
        closed: false,
        owner: None,
    }
}

fn event(id: &str, seq: i64, kind: &str, at: i64, expires: i64) -> EventRecord {
    EventRecord {
        session_id: id.into(),
        seq,
        event_id: None,
        kind: kind.into(),
        at,
        action: "block".into(),
        payload: format!(r#"{{"type":"{kind}"}}"#),
        verdict: r#"{"action":"block"}"#.into(),
        progress: Some(SessionProgress {
            state: format!(r#"{{"events":{seq}}}"#),
            updated: at,
            expires,
        }),
    }
}

common::journal_and_postgres_keep_the_contract!(contract, "risk");

/// A user's sessions are found by the user's hash with their call times; lookups and
/// guardians are kept.
async fn contract(store: Arc<dyn Store>) {
    let opened = |id: &str, user: Option<&str>, expires: i64| Write {
        session: Some(session(id, expires)),
        events: vec![event(id, 0, "session_opened", 1_000, expires)],
        audit: vec![],
        user_hash: user.map(String::from),
        owner: None,
    };
    store
        .commit(&[
            opened("s-on", Some("user-a"), 10_000),
            opened("s-other", Some("user-b"), 10_000),
            opened("s-nobody", None, 10_000),
            opened("s-old", Some("user-a"), 1_500),
        ])
        .await
        .unwrap();
    // Later writes of the session carry no user hash; it stays.
    store
        .commit(&[Write {
            session: Some(SessionRecord {
                max_action: "block".into(),
                ..session("s-on", 20_000)
            }),
            events: vec![
                event("s-on", 1, "call_offer", 2_000, 20_000),
                event("s-on", 2, "screen_share_started", 3_000, 20_000),
            ],
            audit: vec![],
            user_hash: None,
            owner: None,
        }])
        .await
        .unwrap();
    assert_eq!(
        store.session_user("s-on").await.unwrap().as_deref(),
        Some("user-a"),
        "a later write keeps the user"
    );
    assert_eq!(store.session_user("s-nobody").await.unwrap(), None);
    assert_eq!(store.session_user("s-missing").await.unwrap(), None);
    let found = store.user_sessions("user-a", 5_000).await.unwrap();
    assert_eq!(found.len(), 1, "the expired one does not count: {found:?}");
    let s = &found[0];
    assert_eq!(s.session.id, "s-on");
    assert_eq!(s.session.state, r#"{"events":2}"#, "as of its newest event");
    assert_eq!((s.call_started, s.call_ended), (Some(2_000), None));
    store
        .commit(&[Write {
            events: vec![event("s-on", 3, "call_ended", 4_000, 20_000)],
            ..Write::default()
        }])
        .await
        .unwrap();
    let s = &store.user_sessions("user-a", 5_000).await.unwrap()[0];
    assert_eq!(s.call_ended, Some(4_000));
    assert!(store
        .user_sessions("user-z", 5_000)
        .await
        .unwrap()
        .is_empty());

    for (i, session) in [Some("s-on"), None].into_iter().enumerate() {
        store
            .record_risk_lookup(&RiskLookupRecord {
                id: 0,
                at: 6_000 + i as i64,
                key_id: "kbank".into(),
                user_hash: "user-a".into(),
                jti: format!("j{i}"),
                session_id: session.map(String::from),
                active: session.is_some(),
                action: "block".into(),
                risk: r#"{"active":true}"#.into(),
            })
            .await
            .unwrap();
    }
    let by_session = store
        .risk_lookups(&RiskLookupQuery {
            session_id: Some("s-on".into()),
            limit: 10,
            ..RiskLookupQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(by_session.len(), 1);
    assert!(by_session[0].active && by_session[0].id > 0);
    let by_user = store
        .risk_lookups(&RiskLookupQuery {
            user_hash: Some("user-a".into()),
            limit: 10,
            ..RiskLookupQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(
        by_user.iter().map(|l| l.jti.as_str()).collect::<Vec<_>>(),
        ["j1", "j0"]
    );

    let g = GuardianRecord {
        id: "g1".into(),
        user_hash: "user-a".into(),
        guardian_hash: "guardian-a".into(),
        key_id: "kplat".into(),
        created: 7_000,
        revoked: None,
    };
    store.add_guardian(&g).await.unwrap();
    assert!(store.add_guardian(&g).await.is_err(), "ids are unique");
    assert_eq!(
        store.guardians("user-a").await.unwrap(),
        std::slice::from_ref(&g)
    );
    assert!(store.guardians("user-b").await.unwrap().is_empty());
    let same_pair = GuardianRecord {
        id: "g2".into(),
        ..g.clone()
    };
    assert!(
        store.add_guardian(&same_pair).await.is_err(),
        "one guardian in force per user, guardian and platform key"
    );
    assert_eq!(store.guardian("g1").await.unwrap(), Some(g.clone()));
    assert!(store.withdraw_guardian("g1", 8_000).await.unwrap());
    assert!(!store.withdraw_guardian("g1", 9_000).await.unwrap(), "once");
    assert!(!store.withdraw_guardian("nope", 9_000).await.unwrap());
    assert!(store.guardians("user-a").await.unwrap().is_empty());
    assert_eq!(
        store.guardian("g1").await.unwrap().unwrap().revoked,
        Some(8_000)
    );
    store.add_guardian(&same_pair).await.unwrap();
    assert_eq!(store.guardians("user-a").await.unwrap(), [same_pair]);
    store.close().await;
}
