//! Webhooks: notifications the operator's systems act on (a guardian to call, a warning desk
//! to ring a user), posted to `--webhook-url` from an outbox table in the service's database.
//!
//! [`enqueue`] writes a row; the [`Sender`] that `serve` starts claims due rows with a lease
//! (see `scamguard_store::webhook`), posts each as JSON, and marks it delivered on a 2xx
//! answer. Anything else is retried with exponential backoff and jitter ([`backoff`]), up to
//! [`WebhookConfig::max_age`] after the row was written; then the row is marked failed. Rows
//! pending when the server stops stay in the table and are sent after the next start, by
//! whichever node gets there first: delivery is at least once, and the receiver drops
//! repeats by the delivery id.
//!
//! Every post is signed: `X-Scamguard-Timestamp` is the Unix time of the attempt, and
//! `X-Scamguard-Signature: sha256=<hex>` is HMAC-SHA256, keyed by the webhook secret, of
//! `"{timestamp}.{body}"` ([`sign`]). The timestamp inside the signed material lets the
//! receiver refuse a replayed post (older than five minutes, say).
//!
//! A payload carries no message or speech text and no handle: keyed hashes and ids only.

use crate::error::ApiError;
use crate::random::random_hex;
use crate::state::AppState;
use hmac::{Hmac, Mac};
use scamguard_store::{now_ms, Claim, OutboxRow, Store};
use serde::Serialize;
use serde_json::value::RawValue;
use sha2::Sha256;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The header with the body's signature, `sha256=<hex>`.
pub const SIGNATURE_HEADER: &str = "x-scamguard-signature";
/// The header with the attempt's Unix time (seconds), part of the signed material.
pub const TIMESTAMP_HEADER: &str = "x-scamguard-timestamp";
/// The header with the delivery id (also in the body), the same on every attempt.
pub const DELIVERY_HEADER: &str = "x-scamguard-delivery";
/// The header with the notification's kind (also in the body).
pub const KIND_HEADER: &str = "x-scamguard-kind";

/// Outbox rows by status (`pending`, `delivered`, `failed`), refreshed by the sender.
pub const OUTBOX: &str = "scamguard_webhook_outbox";
/// Delivery attempts by outcome (`delivered`, `retry`, `failed`).
pub const ATTEMPTS: &str = "scamguard_webhook_attempts_total";
/// Notifications written to the outbox by kind, or skipped because no URL is configured.
pub const ENQUEUED: &str = "scamguard_webhooks_enqueued_total";

/// Shortest secret accepted, in bytes.
pub const MIN_SECRET_BYTES: usize = 16;

/// What a notification is about; its wire name is the body's `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A session of a user who named a guardian blocked during a payment, a banking app or
    /// a screen share: the platform notifies the guardian.
    GuardianAlert,
    /// A session joined a known campaign, or a reported handle called: the warning desk
    /// calls the user.
    CampaignWarning,
}

impl Kind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::GuardianAlert => "guardian_alert",
            Kind::CampaignWarning => "campaign_warning",
        }
    }
}

/// Why webhooks cannot be configured as asked.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// The URL is not an `http` or `https` URL.
    #[error("webhook URL {0:?}: expected http://HOST/PATH or https://HOST/PATH")]
    BadUrl(String),
    /// The secret is too short to resist guessing.
    #[error("the webhook secret must be at least {MIN_SECRET_BYTES} bytes")]
    ShortSecret,
    /// The HTTP client could not be built.
    #[error("webhook HTTP client: {0}")]
    Client(#[from] reqwest::Error),
}

/// The shared secret posts are signed with.
#[derive(Clone)]
pub struct WebhookSecret(Arc<[u8]>);

impl WebhookSecret {
    /// A secret of at least [`MIN_SECRET_BYTES`] bytes; surrounding whitespace (a file's
    /// final newline) is not part of it.
    pub fn new(secret: &[u8]) -> Result<WebhookSecret, WebhookError> {
        let trimmed = secret.trim_ascii();
        if trimmed.len() < MIN_SECRET_BYTES {
            return Err(WebhookError::ShortSecret);
        }
        Ok(WebhookSecret(trimmed.into()))
    }
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(…)")
    }
}

