//! Retention, enforced by housekeeping: each sweep deletes a few batches of what the
//! configured periods (`ServerConfig::retention`) no longer keep, so that a backlog (after
//! an upgrade, or a shortened period) drains over several sweeps without long write locks.

use crate::state::AppState;
use scamguard_store::now_ms;

/// Batches of each kind deleted per sweep (see `scamguard_store::Prune::batch`).
const BATCHES_PER_SWEEP: u32 = 10;

/// Deletes what retention no longer keeps, a few batches at a time; failures are logged and
/// retried at the next sweep.
pub async fn enforce(state: &AppState) {
    let retention = &state.config().retention;
    match scamguard_store::prune(state.store(), retention, now_ms(), Some(BATCHES_PER_SWEEP)).await
    {
        Ok(p) if p.total() > 0 => tracing::info!(
            sessions = p.sessions,
            events = p.events,
            audit = p.audit,
            reports = p.reports,
            console_logins = p.console_logins,
            "retention: deleted old records"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "retention: cannot delete old records"),
    }
}
