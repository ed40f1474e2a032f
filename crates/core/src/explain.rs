//! Explanations: what is wrong and what to do, in the user's language.
//!
//! Sentences come from `data/messages.toml`, one table per locale, keyed by action, signal
//! code, rule name and directive code. A sentence names what a finding is about through typed
//! placeholders (a domain, a name, a number, an app: see [`Params`]), filled in per locale; the
//! analysts' evidence never reaches the user. A template may be a list of variants, tried in
//! order: the first whose placeholders are all known is used, so that a sentence without a
//! placeholder is always the last resort. Calls, messages and link scans are worded apart
//! where they differ (you cannot hang up a message), in the optional `call`, `message` and
//! `link` tables of a locale.
//!
//! A verdict reads as a headline (a few words for a banner: [`HEADLINE_LIMIT_ZH`] characters in
//! Chinese, [`HEADLINE_LIMIT_EN`] in English) and an explanation: the action, the reason (the
//! strongest rule, then the strongest signals), and what to do now.

use crate::event::{Channel, Locale};
use crate::signal::{codes, ParamValue, Params};
use crate::verdict::{Action, Directive};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The message catalog compiled into the engine.
pub const BUILTIN: &str = include_str!("../data/messages.toml");

/// Most characters of a Chinese headline.
pub const HEADLINE_LIMIT_ZH: usize = 24;
/// Most characters of an English headline.
pub const HEADLINE_LIMIT_EN: usize = 80;

/// Most reasons (a rule and signals) an explanation gives.
const MAX_REASONS: usize = 3;

/// What the user is reading about: the wording differs between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Medium {
    /// A call in progress or just ended.
    Call,
    /// A message or a conversation thread.
    Message,
    /// A link judged on its own.
    Link,
}

impl Medium {
    /// Every medium.
    pub const ALL: [Medium; 3] = [Medium::Call, Medium::Message, Medium::Link];

    /// The medium of a session's channel.
    pub fn of(channel: Channel) -> Medium {
        if channel.is_call() {
            Medium::Call
        } else {
            Medium::Message
        }
    }
}

/// One template, or variants tried in order (see the module comment).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Template {
    /// A single sentence.
    One(String),
    /// Variants, most specific first.
    Variants(Vec<String>),
}

impl Template {
    /// The variants, most specific first.
    pub fn variants(&self) -> &[String] {
        match self {
            Template::One(s) => std::slice::from_ref(s),
            Template::Variants(v) => v,
        }
    }
}

/// Sentences for one locale, or the part of them that one medium words differently.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sentences {
    /// The first sentence per action: `allow`, `warn`, `block`.
    #[serde(default)]
    pub actions: BTreeMap<String, Template>,
    /// Headlines: per action (`allow`, `warn`, `block`), `allow_verified` with `{name}`,
    /// `warn_claim` and `block_claim` with `{claimed}`, `warn_rule` and `block_rule` with
    /// `{what}`.
    #[serde(default)]
    pub headlines: BTreeMap<String, Template>,
    /// What a rule is about, for `warn_rule` and `block_rule` headlines (optional per rule).
    #[serde(default)]
    pub rule_headlines: BTreeMap<String, String>,
    /// Caller labels: `verified` and `unverified`, with `{name}`.
    #[serde(default)]
    pub labels: BTreeMap<String, Template>,
    /// One sentence per signal code, with the placeholders of [`Params`].
    #[serde(default)]
    pub signals: BTreeMap<String, Template>,
    /// One sentence per rule name, and optionally per rule and claimed category
    /// ("authority_on_unverified_channel.regulator"), which is preferred when it applies.
    #[serde(default)]
    pub rules: BTreeMap<String, Template>,
    /// Advice per directive code, with `{number}`, `{domain}`, `{minutes}`; `hide_otp.while_sharing`
    /// replaces `hide_otp` when no passcode is in play, only a shared screen.
    #[serde(default)]
    pub directives: BTreeMap<String, Template>,
    /// A protected identity's category as a headline names it ("公安", "the police").
    #[serde(default)]
    pub categories: BTreeMap<String, String>,
    /// Disguises of a name, by [`crate::signal::DisguiseKind`] code.
    #[serde(default)]
    pub disguises: BTreeMap<String, String>,
    /// Refused signatures, by [`crate::signal::TokenProblem`] code.
    #[serde(default)]
    pub problems: BTreeMap<String, String>,
    /// Countries and regions by calling code.
    #[serde(default)]
    pub countries: BTreeMap<String, String>,
    /// Sums of money by ISO 4217 code, with `{value}`.
    #[serde(default)]
    pub currencies: BTreeMap<String, String>,
    /// Wording for calls, where it differs.
    #[serde(default)]
    pub call: Option<Box<Sentences>>,
    /// Wording for messages, where it differs.
    #[serde(default)]
    pub message: Option<Box<Sentences>>,
    /// Wording for a link judged on its own, where it differs.
    #[serde(default)]
    pub link: Option<Box<Sentences>>,
}

