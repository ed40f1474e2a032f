//! Explanations: what is wrong and what to do, in the user's language.
//!
//! Sentences come from `data/messages.toml`, one table per locale, keyed by action, signal
//! code, rule name and directive code. An explanation is short on purpose: a headline, the
//! reason (the strongest rule, or the strongest signals), and what to do now.

use crate::event::Locale;
use crate::verdict::{Action, Directive};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The message catalog compiled into the engine.
pub const BUILTIN: &str = include_str!("../data/messages.toml");

/// Sentences for one locale.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sentences {
    /// Headline per action: `allow`, `warn`, `block`.
    pub actions: BTreeMap<String, String>,
    /// Caller labels: `verified` and `unverified`, with `{name}`.
    pub labels: BTreeMap<String, String>,
    /// One sentence per signal code, with `{evidence}`.
    pub signals: BTreeMap<String, String>,
    /// One sentence per rule name.
    pub rules: BTreeMap<String, String>,
    /// Advice per directive code, with `{name}`, `{number}`, `{minutes}`.
    pub directives: BTreeMap<String, String>,
}

/// The message catalog.
#[derive(Debug, Clone, Deserialize)]
pub struct Catalog {
    #[serde(rename = "zh-Hans")]
    zh_hans: Sentences,
    #[serde(rename = "zh-Hant")]
    zh_hant: Sentences,
    en: Sentences,
}

/// What an explanation is built from.
#[derive(Debug, Clone)]
pub struct ExplainInput<'a> {
    /// The verdict's action.
    pub action: Action,
    /// Rules that fired, strongest first.
    pub rules: &'a [String],
    /// Positive signals with their first evidence, strongest first.
    pub signals: &'a [(String, String)],
    /// The directives issued.
    pub directives: &'a [Directive],
    /// Name of the claimed identity in this locale.
    pub claimed_name: Option<&'a str>,
    /// Name verified by a trusted source.
    pub verified_name: Option<&'a str>,
}

impl Catalog {
    /// The built-in catalog.
    pub fn builtin() -> Catalog {
        Catalog::from_toml(BUILTIN).expect("the built-in message catalog is valid (tested)")
    }

    /// Parses a catalog.
    pub fn from_toml(text: &str) -> Result<Catalog, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// The sentences for `locale`.
    pub fn sentences(&self, locale: Locale) -> &Sentences {
        match locale {
            Locale::ZhHans => &self.zh_hans,
            Locale::ZhHant => &self.zh_hant,
            Locale::En => &self.en,
        }
    }

    /// The label for a caller.
    pub fn label(&self, locale: Locale, name: &str, verified: bool) -> String {
        let s = self.sentences(locale);
        let key = if verified { "verified" } else { "unverified" };
        fill(
            s.labels.get(key).map_or("{name}", String::as_str),
            &[("name", name)],
        )
    }

    /// Writes the explanation.
    pub fn explain(&self, locale: Locale, input: &ExplainInput<'_>) -> String {
        let s = self.sentences(locale);
        let name = input.claimed_name.unwrap_or("");
        let mut parts: Vec<String> = Vec::new();
        if let Some(h) = s.actions.get(input.action.as_str()) {
            parts.push(fill(h, &[("name", name)]));
        }
        if input.action == Action::Allow {
            if let Some(v) = input.verified_name {
                parts.push(self.label(locale, v, true));
            }
            return join(locale, &parts);
        }
        let mut reasons = 0;
        if let Some(rule) = input.rules.first() {
            if let Some(t) = s.rules.get(rule) {
                parts.push(fill(t, &[("name", name)]));
                reasons += 1;
            }
        }
        for (code, evidence) in input.signals {
            if reasons >= 3 {
                break;
            }
            if let Some(t) = s.signals.get(code) {
                let line = fill(t, &[("evidence", evidence), ("name", name)]);
                if !parts.contains(&line) {
                    parts.push(line);
                    reasons += 1;
                }
            }
        }
        for d in input.directives {
            if let Some(t) = s.directives.get(d.code()) {
                let line = match d {
                    Directive::OfferOfficialCallback { number, domain, .. } => {
                        let target = number.as_deref().or(domain.as_deref()).unwrap_or("");
                        fill(t, &[("name", name), ("number", target)])
                    }
                    Directive::HoldPayment { minutes } => {
                        fill(t, &[("minutes", &minutes.to_string())])
                    }
                    Directive::LabelCaller { .. } => continue,
                    _ => fill(t, &[("name", name)]),
                };
                parts.push(line);
            }
        }
        join(locale, &parts)
    }
}

fn join(locale: Locale, parts: &[String]) -> String {
    match locale {
        Locale::En => parts.join(" "),
        _ => parts.concat(),
    }
}

fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;
    use crate::signal::codes;

    #[test]
    fn every_locale_covers_every_code_rule_and_directive() {
        let c = Catalog::builtin();
        let p = Policy::builtin();
        for locale in Locale::ALL {
            let s = c.sentences(locale);
            for a in ["allow", "warn", "block"] {
                assert!(s.actions.contains_key(a), "{locale:?} lacks action {a}");
            }
            for l in ["verified", "unverified"] {
                assert!(s.labels.contains_key(l), "{locale:?} lacks label {l}");
            }
            for (code, _) in codes::ALL {
                let priced = p.signals.get(*code).is_some_and(|x| x.weight > 0.0);
                if priced {
                    assert!(
                        s.signals.contains_key(*code),
                        "{locale:?} lacks signal {code}"
                    );
                }
            }
            for key in s.signals.keys() {
                assert!(
                    codes::family(key).is_some(),
                    "{locale:?} explains unknown signal {key}"
                );
            }
            for r in &p.rules {
                assert!(
                    s.rules.contains_key(&r.name),
                    "{locale:?} lacks rule {}",
                    r.name
                );
            }
            for d in Directive::CODES {
                assert!(
                    s.directives.contains_key(*d),
                    "{locale:?} lacks directive {d}"
                );
            }
        }
    }

    #[test]
    fn explanations_fill_placeholders() {
        let c = Catalog::builtin();
        let directives = [Directive::OfferOfficialCallback {
            identity: "cn_police".into(),
            number: Some("110".into()),
            domain: None,
        }];
        for locale in Locale::ALL {
            let text = c.explain(
                locale,
                &ExplainInput {
                    action: Action::Block,
                    rules: &["authority_on_unverified_channel".to_string()],
                    signals: &[("claims_authority".to_string(), "公安局".to_string())],
                    directives: &directives,
                    claimed_name: Some("公安局"),
                    verified_name: None,
                },
            );
            assert!(!text.contains('{'), "{locale:?}: {text}");
            assert!(text.contains("110"), "{locale:?}: {text}");
        }
    }
}
