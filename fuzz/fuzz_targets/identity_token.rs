//! The identity-token verifier on arbitrary tokens, against a registry with one organisation
//! and its key (the test key pair of the core crate's passport tests).
#![no_main]

use libfuzzer_sys::fuzz_target;
use scamguard_core::passport::{
    registry_names, verify, CallFacts, OrgKey, OrgStatus, Organisation, Registry,
};
use std::sync::OnceLock;

const PUBLIC: &str = include_str!("../../crates/core/src/passport/testdata/org_public.pem");
/// The time the seed tokens were signed at (see docs/fuzzing.md).
const NOW: i64 = 1_795_600_000;

fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(|| {
        Registry::new(vec![Organisation {
            id: "hz-police".into(),
            legal_name: "杭州市公安局".into(),
            category: "police".into(),
            names: registry_names(&["杭州市公安局"], &["杭州市公安局"], &["Hangzhou PSB"]),
            handles: vec!["+86 571 8728 0110".into()],
            callback_numbers: vec!["110".into()],
            domains: vec![],
            keys: vec![OrgKey {
                kid: "hz-2026".into(),
                public_key_pem: PUBLIC.into(),
                not_before: NOW - 86_400,
                not_after: NOW + 86_400 * 365,
                revoked: false,
            }],
            status: OrgStatus::Active,
        }])
        .expect("the registry builds")
    })
}

fuzz_target!(|token: &str| {
    let facts = CallFacts {
        caller: "+86 571 8728 0110",
        callee: Some("+86 138 0000 0000"),
        now: NOW,
        freshness: 60,
    };
    if let Ok(v) = verify(token, registry(), facts) {
        assert_eq!(v.org, "hz-police");
    }
});
