//! The webhook outbox end to end, against a receiver on 127.0.0.1: posts are signed so that a
//! receiver can verify them (here with the HMAC crate directly, as any receiver would), refused
//! posts are retried with backoff and then given up, rows pending when a sender stops are sent
//! after a restart, and two senders on one PostgreSQL database send every row once.

use hmac::{Hmac, Mac};
use scamguard_server::testing::{
    config, webhook_config, Options, TestApp, WebhookReceiver, TEST_WEBHOOK_SECRET,
};
use scamguard_server::webhook::{self, Kind, Sender};
use scamguard_server::ServerConfig;
use scamguard_store::{now_ms, open, OutboxCounts, Store, StoreConfig};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

// The store's PostgreSQL test helpers, one copy for the workspace's test binaries.
#[path = "../../store/tests/common/mod.rs"]
mod pg;

const WAIT: Duration = Duration::from_secs(20);

async fn counts_become(store: &dyn Store, want: OutboxCounts) -> OutboxCounts {
    let end = tokio::time::Instant::now() + WAIT;
    loop {
        let got = store.webhook_counts().await.unwrap();
        if got == want || tokio::time::Instant::now() >= end {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn hmac_hex(timestamp: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(TEST_WEBHOOK_SECRET.as_bytes()).unwrap();
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

#[tokio::test]
async fn posts_carry_a_signature_the_receiver_can_verify() {
    let receiver = WebhookReceiver::start(0).await;
    let t = TestApp::start(ServerConfig {
        webhook: Some(webhook_config(&receiver.url())),
        ..config()
    })
    .await;
    let data = json!({"session_id": "ses_1", "headline": "Blocked: caller claims police"});
    let id = webhook::enqueue(&t.state, Kind::GuardianAlert, &data)
        .await
        .unwrap()
        .expect("queued when a URL is configured");
    let sender = Sender::start(t.state.shared_store(), webhook_config(&receiver.url())).unwrap();
    let got = receiver.wait_for_delivered(1, WAIT).await;
    sender.stop().await;
    assert_eq!(got.len(), 1, "{got:?}");
    let hook = &got[0];

    let ts = hook.header("x-scamguard-timestamp");
    let now = now_ms() / 1000;
    let ts_secs: i64 = ts.parse().unwrap();
    assert!(
        (now - ts_secs).abs() <= 5,
        "the attempt's time: {ts} vs {now}"
    );
    assert_eq!(
        hook.header("x-scamguard-signature"),
        format!("sha256={}", hmac_hex(ts, &hook.body))
    );
    assert_ne!(
        hook.header("x-scamguard-signature"),
        format!(
            "sha256={}",
            hmac_hex(&(ts_secs - 1).to_string(), &hook.body)
        ),
        "the timestamp is part of the signed material"
    );
    assert_eq!(hook.header("content-type"), "application/json");
    assert_eq!(hook.header("x-scamguard-delivery"), id);
    assert_eq!(hook.header("x-scamguard-kind"), "guardian_alert");
    let body = hook.json();
    assert_eq!(body["id"], id.as_str());
    assert_eq!(body["kind"], "guardian_alert");
    assert_eq!(body["data"], data);
    assert!(body["created"].as_i64().unwrap() <= now_ms());
    assert_eq!(
        counts_become(
            t.state.store(),
            OutboxCounts {
                pending: 0,
                delivered: 1,
                failed: 0
            }
        )
        .await
        .delivered,
        1
    );
    let metrics = t.get("/metrics", None).await.text;
    assert!(
        metrics.contains("scamguard_webhook_attempts_total{outcome=\"delivered\"}"),
        "{metrics}"
    );
}

#[tokio::test]
async fn without_a_url_nothing_is_kept() {
    let t = TestApp::start(config()).await;
    let queued = webhook::enqueue(&t.state, Kind::CampaignWarning, &json!({}))
        .await
        .unwrap();
    assert_eq!(queued, None);
    assert_eq!(
        t.state.store().webhook_counts().await.unwrap(),
        OutboxCounts::default()
    );
}

#[tokio::test]
async fn refused_posts_are_retried_then_delivered() {
    let receiver = WebhookReceiver::start(2).await;
    let t = TestApp::start(ServerConfig {
        webhook: Some(webhook_config(&receiver.url())),
        ..config()
    })
    .await;
    let id = webhook::enqueue(&t.state, Kind::CampaignWarning, &json!({"campaign": "c1"}))
        .await
        .unwrap()
        .unwrap();
    let sender = Sender::start(t.state.shared_store(), webhook_config(&receiver.url())).unwrap();
    let got = receiver.wait_for_delivered(1, WAIT).await;
    sender.stop().await;
    let statuses: Vec<u16> = got.iter().map(|h| h.status.as_u16()).collect();
    assert_eq!(statuses, [500, 500, 204]);
    assert!(
        got.iter().all(|h| h.header("x-scamguard-delivery") == id),
        "one delivery id on every attempt"
    );
    // Each attempt is signed afresh.
    for h in &got {
        assert_eq!(
            h.header("x-scamguard-signature"),
            format!(
                "sha256={}",
                hmac_hex(h.header("x-scamguard-timestamp"), &h.body)
            )
        );
    }
    let metrics = t.get("/metrics", None).await.text;
    assert!(
        metrics.contains("scamguard_webhook_attempts_total{outcome=\"retry\"}"),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_notification_past_its_maximum_age_is_given_up() {
    let receiver = WebhookReceiver::start(usize::MAX).await;
    let mut c = webhook_config(&receiver.url());
    c.max_age = Duration::from_millis(150);
    let t = TestApp::start(ServerConfig {
        webhook: Some(c.clone()),
        ..config()
    })
    .await;
    webhook::enqueue(&t.state, Kind::CampaignWarning, &json!({}))
        .await
        .unwrap();
    let sender = Sender::start(t.state.shared_store(), c).unwrap();
    let counts = counts_become(
        t.state.store(),
        OutboxCounts {
            pending: 0,
            delivered: 0,
            failed: 1,
        },
    )
    .await;
    sender.stop().await;
    assert_eq!(counts.failed, 1, "{counts:?}");
    let tries = receiver.received().len();
    assert!(tries >= 2, "retried before giving up: {tries}");
}

#[tokio::test]
async fn rows_pending_at_shutdown_are_sent_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut store_config = StoreConfig::sqlite(dir.path());
    store_config.journal = true;

    // The receiver is down: a port that was free a moment ago.
    let down = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/hooks", l.local_addr().unwrap())
    };
    let store = open(&store_config).await.unwrap();
    for i in 0..3 {
        store
            .enqueue_webhook(&format!("whk_{i}"), "guardian_alert", "{}", now_ms())
            .await
            .unwrap();
    }
    let sender = Sender::start(store.clone(), webhook_config(&down)).unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    sender.stop().await;
    assert_eq!(store.webhook_counts().await.unwrap().pending, 3);
    store.close().await;
    drop(store);

    let receiver = WebhookReceiver::start(0).await;
    let store = open(&store_config).await.unwrap();
    let sender = Sender::start(store.clone(), webhook_config(&receiver.url())).unwrap();
    let got = receiver.wait_for_delivered(3, WAIT).await;
    sender.stop().await;
    let mut ids: Vec<String> = got
        .iter()
        .map(|h| h.header("x-scamguard-delivery").to_string())
        .collect();
    ids.sort();
    assert_eq!(ids, ["whk_0", "whk_1", "whk_2"]);
    assert_eq!(store.webhook_counts().await.unwrap().delivered, 3);
    store.close().await;
}

/// Two nodes (each its own pool and sender) share one outbox: every notification reaches the
/// receiver exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_senders_on_postgres_send_each_row_once() {
    let Some(url) = pg::postgres_url("two_senders_on_postgres_send_each_row_once") else {
        return;
    };
    let database = pg::fresh_postgres_database(&url, "sg_webhook").await;
    let receiver = WebhookReceiver::start(0).await;
    let mut c = webhook_config(&receiver.url());
    c.batch = 3;
    let mut nodes = Vec::new();
    for _ in 0..2 {
        let t = TestApp::with(Options {
            config: Some(ServerConfig {
                webhook: Some(c.clone()),
                ..config()
            }),
            database_url: Some(database.clone()),
            ..Options::default()
        })
        .await;
        nodes.push(t);
    }
    const ROWS: usize = 60;
    let senders: Vec<Sender> = nodes
        .iter()
        .map(|t| Sender::start(t.state.shared_store(), c.clone()).unwrap())
        .collect();
    let owners: Vec<String> = senders.iter().map(|s| s.owner().to_string()).collect();
    assert_ne!(owners[0], owners[1]);
    for i in 0..ROWS {
        // Written by both nodes, as a cluster would.
        webhook::enqueue(&nodes[i % 2].state, Kind::CampaignWarning, &json!({"n": i}))
            .await
            .unwrap()
            .unwrap();
    }
    let got = receiver.wait_for_delivered(ROWS, WAIT).await;
    // Time for a second send of anything, had a row been taken twice.
    tokio::time::sleep(Duration::from_millis(300)).await;
    for s in senders {
        s.stop().await;
    }
    let got = if receiver.received().len() > got.len() {
        receiver.received()
    } else {
        got
    };
    let mut per_id: HashMap<String, usize> = HashMap::new();
    for h in &got {
        *per_id
            .entry(h.header("x-scamguard-delivery").to_string())
            .or_default() += 1;
    }
    assert_eq!(per_id.len(), ROWS, "every row was sent");
    let twice: Vec<_> = per_id.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
    let store: Arc<dyn Store> = nodes[0].state.shared_store();
    assert_eq!(store.webhook_counts().await.unwrap().delivered, ROWS as u64);
}
