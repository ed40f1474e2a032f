//! Open sessions in memory, and the two operations that change them.
//!
//! A session lives in a slot guarded by an async mutex: every event of one session takes the
//! lock, applies the event to a copy of the state, waits for the writer to commit, and only
//! then replaces the state. So two events of a session never race, the stored order is the
//! applied order, and a failed commit leaves the session as it was. Different sessions
//! proceed in parallel.
//!
//! After a restart (or on another node) a session is loaded from the store on first use;
//! expired slots are swept away by the housekeeping task.
//!
//! The work runs in a spawned task so that a client that hangs up, or a request timeout,
//! cannot cancel it half-way between "committed" and "state replaced".

use crate::error::ApiError;
use crate::metrics as m;
use crate::records;
use crate::state::AppState;
use scamguard_core::{CallSession, Case, Event, Verdict};
use scamguard_store::{now_ms, EventRecord, SessionProgress, SessionRecord, Store, Write};
use serde::Serialize;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

const SHARDS: usize = 64;

/// A session held in memory.
#[derive(Debug)]
pub struct LiveSession {
    /// When it was opened (Unix ms).
    pub created: i64,
    /// Wire name of the channel.
    pub channel: &'static str,
    /// Locale tag.
    pub locale: &'static str,
    /// HMAC of the caller's handle.
    pub handle_hash: String,
    /// The engine's state.
    pub session: CallSession,
    /// When it expires unless another event arrives (Unix ms).
    pub expires: i64,
    /// The expiry its stored session row carries, which may trail `expires` (see
    /// [`needs_row`]).
    pub row_expires: i64,
    /// Platform event ids already applied, with their positions.
    pub event_ids: HashMap<String, i64>,
}

impl LiveSession {
    /// The stored row for this session with state `state` (already as JSON in `state_json`)
    /// as of `now`.
    fn record(
        &self,
        id: &str,
        state: &CallSession,
        state_json: String,
        now: i64,
        expires: i64,
    ) -> SessionRecord {
        SessionRecord {
            id: id.to_string(),
            created: self.created,
            updated: now,
            expires,
            channel: self.channel.to_string(),
            locale: self.locale.to_string(),
            handle_hash: self.handle_hash.clone(),
            state: state_json,
            max_action: state.max_action.as_str().to_string(),
            closed: false,
        }
    }
}

/// Whether an event that moves a session from `before` to `after`, now expiring at
/// `expires`, must also rewrite the session's row. Every event stores the session's progress
/// in its own row; the session row is rewritten only when what lists and sweeps read from it
/// changes: the highest action rises, or its expiry would trail the real one by more than a
/// refresh window (a quarter of the idle time, at most a minute). Sparing that write on most
/// events halves the pages each event dirties.
fn needs_row(
    before: &CallSession,
    after: &CallSession,
    row_expires: i64,
    expires: i64,
    idle_ms: i64,
) -> bool {
    let window = (idle_ms / 4).min(60_000);
    after.max_action != before.max_action || expires - row_expires > window
}

#[derive(Debug)]
enum Slot {
    /// Just created by a lookup; the first holder loads it.
    Unloaded,
    Live(Box<LiveSession>),
    /// Removed from the registry; a holder of a stale reference looks up again.
    Gone,
}

type SlotRef = Arc<AsyncMutex<Slot>>;

/// Exclusive access to one live session.
#[derive(Debug)]
pub struct SessionGuard(OwnedMutexGuard<Slot>);

impl SessionGuard {
    /// The session.
    pub fn live(&mut self) -> &mut LiveSession {
        match &mut *self.0 {
            Slot::Live(l) => l.as_mut(),
            _ => unreachable!("a guard is only handed out for a live slot"),
        }
    }
}

/// Every session this node holds in memory, sharded to keep lock contention low.
#[derive(Debug)]
pub struct Registry {
    shards: Vec<Mutex<HashMap<String, SlotRef>>>,
}