impl Sentences {
    /// The overrides for `medium`, if any.
    pub fn for_medium(&self, medium: Medium) -> Option<&Sentences> {
        match medium {
            Medium::Call => self.call.as_deref(),
            Medium::Message => self.message.as_deref(),
            Medium::Link => self.link.as_deref(),
        }
    }
}

/// The tables of [`Sentences`] that hold templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// `actions`
    Actions,
    /// `headlines`
    Headlines,
    /// `labels`
    Labels,
    /// `signals`
    Signals,
    /// `rules`
    Rules,
    /// `directives`
    Directives,
}

impl Table {
    fn of(self, s: &Sentences) -> &BTreeMap<String, Template> {
        match self {
            Table::Actions => &s.actions,
            Table::Headlines => &s.headlines,
            Table::Labels => &s.labels,
            Table::Signals => &s.signals,
            Table::Rules => &s.rules,
            Table::Directives => &s.directives,
        }
    }
}

/// The message catalog.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    #[serde(rename = "zh-Hans")]
    zh_hans: Sentences,
    #[serde(rename = "zh-Hant")]
    zh_hant: Sentences,
    en: Sentences,
}

/// The protected identity a verdict is about, as the headline names it.
#[derive(Debug, Clone, Copy)]
pub struct Claimed<'a> {
    /// Its name in the verdict's locale.
    pub name: &'a str,
    /// Its category (police, bank, ...).
    pub category: &'a str,
    /// Whether it is named by its category (authorities, generic roles) rather than its name
    /// (a bank, a platform).
    pub by_category: bool,
    /// Whether the caller is verified as this very identity: then the claim is true, and
    /// neither a sentence nor the headline calls it unverified or an impersonation.
    pub verified: bool,
}

/// Signals whose sentence says a claim is unverified.
const CLAIM_SIGNALS: [&str; 3] = [
    codes::CLAIMS_AUTHORITY,
    codes::CLAIMS_ORGANISATION,
    codes::CLAIMS_SERVICE_ROLE,
];

/// Signals that put a passcode in play: asked for, received during the call or told.
const OTP_SIGNALS: [&str; 4] = [
    codes::OTP_DURING_CALL,
    codes::OTP_WHILE_SHARING,
    codes::OTP_DISCLOSED,
    codes::SCRIPT_CREDENTIAL_ASK,
];

/// What an explanation is built from.
#[derive(Debug, Clone)]
pub struct ExplainInput<'a> {
    /// The verdict's action.
    pub action: Action,
    /// What the user is reading about.
    pub medium: Medium,
    /// Rules that fired, strongest first.
    pub rules: &'a [String],
    /// Positive signals with what they are about, strongest first.
    pub signals: &'a [(&'a str, &'a Params)],
    /// The directives issued.
    pub directives: &'a [Directive],
    /// The claimed identity.
    pub claimed: Option<Claimed<'a>>,
    /// Name verified by a trusted source.
    pub verified_name: Option<&'a str>,
}