/// Where and how webhooks are sent.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// The receiver.
    pub url: reqwest::Url,
    /// The signing secret.
    pub secret: WebhookSecret,
    /// Longest one post may take.
    pub timeout: Duration,
    /// How often the outbox is checked when it is idle.
    pub poll: Duration,
    /// The wait before the second attempt; it doubles with each further attempt.
    pub backoff_first: Duration,
    /// Longest wait between attempts.
    pub backoff_cap: Duration,
    /// How long after it was written a notification is still attempted.
    pub max_age: Duration,
    /// Most rows one sender claims at a time.
    pub batch: usize,
    /// How long delivered and failed rows are kept.
    pub keep: Duration,
}

impl WebhookConfig {
    /// Posting to `url` with `secret`, with the default timings: 10 s per post, checked
    /// every second, retried after 2 s, 4 s, 8 s … at most 10 minutes apart for a day.
    pub fn new(url: &str, secret: WebhookSecret) -> Result<WebhookConfig, WebhookError> {
        let parsed =
            reqwest::Url::parse(url.trim()).map_err(|_| WebhookError::BadUrl(url.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https")
            || parsed.host_str().is_none()
            || !parsed.username().is_empty()
            || parsed.password().is_some()
        {
            return Err(WebhookError::BadUrl(url.to_string()));
        }
        Ok(WebhookConfig {
            url: parsed,
            secret,
            timeout: Duration::from_secs(10),
            poll: Duration::from_secs(1),
            backoff_first: Duration::from_secs(2),
            backoff_cap: Duration::from_secs(600),
            max_age: Duration::from_secs(24 * 3600),
            batch: 16,
            keep: Duration::from_secs(7 * 24 * 3600),
        })
    }

    /// How long a claim holds its rows: long enough to post every one of a batch, so that
    /// no other sender takes a row this one is still about to post.
    fn lease(&self) -> Duration {
        self.timeout * (self.batch as u32 + 1)
    }
}

/// `sha256=<hex>`: HMAC-SHA256 of `"{timestamp}.{body}"` keyed by `secret`.
pub fn sign(secret: &WebhookSecret, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&secret.0).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Whether `signature` is [`sign`]'s for this body and timestamp, compared in constant time,
/// and the timestamp is within `tolerance_secs` of `now_secs`: what a receiver checks.
pub fn verify(
    secret: &WebhookSecret,
    timestamp: i64,
    body: &[u8],
    signature: &str,
    now_secs: i64,
    tolerance_secs: i64,
) -> bool {
    let Some(given) = signature
        .strip_prefix("sha256=")
        .and_then(|h| hex::decode(h).ok())
    else {
        return false;
    };
    if (now_secs - timestamp).abs() > tolerance_secs {
        return false;
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(&secret.0).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

/// The body posted for a row: `{"id", "kind", "created", "data"}`.
#[derive(Debug, Serialize)]
struct Envelope<'a> {
    /// The delivery id, the same on every attempt.
    id: &'a str,
    kind: &'a str,
    /// When it was written (Unix ms).
    created: i64,
    data: &'a RawValue,
}

/// The JSON body of `row`.
pub fn body(row: &OutboxRow) -> Result<Vec<u8>, serde_json::Error> {
    let data: &RawValue = serde_json::from_str(&row.payload)?;
    serde_json::to_vec(&Envelope {
        id: &row.id,
        kind: &row.kind,
        created: row.created,
        data,
    })
}

/// Writes a notification of `kind` with `data` to the outbox, to be posted by the sender;
/// returns its delivery id, or `None` when no webhook URL is configured (nothing is kept
/// then: there is nowhere to send it). `data` must carry no message text and no handle.
pub async fn enqueue(
    state: &AppState,
    kind: Kind,
    data: &serde_json::Value,
) -> Result<Option<String>, ApiError> {
    write(state, kind, format!("whk_{}", random_hex()), data).await
}

/// Like [`enqueue`], but at most once for `key` (a session and a guardian, say), across
/// retries, restarts and nodes: the delivery id is derived from `kind` and `key`. Returns
/// `None` also when it was enqueued before.
pub async fn enqueue_once(
    state: &AppState,
    kind: Kind,
    key: &str,
    data: &serde_json::Value,
) -> Result<Option<String>, ApiError> {
    use sha2::Digest as _;
    let digest = Sha256::digest(format!("{}:{key}", kind.as_str()).as_bytes());
    let id = format!("whk_{}", hex::encode(&digest[..16]));
    match write(state, kind, id, data).await {
        // The store's unique-key conflict: the id is taken, so it was enqueued before.
        Err(ApiError::Stale) => {
            metrics::counter!(ENQUEUED, "kind" => kind.as_str(), "outcome" => "repeat")
                .increment(1);
            Ok(None)
        }
        other => other,
    }
}

async fn write(
    state: &AppState,
    kind: Kind,
    id: String,
    data: &serde_json::Value,
) -> Result<Option<String>, ApiError> {
    if state.config().webhook.is_none() {
        metrics::counter!(ENQUEUED, "kind" => kind.as_str(), "outcome" => "no_url").increment(1);
        return Ok(None);
    }
    let payload = serde_json::to_string(data)
        .map_err(|e| ApiError::Internal(format!("webhook payload JSON: {e}")))?;
    state
        .store()
        .enqueue_webhook(&id, kind.as_str(), &payload, now_ms())
        .await?;
    metrics::counter!(ENQUEUED, "kind" => kind.as_str(), "outcome" => "queued").increment(1);
    Ok(Some(id))
}

/// The wait before the attempt after `attempts` failed ones: `first` doubled per earlier
/// failure, at most `cap`, then jittered to between half and all of it so that many rows
/// that failed together do not come back together.
pub fn backoff(attempts: i64, first: Duration, cap: Duration) -> Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 30) as u32;
    let full = first.saturating_mul(1u32 << doublings).min(cap);
    full.mul_f64(0.5 + 0.5 * crate::random::fraction())
}

/// The background task posting the outbox; [`Sender::stop`] ends it between posts.
#[derive(Debug)]
pub struct Sender {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
    owner: String,
}

impl Sender {
    /// Starts posting `store`'s outbox as `config` says, on the current Tokio runtime.
    pub fn start(store: Arc<dyn Store>, config: WebhookConfig) -> Result<Sender, WebhookError> {
        describe();
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            // Only the configured receiver is ever called: no redirects, no proxies.
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .user_agent(concat!("scamguard-webhook/", env!("CARGO_PKG_VERSION")))
            .build()?;
        let (stop, stopped) = watch::channel(false);
        let owner = format!("snd_{}", random_hex());
        let worker = Worker {
            store,
            client,
            config,
            owner: owner.clone(),
            stopped,
        };
        let task = tokio::spawn(worker.run());
        Ok(Sender { stop, task, owner })
    }

