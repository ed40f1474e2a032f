//! Retention enforced by housekeeping (issue 14, item 4): a sweep closes expired sessions and
//! deletes what the configured periods no longer keep; what is newer, or kept for ever, stays.

use axum::http::StatusCode;
use scamguard_server::testing::{self, TestApp};
use scamguard_server::ServerConfig;
use scamguard_store::{AuditQuery, Retention};
use serde_json::json;
use std::time::Duration;

/// A service whose sessions expire after 50 ms, keeping what `retention` says.
async fn start(retention: Retention) -> TestApp {
    TestApp::start(ServerConfig {
        session_idle: Duration::from_millis(50),
        retention,
        ..testing::config()
    })
    .await
}

/// Opens a call from 微信客服 and scans a lure message; returns the session id.
async fn activity(t: &TestApp) -> String {
    let call = json!({"channel": "video_call", "locale": "zh-Hans",
        "from": {"handle": "+86 171 0000 1234", "display_name": "微信客服", "in_contacts": false},
        "events": [{"type": "call_offer"}]});
    let r = t.post("/v1/sessions", &t.scan, call).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let id = r.body["session_id"].as_str().unwrap().to_string();
    let text = "【公安局】您涉嫌洗钱，请立即将资金转入安全账户 http://gov-safe.top/verify";
    let r = t
        .post("/v1/messages/scan", &t.scan, json!({"text": text}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_ne!(r.body["action"], "allow", "{}", r.text);
    id
}

async fn scans_audited(t: &TestApp) -> usize {
    t.state
        .store()
        .audit(&AuditQuery {
            limit: 100,
            ..AuditQuery::default()
        })
        .await
        .unwrap()
        .iter()
        .filter(|a| a.source == "message_scan")
        .count()
}

#[tokio::test]
async fn housekeeping_deletes_what_retention_no_longer_keeps() {
    let t = start(Retention::all(Duration::ZERO)).await;
    let id = activity(&t).await;
    assert_eq!(scans_audited(&t).await, 1);
    tokio::time::sleep(Duration::from_millis(120)).await;
    t.state.sweep().await;
    assert!(
        t.state.store().session(&id).await.unwrap().is_none(),
        "the expired session, closed and deleted in one sweep"
    );
    assert!(t.state.store().events(&id).await.unwrap().is_empty());
    assert_eq!(scans_audited(&t).await, 0);
    let r = t.get(&format!("/v1/sessions/{id}"), Some(&t.scan)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn housekeeping_keeps_what_is_within_its_period() {
    for retention in [
        Retention::default(),
        Retention {
            sessions: None,
            audit: None,
            reports: None,
        },
    ] {
        let t = start(retention).await;
        let id = activity(&t).await;
        tokio::time::sleep(Duration::from_millis(120)).await;
        t.state.sweep().await;
        let session = t.state.store().session(&id).await.unwrap();
        assert!(session.expect("kept").closed, "closed, not deleted");
        assert_eq!(scans_audited(&t).await, 1);
        let r = t.get(&format!("/v1/sessions/{id}"), Some(&t.scan)).await;
        assert_eq!(r.body["status"], "expired", "{}", r.text);
    }
}
