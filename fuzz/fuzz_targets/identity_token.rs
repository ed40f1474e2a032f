//! The identity-token verifier on arbitrary tokens, against a registry with one organisation
//! and its key (the core crate's test organisation, `passport::testing`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use scamguard_core::passport::testing::hz_police;
use scamguard_core::passport::{verify, CallFacts, Registry};
use std::sync::OnceLock;

/// The time the seed tokens were signed at (see docs/fuzzing.md).
const NOW: i64 = 1_795_600_000;

fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(|| {
        Registry::new(vec![hz_police(NOW - 86_400, NOW + 86_400 * 365)])
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
