//! Console logins (issue 14, item 9) on SQLite and, when `SCAMGUARD_TEST_POSTGRES_URL` is
//! set, PostgreSQL: found by their hash until they expire, are ended, or their key is revoked.

mod common;

use scamguard_store::{open, Scope, Store, StoreConfig};
use std::sync::Arc;

/// Key ids and hashes unique to this run, so that runs on a shared database do not collide.
fn unique(tag: &str) -> String {
    let mut b = [0u8; 6];
    getrandom::fill(&mut b).unwrap();
    format!("{tag}-{}", hex::encode(b))
}

async fn contract(store: Arc<dyn Store>) {
    let (admin, scan) = (unique("admin"), unique("scan"));
    store
        .insert_key(&common::api_key(&admin, vec![Scope::Admin]))
        .await
        .unwrap();
    store
        .insert_key(&common::api_key(&scan, vec![Scope::Scan]))
        .await
        .unwrap();
    let (live, old, other, scan_login) = (unique("l"), unique("o"), unique("x"), unique("s"));
    store
        .console_login_insert(&common::console_login(&live, &admin, 200))
        .await
        .unwrap();
    store
        .console_login_insert(&common::console_login(&old, &admin, 50))
        .await
        .unwrap();
    store
        .console_login_insert(&common::console_login(&other, &admin, 200))
        .await
        .unwrap();
    store
        .console_login_insert(&common::console_login(&scan_login, &scan, 200))
        .await
        .unwrap();
    assert!(
        store
            .console_login_insert(&common::console_login(&live, &scan, 300))
            .await
            .is_err(),
        "a login id is unique"
    );
    assert!(
        store
            .console_login_insert(&common::console_login(&unique("n"), "no-such-key", 300))
            .await
            .is_err(),
        "a login names a key that exists"
    );

    let found = store.console_login(&live, 100).await.unwrap().unwrap();
    assert_eq!(
        (found.key_id.as_str(), found.expires),
        (admin.as_str(), 200)
    );
    assert_eq!(found.scopes, vec![Scope::Admin]);
    let s = store
        .console_login(&scan_login, 100)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.scopes, vec![Scope::Scan], "the caller checks the scope");
    assert!(
        store.console_login(&old, 100).await.unwrap().is_none(),
        "expired"
    );
    assert!(
        store.console_login(&live, 200).await.unwrap().is_none(),
        "expires at 200"
    );
    assert!(store.console_login("nope", 100).await.unwrap().is_none());

    assert!(store.console_logout(&live).await.unwrap());
    assert!(!store.console_logout(&live).await.unwrap(), "already ended");
    assert!(store.console_login(&live, 100).await.unwrap().is_none());
    assert!(store.console_login(&other, 100).await.unwrap().is_some());

    assert!(store.revoke_key(&admin, 2).await.unwrap());
    assert!(
        store.console_login(&other, 100).await.unwrap().is_none(),
        "revoking the key ends its logins"
    );
    store.close().await;
}

#[tokio::test]
async fn sqlite_keeps_console_logins() {
    let dir = tempfile::tempdir().unwrap();
    contract(open(&StoreConfig::sqlite(dir.path())).await.unwrap()).await;
}

#[tokio::test]
async fn postgres_keeps_console_logins() {
    let dir = tempfile::tempdir().unwrap();
    // A database of its own: branches with other migrations share the server.
    let store = common::fresh_postgres_store(module_path!(), "console", dir.path()).await;
    if let Some(store) = store {
        contract(store).await;
    }
}