    /// This sender's lease owner id, as the outbox records it.
    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// Stops after the post in flight, if any; rows not yet posted stay pending for the next
    /// start or another node.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::warn!(error = %e, "the webhook sender ended abnormally");
        }
    }
}

fn describe() {
    metrics::describe_gauge!(OUTBOX, "Webhook outbox rows by status");
    metrics::describe_counter!(ATTEMPTS, "Webhook delivery attempts by outcome");
    metrics::describe_counter!(
        ENQUEUED,
        "Notifications written to the webhook outbox, by kind and outcome"
    );
}

struct Worker {
    store: Arc<dyn Store>,
    client: reqwest::Client,
    config: WebhookConfig,
    owner: String,
    stopped: watch::Receiver<bool>,
}

/// What became of one attempt.
enum Outcome {
    Delivered,
    Refused(String),
}

impl Worker {
    async fn run(mut self) {
        let mut last_upkeep: Option<tokio::time::Instant> = None;
        loop {
            if *self.stopped.borrow() {
                return;
            }
            let due_upkeep = last_upkeep.is_none_or(|t| t.elapsed() >= Duration::from_secs(5));
            if due_upkeep {
                self.upkeep().await;
                last_upkeep = Some(tokio::time::Instant::now());
            }
            let full = match self.pass().await {
                Ok(n) => n >= self.config.batch,
                Err(e) => {
                    tracing::warn!(error = %e, "webhook outbox unavailable; retrying");
                    false
                }
            };
            if full {
                continue;
            }
            tokio::select! {
                _ = tokio::time::sleep(self.config.poll) => {}
                changed = self.stopped.changed() => {
                    // The `Sender` was dropped without `stop`: nothing will stop this later.
                    if changed.is_err() {
                        return;
                    }
                }
            }
        }
    }