impl Default for Registry {
    fn default() -> Self {
        Registry {
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }
}

impl Registry {
    fn shard(&self, id: &str) -> std::sync::MutexGuard<'_, HashMap<String, SlotRef>> {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in id.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.shards[(h % SHARDS as u64) as usize]
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// Takes a session's lock, loading it from the store if this node does not hold it.
    pub async fn acquire(
        &self,
        id: &str,
        store: &dyn Store,
        now: i64,
    ) -> Result<SessionGuard, ApiError> {
        loop {
            let slot = self
                .shard(id)
                .entry(id.to_string())
                .or_insert_with(|| Arc::new(AsyncMutex::new(Slot::Unloaded)))
                .clone();
            let mut guard = slot.clone().lock_owned().await;
            match &*guard {
                Slot::Gone => continue,
                Slot::Live(live) if live.expires <= now => {
                    *guard = Slot::Gone;
                    self.remove(id, &slot);
                    return Err(ApiError::SessionExpired);
                }
                Slot::Live(_) => return Ok(SessionGuard(guard)),
                Slot::Unloaded => match load(store, id, now).await {
                    Ok(live) => {
                        *guard = Slot::Live(Box::new(live));
                        return Ok(SessionGuard(guard));
                    }
                    Err(e) => {
                        *guard = Slot::Gone;
                        self.remove(id, &slot);
                        return Err(e);
                    }
                },
            }
        }
    }

    /// Adds a session just created and committed.
    pub fn insert(&self, id: String, live: LiveSession) {
        self.shard(&id)
            .insert(id, Arc::new(AsyncMutex::new(Slot::Live(Box::new(live)))));
    }

    fn remove(&self, id: &str, slot: &SlotRef) {
        let mut shard = self.shard(id);
        if shard.get(id).is_some_and(|s| Arc::ptr_eq(s, slot)) {
            shard.remove(id);
        }
    }

    /// Drops sessions that expired by `now` (busy ones are left for the next sweep).
    pub fn evict_expired(&self, now: i64) -> usize {
        let mut evicted = 0;
        for shard in &self.shards {
            let mut shard = shard.lock().unwrap_or_else(|p| p.into_inner());
            shard.retain(|_, slot| match slot.try_lock() {
                Ok(mut s) => match &*s {
                    Slot::Live(l) if l.expires <= now => {
                        *s = Slot::Gone;
                        evicted += 1;
                        false
                    }
                    _ => true,
                },
                Err(_) => true,
            });
        }
        evicted
    }

    /// Drops the least recently active sessions until at most `keep` are held. They stay
    /// open: all their state is in the store, and the next event loads them back. Sessions
    /// busy right now are skipped.
    pub fn evict_oldest(&self, keep: usize) -> usize {
        let held = self.len();
        if held <= keep {
            return 0;
        }
        let mut candidates: Vec<(i64, String)> = Vec::with_capacity(held);
        for shard in &self.shards {
            let shard = shard.lock().unwrap_or_else(|p| p.into_inner());
            for (id, slot) in shard.iter() {
                if let Ok(s) = slot.try_lock() {
                    if let Slot::Live(l) = &*s {
                        candidates.push((l.expires, id.clone()));
                    }
                }
            }
        }
        candidates.sort_unstable();
        let mut evicted = 0;
        for (_, id) in candidates.into_iter().take(held - keep) {
            let mut shard = self.shard(&id);
            let removable = shard.get(&id).is_some_and(|slot| match slot.try_lock() {
                Ok(mut s) => {
                    *s = Slot::Gone;
                    true
                }
                Err(_) => false,
            });
            if removable {
                shard.remove(&id);
                evicted += 1;
            }
        }
        evicted
    }

    /// How many sessions are held.
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().map(|m| m.len()).unwrap_or(0))
            .sum()
    }

    /// Whether none are held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

async fn load(store: &dyn Store, id: &str, now: i64) -> Result<LiveSession, ApiError> {
    let rec = store.session(id).await?.ok_or(ApiError::SessionNotFound)?;
    if rec.closed || rec.expires <= now {
        return Err(ApiError::SessionExpired);
    }
    let session: CallSession = serde_json::from_str(&rec.state)
        .map_err(|e| ApiError::Internal(format!("session {id}: stored state: {e}")))?;
    let event_ids = store.event_ids(id).await?.into_iter().collect();
    Ok(LiveSession {
        created: rec.created,
        channel: session.channel.as_str(),
        locale: session.locale.as_str(),
        handle_hash: rec.handle_hash,
        session,
        expires: rec.expires,
        row_expires: rec.expires,
        event_ids,
    })
}

