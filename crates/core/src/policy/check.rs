//! Checking a policy document: one small check per part, each adding every problem it finds
//! (naming the table and key) to one list, so that a policy is reported whole, as Vector's
//! config compiler does. The checks are pure; [`checked`] runs them all and returns the parts
//! of a [`Policy`] only when none found a problem.

use super::expr::{Compiled, Expr};
use super::raw::{RawDirective, RawGroup, RawModifier, RawPolicy, RawRule, RawSignal};
use super::{DirectiveRule, Explanation, Modifier, Policy, Rule, Settings, SignalPrice};
use crate::event::Locale;
use crate::signal::{codes, CodeBits};
use crate::verdict::{Action, Directive, DirectiveCode};
use std::collections::{BTreeMap, HashSet};

/// Runs every check; the policy's parts when all pass (its derived tables are left for
/// `Policy::build` to fill), every problem otherwise.
pub(super) fn checked(raw: RawPolicy) -> Result<Policy, Vec<String>> {
    let mut problems = Vec::new();
    let known = Groups(&raw.groups);
    thresholds(raw.thresholds.warn, raw.thresholds.block, &mut problems);
    let (group_max, group_descriptions) = groups(&raw.groups, &mut problems);
    let signals = signals(&raw.signals, known, &mut problems);
    let rules = rules(&raw.rules, known, &mut problems);
    let directives = directives(&raw.directives, known, &mut problems);
    let modifiers = modifiers(&raw.modifiers, known, &mut problems);
    settings(&raw.settings, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Policy {
        warn: raw.thresholds.warn,
        block: raw.thresholds.block,
        group_max,
        group_descriptions,
        signals,
        rules,
        directives,
        modifiers,
        settings: raw.settings,
        weights: Vec::new(),
        group_of_code: Vec::new(),
        group_names: Vec::new(),
        group_caps: Vec::new(),
    })
}

/// The groups a condition or price may name: the policy's own and the detector families.
#[derive(Clone, Copy)]
struct Groups<'a>(&'a BTreeMap<String, RawGroup>);

impl Groups<'_> {
    fn knows(self, g: &str) -> bool {
        self.0.contains_key(g) || codes::ALL.iter().any(|(_, family)| *family == g)
    }
}

fn thresholds(warn: f64, block: f64, problems: &mut Vec<String>) {
    if !(warn.is_finite() && block.is_finite()) {
        problems.push("thresholds: warn and block must be finite numbers".to_string());
    } else if warn <= 0.0 || block <= warn {
        problems.push(format!(
            "thresholds: need 0 < warn < block, found warn = {warn} and block = {block}"
        ));
    }
}

fn groups(
    raw: &BTreeMap<String, RawGroup>,
    problems: &mut Vec<String>,
) -> (BTreeMap<String, f64>, BTreeMap<String, String>) {
    let mut max = BTreeMap::new();
    let mut descriptions = BTreeMap::new();
    for (name, g) in raw {
        if let Some(m) = g.max {
            if !(m.is_finite() && m > 0.0) {
                problems.push(format!(
                    "groups.{name}.max: must be a positive number, found {m}"
                ));
            }
            max.insert(name.clone(), m);
        }
        descriptions.insert(name.clone(), g.description.clone());
    }
    (max, descriptions)
}

fn signals(
    raw: &BTreeMap<String, RawSignal>,
    known: Groups<'_>,
    problems: &mut Vec<String>,
) -> BTreeMap<String, SignalPrice> {
    let mut prices = BTreeMap::new();
    for (code, s) in raw {
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
        if !known.knows(&group) {
            problems.push(format!(
                "signals.{code}.group: unknown group {group:?}; declare it under [groups.{group}]"
            ));
        }
        prices.insert(
            code.clone(),
            SignalPrice {
                weight: s.weight,
                group,
                description: s.description.clone(),
            },
        );
    }
    prices
}

/// Names a list entry in problems: `rules[3] (name)`.
fn entry(list: &str, i: usize, name: &str) -> String {
    format!("{list}[{i}] ({name})")
}

/// Each entry's key must be unique: overlays replace entries by it.
fn unique<'a>(list: &str, keys: impl Iterator<Item = &'a str>, problems: &mut Vec<String>) {
    let mut seen = HashSet::new();
    for (i, key) in keys.enumerate() {
        if !seen.insert(key) {
            problems.push(format!(
                "{}: duplicate; an entry's key names it in overlays, so give each once",
                entry(list, i, key)
            ));
        }
    }
}

fn rules(raw: &[RawRule], known: Groups<'_>, problems: &mut Vec<String>) -> Vec<Rule> {
    unique("rules", raw.iter().map(|r| r.name.as_str()), problems);
    let mut rules = Vec::with_capacity(raw.len());
    for (i, r) in raw.iter().enumerate() {
        let what = entry("rules", i, &r.name);
        if r.name.is_empty()
            || !r
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            problems.push(format!("{what}.name: must be snake_case"));
        }
        let action = action(&what, "action", Some(&r.action), problems);
        let explanation = explanation(&what, r.explanation.as_ref(), problems);
        if let (Some(when), Some(action), Some(explanation)) = (
            condition(&what, &r.when, known, problems),
            action,
            explanation,
        ) {
            rules.push(Rule {
                name: r.name.clone(),
                when,
                compiled: Compiled::Any(CodeBits::default()),
                action,
                description: r.description.clone(),
                explanation,
            });
        }
    }
    rules
}

