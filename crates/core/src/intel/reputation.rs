//! Reputation: when victims' reports make a caller's handle known, and when they do not.
//!
//! The rules, in the order they apply:
//! 1. A report counts only when the reporter received the call or message (the session's
//!    `to.handle`), and only once per reporter and caller: one account reporting twenty times,
//!    or people the caller never reached, change nothing ([`assess_report`]).
//! 2. An analyst's decision comes first: *fraud* stands until another decision; *legitimate*
//!    (an appeal upheld) makes the crowd's reports stop counting until a new decision.
//! 3. Otherwise the handle is reported once at least `min_reporters` distinct reporters
//!    reported it within the last `window_days` days; older reports no longer count, so a
//!    reputation decays by itself when the reports stop.
//! 4. Crowd reports never block an organisation the registry verified: they send it to review.

use serde::{Deserialize, Serialize};

/// Milliseconds in a day.
const DAY_MS: i64 = 86_400_000;

/// The policy's numbers for reputation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReputationRule {
    /// Distinct counted reporters that make a handle reported.
    pub min_reporters: u32,
    /// How long a report counts, in days.
    pub window_days: u32,
}

/// An analyst's decision about a handle.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The appeal is upheld: crowd reports stop counting until a new decision.
    Legitimate,
    /// Confirmed fraud.
    Fraud,
}

impl Decision {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Legitimate => "legitimate",
            Decision::Fraud => "fraud",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Decision> {
        match s {
            "legitimate" => Some(Decision::Legitimate),
            "fraud" => Some(Decision::Fraud),
            _ => None,
        }
    }
}

/// One report as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFact {
    /// The reporter's keyed hash.
    pub reporter: String,
    /// When (Unix ms).
    pub at: i64,
    /// Whether it counted when it was filed (see [`assess_report`]).
    pub counted: bool,
}

/// Where a handle stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Nothing against it (or too few reports, or too old).
    Clear,
    /// Enough distinct recipients reported it recently.
    Reported,
    /// Reported, but it belongs to a registry-verified organisation: an analyst must look.
    Review,
    /// An analyst confirmed it as fraud.
    Fraud,
    /// An analyst upheld an appeal.
    Legitimate,
}

impl Standing {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Clear => "clear",
            Standing::Reported => "reported",
            Standing::Review => "review",
            Standing::Fraud => "fraud",
            Standing::Legitimate => "legitimate",
        }
    }
}

/// A handle's reputation: the input the engine takes at the opening of a session.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reputation {
    /// Where it stands.
    pub standing: Standing,
    /// Distinct counted reporters within the window.
    pub reporters: u32,
    /// The window, in days.
    pub window_days: u32,
}

impl Reputation {
    /// A handle nobody reported.
    pub fn clear() -> Reputation {
        Reputation {
            standing: Standing::Clear,
            reporters: 0,
            window_days: 0,
        }
    }

    /// Whether the engine raises `reported_handle` for it.
    pub fn is_bad(&self) -> bool {
        matches!(self.standing, Standing::Reported | Standing::Fraud)
    }

    /// The evidence an analyst reads beside the signal.
    pub fn evidence(&self) -> String {
        match self.standing {
            Standing::Fraud => "confirmed as fraud by an analyst".to_string(),
            _ => format!("{} reporters in {} days", self.reporters, self.window_days),
        }
    }
}

/// Decides a handle's reputation at `now` (Unix ms) from its reports, the latest analyst
/// decision (with its time) and whether the registry verified it.
pub fn assess(
    reports: &[ReportFact],
    decision: Option<(Decision, i64)>,
    registry_verified: bool,
    now: i64,
    rule: &ReputationRule,
) -> Reputation {
    let since = now.saturating_sub(i64::from(rule.window_days).saturating_mul(DAY_MS));
    let mut reporters: Vec<&str> = reports
        .iter()
        .filter(|r| r.counted && r.at >= since && r.at <= now)
        .map(|r| r.reporter.as_str())
        .collect();
    reporters.sort_unstable();
    reporters.dedup();
    let n = u32::try_from(reporters.len()).unwrap_or(u32::MAX);
    let standing = match decision {
        Some((Decision::Fraud, _)) => Standing::Fraud,
        Some((Decision::Legitimate, _)) => Standing::Legitimate,
        None if n >= rule.min_reporters.max(1) && registry_verified => Standing::Review,
        None if n >= rule.min_reporters.max(1) => Standing::Reported,
        None => Standing::Clear,
    };
    Reputation {
        standing,
        reporters: n,
        window_days: rule.window_days,
    }
}

