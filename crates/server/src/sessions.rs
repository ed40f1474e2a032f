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
//! Several nodes may serve one session (PostgreSQL, no sticky routing). A node's copy of a
//! session is never trusted past the database: an event is stored at the position after the
//! copy's last one, and if another node got there first the insert conflicts (the position,
//! or the event's id, is taken), the copy is dropped and the event is applied again to the
//! session as the database has it. So every node gives the verdict one node would, and a
//! replayed event id is answered with the verdict stored by whichever node applied it.
//!
//! A session belongs to the API key that opened it (its `owner`): another platform key gets
//! `session_not_found`, as if it did not exist; admin keys and the console see every session.
//! After `call_ended` a session is closed and refuses further events with `session_closed`;
//! it also refuses events past `session_max_events`.
//!
//! The work runs in a spawned task so that a client that hangs up, or a request timeout,
//! cannot cancel it half-way between "committed" and "state replaced".

use crate::error::ApiError;
use crate::intel;
use crate::metrics as m;
use crate::records;
use crate::state::AppState;
use scamguard_core::passport::{TokenError, Verified};
use scamguard_core::{Action, CallSession, Case, Event, Verdict};
use scamguard_store::{now_ms, EventRecord, SessionProgress, SessionRecord, Store, Write};
use serde::Serialize;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

const SHARDS: usize = 64;

/// How many times an event is applied again after another node changed its session first.
const STALE_RETRIES: u32 = 24;

/// How long to wait before the `attempt`th retry: a random part of a window that doubles from
/// 1 ms up to 64 ms, so two nodes racing on one session stop taking turns at losing.
fn stale_backoff(attempt: u32) -> std::time::Duration {
    let window = std::time::Duration::from_millis(1 << attempt.min(6));
    window.mul_f64(crate::random::fraction())
}

/// Who is acting on a session.
#[derive(Debug, Clone)]
pub enum Access {
    /// An API key: its id, and whether it is an admin key (which reaches every session).
    Key {
        /// The key's id.
        id: Arc<str>,
        /// Whether it has the admin scope.
        admin: bool,
    },
    /// The console, on behalf of the operator.
    Console,
}

impl Access {
    /// The access of the key a request was authenticated with.
    pub fn of(caller: &crate::auth::Caller) -> Access {
        Access::Key {
            id: caller.key_id.clone(),
            admin: caller.allows(scamguard_store::Scope::Admin),
        }
    }

    /// The owner a session opened this way gets.
    fn owner(&self) -> Option<String> {
        match self {
            Access::Key { id, .. } => Some(id.to_string()),
            Access::Console => Some(CONSOLE_OWNER.to_string()),
        }
    }

    /// Whether this access may reach a session owned by `owner`.
    pub fn reaches(&self, owner: Option<&str>) -> bool {
        match self {
            Access::Console | Access::Key { admin: true, .. } => true,
            // Sessions from before keys owned them are reachable by any key.
            Access::Key { id, .. } => owner.is_none_or(|o| o == &**id),
        }
    }
}

/// The owner of sessions the console's simulator opens.
pub const CONSOLE_OWNER: &str = "console";

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
    /// The id of the API key that opened it.
    pub owner: Option<String>,
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
            closed: state.is_ended(),
            owner: self.owner.clone(),
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
    after.max_action != before.max_action
        || after.is_ended() != before.is_ended()
        || expires - row_expires > window
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

/// Every session this node holds in memory, sharded to keep lock contention low, and never
/// more than its cap: past it the least recently active are dropped from memory (they stay
/// open in the store) as new ones come in.
#[derive(Debug)]
pub struct LiveSessions {
    shards: Vec<Mutex<HashMap<String, SlotRef>>>,
    /// Entries in all shards.
    held: AtomicUsize,
    /// Most entries kept.
    cap: usize,
}

impl LiveSessions {
    /// Holds at most `cap` sessions (at least one).
    pub fn new(cap: usize) -> LiveSessions {
        LiveSessions {
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            held: AtomicUsize::new(0),
            cap: cap.max(1),
        }
    }

