//! Policy: the price of each signal, the thresholds, and the hard rules.
//!
//! Detectors report; the policy decides. A policy is a TOML document (the default one is
//! `data/policy.toml`, compiled in; `--policy FILE` replaces it, and `--policy-local FILE` is
//! merged over either, see [`overlay`]):
//!
//! ```toml
//! [thresholds]
//! warn = 4.0
//! block = 10.0
//!
//! [groups.script]
//! max = 12.0                      # many weak script hits cannot add up to more than this
//!
//! [signals.claims_authority]
//! weight = 6.0
//! group = "identity"              # defaults to the detector family
//!
//! [[rules]]                       # hard rules: what genuine organisations never do
//! name = "authority_asks_for_screen"
//! when = "claims_authority & (screen_share_requested | remote_control_requested) & !verified_caller"
//! action = "block"
//! explanation = { en = "Real police never ask to see your screen." }   # optional
//!
//! [[directives]]
//! directive = "deny_screen_share"
//! when = "screen_share_requested | remote_control_requested"
//! min_action = "warn"
//! ```
//!
//! Loading checks everything at once ([`check`]) and reports every problem, not just the first.

mod check;
pub mod expr;
pub mod overlay;
mod raw;

use crate::event::Locale;
use crate::signal::{codes, CodeBits, SignalSet};
use crate::verdict::{Action, DirectiveCode, FiredRule, ScoredSignal};
use expr::{Compiled, Expr};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The policy that ships with the engine.
pub const DEFAULT_POLICY: &str = include_str!("../../data/policy.toml");

/// A policy that failed validation, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}: {} problem(s):\n  - {}", problems.len(), problems.join("\n  - "))]
pub struct PolicyError {
    /// Where the policy came from (a path or "built-in policy").
    pub source_name: String,
    /// Each problem, naming the table and key at fault.
    pub problems: Vec<String>,
}

/// Knobs that are not weights.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Minutes to hold a payment when `hold_payment` applies.
    pub hold_payment_minutes: u32,
    /// Classifier scam probability below which no `model_scam` signal is raised.
    pub model_scam_min: f64,
    /// Classifier spam probability below which no `model_spam` signal is raised.
    pub model_spam_min: f64,
    /// Payment amount (in any currency unit) at and above which a payment counts at full strength.
    pub large_payment: f64,
    /// How old a signed call assertion may be, in seconds.
    pub token_freshness_secs: i64,
    /// Distinct counted reporters that make a caller's handle reported.
    pub reputation_min_reporters: u32,
    /// How long a report counts, in days.
    pub reputation_window_days: u32,
    /// Allowed sessions that must name an indicator before counts can make it common.
    pub common_min_allowed: u64,
    /// Share of allowed sessions, among all naming an indicator, that makes it common.
    pub common_allowed_share: f64,
}

impl Settings {
    /// The reputation rule these settings describe.
    pub fn reputation_rule(&self) -> crate::intel::reputation::ReputationRule {
        crate::intel::reputation::ReputationRule {
            min_reporters: self.reputation_min_reporters,
            window_days: self.reputation_window_days,
        }
    }

    /// The frequency rule for common indicators these settings describe.
    pub fn frequency_rule(&self) -> crate::intel::FrequencyRule {
        crate::intel::FrequencyRule {
            min_allowed: self.common_min_allowed,
            allowed_share: self.common_allowed_share,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            hold_payment_minutes: 30,
            model_scam_min: 0.5,
            model_spam_min: 0.5,
            large_payment: 5000.0,
            token_freshness_secs: 60,
            reputation_min_reporters: 3,
            reputation_window_days: 14,
            common_min_allowed: 5,
            common_allowed_share: 0.5,
        }
    }
}

/// Price of one signal.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalPrice {
    /// Weight at full strength; negative for benign evidence.
    pub weight: f64,
    /// Group whose cap applies.
    pub group: String,
    /// What it means, for analysts.
    pub description: String,
}

