//! The shared state every handler sees.

use crate::auth::KeyCache;
use crate::config::ServerConfig;
use crate::limit::Limiter;
use crate::metrics as m;
use crate::sessions::LiveSessions;
use crate::writer::Writer;
use metrics_exporter_prometheus::PrometheusHandle;
use scamguard_core::assertion::KeyRing;
use scamguard_core::Engine;
use scamguard_store::{now_ms, HandleHasher, Store};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};
use tokio::task::JoinHandle;

/// Everything the service shares, cheap to clone (one `Arc`).
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("store", &self.inner.store.backend())
            .field("sessions", &self.inner.sessions.len())
            .finish_non_exhaustive()
    }
}

struct Inner {
    config: ServerConfig,
    /// Swapped whole on policy reload; handlers clone it (three `Arc`s) per request, so a
    /// reload never changes the policy in the middle of one verdict.
    engine: RwLock<Engine>,
    /// Where the policy in force came from.
    policy_source: RwLock<String>,
    /// Held while an engine is rebuilt from the one in force, so that a policy reload and a
    /// registry change at the same moment cannot undo each other.
    engine_updates: tokio::sync::Mutex<()>,
    store: Arc<dyn Store>,
    hasher: HandleHasher,
    sessions: LiveSessions,
    writer: Writer,
    keys: KeyCache,
    limiter: Option<Limiter>,
    metrics: PrometheusHandle,
    /// The risk-assertion keys, re-read at each sweep so that a rotation needs no restart.
    assertion_keys: RwLock<Option<Arc<KeyRing>>>,
    shutting_down: AtomicBool,
    housekeeping: Mutex<Option<JoinHandle<()>>>,
}

impl AppState {
    /// Builds the state and starts its background tasks (the writer and housekeeping) on the
    /// current Tokio runtime.
    pub fn new(
        config: ServerConfig,
        engine: Engine,
        store: Arc<dyn Store>,
        hasher: HandleHasher,
    ) -> AppState {
        let writer = Writer::spawn(store.clone(), config.writer_batch, config.writer_queue);
        let policy_source = config.policy_source();
        let state = AppState {
            inner: Arc::new(Inner {
                keys: KeyCache::new(config.key_cache_ttl),
                // Nodes share a PostgreSQL database, so they share its counters; a SQLite
                // data directory has one server, which counts in memory.
                limiter: config.rate_limit.map(|l| {
                    Limiter::new(l, store.backend() == scamguard_store::Backend::Postgres)
                }),
                metrics: m::handle(),
                engine: RwLock::new(engine),
                policy_source: RwLock::new(policy_source),
                engine_updates: tokio::sync::Mutex::new(()),
                store,
                hasher,
                sessions: LiveSessions::new(config.max_sessions_in_memory),
                writer,
                assertion_keys: RwLock::new(None),
                shutting_down: AtomicBool::new(false),
                housekeeping: Mutex::new(None),
                config,
            }),
        };
        let task = tokio::spawn(housekeeping(Arc::downgrade(&state.inner)));
        *state
            .inner
            .housekeeping
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(task);
        state
    }

    /// Runtime settings.
    pub fn config(&self) -> &ServerConfig {
        &self.inner.config
    }

