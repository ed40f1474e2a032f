//! Guardians end to end, with the webhook going to a receiver on 127.0.0.1: a platform names
//! a guardian with consent; a fake police call to the user that blocks while the screen is
//! shared sends one signed `guardian_alert` saying so in plain words, with no handle and no
//! content; a withdrawn guardian, a user without one, or a block at no dangerous moment sends
//! nothing; bad registrations are refused field by field.

use axum::http::{Method, StatusCode};
use scamguard_server::auth::generate_key;
use scamguard_server::testing::{
    config, police_call_sharing, webhook_config, TestApp, WebhookReceiver,
};
use scamguard_server::webhook::{self, Sender, WebhookSecret};
use scamguard_server::ServerConfig;
use scamguard_store::{now_ms, Scope};
use serde_json::{json, Value};
use std::time::Duration;

const USER: &str = "+86 138 0000 0000";
const GUARDIAN: &str = "+86 139 1111 2222";
const CALLER: &str = "+1 213 555 0147";
const SPEECH: &str = "你的账户涉嫌洗钱，马上把钱转到安全账户";

struct Setup {
    t: TestApp,
    receiver: WebhookReceiver,
    sender: Option<Sender>,
}

async fn start() -> Setup {
    let receiver = WebhookReceiver::start(0).await;
    let t = TestApp::start(ServerConfig {
        webhook: Some(webhook_config(&receiver.url())),
        ..config()
    })
    .await;
    let sender = Sender::start(t.state.shared_store(), webhook_config(&receiver.url())).unwrap();
    Setup {
        t,
        receiver,
        sender: Some(sender),
    }
}

impl Setup {
    async fn register(&self, body: Value) -> (StatusCode, Value) {
        let r = self.t.post("/v1/guardians", &self.t.scan, body).await;
        (r.status, r.body)
    }

    /// A fake police call to `user`, the screen shared at the caller's request.
    async fn police_call_sharing(&self, user: &str) -> String {
        let call = police_call_sharing(CALLER, user, Some(SPEECH));
        let r = self.t.post("/v1/sessions", &self.t.scan, call).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["verdict"]["action"], "block", "{}", r.text);
        r.body["session_id"].as_str().unwrap().to_string()
    }

    /// Stops the sender after waiting long enough for anything queued to arrive.
    async fn settle(&mut self) {
        tokio::time::sleep(Duration::from_millis(300)).await;
        if let Some(s) = self.sender.take() {
            s.stop().await;
        }
    }
}