/// A hard rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Unique name; the message catalog explains it under `rules.<name>`.
    pub name: String,
    /// When it applies.
    pub when: Expr,
    /// `when`, resolved.
    pub compiled: Compiled,
    /// The action it demands at least.
    pub action: Action,
    /// What it means, for analysts.
    pub description: String,
    /// Its own sentences for users, replacing the catalog's; a rule with neither is explained
    /// by the catalog's generic rule sentence.
    pub explanation: Option<Explanation>,
}

/// A rule's sentences for users, by locale.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Explanation {
    zh_hans: Option<String>,
    zh_hant: Option<String>,
    en: Option<String>,
}

impl Explanation {
    /// The sentence for `locale`, if the rule gives one.
    pub fn get(&self, locale: Locale) -> Option<&str> {
        match locale {
            Locale::ZhHans => self.zh_hans.as_deref(),
            Locale::ZhHant => self.zh_hant.as_deref(),
            Locale::En => self.en.as_deref(),
        }
    }

    fn set(&mut self, locale: Locale, sentence: String) {
        let slot = match locale {
            Locale::ZhHans => &mut self.zh_hans,
            Locale::ZhHant => &mut self.zh_hant,
            Locale::En => &mut self.en,
        };
        *slot = Some(sentence);
    }
}

/// When a directive applies.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectiveRule {
    /// Directive code.
    pub directive: DirectiveCode,
    /// Condition over signals.
    pub when: Expr,
    /// `when`, resolved.
    pub compiled: Compiled,
    /// The verdict must be at least this for the directive to apply.
    pub min_action: Action,
}

/// Scales the positive weights of some groups while a condition holds (script hits from a
/// contact count for less than the same words from a stranger), and may cap what the score
/// alone can reach (a lure that asks for nothing yet warns, however many clues add up); hard
/// rules still raise the action past a cap.
#[derive(Debug, Clone, PartialEq)]
pub struct Modifier {
    /// Name, for analysts.
    pub name: String,
    /// When it applies.
    pub when: Expr,
    /// `when`, resolved.
    pub compiled: Compiled,
    /// Groups whose positive weights are scaled.
    pub groups: Vec<String>,
    /// The factor, 0–1.
    pub factor: f64,
    /// The most the score alone may reach while the condition holds.
    pub max_action: Option<Action>,
}

/// A validated policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Score at which the verdict becomes `warn`.
    pub warn: f64,
    /// Score at which the verdict becomes `block`.
    pub block: f64,
    /// Group caps.
    pub group_max: BTreeMap<String, f64>,
    /// Group descriptions.
    pub group_descriptions: BTreeMap<String, String>,
    /// Prices by signal code.
    pub signals: BTreeMap<String, SignalPrice>,
    /// Hard rules, in order.
    pub rules: Vec<Rule>,
    /// Directive conditions, in order.
    pub directives: Vec<DirectiveRule>,
    /// Group scaling, in order.
    pub modifiers: Vec<Modifier>,
    /// Other knobs.
    pub settings: Settings,
    /// Per code index: weight at full strength (0 when unpriced).
    weights: Vec<f64>,
    /// Per code index: its group's index in `group_names`.
    group_of_code: Vec<usize>,
    /// Group names; caps by the same index.
    group_names: Vec<String>,
    group_caps: Vec<Option<f64>>,
}

/// The policy's reading of a signal set.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Total score.
    pub score: f64,
    /// Action from thresholds and rules.
    pub action: Action,
    /// Priced signals, largest absolute weight first.
    pub signals: Vec<ScoredSignal>,
    /// Rules that fired.
    pub rules: Vec<FiredRule>,
    /// Directive codes that apply, in policy order, without duplicates.
    pub directives: Vec<DirectiveCode>,
}

impl Policy {
    /// The built-in policy.
    pub fn builtin() -> Policy {
        Policy::from_toml(DEFAULT_POLICY, "built-in policy")
            .expect("the built-in policy is valid (tested)")
    }

    /// Parses and validates a policy. `source_name` appears in errors.
    pub fn from_toml(text: &str, source_name: &str) -> Result<Policy, PolicyError> {
        Policy::from_table(parse(text, source_name)?, source_name)
    }