    /// Before a session is added: when the cap is reached, drops the least recently active
    /// sessions down to nine tenths of it, so that the scan this takes is paid once per many
    /// additions. Called without a shard locked.
    fn make_room(&self) {
        if self.held.load(Ordering::Relaxed) >= self.cap {
            self.evict_oldest((self.cap - 1) - self.cap / 10);
        }
    }
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
            let held = self.shard(id).get(id).cloned();
            let slot = match held {
                Some(s) => s,
                None => {
                    self.make_room();
                    self.shard(id)
                        .entry(id.to_string())
                        .or_insert_with(|| {
                            self.held.fetch_add(1, Ordering::Relaxed);
                            Arc::new(AsyncMutex::new(Slot::Unloaded))
                        })
                        .clone()
                }
            };
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
        self.make_room();
        let replaced = self
            .shard(&id)
            .insert(id, Arc::new(AsyncMutex::new(Slot::Live(Box::new(live)))));
        if replaced.is_none() {
            self.held.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn remove(&self, id: &str, slot: &SlotRef) {
        let mut shard = self.shard(id);
        if shard.get(id).is_some_and(|s| Arc::ptr_eq(s, slot)) {
            shard.remove(id);
            self.held.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// Forgets this node's copy of a session held under `guard`, so that the next use loads
    /// it from the store (after another node changed it).
    pub fn forget(&self, id: &str, mut guard: SessionGuard) {
        *guard.0 = Slot::Gone;
        let mut shard = self.shard(id);
        if shard.remove(id).is_some() {
            self.held.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// Drops sessions that expired by `now` or ended (busy ones are left for the next sweep).
    pub fn evict_expired(&self, now: i64) -> usize {
        let mut evicted = 0;
        for shard in &self.shards {
            let mut shard = shard.lock().unwrap_or_else(|p| p.into_inner());
            shard.retain(|_, slot| match slot.try_lock() {
                Ok(mut s) => match &*s {
                    Slot::Live(l) if l.expires <= now || l.session.is_ended() => {
                        *s = Slot::Gone;
                        evicted += 1;
                        false
                    }
                    _ => true,
                },
                Err(_) => true,
            });
        }
        self.held.fetch_sub(evicted, Ordering::Relaxed);
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
                self.held.fetch_sub(1, Ordering::Relaxed);
                evicted += 1;
            }
        }
        evicted
    }

    /// How many sessions are held.
    pub fn len(&self) -> usize {
        self.held.load(Ordering::Relaxed)
    }

    /// Whether none are held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

async fn load(store: &dyn Store, id: &str, now: i64) -> Result<LiveSession, ApiError> {
    let rec = store.session(id).await?.ok_or(ApiError::SessionNotFound)?;
    let session: CallSession = serde_json::from_str(&rec.state)
        .map_err(|e| ApiError::Internal(format!("session {id}: stored state: {e}")))?;
    // An ended call stays loadable until it expires, so that a replayed event id is still
    // answered; closed by expiry, it is gone.
    if rec.expires <= now || (rec.closed && !session.is_ended()) {
        return Err(ApiError::SessionExpired);
    }
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
        owner: rec.owner,
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

/// Opens a session from a case's opening and optional first events, for the console.
pub async fn open(state: &AppState, case: Case) -> Result<Opened, ApiError> {
    open_as(state, case, Access::Console).await
}

/// Opens a session owned by whoever `access` names.
pub async fn open_as(state: &AppState, case: Case, access: Access) -> Result<Opened, ApiError> {
    open_with_id(state, new_session_id(), case, access).await
}

/// Opens a session under an id the caller chose (a stream worker uses the platform's call or
/// thread id). If a session with that id exists already, nothing is written and the answer is
/// [`ApiError::Stale`].
pub async fn open_with_id(
    state: &AppState,
    id: String,
    case: Case,
    access: Access,
) -> Result<Opened, ApiError> {
    let state = state.clone();
    let owner = access.owner();
    tokio::spawn(async move { open_inner(&state, id, case, owner).await })
        .await
        .map_err(|e| ApiError::Internal(format!("open task: {e}")))?
}

/// Checks the opening's signed assertion, if any: the signature by the engine, whether it was
/// used before by the store, so that a used assertion stays used across restarts and nodes.
async fn check_token(
    state: &AppState,
    engine: &scamguard_core::Engine,
    opening: &scamguard_core::Opening,
) -> Result<Option<Result<Verified, TokenError>>, ApiError> {
    let Some(token) = opening
        .from
        .identity_token
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    else {
        return Ok(None);
    };
    let now = crate::unix_now();
    let v = match engine.verify_token_signature(token, opening, now) {
        Ok(v) => v,
        Err(e) => return Ok(Some(Err(e))),
    };
    let id = format!("{}:{}", v.org, v.claims.origid);
    let until = v.claims.iat.saturating_add(engine.token_memory_secs());
    if state.store().first_use_of_token(&id, until).await? {
        Ok(Some(Ok(v)))
    } else {
        Ok(Some(Err(TokenError::Replayed(v.claims.origid))))
    }
}

async fn open_inner(
    state: &AppState,
    id: String,
    case: Case,
    owner: Option<String>,
) -> Result<Opened, ApiError> {
    let now = now_ms();
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
    let token = check_token(state, &engine, &opening).await?;
    let verified = matches!(token, Some(Ok(_)));
    let context = intel::context(state, &engine, &handle_hash, verified, now).await?;
    let (mut session, first) =
        engine.open_session_checked(&opening, u64::from_le_bytes(salt), token, &context);
    let parties = intel::Parties {
        session_id: &id,
        handle_hash: &handle_hash,
        user_hash: user_hash.as_deref(),
    };
    // A caller blocked at the ring (a reported handle) is flagged already: it joins too.
    let first = intel::after_events(
        state,
        &engine,
        parties,
        Action::Allow,
        0,
        &mut session,
        first,
        now,
    )
    .await;
    let limit = state.config().session_max_events;
    if case.events.len() as u64 > limit {
        return Err(ApiError::SessionEventLimit { limit });
    }

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
        if session.is_ended() {
            return Err(ApiError::SessionClosed);
        }
        let before = session.max_action;
        let v = engine.apply(&mut session, e);
        let named = intel::observe(e, &mut session);
        let v =
            intel::after_events(state, &engine, parties, before, named, &mut session, v, now).await;
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
        owner,
    };
    // The last row's progress is the state after the opening and every first event.
    let state_json = events
        .last()
        .and_then(|e| e.progress.as_ref())
        .map(|p| p.state.clone())
        .ok_or_else(|| ApiError::Internal(format!("session {id}: opening rows without state")))?;
    let record = live.record(&id, &live.session, state_json, now, expires);
    let warned_user = user_hash.clone();
    state
        .writer()
        .write(Write {
            session: Some(record),
            events,
            audit: Vec::new(),
            user_hash,
            owner: live.owner.clone(),
        })
        .await?;

    for v in &verdicts {
        m::record_verdict("session", v, std::iter::empty());
    }
    for (code, _) in live.session.signals.iter() {
        metrics::counter!(m::SIGNALS, "code" => code.to_string()).increment(1);
    }
    if !live.session.is_ended() {
        metrics::gauge!(m::SESSIONS_OPEN).increment(1.0);
    }
    if let Some(last) = verdicts.last() {
        crate::guardian::on_session(state, &id, None, &live.session, last).await;
    }
    let parties = intel::Parties {
        session_id: &id,
        handle_hash: &live.handle_hash,
        user_hash: warned_user.as_deref(),
    };
    intel::opened(state, parties, &live.session, &context).await;
    if live.session.is_ended() {
        intel::ended(state, &live.session).await;
    }
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

/// Applies one event to a session for the console.
pub async fn apply(state: &AppState, id: String, event: Event) -> Result<Applied, ApiError> {
    apply_as(state, id, event, Access::Console).await
}

/// Applies one event to a session `access` may reach, or answers a replayed event id with its
/// stored verdict.
pub async fn apply_as(
    state: &AppState,
    id: String,
    event: Event,
    access: Access,
) -> Result<Applied, ApiError> {
    let state = state.clone();
    tokio::spawn(async move {
        for attempt in 0..STALE_RETRIES {
            match apply_inner(&state, &id, &event, &access).await {
                Err(ApiError::Stale) => {
                    metrics::counter!(m::STALE_RETRIES).increment(1);
                    tokio::time::sleep(stale_backoff(attempt)).await;
                    continue;
                }
                other => return other,
            }
        }
        Err(ApiError::Stale)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("event task: {e}")))?
}

async fn apply_inner(
    state: &AppState,
    id: &str,
    event: &Event,
    access: &Access,
) -> Result<Applied, ApiError> {
    let now = now_ms();
    let mut guard = state.sessions().acquire(id, state.store(), now).await?;
    let live = guard.live();
    if !access.reaches(live.owner.as_deref()) {
        return Err(ApiError::SessionNotFound);
    }
    if let Some(eid) = &event.id {
        if live.event_ids.contains_key(eid) {
            let rec = state
                .store()
                .event_by_id(id, eid)
                .await?
                .ok_or_else(|| ApiError::Internal(format!("event {eid} of {id} is missing")))?;
            metrics::counter!(m::REPLAYS).increment(1);
            return Ok(Applied {
                session_id: id.to_string(),
                seq: rec.seq,
                event_id: event.id.clone(),
                replayed: true,
                verdict: raw(rec.verdict)?,
            });
        }
    }
    if live.session.is_ended() {
        return Err(ApiError::SessionClosed);
    }
    let limit = state.config().session_max_events;
    if live.session.events >= limit {
        return Err(ApiError::SessionEventLimit { limit });
    }
    let engine = state.engine();
    let mut next = live.session.clone();
    let verdict = engine.apply(&mut next, event);
    let named = intel::observe(event, &mut next);
    let verdict = intel::after_events(
        state,
        &engine,
        intel::Parties {
            session_id: id,
            handle_hash: &live.handle_hash,
            user_hash: None,
        },
        live.session.max_action,
        named,
        &mut next,
        verdict,
        now,
    )
    .await;
    let seq = next.events as i64;
    let json = verdict_json(&verdict)?;
    let idle_ms = state.config().session_idle.as_millis() as i64;
    let expires = now + idle_ms;
    let row = needs_row(&live.session, &next, live.row_expires, expires, idle_ms);
    let state_json = serde_json::to_string(&next)
        .map_err(|e| ApiError::Internal(format!("session state JSON: {e}")))?;
    let write = Write {
        session: row.then(|| live.record(id, &next, state_json.clone(), now, expires)),
        events: vec![EventRecord {
            session_id: id.to_string(),
            seq,
            event_id: event.id.clone(),
            kind: event.kind.type_name().to_string(),
            at: event.at.unwrap_or(now),
            action: verdict.action.as_str().to_string(),
            payload: records::event_payload(event, state.config().retain_text),
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
        owner: None,
    };
    match state.writer().write(write).await {
        Ok(()) => {}
        Err(ApiError::Stale) => {
            // Another node stored an event of this session first (its position or its id is
            // taken): this copy is out of date. Load it again and apply the event to that.
            state.sessions().forget(id, guard);
            return Err(ApiError::Stale);
        }
        Err(e) => return Err(e),
    }

    // Committed: only now does the session move on.
    m::record_verdict(
        "session",
        &verdict,
        next.signals
            .iter()
            .map(|(c, _)| c)
            .filter(|c| !live.session.signals.has(c)),
    );
    if next.is_ended() {
        metrics::gauge!(m::SESSIONS_OPEN).decrement(1.0);
        intel::ended(state, &next).await;
    }
    crate::guardian::on_session(state, id, Some(&live.session), &next, &verdict).await;
    live.session = next;
    live.expires = expires;
    if row {
        live.row_expires = expires;
    }
    if let Some(eid) = &event.id {
        live.event_ids.insert(eid.clone(), seq);
    }
    Ok(Applied {
        session_id: id.to_string(),
        seq,
        event_id: event.id.clone(),
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

/// What a stored session's row says of it, as a session list and a timeline answer it: how
/// and when it ran, without its engine state.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionRow {
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
}

impl SessionRow {
    /// The session id of `r` and its row.
    pub fn split(r: SessionRecord) -> (String, SessionRow) {
        let row = SessionRow {
            channel: r.channel,
            locale: r.locale,
            handle_hash: r.handle_hash,
            created: r.created,
            updated: r.updated,
            expires: r.expires,
            max_action: r.max_action,
        };
        (r.id, row)
    }
}

/// A session as stored: what happened and what was decided.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Timeline {
    /// The session.
    pub session_id: String,
    /// `open`, `closed` (the call ended) or `expired`.
    #[schema(value_type = String)]
    pub status: &'static str,
    /// Whether it takes no more events: the call ended, or the session expired.
    pub closed: bool,
    /// Its row.
    #[serde(flatten)]
    pub row: SessionRow,
    /// The campaign it joined (`cmp_…`), when it was flagged or reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub campaign_id: Option<String>,
    /// Events in order, with their verdicts.
    pub events: Vec<TimelineEntry>,
}

/// Reads a session's timeline from the store (committed events only), for the console.
pub async fn timeline(state: &AppState, id: &str) -> Result<Timeline, ApiError> {
    timeline_as(state, id, &Access::Console).await
}

/// Reads the timeline of a session `access` may reach.
pub async fn timeline_as(
    state: &AppState,
    id: &str,
    access: &Access,
) -> Result<Timeline, ApiError> {
    let rec = state
        .store()
        .session(id)
        .await?
        .ok_or(ApiError::SessionNotFound)?;
    if !access.reaches(rec.owner.as_deref()) {
        return Err(ApiError::SessionNotFound);
    }
    let events = state.store().events(id).await?;
    let campaign_id = state
        .store()
        .campaign_of(id)
        .await?
        .map(scamguard_store::intel::campaign_wire_id);
    let ended = serde_json::from_str::<CallSession>(&rec.state)
        .map(|s| s.is_ended())
        .unwrap_or(false);
    let expired = !ended && (rec.closed || rec.expires <= now_ms());
    let (session_id, row) = SessionRow::split(rec);
    Ok(Timeline {
        session_id,
        status: if ended {
            "closed"
        } else if expired {
            "expired"
        } else {
            "open"
        },
        closed: ended || expired,
        row,
        campaign_id,
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
