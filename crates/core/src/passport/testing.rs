//! The test organisation and its key pairs, shared by this crate's tests, the fuzz target and
//! the service's tests (feature `testing`). The key pairs under `testdata/` exist only for
//! tests.

use super::{registry_names, OrgKey, OrgStatus, Organisation};

/// The test organisation's private key (PKCS#8 PEM), which signs as `hz-2026`.
pub const ORG_PRIVATE: &str = include_str!("testdata/org_private.pem");
/// The test organisation's public key (SPKI PEM).
pub const ORG_PUBLIC: &str = include_str!("testdata/org_public.pem");
/// A second key pair, enrolled by no one.
pub const OTHER_PRIVATE: &str = include_str!("testdata/other_private.pem");
/// The second key pair's public key.
pub const OTHER_PUBLIC: &str = include_str!("testdata/other_public.pem");

/// 杭州市公安局 (`hz-police`), calling from +86 571 8728 0110, call-back number 110, active,
/// with one key `hz-2026` ([`ORG_PUBLIC`]) valid from `not_before` to `not_after` (Unix s).
pub fn hz_police(not_before: i64, not_after: i64) -> Organisation {
    Organisation {
        id: "hz-police".into(),
        legal_name: "杭州市公安局".into(),
        category: "police".into(),
        names: registry_names(
            &["杭州市公安局"],
            &["杭州市公安局"],
            &["Hangzhou Public Security Bureau"],
        ),
        handles: vec!["+86 571 8728 0110".into(), "fanzha@hzpolice.example".into()],
        callback_numbers: vec!["110".into()],
        domains: vec![],
        keys: vec![OrgKey {
            kid: "hz-2026".into(),
            public_key_pem: ORG_PUBLIC.into(),
            not_before,
            not_after,
            revoked: false,
        }],
        status: OrgStatus::Active,
    }
}