    /// The engine with the policy in force now.
    pub fn engine(&self) -> Engine {
        self.inner
            .engine
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Puts `engine` in force for every request that starts from now on.
    pub fn replace_engine(&self, engine: Engine, source: String) {
        *self.inner.engine.write().unwrap_or_else(|p| p.into_inner()) = engine;
        *self
            .inner
            .policy_source
            .write()
            .unwrap_or_else(|p| p.into_inner()) = source;
    }

    /// Serialises changes of the engine: hold the guard from reading the engine in force to
    /// [`AppState::replace_engine`].
    pub async fn lock_engine_updates(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.inner.engine_updates.lock().await
    }

    /// Where the policy in force came from: a path or `built-in`.
    pub fn policy_source(&self) -> String {
        self.inner
            .policy_source
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The store.
    pub fn store(&self) -> &dyn Store {
        &*self.inner.store
    }

    /// The store, for a task that outlives a request (the webhook sender).
    pub fn shared_store(&self) -> Arc<dyn Store> {
        self.inner.store.clone()
    }

    /// Hashes handles for storage.
    pub fn hasher(&self) -> &HandleHasher {
        &self.inner.hasher
    }

    /// Sessions held in memory.
    pub fn sessions(&self) -> &LiveSessions {
        &self.inner.sessions
    }

    /// The group-commit writer.
    pub fn writer(&self) -> &Writer {
        &self.inner.writer
    }

    /// API key lookups.
    pub fn keys(&self) -> &KeyCache {
        &self.inner.keys
    }

    /// The per-key rate limiter, if limits are on.
    pub fn limiter(&self) -> Option<&Limiter> {
        self.inner.limiter.as_ref()
    }

    /// The Prometheus handle.
    pub fn metrics(&self) -> &PrometheusHandle {
        &self.inner.metrics
    }

    /// The risk-assertion key ring in force, once loaded.
    pub fn assertion_keys(&self) -> Option<Arc<KeyRing>> {
        self.inner
            .assertion_keys
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Reads the risk-assertion keys from the configured directory, making one there if it
    /// holds none, and puts them in force; returns how many public keys are published.
    /// Once loaded, later calls only re-read (a rotation) and never make a key. Without a
    /// configured directory, does nothing and returns 0.
    pub fn load_assertion_keys(&self) -> Result<usize, crate::risk::keys::KeyFileError> {
        let Some(dir) = &self.inner.config.assertion_keys else {
            return Ok(0);
        };
        let ring = if self.assertion_keys().is_some() {
            crate::risk::keys::reload(dir, now_ms() / 1000)?
        } else {
            crate::risk::keys::load_or_create(dir, now_ms() / 1000)?
        };
        let published = ring.published().keys.len();
        *self
            .inner
            .assertion_keys
            .write()
            .unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(ring));
        Ok(published)
    }

    /// Whether shutdown has begun (readiness fails from then on).
    pub fn is_shutting_down(&self) -> bool {
        self.inner.shutting_down.load(Ordering::Relaxed)
    }

    /// Marks the service as going away, so `/readyz` turns load balancers elsewhere.
    pub fn begin_shutdown(&self) {
        self.inner.shutting_down.store(true, Ordering::Relaxed);
    }

    /// Stops housekeeping, commits every queued write and closes the store. Call after the
    /// HTTP server has stopped taking requests.
    pub async fn shutdown(&self) {
        self.begin_shutdown();
        let task = self
            .inner
            .housekeeping
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(t) = task {
            t.abort();
        }
        self.inner.writer.shutdown().await;
        self.inner.store.close().await;
    }

    /// One housekeeping pass: evict expired sessions, close them in the store, refresh gauges,
    /// delete what retention no longer keeps.
    pub async fn sweep(&self) {
        let now = now_ms();
        let evicted = self.inner.sessions.evict_expired(now);
        match self.inner.store.close_expired(now).await {
            Ok(n) if n > 0 || evicted > 0 => {
                tracing::debug!(closed = n, evicted, "expired sessions swept")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "cannot close expired sessions"),
        }
        if let Err(e) = self.inner.store.forget_used_tokens(now / 1000).await {
            tracing::warn!(error = %e, "cannot forget used identity tokens");
        }
        if let Ok(n) = self.inner.store.count_open(now).await {
            metrics::gauge!(m::SESSIONS_OPEN).set(n as f64);
        }
        metrics::gauge!(m::SESSIONS_IN_MEMORY).set(self.inner.sessions.len() as f64);
        if let Some(l) = &self.inner.limiter {
            if let Err(e) = l.sweep(&*self.inner.store).await {
                tracing::warn!(error = %e, "cannot forget old rate-limit windows");
            }
        }
        // Picks up a rotated key, and drops a retired one once its assertions have expired.
        if self.assertion_keys().is_none() {
            // Not loaded yet: `serve` loads them at start; until then there is nothing to renew.
        } else if let Err(e) = self.load_assertion_keys() {
            tracing::warn!(error = %e, "cannot reload the assertion keys; the old ones stay");
        }
        self.inner.metrics.run_upkeep();
        crate::retention::enforce(self).await;
    }
}

/// Runs [`AppState::sweep`] every `sweep_interval` while the state lives.
async fn housekeeping(inner: Weak<Inner>) {
    let period = match inner.upgrade() {
        Some(i) => i
            .config
            .sweep_interval
            .max(std::time::Duration::from_millis(10)),
        None => return,
    };
    // The first sweep one period after start, not at once: a sweep racing the first requests
    // could delete, under a zero retention, what they had just written before anyone read it.
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let Some(inner) = inner.upgrade() else { return };
        AppState { inner }.sweep().await;
    }
}
