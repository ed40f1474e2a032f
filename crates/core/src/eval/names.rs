//! Display names: does the engine see the identity claim in a name a stranger typed?
//!
//! Each name is judged as the display name of a video call from an unknown handle (not in the
//! contacts, not verified), at the moment the call is offered. A name is *caught* when that
//! opening verdict carries an identity claim: `claims_authority`, `claims_organisation`,
//! `claims_service_role` or `service_number_as_name`. That is what the name alone can tell; the
//! final block of a call also weighs what the caller then says and asks for, so the verdict's
//! action is counted beside the claim but is not the measure.
//!
//! The labelled set is `bench/data/display_names.jsonl` (labels `impersonation` and `genuine`,
//! a `disguise` per name, splits fixed per base identity).

use crate::event::{Channel, Locale, Opening, Party};
use crate::signal::codes;
use crate::{Action, Engine, Verdict};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::Counts;

/// The signals that count as the engine seeing an identity claim in a name.
pub const CLAIM_SIGNALS: [&str; 4] = [
    codes::CLAIMS_AUTHORITY,
    codes::CLAIMS_ORGANISATION,
    codes::CLAIMS_SERVICE_ROLE,
    codes::SERVICE_NUMBER_AS_NAME,
];

/// The label of a name that claims a body it is not.
pub const IMPERSONATION: &str = "impersonation";
/// The label of a name a real person or business gives itself.
pub const GENUINE: &str = "genuine";

/// The handle every name is judged from: a mobile number the user does not know.
const UNKNOWN_HANDLE: &str = "+86 138 0013 8000";

/// One labelled display name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct NameRecord {
    /// The display name as typed.
    pub text: String,
    /// `impersonation` or `genuine`.
    pub label: String,
    /// `train`, `dev` or `test`.
    #[serde(default)]
    pub split: String,
    /// The identity this name is a form of (a body, a person, a shop).
    #[serde(default)]
    pub base: String,
    /// How the name was written (`plain`, `traditional`, `homoglyph`, ...).
    #[serde(default)]
    pub disguise: String,
    /// `zh` or `en`: the language the call's user reads.
    #[serde(default)]
    pub lang: String,
    /// Record id.
    #[serde(default)]
    pub id: String,
}

impl NameRecord {
    /// Whether the gold label says the name impersonates a body.
    pub fn is_impersonation(&self) -> bool {
        self.label == IMPERSONATION
    }

    /// Whether the label is one this evaluation knows.
    pub fn has_known_label(&self) -> bool {
        self.label == IMPERSONATION || self.label == GENUINE
    }
}

/// What the engine did with one name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameJudgement {
    /// Whether the opening verdict carries an identity claim ([`CLAIM_SIGNALS`]).
    pub claimed: bool,
    /// The protected identity the claim names, if the engine resolved one.
    pub identity: Option<String>,
    /// The opening verdict's action.
    pub action: Action,
}

/// Judges `name` as the display name of a video call from an unknown handle.
pub fn judge_name(engine: &Engine, name: &str, locale: Locale) -> NameJudgement {
    let opening = Opening {
        channel: Channel::VideoCall,
        locale,
        from: Party {
            handle: UNKNOWN_HANDLE.to_string(),
            display_name: Some(name.to_string()),
            ..Party::default()
        },
        to: None,
    };
    let (_, verdict) = engine.open_session(&opening, 0);
    judgement(&verdict)
}

fn judgement(v: &Verdict) -> NameJudgement {
    NameJudgement {
        claimed: CLAIM_SIGNALS.iter().any(|c| v.has_signal(c)),
        identity: v.claimed_identity.as_ref().map(|c| c.id.clone()),
        action: v.action,
    }
}

/// The locale a record's user reads (simplified Chinese when the tag is absent or unknown).
pub fn locale_of(r: &NameRecord) -> Locale {
    Locale::parse(&r.lang).unwrap_or(Locale::ZhHans)
}

/// Counts for a set of names: claims seen against labels, overall and per disguise.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NameResult {
    /// Names judged.
    pub records: u64,
    /// Claim seen (predicted) against impersonation (actual).
    pub claims: Counts,
    /// Per disguise: impersonating names caught and genuine names flagged.
    pub by_disguise: BTreeMap<String, Counts>,
    /// Opening actions on impersonating names (`allow`, `warn`, `block`).
    pub impersonation_actions: BTreeMap<String, u64>,
    /// Opening actions on genuine names.
    pub genuine_actions: BTreeMap<String, u64>,
}

