//! Indicators too common to join on.
//!
//! A scam call names 95588 ("your ICBC account…") and so do a million genuine ones; a phishing
//! text mentions apple.com beside its look-alike. Joining on those would pour unrelated
//! sessions into one campaign. Three sources say what is common: the lexicons (the protected
//! identities' own numbers and domains, the protected brands' domains), a shipped list of
//! popular platforms and public service numbers (`data/common_indicators.txt`), and counts:
//! an indicator seen in enough *allowed* sessions is something genuine callers say.

use super::indicator::{Indicator, IndicatorKind};
use crate::lexicon::identities::digits_of;
use crate::lexicon::Lexicons;
use rustc_hash::FxHashSet;

/// The shipped list of popular platforms' domains and public service numbers.
pub const BUILTIN_COMMON: &str = include_str!("../../data/common_indicators.txt");

/// Why an indicator does not join sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Common {
    /// A protected identity's own number or domain, or a protected brand's domain.
    Official,
    /// On the list of popular platforms and public numbers.
    Listed,
    /// Seen in many allowed sessions.
    Frequent,
}

impl Common {
    /// The wire name, for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Common::Official => "official",
            Common::Listed => "listed",
            Common::Frequent => "frequent_in_allowed_sessions",
        }
    }
}

/// How often an indicator was seen, by the outcome of the session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndicatorCounts {
    /// Sessions that ended allowed and were never reported.
    pub allowed: u64,
    /// Sessions that warned, blocked or were reported.
    pub flagged: u64,
}

/// The frequency rule: an indicator is common once it was seen in at least `min_allowed`
/// allowed sessions and those are at least `allowed_share` of all sessions naming it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrequencyRule {
    /// Allowed sessions needed before counts can make an indicator common.
    pub min_allowed: u64,
    /// Share of allowed sessions among all that named it, 0–1.
    pub allowed_share: f64,
}

impl FrequencyRule {
    /// Whether `counts` make an indicator common.
    pub fn is_frequent(&self, counts: IndicatorCounts) -> bool {
        let total = counts.allowed + counts.flagged;
        counts.allowed >= self.min_allowed
            && total > 0
            && counts.allowed as f64 >= self.allowed_share * total as f64
    }
}

/// The lists half of the filter: built once from the lexicons and the shipped list.
#[derive(Debug, Clone, Default)]
pub struct CommonIndicators {
    official_numbers: FxHashSet<String>,
    official_domains: FxHashSet<String>,
    listed_numbers: FxHashSet<String>,
    listed_domains: FxHashSet<String>,
    brands: Option<crate::lexicon::BrandDomains>,
}

impl CommonIndicators {
    /// The official numbers and domains of `lex`, plus the shipped list.
    pub fn new(lex: &Lexicons) -> CommonIndicators {
        let mut c = CommonIndicators {
            brands: Some(lex.brands.clone()),
            ..CommonIndicators::default()
        };
        for idt in lex.identities.identities() {
            for n in &idt.numbers {
                c.official_numbers.insert(digits_of(n));
            }
            if let Some(cb) = &idt.callback {
                if let Some(n) = &cb.number {
                    c.official_numbers.insert(digits_of(n));
                }
                if let Some(d) = &cb.domain {
                    c.official_domains.insert(d.to_ascii_lowercase());
                }
            }
            for d in &idt.domains {
                c.official_domains.insert(d.to_ascii_lowercase());
            }
        }
        c.official_numbers.remove("");
        for line in BUILTIN_COMMON.lines() {
            let line = line.trim();
            match line.split_once(' ') {
                Some(("domain", d)) => {
                    c.listed_domains.insert(d.trim().to_ascii_lowercase());
                }
                Some(("number", n)) => {
                    c.listed_numbers.insert(digits_of(n));
                }
                _ => {}
            }
        }
        c
    }

    /// Whether the lists make `ind` common, and why.
    pub fn listed(&self, ind: &Indicator) -> Option<Common> {
        match ind.kind {
            IndicatorKind::CallbackNumber => {
                let v = ind.value.as_str();
                if self.official_numbers.contains(v) || self.official_sender(v) {
                    Some(Common::Official)
                } else if self.listed_numbers.contains(v) {
                    Some(Common::Listed)
                } else {
                    None
                }
            }
            IndicatorKind::Domain | IndicatorKind::DownloadHost => {
                let d = registrable(&ind.value);
                if self.official_domains.contains(&d)
                    || self.brands.as_ref().is_some_and(|b| b.is_official(&d))
                {
                    Some(Common::Official)
                } else if self.listed_domains.contains(&d) {
                    Some(Common::Listed)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// Whether `ind` may join sessions, given how often it was seen.
    pub fn check(
        &self,
        ind: &Indicator,
        counts: IndicatorCounts,
        rule: &FrequencyRule,
    ) -> Option<Common> {
        self.listed(ind)
            .or_else(|| rule.is_frequent(counts).then_some(Common::Frequent))
    }

    /// An official number dialled with its area code or as an enterprise SMS port
    /// ("0731-96110", "10698 95588").
    fn official_sender(&self, digits: &str) -> bool {
        if digits.len() <= 6 {
            return false;
        }
        self.official_numbers
            .iter()
            .filter(|n| n.len() >= 3)
            .any(|n| {
                digits.ends_with(n.as_str())
                    && (digits.starts_with('0') || digits.starts_with("106"))
                    && digits.len() <= n.len() + 5
            })
    }
}

/// The registrable domain of a host (itself when it has none, e.g. an IP address).
fn registrable(host: &str) -> String {
    psl::domain_str(host).unwrap_or(host).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter() -> CommonIndicators {
        CommonIndicators::new(&Lexicons::builtin().unwrap())
    }

    fn num(v: &str) -> Indicator {
        Indicator::new(IndicatorKind::CallbackNumber, v)
    }

    fn dom(v: &str) -> Indicator {
        Indicator::new(IndicatorKind::Domain, v)
    }

    #[test]
    fn official_numbers_and_brand_domains_never_join() {
        let f = filter();
        for n in ["95588", "110", "96110", "12110", "073196110"] {
            assert!(f.listed(&num(n)).is_some(), "{n}");
        }
        assert_eq!(f.listed(&dom("icbc.com.cn")), Some(Common::Official));
        assert_eq!(f.listed(&dom("baidu.com")), Some(Common::Listed));
        assert_eq!(
            f.listed(&Indicator::new(IndicatorKind::DownloadHost, "dl.apple.com")),
            Some(Common::Official)
        );
        assert_eq!(f.listed(&dom("icbc-verify.top")), None);
        assert_eq!(f.listed(&num("13800138000")), None);
        assert_eq!(
            f.listed(&Indicator::new(
                IndicatorKind::BankAccount,
                "6222021234567890123"
            )),
            None
        );
    }

    #[test]
    fn an_indicator_genuine_callers_use_becomes_common_by_count() {
        let f = filter();
        let rule = FrequencyRule {
            min_allowed: 5,
            allowed_share: 0.5,
        };
        let clinic = num("02166668888");
        let few = IndicatorCounts {
            allowed: 4,
            flagged: 0,
        };
        assert_eq!(f.check(&clinic, few, &rule), None);
        let many = IndicatorCounts {
            allowed: 40,
            flagged: 3,
        };
        assert_eq!(f.check(&clinic, many, &rule), Some(Common::Frequent));
        // A ring's account named in a few calls that stayed allowed is still the ring's.
        let ring = IndicatorCounts {
            allowed: 6,
            flagged: 200,
        };
        assert_eq!(f.check(&clinic, ring, &rule), None);
    }
}