    /// The policy `base` (the built-in one when `None`) with the overlay `local` merged over
    /// it; each is `(text, where it came from)`.
    pub fn layered(
        base: Option<(&str, &str)>,
        local: Option<(&str, &str)>,
    ) -> Result<Policy, PolicyError> {
        let (table, source) = effective(base, local)?;
        Policy::from_table(table, &source)
    }

    /// Validates a policy document already parsed (and merged); see [`effective`].
    pub fn from_table(mut table: toml::Table, source_name: &str) -> Result<Policy, PolicyError> {
        let fail = |problems: Vec<String>| PolicyError {
            source_name: source_name.to_string(),
            problems,
        };
        let mut problems = Vec::new();
        overlay::apply_enabled(&mut table, &mut problems);
        if !problems.is_empty() {
            return Err(fail(problems));
        }
        let raw = raw::RawPolicy::deserialize(table)
            .map_err(|e| fail(vec![e.to_string().trim().to_string()]))?;
        let c = check::checked(raw).map_err(fail)?;
        Ok(Policy::build(c))
    }

    /// Derives the per-code tables of a policy whose parts passed every check, and compiles
    /// its conditions.
    fn build(mut policy: Policy) -> Policy {
        // Resolve groups: every code belongs to its priced group or, unpriced, its family.
        let mut group_names: Vec<String> = Vec::new();
        let mut group_of_code = Vec::with_capacity(codes::ALL.len());
        for (code, family) in codes::ALL {
            let g = policy
                .signals
                .get(*code)
                .map_or(*family, |p: &SignalPrice| p.group.as_str());
            let gi = match group_names.iter().position(|n| n == g) {
                Some(i) => i,
                None => {
                    group_names.push(g.to_string());
                    group_names.len() - 1
                }
            };
            group_of_code.push(gi);
        }
        policy.group_caps = group_names
            .iter()
            .map(|g| policy.group_max.get(g).copied())
            .collect();
        policy.weights = codes::ALL
            .iter()
            .map(|(code, _)| policy.signals.get(*code).map_or(0.0, |p| p.weight))
            .collect();
        policy.group_of_code = group_of_code;
        policy.group_names = group_names;
        policy.compile_conditions();
        policy
    }

    /// The group a signal code counts toward.
    pub fn group_of<'a>(&'a self, code: &'a str) -> &'a str {
        codes::index(code).map_or("other", |i| {
            self.group_names[self.group_of_code[i]].as_str()
        })
    }

    /// The codes of a group, by policy group or detector family.
    fn group_mask(&self, group: &str) -> Option<CodeBits> {
        let mut mask = CodeBits::default();
        let mut known = false;
        for (i, (_, family)) in codes::ALL.iter().enumerate() {
            let in_group = self.group_names[self.group_of_code[i]] == group;
            if in_group || *family == group {
                mask.insert(i);
            }
            known |= in_group || *family == group;
        }
        (known || self.group_descriptions.contains_key(group)).then_some(mask)
    }

    fn compile_conditions(&mut self) {
        let compile = |this: &Policy, e: &Expr| {
            e.compile(&codes::index, &|g| this.group_mask(g))
                .expect("names were validated before compiling")
        };
        let rules: Vec<Compiled> = self.rules.iter().map(|r| compile(self, &r.when)).collect();
        let dirs: Vec<Compiled> = self
            .directives
            .iter()
            .map(|d| compile(self, &d.when))
            .collect();
        let mods: Vec<Compiled> = self
            .modifiers
            .iter()
            .map(|m| compile(self, &m.when))
            .collect();
        for (r, c) in self.rules.iter_mut().zip(rules) {
            r.compiled = c;
        }
        for (d, c) in self.directives.iter_mut().zip(dirs) {
            d.compiled = c;
        }
        for (m, c) in self.modifiers.iter_mut().zip(mods) {
            m.compiled = c;
        }
    }

