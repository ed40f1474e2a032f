//! A policy document as written: the shape serde reads, before any check.

use super::Settings;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The whole document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPolicy {
    pub thresholds: RawThresholds,
    #[serde(default)]
    pub groups: BTreeMap<String, RawGroup>,
    #[serde(default)]
    pub signals: BTreeMap<String, RawSignal>,
    #[serde(default)]
    pub rules: Vec<RawRule>,
    #[serde(default)]
    pub directives: Vec<RawDirective>,
    #[serde(default)]
    pub modifiers: Vec<RawModifier>,
    #[serde(default)]
    pub settings: Settings,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawThresholds {
    pub warn: f64,
    pub block: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGroup {
    pub max: Option<f64>,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSignal {
    pub weight: f64,
    pub group: Option<String>,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRule {
    pub name: String,
    pub when: String,
    pub action: String,
    #[serde(default)]
    pub description: String,
    /// The rule's sentence for users, by locale tag.
    pub explanation: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDirective {
    pub directive: String,
    pub when: String,
    pub min_action: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawModifier {
    pub name: String,
    pub when: String,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default = "one")]
    pub factor: f64,
    /// The most the score alone may reach while the condition holds.
    pub max_action: Option<String>,
}

fn one() -> f64 {
    1.0
}
