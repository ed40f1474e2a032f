//! The stream worker: sessions fed from NATS JetStream instead of HTTP.
//!
//! A platform whose call signalling already goes through a bus publishes each session's
//! opening and events to the stream `SCAMGUARD_EVENTS`, subject `scamguard.events.<session>`
//! (`<session>` is its own call or thread id), as `{"open": {channel, locale, from, to}}` or
//! `{"event": {…}}` with one event of the case format carrying its `id`, and the header
//! `Nats-Msg-Id: <session>/<event id or "open">` so that JetStream drops a re-published
//! duplicate. Workers answer on `SCAMGUARD_VERDICTS`, subject `scamguard.verdicts.<session>`,
//! with `{"session", "event_id", "seq", "verdict"}` (the verdict exactly as `scamguard check`
//! prints it) or, for a message that cannot be applied, `{"session", "event_id", "error":
//! {"code", "message", "field"}}` with the codes of the HTTP API. Both streams are created at
//! start when missing.
//!
//! A message is applied by the same code as an HTTP request ([`crate::sessions`]): the
//! opening by [`sessions::open_with_id`], an event by [`sessions::apply_as`]. So a worker
//! gives the verdicts an HTTP node gives, a session's state is checked against the database
//! at every event, and event ids are idempotent across workers and HTTP nodes alike.
//!
//! # Order and once-only, with one consumer shared by every worker
//!
//! All workers pull from one durable consumer, so JetStream spreads messages over them and
//! redelivers what a dead worker left unacknowledged; a message is acknowledged only after
//! its state is committed and its verdict published. Two messages of one session can then be
//! in flight on two workers at once, and the later one could commit first. The store's
//! optimistic position check alone would keep each event applied once, to the newest state,
//! but in whichever order the workers got there; a session's verdict depends on the order of
//! its events (screen sharing before an SMS code is not the same call as after), so that is
//! not enough. Instead each worker checks order explicitly before applying:
//!
//! - the store keeps, per session, the stream sequence of the last message a worker finished
//!   ([`scamguard_store::StreamProgressStore`]);
//! - a message at stream sequence `S` is applied only when the first message of its subject
//!   after that progress is `S` itself (one `STREAM.MSG.GET` with `next_by_subj`, which
//!   Debian's nats-server 2.9 has); if an earlier one is still pending it is negatively
//!   acknowledged with a delay (`--nats-retry-ms`) and comes back after that one;
//! - a message at or before the progress was finished already (a redelivery after a worker
//!   died between recording it and acknowledging): it is acknowledged and nothing else.
//!
//! Within one worker, messages of one session also wait for each other on a lock, so a burst
//! of events of one session mostly runs in order without a round trip through a delay.
//! Different sessions run in parallel on every worker (`--nats-concurrency` each).
//!
//! A worker that dies after committing but before publishing or recording leaves a message
//! that is redelivered: its event id is then found applied and its stored verdict is
//! published again (the same verdict: duplicates agree; JetStream drops the copy within its
//! duplicate window, as verdicts carry the same `Nats-Msg-Id`).

use crate::error::{ApiError, ErrorDetail};
use crate::sessions::{self, Access};
use crate::AppState;
use async_nats::jetstream::{self, consumer, stream, AckKind};
use futures_util::StreamExt as _;
use scamguard_core::{Case, Event};
use scamguard_store::now_ms;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

/// The stream of openings and events.
pub const EVENTS_STREAM: &str = "SCAMGUARD_EVENTS";
/// The stream of verdicts.
pub const VERDICTS_STREAM: &str = "SCAMGUARD_VERDICTS";
/// Subjects of events: this, a dot, the session.
pub const EVENTS_SUBJECT: &str = "scamguard.events";
/// Subjects of verdicts: this, a dot, the session.
pub const VERDICTS_SUBJECT: &str = "scamguard.verdicts";
/// The durable consumer every worker pulls from.
pub const CONSUMER: &str = "scamguard-workers";
/// The owner of sessions opened from the stream: platform API keys do not reach them (admin
/// keys and the console do).
pub const STREAM_OWNER: &str = "stream";
/// Longest session id taken from a subject, as over HTTP.
const MAX_SESSION_ID: usize = 128;

const MESSAGES: &str = "scamguard_worker_messages_total";

