//! Several nodes on one PostgreSQL database, with no sticky routing: a session's events
//! alternate between two nodes (each with its own memory of sessions), and every session ends
//! with exactly the verdict `scamguard check` gives for its case. Runs when
//! `SCAMGUARD_TEST_POSTGRES_URL` names a server (CI sets it); fails under `CI=true` without.

use axum::http::StatusCode;
use scamguard_core::{Case, Engine};
use scamguard_server::testing::{Options, TestApp};
use serde_json::{json, Value};
use std::path::Path;

// The store's PostgreSQL test helpers, one copy for the workspace's test binaries.
#[path = "../../store/tests/common/mod.rs"]
mod pg;

const TEST: &str = "two nodes on PostgreSQL";

/// A node on `database`, with the handle key every node of the deployment shares.
async fn node(database: &str, shared: &Path) -> TestApp {
    node_with(database, shared, scamguard_server::testing::config()).await
}

/// A node on `database` with `config`.
async fn node_with(
    database: &str,
    shared: &Path,
    config: scamguard_server::ServerConfig,
) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        shared.join(scamguard_store::HANDLE_KEY_FILE),
        dir.path().join(scamguard_store::HANDLE_KEY_FILE),
    )
    .unwrap();
    TestApp::with(Options {
        dir: Some(dir),
        database_url: Some(database.to_string()),
        config: Some(config),
        ..Options::default()
    })
    .await
}

fn cases() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (p.file_name().unwrap().to_string_lossy().to_string(), v)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_alternating_give_the_verdicts_of_one() {
    let Some(url) = pg::postgres_url(TEST) else {
        return;
    };
    let database = pg::fresh_postgres_database(&url, "sg_nodes").await;
    let shared = tempfile::tempdir().unwrap();
    scamguard_store::HandleHasher::load_or_create(shared.path()).unwrap();
    let a = node(&database, shared.path()).await;
    let b = node(&database, shared.path()).await;
    let key = a.scan.clone(); // in the shared database, so both nodes know it
    let engine = Engine::builtin().unwrap();
    let all = cases();
    assert!(all.len() >= 100, "{} cases", all.len());
    for (name, case) in &all {
        // A service closes a session at call_ended; what follows belongs to no session.
        let mut case = case.clone();
        if let Some(events) = case["events"].as_array_mut() {
            if let Some(end) = events.iter().position(|e| e["type"] == "call_ended") {
                events.truncate(end + 1);
            }
        }
        let expected = engine.check_case(&Case::from_value(&case).unwrap()).verdict;
        let mut opening = case.clone();
        let events = opening["events"].take();
        opening["events"] = json!([]);
        let r = a.post("/v1/sessions", &key, opening).await;
        assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.text);
        let id = r.body["session_id"].as_str().unwrap().to_string();
        let mut last = r.body["verdict"].clone();
        for (i, mut event) in events
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            event["id"] = json!(format!("e{i}"));
            let node = if i % 2 == 0 { &b } else { &a };
            let path = format!("/v1/sessions/{id}/events");
            let r = node.post(&path, &key, event.clone()).await;
            assert_eq!(r.status, StatusCode::OK, "{name} event {i}: {}", r.text);
            assert_eq!(r.body["replayed"], false, "{name} event {i}");
            assert_eq!(r.body["seq"], i + 1, "{name} event {i}");
            // A retry that lands on the other node is answered with the same verdict.
            let other = if i % 2 == 0 { &a } else { &b };
            let again = other.post(&path, &key, event).await;
            assert_eq!(
                again.body["replayed"], true,
                "{name} event {i}: {}",
                again.text
            );
            assert_eq!(again.body["verdict"], r.body["verdict"], "{name} event {i}");
            last = r.body["verdict"].clone();
        }
        assert_eq!(
            last,
            serde_json::to_value(&expected).unwrap(),
            "{name}: the two nodes' verdict differs from check's"
        );
    }
    a.state.shutdown().await;
    b.state.shutdown().await;
}

