//! The webhook outbox: rows are claimed with a lease, settled only by their holder, freed when
//! the lease expires, counted by status and forgotten once finished; on PostgreSQL, senders
//! claiming at the same moment never take one row twice.

mod common;

use scamguard_store::{open, Claim, OutboxCounts, Store, StoreConfig};
use std::collections::HashSet;
use std::sync::Arc;

#[tokio::test]
async fn sqlite_keeps_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = StoreConfig::sqlite(dir.path());
    config.journal = true;
    contract(open(&config).await.unwrap()).await;
}

async fn postgres(test: &str) -> Option<(Arc<dyn Store>, tempfile::TempDir)> {
    let url = common::postgres_url(test)?;
    let dir = tempfile::tempdir().unwrap();
    let mut config = StoreConfig::sqlite(dir.path());
    config.database_url = Some(common::fresh_postgres_database(&url, "sg_webhook").await);
    config.max_connections = 16;
    Some((open(&config).await.unwrap(), dir))
}

#[tokio::test]
async fn postgres_keeps_the_contract() {
    let Some((store, _dir)) = postgres(module_path!()).await else {
        return;
    };
    contract(store).await;
}

fn claim(owner: &str, now: i64, limit: i64) -> Claim<'_> {
    Claim {
        owner,
        now,
        lease_until: now + 1_000,
        limit,
    }
}

async fn contract(store: Arc<dyn Store>) {
    for (i, id) in ["w1", "w2", "w3"].iter().enumerate() {
        store
            .enqueue_webhook(id, "guardian_alert", r#"{"n":1}"#, 100 + i as i64)
            .await
            .unwrap();
    }
    assert!(store
        .enqueue_webhook("w1", "guardian_alert", "{}", 100)
        .await
        .is_err());
    assert!(
        store
            .claim_webhooks(&claim("a", 99, 10))
            .await
            .unwrap()
            .is_empty(),
        "nothing is due before it was enqueued"
    );

    let a = store.claim_webhooks(&claim("a", 200, 2)).await.unwrap();
    assert_eq!(
        a.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["w1", "w2"]
    );
    assert_eq!((a[0].attempts, a[0].kind.as_str()), (1, "guardian_alert"));
    assert_eq!(a[0].payload, r#"{"n":1}"#);
    let b = store.claim_webhooks(&claim("b", 200, 10)).await.unwrap();
    assert_eq!(b.len(), 1, "leased rows are not taken again");
    assert_eq!(b[0].id, "w3");

    // Only the holder settles a row.
    assert!(!store.webhook_delivered("w1", "b", 300).await.unwrap());
    assert!(store.webhook_delivered("w1", "a", 300).await.unwrap());
    assert!(
        !store.webhook_delivered("w1", "a", 300).await.unwrap(),
        "once"
    );
    assert!(store
        .webhook_retry("w2", "a", 5_000, "HTTP 500")
        .await
        .unwrap());
    assert!(store
        .webhook_failed("w3", "b", 400, "too old")
        .await
        .unwrap());
    assert_eq!(
        store.webhook_counts().await.unwrap(),
        OutboxCounts {
            pending: 1,
            delivered: 1,
            failed: 1
        }
    );

    // A retry waits for its time; then another sender may take it.
    assert!(store
        .claim_webhooks(&claim("c", 4_999, 10))
        .await
        .unwrap()
        .is_empty());
    let c = store.claim_webhooks(&claim("c", 5_000, 10)).await.unwrap();
    assert_eq!((c[0].id.as_str(), c[0].attempts), ("w2", 2));
    // A sender that stalls past its lease loses the row to the next one.
    assert!(store
        .claim_webhooks(&claim("d", 5_999, 10))
        .await
        .unwrap()
        .is_empty());
    let d = store.claim_webhooks(&claim("d", 6_000, 10)).await.unwrap();
    assert_eq!((d[0].id.as_str(), d[0].attempts), ("w2", 3));
    assert!(!store.webhook_delivered("w2", "c", 6_100).await.unwrap());
    assert!(store.webhook_delivered("w2", "d", 6_100).await.unwrap());

    assert_eq!(store.forget_webhooks(350).await.unwrap(), 1, "w1 only");
    assert_eq!(store.forget_webhooks(10_000).await.unwrap(), 2);
    assert_eq!(
        store.webhook_counts().await.unwrap(),
        OutboxCounts::default()
    );
    store.close().await;
}

/// Eight senders claiming from one outbox at once, each claim in its own transaction on the
/// pool: every row is taken by exactly one of them.
#[tokio::test]
async fn postgres_senders_never_take_one_row_twice() {
    let Some((store, _dir)) = postgres(module_path!()).await else {
        return;
    };
    const ROWS: usize = 400;
    for i in 0..ROWS {
        store
            .enqueue_webhook(&format!("r{i:04}"), "campaign_warning", "{}", 1)
            .await
            .unwrap();
    }
    let mut tasks = Vec::new();
    for s in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let owner = format!("sender-{s}");
            let mut got = Vec::new();
            loop {
                let rows = store
                    .claim_webhooks(&Claim {
                        owner: &owner,
                        now: 10,
                        lease_until: 1_000_000,
                        limit: 7,
                    })
                    .await
                    .unwrap();
                if rows.is_empty() {
                    break;
                }
                got.extend(rows.into_iter().map(|r| r.id));
            }
            got
        }));
    }
    let mut seen = HashSet::new();
    let mut total = 0;
    for t in tasks {
        for id in t.await.unwrap() {
            total += 1;
            assert!(seen.insert(id.clone()), "{id} was claimed twice");
        }
    }
    assert_eq!((total, seen.len()), (ROWS, ROWS));
    store.close().await;
}
