//! The campaign loop in memory: what the service does with flagged and allowed sessions,
//! without a database. `scamguard campaigns eval` runs it over generated traffic to score the
//! clustering, and the benchmarks time it; the service keeps the same counts and index in its
//! store and makes the same decisions ([`super::assign`], [`CommonIndicators::check`]).

use super::campaign::{indicator_hash, CampaignId, Clusterer};
use super::common::{CommonIndicators, FrequencyRule, IndicatorCounts};
use super::indicator::{Indicator, SessionIndicators};
use crate::lexicon::Lexicons;
use rustc_hash::FxHashMap;

/// Counts, the common-indicator filter and the campaign index.
#[derive(Debug)]
pub struct Joiner {
    common: CommonIndicators,
    rule: FrequencyRule,
    counts: FxHashMap<u64, IndicatorCounts>,
    clusterer: Clusterer,
    /// Indicators left out because they were common.
    pub dropped: u64,
}

impl Joiner {
    /// A joiner with the lexicons' lists and the policy's frequency rule.
    pub fn new(lex: &Lexicons, rule: FrequencyRule) -> Joiner {
        Joiner {
            common: CommonIndicators::new(lex),
            rule,
            counts: FxHashMap::default(),
            clusterer: Clusterer::new(),
            dropped: 0,
        }
    }

    /// Counts a session that ended allowed: its indicators are something genuine callers say.
    pub fn record_allowed(&mut self, indicators: &SessionIndicators) {
        for i in indicators.iter() {
            self.counts.entry(indicator_hash(i)).or_default().allowed += 1;
        }
    }

    /// The indicators of a flagged session that may join it to others: its own, plus its
    /// caller's handle hash, less the common ones.
    pub fn joinable(
        &self,
        indicators: &SessionIndicators,
        caller: Option<&Indicator>,
    ) -> Vec<Indicator> {
        indicators
            .iter()
            .chain(caller)
            .filter(|i| {
                let counts = self
                    .counts
                    .get(&indicator_hash(i))
                    .copied()
                    .unwrap_or_default();
                self.common.check(i, counts, &self.rule).is_none()
            })
            .cloned()
            .collect()
    }

    /// Joins a flagged session to its campaign and counts its indicators as flagged.
    pub fn join(
        &mut self,
        indicators: &SessionIndicators,
        caller: Option<&Indicator>,
    ) -> CampaignId {
        let keep = self.joinable(indicators, caller);
        self.dropped += (indicators.len() + usize::from(caller.is_some()) - keep.len()) as u64;
        for i in indicators.iter().chain(caller) {
            self.counts.entry(indicator_hash(i)).or_default().flagged += 1;
        }
        self.clusterer.add(&keep)
    }

    /// The campaign `c` is part of now.
    pub fn root(&mut self, c: CampaignId) -> CampaignId {
        self.clusterer.root(c)
    }

    /// The index, for figures.
    pub fn clusterer(&self) -> &Clusterer {
        &self.clusterer
    }
}

/// Runs a case through `engine` as the service does, collecting its indicators: every event
/// is observed, and the caller's words are sketched once the session is flagged. Returns the
/// session and its last verdict.
pub fn run_case(
    engine: &crate::Engine,
    case: &crate::Case,
) -> (crate::CallSession, crate::Verdict) {
    let salt = 0x5eed;
    let (mut session, mut verdict) = engine.open_session(&case.opening(), salt);
    for e in &case.events {
        verdict = engine.apply(&mut session, e);
        let flagged = verdict.action >= crate::Action::Warn;
        super::observe(&e.kind, flagged, &mut session.indicators);
    }
    (session, verdict)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intel::IndicatorKind;

    #[test]
    fn common_indicators_do_not_join_and_counts_make_them_common() {
        let lex = Lexicons::builtin().unwrap();
        let mut j = Joiner::new(
            &lex,
            FrequencyRule {
                min_allowed: 2,
                allowed_share: 0.5,
            },
        );
        let set = |vals: &[(IndicatorKind, &str)]| {
            let mut s = SessionIndicators::new();
            for (k, v) in vals {
                s.insert(Indicator::new(*k, *v));
            }
            s
        };
        use IndicatorKind::*;
        // Two rings both say "call 95588": they stay apart.
        let a = j.join(
            &set(&[(CallbackNumber, "95588"), (BankAccount, "111")]),
            None,
        );
        let b = j.join(
            &set(&[(CallbackNumber, "95588"), (BankAccount, "222")]),
            None,
        );
        assert_ne!(j.root(a), j.root(b));
        assert_eq!(j.dropped, 2);
        // A clinic's number genuine patients hear every day stops joining once counted.
        let clinic = set(&[(CallbackNumber, "02166668888")]);
        j.record_allowed(&clinic);
        j.record_allowed(&clinic);
        let c = j.join(
            &set(&[(CallbackNumber, "02166668888"), (BankAccount, "333")]),
            None,
        );
        let d = j.join(
            &set(&[(CallbackNumber, "02166668888"), (BankAccount, "444")]),
            None,
        );
        assert_ne!(j.root(c), j.root(d));
        // The caller's handle joins.
        let h = Indicator::caller("h1");
        let e = j.join(&set(&[(BankAccount, "555")]), Some(&h));
        let f = j.join(&set(&[(BankAccount, "666")]), Some(&h));
        assert_eq!(j.root(e), j.root(f));
    }
}
