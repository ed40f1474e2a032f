//! The registry part of the store contract, run against SQLite always and against PostgreSQL
//! when `SCAMGUARD_TEST_POSTGRES_URL` names a database the test may fill (CI sets it).

mod common;

use scamguard_core::passport::{registry_names, OrgKey, OrgStatus, Organisation};
use scamguard_store::{open, Actor, KeyRevocation, StatusChange, Store, StoreConfig, StoreError};
use std::sync::Arc;

const KEY_A: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEY/MwPb6XT5qHmXcccU2MicZ93W+P
t+yOb3+liHjmmk50g0CS81CYAJ7j0wdomk18FNre7Eoj5ElYiWTSBbMAeA==
-----END PUBLIC KEY-----
";
const KEY_B: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAETuyB1utPlg6d7tzYEp0NtydCDOcm
w4TzXjX2KjkM5SHlW0iBPiv94Na2ZGVuqPfhnfvRflipCLl1LDxEUSG9UA==
-----END PUBLIC KEY-----
";

/// A unique suffix so that runs against a shared PostgreSQL database do not collide.
fn unique(tag: &str) -> String {
    let mut b = [0u8; 6];
    getrandom::fill(&mut b).unwrap();
    format!("{tag}-{}", hex::encode(b))
}

fn key(kid: &str, pem: &str) -> OrgKey {
    OrgKey {
        kid: kid.into(),
        public_key_pem: pem.into(),
        not_before: 1_795_000_000,
        not_after: 1_826_536_000,
        revoked: false,
    }
}

fn org(id: &str, kid: &str) -> Organisation {
    Organisation {
        id: id.into(),
        legal_name: "杭州市公安局".into(),
        category: "police".into(),
        names: registry_names(&["杭州市公安局"], &[], &["Hangzhou Public Security Bureau"]),
        handles: vec!["+86 571 8728 0110".into()],
        callback_numbers: vec!["110".into(), "0571-87280110".into()],
        domains: vec!["police.hangzhou.gov.cn".into()],
        keys: vec![key(kid, KEY_A)],
        status: OrgStatus::Active,
    }
}

fn by(who: &str, at: i64) -> Actor<'_> {
    Actor { who, at }
}

