//! The organisation registry in a running service: loaded from the store into the engine at
//! start, swapped in again after every change, and watched for changes made elsewhere.
//!
//! The engine verifies signed call assertions against an in-memory snapshot
//! ([`scamguard_core::passport::Registry`]). After a change through the API the handler calls
//! [`reload`]; changes made by `scamguard registry` in another process, or by another node
//! sharing a PostgreSQL database, are noticed by [`watch`], which compares the store's registry
//! revision every `registry_refresh`. The policy in force and the replay memory are kept.

use crate::error::ApiError;
use crate::state::AppState;
use scamguard_core::passport::Registry;
use scamguard_store::Store;

/// Reads every organisation from the store and builds a snapshot.
pub async fn snapshot(store: &dyn Store) -> Result<Registry, ApiError> {
    let orgs = store
        .registry_list()
        .await?
        .into_iter()
        .map(|r| r.organisation)
        .collect();
    Registry::new(orgs).map_err(|e| ApiError::Internal(format!("stored registry: {e}")))
}

/// Puts the store's registry in force: the engine keeps its policy and replay memory and
/// gets the new snapshot. Returns how many organisations are enrolled.
pub async fn reload(state: &AppState) -> Result<usize, ApiError> {
    let _updating = state.lock_engine_updates().await;
    let registry = snapshot(state.store()).await?;
    let count = registry.organisations().len();
    let current = state.engine();
    // Rebuilding the protected names takes milliseconds of CPU: off the async threads.
    let engine = tokio::task::spawn_blocking(move || current.with_registry(registry))
        .await
        .map_err(|e| ApiError::Internal(format!("registry rebuild: {e}")))?
        .map_err(|e| ApiError::Internal(format!("registry rebuild: {e}")))?;
    state.replace_engine(engine, state.policy_source());
    tracing::info!(organisations = count, "registry in force");
    Ok(count)
}

/// Loads the registry at start; the same as [`reload`].
pub async fn install(state: &AppState) -> Result<usize, ApiError> {
    reload(state).await
}

/// Reloads the registry whenever the store's revision changes, every `registry_refresh`,
/// until shutdown begins.
pub async fn watch(state: AppState) {
    let period = state
        .config()
        .registry_refresh
        .max(std::time::Duration::from_millis(10));
    // Unknown at first, so the first tick reloads once: a change made between `install` and
    // this task's start would otherwise be taken as the baseline and never loaded.
    let mut last = None;
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    loop {
        tick.tick().await;
        if state.is_shutting_down() {
            return;
        }
        match state.store().registry_revision().await {
            Ok(rev) if Some(rev) != last => match reload(&state).await {
                Ok(_) => last = Some(rev),
                Err(e) => tracing::warn!(error = %e, "registry changed but could not be reloaded"),
            },
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "cannot read the registry revision"),
        }
    }
}