/// How a worker connects and what it creates.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// The NATS server, e.g. `nats://127.0.0.1:4222`.
    pub nats_url: String,
    /// Oldest message the streams keep (zero: no limit).
    pub max_age: Duration,
    /// Most bytes each stream keeps (-1: no limit).
    pub max_bytes: i64,
    /// How long JetStream remembers a `Nats-Msg-Id` to drop a duplicate.
    pub duplicate_window: Duration,
    /// Messages one worker handles at once.
    pub concurrency: usize,
    /// How long a message waits when an earlier message of its session is still pending, or
    /// the store is unavailable.
    pub retry_delay: Duration,
    /// How long JetStream waits for an acknowledgement before redelivering (what a dead
    /// worker's messages wait).
    pub ack_wait: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            nats_url: "nats://127.0.0.1:4222".into(),
            max_age: Duration::from_secs(24 * 3600),
            max_bytes: -1,
            duplicate_window: Duration::from_secs(120),
            concurrency: 64,
            retry_delay: Duration::from_millis(50),
            ack_wait: Duration::from_secs(10),
        }
    }
}

/// Why the worker could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The NATS server cannot be reached.
    #[error("cannot connect to NATS at {url}: {message}")]
    Connect {
        /// The server.
        url: String,
        /// What failed.
        message: String,
    },
    /// A stream or the consumer cannot be created or read.
    #[error("JetStream {what}: {message}")]
    JetStream {
        /// Which operation.
        what: &'static str,
        /// What failed.
        message: String,
    },
}

fn js_error(what: &'static str) -> impl Fn(&dyn std::fmt::Display) -> WorkerError {
    move |e| WorkerError::JetStream {
        what,
        message: e.to_string(),
    }
}

/// What a message asks.
enum Inbound {
    Open(Case),
    Event(Event),
}

/// A verdict on the verdicts stream.
#[derive(Serialize)]
struct VerdictMessage<'a> {
    session: &'a str,
    event_id: Option<&'a str>,
    seq: i64,
    verdict: &'a RawValue,
}

/// A message that could not be applied, on the verdicts stream.
#[derive(Serialize)]
struct ErrorMessage<'a> {
    session: &'a str,
    event_id: Option<&'a str>,
    error: ErrorDetail,
}

/// Where a message stands in its session's order.
enum Order {
    /// Every earlier message of the session is finished: apply it.
    Next,
    /// An earlier message of the session is still pending: later.
    Later,
    /// Finished before (a redelivery): acknowledge only.
    Finished,
}

/// What happened to a message.
enum Outcome {
    Applied,
    Refused,
    Finished,
    Retry,
}

impl Outcome {
    fn as_str(&self) -> &'static str {
        match self {
            Outcome::Applied => "applied",
            Outcome::Refused => "refused",
            Outcome::Finished => "duplicate",
            Outcome::Retry => "retry",
        }
    }
}

struct Worker {
    state: AppState,
    js: jetstream::Context,
    events: stream::Stream,
    config: WorkerConfig,
    /// One lock per session being handled here, so this worker's messages of a session run
    /// in the order they arrived.
    locks: Mutex<HashMap<String, Arc<AsyncMutex<()>>>>,
}