/// Placeholder values of one sentence.
type Values<'a> = Vec<(&'static str, Cow<'a, str>)>;

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

    /// The template for `key` in `table`, worded for `medium` where the locale does so.
    pub fn template(
        &self,
        locale: Locale,
        medium: Medium,
        table: Table,
        key: &str,
    ) -> Option<&Template> {
        let s = self.sentences(locale);
        s.for_medium(medium)
            .and_then(|m| table.of(m).get(key))
            .or_else(|| table.of(s).get(key))
    }

    /// A sentence for a reference table (the README's codes): the last, placeholder-free
    /// variant of `key`, or the first with its placeholders shown as "…".
    pub fn describe(&self, locale: Locale, table: Table, key: &str) -> Option<String> {
        let t = table.of(self.sentences(locale)).get(key)?;
        let plain = t
            .variants()
            .iter()
            .find(|v| placeholders(v).next().is_none());
        Some(match plain {
            Some(p) => p.clone(),
            None => {
                let first = t.variants().first()?;
                let blanks: Vec<(&str, &str)> = placeholders(first).map(|p| (p, "…")).collect();
                fill(first, &blanks)
            }
        })
    }

    /// The label for a caller.
    pub fn label(&self, locale: Locale, name: &str, verified: bool) -> String {
        let key = if verified { "verified" } else { "unverified" };
        self.render(
            locale,
            Medium::Call,
            Table::Labels,
            key,
            &[("name", Cow::Borrowed(name))],
        )
        .unwrap_or_else(|| name.to_string())
    }

    /// The sentence for one signal, or `None` when the catalog has none for it.
    pub fn signal_sentence(
        &self,
        locale: Locale,
        medium: Medium,
        code: &str,
        params: &Params,
    ) -> Option<String> {
        let values = self.values(locale, params);
        self.render(locale, medium, Table::Signals, code, &values)
    }

    /// The text a placeholder of `params` shows in `locale`, for each placeholder that can be
    /// shown there (a lexicon phrase in another script cannot).
    pub fn values<'a>(&'a self, locale: Locale, params: &'a Params) -> Values<'a> {
        let s = self.sentences(locale);
        params
            .each()
            .filter_map(|(key, v)| {
                let text: Cow<'a, str> = match v {
                    ParamValue::Text(t) => Cow::Borrowed(t),
                    ParamValue::Phrase(p) => phrase_in(locale, p)?,
                    ParamValue::Country(code) => match s.countries.get(code) {
                        Some(name) => Cow::Borrowed(name.as_str()),
                        None => Cow::Owned(format!("+{code}")),
                    },
                    ParamValue::Disguise(d) => Cow::Borrowed(s.disguises.get(d.as_str())?),
                    ParamValue::Problem(p) => Cow::Borrowed(s.problems.get(p.as_str())?),
                    ParamValue::Amount(m) => {
                        Cow::Owned(money(s, locale, m.value, m.currency.as_deref()))
                    }
                };
                Some((key, text))
            })
            .collect()
    }

    /// Fills the first variant of `key` whose placeholders `values` all provide.
    fn render(
        &self,
        locale: Locale,
        medium: Medium,
        table: Table,
        key: &str,
        values: &[(&str, Cow<'_, str>)],
    ) -> Option<String> {
        let t = self.template(locale, medium, table, key)?;
        let known = |p: &str| values.iter().any(|(k, v)| *k == p && !v.is_empty());
        let variant = t.variants().iter().find(|v| placeholders(v).all(known))?;
        let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_ref())).collect();
        Some(fill(variant, &pairs)).filter(|s| !s.is_empty())
    }

    /// The headline: a few words for a banner, within [`headline_limit`].
    pub fn headline(&self, locale: Locale, input: &ExplainInput<'_>) -> String {
        let limit = headline_limit(locale);
        let fits = |s: &String| s.chars().count() <= limit;
        let action = input.action.as_str();
        let render = |key: &str, values: &[(&str, Cow<'_, str>)]| {
            self.render(locale, input.medium, Table::Headlines, key, values)
                .filter(fits)
        };
        let s = self.sentences(locale);
        let mut candidates: Vec<Option<String>> = Vec::with_capacity(3);
        if input.action == Action::Allow {
            if let Some(v) = input.verified_name {
                candidates.push(render("allow_verified", &[("name", Cow::Borrowed(v))]));
            }
        } else {
            if let Some(what) = input.rules.first().and_then(|r| s.rule_headlines.get(r)) {
                let key = format!("{action}_rule");
                candidates.push(render(&key, &[("what", Cow::Borrowed(what))]));
            }
            if let Some(c) = input.claimed.filter(|c| !c.verified) {
                let who = if c.by_category {
                    s.categories.get(c.category).map(String::as_str)
                } else {
                    Some(c.name)
                };
                if let Some(who) = who {
                    let key = format!("{action}_claim");
                    candidates.push(render(&key, &[("claimed", Cow::Borrowed(who))]));
                }
            }
        }
        candidates
            .into_iter()
            .flatten()
            .next()
            .or_else(|| render(action, &[]))
            .unwrap_or_default()
    }

    /// Writes the explanation.
    pub fn explain(&self, locale: Locale, input: &ExplainInput<'_>) -> String {
        let medium = input.medium;
        let mut parts: Vec<String> = Vec::new();
        if let Some(h) = self.render(locale, medium, Table::Actions, input.action.as_str(), &[]) {
            parts.push(h);
        }
        if input.action == Action::Allow {
            if let Some(v) = input.verified_name {
                parts.push(self.label(locale, v, true));
            }
            return join(locale, &parts);
        }
        let mut reasons = 0;
        if let Some(rule) = input.rules.first() {
            // A rule may say it in the claimed organisation's own words ("rule.category"): a
            // fake credit-record centre is not explained with what the police never do.
            let own = input.claimed.filter(|c| !c.verified).and_then(|c| {
                let key = format!("{rule}.{}", c.category);
                self.render(locale, medium, Table::Rules, &key, &[])
            });
            if let Some(t) = own.or_else(|| self.render(locale, medium, Table::Rules, rule, &[])) {
                parts.push(t);
                reasons += 1;
            }
        }
        let claim_verified = input.claimed.is_some_and(|c| c.verified);
        for (code, params) in input.signals {
            if reasons >= MAX_REASONS {
                break;
            }
            if claim_verified && CLAIM_SIGNALS.contains(code) {
                continue;
            }
            if let Some(line) = self.signal_sentence(locale, medium, code, params) {
                if !parts.contains(&line) {
                    parts.push(line);
                    reasons += 1;
                }
            }
        }
        for d in input.directives {
            let values: Values<'_> = match d {
                Directive::OfferOfficialCallback { number, domain, .. } => [
                    number.as_deref().map(|n| ("number", Cow::Borrowed(n))),
                    domain.as_deref().map(|d| ("domain", Cow::Borrowed(d))),
                ]
                .into_iter()
                .flatten()
                .collect(),
                Directive::HoldPayment { minutes } => {
                    vec![("minutes", Cow::Owned(minutes.to_string()))]
                }
                Directive::LabelCaller { .. } => continue,
                _ => Vec::new(),
            };
            // Codes are hidden whenever a screen is shared; when no code is in play, say that
            // rather than "anyone who asks for one is a scammer".
            let own = (matches!(d, Directive::HideOtp)
                && !input.signals.iter().any(|(c, _)| OTP_SIGNALS.contains(c)))
            .then(|| {
                self.render(
                    locale,
                    medium,
                    Table::Directives,
                    "hide_otp.while_sharing",
                    &[],
                )
            })
            .flatten();
            if let Some(line) =
                own.or_else(|| self.render(locale, medium, Table::Directives, d.code(), &values))
            {
                parts.push(line);
            }
        }
        join(locale, &parts)
    }
}

