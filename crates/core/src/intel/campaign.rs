//! Campaigns: flagged sessions joined by the indicators a ring reuses.
//!
//! A campaign is a connected component of the graph whose nodes are flagged sessions and
//! whose edges are shared joinable indicators (see [`super::common`] for what may join). When
//! a session arrives, the campaigns its indicators already belong to are looked up and
//! [`assign`] decides: a new campaign, the one campaign found, or a merge of several into the
//! oldest, because the new session ties them together.
//!
//! Near-identical text is weaker evidence than an account or a number: rings buy their
//! scripts from the same sellers, and in a union of components one wrong tie would pour two
//! whole campaigns into one. So text bands only *attach*: a session tied by an account, a
//! number, a domain, a meeting room, a download host or a handle goes where those say, and
//! its text is indexed there; a session tied by text alone joins the campaign most of its
//! bands point to, and never merges campaigns ([`assign_by`]). A band that sessions of two
//! different campaigns carry (tied there by accounts or numbers) is a stock sentence several
//! rings read, and stops attaching anything. The store does the look-ups and keeps
//! the result; [`Clusterer`] does the same in memory, for the generator's evaluation and the
//! million-session measurement, with the same decision.

use super::indicator::{Indicator, IndicatorKind};
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::{Hash, Hasher};

/// A campaign's number; the oldest has the smallest.
pub type CampaignId = i64;

/// What to do with a session, given the campaigns its indicators belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assignment {
    /// None of its indicators is in a campaign: it starts one.
    New,
    /// All its indicators' campaigns are this one.
    Join(CampaignId),
    /// It ties several campaigns: they merge into the oldest, `into`.
    Merge {
        /// The campaign that stays.
        into: CampaignId,
        /// The campaigns that merge into it, oldest first.
        absorbed: Vec<CampaignId>,
    },
}

impl Assignment {
    /// The campaign the session ends up in, unless it starts a new one.
    pub fn campaign(&self) -> Option<CampaignId> {
        match self {
            Assignment::New => None,
            Assignment::Join(c) | Assignment::Merge { into: c, .. } => Some(*c),
        }
    }
}

/// Decides a session's campaign from the (current, merged-through) campaigns of its joinable
/// indicators, and of the session itself if it joined one before.
pub fn assign(found: &[CampaignId]) -> Assignment {
    let mut ids: Vec<CampaignId> = found.to_vec();
    ids.sort_unstable();
    ids.dedup();
    match ids.as_slice() {
        [] => Assignment::New,
        [one] => Assignment::Join(*one),
        [first, rest @ ..] => Assignment::Merge {
            into: *first,
            absorbed: rest.to_vec(),
        },
    }
}

