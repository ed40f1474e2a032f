//! The HTTP API end to end, without a socket: every endpoint and every error class, driven
//! through `tower::ServiceExt::oneshot` against a real SQLite store in a temporary directory.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use scamguard_server::testing::{self, Options, TestApp};
use scamguard_server::{RateLimit, ServerConfig};
use scamguard_store::now_ms;
use serde_json::{json, Value};
use std::time::Duration;
use tower::ServiceExt;

fn test_config() -> ServerConfig {
    testing::config()
}

async fn start(config: ServerConfig) -> TestApp {
    TestApp::start(config).await
}

/// A service on an existing data directory, as after a restart.
async fn start_in(dir: tempfile::TempDir, config: ServerConfig) -> TestApp {
    TestApp::with(Options {
        config: Some(config),
        dir: Some(dir),
        ..Options::default()
    })
    .await
}

trait Calls {
    /// Opens the README's call; returns its session id.
    async fn open_wechat_cs(&self) -> String;
}

impl Calls for TestApp {
    async fn open_wechat_cs(&self) -> String {
        let r = self
            .post("/v1/sessions", &self.scan, wechat_cs_call())
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.body["session_id"].as_str().unwrap().to_string()
    }
}

/// The README's example: an unknown caller named "微信客服".
fn wechat_cs_call() -> Value {
    json!({"channel": "video_call", "locale": "zh-Hans",
           "from": {"handle": "+86 171 0000 1234", "display_name": "微信客服", "in_contacts": false},
           "events": [{"type": "call_offer", "id": "e0"}]})
}