/// Connects to NATS, creates the streams and the consumer when missing, and applies messages
/// until `shutdown` completes. Messages in hand when it does are left unacknowledged, to be
/// redelivered to another worker.
pub async fn run(
    state: AppState,
    config: WorkerConfig,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), WorkerError> {
    let js = connect(&config).await?;
    let events = js
        .get_stream(EVENTS_STREAM)
        .await
        .map_err(|e| js_error("events stream")(&e))?;
    let consumer: consumer::PullConsumer = events
        .get_or_create_consumer(
            CONSUMER,
            consumer::pull::Config {
                durable_name: Some(CONSUMER.to_string()),
                filter_subject: format!("{EVENTS_SUBJECT}.>"),
                ack_policy: consumer::AckPolicy::Explicit,
                ack_wait: config.ack_wait,
                deliver_policy: consumer::DeliverPolicy::All,
                max_ack_pending: 10_000,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| js_error("consumer")(&e))?;
    let messages = consumer
        .stream()
        .max_messages_per_batch(config.concurrency.max(1) * 2)
        .messages()
        .await
        .map_err(|e| js_error("pull")(&e))?;
    tracing::info!(
        stream = EVENTS_STREAM,
        consumer = CONSUMER,
        "worker consuming {EVENTS_SUBJECT}.>"
    );
    let worker = Arc::new(Worker {
        state,
        js,
        events,
        locks: Mutex::new(HashMap::new()),
        config,
    });
    let sweeper = tokio::spawn(sweep_progress(worker.clone()));
    let concurrency = worker.config.concurrency.max(1);
    let work = messages.for_each_concurrent(concurrency, |m| {
        let worker = worker.clone();
        async move {
            match m {
                Ok(m) => worker.handle(m).await,
                Err(e) => {
                    tracing::warn!(error = %e, "pulling messages failed; retrying");
                    tokio::time::sleep(worker.config.retry_delay).await;
                }
            }
        }
    });
    tokio::select! {
        _ = work => tracing::warn!("the message stream ended"),
        _ = shutdown => tracing::info!("worker stopping"),
    }
    sweeper.abort();
    Ok(())
}

fn stream_config(config: &WorkerConfig, name: &str, subject: &str) -> stream::Config {
    stream::Config {
        name: name.to_string(),
        subjects: vec![format!("{subject}.>")],
        storage: stream::StorageType::File,
        retention: stream::RetentionPolicy::Limits,
        max_age: config.max_age,
        max_bytes: config.max_bytes,
        duplicate_window: config.duplicate_window,
        ..Default::default()
    }
}

/// Forgets the progress of sessions whose messages the events stream no longer holds.
async fn sweep_progress(worker: Arc<Worker>) {
    let keep = worker.config.max_age;
    if keep.is_zero() {
        return;
    }
    let keep = keep.max(worker.state.config().session_idle * 2);
    let mut tick = tokio::time::interval(worker.state.config().sweep_interval);
    loop {
        tick.tick().await;
        let before = now_ms() - keep.as_millis() as i64;
        if let Err(e) = worker.state.store().forget_stream_progress(before).await {
            tracing::warn!(error = %e, "cannot forget old stream progress");
        }
    }
}

/// The session a subject names, if it is one of ours and a valid id.
fn session_of(subject: &str) -> Option<&str> {
    let s = subject.strip_prefix(EVENTS_SUBJECT)?.strip_prefix('.')?;
    (!s.is_empty()
        && s.len() <= MAX_SESSION_ID
        && s.bytes()
            .all(|b| b.is_ascii_graphic() && !b".*>".contains(&b)))
    .then_some(s)
}

/// Reads a message's body.
fn parse(payload: &[u8]) -> Result<Inbound, ApiError> {
    let v: Value = serde_json::from_slice(payload).map_err(|e| ApiError::MalformedJson {
        message: format!("invalid JSON: {e}"),
    })?;
    let Value::Object(map) = v else {
        return Err(ApiError::field(
            "body",
            "expected an object with `open` or `event`",
        ));
    };
    if map.len() != 1 {
        return Err(ApiError::field(
            "body",
            "expected exactly one of `open` or `event`",
        ));
    }
    let within = |name: &str, e: scamguard_core::InputError| {
        let path = if e.path.is_empty() {
            name.to_string()
        } else {
            format!("{name}.{}", e.path)
        };
        ApiError::field(path, e.message)
    };
    if let Some(open) = map.get("open") {
        if open.get("events").is_some() {
            return Err(ApiError::field(
                "open.events",
                "an opening carries no events: publish each as its own message",
            ));
        }
        Case::from_value(open)
            .map(Inbound::Open)
            .map_err(|e| within("open", e))
    } else if let Some(event) = map.get("event") {
        let event = Event::from_value(event).map_err(|e| within("event", e))?;
        if event.id.as_deref().is_none_or(|i| i.is_empty()) {
            return Err(ApiError::field(
                "event.id",
                "an event on the stream needs an id: it names the message (Nats-Msg-Id)",
            ));
        }
        Ok(Inbound::Event(event))
    } else {
        Err(ApiError::field(
            "body",
            "expected exactly one of `open` or `event`",
        ))
    }
}

/// Errors that go away by themselves: the message is retried rather than refused.
fn is_transient(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::Stale
            | ApiError::Unavailable(_)
            | ApiError::ShuttingDown
            | ApiError::Timeout
            | ApiError::Internal(_)
    )
}