/// The answer to a new session.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Opened {
    /// The id to post events to.
    pub session_id: String,
    /// Position of the last event applied (0: only the opening).
    pub seq: i64,
    /// When the session expires unless another event arrives (Unix ms).
    pub expires: i64,
    /// The verdict after the opening and any events sent with it.
    #[schema(value_type = scamguard_core::Verdict)]
    pub verdict: Box<RawValue>,
}

/// The answer to an event.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Applied {
    /// The session.
    pub session_id: String,
    /// The event's position in the session.
    pub seq: i64,
    /// The platform's id for the event, if it gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// True when this event id was seen before and the stored verdict is returned.
    pub replayed: bool,
    /// The verdict now.
    #[schema(value_type = scamguard_core::Verdict)]
    pub verdict: Box<RawValue>,
}

fn raw(json: String) -> Result<Box<RawValue>, ApiError> {
    RawValue::from_string(json).map_err(|e| ApiError::Internal(format!("verdict JSON: {e}")))
}

fn verdict_json(v: &Verdict) -> Result<String, ApiError> {
    serde_json::to_string(v).map_err(|e| ApiError::Internal(format!("verdict JSON: {e}")))
}

/// A new session id: 48 bits of time, then 80 random bits.
///
/// The time prefix keeps the sessions that are active — the recent ones — together in every
/// index keyed by session id, so a batch of events dirties a few pages instead of one page per
/// event; the random part keeps ids unguessable.
pub fn new_session_id() -> String {
    let mut b = [0u8; 10];
    getrandom::fill(&mut b).expect("the OS has randomness");
    let ms = now_ms().max(0) as u64 & 0xffff_ffff_ffff;
    format!("ses_{ms:012x}{}", hex::encode(b))
}

/// The rows a new session's opening and first events become.
struct Rows<'a> {
    session_id: &'a str,
    now: i64,
    expires: i64,
    events: Vec<EventRecord>,
}

impl Rows<'_> {
    /// Adds the event at `seq` (the opening when `event` is `None`) with its verdict and the
    /// session after it, and returns the verdict's JSON.
    fn push(
        &mut self,
        seq: i64,
        event: Option<&Event>,
        payload: String,
        v: &Verdict,
        after: &CallSession,
    ) -> Result<String, ApiError> {
        let json = verdict_json(v)?;
        self.events.push(EventRecord {
            session_id: self.session_id.to_string(),
            seq,
            event_id: event.and_then(|e| e.id.clone()),
            kind: event
                .map_or("session_opened", |e| e.kind.type_name())
                .to_string(),
            at: event.and_then(|e| e.at).unwrap_or(self.now),
            action: v.action.as_str().to_string(),
            payload,
            verdict: json.clone(),
            // Also what makes a flagged row an audit record (see the store's audit.rs).
            progress: Some(SessionProgress {
                state: serde_json::to_string(after)
                    .map_err(|e| ApiError::Internal(format!("session state JSON: {e}")))?,
                updated: self.now,
                expires: self.expires,
            }),
        });
        Ok(json)
    }
}

/// Opens a session from a case's opening and optional first events.
pub async fn open(state: &AppState, case: Case) -> Result<Opened, ApiError> {
    let state = state.clone();
    tokio::spawn(async move { open_inner(&state, case).await })
        .await
        .map_err(|e| ApiError::Internal(format!("open task: {e}")))?
}

