//! The bank's side end to end, without a socket: the `bank` scope, the risk lookup and its
//! assertion verified with the published keys as a bank would, which sessions count, the
//! audit of lookups, and bad input.

use axum::http::{Method, StatusCode};
use scamguard_core::assertion::{self, Expect, JwkSet, RiskClaims};
use scamguard_server::auth::generate_key;
use scamguard_server::testing::{police_call_sharing, Options, TestApp};
use scamguard_server::ServerConfig;
use scamguard_store::{now_ms, RiskLookupQuery, RiskLookupRecord, Scope};
use serde_json::{json, Value};
use std::time::Duration;

const USER: &str = "+86 138 0000 0000";
const CALLER: &str = "+1 213 555 0147";

/// The shared test app, with a `bank` key and assertion keys in its data directory.
struct Bank {
    t: TestApp,
    bank: String,
    bank_id: String,
}

async fn start(grace: Duration) -> Bank {
    let dir = tempfile::tempdir().unwrap();
    let config = ServerConfig {
        assertion_keys: Some(dir.path().join("assertion-keys")),
        assertion_issuer: "operator.example".into(),
        risk_grace: grace,
        ..scamguard_server::testing::config()
    };
    let t = TestApp::with(Options {
        config: Some(config),
        dir: Some(dir),
        ..Options::default()
    })
    .await;
    let bank = generate_key(vec![Scope::Bank], Some("a bank".into()), now_ms());
    t.state.store().insert_key(&bank.record).await.unwrap();
    assert_eq!(t.state.load_assertion_keys().unwrap(), 1);
    Bank {
        t,
        bank: bank.key,
        bank_id: bank.record.id,
    }
}

impl Bank {
    /// The audited lookups (of one session, or all), ten at most.
    async fn audited_lookups(&self, session_id: Option<String>) -> Vec<RiskLookupRecord> {
        self.t
            .state
            .store()
            .risk_lookups(&RiskLookupQuery {
                session_id,
                limit: 10,
                ..RiskLookupQuery::default()
            })
            .await
            .unwrap()
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: &str,
    ) -> (StatusCode, Value) {
        let r = self.t.raw(method, path, key, body).await;
        (r.status, r.body)
    }

    async fn post(&self, path: &str, key: &str, body: Value) -> (StatusCode, Value) {
        let r = self.t.post(path, key, body).await;
        (r.status, r.body)
    }

    /// A fake police call to the user, with the screen shared at the caller's request.
    async fn police_call(&self) -> String {
        let call = police_call_sharing(CALLER, USER, None);
        let (status, body) = self.post("/v1/sessions", &self.t.scan, call).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["session_id"].as_str().unwrap().to_string()
    }

    async fn jwks(&self) -> JwkSet {
        let (status, body) = self
            .call(Method::GET, "/.well-known/jwks.json", None, "")
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value(body).unwrap()
    }