/// Both nodes take events of one session at the same moment: each event is applied once, in
/// some order, and the stored positions have no gap and no duplicate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_events_on_two_nodes_are_each_applied_once() {
    let Some(url) = pg::postgres_url(TEST) else {
        return;
    };
    let database = pg::fresh_postgres_database(&url, "sg_nodes").await;
    let shared = tempfile::tempdir().unwrap();
    scamguard_store::HandleHasher::load_or_create(shared.path()).unwrap();
    let a = std::sync::Arc::new(node(&database, shared.path()).await);
    let b = std::sync::Arc::new(node(&database, shared.path()).await);
    let key = a.scan.clone();
    let r = a
        .post(
            "/v1/sessions",
            &key,
            json!({"channel": "video_call", "from": {"handle": "+1 213 555 0147", "display_name": "Mum"}}),
        )
        .await;
    let id = r.body["session_id"].as_str().unwrap().to_string();
    let mut tasks = Vec::new();
    for i in 0..40 {
        let node = if i % 2 == 0 { a.clone() } else { b.clone() };
        let (key, id) = (key.clone(), id.clone());
        tasks.push(tokio::spawn(async move {
            node.post(
                &format!("/v1/sessions/{id}/events"),
                &key,
                json!({"type": "screen_share_ended", "id": format!("c{i}")}),
            )
            .await
        }));
    }
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    let events = a.state.store().events(&id).await.unwrap();
    let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (0..=40).collect::<Vec<i64>>());
}

/// A key's rate limit holds across nodes: requests alternating between two nodes are admitted
/// no more often than the limit allows one node, and each node refuses once the shared window
/// is used up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_holds_across_nodes() {
    let Some(url) = pg::postgres_url(TEST) else {
        return;
    };
    let database = pg::fresh_postgres_database(&url, "sg_nodes").await;
    let shared = tempfile::tempdir().unwrap();
    scamguard_store::HandleHasher::load_or_create(shared.path()).unwrap();
    // A window of 256 s admitting 256 requests, claimed 4 at a time: long enough that the
    // test runs inside one window.
    let config = scamguard_server::ServerConfig {
        rate_limit: Some(scamguard_server::RateLimit {
            per_second: 1,
            burst: 256,
        }),
        ..scamguard_server::testing::config()
    };
    let a = node_with(&database, shared.path(), config.clone()).await;
    let b = node_with(&database, shared.path(), config).await;
    let window_ms = 256_000;
    let into = scamguard_store::now_ms() % window_ms;
    if into > window_ms - 30_000 {
        tokio::time::sleep(std::time::Duration::from_millis(
            (window_ms - into + 10) as u64,
        ))
        .await;
    }
    let key = a.scan.clone();
    let (mut admitted, mut refused) = ([0; 2], [0; 2]);
    for i in 0..320 {
        let (node, n) = if i % 2 == 0 { (&a, 0) } else { (&b, 1) };
        // An unknown session: admitted requests get 404, refused ones 429.
        let r = node.get("/v1/sessions/ses_unknown", Some(&key)).await;
        match r.status {
            StatusCode::NOT_FOUND => admitted[n] += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                assert_eq!(r.code(), "rate_limited");
                assert!(r.header("retry-after").parse::<u64>().unwrap() >= 1);
                refused[n] += 1
            }
            s => panic!("{s}: {}", r.text),
        }
    }
    let total = admitted[0] + admitted[1];
    // Never more than the limit; short of it by at most each node's unspent claim (3).
    assert!(total <= 256, "{admitted:?}");
    assert!(total >= 256 - 2 * 3, "{admitted:?}");
    assert!(refused[0] > 0 && refused[1] > 0, "{refused:?}");
    // The admin key has its own window.
    let r = b.get("/v1/sessions/ses_unknown", Some(&a.admin)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    a.state.shutdown().await;
    b.state.shutdown().await;
}