impl Catalog {
    /// The catalog with a sentence for every rule of `policy`: a rule's own `explanation`
    /// replaces the catalog's sentence (zh-Hant, when not given, is converted from zh-Hans),
    /// and a rule with neither gets the generic rule sentence, `rules."*"`.
    pub fn for_policy(&self, policy: &crate::policy::Policy) -> Catalog {
        let mut out = self.clone();
        for locale in Locale::ALL {
            let s = match locale {
                Locale::ZhHans => &mut out.zh_hans,
                Locale::ZhHant => &mut out.zh_hant,
                Locale::En => &mut out.en,
            };
            for rule in &policy.rules {
                let own = rule.explanation.as_ref().and_then(|e| match e.get(locale) {
                    Some(t) => Some(t.to_string()),
                    None if locale == Locale::ZhHant => e
                        .get(Locale::ZhHans)
                        .map(|t| zhconv::zhconv(t, zhconv::Variant::ZhHant)),
                    None => None,
                });
                let sentence = match own {
                    Some(t) => Template::One(t),
                    None if s.rules.contains_key(&rule.name) => continue,
                    None => match s.rules.get("*") {
                        Some(generic) => generic.clone(),
                        None => continue,
                    },
                };
                s.rules.insert(rule.name.clone(), sentence);
            }
        }
        out
    }

    /// A sum of money as a reader of `locale` writes it ("50000元", "$3,591").
    pub fn amount(&self, locale: Locale, m: &crate::signal::Money) -> String {
        money(
            self.sentences(locale),
            locale,
            m.value,
            m.currency.as_deref(),
        )
    }
}

/// Most characters of a headline in `locale`.
pub fn headline_limit(locale: Locale) -> usize {
    match locale {
        Locale::En => HEADLINE_LIMIT_EN,
        Locale::ZhHans | Locale::ZhHant => HEADLINE_LIMIT_ZH,
    }
}

