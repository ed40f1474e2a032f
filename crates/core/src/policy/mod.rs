//! Policy: the price of each signal, the thresholds, and the hard rules.
//!
//! Detectors report; the policy decides. A policy is a TOML document (the default one is
//! `data/policy.toml`, compiled in; `--policy FILE` replaces it):
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
//!
//! [[directives]]
//! directive = "deny_screen_share"
//! when = "screen_share_requested | remote_control_requested"
//! min_action = "warn"
//! ```
//!
//! Loading validates everything at once and reports every problem, not just the first.

pub mod expr;

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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    thresholds: RawThresholds,
    #[serde(default)]
    groups: BTreeMap<String, RawGroup>,
    #[serde(default)]
    signals: BTreeMap<String, RawSignal>,
    #[serde(default)]
    rules: Vec<RawRule>,
    #[serde(default)]
    directives: Vec<RawDirective>,
    #[serde(default)]
    modifiers: Vec<RawModifier>,
    #[serde(default)]
    settings: Settings,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModifier {
    name: String,
    when: String,
    groups: Vec<String>,
    factor: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThresholds {
    warn: f64,
    block: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    max: Option<f64>,
    #[serde(default)]
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSignal {
    weight: f64,
    group: Option<String>,
    #[serde(default)]
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    name: String,
    when: String,
    action: String,
    #[serde(default)]
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDirective {
    directive: String,
    when: String,
    min_action: Option<String>,
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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            hold_payment_minutes: 30,
            model_scam_min: 0.5,
            model_spam_min: 0.5,
            large_payment: 5000.0,
            token_freshness_secs: 60,
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

/// Scales the positive weights of some groups while a condition holds: script hits from a
/// contact count for less than the same words from a stranger.
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
        let fail = |problems: Vec<String>| PolicyError {
            source_name: source_name.to_string(),
            problems,
        };
        let raw: RawPolicy =
            toml::from_str(text).map_err(|e| fail(vec![e.to_string().trim().to_string()]))?;
        let mut problems = Vec::new();

        if !(raw.thresholds.warn.is_finite() && raw.thresholds.block.is_finite()) {
            problems.push("thresholds: warn and block must be finite numbers".to_string());
        } else if raw.thresholds.warn <= 0.0 || raw.thresholds.block <= raw.thresholds.warn {
            problems.push(format!(
                "thresholds: need 0 < warn < block, found warn = {} and block = {}",
                raw.thresholds.warn, raw.thresholds.block
            ));
        }

        let families: Vec<&str> = codes::ALL.iter().map(|(_, g)| *g).collect();
        let mut group_max = BTreeMap::new();
        let mut group_descriptions = BTreeMap::new();
        for (name, g) in &raw.groups {
            if let Some(m) = g.max {
                if !(m.is_finite() && m > 0.0) {
                    problems.push(format!(
                        "groups.{name}.max: must be a positive number, found {m}"
                    ));
                }
                group_max.insert(name.clone(), m);
            }
            group_descriptions.insert(name.clone(), g.description.clone());
        }
        let known_group = |g: &str| raw.groups.contains_key(g) || families.contains(&g);

        let mut signals = BTreeMap::new();
        for (code, s) in &raw.signals {
            let Some(family) = codes::family(code) else {
                problems.push(format!(
                    "signals.{code}: unknown signal code{}",
                    suggest(code)
                ));
                continue;
            };
            if !s.weight.is_finite() {
                problems.push(format!("signals.{code}.weight: must be a finite number"));
            }
            let group = s.group.clone().unwrap_or_else(|| family.to_string());
            if !known_group(&group) {
                problems.push(format!("signals.{code}.group: unknown group {group:?}; declare it under [groups.{group}]"));
            }
            signals.insert(
                code.clone(),
                SignalPrice {
                    weight: s.weight,
                    group,
                    description: s.description.clone(),
                },
            );
        }

        let check_expr = |what: &str, text: &str, problems: &mut Vec<String>| -> Option<Expr> {
            match Expr::parse(text) {
                Ok(e) => {
                    let (mut sigs, mut groups) = (Vec::new(), Vec::new());
                    e.names(&mut sigs, &mut groups);
                    for s in sigs {
                        if codes::family(&s).is_none() {
                            problems.push(format!(
                                "{what}.when: unknown signal code {s:?}{}",
                                suggest(&s)
                            ));
                        }
                    }
                    for g in groups {
                        if !known_group(&g) {
                            problems.push(format!("{what}.when: unknown group \"g:{g}\""));
                        }
                    }
                    Some(e)
                }
                Err(msg) => {
                    problems.push(format!("{what}.when: {msg} in {:?}", abridged(text)));
                    None
                }
            }
        };

        let mut rules = Vec::new();
        let mut names = std::collections::HashSet::new();
        for (i, r) in raw.rules.iter().enumerate() {
            let what = format!("rules[{i}] ({})", r.name);
            if r.name.is_empty()
                || !r
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                problems.push(format!("{what}.name: must be snake_case"));
            }
            if !names.insert(r.name.clone()) {
                problems.push(format!("{what}.name: duplicate rule name"));
            }
            let action = Action::parse(&r.action);
            if action.is_none() {
                problems.push(format!(
                    "{what}.action: expected \"allow\", \"warn\" or \"block\", found {:?}",
                    r.action
                ));
            }
            if let (Some(when), Some(action)) = (check_expr(&what, &r.when, &mut problems), action)
            {
                rules.push(Rule {
                    name: r.name.clone(),
                    when,
                    compiled: Compiled::Any(CodeBits::default()),
                    action,
                    description: r.description.clone(),
                });
            }
        }

        let mut directives = Vec::new();
        for (i, d) in raw.directives.iter().enumerate() {
            let what = format!("directives[{i}] ({})", d.directive);
            let code = DirectiveCode::parse(&d.directive);
            if code.is_none() {
                problems.push(format!(
                    "{what}.directive: unknown directive; expected one of {}",
                    crate::Directive::CODES.join(", ")
                ));
            }
            let min_action = match d.min_action.as_deref() {
                None => Some(Action::Allow),
                Some(s) => {
                    let a = Action::parse(s);
                    if a.is_none() {
                        problems.push(format!("{what}.min_action: expected \"allow\", \"warn\" or \"block\", found {s:?}"));
                    }
                    a
                }
            };
            if let (Some(when), Some(min_action), Some(directive)) =
                (check_expr(&what, &d.when, &mut problems), min_action, code)
            {
                directives.push(DirectiveRule {
                    directive,
                    when,
                    compiled: Compiled::Any(CodeBits::default()),
                    min_action,
                });
            }
        }

        let mut modifiers = Vec::new();
        for (i, m) in raw.modifiers.iter().enumerate() {
            let what = format!("modifiers[{i}] ({})", m.name);
            if !(m.factor.is_finite() && (0.0..=1.0).contains(&m.factor)) {
                problems.push(format!(
                    "{what}.factor: must be between 0 and 1, found {}",
                    m.factor
                ));
            }
            for g in &m.groups {
                if !known_group(g) {
                    problems.push(format!("{what}.groups: unknown group {g:?}"));
                }
            }
            if let Some(when) = check_expr(&what, &m.when, &mut problems) {
                modifiers.push(Modifier {
                    name: m.name.clone(),
                    when,
                    compiled: Compiled::Any(CodeBits::default()),
                    groups: m.groups.clone(),
                    factor: m.factor,
                });
            }
        }

        let st = &raw.settings;
        for (name, v) in [
            ("model_scam_min", st.model_scam_min),
            ("model_spam_min", st.model_spam_min),
        ] {
            if !(0.0..=1.0).contains(&v) {
                problems.push(format!(
                    "settings.{name}: must be between 0 and 1, found {v}"
                ));
            }
        }
        if st.token_freshness_secs <= 0 {
            problems.push(format!(
                "settings.token_freshness_secs: must be positive, found {}",
                st.token_freshness_secs
            ));
        }
        if !(st.large_payment.is_finite() && st.large_payment > 0.0) {
            problems.push(format!(
                "settings.large_payment: must be a positive number, found {}",
                st.large_payment
            ));
        }

        if !problems.is_empty() {
            return Err(fail(problems));
        }
        // Resolve groups: every code belongs to its priced group or, unpriced, its family.
        let mut group_names: Vec<String> = Vec::new();
        let mut group_of_code = Vec::with_capacity(codes::ALL.len());
        for (code, family) in codes::ALL {
            let g = signals
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
        let group_caps = group_names
            .iter()
            .map(|g| group_max.get(g).copied())
            .collect();
        let weights = codes::ALL
            .iter()
            .map(|(c, _)| signals.get(*c).map_or(0.0, |p| p.weight))
            .collect();
        let mut policy = Policy {
            warn: raw.thresholds.warn,
            block: raw.thresholds.block,
            group_max,
            group_descriptions,
            signals,
            rules,
            directives,
            modifiers,
            settings: raw.settings,
            weights,
            group_of_code,
            group_names,
            group_caps,
        };
        policy.compile_conditions();
        Ok(policy)
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
        for m in self.modifiers.iter().filter(|m| m.compiled.eval(&present)) {
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
        };
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

/// A condition as quoted in an error: whole when short, its start when long.
fn abridged(text: &str) -> String {
    const SHOWN: usize = 80;
    match text.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}… ({} bytes)", &text[..cut], text.len()),
        None => text.to_string(),
    }
}

fn suggest(code: &str) -> String {
    let best = codes::ALL
        .iter()
        .map(|(c, _)| (strsim_distance(code, c), *c))
        .min_by_key(|(d, _)| *d);
    match best {
        Some((d, c)) if d <= 3 => format!(" (did you mean {c:?}?)"),
        _ => String::new(),
    }
}

/// Levenshtein distance, for "did you mean" hints.
fn strsim_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
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
    fn syntax_errors_are_reported() {
        let err = Policy::from_toml("[thresholds\nwarn=1", "x.toml").unwrap_err();
        assert_eq!(err.problems.len(), 1);
        let err =
            Policy::from_toml("[thresholds]\nwarn=1\nblock=2\n[surprise]\n", "x.toml").unwrap_err();
        assert!(err.problems[0].contains("surprise"), "{:?}", err.problems);
    }
}
