//! The anti-fraud loop in the service: the caller's reputation when a session opens, joining
//! flagged sessions to campaigns as they happen, counting what allowed sessions named, and
//! the warnings the operator's desk gets.
//!
//! The decisions are the core's ([`scamguard_core::intel`]); the facts and the outcome live in
//! the store ([`scamguard_store::IntelStore`]). Nothing here fails an event: a campaign join
//! that cannot be stored is logged and counted (`scamguard_campaign_join_failures_total`), and
//! the verdict stands without it.

use crate::error::ApiError;
use crate::state::AppState;
use crate::webhook;
use scamguard_core::intel::CampaignId;
use scamguard_core::intel::{assess, CampaignStatus, CommonIndicators, Reputation};
use scamguard_core::passport::OrgStatus;
use scamguard_core::signal::codes;
use scamguard_core::{Action, CallSession, Engine, SessionContext, Verdict};
use scamguard_store::intel::{campaign_wire_id, file_report, join_session, JoinRules, NewReport};
use scamguard_store::{ReportRecord, SessionRecord, Store};
use std::sync::OnceLock;

/// Milliseconds in a day.
const DAY_MS: i64 = 86_400_000;

/// The join rules of `engine`: the lists are built once, from the lexicons (which a policy
/// reload shares, so they never change while the service runs); the frequency rule is the
/// policy's in force.
pub fn rules(engine: &Engine) -> JoinRules<'static> {
    static COMMON: OnceLock<CommonIndicators> = OnceLock::new();
    JoinRules {
        common: COMMON.get_or_init(|| CommonIndicators::new(engine.lexicons())),
        rule: engine.policy().settings.frequency_rule(),
    }
}

/// Whether the handle hashing to `handle_hash` belongs to an organisation the registry lists
/// as active: crowd reports send such a caller to review, never to a block. Compared by the
/// keyed hash, so an analyst's look-up by hash answers as the session's opening does.
pub fn registry_lists(state: &AppState, engine: &Engine, handle_hash: &str) -> bool {
    engine.registry().is_some_and(|r| {
        r.organisations().iter().any(|o| {
            o.status == OrgStatus::Active
                && o.handles
                    .iter()
                    .any(|h| state.hasher().hash(h) == handle_hash)
        })
    })
}

/// The reputation of the caller whose handle hashes to `handle_hash` at `now` (Unix ms):
/// its counted reports within the policy's window and the latest analyst decision.
/// `verified` says a verified signed assertion named the caller; a handle the registry lists
/// counts as verified too.
pub async fn reputation(
    state: &AppState,
    engine: &Engine,
    handle_hash: &str,
    verified: bool,
    now: i64,
) -> Result<Reputation, ApiError> {
    let rule = engine.policy().settings.reputation_rule();
    let since = now.saturating_sub(i64::from(rule.window_days).saturating_mul(DAY_MS));
    let store = state.store();
    let reports = store.caller_reports(handle_hash, since).await?;
    let decision = store
        .decisions(handle_hash)
        .await?
        .first()
        .map(|d| (d.decision, d.at));
    if reports.is_empty() && decision.is_none() {
        return Ok(Reputation::clear());
    }
    let verified = verified || registry_lists(state, engine, handle_hash);
    Ok(assess(&reports, decision, verified, now, &rule))
}

/// What the service knows of a caller when their session opens.
pub async fn context(
    state: &AppState,
    engine: &Engine,
    handle_hash: &str,
    token_verified: bool,
    now: i64,
) -> Result<SessionContext, ApiError> {
    let rep = reputation(state, engine, handle_hash, token_verified, now).await?;
    Ok(SessionContext {
        reputation: Some(rep),
    })
}

/// Files a report on the stored session `rec` (see [`scamguard_store::intel::file_report`]):
/// a report that counts also joins the session to its campaign, flagged or not, and makes
/// the campaign reported; one that does not count changes nothing. `join` is off when the
/// operator turned campaigns off. Returns the report and the session's campaign.
pub async fn file(
    store: &dyn Store,
    engine: &Engine,
    rec: &SessionRecord,
    new: NewReport,
    join: bool,
) -> Result<(ReportRecord, Option<CampaignId>), ApiError> {
    let at = new.at;
    let report = file_report(store, rec, new).await?;
    metrics::counter!(REPORTS, "counted" => report.counted.to_string()).increment(1);
    let mut campaign = store.campaign_of(&rec.id).await?;
    if report.counted && join {
        let session: CallSession = serde_json::from_str(&rec.state)
            .map_err(|e| ApiError::Internal(format!("session {}: stored state: {e}", rec.id)))?;
        let joined = join_session(
            store,
            rules(engine),
            &rec.id,
            &rec.handle_hash,
            &session,
            at,
            CampaignStatus::Reported,
        )
        .await?;
        campaign = Some(joined.campaign);
    }
    Ok((report, campaign))
}

/// Who a session is between, as the warnings name them: keyed hashes only.
#[derive(Debug, Clone, Copy)]
pub struct Parties<'a> {
    /// The session.
    pub session_id: &'a str,
    /// Keyed hash of the caller's handle.
    pub handle_hash: &'a str,
    /// Keyed hash of the user's handle (`to.handle`), when known here; looked up otherwise.
    pub user_hash: Option<&'a str>,
}