impl Worker {
    async fn handle(&self, msg: jetstream::Message) {
        let outcome = self.process(&msg).await;
        metrics::counter!(MESSAGES, "outcome" => outcome.as_str()).increment(1);
        let ack = match outcome {
            Outcome::Retry => AckKind::Nak(Some(self.config.retry_delay)),
            _ => AckKind::Ack,
        };
        if let Err(e) = msg.ack_with(ack).await {
            // Unacknowledged, it is redelivered, and then found finished.
            tracing::warn!(error = %e, "cannot acknowledge a message");
        }
    }

    async fn process(&self, msg: &jetstream::Message) -> Outcome {
        let seq = match msg.info() {
            Ok(i) => i.stream_sequence as i64,
            Err(e) => {
                tracing::warn!(error = %e, "a message without JetStream metadata");
                return Outcome::Refused;
            }
        };
        let Some(session) = session_of(msg.subject.as_str()) else {
            // No session to answer on; say so in the log, by subject length only.
            tracing::warn!(
                subject_len = msg.subject.len(),
                "a message on an invalid subject is dropped"
            );
            return Outcome::Refused;
        };
        let guard = self.lock(session).await;
        let outcome = self.process_in_session(msg, session, seq).await;
        self.unlock(session, guard);
        outcome
    }

    async fn process_in_session(
        &self,
        msg: &jetstream::Message,
        session: &str,
        seq: i64,
    ) -> Outcome {
        match self.order(msg.subject.as_str(), session, seq).await {
            Ok(Order::Next) => {}
            Ok(Order::Later) => return Outcome::Retry,
            Ok(Order::Finished) => return Outcome::Finished,
            Err(e) => {
                tracing::warn!(error = %e, "cannot check a message's order; retrying");
                return Outcome::Retry;
            }
        }
        let inbound = parse(&msg.payload);
        let event_id = match &inbound {
            Ok(Inbound::Event(e)) => e.id.clone(),
            _ => None,
        };
        let (body, outcome) = match self.apply(session, inbound).await {
            Ok((seq, verdict)) => {
                let m = VerdictMessage {
                    session,
                    event_id: event_id.as_deref(),
                    seq,
                    verdict: &verdict,
                };
                (serde_json::to_vec(&m), Outcome::Applied)
            }
            Err(e) if is_transient(&e) => {
                tracing::warn!(error = %e, "cannot apply a message now; retrying");
                return Outcome::Retry;
            }
            Err(e) => {
                let m = ErrorMessage {
                    session,
                    event_id: event_id.as_deref(),
                    error: e.detail(),
                };
                (serde_json::to_vec(&m), Outcome::Refused)
            }
        };
        let Ok(body) = body else {
            return Outcome::Retry;
        };
        let msg_id = format!("{session}/{}", event_id.as_deref().unwrap_or("open"));
        if let Err(e) = self.publish(session, &msg_id, body).await {
            tracing::warn!(error = %e, "cannot publish a verdict; retrying");
            return Outcome::Retry;
        }
        if let Err(e) = self
            .state
            .store()
            .advance_stream_progress(session, seq, now_ms())
            .await
        {
            // Published but not recorded: the redelivery is applied again as a replay.
            tracing::warn!(error = %e, "cannot record stream progress; retrying");
            return Outcome::Retry;
        }
        outcome
    }