async fn open_inner(state: &AppState, case: Case) -> Result<Opened, ApiError> {
    let now = now_ms();
    let id = new_session_id();
    let mut salt = [0u8; 8];
    getrandom::fill(&mut salt).expect("the OS has randomness");
    let engine = state.engine();
    let opening = case.opening();
    let handle_hash = state.hasher().hash(&opening.from.handle);
    // The user (callee) is found by a bank's risk lookup, by the same keyed hash.
    let user_hash = opening
        .to
        .as_ref()
        .filter(|t| !t.handle.trim().is_empty())
        .map(|t| state.hasher().hash(&t.handle));
    let retain = state.config().retain_text;
    let (mut session, first) =
        engine.open_session_at(&opening, u64::from_le_bytes(salt), crate::unix_now());

    let expires = now + state.config().session_idle.as_millis() as i64;
    let mut rows = Rows {
        session_id: &id,
        now,
        expires,
        events: Vec::with_capacity(case.events.len() + 1),
    };
    let mut last_json = rows.push(
        0,
        None,
        records::opening_payload(&opening),
        &first,
        &session,
    )?;
    let mut verdicts = vec![first];
    let mut event_ids = HashMap::new();
    for e in &case.events {
        // The same id twice in one request is a replay: applied once.
        if e.id.as_ref().is_some_and(|i| event_ids.contains_key(i)) {
            continue;
        }
        let v = engine.apply(&mut session, e);
        let seq = session.events as i64;
        last_json = rows.push(
            seq,
            Some(e),
            records::event_payload(e, retain),
            &v,
            &session,
        )?;
        if let Some(i) = &e.id {
            event_ids.insert(i.clone(), seq);
        }
        verdicts.push(v);
    }
    let events = rows.events;
    let live = LiveSession {
        created: now,
        channel: session.channel.as_str(),
        locale: session.locale.as_str(),
        handle_hash: handle_hash.clone(),
        session,
        expires,
        row_expires: expires,
        event_ids,
    };
    // The last row's progress is the state after the opening and every first event.
    let state_json = events
        .last()
        .and_then(|e| e.progress.as_ref())
        .map(|p| p.state.clone())
        .ok_or_else(|| ApiError::Internal(format!("session {id}: opening rows without state")))?;
    let record = live.record(&id, &live.session, state_json, now, expires);
    state
        .writer()
        .write(Write {
            session: Some(record),
            events,
            audit: Vec::new(),
            user_hash,
        })
        .await?;

    for v in &verdicts {
        m::record_verdict("session", v, std::iter::empty());
    }
    for (code, _) in live.session.signals.iter() {
        metrics::counter!(m::SIGNALS, "code" => code.to_string()).increment(1);
    }
    metrics::gauge!(m::SESSIONS_OPEN).increment(1.0);
    let seq = live.session.events as i64;
    state.sessions().insert(id.clone(), live);
    tracing::debug!(session = %id, seq, "session opened");
    Ok(Opened {
        session_id: id,
        seq,
        expires,
        verdict: raw(last_json)?,
    })
}

/// Applies one event to a session, or answers a replayed event id with its stored verdict.
pub async fn apply(state: &AppState, id: String, event: Event) -> Result<Applied, ApiError> {
    let state = state.clone();
    tokio::spawn(async move { apply_inner(&state, id, event).await })
        .await
        .map_err(|e| ApiError::Internal(format!("event task: {e}")))?
}