impl NameResult {
    /// Adds one record and what the engine did with it.
    pub fn add(&mut self, r: &NameRecord, j: &NameJudgement) {
        let actual = r.is_impersonation();
        self.records += 1;
        self.claims.add(j.claimed, actual);
        let disguise = if r.disguise.is_empty() {
            "-"
        } else {
            r.disguise.as_str()
        };
        self.by_disguise
            .entry(disguise.to_string())
            .or_default()
            .add(j.claimed, actual);
        let actions = if actual {
            &mut self.impersonation_actions
        } else {
            &mut self.genuine_actions
        };
        *actions.entry(j.action.as_str().to_string()).or_default() += 1;
    }

    /// Share of impersonating names whose claim was seen.
    pub fn caught(&self) -> Option<f64> {
        self.claims.recall()
    }

    /// Share of genuine names read as a claim.
    pub fn false_positives(&self) -> Option<f64> {
        self.claims.fpr()
    }
}

/// Judges every record (skipping none) and returns the counts with, for error analysis, the
/// records the engine got wrong.
pub fn measure<'a>(
    engine: &Engine,
    records: impl IntoIterator<Item = &'a NameRecord>,
) -> (NameResult, Vec<(&'a NameRecord, NameJudgement)>) {
    let mut result = NameResult::default();
    let mut wrong = Vec::new();
    for r in records {
        let j = judge_name(engine, &r.text, locale_of(r));
        result.add(r, &j);
        if j.claimed != r.is_impersonation() {
            wrong.push((r, j));
        }
    }
    (result, wrong)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(text: &str, label: &str, disguise: &str) -> NameRecord {
        NameRecord {
            text: text.into(),
            label: label.into(),
            split: "dev".into(),
            base: "b".into(),
            disguise: disguise.into(),
            lang: "zh".into(),
            id: String::new(),
        }
    }

    #[test]
    fn a_claimed_authority_is_caught_and_a_family_word_is_not() {
        let engine = Engine::builtin().unwrap();
        let j = judge_name(&engine, "杭州市公安局", Locale::ZhHans);
        assert!(j.claimed && j.identity.is_some(), "{j:?}");
        let j = judge_name(&engine, "妈妈", Locale::ZhHans);
        assert!(!j.claimed && j.action == Action::Allow, "{j:?}");
    }

    #[test]
    fn counts_split_by_label_and_disguise() {
        let engine = Engine::builtin().unwrap();
        let records = [
            rec("公安局", IMPERSONATION, "plain"),
            rec("公 安 局", IMPERSONATION, "separators"),
            rec("老王水果店", GENUINE, "plain"),
            rec("妈妈", GENUINE, "plain"),
        ];
        let (r, wrong) = measure(&engine, &records);
        assert_eq!(r.records, 4);
        assert_eq!(r.claims.tp + r.claims.fn_, 2);
        assert_eq!(r.claims.fp + r.claims.tn, 2);
        assert_eq!(r.by_disguise["plain"].support(), 1);
        assert_eq!(r.caught(), Some(1.0), "{wrong:?}");
        assert_eq!(r.false_positives(), Some(0.0), "{wrong:?}");
        let judged: u64 =
            r.impersonation_actions.values().sum::<u64>() + r.genuine_actions.values().sum::<u64>();
        assert_eq!(judged, 4);
    }

    #[test]
    fn records_parse_with_their_fields() {
        let r: NameRecord = serde_json::from_str(
            r#"{"text":"ＧＯＮＧＡＮＪＵ","label":"impersonation","split":"dev","base":"cn_police","disguise":"fullwidth","lang":"zh","id":"n1"}"#,
        )
        .unwrap();
        assert!(r.is_impersonation() && r.has_known_label());
        assert_eq!(locale_of(&r), Locale::ZhHans);
        let r: NameRecord = serde_json::from_str(r#"{"text":"x","label":"ham"}"#).unwrap();
        assert!(!r.has_known_label());
    }
}