    /// Whether the message at `seq` of `session` is next in its session's order.
    async fn order(&self, subject: &str, session: &str, seq: i64) -> Result<Order, String> {
        let store = self.state.store();
        let done = store
            .stream_progress(session)
            .await
            .map_err(|e| e.to_string())?;
        if done.is_some_and(|d| seq <= d) {
            return Ok(Order::Finished);
        }
        let from = done.map_or(1, |d| d + 1) as u64;
        match self
            .events
            .get_first_raw_message_by_subject(subject, from)
            .await
        {
            // An earlier message is pending (a worker holds it, or one that died did until
            // JetStream redelivers it). Progress is forgotten only after the stream's max age,
            // when the messages before it are gone from the stream too.
            Ok(first) if (first.sequence as i64) < seq => Ok(Order::Later),
            Ok(_) => Ok(Order::Next),
            Err(e) if e.kind() == stream::RawMessageErrorKind::NoMessageFound => Ok(Order::Next),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Applies a message to its session: the position and verdict it got.
    async fn apply(
        &self,
        session: &str,
        inbound: Result<Inbound, ApiError>,
    ) -> Result<(i64, Box<RawValue>), ApiError> {
        let access = Access::Key {
            id: STREAM_OWNER.into(),
            admin: false,
        };
        match inbound? {
            Inbound::Open(case) => {
                self.state.engine().validate_opening(&case.opening())?;
                match sessions::open_with_id(&self.state, session.to_string(), case, access).await {
                    Ok(o) => Ok((o.seq, o.verdict)),
                    // Opened before (a redelivery, or a duplicate past the duplicate window):
                    // answer with the verdict the opening got.
                    Err(ApiError::Stale) => {
                        let first = self.state.store().events(session).await?;
                        let opening = first.into_iter().find(|e| e.seq == 0).ok_or_else(|| {
                            ApiError::Internal(format!("session {session} has no opening"))
                        })?;
                        let verdict = RawValue::from_string(opening.verdict)
                            .map_err(|e| ApiError::Internal(format!("stored verdict JSON: {e}")))?;
                        Ok((0, verdict))
                    }
                    Err(e) => Err(e),
                }
            }
            Inbound::Event(event) => {
                let a = sessions::apply_as(&self.state, session.to_string(), event, access).await?;
                Ok((a.seq, a.verdict))
            }
        }
    }

    /// Publishes a verdict or error and waits for JetStream to store it.
    async fn publish(&self, session: &str, msg_id: &str, body: Vec<u8>) -> Result<(), String> {
        publish_with_id(
            &self.js,
            format!("{VERDICTS_SUBJECT}.{session}"),
            msg_id,
            body,
        )
        .await
    }

    async fn lock(&self, session: &str) -> OwnedMutexGuard<()> {
        let m = self
            .locks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(session.to_string())
            .or_default()
            .clone();
        m.lock_owned().await
    }

    fn unlock(&self, session: &str, guard: OwnedMutexGuard<()>) {
        drop(guard);
        let mut locks = self.locks.lock().unwrap_or_else(|p| p.into_inner());
        // Only the map holds it: nobody is waiting.
        if locks
            .get(session)
            .is_some_and(|m| Arc::strong_count(m) == 1)
        {
            locks.remove(session);
        }
    }
}

/// Connects to NATS and makes sure both streams exist (with `config`'s limits when they do
/// not): what a publisher or a reader of verdicts needs.
pub async fn connect(config: &WorkerConfig) -> Result<jetstream::Context, WorkerError> {
    let client = async_nats::ConnectOptions::new()
        .name("scamguard")
        .connect(config.nats_url.as_str())
        .await
        .map_err(|e| WorkerError::Connect {
            url: config.nats_url.clone(),
            message: e.to_string(),
        })?;
    let js = jetstream::new(client);
    for (name, subject) in [
        (EVENTS_STREAM, EVENTS_SUBJECT),
        (VERDICTS_STREAM, VERDICTS_SUBJECT),
    ] {
        js.get_or_create_stream(stream_config(config, name, subject))
            .await
            .map_err(|e| js_error("stream")(&e))?;
    }
    Ok(js)
}

/// The messages a case becomes on the events stream, in order: its opening, then each event
/// (numbered `e0`, `e1`, … when it has no id), each with its `Nats-Msg-Id`.
pub fn case_messages(session: &str, case: &Value) -> Vec<(String, Value)> {
    let mut open = serde_json::Map::new();
    for field in ["channel", "locale", "from", "to"] {
        if let Some(v) = case.get(field) {
            open.insert(field.to_string(), v.clone());
        }
    }
    let mut out = vec![(
        format!("{session}/open"),
        serde_json::json!({ "open": open }),
    )];
    let events = case.get("events").and_then(Value::as_array);
    for (i, e) in events.into_iter().flatten().enumerate() {
        let mut e = e.clone();
        if e.get("id").and_then(Value::as_str).is_none() {
            e["id"] = Value::String(format!("e{i}"));
        }
        let id = e["id"].as_str().unwrap_or_default().to_string();
        out.push((format!("{session}/{id}"), serde_json::json!({ "event": e })));
    }
    out
}

/// Publishes one message of `session` to the events stream and waits for JetStream to store
/// it (or drop it as a duplicate of `msg_id`).
pub async fn publish_event(
    js: &jetstream::Context,
    session: &str,
    msg_id: &str,
    message: &Value,
) -> Result<(), WorkerError> {
    let body = serde_json::to_vec(message).map_err(|e| js_error("publish")(&e))?;
    publish_with_id(js, format!("{EVENTS_SUBJECT}.{session}"), msg_id, body)
        .await
        .map_err(|e| js_error("publish")(&e))
}

/// Publishes `body` on `subject` under `Nats-Msg-Id: msg_id` (so JetStream drops a copy) and
/// waits for JetStream to store it.
async fn publish_with_id(
    js: &jetstream::Context,
    subject: String,
    msg_id: &str,
    body: Vec<u8>,
) -> Result<(), String> {
    let mut headers = async_nats::HeaderMap::new();
    headers.insert("Nats-Msg-Id", msg_id);
    js.publish_with_headers(subject, headers, body.into())
        .await
        .map_err(|e| e.to_string())?
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// One message read back from a stream: its body, its `Nats-Msg-Id` and when JetStream
/// stored it (Unix ms, the server's clock).
#[derive(Debug, Clone)]
pub struct StoredMessage {
    /// The JSON body.
    pub body: Value,
    /// The `Nats-Msg-Id` header, or "".
    pub msg_id: String,
    /// When the server stored it, in Unix milliseconds.
    pub stored_ms: f64,
}

/// Every message in stream `name`, oldest first, read by a throwaway consumer that
/// acknowledges nothing.
pub async fn read_stream(
    js: &jetstream::Context,
    name: &str,
) -> Result<Vec<StoredMessage>, WorkerError> {
    let stream = js
        .get_stream(name)
        .await
        .map_err(|e| js_error("read")(&e))?;
    let consumer: consumer::PullConsumer = stream
        .create_consumer(consumer::pull::Config {
            ack_policy: consumer::AckPolicy::None,
            deliver_policy: consumer::DeliverPolicy::All,
            inactive_threshold: Duration::from_secs(30),
            ..Default::default()
        })
        .await
        .map_err(|e| js_error("read")(&e))?;
    let mut out = Vec::new();
    loop {
        let mut batch = consumer
            .fetch()
            .max_messages(1000)
            .expires(Duration::from_millis(500))
            .messages()
            .await
            .map_err(|e| js_error("read")(&e))?;
        let before = out.len();
        while let Some(m) = batch.next().await {
            let m = m.map_err(|e| js_error("read")(&e))?;
            let stored_ms = m
                .info()
                .map(|i| i.published.unix_timestamp_nanos() as f64 / 1e6)
                .unwrap_or(0.0);
            let msg_id = m
                .headers
                .as_ref()
                .and_then(|h| h.get("Nats-Msg-Id"))
                .map(|v| v.as_str().to_string())
                .unwrap_or_default();
            out.push(StoredMessage {
                body: serde_json::from_slice(&m.payload).unwrap_or(Value::Null),
                msg_id,
                stored_ms,
            });
        }
        if out.len() == before {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_name_sessions() {
        assert_eq!(session_of("scamguard.events.call-42"), Some("call-42"));
        assert_eq!(session_of("scamguard.events."), None);
        assert_eq!(session_of("scamguard.events.a.b"), None);
        assert_eq!(session_of("scamguard.eventsX.a"), None);
        assert_eq!(
            session_of(&format!("scamguard.events.{}", "x".repeat(129))),
            None
        );
    }

    #[test]
    fn messages_are_read_with_clear_errors() {
        assert!(matches!(
            parse(br#"{"open": {"channel": "video_call", "from": {"handle": "+1 213 555 0147"}}}"#),
            Ok(Inbound::Open(_))
        ));
        assert!(matches!(
            parse(br#"{"event": {"type": "screen_share_started", "id": "e1"}}"#),
            Ok(Inbound::Event(_))
        ));
        let field = |b: &[u8]| parse(b).err().unwrap().detail().field.unwrap_or_default();
        assert_eq!(
            field(br#"{"event": {"type": "screen_share_started"}}"#),
            "event.id"
        );
        assert_eq!(
            field(br#"{"event": {"type": "nope", "id": "e1"}}"#)
                .split('.')
                .next(),
            Some("event")
        );
        assert_eq!(field(br#"{"open": {}, "event": {}}"#), "body");
        assert_eq!(field(br#"[1]"#), "body");
        assert_eq!(
            field(br#"{"open": {"channel": "video_call", "from": {"handle": "x"}, "events": []}}"#),
            "open.events"
        );
        assert_eq!(parse(b"{not json").err().unwrap().code(), "malformed_json");
    }
}