async fn apply_inner(state: &AppState, id: String, event: Event) -> Result<Applied, ApiError> {
    let now = now_ms();
    let mut guard = state.sessions().acquire(&id, state.store(), now).await?;
    let live = guard.live();
    if let Some(eid) = &event.id {
        if live.event_ids.contains_key(eid) {
            let rec = state
                .store()
                .event_by_id(&id, eid)
                .await?
                .ok_or_else(|| ApiError::Internal(format!("event {eid} of {id} is missing")))?;
            metrics::counter!(m::REPLAYS).increment(1);
            return Ok(Applied {
                session_id: id,
                seq: rec.seq,
                event_id: event.id,
                replayed: true,
                verdict: raw(rec.verdict)?,
            });
        }
    }
    let engine = state.engine();
    let mut next = live.session.clone();
    let verdict = engine.apply(&mut next, &event);
    let seq = next.events as i64;
    let json = verdict_json(&verdict)?;
    let idle_ms = state.config().session_idle.as_millis() as i64;
    let expires = now + idle_ms;
    let row = needs_row(&live.session, &next, live.row_expires, expires, idle_ms);
    let state_json = serde_json::to_string(&next)
        .map_err(|e| ApiError::Internal(format!("session state JSON: {e}")))?;
    let write = Write {
        session: row.then(|| live.record(&id, &next, state_json.clone(), now, expires)),
        events: vec![EventRecord {
            session_id: id.clone(),
            seq,
            event_id: event.id.clone(),
            kind: event.kind.type_name().to_string(),
            at: event.at.unwrap_or(now),
            action: verdict.action.as_str().to_string(),
            payload: records::event_payload(&event, state.config().retain_text),
            verdict: json.clone(),
            progress: Some(SessionProgress {
                state: state_json,
                updated: now,
                expires,
            }),
        }],
        // The event row, flagged by its action, is its own audit record.
        audit: Vec::new(),
        user_hash: None,
    };
    state.writer().write(write).await?;

    // Committed: only now does the session move on.
    m::record_verdict(
        "session",
        &verdict,
        next.signals
            .iter()
            .map(|(c, _)| c)
            .filter(|c| !live.session.signals.has(c)),
    );
    live.session = next;
    live.expires = expires;
    if row {
        live.row_expires = expires;
    }
    if let Some(eid) = &event.id {
        live.event_ids.insert(eid.clone(), seq);
    }
    Ok(Applied {
        session_id: id,
        seq,
        event_id: event.id,
        replayed: false,
        verdict: raw(json)?,
    })
}

/// One entry of a session's timeline.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TimelineEntry {
    /// Position (0 is the opening).
    pub seq: i64,
    /// The platform's event id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Event type.
    #[serde(rename = "type")]
    pub kind: String,
    /// When it happened (Unix ms).
    pub at: i64,
    /// The event as stored (no text unless retention is on); the opening for entry 0.
    #[schema(value_type = Object)]
    pub event: Box<RawValue>,
    /// The verdict it got, as answered.
    #[schema(value_type = scamguard_core::Verdict)]
    pub verdict: Box<RawValue>,
}

/// A session as stored: what happened and what was decided.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Timeline {
    /// The session.
    pub session_id: String,
    /// `open` or `expired`.
    #[schema(value_type = String)]
    pub status: &'static str,
    /// Medium.
    pub channel: String,
    /// Locale.
    pub locale: String,
    /// HMAC of the caller's handle.
    pub handle_hash: String,
    /// Opened (Unix ms).
    pub created: i64,
    /// Last event (Unix ms).
    pub updated: i64,
    /// Expiry (Unix ms).
    pub expires: i64,
    /// The highest action reached.
    pub max_action: String,
    /// Events in order, with their verdicts.
    pub events: Vec<TimelineEntry>,
}

/// Reads a session's timeline from the store (committed events only).
pub async fn timeline(state: &AppState, id: &str) -> Result<Timeline, ApiError> {
    let rec = state
        .store()
        .session(id)
        .await?
        .ok_or(ApiError::SessionNotFound)?;
    let events = state.store().events(id).await?;
    let expired = rec.closed || rec.expires <= now_ms();
    Ok(Timeline {
        session_id: rec.id,
        status: if expired { "expired" } else { "open" },
        channel: rec.channel,
        locale: rec.locale,
        handle_hash: rec.handle_hash,
        created: rec.created,
        updated: rec.updated,
        expires: rec.expires,
        max_action: rec.max_action,
        events: events
            .into_iter()
            .map(|e| {
                Ok(TimelineEntry {
                    seq: e.seq,
                    id: e.event_id,
                    kind: e.kind,
                    at: e.at,
                    event: raw(e.payload)?,
                    verdict: raw(e.verdict)?,
                })
            })
            .collect::<Result<_, ApiError>>()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_sort_by_creation_and_are_unguessable() {
        let a = new_session_id();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = new_session_id();
        assert_eq!(a.len(), 4 + 12 + 20);
        assert!(a.starts_with("ses_") && a[4..].chars().all(|c| c.is_ascii_hexdigit()));
        assert!(a < b, "{a} < {b}");
        assert_ne!(a[16..], b[16..]);
    }
}