/// After the session opened: a call from a reported handle is a warning for the desk.
pub async fn opened(
    state: &AppState,
    parties: Parties<'_>,
    session: &CallSession,
    context: &SessionContext,
) {
    if let Some(rep) = context.reputation.as_ref().filter(|r| r.is_bad()) {
        warn_desk(
            state,
            "reported_handle",
            parties,
            serde_json::json!({
                "standing": rep.standing,
                "reporters": rep.reporters,
                "action": session.max_action,
            }),
        )
        .await;
    }
}

/// Collects the indicators an event carries into `session` (text is sketched only once the
/// session is flagged); returns how many were new.
pub fn observe(event: &scamguard_core::Event, session: &mut CallSession) -> usize {
    let flagged = session.max_action >= Action::Warn;
    scamguard_core::intel::observe(&event.kind, flagged, &mut session.indicators)
}

/// After events were applied to `session` (its highest action before them was `before`,
/// and they named `new_indicators` new indicators): a flagged session joins its campaign,
/// when it was just flagged or named something new. A session joining a campaign that was
/// reported or confirmed before it raises `known_campaign`, and the verdict is judged again.
#[allow(clippy::too_many_arguments)]
pub async fn after_events(
    state: &AppState,
    engine: &Engine,
    parties: Parties<'_>,
    before: Action,
    new_indicators: usize,
    session: &mut CallSession,
    verdict: Verdict,
    now: i64,
) -> Verdict {
    if !state.config().campaigns || session.max_action < Action::Warn {
        return verdict;
    }
    if before >= Action::Warn && new_indicators == 0 {
        return verdict;
    }
    let floor = if session.signals.has(codes::REPORTED_HANDLE) {
        CampaignStatus::Reported
    } else {
        CampaignStatus::Open
    };
    let joined = match join_session(
        state.store(),
        rules(engine),
        parties.session_id,
        parties.handle_hash,
        session,
        now,
        floor,
    )
    .await
    {
        Ok(j) => j,
        Err(e) => {
            metrics::counter!(JOIN_FAILURES).increment(1);
            tracing::warn!(session = %parties.session_id, error = %e, "campaign join not stored");
            return verdict;
        }
    };
    metrics::counter!(JOINS).increment(1);
    if !joined.before.is_known() || session.signals.has(codes::KNOWN_CAMPAIGN) {
        return verdict;
    }
    let campaign = campaign_wire_id(joined.campaign);
    let verdict = engine.note_known_campaign(session, &campaign);
    warn_desk(
        state,
        "known_campaign",
        parties,
        serde_json::json!({
            "campaign_id": campaign,
            "campaign_status": joined.before,
            "action": verdict.action,
        }),
    )
    .await;
    verdict
}

/// After a session's call ended allowed: what it named is something genuine callers say.
pub async fn ended(state: &AppState, session: &CallSession) {
    if !state.config().campaigns
        || session.max_action != Action::Allow
        || session.indicators.is_empty()
    {
        return;
    }
    if let Err(e) = scamguard_store::intel::count_allowed_session(state.store(), session).await {
        tracing::warn!(error = %e, "allowed indicators not counted");
    }
}

/// Reports filed, by whether they counted.
pub const REPORTS: &str = "scamguard_reports_total";
/// Campaign joins stored.
pub const JOINS: &str = "scamguard_campaign_joins_total";
/// Campaign joins that could not be stored.
pub const JOIN_FAILURES: &str = "scamguard_campaign_join_failures_total";
/// Warnings raised for the operator's warning desk, by kind.
pub const WARNINGS: &str = "scamguard_warnings_total";

/// The one place a warning for the operator's desk is raised: a session joined a known
/// campaign (`reason` `known_campaign`), or a reported handle called (`reported_handle`). It
/// is posted as a `campaign_warning` webhook (see [`crate::webhook`]), once per session and
/// reason, so the desk can call the user before the money moves. Its data carry ids and keyed
/// hashes, never text or a handle. A warning that cannot be queued is logged; the verdict
/// stands.
pub async fn warn_desk(
    state: &AppState,
    reason: &'static str,
    parties: Parties<'_>,
    detail: serde_json::Value,
) {
    metrics::counter!(WARNINGS, "reason" => reason).increment(1);
    let user_hash = match parties.user_hash {
        Some(u) => Some(u.to_string()),
        None => state
            .store()
            .session_recipient(parties.session_id)
            .await
            .ok()
            .flatten()
            .flatten(),
    };
    let mut data = serde_json::json!({
        "reason": reason,
        "session_id": parties.session_id,
        "caller_hash": parties.handle_hash,
        "user_hash": user_hash,
        "at": scamguard_store::now_ms(),
    });
    if let (Some(d), serde_json::Value::Object(extra)) = (data.as_object_mut(), detail) {
        d.extend(extra);
    }
    let key = format!("{}:{reason}", parties.session_id);
    if let Err(e) = webhook::enqueue_once(state, webhook::Kind::CampaignWarning, &key, &data).await
    {
        tracing::warn!(session = %parties.session_id, error = %e, "campaign warning not queued");
    }
}