#[tokio::test]
async fn a_blocked_police_call_while_sharing_alerts_the_guardian_once() {
    let mut s = start().await;
    let (status, g) = s
        .register(json!({"user_handle": USER, "guardian_handle": GUARDIAN, "consent": true}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{g}");
    let gid = g["guardian_id"].as_str().unwrap().to_string();
    assert!(gid.starts_with("gdn_"));
    assert_eq!(g["user_hash"], s.t.state.hasher().hash(USER).as_str());
    assert_eq!(
        g["guardian_hash"],
        s.t.state.hasher().hash(GUARDIAN).as_str()
    );
    // The same registration again is that one, not a second guardian.
    let (again, g2) = s
        .register(json!({"user_handle": USER, "guardian_handle": GUARDIAN, "consent": true}))
        .await;
    assert_eq!(
        (again, &g2["guardian_id"]),
        (StatusCode::OK, &g["guardian_id"])
    );

    let session = s.police_call_sharing(USER).await;
    let got = s
        .receiver
        .wait_for_delivered(1, Duration::from_secs(20))
        .await;
    assert_eq!(got.len(), 1, "{got:?}");
    // More events of the blocked session send nothing more.
    let r =
        s.t.post(
            &format!("/v1/sessions/{session}/events"),
            &s.t.scan,
            json!({"type": "app_foreground", "app": "工商银行", "category": "banking"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    s.settle().await;
    let all = s.receiver.received();
    assert_eq!(all.len(), 1, "one alert per session and guardian");

    let hook = &all[0];
    assert_eq!(hook.header("x-scamguard-kind"), "guardian_alert");
    let ts: i64 = hook.header("x-scamguard-timestamp").parse().unwrap();
    let secret =
        WebhookSecret::new(scamguard_server::testing::TEST_WEBHOOK_SECRET.as_bytes()).unwrap();
    assert!(webhook::verify(
        &secret,
        ts,
        &hook.body,
        hook.header("x-scamguard-signature"),
        now_ms() / 1000,
        300
    ));
    let body = hook.json();
    let data = &body["data"];
    assert_eq!(body["kind"], "guardian_alert");
    assert_eq!(data["guardian_id"], gid.as_str());
    assert_eq!(data["guardian_hash"], g["guardian_hash"]);
    assert_eq!(data["user_hash"], g["user_hash"]);
    assert_eq!(data["registered_by"], s.t.scan_id.as_str());
    assert_eq!(data["session_id"], session.as_str());
    assert_eq!(data["action"], "block");
    assert_eq!(data["class"], "scam");
    assert_eq!(data["claimed_category"], "police");
    assert_eq!(data["authority_unverified"], true);
    assert_eq!(data["moments"], json!(["screen_share"]));
    assert!(!data["headline"].as_str().unwrap().is_empty());
    assert!(
        data["summary"].as_str().unwrap().contains(
            "while their screen was being shared; the caller claimed to be from the police"
        ),
        "{data}"
    );
    // Nothing the caller or the user said, and no handle.
    let text = String::from_utf8(hook.body.clone()).unwrap();
    for secret_part in [
        USER,
        GUARDIAN,
        CALLER,
        "13800000000",
        "安全账户",
        "洗钱",
        "厦门",
    ] {
        assert!(!text.contains(secret_part), "{secret_part} in {text}");
    }
}

#[tokio::test]
async fn an_alert_comes_when_the_blocked_call_turns_to_screen_sharing() {
    let mut s = start().await;
    let (status, _) = s
        .register(json!({"user_handle": USER, "guardian_handle": GUARDIAN, "consent": true}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let r =
        s.t.post(
            "/v1/sessions",
            &s.t.scan,
            json!({"channel": "video_call", "locale": "zh-Hans",
                   "from": {"handle": CALLER, "display_name": "厦门市公安局"},
                   "to": {"handle": USER},
                   "events": [{"type": "call_offer"},
                              {"type": "speech", "speaker": "remote", "text": SPEECH}]}),
        )
        .await;
    assert_eq!(r.body["verdict"]["action"], "block", "{}", r.text);
    let session = r.body["session_id"].as_str().unwrap().to_string();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        s.receiver.received().is_empty(),
        "blocked, but nothing dangerous is under way yet"
    );
    for e in [
        json!({"type": "screen_share_request", "initiator": "remote"}),
        json!({"type": "screen_share_started"}),
    ] {
        let r =
            s.t.post(&format!("/v1/sessions/{session}/events"), &s.t.scan, e)
                .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    let got = s
        .receiver
        .wait_for_delivered(1, Duration::from_secs(20))
        .await;
    s.settle().await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].json()["data"]["session_id"], session.as_str());
}

#[tokio::test]
async fn no_guardian_or_a_withdrawn_one_gets_no_alert() {
    let mut s = start().await;
    // Another user's guardian.
    let (status, g) = s
        .register(
            json!({"user_handle": "+86 137 0000 0000", "guardian_handle": GUARDIAN,
                         "consent": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    s.police_call_sharing(USER).await;

    let id = g["guardian_id"].as_str().unwrap();
    // Only the key that registered it (or an admin) withdraws it.
    let other = generate_key(vec![Scope::Scan], None, now_ms());
    s.t.state.store().insert_key(&other.record).await.unwrap();
    let path = format!("/v1/guardians/{id}");
    let r = s.t.raw(Method::DELETE, &path, Some(&other.key), "").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "guardian_not_found")
    );
    let r = s.t.raw(Method::DELETE, &path, Some(&s.t.scan), "").await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = s.t.raw(Method::DELETE, &path, Some(&s.t.scan), "").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "guardian_not_found")
    );
    let long = format!("/v1/guardians/{}", "g".repeat(200));
    let r = s.t.raw(Method::DELETE, &long, Some(&s.t.scan), "").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    s.police_call_sharing("+86 137 0000 0000").await;
    s.settle().await;
    assert!(
        s.receiver.received().is_empty(),
        "{:?}",
        s.receiver.received()
    );
}

#[tokio::test]
async fn registrations_need_consent_and_two_clean_handles() {
    let s = start().await;
    for (body, field, needle) in [
        (
            json!({"user_handle": USER, "guardian_handle": GUARDIAN, "consent": false}),
            "consent",
            "has not agreed",
        ),
        (
            json!({"user_handle": USER, "guardian_handle": GUARDIAN}),
            "consent",
            "missing",
        ),
        (
            json!({"user_handle": USER, "guardian_handle": GUARDIAN, "consent": "yes"}),
            "consent",
            "expected true or false",
        ),
        (
            json!({"guardian_handle": GUARDIAN, "consent": true}),
            "user_handle",
            "missing",
        ),
        (
            json!({"user_handle": USER, "guardian_handle": 13911112222u64, "consent": true}),
            "guardian_handle",
            "expected a string",
        ),
        (
            json!({"user_handle": USER, "guardian_handle": "+86 139\u{202e}1111", "consent": true}),
            "guardian_handle",
            "U+202E",
        ),
        (
            json!({"user_handle": USER, "guardian_handle": "x".repeat(1025), "consent": true}),
            "guardian_handle",
            "too long",
        ),
        (
            json!({"user_handle": USER, "guardian_handle": " ", "consent": true}),
            "guardian_handle",
            "must not be empty",
        ),
        (
            json!({"user_handle": USER, "guardian_handle": USER, "consent": true}),
            "guardian_handle",
            "own handle",
        ),
        (
            json!({"user_handle": USER, "guardian_handle": GUARDIAN, "consent": true, "name": "Mum"}),
            "name",
            "unknown field",
        ),
        (json!([USER, GUARDIAN]), "body", "expected an object"),
    ] {
        let r = s.t.post("/v1/guardians", &s.t.scan, body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text
        );
        assert_eq!(r.field(), field, "{body}: {}", r.text);
        assert!(r.text.contains(needle), "{body}: {}", r.text);
    }
    let r =
        s.t.raw(
            Method::POST,
            "/v1/guardians",
            Some(&s.t.scan),
            "{\"user_handle\": ",
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let bank = generate_key(vec![Scope::Bank], None, now_ms());
    s.t.state.store().insert_key(&bank.record).await.unwrap();
    let r =
        s.t.post(
            "/v1/guardians",
            &bank.key,
            json!({"user_handle": USER, "guardian_handle": GUARDIAN, "consent": true}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a bank key names no guardian"
    );
    let r =
        s.t.post(
            "/v1/guardians",
            "sg_nope",
            json!({"user_handle": USER, "guardian_handle": GUARDIAN, "consent": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(s
        .t
        .state
        .store()
        .guardians(&s.t.state.hasher().hash(USER))
        .await
        .unwrap()
        .is_empty());
}

/// Through `serve` on a real socket: it starts the outbox's sender, so an alert reaches the
/// receiver with nothing else started, and stopping the server stops the sender.
#[tokio::test]
async fn serve_posts_alerts_and_stops_its_sender() {
    let receiver = WebhookReceiver::start(0).await;
    let t = TestApp::start(ServerConfig {
        webhook: Some(webhook_config(&receiver.url())),
        ..config()
    })
    .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(scamguard_server::serve(
        listener,
        t.state.clone(),
        async move {
            let _ = stopped.await;
        },
    ));
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let post = |path: &str, body: Value| {
        client
            .post(format!("{base}{path}"))
            .bearer_auth(&t.scan)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
    };
    let r = post(
        "/v1/guardians",
        json!({"user_handle": USER, "guardian_handle": GUARDIAN, "consent": true}),
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let r = post("/v1/sessions", police_call_sharing(CALLER, USER, None))
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let got = receiver
        .wait_for_delivered(1, Duration::from_secs(20))
        .await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].json()["data"]["moments"], json!(["screen_share"]));

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(20), server)
        .await
        .expect("serve stops, sender included")
        .unwrap()
        .unwrap();
}