    /// Prices `set`, applies the thresholds and rules, and picks the directives. `floor` is the
    /// highest action already reached in the session: verdicts only rise.
    pub fn evaluate(&self, set: &SignalSet, floor: Action) -> Evaluation {
        let present = set.bits();
        let mut factor = vec![1.0f64; self.group_names.len()];
        let mut ceiling = Action::Block;
        for m in self.modifiers.iter().filter(|m| m.compiled.eval(&present)) {
            ceiling = ceiling.min(m.max_action.unwrap_or(Action::Block));
            for g in &m.groups {
                if let Some(gi) = self.group_names.iter().position(|n| n == g) {
                    factor[gi] *= m.factor;
                }
            }
        }
        // Sum per group, positive contributions trimmed at the group's cap, strongest first so
        // that the trimming falls on the weakest evidence.
        let mut priced: Vec<(usize, usize, f64, &crate::signal::SignalEntry)> = set
            .iter_indexed()
            .map(|(i, e)| {
                let gi = self.group_of_code[i];
                let mut w = self.weights[i] * e.strength;
                if w > 0.0 {
                    w *= factor[gi];
                }
                (i, gi, w, e)
            })
            .collect();
        priced.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        let mut used = vec![0.0f64; self.group_names.len()];
        let mut scored = Vec::with_capacity(priced.len());
        let mut score = 0.0;
        for (i, gi, w, entry) in priced {
            let mut w = w;
            if w > 0.0 {
                if let Some(max) = self.group_caps[gi] {
                    w = w.min((max - used[gi]).max(0.0));
                    used[gi] += w;
                }
            }
            score += w;
            scored.push(ScoredSignal {
                code: codes::name(i).to_string(),
                weight: (w * 100.0).round() / 100.0,
                evidence: entry.evidence.clone(),
                params: entry.params.as_deref().cloned().unwrap_or_default(),
            });
        }
        scored.sort_by(|a, b| {
            b.weight
                .abs()
                .total_cmp(&a.weight.abs())
                .then(a.code.cmp(&b.code))
        });

        let mut action = if score >= self.block {
            Action::Block
        } else if score >= self.warn {
            Action::Warn
        } else {
            Action::Allow
        }
        .min(ceiling);
        let mut rules = Vec::new();
        for r in &self.rules {
            if r.compiled.eval(&present) {
                action = action.max(r.action);
                rules.push(FiredRule {
                    name: r.name.clone(),
                    action: r.action,
                });
            }
        }
        rules.sort_by_key(|r| std::cmp::Reverse(r.action));
        let action = action.max(floor);

        let mut directives: Vec<DirectiveCode> = Vec::new();
        for d in &self.directives {
            if action >= d.min_action
                && !directives.contains(&d.directive)
                && d.compiled.eval(&present)
            {
                directives.push(d.directive);
            }
        }
        Evaluation {
            score: (score * 100.0).round() / 100.0,
            action,
            signals: scored,
            rules,
            directives,
        }
    }
}

/// Parses a policy document, naming `source_name` in the error.
pub fn parse(text: &str, source_name: &str) -> Result<toml::Table, PolicyError> {
    toml::from_str(text).map_err(|e| PolicyError {
        source_name: source_name.to_string(),
        problems: vec![e.to_string().trim().to_string()],
    })
}

