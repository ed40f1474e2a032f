//! The one test harness for the service: a whole app on a fresh data directory, driven
//! through `tower::ServiceExt::oneshot` with no socket, and what a request got back.
//!
//! Used by the crate's own tests and, through the `testing` feature, by its integration
//! tests (`tests/api.rs`, `tests/registry.rs`) and those of crates built on it.

use crate::auth::generate_key;
use crate::{app, AppState, ServerConfig};
use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use scamguard_core::Engine;
use scamguard_store::{now_ms, open, HandleHasher, Scope, StoreConfig};
use serde_json::Value;
use std::sync::OnceLock;
use std::time::Duration;
use tower::ServiceExt;

/// The built-in engine, built once per test binary.
pub fn engine() -> Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::builtin().expect("the built-in engine builds"))
        .clone()
}

/// Settings for tests: no rate limit, no housekeeping during the test.
pub fn config() -> ServerConfig {
    ServerConfig {
        rate_limit: None,
        sweep_interval: Duration::from_secs(3600),
        ..ServerConfig::default()
    }
}

/// The enrolment request (`POST /v1/admin/registry/organisations`) for the core's test
/// organisation, 杭州市公安局 (`hz-police`, see `scamguard_core::passport::testing`), with its
/// key `hz-2026` valid for 30 days.
pub fn hz_police_enrolment() -> Value {
    serde_json::json!({
        "id": "hz-police",
        "legal_name": "杭州市公安局",
        "category": "police",
        "names": ["杭州市公安局", "Hangzhou Public Security Bureau"],
        "handles": ["+86 571 8728 0110"],
        "callback_numbers": ["110"],
        "domains": ["police.hangzhou.gov.cn"],
        "keys": [{"kid": "hz-2026", "valid_days": 30,
                  "public_key_pem": scamguard_core::passport::testing::ORG_PUBLIC}]
    })
}

/// A session request: a fake police call ("厦门市公安局") from `caller` to `user` in which the
/// caller says `speech` (when given), asks for the screen, and the user shares it.
pub fn police_call_sharing(caller: &str, user: &str, speech: Option<&str>) -> Value {
    let mut events = vec![serde_json::json!({"type": "call_offer"})];
    events.extend(
        speech.map(|text| serde_json::json!({"type": "speech", "speaker": "remote", "text": text})),
    );
    events.push(serde_json::json!({"type": "screen_share_request", "initiator": "remote"}));
    events.push(serde_json::json!({"type": "screen_share_started"}));
    serde_json::json!({"channel": "video_call", "locale": "zh-Hans",
                       "from": {"handle": caller, "display_name": "厦门市公安局"},
                       "to": {"handle": user},
                       "events": events})
}

/// A service on its own data directory, with one `scan` and one `admin` key.
pub struct TestApp {
    /// The service.
    pub app: Router,
    /// Its state, for tests that reach past the API.
    pub state: AppState,
    /// A `scan` key.
    pub scan: String,
    /// Its id.
    pub scan_id: String,
    /// An `admin` key.
    pub admin: String,
    /// Its id.
    pub admin_id: String,
    /// The data directory, removed when the app is dropped.
    pub dir: tempfile::TempDir,
}

/// What a request got back.
#[derive(Debug)]
pub struct Reply {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body as JSON (`Null` when it is not JSON).
    pub body: Value,
    /// The body as text.
    pub text: String,
}

impl Reply {
    /// The error code, or "".
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    /// The error's field, or "".
    pub fn field(&self) -> &str {
        self.body["error"]["field"].as_str().unwrap_or("")
    }

    /// A header's value, or "".
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Whether the body contains `s`.
    pub fn has(&self, s: &str) -> bool {
        self.text.contains(s)
    }
}

/// How to build a [`TestApp`].
#[derive(Default)]
pub struct Options {
    /// Server settings; [`config`] when `None`.
    pub config: Option<ServerConfig>,
    /// The engine; [`engine`] when `None`.
    pub engine: Option<Engine>,
    /// The data directory to use (e.g. to restart on the same one); a new one when `None`.
    pub dir: Option<tempfile::TempDir>,
    /// A PostgreSQL URL instead of SQLite in the data directory.
    pub database_url: Option<String>,
    /// Load the organisation registry from the store into the engine.
    pub registry: bool,
    /// Commit SQLite writes through the event journal, as `serve` does.
    pub journal: bool,
}

impl TestApp {
    /// A service with `config` on a fresh SQLite data directory.
    pub async fn start(config: ServerConfig) -> TestApp {
        TestApp::with(Options {
            config: Some(config),
            ..Options::default()
        })
        .await
    }

    /// A service as `options` say.
    pub async fn with(options: Options) -> TestApp {
        let dir = options
            .dir
            .unwrap_or_else(|| tempfile::tempdir().expect("a temporary directory"));
        let mut store_config = StoreConfig::sqlite(dir.path());
        store_config.database_url = options.database_url;
        store_config.journal = options.journal;
        let store = open(&store_config).await.expect("the store opens");
        let hasher = HandleHasher::load_or_create(dir.path()).expect("the handle key");
        let scan = generate_key(vec![Scope::Scan], Some("test".into()), now_ms());
        let admin = generate_key(vec![Scope::Admin], Some("test".into()), now_ms());
        store.insert_key(&scan.record).await.expect("insert key");
        store.insert_key(&admin.record).await.expect("insert key");
        let state = AppState::new(
            options.config.unwrap_or_else(config),
            options.engine.unwrap_or_else(engine),
            store,
            hasher,
        );
        if options.registry {
            crate::registry::install(&state)
                .await
                .expect("the registry loads");
        }
        TestApp {
            app: app(state.clone()),
            state,
            scan: scan.key,
            scan_id: scan.record.id,
            admin: admin.key,
            admin_id: admin.record.id,
            dir,
        }
    }