/// A lexicon phrase as a reader of `locale` can read it: Chinese phrases for Chinese readers
/// (in traditional characters for zh-Hant: as the sender wrote them when they wrote traditional,
/// converted otherwise), none for English readers, since English lexicon phrases are folded (no
/// capitals, no apostrophes) and are not what the sender wrote.
fn phrase_in(locale: Locale, phrase: &str) -> Option<Cow<'_, str>> {
    use crate::text::{fold_cjk, t2s::simplify};
    let chinese = !phrase.is_empty()
        && phrase
            .chars()
            .all(|c| crate::text::is_cjk(c) || c.is_ascii_digit());
    let traditional = phrase.chars().any(|c| simplify(c) != c);
    match locale {
        Locale::En => None,
        _ if !chinese => None,
        Locale::ZhHans if traditional => Some(Cow::Owned(phrase.chars().map(fold_cjk).collect())),
        Locale::ZhHans => Some(Cow::Borrowed(phrase)),
        Locale::ZhHant if traditional => Some(Cow::Borrowed(phrase)),
        Locale::ZhHant => Some(Cow::Owned(zhconv::zhconv(phrase, zhconv::Variant::ZhHant))),
    }
}

/// A sum as `locale` writes it: "50000元", "$3,591".
fn money(s: &Sentences, locale: Locale, value: f64, currency: Option<&str>) -> String {
    let whole = value.fract() == 0.0 && value.abs() < 1e15;
    let digits = if whole {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    };
    let digits = match locale {
        Locale::En => group_thousands(&digits),
        _ => digits,
    };
    let code = currency.map(|c| c.trim().to_ascii_uppercase());
    match code.as_deref().and_then(|c| s.currencies.get(c)) {
        Some(t) => fill(t, &[("value", &digits)]),
        None => match code {
            Some(c) => format!("{digits} {c}"),
            None => digits,
        },
    }
}

/// "3591" → "3,591".
fn group_thousands(digits: &str) -> String {
    let (sign, rest) = digits.strip_prefix('-').map_or(("", digits), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(digits.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
    format!("{sign}{out}{frac}")
}

/// Latin words a Chinese sentence of the catalogue may use: product names every reader knows.
pub const LATIN_IN_CHINESE: &[&str] = &["FaceTime", "iMessage", "App", "IP", "ETC", "QQ", "LINE"];

/// What is wrong with a sentence a user would read, if anything: an unfilled placeholder, text
/// cut short ("…"), unbalanced brackets or quotes, and in Chinese any Latin-script word that
/// is neither in [`LATIN_IN_CHINESE`] nor inside one of `values` (the names, domains, numbers
/// and apps the sentence was filled with). Every sentence of the catalogue passes it (tested),
/// and so does every explanation of the scenario cases.
pub fn reading_problems(locale: Locale, text: &str, values: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    if text.trim().is_empty() {
        problems.push("empty".to_string());
    }
    if text.contains(['{', '}']) {
        problems.push("an unfilled placeholder".to_string());
    }
    let mut rest = text.to_string();
    let mut values: Vec<&str> = values.iter().copied().filter(|v| !v.is_empty()).collect();
    values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    for v in &values {
        rest = rest.replace(v, " ");
    }
    if rest.contains('…') || rest.contains("...") {
        problems.push("text cut short".to_string());
    }
    let mut open: Vec<char> = Vec::new();
    for c in rest.chars() {
        match c {
            '（' | '(' | '“' | '「' | '【' | '[' | '『' => open.push(c),
            '）' | ')' | '”' | '」' | '】' | ']' | '』' => {
                let want = match c {
                    '）' => '（',
                    ')' => '(',
                    '”' => '“',
                    '」' => '「',
                    '】' => '【',
                    ']' => '[',
                    _ => '『',
                };
                if open.pop() != Some(want) {
                    problems.push(format!("unbalanced {c:?}"));
                }
            }
            _ => {}
        }
    }
    if !open.is_empty() {
        problems.push(format!("unclosed {open:?}"));
    }
    if !rest.matches('"').count().is_multiple_of(2) {
        problems.push("unbalanced '\"'".to_string());
    }
    if locale != Locale::En {
        for word in rest
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| !w.is_empty())
        {
            if !LATIN_IN_CHINESE.contains(&word) {
                problems.push(format!("Latin {word:?} in a Chinese sentence"));
            }
        }
    }
    problems
}

fn join(locale: Locale, parts: &[String]) -> String {
    match locale {
        Locale::En => parts.join(" "),
        _ => parts.concat(),
    }
}

/// The placeholder names in a template, `{name}` → `name`.
pub fn placeholders(template: &str) -> impl Iterator<Item = &str> {
    template.split('{').skip(1).filter_map(|rest| {
        let (name, _) = rest.split_once('}')?;
        (!name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .then_some(name)
    })
}

fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.split_once('}') {
            Some((name, tail)) if values.iter().any(|(k, _)| *k == name) => {
                let v = values
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map_or("", |(_, v)| v);
                out.push_str(v);
                rest = tail;
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;