    /// Looks up `handle` with the bank key and verifies the answer as a bank would.
    async fn lookup(&self, handle: &str) -> (String, RiskClaims) {
        let (status, body) = self
            .post(
                "/v1/risk/lookup",
                &self.bank,
                json!({"user_handle": handle}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let token = body["assertion"].as_str().unwrap().to_string();
        let claims = assertion::verify(
            &token,
            &self.jwks().await,
            Expect {
                issuer: "operator.example",
                audience: &self.bank_id,
                now: now_ms() / 1000,
            },
        )
        .unwrap();
        (token, claims)
    }
}

#[tokio::test]
async fn a_bank_learns_of_a_police_call_with_the_screen_shared_and_nothing_of_the_caller() {
    let b = start(Duration::from_secs(120)).await;
    let session = b.police_call().await;
    let (token, c) = b.lookup("+8613800000000").await;
    let r = &c.risk;
    assert!(r.active, "{r:?}");
    assert_eq!(r.action.as_str(), "block");
    assert!(r.screen_shared && r.authority_unverified);
    assert_eq!(r.claimed_category.as_deref(), Some("police"));
    assert!(r.signals.iter().any(|s| s == "screen_share_active"));
    assert!(c.exp - c.iat <= 300 && c.exp > c.iat);
    assert_eq!(c.aud, b.bank_id);
    assert_eq!(c.sub.len(), 64);
    // Nothing in the token names the caller or the user, or carries text. (sub and jti are
    // hex digests and random ids, iat and exp times: digits in them are chance.)
    assert!(c.sub.chars().all(|ch| ch.is_ascii_hexdigit()) && c.jti.len() == 32);
    let payload = serde_json::to_string(&(&c.iss, &c.aud, &c.risk)).unwrap();
    for needle in ["213", "555", "0147", "13800000000", "公安", "厦门"] {
        assert!(!payload.contains(needle), "{needle} in {payload}");
    }
    // The lookup is audited with the session it was about, and no handle.
    let audit = b.audited_lookups(Some(session.clone())).await;
    assert_eq!(audit.len(), 1);
    assert_eq!(
        (audit[0].key_id.as_str(), audit[0].action.as_str()),
        (b.bank_id.as_str(), "block")
    );
    assert_eq!(audit[0].jti, c.jti);
    assert!(!audit[0].risk.contains("0147"));

    // A tampered assertion fails.
    let mut parts: Vec<&str> = token.split('.').collect();
    let forged_payload = {
        use base64::Engine as _;
        let mut forged = c.clone();
        forged.risk = assertion::Risk::none();
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(serde_json::to_vec(&forged).unwrap())
    };
    parts[1] = &forged_payload;
    let err = assertion::verify(
        &parts.join("."),
        &b.jwks().await,
        Expect {
            issuer: "operator.example",
            audience: &b.bank_id,
            now: now_ms() / 1000,
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), "bad_signature");

    // After the call ends: nothing is active; within the grace period the bank still hears
    // that a blocking call just ended.
    let (status, _) = b
        .post(
            &format!("/v1/sessions/{session}/events"),
            &b.t.scan,
            json!({"type": "call_ended"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, after) = b.lookup(USER).await;
    assert!(!after.risk.active && !after.risk.screen_shared);
    assert!(after.risk.ended_secs_ago.is_some());
    assert_ne!(after.jti, c.jti);
}

#[tokio::test]
async fn after_the_grace_period_and_for_anyone_else_the_answer_says_nothing() {
    let b = start(Duration::ZERO).await;
    let session = b.police_call().await;
    let (_, other) = b.lookup("+86 139 1111 2222").await;
    assert!(other.risk.is_none(), "{:?}", other.risk);
    b.post(
        &format!("/v1/sessions/{session}/events"),
        &b.t.scan,
        json!({"type": "call_ended"}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (_, after) = b.lookup(USER).await;
    assert!(after.risk.is_none(), "{:?}", after.risk);
    // Audited too, with no session.
    let all = b.audited_lookups(None).await;
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|l| l.session_id.is_none() && !l.active));
}

#[tokio::test]
async fn a_bank_key_may_look_up_and_nothing_else_and_a_scan_key_may_not_look_up() {
    let b = start(Duration::from_secs(120)).await;
    let (status, body) = b
        .post("/v1/risk/lookup", &b.t.scan, json!({"user_handle": USER}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "forbidden");
    let (status, _) = b
        .post(
            "/v1/sessions",
            &b.bank,
            json!({"channel": "video_call", "from": {"handle": "x"}}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = b
        .post("/v1/messages/scan", &b.bank, json!({"text": "hi"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = b
        .call(Method::GET, "/v1/admin/audit", Some(&b.bank), "")
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = b
        .call(
            Method::POST,
            "/v1/risk/lookup",
            None,
            r#"{"user_handle":"1"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_lookups_get_a_clear_error_naming_the_field() {
    let b = start(Duration::from_secs(120)).await;
    for (body, status, field) in [
        (r#"{"user_handle": 138}"#.to_string(), 422, "user_handle"),
        (r#"{}"#.to_string(), 422, "user_handle"),
        (r#"{"user_handle": ""}"#.to_string(), 422, "user_handle"),
        (
            r#"{"user_handle": "+86 138\u202e0000"}"#.to_string(),
            422,
            "user_handle",
        ),
        (
            format!(r#"{{"user_handle": "{}"}}"#, "9".repeat(2000)),
            422,
            "user_handle",
        ),
        (r#"[1]"#.to_string(), 422, "body"),
        (r#"{"user_handle": "#.to_string(), 400, ""),
        ("x".repeat(2 * 1024 * 1024), 413, ""),
    ] {
        let (got, reply) = b
            .call(Method::POST, "/v1/risk/lookup", Some(&b.bank), &body)
            .await;
        assert_eq!(got.as_u16(), status, "{reply}");
        if !field.is_empty() {
            assert_eq!(reply["error"]["field"], field, "{reply}");
        }
    }
    // None of them was answered, so none was audited.
    let all = b.audited_lookups(None).await;
    assert!(all.is_empty());
}