    /// Sends a request.
    pub async fn send(&self, req: Request<Body>) -> Reply {
        let resp = self
            .app
            .clone()
            .oneshot(req)
            .await
            .expect("the service answers");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .expect("the body reads");
        let text = String::from_utf8_lossy(&bytes).to_string();
        Reply {
            status,
            headers,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            text,
        }
    }

    /// A request with `key` (if any) and a JSON `body` (if not empty).
    pub async fn raw(&self, method: Method, path: &str, key: Option<&str>, body: &str) -> Reply {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(k) = key {
            b = b.header(header::AUTHORIZATION, format!("Bearer {k}"));
        }
        if !body.is_empty() {
            b = b.header(header::CONTENT_TYPE, "application/json");
        }
        self.send(b.body(Body::from(body.to_string())).expect("a request"))
            .await
    }

    /// POSTs `body` as JSON with `key`.
    pub async fn post(&self, path: &str, key: &str, body: Value) -> Reply {
        self.raw(Method::POST, path, Some(key), &body.to_string())
            .await
    }

    /// GETs `path` with `key`, if any.
    pub async fn get(&self, path: &str, key: Option<&str>) -> Reply {
        self.raw(Method::GET, path, key, "").await
    }

    /// GETs `path` with extra headers and no key (console pages).
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut b = Request::builder().method(Method::GET).uri(path);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        self.send(b.body(Body::empty()).expect("a request")).await
    }

    /// POSTs an HTML form with extra headers and no key (console pages).
    pub async fn post_form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut b = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let body = form_urlencoded(fields);
        self.send(b.body(Body::from(body)).expect("a request"))
            .await
    }
}

/// `fields` as an `application/x-www-form-urlencoded` body.
pub fn form_urlencoded(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One post a [`WebhookReceiver`] got.
#[derive(Debug, Clone)]
pub struct ReceivedHook {
    /// Its headers.
    pub headers: HeaderMap,
    /// Its body, as sent.
    pub body: Vec<u8>,
    /// The status it was answered with.
    pub status: StatusCode,
}

impl ReceivedHook {
    /// A header's value, or "".
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// A webhook receiver on 127.0.0.1 (port chosen by the system) that records every post and
/// answers the first `refuse` of them with 500, the rest with 204.
pub struct WebhookReceiver {
    addr: std::net::SocketAddr,
    got: std::sync::Arc<std::sync::Mutex<Vec<ReceivedHook>>>,
    task: tokio::task::JoinHandle<()>,
}

impl WebhookReceiver {
    /// Starts listening.
    pub async fn start(refuse: usize) -> WebhookReceiver {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::{Arc, Mutex};
        let got: Arc<Mutex<Vec<ReceivedHook>>> = Arc::default();
        let seen = Arc::new(AtomicUsize::new(0));
        let record = got.clone();
        let router = Router::new().route(
            "/hooks",
            axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
                let record = record.clone();
                let seen = seen.clone();
                async move {
                    let status = if seen.fetch_add(1, Ordering::SeqCst) < refuse {
                        StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        StatusCode::NO_CONTENT
                    };
                    record
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(ReceivedHook {
                            headers,
                            body: body.to_vec(),
                            status,
                        });
                    status
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("its address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        WebhookReceiver { addr, got, task }
    }

    /// The URL to post to.
    pub fn url(&self) -> String {
        format!("http://{}/hooks", self.addr)
    }

    /// Every post so far, in order.
    pub fn received(&self) -> Vec<ReceivedHook> {
        self.got.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Waits until `n` posts were answered 2xx, or `within` passes; returns every post.
    pub async fn wait_for_delivered(&self, n: usize, within: Duration) -> Vec<ReceivedHook> {
        let end = tokio::time::Instant::now() + within;
        loop {
            let got = self.received();
            let ok = got.iter().filter(|h| h.status.is_success()).count();
            if ok >= n || tokio::time::Instant::now() >= end {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Webhook settings for tests: posting to `url` with a fixed secret, checked every 10 ms,
/// retried after 20 ms.
pub fn webhook_config(url: &str) -> crate::webhook::WebhookConfig {
    let secret = crate::webhook::WebhookSecret::new(TEST_WEBHOOK_SECRET.as_bytes())
        .expect("a long enough secret");
    let mut c = crate::webhook::WebhookConfig::new(url, secret).expect("a loopback URL");
    c.timeout = Duration::from_secs(2);
    c.poll = Duration::from_millis(10);
    c.backoff_first = Duration::from_millis(20);
    c.backoff_cap = Duration::from_millis(200);
    c
}

/// The secret of [`webhook_config`].
pub const TEST_WEBHOOK_SECRET: &str = "test-webhook-secret-0123456789";
