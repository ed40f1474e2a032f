//! Audit records: what a warn or block verdict leaves behind for accountability.
//!
//! [`AuditRecord::of_verdict`] is the one place that decides what an audit record keeps of a
//! verdict: signals with weight, fired rules and the explanation shown, never evidence or
//! content. Scans store its result as an `audit` row. A session event's row already holds its
//! verdict, time and session, so writing the same facts again would cost every flagged event a
//! second row and three index entries; instead the audit trail of sessions is the flagged
//! events themselves, turned back into records by [`from_event`].

use crate::{AuditRecord, StoreError};
use scamguard_core::{Action, Verdict};

impl AuditRecord {
    /// The audit record of a verdict from `source` (`session`, `message_scan`, `url_scan`);
    /// `None` when the verdict allows.
    pub fn of_verdict(
        source: &str,
        session_id: Option<&str>,
        seq: Option<i64>,
        handle_hash: Option<&str>,
        verdict: &Verdict,
        at: i64,
    ) -> Option<AuditRecord> {
        if verdict.action == Action::Allow {
            return None;
        }
        Some(AuditRecord {
            id: 0,
            at,
            source: source.to_string(),
            session_id: session_id.map(String::from),
            seq,
            handle_hash: handle_hash.map(String::from),
            action: verdict.action.as_str().to_string(),
            score: verdict.score,
            rules: verdict.rules.iter().map(|r| r.name.clone()).collect(),
            // Signals that only explain (weight 0) are left out.
            signals: verdict
                .signals
                .iter()
                .filter(|s| s.weight != 0.0)
                .map(|s| s.code.clone())
                .collect(),
            reason: verdict.explanation.clone(),
        })
    }
}

/// A flagged session event, read back from its stored verdict, as an audit record. `id` is 0:
/// such a record is named by its session and position.
pub(crate) fn from_event(
    session_id: &str,
    seq: i64,
    at: i64,
    handle_hash: &str,
    verdict: &str,
) -> Result<AuditRecord, StoreError> {
    let place = || format!("events.verdict of {session_id} #{seq}");
    let v: Verdict = serde_json::from_str(verdict)
        .map_err(|e| StoreError::Corrupt(format!("{}: {e}", place())))?;
    AuditRecord::of_verdict(
        "session",
        Some(session_id),
        Some(seq),
        Some(handle_hash),
        &v,
        at,
    )
    .ok_or_else(|| StoreError::Corrupt(format!("{}: flagged, but the verdict allows", place())))
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
        let a = from_event("s1", 3, 99, "h", v).unwrap();
        assert_eq!(a.signals, vec!["claims_authority"]);
        assert_eq!(a.rules, vec!["authority_asks_for_screen"]);
        assert_eq!(
            (a.score, a.reason.as_str(), a.seq, a.action.as_str()),
            (14.5, "不要共享屏幕", Some(3), "block")
        );
        assert!(!format!("{a:?}").contains("公安局"), "evidence is not kept");
    }

    #[test]
    fn a_damaged_verdict_is_reported_with_its_place() {
        let e = from_event("s1", 3, 99, "h", "{").unwrap_err();
        assert!(e.to_string().contains("s1 #3"), "{e}");
        let allow = r#"{"action":"allow","score":0.0,"signals":[],"directives":[],
            "locale":"en","explanation":""}"#;
        let e = from_event("s1", 4, 99, "h", allow).unwrap_err();
        assert!(e.to_string().contains("s1 #4"), "{e}");
    }
}