/// Decides a session's campaign from the campaigns of its strong indicators (everything but
/// text) and of its text bands: strong ties decide as in [`assign`]; without any, the text
/// campaign named by most bands (the oldest on a tie) is joined; never a merge by text.
pub fn assign_by(strong: &[CampaignId], text: &[CampaignId]) -> Assignment {
    if !strong.is_empty() {
        return assign(strong);
    }
    let mut counts: Vec<(CampaignId, usize)> = Vec::new();
    for &c in text {
        match counts.iter_mut().find(|(x, _)| *x == c) {
            Some((_, n)) => *n += 1,
            None => counts.push((c, 1)),
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map_or(Assignment::New, |(c, _)| Assignment::Join(c))
}

/// A 64-bit key for an indicator, for in-memory indexes.
pub fn indicator_hash(ind: &Indicator) -> u64 {
    let mut h = FxHasher::default();
    ind.kind.hash(&mut h);
    ind.value.hash(&mut h);
    h.finish()
}

/// Campaign assignment in memory: an index from indicator to campaign and a union-find over
/// campaigns, so a merge costs nothing beyond re-pointing one root.
#[derive(Debug, Default)]
pub struct Clusterer {
    index: FxHashMap<u64, CampaignId>,
    parent: Vec<CampaignId>,
    sessions: Vec<u32>,
    merges: u64,
    contested: u64,
}

/// Marks a text band found in several campaigns.
const CONTESTED: CampaignId = -1;

impl Clusterer {
    /// An empty clusterer.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty clusterer with room for about `indicators` distinct indicators.
    pub fn with_capacity(indicators: usize) -> Self {
        Clusterer {
            index: FxHashMap::with_capacity_and_hasher(indicators, Default::default()),
            ..Self::default()
        }
    }

    /// The campaign `c` is part of now (after merges).
    pub fn root(&mut self, c: CampaignId) -> CampaignId {
        let mut r = c;
        while self.parent[r as usize] != r {
            r = self.parent[r as usize];
        }
        // Path compression: later look-ups are one step.
        let mut x = c;
        while self.parent[x as usize] != r {
            let next = self.parent[x as usize];
            self.parent[x as usize] = r;
            x = next;
        }
        r
    }

    /// Adds a flagged session with its joinable indicators; returns its campaign.
    pub fn add<'a>(&mut self, indicators: impl IntoIterator<Item = &'a Indicator>) -> CampaignId {
        let keys: Vec<(u64, bool)> = indicators
            .into_iter()
            .map(|i| (indicator_hash(i), i.kind == IndicatorKind::Text))
            .collect();
        let (mut strong, mut text) = (Vec::new(), Vec::new());
        for (k, is_text) in &keys {
            match self.index.get(k) {
                Some(&CONTESTED) | None => {}
                Some(&c) => {
                    let r = self.root(c);
                    if *is_text {
                        text.push(r)
                    } else {
                        strong.push(r)
                    }
                }
            }
        }
        let campaign = match assign_by(&strong, &text) {
            Assignment::New => {
                let id = self.parent.len() as CampaignId;
                self.parent.push(id);
                self.sessions.push(0);
                id
            }
            Assignment::Join(c) => c,
            Assignment::Merge { into, absorbed } => {
                for a in absorbed {
                    self.parent[a as usize] = into;
                    let moved = std::mem::take(&mut self.sessions[a as usize]);
                    self.sessions[into as usize] += moved;
                    self.merges += 1;
                }
                into
            }
        };
        self.sessions[campaign as usize] += 1;
        let tied_by_strong = !strong.is_empty();
        for (k, is_text) in keys {
            match self.index.get(&k).copied() {
                None => {
                    self.index.insert(k, campaign);
                }
                // A script sentence that turns up in another campaign's sessions is one that
                // several rings read: it stops attaching anything.
                Some(c) if is_text && tied_by_strong && c != CONTESTED => {
                    if self.root(c) != campaign {
                        self.index.insert(k, CONTESTED);
                        self.contested += 1;
                    }
                }
                Some(_) => {}
            }
        }
        campaign
    }

    /// How many text bands were found in more than one campaign and stopped attaching.
    pub fn contested(&self) -> u64 {
        self.contested
    }

    /// How many campaigns exist now (merged ones not counted).
    pub fn campaigns(&self) -> usize {
        self.sessions.iter().filter(|&&n| n > 0).count()
    }

    /// How many merges happened.
    pub fn merges(&self) -> u64 {
        self.merges
    }

    /// How many distinct indicators are indexed.
    pub fn indicators(&self) -> usize {
        self.index.len()
    }
}

/// Pairwise precision and recall of a clustering against the truth: over all pairs of
/// sessions, precision is the share of pairs put together that belong together, recall the
/// share of pairs that belong together that were put together. Counted from the contingency
/// table, so it is linear in the number of sessions. `truth` and `predicted` give each
/// session's cluster label, in the same order.
pub fn pairwise_scores(truth: &[u64], predicted: &[u64]) -> PairScores {
    assert_eq!(
        truth.len(),
        predicted.len(),
        "one label of each per session"
    );
    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    let mut by_truth: FxHashMap<u64, u64> = FxHashMap::default();
    let mut by_pred: FxHashMap<u64, u64> = FxHashMap::default();
    let mut by_both: FxHashMap<(u64, u64), u64> = FxHashMap::default();
    for (t, p) in truth.iter().zip(predicted) {
        *by_truth.entry(*t).or_default() += 1;
        *by_pred.entry(*p).or_default() += 1;
        *by_both.entry((*t, *p)).or_default() += 1;
    }
    let same_truth: u64 = by_truth.values().map(|&n| pairs(n)).sum();
    let same_pred: u64 = by_pred.values().map(|&n| pairs(n)).sum();
    let both: u64 = by_both.values().map(|&n| pairs(n)).sum();
    PairScores {
        precision: if same_pred == 0 {
            1.0
        } else {
            both as f64 / same_pred as f64
        },
        recall: if same_truth == 0 {
            1.0
        } else {
            both as f64 / same_truth as f64
        },
        true_pairs: same_truth,
        predicted_pairs: same_pred,
    }
}

/// The result of [`pairwise_scores`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairScores {
    /// Share of predicted pairs that are true pairs.
    pub precision: f64,
    /// Share of true pairs that were predicted.
    pub recall: f64,
    /// Pairs that belong together.
    pub true_pairs: u64,
    /// Pairs put together.
    pub predicted_pairs: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ind(kind: IndicatorKind, v: &str) -> Indicator {
        Indicator::new(kind, v)
    }

    #[test]
    fn assignment_decides_new_join_or_merge_into_the_oldest() {
        assert_eq!(assign(&[]), Assignment::New);
        assert_eq!(assign(&[4, 4]), Assignment::Join(4));
        assert_eq!(
            assign(&[9, 4, 7, 9]),
            Assignment::Merge {
                into: 4,
                absorbed: vec![7, 9]
            }
        );
        assert_eq!(assign(&[9, 4]).campaign(), Some(4));
    }

    #[test]
    fn text_attaches_but_never_merges() {
        assert_eq!(assign_by(&[], &[]), Assignment::New);
        assert_eq!(assign_by(&[], &[5, 3, 5]), Assignment::Join(5));
        assert_eq!(assign_by(&[], &[5, 3]), Assignment::Join(3));
        assert_eq!(assign_by(&[8], &[5, 5]), Assignment::Join(8));
        use IndicatorKind::*;
        let mut c = Clusterer::new();
        let a = c.add(&[ind(BankAccount, "1"), ind(Text, "b00:x")]);
        let b = c.add(&[ind(BankAccount, "2"), ind(Text, "b01:y")]);
        // Text alone joins the campaign it matches...
        assert_eq!(c.add(&[ind(Text, "b00:x")]), a);
        // ...and a session matching both campaigns' text merges nothing.
        let t = c.add(&[ind(Text, "b00:x"), ind(Text, "b01:y")]);
        assert!(t == a || t == b);
        assert_eq!(c.campaigns(), 2);
        // Campaign b's account with campaign a's text: a stock script both rings read.
        assert_eq!(c.add(&[ind(BankAccount, "2"), ind(Text, "b00:x")]), b);
        assert_eq!(c.contested(), 1);
        // It no longer attaches a text-only session to a.
        let lone = c.add(&[ind(Text, "b00:x"), ind(CallerHandle, "new")]);
        assert!(lone != a && lone != b);
    }

    #[test]
    fn a_session_that_ties_two_campaigns_merges_them() {
        use IndicatorKind::*;
        let mut c = Clusterer::new();
        let a = c.add(&[ind(BankAccount, "111"), ind(CallerHandle, "h1")]);
        let b = c.add(&[ind(Domain, "x.top"), ind(CallerHandle, "h2")]);
        assert_ne!(a, b);
        assert_eq!(c.campaigns(), 2);
        // A new handle naming the same account joins the first.
        assert_eq!(
            c.add(&[ind(BankAccount, "111"), ind(CallerHandle, "h3")]),
            a
        );
        // A session naming both the account and the domain ties them.
        let m = c.add(&[ind(BankAccount, "111"), ind(Domain, "x.top")]);
        assert_eq!(m, a.min(b));
        assert_eq!(c.campaigns(), 1);
        assert_eq!(c.merges(), 1);
        // Later sessions on either side land in the merged campaign.
        let late = c.add(&[ind(CallerHandle, "h2")]);
        assert_eq!(c.root(late), m);
    }

    #[test]
    fn pairwise_scores_count_pairs() {
        // Truth: {0,1,2} {3,4}; predicted: {0,1} {2,3,4}.
        let s = pairwise_scores(&[1, 1, 1, 2, 2], &[7, 7, 8, 8, 8]);
        // True pairs 3 + 1 = 4; predicted 1 + 3 = 4; both: (0,1) and (3,4) = 2.
        assert_eq!((s.true_pairs, s.predicted_pairs), (4, 4));
        assert!((s.precision - 0.5).abs() < 1e-9 && (s.recall - 0.5).abs() < 1e-9);
        let perfect = pairwise_scores(&[1, 1, 2], &[5, 5, 6]);
        assert_eq!((perfect.precision, perfect.recall), (1.0, 1.0));
    }
}