async fn contract(store: Arc<dyn Store>) {
    let id = unique("hz");
    let kid = unique("k");
    let rev0 = store.registry_revision().await.unwrap();

    // Add, read back, refuse duplicates of the id and of a key id.
    let o = org(&id, &kid);
    store.registry_add(&o, by("cli", 1_000)).await.unwrap();
    let got = store.registry_get(&id).await.unwrap().unwrap();
    assert_eq!(got.organisation, o);
    assert_eq!((got.created, got.updated), (1_000, 1_000));
    assert!(store
        .registry_list()
        .await
        .unwrap()
        .iter()
        .any(|r| r.organisation == o));
    assert!(store.registry_get(&unique("none")).await.unwrap().is_none());
    assert!(matches!(
        store.registry_add(&o, by("cli", 1_001)).await.unwrap_err(),
        StoreError::Conflict(_)
    ));
    let thief = org(&unique("thief"), &kid);
    assert!(matches!(
        store
            .registry_add(&thief, by("cli", 1_001))
            .await
            .unwrap_err(),
        StoreError::Conflict(_)
    ));
    assert!(
        store.registry_get(&thief.id).await.unwrap().is_none(),
        "a failed add leaves nothing"
    );
    assert!(store.registry_revision().await.unwrap() > rev0);

    // Update descriptive fields; keys and status stay.
    let mut changed = o.clone();
    changed.handles.push("fanzha@hzpolice.example".into());
    changed.status = OrgStatus::Suspended;
    changed.keys.clear();
    assert!(store
        .registry_update(&changed, by("k-admin", 2_000))
        .await
        .unwrap());
    let got = store.registry_get(&id).await.unwrap().unwrap();
    assert_eq!(got.organisation.handles.len(), 2);
    assert_eq!(got.organisation.status, OrgStatus::Active);
    assert_eq!(got.organisation.keys.len(), 1);
    assert_eq!(got.updated, 2_000);
    assert!(!store
        .registry_update(&org(&unique("none"), "x"), by("cli", 2_000))
        .await
        .unwrap());

    // Status: suspend, reactivate, revoke; revocation is final.
    let set = |s, at| {
        let store = store.clone();
        let id = id.clone();
        async move {
            store
                .registry_set_status(&id, s, Some("test"), by("k-admin", at))
                .await
                .unwrap()
        }
    };
    assert_eq!(
        set(OrgStatus::Suspended, 3_000).await,
        StatusChange::Changed {
            from: OrgStatus::Active
        }
    );
    assert_eq!(
        set(OrgStatus::Suspended, 3_001).await,
        StatusChange::Unchanged
    );
    assert_eq!(
        set(OrgStatus::Active, 3_002).await,
        StatusChange::Changed {
            from: OrgStatus::Suspended
        }
    );
    assert!(matches!(
        store
            .registry_set_status(&unique("none"), OrgStatus::Active, None, by("cli", 1))
            .await
            .unwrap(),
        StatusChange::NotFound
    ));

    // Keys: add, refuse a taken id, revoke once.
    let kid2 = unique("k2");
    assert!(store
        .registry_add_key(&id, &key(&kid2, KEY_B), by("cli", 4_000))
        .await
        .unwrap());
    assert!(!store
        .registry_add_key(&unique("none"), &key(&unique("k"), KEY_B), by("cli", 4_000))
        .await
        .unwrap());
    assert!(matches!(
        store
            .registry_add_key(&id, &key(&kid2, KEY_B), by("cli", 4_001))
            .await
            .unwrap_err(),
        StoreError::Conflict(_)
    ));
    assert_eq!(
        store
            .registry_revoke_key(&kid, by("cli", 5_000))
            .await
            .unwrap(),
        KeyRevocation::Revoked { org_id: id.clone() }
    );
    assert_eq!(
        store
            .registry_revoke_key(&kid, by("cli", 5_001))
            .await
            .unwrap(),
        KeyRevocation::AlreadyRevoked
    );
    assert_eq!(
        store
            .registry_revoke_key(&unique("none"), by("cli", 5_001))
            .await
            .unwrap(),
        KeyRevocation::NotFound
    );
    let keys = store
        .registry_get(&id)
        .await
        .unwrap()
        .unwrap()
        .organisation
        .keys;
    assert_eq!(
        keys.iter()
            .map(|k| (k.kid.as_str(), k.revoked))
            .collect::<Vec<_>>(),
        vec![(kid.as_str(), true), (kid2.as_str(), false)]
    );

    // Import: a new organisation is added, an existing one updated; a revoked key stays
    // revoked; a key id owned by another organisation refuses the whole import.
    let new_id = unique("bank");
    let mut bank = org(&new_id, &unique("kb"));
    bank.category = "bank".into();
    bank.keys[0].public_key_pem = KEY_B.into();
    let mut again = store.registry_get(&id).await.unwrap().unwrap().organisation;
    again.legal_name = "杭州市公安局（导入）".into();
    again.keys.iter_mut().for_each(|k| k.revoked = false);
    again.keys[1].revoked = true;
    let summary = store
        .registry_import(&[again.clone(), bank.clone()], "peer.jws", by("cli", 6_000))
        .await
        .unwrap();
    assert_eq!(summary.added, vec![new_id.clone()]);
    assert_eq!(summary.updated, vec![id.clone()]);
    assert_eq!((summary.keys_added, summary.keys_revoked), (1, 1));
    let got = store.registry_get(&id).await.unwrap().unwrap().organisation;
    assert_eq!(got.legal_name, "杭州市公安局（导入）");
    assert!(
        got.keys.iter().all(|k| k.revoked),
        "revocations are never undone"
    );
    assert_eq!(
        store
            .registry_get(&new_id)
            .await
            .unwrap()
            .unwrap()
            .organisation,
        bank
    );
    let mut clash = org(&unique("clash"), &bank.keys[0].kid);
    clash.keys[0].public_key_pem = KEY_B.into();
    let err = store
        .registry_import(&[clash.clone()], "peer.jws", by("cli", 7_000))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(m) if m.contains("belongs to organisation")),
        "{err}"
    );
    assert!(store.registry_get(&clash.id).await.unwrap().is_none());
    let mut other_key = bank.clone();
    other_key.keys[0].public_key_pem = KEY_A.into();
    let err = store
        .registry_import(&[other_key], "peer.jws", by("cli", 7_000))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("different public key"), "{err}");

    // Revoke the organisation: final, even through an import.
    assert_eq!(
        set(OrgStatus::Revoked, 8_000).await,
        StatusChange::Changed {
            from: OrgStatus::Active
        }
    );
    assert_eq!(set(OrgStatus::Active, 8_001).await, StatusChange::Refused);
    store
        .registry_import(&[again], "peer.jws", by("cli", 8_002))
        .await
        .unwrap();
    assert_eq!(
        store
            .registry_get(&id)
            .await
            .unwrap()
            .unwrap()
            .organisation
            .status,
        OrgStatus::Revoked
    );

    // Every change is in the audit trail, newest first, with who and when.
    let trail = store.registry_audit(Some(&id), 100).await.unwrap();
    let actions: Vec<&str> = trail.iter().rev().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "add_organisation",
            "update_organisation",
            "set_status",
            "set_status",
            "add_key",
            "revoke_key",
            "import_update",
            "set_status",
            "import_update"
        ]
    );
    assert_eq!(trail.last().unwrap().who, "cli");
    assert_eq!(trail.last().unwrap().at, 1_000);
    let status = trail.iter().find(|r| r.at == 3_000).unwrap();
    assert_eq!(status.who, "k-admin");
    assert_eq!(status.detail["from"], "active");
    assert_eq!(status.detail["to"], "suspended");
    assert_eq!(status.detail["reason"], "test");
    let revoke = trail.iter().find(|r| r.action == "revoke_key").unwrap();
    assert_eq!(revoke.kid.as_deref(), Some(kid.as_str()));
    assert_eq!(store.registry_audit(Some(&id), 2).await.unwrap().len(), 2);
    assert!(store.registry_audit(None, 1000).await.unwrap().len() > trail.len());
}

#[tokio::test]
async fn sqlite_registry_keeps_its_contract() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&StoreConfig::sqlite(dir.path())).await.unwrap();
    contract(store.clone()).await;
    store.close().await;
    // Reopened, the registry is still there.
    let store = open(&StoreConfig::sqlite(dir.path())).await.unwrap();
    assert_eq!(store.registry_list().await.unwrap().len(), 2);
}

#[tokio::test]
async fn postgres_registry_keeps_its_contract() {
    let dir = tempfile::tempdir().unwrap();
    if let Some(store) = common::fresh_postgres_store(module_path!(), "sg_store", dir.path()).await
    {
        contract(store).await;
    }
}
