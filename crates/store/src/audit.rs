//! Audit records of session verdicts, read back from the events that carry them.
//!
//! A session event's row already holds its verdict, its time and its session; writing the
//! same facts again to `audit` would cost every flagged event a second row and three index
//! entries. So the audit trail of sessions is the flagged events themselves, and this module
//! turns such a row into the [`AuditRecord`] an analyst sees: signals with weight, fired
//! rules and the explanation shown, never evidence or content.

use crate::{AuditRecord, StoreError};
use serde::Deserialize;

/// The parts of a stored verdict that an audit record keeps.
#[derive(Deserialize)]
struct VerdictSummary {
    score: f64,
    #[serde(default)]
    signals: Vec<Signal>,
    #[serde(default)]
    rules: Vec<Rule>,
    #[serde(default)]
    explanation: String,
}

#[derive(Deserialize)]
struct Signal {
    code: String,
    weight: f64,
}

#[derive(Deserialize)]
struct Rule {
    name: String,
}

/// A flagged session event as an audit record. `id` is 0: such a record is named by its
/// session and position.
pub(crate) fn from_event(
    session_id: String,
    seq: i64,
    at: i64,
    handle_hash: String,
    action: String,
    verdict: &str,
) -> Result<AuditRecord, StoreError> {
    let v: VerdictSummary = serde_json::from_str(verdict)
        .map_err(|e| StoreError::Corrupt(format!("events.verdict of {session_id} #{seq}: {e}")))?;
    Ok(AuditRecord {
        id: 0,
        at,
        source: "session".to_string(),
        session_id: Some(session_id),
        seq: Some(seq),
        handle_hash: Some(handle_hash),
        action,
        score: v.score,
        rules: v.rules.into_iter().map(|r| r.name).collect(),
        // As when recorded directly: signals that only explain (weight 0) are left out.
        signals: v
            .signals
            .into_iter()
            .filter(|s| s.weight != 0.0)
            .map(|s| s.code)
            .collect(),
        reason: v.explanation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_weighted_signals_rules_and_reason() {
        let v = r#"{"action":"block","score":14.5,
            "signals":[{"code":"claims_authority","weight":6.0,"evidence":["公安局"]},
                       {"code":"explains_only","weight":0.0,"evidence":[]}],
            "directives":[],"rules":[{"name":"authority_asks_for_screen","action":"block"}],
            "locale":"zh-Hans","explanation":"不要共享屏幕"}"#;
        let a = from_event("s1".into(), 3, 99, "h".into(), "block".into(), v).unwrap();
        assert_eq!(a.signals, vec!["claims_authority"]);
        assert_eq!(a.rules, vec!["authority_asks_for_screen"]);
        assert_eq!(
            (a.score, a.reason.as_str(), a.seq),
            (14.5, "不要共享屏幕", Some(3))
        );
        assert!(!format!("{a:?}").contains("公安局"), "evidence is not kept");
    }

    #[test]
    fn a_damaged_verdict_is_reported_with_its_place() {
        let e = from_event("s1".into(), 3, 99, "h".into(), "warn".into(), "{").unwrap_err();
        assert!(e.to_string().contains("s1 #3"), "{e}");
    }
}