fn directives(verdict: &Value) -> Vec<&str> {
    verdict["directives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_readme_call_denies_screen_sharing() {
    let t = start(test_config()).await;
    let r = t.post("/v1/sessions", &t.scan, wechat_cs_call()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["seq"], 1);
    assert_eq!(r.body["verdict"]["action"], "warn");
    assert!(directives(&r.body["verdict"]).contains(&"label_caller"));
    let id = r.body["session_id"].as_str().unwrap();
    assert!(id.starts_with("ses_"));

    let r = t
        .post(
            &format!("/v1/sessions/{id}/events"),
            &t.scan,
            json!({"type": "screen_share_request", "initiator": "remote", "app": "facetime", "id": "e1"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["seq"], 2);
    assert_eq!(r.body["replayed"], false);
    let v = &r.body["verdict"];
    assert_eq!(v["action"], "block");
    assert!(directives(v).contains(&"deny_screen_share"), "{v}");
    assert!(v["explanation"].as_str().unwrap().contains("共享屏幕"));

    // The timeline has the opening, both events and their verdicts.
    let r = t.get(&format!("/v1/sessions/{id}"), Some(&t.scan)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "open");
    assert_eq!(r.body["max_action"], "block");
    let events = r.body["events"].as_array().unwrap();
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        ["session_opened", "call_offer", "screen_share_request"]
    );
    assert_eq!(events[0]["event"]["from"]["display_name"], "微信客服");
    assert!(!r.text.contains("171 0000"), "no handle in the timeline");
    assert_eq!(events[2]["verdict"]["action"], "block");
    assert_eq!(events[2]["id"], "e1");

    // Audit: every warn and block verdict, with signals and reason, queryable by session
    // and by handle.
    let r = t
        .get(&format!("/v1/admin/audit?session_id={id}"), Some(&t.admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let records = r.body["records"].as_array().unwrap();
    assert_eq!(
        records.len(),
        3,
        "opening, call_offer and screen share all warn or block"
    );
    assert_eq!(records[0]["action"], "block");
    assert!(records[0]["signals"]
        .as_array()
        .unwrap()
        .contains(&json!("screen_share_requested")));
    assert!(!records[0]["reason"].as_str().unwrap().is_empty());
    let r = t
        .get(
            "/v1/admin/audit?handle=%2B8617100001234&limit=10",
            Some(&t.admin),
        )
        .await;
    assert_eq!(r.body["records"].as_array().unwrap().len(), 3, "{}", r.text);
}

#[tokio::test]
async fn a_replayed_event_gets_the_same_verdict_and_is_not_counted_twice() {
    let t = start(test_config()).await;
    let id = t.open_wechat_cs().await;
    let path = format!("/v1/sessions/{id}/events");
    let ev = json!({"type": "speech", "speaker": "remote", "text": "您的账户涉嫌洗钱", "id": "s1"});
    let first = t.post(&path, &t.scan, ev.clone()).await;
    let again = t.post(&path, &t.scan, ev).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["replayed"], true);
    assert_eq!(first.body["verdict"], again.body["verdict"]);
    assert_eq!(first.body["seq"], again.body["seq"]);
    // The opening's first events count for replays too.
    let r = t
        .post(&path, &t.scan, json!({"type": "call_offer", "id": "e0"}))
        .await;
    assert_eq!(r.body["replayed"], true);
    assert_eq!(r.body["seq"], 1);
    // A new event comes right after: nothing was counted twice.
    let next = t.post(&path, &t.scan, json!({"type": "call_ended"})).await;
    assert_eq!(next.body["seq"], 3);
    let tl = t.get(&format!("/v1/sessions/{id}"), Some(&t.scan)).await;
    assert_eq!(tl.body["events"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn the_same_id_twice_in_an_opening_is_applied_once() {
    let t = start(test_config()).await;
    let mut call = wechat_cs_call();
    call["events"] = json!([{"type": "call_offer", "id": "x"}, {"type": "call_offer", "id": "x"}]);
    let r = t.post("/v1/sessions", &t.scan, call).await;
    assert_eq!(r.body["seq"], 1, "{}", r.text);
}

#[tokio::test]
async fn text_is_not_stored_unless_retention_is_on() {
    for retain in [false, true] {
        let t = start(ServerConfig {
            retain_text: retain,
            ..test_config()
        })
        .await;
        let id = t.open_wechat_cs().await;
        let text = "请下载会议软件，共享屏幕，我们帮您处理百万保障";
        t.post(
            &format!("/v1/sessions/{id}/events"),
            &t.scan,
            json!({"type": "speech", "speaker": "remote", "text": text}),
        )
        .await;
        let tl = t.get(&format!("/v1/sessions/{id}"), Some(&t.scan)).await;
        assert_eq!(tl.text.contains(text), retain, "{}", tl.text);
        if !retain {
            assert_eq!(tl.body["events"][2]["event"]["redacted"], json!(["text"]));
        }
        let db = std::fs::read(t.dir.path().join("scamguard.db")).unwrap();
        let wal = std::fs::read(t.dir.path().join("scamguard.db-wal")).unwrap_or_default();
        let needle = "百万保障".as_bytes();
        let found = [db, wal]
            .iter()
            .any(|b| b.windows(needle.len()).any(|w| w == needle));
        assert_eq!(found, retain, "retain_text = {retain}");
    }
}

#[tokio::test]
async fn bodies_that_are_not_good_json_are_refused_with_the_field() {
    let t = start(ServerConfig {
        body_limit: 4096,
        ..test_config()
    })
    .await;
    let id = t.open_wechat_cs().await;
    let events = format!("/v1/sessions/{id}/events");
    let k = Some(t.scan.as_str());

    let r = t
        .raw(Method::POST, "/v1/sessions", k, "{\"channel\":")
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "malformed_json")
    );
    assert_eq!(r.field(), "body");
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("line 1"));

    let r = t.raw(Method::POST, &events, k, "").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "malformed_json")
    );
    let r = t.raw(Method::POST, &events, k, "   ").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // A lone surrogate is not valid JSON text.
    let r = t
        .raw(Method::POST, "/v1/messages/scan", k, r#"{"text":"\ud800"}"#)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);

    let big = json!({"type": "speech", "speaker": "remote", "text": "骗".repeat(2000)});
    let r = t.post(&events, &t.scan, big).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    assert_eq!(r.field(), "body");

    let r = t
        .send(
            Request::post(&events)
                .header(header::AUTHORIZATION, format!("Bearer {}", t.scan))
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn wrong_fields_are_named() {
    let t = start(test_config()).await;
    let id = t.open_wechat_cs().await;
    let events = format!("/v1/sessions/{id}/events");
    let cases: Vec<(&str, Value, &str)> = vec![
        ("/v1/sessions", json!([]), "body"),
        ("/v1/sessions", json!({"channel": "video_call"}), "from"),
        (
            "/v1/sessions",
            json!({"channel": "fax", "from": {"handle": "a"}}),
            "channel",
        ),
        (
            "/v1/sessions",
            json!({"channel": "message", "from": {"handle": 5}}),
            "from.handle",
        ),
        (
            "/v1/sessions",
            json!({"channel": "message", "from": {"handle": "  "}}),
            "from.handle",
        ),
        (
            "/v1/sessions",
            json!({"channel": "message", "locale": "fr", "from": {"handle": "a"}}),
            "locale",
        ),
        (
            "/v1/sessions",
            json!({"channel": "message", "from": {"handle": "a"}, "events": [{"type": "speech", "speaker": "remote"}]}),
            "events[0].text",
        ),
        (
            "/v1/sessions",
            json!({"channel": "message", "from": {"handle": "a"}, "events": {}}),
            "events",
        ),
        (&events, json!({"type": "speach"}), "type"),
        (&events, json!({"text": "hi"}), "type"),
        (
            &events,
            json!({"type": "payment", "amount": "lots"}),
            "amount",
        ),
        (&events, json!({"type": "payment", "amount": -1}), "amount"),
        (
            &events,
            json!({"type": "speech", "speaker": "remote", "text": 7}),
            "text",
        ),
        (
            &events,
            json!({"type": "call_offer", "at": "yesterday"}),
            "at",
        ),
        (&events, json!("call_offer"), "body"),
        ("/v1/messages/scan", json!({}), "text"),
        ("/v1/messages/scan", json!({"text": ["a"]}), "text"),
        (
            "/v1/messages/scan",
            json!({"text": "hi", "from": {"handle": 1}}),
            "from.handle",
        ),
        (
            "/v1/messages/scan",
            json!({"text": "hi", "locale": "xx"}),
            "locale",
        ),
        ("/v1/urls/scan", json!({"urls": []}), "urls"),
        ("/v1/urls/scan", json!({"urls": "http://a.b"}), "urls"),
        (
            "/v1/urls/scan",
            json!({"urls": ["http://a.b", 3]}),
            "urls[1]",
        ),
        ("/v1/urls/scan", json!({"urls": [""]}), "urls[0]"),
        ("/v1/urls/scan", json!({"url": ["http://a.b"]}), "urls"),
    ];
    for (path, body, field) in cases {
        let r = t.post(path, &t.scan, body.clone()).await;
        assert_eq!(
            (r.status, r.code(), r.field()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", field),
            "{path} {body}: {}",
            r.text
        );
        assert!(!r.body["error"]["message"].as_str().unwrap().is_empty());
    }
    let too_long = "a".repeat(70 * 1024);
    let r = t
        .post("/v1/messages/scan", &t.scan, json!({"text": too_long}))
        .await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "text")
    );
}

#[tokio::test]
async fn odd_text_is_judged_not_choked_on() {
    let t = start(test_config()).await;
    // Bidi override, zero-width joiners, mixed scripts and emoji in the display name.
    let r = t
        .post(
            "/v1/sessions",
            &t.scan,
            json!({"channel": "video_call", "from": {"handle": "+1 213 555 0147",
                   "display_name": "\u{202e}局安公市门厦\u{202c}"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = t
        .post(
            "/v1/sessions",
            &t.scan,
            json!({"channel": "video_call", "from": {"handle": "x@example.com",
                   "display_name": "反\u{200b}诈\u{200d}中心🚔 Pоlice"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_ne!(r.body["verdict"]["action"], "allow", "{}", r.text);
    for text in [
        "",
        "\u{200b}\u{200b}",
        "ＩＣＢＣ客服：您的账户已冻结，请点击 http://icbc-verify.com 解冻",
        "\u{202e}moc.kab-cbci//:ptth",
        "𠀀𠀁 \u{0301}\u{0301} \0",
    ] {
        let r = t
            .post("/v1/messages/scan", &t.scan, json!({"text": text}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{text:?}: {}", r.text);
    }
}

#[tokio::test]
async fn scans_answer_and_record_what_they_flag() {
    let t = start(test_config()).await;
    let r = t
        .post(
            "/v1/messages/scan",
            &t.scan,
            json!({"text": "【中国工商银行】您的账户存在异常，请立即登录 http://icbc-verify.com 验证，否则将冻结",
                   "from": {"handle": "+86 170 1234 5678"}, "locale": "zh-CN"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_ne!(r.body["verdict"]["action"], "allow", "{}", r.text);
    let r = t
        .post(
            "/v1/messages/scan",
            &t.scan,
            json!({"text": "今晚一起吃饭吗？"}),
        )
        .await;
    assert_eq!(r.body["verdict"]["action"], "allow");

    let r = t
        .post(
            "/v1/urls/scan",
            &t.scan,
            json!({"urls": ["http://icbc-verify.com/login", "https://www.icbc.com.cn/"], "locale": "en"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let results = r.body["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["url"], "http://icbc-verify.com/login");
    assert_ne!(results[0]["verdict"]["action"], "allow");
    assert_eq!(results[1]["verdict"]["action"], "allow");
    assert_eq!(results[1]["verdict"]["locale"], "en");

    let r = t.get("/v1/admin/audit", Some(&t.admin)).await;
    let sources: Vec<&str> = r.body["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["source"].as_str().unwrap())
        .collect();
    assert!(
        sources.contains(&"message_scan") && sources.contains(&"url_scan"),
        "{sources:?}"
    );
    let r = t
        .get(
            "/v1/admin/audit?handle=%2B86%20170%201234%205678",
            Some(&t.admin),
        )
        .await;
    assert_eq!(r.body["records"].as_array().unwrap().len(), 1, "{}", r.text);
    // The reason may quote evidence (a look-alike domain), never the message itself.
    assert!(
        !r.text.contains("账户存在异常"),
        "audit keeps no content: {}",
        r.text
    );
}

#[tokio::test]
async fn keys_and_scopes_are_enforced() {
    let t = start(test_config()).await;
    let body = wechat_cs_call().to_string();
    let r = t.raw(Method::POST, "/v1/sessions", None, &body).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "missing_key")
    );
    let r = t
        .raw(
            Method::POST,
            "/v1/sessions",
            Some("sg_not-a-real-key-at-all"),
            &body,
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "invalid_key")
    );
    let r = t
        .send(
            Request::post("/v1/sessions")
                .header(header::AUTHORIZATION, format!("Basic {}", t.scan))
                .body(Body::from(body.clone()))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // scan keys cannot use admin endpoints; admin keys can use everything.
    let r = t.get("/v1/admin/audit", Some(&t.scan)).await;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "forbidden"));
    let r = t
        .raw(Method::POST, "/v1/sessions", Some(&t.admin), &body)
        .await;
    assert_eq!(r.status, StatusCode::OK);

    // Open endpoints need no key.
    for path in ["/healthz", "/readyz", "/metrics", "/openapi.json", "/"] {
        assert_eq!(t.get(path, None).await.status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn a_revoked_key_stops_working() {
    let t = start(ServerConfig {
        key_cache_ttl: Duration::ZERO,
        ..test_config()
    })
    .await;
    assert_eq!(
        t.get("/v1/admin/sessions", Some(&t.admin)).await.status,
        StatusCode::OK
    );
    let prefix = &t.admin[..scamguard_server::auth::PREFIX_LEN];
    let rec = t.state.store().keys_by_prefix(prefix).await.unwrap();
    assert!(t
        .state
        .store()
        .revoke_key(&rec[0].id, now_ms())
        .await
        .unwrap());
    let r = t.get("/v1/admin/sessions", Some(&t.admin)).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "invalid_key")
    );
}

#[tokio::test]
async fn each_key_has_its_own_rate_limit() {
    let t = start(ServerConfig {
        rate_limit: Some(RateLimit {
            per_second: 1,
            burst: 2,
        }),
        ..test_config()
    })
    .await;
    let url = json!({"urls": ["https://www.icbc.com.cn/"]});
    for _ in 0..2 {
        assert_eq!(
            t.post("/v1/urls/scan", &t.scan, url.clone()).await.status,
            StatusCode::OK
        );
    }
    let r = t.post("/v1/urls/scan", &t.scan, url.clone()).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    assert!(r.headers.contains_key(header::RETRY_AFTER));
    // Another key is not affected.
    assert_eq!(
        t.post("/v1/urls/scan", &t.admin, url).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn unknown_routes_sessions_and_methods_are_json_errors() {
    let t = start(test_config()).await;
    let r = t.get("/v1/nothing", Some(&t.scan)).await;
    assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "not_found"));
    let r = t.get("/v1/sessions/ses_missing", Some(&t.scan)).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "session_not_found")
    );
    let r = t
        .post(
            "/v1/sessions/ses_missing/events",
            &t.scan,
            json!({"type": "call_offer"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "session_not_found")
    );
    let long = "x".repeat(500);
    let r = t.get(&format!("/v1/sessions/{long}"), Some(&t.scan)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t
        .raw(Method::DELETE, "/v1/sessions", Some(&t.scan), "")
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
}

#[tokio::test]
async fn idle_sessions_expire() {
    let t = start(ServerConfig {
        session_idle: Duration::from_millis(200),
        ..test_config()
    })
    .await;
    let id = t.open_wechat_cs().await;
    let path = format!("/v1/sessions/{id}/events");
    let r = t
        .post(&path, &t.scan, json!({"type": "screen_share_ended"}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r = t.post(&path, &t.scan, json!({"type": "call_offer"})).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "session_expired")
    );
    // Its history stays readable, marked expired, and the sweep closes it in the store.
    t.state.sweep().await;
    let r = t.get(&format!("/v1/sessions/{id}"), Some(&t.scan)).await;
    assert_eq!(r.body["status"], "expired");
    assert!(t.state.store().session(&id).await.unwrap().unwrap().closed);
    assert!(t.state.sessions().is_empty());
    let r = t.post(&path, &t.scan, json!({"type": "call_offer"})).await;
    assert_eq!(
        r.code(),
        "session_expired",
        "still expired after a reload from the store"
    );
}

#[tokio::test]
async fn a_slow_request_times_out_as_json() {
    let t = start(ServerConfig {
        request_timeout: Duration::from_nanos(1),
        ..test_config()
    })
    .await;
    // Long enough work (thousands of events) that the timer's next tick always comes first.
    let mut call = wechat_cs_call();
    call["events"] = json!(vec![
        json!({"type": "speech", "speaker": "remote",
        "text": "您好，这里是微信客服，您的账户存在异常，请配合我们处理"});
        5_000
    ]);
    let r = t.post("/v1/sessions", &t.scan, call).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::SERVICE_UNAVAILABLE, "timeout")
    );
}

#[tokio::test]
async fn events_of_one_session_are_applied_one_at_a_time() {
    let t = start(test_config()).await;
    let id = t.open_wechat_cs().await;
    let path = format!("/v1/sessions/{id}/events");
    let mut tasks = Vec::new();
    for i in 0..20 {
        let app = t.app.clone();
        let req = Request::post(&path)
            .header(header::AUTHORIZATION, format!("Bearer {}", t.scan))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({"type": "app_foreground", "app": format!("app{i}"), "id": format!("c{i}")})
                    .to_string(),
            ))
            .unwrap();
        tasks.push(tokio::spawn(async move {
            app.oneshot(req).await.unwrap().status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
    let tl = t.get(&format!("/v1/sessions/{id}"), Some(&t.scan)).await;
    let seqs: Vec<i64> = tl.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, (0..=21).collect::<Vec<_>>());
}

#[tokio::test]
async fn sessions_survive_a_restart() {
    let t = start(test_config()).await;
    let id = t.open_wechat_cs().await;
    let path = format!("/v1/sessions/{id}/events");
    let first = t
        .post(
            &path,
            &t.scan,
            json!({"type": "screen_share_request", "id": "r1"}),
        )
        .await;
    t.state.shutdown().await;
    let (dir, key) = (t.dir, t.scan);

    // The same key, as a platform would keep it.
    let t = start_in(dir, test_config()).await;
    let again = t
        .post(
            &path,
            &key,
            json!({"type": "screen_share_request", "id": "r1"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(again.body["replayed"], true);
    assert_eq!(again.body["verdict"], first.body["verdict"]);
    let next = t.post(&path, &key, json!({"type": "call_ended"})).await;
    assert_eq!(next.body["seq"], 3);
    assert_eq!(
        next.body["verdict"]["action"], "block",
        "the state came back"
    );
}

#[tokio::test]
async fn sessions_beyond_the_memory_cap_are_reloaded_not_lost() {
    let t = start(ServerConfig {
        max_sessions_in_memory: 1,
        ..test_config()
    })
    .await;
    let a = t.open_wechat_cs().await;
    let b = t.open_wechat_cs().await;
    t.state.sweep().await;
    assert_eq!(t.state.sessions().len(), 1, "the older one left memory");
    let r = t
        .post(
            &format!("/v1/sessions/{a}/events"),
            &t.scan,
            json!({"type": "call_offer", "id": "e0"}),
        )
        .await;
    assert_eq!(r.body["replayed"], true, "{}", r.text);
    let r = t
        .post(
            &format!("/v1/sessions/{a}/events"),
            &t.scan,
            json!({"type": "screen_share_request"}),
        )
        .await;
    assert_eq!(r.body["seq"], 2, "{}", r.text);
    assert_eq!(r.body["verdict"]["action"], "block");
    let r = t.get(&format!("/v1/sessions/{b}"), Some(&t.scan)).await;
    assert_eq!(r.body["status"], "open");
}

#[tokio::test]
async fn a_dead_database_is_a_503_not_a_hang_or_a_panic() {
    let t = start(test_config()).await;
    let id = t.open_wechat_cs().await;
    t.state.store().close().await;
    let r = t.post("/v1/sessions", &t.scan, wechat_cs_call()).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        "{}",
        r.text
    );
    // The key is cached; the session is in memory; only the write fails, and the session
    // stays as it was.
    let r = t
        .post(
            &format!("/v1/sessions/{id}/events"),
            &t.scan,
            json!({"type": "call_ended"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.text);
    let r = t.get("/readyz", None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(!r.text.contains("pool"), "no internals leak: {}", r.text);
}

#[tokio::test]
async fn policy_reloads_without_restart_and_bad_files_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("policy.toml");
    let policy = scamguard_core::policy::DEFAULT_POLICY;
    std::fs::write(&file, policy.replace("warn = 4.0", "warn = 5.0")).unwrap();
    let t = start(ServerConfig {
        policy_path: Some(file.clone()),
        ..test_config()
    })
    .await;
    let r = t.post("/v1/admin/policy/reload", &t.admin, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["warn"], 5.0);
    assert_eq!(t.state.engine().policy().warn, 5.0);

    std::fs::write(
        &file,
        "[thresholds]\nwarn = 9\nblock = 1\n[signals.nope]\nweight = 1\n",
    )
    .unwrap();
    let r = t
        .raw(Method::POST, "/v1/admin/policy/reload", Some(&t.admin), "")
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_policy")
    );
    let msg = r.body["error"]["message"].as_str().unwrap();
    assert!(
        msg.contains("2 problem(s)") && msg.contains("signals.nope"),
        "{msg}"
    );
    assert_eq!(t.state.engine().policy().warn, 5.0, "unchanged");

    std::fs::remove_file(&file).unwrap();
    let r = t.post("/v1/admin/policy/reload", &t.admin, json!({})).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::SERVICE_UNAVAILABLE, "policy_unreadable")
    );
    let r = t.post("/v1/admin/policy/reload", &t.scan, json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_dry_run_shows_what_a_candidate_policy_changes() {
    let t = start(test_config()).await;
    let lenient = scamguard_core::policy::DEFAULT_POLICY
        .replace("warn = 4.0", "warn = 40.0")
        .replace("block = 10.0", "block = 100.0");
    let mut case = wechat_cs_call();
    case["events"] = json!([{"type": "call_offer"}]);
    let r = t
        .post(
            "/v1/admin/policy/dry-run",
            &t.admin,
            json!({"policy": lenient, "case": case}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["changed"], true);
    assert_eq!(r.body["current"]["action"], "warn");
    assert_eq!(r.body["candidate"]["action"], "allow");
    assert_eq!(
        r.body["changes"]["action"],
        json!({"from": "warn", "to": "allow"})
    );
    assert_eq!(r.body["events"][0]["action"]["to"], "allow");

    // A stored session: its signals re-priced.
    let id = t.open_wechat_cs().await;
    let r = t
        .post(
            "/v1/admin/policy/dry-run",
            &t.admin,
            json!({"policy": scamguard_core::policy::DEFAULT_POLICY, "session_id": id}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["changed"], false, "the same policy changes nothing");

    let cases = [
        (
            json!({"policy": "[thresholds]\nwarn = 1", "case": case}),
            "policy",
        ),
        (json!({"policy": 3, "case": case}), "policy"),
        (json!({"case": case}), "policy"),
        (json!({"policy": lenient}), "body"),
        (
            json!({"policy": lenient, "case": case, "session_id": id}),
            "body",
        ),
        (
            json!({"policy": lenient, "case": {"channel": "x", "from": {"handle": "a"}}}),
            "case.channel",
        ),
        (json!({"policy": lenient, "session_id": 7}), "session_id"),
    ];
    for (body, field) in cases {
        let r = t.post("/v1/admin/policy/dry-run", &t.admin, body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert_eq!(r.field(), field, "{}", r.text);
    }
    let r = t
        .post(
            "/v1/admin/policy/dry-run",
            &t.admin,
            json!({"policy": lenient, "session_id": "ses_none"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn audit_and_session_lists_filter_by_time() {
    let t = start(test_config()).await;
    let before = now_ms();
    let id = t.open_wechat_cs().await;
    let r = t
        .get(
            &format!("/v1/admin/audit?since={before}&limit=1"),
            Some(&t.admin),
        )
        .await;
    assert_eq!(r.body["records"].as_array().unwrap().len(), 1, "{}", r.text);
    let r = t
        .get(&format!("/v1/admin/audit?until={before}"), Some(&t.admin))
        .await;
    assert!(r.body["records"].as_array().unwrap().is_empty());
    let r = t
        .get("/v1/admin/audit?since=yesterday", Some(&t.admin))
        .await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "since")
    );
    let r = t.get("/v1/admin/audit?limit=0", Some(&t.admin)).await;
    assert_eq!(r.field(), "limit");
    // A blank number is not a number; blank text is a filter left empty.
    let r = t.get("/v1/admin/audit?limit=", Some(&t.admin)).await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "limit")
    );
    let r = t
        .get("/v1/admin/registry/audit?org=&limit=", Some(&t.admin))
        .await;
    assert_eq!(r.field(), "limit");
    let r = t
        .get("/v1/admin/audit?session_id=&limit=1", Some(&t.admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["records"].as_array().unwrap().len(), 1);
    // Both caller filters hold: two names for different callers match nothing, two for the
    // same caller match as one.
    let r = t
        .get("/v1/admin/audit?handle=a&handle_hash=b", Some(&t.admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["records"], json!([]));
    let hash = t.state.hasher().hash("+86 171 0000 1234");
    let r = t
        .get(
            &format!("/v1/admin/audit?handle=%2B8617100001234&handle_hash={hash}"),
            Some(&t.admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(
        !r.body["records"].as_array().unwrap().is_empty(),
        "{}",
        r.text
    );
    let r = t
        .get(
            "/v1/admin/audit?handle=a&handle_hash=b&limit=0",
            Some(&t.admin),
        )
        .await;
    assert_eq!(r.field(), "limit");

    let r = t.get("/v1/admin/sessions?open=true", Some(&t.admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["sessions"][0]["session_id"], id.as_str());
    assert_eq!(r.body["sessions"][0]["status"], "open");
    let r = t.get("/v1/admin/sessions?open=maybe", Some(&t.admin)).await;
    assert_eq!(r.field(), "open");
}

#[tokio::test]
async fn health_metrics_and_openapi_describe_the_service() {
    let t = start(test_config()).await;
    let r = t.get("/healthz", None).await;
    assert_eq!(r.body["status"], "ok");
    let r = t.get("/readyz", None).await;
    assert_eq!(r.body["store"], "sqlite");

    let id = t.open_wechat_cs().await;
    t.post(
        &format!("/v1/sessions/{id}/events"),
        &t.scan,
        json!({"type": "screen_share_request"}),
    )
    .await;
    t.state.sweep().await;
    let r = t.get("/metrics", None).await;
    assert!(r.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    for needle in [
        "scamguard_verdicts_total{action=\"block\",source=\"session\"}",
        "scamguard_signals_total{code=\"screen_share_requested\"}",
        "scamguard_http_request_duration_seconds_bucket{method=\"POST\",route=\"/v1/sessions/{id}/events\",status=\"200\"",
        "scamguard_sessions_open",
        "scamguard_writer_batch_size_bucket",
    ] {
        assert!(r.text.contains(needle), "{needle} missing from:\n{}", r.text);
    }

    let r = t.get("/openapi.json", None).await;
    assert!(r.body["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(
        r.body,
        serde_json::to_value(scamguard_server::openapi_document()).unwrap()
    );

    // Once shutdown begins, readiness fails so load balancers move away.
    t.state.begin_shutdown();
    let r = t.get("/readyz", None).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::SERVICE_UNAVAILABLE, "shutting_down")
    );
}

/// The router and the document come from the same registrations: every documented operation
/// is served (a request without a key, or with an empty body, reaches its route and gets an
/// answer the document lists), and an undocumented path is not.
#[tokio::test]
async fn every_documented_operation_is_served_and_answers_as_documented() {
    let t = start(test_config()).await;
    let doc = serde_json::to_value(scamguard_server::openapi_document()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 20, "{} paths", paths.len());
    let mut operations = 0;
    for (path, item) in paths {
        let concrete = path.replace("{id}", "nope").replace("{kid}", "nope");
        for (method, op) in item.as_object().unwrap() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let body = if op.get("requestBody").is_some() {
                "{}"
            } else {
                ""
            };
            let r = t.raw(method.clone(), &concrete, None, body).await;
            assert!(
                !matches!(r.code(), "not_found" | "method_not_allowed"),
                "{method} {path} is documented but not served: {}",
                r.text
            );
            let status = r.status.as_u16().to_string();
            assert!(
                op["responses"].get(&status).is_some(),
                "{method} {path} answered {status}, which its description does not list: {}",
                r.text
            );
            operations += 1;
        }
    }
    assert!(operations >= 22, "{operations} operations");
    let r = t.get("/v1/not-a-route", Some(&t.admin)).await;
    assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "not_found"));
}

/// A second platform key, as another tenant of the same service would have.
async fn other_scan_key(t: &TestApp) -> String {
    let k = scamguard_server::auth::generate_key(
        vec![scamguard_store::Scope::Scan],
        Some("other platform".into()),
        now_ms(),
    );
    t.state.store().insert_key(&k.record).await.unwrap();
    k.key
}

#[tokio::test]
async fn a_session_belongs_to_the_key_that_opened_it() {
    let t = start(test_config()).await;
    let id = t.open_wechat_cs().await;
    let other = other_scan_key(&t).await;
    let events = format!("/v1/sessions/{id}/events");
    let r = t.get(&format!("/v1/sessions/{id}"), Some(&other)).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "session_not_found")
    );
    let r = t
        .post(&events, &other, json!({"type": "screen_share_request"}))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "session_not_found")
    );
    // Nothing was added by the other key; the owner and the operator still reach it.
    let r = t.get(&format!("/v1/sessions/{id}"), Some(&t.scan)).await;
    assert_eq!(r.body["events"].as_array().unwrap().len(), 2, "{}", r.text);
    let r = t.get(&format!("/v1/sessions/{id}"), Some(&t.admin)).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn a_call_that_ended_closes_its_session() {
    let t = start(test_config()).await;
    let id = t.open_wechat_cs().await;
    let events = format!("/v1/sessions/{id}/events");
    let ended = t
        .post(&events, &t.scan, json!({"type": "call_ended", "id": "end"}))
        .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.text);
    let r = t.get(&format!("/v1/sessions/{id}"), Some(&t.scan)).await;
    assert_eq!(
        (r.body["status"].as_str(), r.body["closed"].as_bool()),
        (Some("closed"), Some(true))
    );
    let r = t
        .post(
            &events,
            &t.scan,
            json!({"type": "speech", "speaker": "remote", "text": "喂？"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "session_closed")
    );
    // A retry of the ending is still answered as before.
    let again = t
        .post(&events, &t.scan, json!({"type": "call_ended", "id": "end"}))
        .await;
    assert_eq!(
        (again.status, again.body["replayed"].as_bool()),
        (StatusCode::OK, Some(true))
    );
    assert_eq!(again.body["verdict"], ended.body["verdict"]);
    // The store counts it as closed, and the next sweep lets go of it.
    assert!(t.state.store().session(&id).await.unwrap().unwrap().closed);
    assert_eq!(t.state.store().count_open(now_ms()).await.unwrap(), 0);
    t.state.sweep().await;
    assert!(t.state.sessions().is_empty());
    let r = t
        .post(&events, &t.scan, json!({"type": "call_offer"}))
        .await;
    assert_eq!(
        r.code(),
        "session_closed",
        "still closed after a reload: {}",
        r.text
    );
}

#[tokio::test]
async fn a_session_takes_at_most_its_event_limit() {
    let t = start(ServerConfig {
        session_max_events: 3,
        ..test_config()
    })
    .await;
    let id = t.open_wechat_cs().await; // one event
    let events = format!("/v1/sessions/{id}/events");
    for i in 0..2 {
        let r = t
            .post(
                &events,
                &t.scan,
                json!({"type": "screen_share_ended", "id": format!("s{i}")}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    let r = t
        .post(&events, &t.scan, json!({"type": "screen_share_ended"}))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "session_event_limit")
    );
    assert!(r.body["error"]["message"].as_str().unwrap().contains('3'));
    // Replays of events it took are still answered.
    let r = t
        .post(
            &events,
            &t.scan,
            json!({"type": "screen_share_ended", "id": "s1"}),
        )
        .await;
    assert_eq!(r.body["replayed"], true);
    // An opening with more events than the limit is refused whole.
    let mut call = wechat_cs_call();
    call["events"] = json!(vec![json!({"type": "screen_share_ended"}); 4]);
    let r = t.post("/v1/sessions", &t.scan, call).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "session_event_limit")
    );
}

#[tokio::test]
async fn the_memory_cap_holds_as_sessions_arrive() {
    let t = start(ServerConfig {
        max_sessions_in_memory: 10,
        ..test_config()
    })
    .await;
    let mut ids = Vec::new();
    for _ in 0..50 {
        ids.push(t.open_wechat_cs().await);
        assert!(
            t.state.sessions().len() <= 10,
            "{} held",
            t.state.sessions().len()
        );
    }
    // Every one is still open and answers, loaded back from the store.
    for id in &ids {
        let r = t
            .post(
                &format!("/v1/sessions/{id}/events"),
                &t.scan,
                json!({"type": "screen_share_ended"}),
            )
            .await;
        assert_eq!(r.body["seq"], 2, "{}", r.text);
        assert!(t.state.sessions().len() <= 10);
    }
}

#[tokio::test]
async fn links_are_stored_without_their_path_or_query() {
    let t = start(test_config()).await;
    let r = t
        .post(
            "/v1/sessions",
            &t.scan,
            json!({"channel": "message", "from": {"handle": "+86 165 1234 0091"},
                   "events": [
                     {"type": "message", "direction": "in",
                      "text": "您的ETC已失效，请登录 https://etc-rzzx.cc/auth?token=s3cret&phone=13800001111 认证"},
                     {"type": "link_opened", "url": "https://etc-rzzx.cc/auth?token=s3cret&phone=13800001111"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(!r.text.contains("s3cret"), "the answer: {}", r.text);
    let id = r.body["session_id"].as_str().unwrap();
    let timeline = t.get(&format!("/v1/sessions/{id}"), Some(&t.scan)).await;
    assert!(timeline.has("etc-rzzx.cc"), "{}", timeline.text);
    for secret in ["s3cret", "13800001111", "/auth"] {
        assert!(
            !timeline.has(secret),
            "{secret} in the timeline: {}",
            timeline.text
        );
    }
    // The session's state and every stored event, as the store reads them back (unpacked).
    let state = t.state.store().session(id).await.unwrap().unwrap().state;
    assert!(
        state.contains("etc-rzzx.cc") && !state.contains("s3cret"),
        "{state}"
    );
    for e in t.state.store().events(id).await.unwrap() {
        let stored = format!("{} {}", e.payload, e.verdict);
        assert!(
            !stored.contains("s3cret") && !stored.contains("13800001111"),
            "{stored}"
        );
    }
}

/// Issue 14 item 8: a `verified_org` must be an identity the engine knows, by id; a name typed
/// there once showed as "已验证：厦门市公安局" on a +1 number.
#[tokio::test]
async fn verified_org_must_be_a_known_identity() {
    let t = start(test_config()).await;
    let forged = json!({"handle": "+1 213 555 0147", "display_name": "厦门市公安局",
                        "verified_org": "厦门市公安局\u{1b}[2J"});
    for (path, body) in [
        (
            "/v1/sessions",
            json!({"channel": "video_call", "from": forged}),
        ),
        (
            "/v1/messages/scan",
            json!({"text": "请配合调查", "from": forged}),
        ),
    ] {
        let r = t.post(path, &t.scan, body).await;
        assert_eq!(
            (r.status, r.code(), r.field()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_field",
                "from.verified_org"
            ),
            "{path}: {}",
            r.text
        );
        let message = r.body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains(r#"unknown organisation "厦门市公安局\u{001b}[2J""#),
            "{message}"
        );
        assert!(!message.chars().any(char::is_control), "{message}");
    }
    let genuine = json!({"channel": "video_call", "from": {"handle": "95588",
                         "display_name": "中国工商银行", "verified_org": "cn_icbc"}});
    let r = t.post("/v1/sessions", &t.scan, genuine).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["verdict"]["verified_identity"]["org"], "cn_icbc");
}

/// Issue 14 item 11: what the OpenAPI document allows is accepted — `from: null` on a message
/// scan means "not known", a whole `at` written as `28.0` is an integer — and what it forbids
/// is refused with the field at fault.
#[tokio::test]
async fn requests_the_document_allows_are_accepted() {
    let t = start(test_config()).await;
    let r = t
        .post(
            "/v1/messages/scan",
            &t.scan,
            json!({"text": "你好", "from": null, "locale": null}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let id = t.open_wechat_cs().await;
    let r = t
        .post(
            &format!("/v1/sessions/{id}/events"),
            &t.scan,
            json!({"type": "screen_share_ended", "at": 28.0}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for (urls, field) in [(json!([""]), "urls[0]"), (json!([" \t"]), "urls[0]")] {
        let r = t
            .post("/v1/urls/scan", &t.scan, json!({ "urls": urls }))
            .await;
        assert_eq!(
            (r.status, r.field()),
            (StatusCode::UNPROCESSABLE_ENTITY, field),
            "{}",
            r.text
        );
    }
    // The document states each of these limits.
    let doc = t.get("/openapi.json", None).await;
    let schemas = &doc.body["components"]["schemas"];
    let urls = &schemas["UrlScan"]["properties"]["urls"];
    assert_eq!(urls["items"]["maxLength"], 8192, "{urls}");
    assert_eq!(urls["items"]["pattern"], r"\S", "{urls}");
    let handle = &schemas["RiskLookup"]["properties"]["user_handle"];
    assert_eq!(
        handle["pattern"],
        scamguard_server::risk::USER_HANDLE_PATTERN,
        "{handle}"
    );
}

/// A local overlay is read at start and re-read with the policy on reload.
#[tokio::test]
async fn policy_reloads_merge_the_local_overlay() {
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("local.toml");
    std::fs::write(&local, "[thresholds]\nwarn = 5.0\n").unwrap();
    let t = start(ServerConfig {
        policy_local_path: Some(local.clone()),
        ..test_config()
    })
    .await;
    let r = t.post("/v1/admin/policy/reload", &t.admin, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body["source"],
        format!("built-in with {}", local.display())
    );
    assert_eq!(r.body["warn"], 5.0);
    assert_eq!(
        r.body["block"],
        scamguard_core::policy::Policy::builtin().block
    );
    std::fs::write(
        &local,
        "[[rules]]\nname = \"no_such_rule\"\nenabled = false\n",
    )
    .unwrap();
    let r = t.post("/v1/admin/policy/reload", &t.admin, json!({})).await;
    assert_eq!(r.code(), "invalid_policy", "{}", r.text);
    assert!(r.text.contains("no such entry to turn off"), "{}", r.text);
    assert_eq!(t.state.engine().policy().warn, 5.0, "unchanged");
}