fn directives(
    raw: &[RawDirective],
    known: Groups<'_>,
    problems: &mut Vec<String>,
) -> Vec<DirectiveRule> {
    unique(
        "directives",
        raw.iter().map(|d| d.directive.as_str()),
        problems,
    );
    let mut out = Vec::with_capacity(raw.len());
    for (i, d) in raw.iter().enumerate() {
        let what = entry("directives", i, &d.directive);
        let code = DirectiveCode::parse(&d.directive);
        if code.is_none() {
            problems.push(format!(
                "{what}.directive: unknown directive; expected one of {}",
                Directive::CODES.join(", ")
            ));
        }
        let min_action = match d.min_action.as_deref() {
            None => Some(Action::Allow),
            given => action(&what, "min_action", given, problems),
        };
        if let (Some(when), Some(min_action), Some(directive)) =
            (condition(&what, &d.when, known, problems), min_action, code)
        {
            out.push(DirectiveRule {
                directive,
                when,
                compiled: Compiled::Any(CodeBits::default()),
                min_action,
            });
        }
    }
    out
}

fn modifiers(raw: &[RawModifier], known: Groups<'_>, problems: &mut Vec<String>) -> Vec<Modifier> {
    unique("modifiers", raw.iter().map(|m| m.name.as_str()), problems);
    let mut out = Vec::with_capacity(raw.len());
    for (i, m) in raw.iter().enumerate() {
        let what = entry("modifiers", i, &m.name);
        if !(m.factor.is_finite() && (0.0..=1.0).contains(&m.factor)) {
            problems.push(format!(
                "{what}.factor: must be between 0 and 1, found {}",
                m.factor
            ));
        }
        for g in &m.groups {
            if !known.knows(g) {
                problems.push(format!("{what}.groups: unknown group {g:?}"));
            }
        }
        let max_action = match m.max_action.as_deref() {
            None => Some(None),
            given => action(&what, "max_action", given, problems).map(Some),
        };
        if let (Some(when), Some(max_action)) =
            (condition(&what, &m.when, known, problems), max_action)
        {
            out.push(Modifier {
                name: m.name.clone(),
                when,
                compiled: Compiled::Any(CodeBits::default()),
                groups: m.groups.clone(),
                factor: m.factor,
                max_action,
            });
        }
    }
    out
}

fn settings(st: &Settings, problems: &mut Vec<String>) {
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
    if st.reputation_min_reporters == 0 {
        problems.push("settings.reputation_min_reporters: must be at least 1, found 0".into());
    }
    if !(1..=3650).contains(&st.reputation_window_days) {
        problems.push(format!(
            "settings.reputation_window_days: must be between 1 and 3650, found {}",
            st.reputation_window_days
        ));
    }
    if !(st.common_allowed_share.is_finite() && (0.0..=1.0).contains(&st.common_allowed_share)) {
        problems.push(format!(
            "settings.common_allowed_share: must be between 0 and 1, found {}",
            st.common_allowed_share
        ));
    }
    if !(st.large_payment.is_finite() && st.large_payment > 0.0) {
        problems.push(format!(
            "settings.large_payment: must be a positive number, found {}",
            st.large_payment
        ));
    }
}

fn action(
    what: &str,
    key: &str,
    given: Option<&str>,
    problems: &mut Vec<String>,
) -> Option<Action> {
    let given = given.unwrap_or_default();
    let a = Action::parse(given);
    if a.is_none() {
        problems.push(format!(
            "{what}.{key}: expected \"allow\", \"warn\" or \"block\", found {given:?}"
        ));
    }
    a
}

/// Parses a condition and checks that every signal and group it names exists.
fn condition(
    what: &str,
    text: &str,
    known: Groups<'_>,
    problems: &mut Vec<String>,
) -> Option<Expr> {
    let e = match Expr::parse(text) {
        Ok(e) => e,
        Err(msg) => {
            problems.push(format!("{what}.when: {msg} in {:?}", abridged(text)));
            return None;
        }
    };
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
        if !known.knows(&g) {
            problems.push(format!("{what}.when: unknown group \"g:{g}\""));
        }
    }
    Some(e)
}

/// Longest rule sentence, in characters: a sentence, not an essay.
const MAX_SENTENCE_CHARS: usize = 300;

/// A rule's own sentences: keys are locale tags, values plain sentences (no placeholders).
/// `Some(None)` when the rule has none.
fn explanation(
    what: &str,
    raw: Option<&BTreeMap<String, String>>,
    problems: &mut Vec<String>,
) -> Option<Option<Explanation>> {
    let Some(raw) = raw else {
        return Some(None);
    };
    let before = problems.len();
    let mut out = Explanation::default();
    for (tag, sentence) in raw {
        let key = format!("{what}.explanation.{tag}");
        let Some(locale) = Locale::ALL.into_iter().find(|l| l.as_str() == tag) else {
            problems.push(format!(
                "{key}: unknown locale; expected \"zh-Hans\", \"zh-Hant\" or \"en\""
            ));
            continue;
        };
        let n = sentence.chars().count();
        if sentence.trim().is_empty() {
            problems.push(format!("{key}: must not be empty"));
        } else if n > MAX_SENTENCE_CHARS {
            problems.push(format!(
                "{key}: {n} characters; at most {MAX_SENTENCE_CHARS} are accepted"
            ));
        } else if sentence.contains(['{', '}']) {
            problems.push(format!("{key}: a rule's sentence takes no placeholders"));
        }
        out.set(locale, sentence.trim().to_string());
    }
    if raw.is_empty() {
        problems.push(format!(
            "{what}.explanation: give a sentence for at least one of \"zh-Hans\", \"zh-Hant\", \"en\""
        ));
    }
    (problems.len() == before).then_some(Some(out))
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