    /// Refreshes the gauges and forgets rows finished longer ago than `keep`.
    async fn upkeep(&self) {
        match self.store.webhook_counts().await {
            Ok(c) => {
                metrics::gauge!(OUTBOX, "status" => "pending").set(c.pending as f64);
                metrics::gauge!(OUTBOX, "status" => "delivered").set(c.delivered as f64);
                metrics::gauge!(OUTBOX, "status" => "failed").set(c.failed as f64);
            }
            Err(e) => tracing::debug!(error = %e, "webhook outbox counts"),
        }
        let before = now_ms() - self.config.keep.as_millis() as i64;
        if let Err(e) = self.store.forget_webhooks(before).await {
            tracing::debug!(error = %e, "forgetting old webhook rows");
        }
    }

    /// Claims a batch and posts it; returns how many rows were claimed.
    async fn pass(&mut self) -> Result<usize, scamguard_store::StoreError> {
        let now = now_ms();
        let lease_until = now + self.config.lease().as_millis() as i64;
        let rows = self
            .store
            .claim_webhooks(&Claim {
                owner: &self.owner,
                now,
                lease_until,
                limit: self.config.batch as i64,
            })
            .await?;
        let claimed = rows.len();
        for row in rows {
            // Stopping, or too close to the lease's end to post safely: leave the row to
            // the next claim instead of risking a second sender posting it too.
            let late = now_ms() + self.config.timeout.as_millis() as i64 >= lease_until;
            if *self.stopped.borrow() || late {
                self.store
                    .webhook_retry(&row.id, &self.owner, now_ms(), "not attempted")
                    .await?;
                continue;
            }
            let outcome = self.post(&row).await;
            self.settle(&row, outcome).await?;
        }
        Ok(claimed)
    }