/// Whether a new report counts toward the caller's reputation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportCheck {
    /// It counts.
    Counted,
    /// The reporter is not the session's recipient: people can report only what they received.
    NotRecipient,
    /// The session does not say who received it, so nobody can be shown to have.
    NoRecipient,
    /// This reporter already reported this caller: once is enough.
    Repeat,
}

impl ReportCheck {
    /// Whether it counts.
    pub fn counted(self) -> bool {
        self == ReportCheck::Counted
    }

    /// The reason, on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportCheck::Counted => "counted",
            ReportCheck::NotRecipient => "reporter_did_not_receive_it",
            ReportCheck::NoRecipient => "session_has_no_recipient",
            ReportCheck::Repeat => "already_reported_by_this_reporter",
        }
    }
}

/// Checks a report: `reporter` and `recipient` are keyed hashes of the reporter's handle and
/// of the session's `to.handle`; `repeat` says this reporter has a counted report on this
/// caller already.
pub fn assess_report(reporter: &str, recipient: Option<&str>, repeat: bool) -> ReportCheck {
    match recipient {
        None => ReportCheck::NoRecipient,
        Some(r) if r != reporter => ReportCheck::NotRecipient,
        Some(_) if repeat => ReportCheck::Repeat,
        Some(_) => ReportCheck::Counted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;
    const RULE: ReputationRule = ReputationRule {
        min_reporters: 3,
        window_days: 14,
    };

    fn report(who: &str, days_ago: i64) -> ReportFact {
        ReportFact {
            reporter: who.into(),
            at: NOW - days_ago * DAY_MS,
            counted: true,
        }
    }

    #[test]
    fn three_recent_distinct_reporters_make_a_handle_reported() {
        let r = [report("a", 1), report("b", 2)];
        assert_eq!(
            assess(&r, None, false, NOW, &RULE).standing,
            Standing::Clear
        );
        let r = [report("a", 1), report("b", 2), report("c", 13)];
        let rep = assess(&r, None, false, NOW, &RULE);
        assert_eq!(rep.standing, Standing::Reported);
        assert!(rep.is_bad());
        assert_eq!(rep.evidence(), "3 reporters in 14 days");
    }

    #[test]
    fn reports_decay() {
        let r = [report("a", 1), report("b", 2), report("c", 15)];
        assert_eq!(
            assess(&r, None, false, NOW, &RULE).standing,
            Standing::Clear
        );
    }

    #[test]
    fn one_account_reporting_twenty_times_is_one_reporter() {
        let r: Vec<_> = (0..20).map(|i| report("same", i % 10)).collect();
        let rep = assess(&r, None, false, NOW, &RULE);
        assert_eq!((rep.standing, rep.reporters), (Standing::Clear, 1));
    }

    #[test]
    fn reports_that_did_not_count_never_do() {
        let mut r: Vec<_> = (0..5).map(|i| report(&format!("p{i}"), 1)).collect();
        for x in &mut r {
            x.counted = false;
        }
        assert_eq!(
            assess(&r, None, false, NOW, &RULE).standing,
            Standing::Clear
        );
    }

    #[test]
    fn registry_organisations_go_to_review_and_analysts_decide() {
        let r = [report("a", 1), report("b", 2), report("c", 3)];
        assert_eq!(
            assess(&r, None, true, NOW, &RULE).standing,
            Standing::Review
        );
        assert!(!assess(&r, None, true, NOW, &RULE).is_bad());
        let legit = assess(
            &r,
            Some((Decision::Legitimate, NOW - DAY_MS)),
            false,
            NOW,
            &RULE,
        );
        assert_eq!(legit.standing, Standing::Legitimate);
        assert!(!legit.is_bad());
        let fraud = assess(&[], Some((Decision::Fraud, NOW)), true, NOW, &RULE);
        assert!(fraud.is_bad());
        assert_eq!(fraud.evidence(), "confirmed as fraud by an analyst");
    }

    #[test]
    fn only_the_recipient_may_report_and_only_once() {
        assert_eq!(assess_report("u1", Some("u1"), false), ReportCheck::Counted);
        assert_eq!(
            assess_report("u2", Some("u1"), false),
            ReportCheck::NotRecipient
        );
        assert_eq!(assess_report("u1", None, false), ReportCheck::NoRecipient);
        assert_eq!(assess_report("u1", Some("u1"), true), ReportCheck::Repeat);
        assert!(!ReportCheck::Repeat.counted());
    }
}
