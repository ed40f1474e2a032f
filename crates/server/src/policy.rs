//! Policy operations: reload without a restart, and dry runs of a candidate policy.
//!
//! A dry run of a case replays it through the engine twice, under the policy in force and
//! under the candidate. A dry run of a stored session cannot replay it (its text was not
//! kept), so it re-prices the signals the session collected under both policies, from
//! `allow` up: the detectors' findings are facts, the policy is what is being tried.

use crate::error::ApiError;
use crate::state::AppState;
use scamguard_core::policy::{Policy, PolicyError};
use scamguard_core::{Action, CallSession, Case, Verdict};
use serde::Serialize;
use std::collections::BTreeSet;

/// What a reload put in force.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Reloaded {
    /// `reloaded`.
    #[schema(value_type = String)]
    pub status: &'static str,
    /// The file read, or `built-in`.
    pub source: String,
    /// Score at which verdicts warn.
    pub warn: f64,
    /// Score at which verdicts block.
    pub block: f64,
    /// Priced signal codes.
    pub signals: usize,
    /// Hard rules.
    pub rules: usize,
}

/// Re-reads the configured policy file and local overlay and puts them in force. An invalid
/// file changes nothing.
pub async fn reload(state: &AppState) -> Result<Reloaded, ApiError> {
    let config = state.config();
    let read = |path: &Option<std::path::PathBuf>| {
        let path = path.clone();
        async move {
            match path {
                Some(p) => tokio::fs::read_to_string(&p)
                    .await
                    .map(|text| Some((text, p.display().to_string())))
                    .map_err(|e| {
                        ApiError::PolicyUnreadable(format!("cannot read {}: {e}", p.display()))
                    }),
                None => Ok(None),
            }
        }
    };
    let base = read(&config.policy_path).await?;
    let local = read(&config.policy_local_path).await?;
    let source = config.policy_source();
    let policy = Policy::layered(
        base.as_ref().map(|(t, n)| (t.as_str(), n.as_str())),
        local.as_ref().map(|(t, n)| (t.as_str(), n.as_str())),
    )
    .map_err(|e| invalid(&source, e))?;
    let info = Reloaded {
        status: "reloaded",
        source: source.clone(),
        warn: policy.warn,
        block: policy.block,
        signals: policy.signals.len(),
        rules: policy.rules.len(),
    };
    let _updating = state.lock_engine_updates().await;
    let engine = state.engine().with_policy(policy);
    state.replace_engine(engine, source);
    tracing::info!(source = %info.source, "policy reloaded");
    Ok(info)
}

fn invalid(field: &str, e: PolicyError) -> ApiError {
    ApiError::InvalidPolicy {
        field: field.to_string(),
        message: format!("{} problem(s): {}", e.problems.len(), e.problems.join("; ")),
    }
}

/// Parses a candidate policy sent in a request's `policy` field.
pub fn candidate(text: &str) -> Result<Policy, ApiError> {
    Policy::from_toml(text, "candidate policy").map_err(|e| invalid("policy", e))
}

/// A score or action before and after.
#[derive(Debug, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Change<T> {
    /// Under the policy in force.
    pub from: T,
    /// Under the candidate.
    pub to: T,
}

/// What the candidate policy changes in one verdict.
#[derive(Debug, Serialize, Default, utoipa::ToSchema)]
pub struct Changes {
    /// The action, when it changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<Change<Action>>,
    /// The score, when it changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<Change<f64>>,
    /// Signals that count only under the candidate.
    pub signals_added: Vec<String>,
    /// Signals that count only under the policy in force.
    pub signals_removed: Vec<String>,
    /// Directives only the candidate gives.
    pub directives_added: Vec<String>,
    /// Directives only the policy in force gives.
    pub directives_removed: Vec<String>,
    /// Hard rules that fire only under the candidate.
    pub rules_added: Vec<String>,
    /// Hard rules that fire only under the policy in force.
    pub rules_removed: Vec<String>,
}