    async fn post(&self, row: &OutboxRow) -> Outcome {
        let body = match body(row) {
            Ok(b) => b,
            Err(e) => return Outcome::Refused(format!("stored payload is not JSON: {e}")),
        };
        let ts = now_ms() / 1000;
        let sent = self
            .client
            .post(self.config.url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(TIMESTAMP_HEADER, ts.to_string())
            .header(SIGNATURE_HEADER, sign(&self.config.secret, ts, &body))
            .header(DELIVERY_HEADER, row.id.as_str())
            .header(KIND_HEADER, row.kind.as_str())
            .body(body)
            .send()
            .await;
        match sent {
            Ok(r) if r.status().is_success() => Outcome::Delivered,
            Ok(r) => Outcome::Refused(format!("HTTP {}", r.status().as_u16())),
            // Without the URL: an error's text may repeat it, and it may carry a token.
            Err(e) if e.is_timeout() => Outcome::Refused("timed out".into()),
            Err(e) if e.is_connect() => Outcome::Refused("cannot connect".into()),
            Err(_) => Outcome::Refused("request failed".into()),
        }
    }

    async fn settle(
        &self,
        row: &OutboxRow,
        outcome: Outcome,
    ) -> Result<(), scamguard_store::StoreError> {
        let now = now_ms();
        match outcome {
            Outcome::Delivered => {
                self.store
                    .webhook_delivered(&row.id, &self.owner, now)
                    .await?;
                metrics::counter!(ATTEMPTS, "outcome" => "delivered").increment(1);
                tracing::debug!(delivery = %row.id, kind = %row.kind, "webhook delivered");
            }
            Outcome::Refused(why) => {
                let wait = backoff(
                    row.attempts,
                    self.config.backoff_first,
                    self.config.backoff_cap,
                );
                let next = now + wait.as_millis() as i64;
                if next - row.created > self.config.max_age.as_millis() as i64 {
                    self.store
                        .webhook_failed(&row.id, &self.owner, now, &why)
                        .await?;
                    metrics::counter!(ATTEMPTS, "outcome" => "failed").increment(1);
                    tracing::warn!(delivery = %row.id, kind = %row.kind, attempts = row.attempts,
                        error = %why, "webhook given up after its maximum age");
                } else {
                    self.store
                        .webhook_retry(&row.id, &self.owner, next, &why)
                        .await?;
                    metrics::counter!(ATTEMPTS, "outcome" => "retry").increment(1);
                    tracing::info!(delivery = %row.id, kind = %row.kind, attempts = row.attempts,
                        error = %why, retry_in_ms = wait.as_millis() as u64, "webhook refused; will retry");
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> WebhookSecret {
        WebhookSecret::new(b"0123456789abcdef-test\n").unwrap()
    }

    #[test]
    fn signatures_verify_and_bind_the_timestamp_and_body() {
        const SENT: i64 = 1_700_000_000;
        const BODY: &[u8] = b"{\"a\":1}";
        // A receiver at `now` with a five-minute tolerance.
        let accepts = |secret: &WebhookSecret, sent: i64, body: &[u8], sig: &str, now: i64| {
            verify(secret, sent, body, sig, now, 300)
        };
        let s = secret();
        let sig = sign(&s, SENT, BODY);
        assert!(sig.starts_with("sha256=") && sig.len() == 7 + 64);
        assert!(accepts(&s, SENT, BODY, &sig, SENT + 100));
        assert!(!accepts(&s, SENT, b"{\"a\":2}", &sig, SENT + 100));
        assert!(!accepts(&s, SENT + 1, BODY, &sig, SENT + 100));
        assert!(
            !accepts(&s, SENT, BODY, &sig, SENT + 400),
            "a replay after the tolerance is refused"
        );
        let other = WebhookSecret::new(b"another-secret-of-16+").unwrap();
        assert!(!accepts(&other, SENT, BODY, &sig, SENT + 100));
        assert!(!accepts(&s, SENT, BODY, "sha256=zz", SENT + 100));
        // What Python's hmac.new(secret, b"1700000000." + body, sha256) gives.
        assert_eq!(
            sig,
            "sha256=8968b9d4788ccf7765302c31207d8f46d4e6cdc9da64dd506ce96a085a9aed85"
        );
    }

    #[test]
    fn secrets_are_long_enough_and_never_printed() {
        assert!(matches!(
            WebhookSecret::new(b"short \n"),
            Err(WebhookError::ShortSecret)
        ));
        assert_eq!(format!("{:?}", secret()), "WebhookSecret(…)");
    }

    #[test]
    fn only_plain_http_urls_are_receivers() {
        for bad in [
            "ftp://x/",
            "not a url",
            "http://user:pw@host/",
            "file:///etc/passwd",
        ] {
            assert!(WebhookConfig::new(bad, secret()).is_err(), "{bad}");
        }
        let c = WebhookConfig::new("https://desk.example/hooks", secret()).unwrap();
        assert_eq!(c.url.as_str(), "https://desk.example/hooks");
        assert!(c.lease() > c.timeout * c.batch as u32);
    }

    #[test]
    fn backoff_doubles_to_its_cap_with_jitter() {
        let first = Duration::from_secs(2);
        let cap = Duration::from_secs(600);
        for (attempts, full) in [(1, 2), (2, 4), (3, 8), (9, 512), (10, 600), (60, 600)] {
            for _ in 0..50 {
                let b = backoff(attempts, first, cap);
                let full = Duration::from_secs(full);
                assert!(b >= full / 2 && b <= full, "{attempts}: {b:?} of {full:?}");
            }
        }
        let spread: std::collections::HashSet<_> =
            (0..20).map(|_| backoff(5, first, cap)).collect();
        assert!(spread.len() > 1, "jittered");
    }

    #[test]
    fn bodies_wrap_the_payload_with_the_delivery_id() {
        let row = OutboxRow {
            id: "whk_1".into(),
            kind: "guardian_alert".into(),
            payload: r#"{"session_id":"ses_1"}"#.into(),
            created: 5,
            attempts: 1,
        };
        let v: serde_json::Value = serde_json::from_slice(&body(&row).unwrap()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"id": "whk_1", "kind": "guardian_alert", "created": 5,
                "data": {"session_id": "ses_1"}})
        );
    }
}