/// The policy document in force: `base` (the built-in policy when `None`) with `local`
/// merged over it, and a name for it in messages. `scamguard policy show --effective` prints
/// it; every problem of the overlay is reported at once.
pub fn effective(
    base: Option<(&str, &str)>,
    local: Option<(&str, &str)>,
) -> Result<(toml::Table, String), PolicyError> {
    let (base_text, base_name) = base.unwrap_or((DEFAULT_POLICY, "built-in policy"));
    let mut table = parse(base_text, base_name)?;
    let mut problems = Vec::new();
    let (at_fault, source) = match local {
        None => (base_name, base_name.to_string()),
        Some((local_text, local_name)) => {
            overlay::merge(&mut table, parse(local_text, local_name)?, &mut problems);
            (local_name, format!("{base_name} with {local_name}"))
        }
    };
    // The document in force leaves out the entries turned off.
    overlay::apply_enabled(&mut table, &mut problems);
    if !problems.is_empty() {
        return Err(PolicyError {
            source_name: at_fault.to_string(),
            problems,
        });
    }
    Ok((table, source))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
        [thresholds]
        warn = 4
        block = 10
        [groups.script]
        max = 5
        [signals.claims_authority]
        weight = 6
        [signals.script_secrecy]
        weight = 4
        [signals.script_accusation]
        weight = 4
        [signals.in_contacts]
        weight = -3
        [[rules]]
        name = "authority_asks_for_screen"
        when = "claims_authority & screen_share_requested"
        action = "block"
        [[directives]]
        directive = "deny_screen_share"
        when = "screen_share_requested"
        min_action = "warn"
    "#;

    #[test]
    fn the_builtin_policy_is_valid() {
        let p = Policy::builtin();
        assert!(p.warn < p.block);
        assert!(!p.rules.is_empty());
    }

    /// `claim_asks_nothing_yet` caps a bare claim at warn only while no other script stage has
    /// shown; it lists those stages by name, so a stage added to the detector without being
    /// added there would be capped with the claim. Every script code must be either in its
    /// list or one of the two it leaves out on purpose.
    #[test]
    fn a_bare_claim_is_capped_only_until_any_other_script_stage_shows() {
        let p = Policy::builtin();
        let m = p
            .modifiers
            .iter()
            .find(|m| m.name == "claim_asks_nothing_yet")
            .expect("the built-in policy has claim_asks_nothing_yet");
        let (mut named, mut groups) = (Vec::new(), Vec::new());
        m.when.names(&mut named, &mut groups);
        // The claim itself opens the condition; advice against the scam is no ask.
        let not_asks = ["script_authority_claim", "script_protective_advice"];
        let missing: Vec<&str> = crate::signal::codes::ALL
            .iter()
            .filter(|(code, family)| {
                *family == "script" && !not_asks.contains(code) && !named.iter().any(|n| n == code)
            })
            .map(|(code, _)| *code)
            .collect();
        assert!(
            missing.is_empty(),
            "claim_asks_nothing_yet does not lift its cap for {missing:?}: add them to its list \
             (or here, if a bare claim with them should still warn at most)"
        );
        for g in ["links", "session", "intel"] {
            assert!(groups.iter().any(|n| n == g), "g:{g} lifts the cap");
        }
    }

    #[test]
    fn scores_with_group_caps_and_rules() {
        let p = Policy::from_toml(SMALL, "test").unwrap();
        let mut s = SignalSet::new();
        s.add("script_secrecy", 1.0, "保密");
        s.add("script_accusation", 1.0, "洗钱");
        let e = p.evaluate(&s, Action::Allow);
        assert_eq!(e.score, 5.0, "the script group is capped at 5");
        assert_eq!(e.action, Action::Warn);

        s.add("claims_authority", 1.0, "公安局");
        s.add("screen_share_requested", 1.0, "facetime");
        let e = p.evaluate(&s, Action::Allow);
        assert_eq!(e.action, Action::Block);
        assert_eq!(e.rules[0].name, "authority_asks_for_screen");
        assert_eq!(e.directives, vec![DirectiveCode::DenyScreenShare]);
        assert_eq!(e.signals[0].code, "claims_authority");

        s.add("in_contacts", 1.0, "");
        assert_eq!(p.evaluate(&s, Action::Allow).score, 8.0);
        let mut quiet = SignalSet::new();
        quiet.add("screen_share_requested", 1.0, "");
        let e = p.evaluate(&quiet, Action::Allow);
        assert_eq!(e.action, Action::Allow);
        assert!(e.directives.is_empty(), "deny_screen_share needs warn");
        let e = p.evaluate(&quiet, Action::Block);
        assert_eq!(e.action, Action::Block, "verdicts only rise");
        assert_eq!(e.directives, vec![DirectiveCode::DenyScreenShare]);
    }

    #[test]
    fn modifiers_scale_groups() {
        let text = format!("{SMALL}\n[[modifiers]]\nname = \"contact\"\nwhen = \"in_contacts\"\ngroups = [\"script\"]\nfactor = 0.5\n");
        let p = Policy::from_toml(&text, "test").unwrap();
        let mut s = SignalSet::new();
        s.add("script_secrecy", 1.0, "");
        assert_eq!(p.evaluate(&s, Action::Allow).score, 4.0);
        s.add("in_contacts", 1.0, "");
        assert_eq!(p.evaluate(&s, Action::Allow).score, 2.0 - 3.0);
        let bad = format!("{SMALL}\n[[modifiers]]\nname = \"x\"\nwhen = \"in_contacts\"\ngroups = [\"nope\"]\nfactor = 2\n");
        let err = Policy::from_toml(&bad, "t").unwrap_err();
        assert_eq!(err.problems.len(), 2, "{:?}", err.problems);
    }

    #[test]
    fn a_modifier_caps_what_the_score_alone_reaches() {
        let text = format!("{SMALL}\n[[modifiers]]\nname = \"nothing_asked\"\nwhen = \"script_secrecy\"\nmax_action = \"warn\"\n");
        let p = Policy::from_toml(&text, "test").unwrap();
        let mut s = SignalSet::new();
        s.add("claims_authority", 1.0, "");
        s.add("script_secrecy", 1.0, "");
        let e = p.evaluate(&s, Action::Allow);
        assert_eq!(e.score, 10.0, "the cap leaves the score alone");
        assert_eq!(e.action, Action::Warn);
        assert_eq!(
            p.evaluate(&s, Action::Block).action,
            Action::Block,
            "verdicts only rise"
        );
        s.add("screen_share_requested", 1.0, "");
        assert_eq!(
            p.evaluate(&s, Action::Allow).action,
            Action::Block,
            "rules pass the cap"
        );
        let bad = format!(
            "{SMALL}\n[[modifiers]]\nname = \"x\"\nwhen = \"in_contacts\"\nmax_action = \"kill\"\n"
        );
        let err = Policy::from_toml(&bad, "t").unwrap_err();
        assert_eq!(err.problems.len(), 1, "{:?}", err.problems);
    }

    #[test]
    fn reports_every_problem() {
        let bad = r#"
            [thresholds]
            warn = 10
            block = 5
            [signals.claims_authorty]
            weight = 1
            [signals.claims_authority]
            weight = 1
            group = "nowhere"
            [[rules]]
            name = "Bad Name"
            when = "claims_authority &"
            action = "kill"
            [[directives]]
            directive = "self_destruct"
            when = "g:unknown"
        "#;
        let err = Policy::from_toml(bad, "bad.toml").unwrap_err();
        let all = err.problems.join("\n");
        assert!(all.contains("need 0 < warn < block"), "{all}");
        assert!(all.contains("did you mean \"claims_authority\""), "{all}");
        assert!(all.contains("unknown group \"nowhere\""), "{all}");
        assert!(all.contains("must be snake_case"), "{all}");
        assert!(all.contains("ends too early"), "{all}");
        assert!(all.contains("found \"kill\""), "{all}");
        assert!(all.contains("unknown directive"), "{all}");
        assert!(all.contains("unknown group \"g:unknown\""), "{all}");
        assert!(
            err.to_string().starts_with("bad.toml: 8 problem(s)"),
            "{err}"
        );
    }

    #[test]
    fn deeply_nested_conditions_are_refused() {
        let deep = format!("{}claims_authority{}", "(".repeat(4000), ")".repeat(4000));
        let text =
            format!("{SMALL}\n[[rules]]\nname = \"deep\"\nwhen = \"{deep}\"\naction = \"block\"\n");
        let err = Policy::from_toml(&text, "deep.toml").unwrap_err();
        assert_eq!(err.problems.len(), 1, "{:?}", err.problems);
        let problem = &err.problems[0];
        assert!(
            problem.starts_with("rules[1] (deep).when: conditions nest at most 64 deep"),
            "{problem}"
        );
        assert!(
            problem.len() < 400,
            "the 8 KB condition is not echoed whole: {problem}"
        );
    }

    #[test]
    fn deeply_nested_toml_is_refused() {
        // toml bounds its own recursion; this checks it stays so (a stack overflow aborts).
        for deep in [
            format!("x = {}1{}", "[".repeat(100_000), "]".repeat(100_000)),
            format!("x = {}1{}", "{y = ".repeat(100_000), "}".repeat(100_000)),
            format!("[{}]", vec!["k"; 100_000].join(".")),
        ] {
            let err = Policy::from_toml(&format!("{SMALL}\n{deep}\n"), "deep.toml").unwrap_err();
            assert_eq!(err.problems.len(), 1);
        }
    }

    #[test]
    fn a_local_overlay_merges_over_the_builtin_policy() {
        let local = r#"
            [thresholds]
            block = 12.0
            [signals.claims_authority]
            weight = 7.5
            [[rules]]
            name = "claimed_body_asks_never_do"
            enabled = false
            [[rules]]
            name = "no_transfers_to_new_payees_on_calls"
            when = "payment_new_payee & payment_during_call"
            action = "block"
            explanation = { "zh-Hans" = "通话中向新收款人转账，请先挂断核实。", en = "A transfer to a new payee during a call: hang up and check first." }
        "#;
        let p = Policy::layered(None, Some((local, "local.toml"))).unwrap();
        let builtin = Policy::builtin();
        assert_eq!(p.block, 12.0);
        assert_eq!(
            p.warn, builtin.warn,
            "keys the overlay leaves alone are kept"
        );
        assert_eq!(p.signals["claims_authority"].weight, 7.5);
        assert_eq!(
            p.signals["claims_authority"].group,
            builtin.signals["claims_authority"].group
        );
        assert!(!p
            .rules
            .iter()
            .any(|r| r.name == "claimed_body_asks_never_do"));
        assert_eq!(p.rules.len(), builtin.rules.len());
        let added = p.rules.last().unwrap();
        assert_eq!(added.name, "no_transfers_to_new_payees_on_calls");
        let e = added.explanation.as_ref().unwrap();
        assert!(e.get(Locale::En).unwrap().starts_with("A transfer"));
        assert_eq!(e.get(Locale::ZhHant), None, "the catalog converts it");
        // The same document, printed and read back, is the same policy.
        let (table, name) = effective(None, Some((local, "local.toml"))).unwrap();
        assert_eq!(name, "built-in policy with local.toml");
        let again = Policy::from_toml(&toml::to_string(&table).unwrap(), "effective").unwrap();
        assert_eq!(again, p);
    }

    #[test]
    fn overlay_and_explanation_problems_are_reported_together() {
        let local = r#"
            [[rules]]
            name = "nothing_here"
            enabled = false
        "#;
        let err = Policy::layered(None, Some((local, "local.toml"))).unwrap_err();
        assert_eq!(err.source_name, "local.toml");
        assert_eq!(
            err.problems,
            ["rules (nothing_here).enabled: false, but the policy has no such entry to turn off"]
        );
        let local = r#"
            [[rules]]
            name = "mine"
            when = "claims_authorty"
            action = "block"
            explanation = { fr = "Non.", en = "Use {name} here." }
            [[rules]]
            name = "mine"
            when = "in_contacts"
            action = "allow"
            explanation = {}
        "#;
        let err = Policy::from_toml(&format!("{SMALL}{local}"), "p.toml").unwrap_err();
        assert_eq!(
            err.problems,
            [
                "rules[2] (mine): duplicate; an entry's key names it in overlays, so give each once",
                "rules[1] (mine).explanation.en: a rule's sentence takes no placeholders",
                "rules[1] (mine).explanation.fr: unknown locale; expected \"zh-Hans\", \"zh-Hant\" or \"en\"",
                "rules[1] (mine).when: unknown signal code \"claims_authorty\" (did you mean \"claims_authority\"?)",
                "rules[2] (mine).explanation: give a sentence for at least one of \"zh-Hans\", \"zh-Hant\", \"en\"",
            ]
        );
    }

    #[test]
    fn syntax_errors_are_reported() {
        let err = Policy::from_toml("[thresholds\nwarn=1", "x.toml").unwrap_err();
        assert_eq!(err.problems.len(), 1);
        let err =
            Policy::from_toml("[thresholds]\nwarn=1\nblock=2\n[surprise]\n", "x.toml").unwrap_err();
        assert!(err.problems[0].contains("surprise"), "{:?}", err.problems);
    }
}