impl Changes {
    /// Compares two verdicts.
    pub fn between(a: &Verdict, b: &Verdict) -> Changes {
        fn diff(a: BTreeSet<String>, b: BTreeSet<String>) -> (Vec<String>, Vec<String>) {
            (
                b.difference(&a).cloned().collect(),
                a.difference(&b).cloned().collect(),
            )
        }
        let counted = |v: &Verdict| {
            v.signals
                .iter()
                .filter(|s| s.weight != 0.0)
                .map(|s| s.code.clone())
                .collect()
        };
        let directives = |v: &Verdict| v.directives.iter().map(|d| d.code().to_string()).collect();
        let rules = |v: &Verdict| v.rules.iter().map(|r| r.name.clone()).collect();
        let (signals_added, signals_removed) = diff(counted(a), counted(b));
        let (directives_added, directives_removed) = diff(directives(a), directives(b));
        let (rules_added, rules_removed) = diff(rules(a), rules(b));
        Changes {
            action: (a.action != b.action).then_some(Change {
                from: a.action,
                to: b.action,
            }),
            score: ((a.score - b.score).abs() > 1e-9).then_some(Change {
                from: a.score,
                to: b.score,
            }),
            signals_added,
            signals_removed,
            directives_added,
            directives_removed,
            rules_added,
            rules_removed,
        }
    }

    fn is_empty(&self) -> bool {
        self.action.is_none()
            && self.score.is_none()
            && self.signals_added.is_empty()
            && self.signals_removed.is_empty()
            && self.directives_added.is_empty()
            && self.directives_removed.is_empty()
            && self.rules_added.is_empty()
            && self.rules_removed.is_empty()
    }
}

/// An event whose action differs between the two policies.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventChange {
    /// Its index in the case's events.
    pub index: usize,
    /// Its type.
    #[serde(rename = "type")]
    #[schema(value_type = String)]
    pub kind: &'static str,
    /// The action before and after.
    pub action: Change<Action>,
}

/// The result of a dry run.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DryRun {
    /// Whether anything differs.
    pub changed: bool,
    /// The final verdict under the policy in force.
    pub current: Verdict,
    /// The final verdict under the candidate.
    pub candidate: Verdict,
    /// What differs in the final verdict.
    pub changes: Changes,
    /// Events whose action differs (cases only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<EventChange>,
}

/// Runs a case under both policies. Each run has a replay memory of its own, so a signed call
/// assertion in the case verifies in both and is not used up for the live service.
pub fn dry_run_case(state: &AppState, policy: Policy, case: &Case) -> DryRun {
    let live = state.engine();
    let current_engine = live.with_fresh_replay_cache();
    let candidate_engine = live.with_policy(policy).with_fresh_replay_cache();
    let cur = current_engine.check_case_at(case, crate::unix_now());
    let cand = candidate_engine.check_case_at(case, crate::unix_now());
    let events = case
        .events
        .iter()
        .zip(cur.trace.iter().zip(&cand.trace))
        .enumerate()
        .filter(|(_, (_, (a, b)))| a.action != b.action)
        .map(|(index, (e, (a, b)))| EventChange {
            index,
            kind: e.kind.type_name(),
            action: Change {
                from: a.action,
                to: b.action,
            },
        })
        .collect();
    finish(cur.verdict, cand.verdict, events)
}

/// Re-prices a stored session's signals under both policies.
pub async fn dry_run_session(
    state: &AppState,
    policy: Policy,
    session_id: &str,
) -> Result<DryRun, ApiError> {
    let rec = state
        .store()
        .session(session_id)
        .await?
        .ok_or(ApiError::SessionNotFound)?;
    let mut session: CallSession = serde_json::from_str(&rec.state)
        .map_err(|e| ApiError::Internal(format!("session {session_id}: stored state: {e}")))?;
    // The floor was reached under the policy in force; comparing from it would hide any
    // candidate that is more lenient.
    session.max_action = Action::Allow;
    let current_engine = state.engine();
    let cur = current_engine.verdict_of(&session);
    let cand = current_engine.with_policy(policy).verdict_of(&session);
    Ok(finish(cur, cand, Vec::new()))
}

fn finish(current: Verdict, candidate: Verdict, events: Vec<EventChange>) -> DryRun {
    let changes = Changes::between(&current, &candidate);
    DryRun {
        changed: !changes.is_empty() || !events.is_empty(),
        current,
        candidate,
        changes,
        events,
    }
}
