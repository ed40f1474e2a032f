//! The registry of organisations that sign their calls: who they are, which names they may show,
//! which handles they call from, where to call them back, and their keys.

use super::KeyDirectory;
use crate::lexicon::{ProtectedIdentity, Tier};
use crate::text::Normalised;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// Whether an organisation may currently sign.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgStatus {
    /// Enrolled and signing.
    #[default]
    Active,
    /// Temporarily not trusted.
    Suspended,
    /// Permanently removed.
    Revoked,
}

impl OrgStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgStatus::Active => "active",
            OrgStatus::Suspended => "suspended",
            OrgStatus::Revoked => "revoked",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<OrgStatus> {
        match s.trim() {
            "active" => Some(OrgStatus::Active),
            "suspended" => Some(OrgStatus::Suspended),
            "revoked" => Some(OrgStatus::Revoked),
            _ => None,
        }
    }

    /// Whether an organisation in this status may be put in `next`: revocation is final.
    pub fn may_become(self, next: OrgStatus) -> bool {
        self != OrgStatus::Revoked || next == OrgStatus::Revoked
    }
}

/// Where a key stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStatus {
    /// Usable.
    Valid,
    /// Its period has not begun.
    NotYetValid,
    /// Its period has ended.
    Expired,
    /// Withdrawn.
    Revoked,
}

/// One public key of an organisation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgKey {
    /// Key id, unique across the registry.
    pub kid: String,
    /// SPKI PEM of a P-256 public key.
    pub public_key_pem: String,
    /// Start of validity, Unix seconds.
    pub not_before: i64,
    /// End of validity, Unix seconds (exclusive).
    pub not_after: i64,
    /// Withdrawn before its end.
    #[serde(default)]
    pub revoked: bool,
}

impl OrgKey {
    /// The key's status at `now` (Unix seconds).
    pub fn status_at(&self, now: i64) -> KeyStatus {
        if self.revoked {
            KeyStatus::Revoked
        } else if now < self.not_before {
            KeyStatus::NotYetValid
        } else if now >= self.not_after {
            KeyStatus::Expired
        } else {
            KeyStatus::Valid
        }
    }
}

/// Display names an organisation may show, by language; a language not given has none.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Names {
    /// Simplified Chinese.
    pub zh_hans: Vec<String>,
    /// Traditional Chinese.
    pub zh_hant: Vec<String>,
    /// English.
    pub en: Vec<String>,
}

/// The language a display name is written in, as far as its letters tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameLanguage {
    /// Chinese with no traditional-only characters (names such as "杭州市公安局" read the
    /// same in both scripts and are filed here).
    ZhHans,
    /// Chinese with at least one traditional-only character.
    ZhHant,
    /// Anything else.
    En,
}

impl NameLanguage {
    /// Guesses the language of `name`.
    pub fn of(name: &str) -> NameLanguage {
        use unicode_script::{Script, UnicodeScript};
        let mut han = false;
        for c in name.chars() {
            if c.script() == Script::Han {
                han = true;
                if crate::text::t2s::is_traditional(c) {
                    return NameLanguage::ZhHant;
                }
            }
        }
        if han {
            NameLanguage::ZhHans
        } else {
            NameLanguage::En
        }
    }
}

impl Names {
    /// Adds `name` to the list of its language ([`NameLanguage::of`]), once.
    pub fn push_detected(&mut self, name: &str) {
        let list = match NameLanguage::of(name) {
            NameLanguage::ZhHans => &mut self.zh_hans,
            NameLanguage::ZhHant => &mut self.zh_hant,
            NameLanguage::En => &mut self.en,
        };
        let name = name.trim().to_string();
        if !list.contains(&name) {
            list.push(name);
        }
    }
}

/// One thing wrong with a record, with the field it is in (`handles[1]`, `keys[0].not_after`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field's path.
    pub field: String,
    /// What is wrong, and what to do about it.
    pub message: String,
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// An enrolled organisation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// Stable id.
    pub id: String,
    /// Legal name.
    pub legal_name: String,
    /// Category (the lexicon's categories: police, bank, ...).
    pub category: String,
    /// Names it may show.
    #[serde(default)]
    pub names: Names,
    /// Handles it calls and messages from.
    #[serde(default)]
    pub handles: Vec<String>,
    /// Official call-back numbers.
    #[serde(default)]
    pub callback_numbers: Vec<String>,
    /// Official domains.
    #[serde(default)]
    pub domains: Vec<String>,
    /// Its keys.
    #[serde(default)]
    pub keys: Vec<OrgKey>,
    /// Whether it may sign.
    #[serde(default)]
    pub status: OrgStatus,
}

/// Categories whose claims weigh as authority (tier A).
const AUTHORITY: &[&str] = &[
    "police",
    "procuratorate",
    "court",
    "anti_fraud",
    "emergency_number",
    "state_security",
    "discipline",
    "customs",
    "immigration",
    "military",
    "regulator",
    "central_bank",
];

impl Organisation {
    /// Every name it may show.
    pub fn all_names(&self) -> impl Iterator<Item = &String> {
        self.names
            .zh_hans
            .iter()
            .chain(&self.names.zh_hant)
            .chain(&self.names.en)
    }

    /// Whether it may show `name` (compared after normalisation, so width, case and script
    /// variants of a registered name pass).
    pub fn may_show(&self, name: &str) -> bool {
        let want = Normalised::new(name).compact;
        !want.is_empty() && self.all_names().any(|n| Normalised::new(n).compact == want)
    }

    /// The organisation as a protected identity, so that a stranger who types its name is
    /// weighed as impersonating it. Ids get a `reg:` prefix.
    pub fn as_protected_identity(&self) -> ProtectedIdentity {
        ProtectedIdentity {
            id: format!("reg:{}", self.id),
            category: self.category.clone(),
            tier: if AUTHORITY.contains(&self.category.as_str()) {
                Tier::A
            } else {
                Tier::B
            },
            region: "INTL".into(),
            zh_hans: self.names.zh_hans.clone(),
            zh_hant: self.names.zh_hant.clone(),
            en: self.names.en.clone(),
            variants: Vec::new(),
            exact: Vec::new(),
            name_pinyin: Vec::new(),
            heads: Vec::new(),
            numbers: Vec::new(),
            domains: self.domains.clone(),
            // Where to call back comes from the registry record alone, never from the call.
            callback: (!self.callback_numbers.is_empty() || !self.domains.is_empty()).then(|| {
                crate::lexicon::identities::Callback {
                    number: self.callback_numbers.first().cloned(),
                    domain: self.domains.first().cloned(),
                    source: format!("registry: {}", self.id),
                }
            }),
        }
    }

    /// Checks the record; every problem is listed as text (`field: message`).
    pub fn problems(&self) -> Vec<String> {
        self.field_problems()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// Checks the record; every problem is listed with the field it is in.
    pub fn field_problems(&self) -> Vec<FieldProblem> {
        let mut p = Vec::new();
        let mut add = |field: String, message: String| p.push(FieldProblem { field, message });
        if self.id.is_empty()
            || self.id.len() > 64
            || !self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            add(
                "id".into(),
                format!(
                    "{:?}: use 1 to 64 letters, digits, '_', '-' or '.'",
                    self.id
                ),
            );
        }
        if self.legal_name.trim().is_empty() {
            add("legal_name".into(), "must not be empty".into());
        }
        if !crate::lexicon::identities::CATEGORIES.contains(&self.category.as_str()) {
            add(
                "category".into(),
                format!(
                    "{:?} is unknown; use one of {}",
                    self.category,
                    crate::lexicon::identities::CATEGORIES.join(", ")
                ),
            );
        }
        if self.all_names().next().is_none() {
            add(
                "names".into(),
                "at least one display name is needed (zh_hans, zh_hant or en)".into(),
            );
        }
        for (lang, list) in [
            ("zh_hans", &self.names.zh_hans),
            ("zh_hant", &self.names.zh_hant),
            ("en", &self.names.en),
        ] {
            for (i, n) in list.iter().enumerate() {
                if crate::text::compact(n).is_empty() {
                    add(
                        format!("names.{lang}[{i}]"),
                        format!("{n:?} has no letters or digits"),
                    );
                }
            }
        }
        if self.handles.is_empty() {
            add(
                "handles".into(),
                "at least one handle (the number or account it calls from) is needed".into(),
            );
        }
        for (i, h) in self.handles.iter().enumerate() {
            if super::canonical_handle(h).is_empty() {
                add(
                    format!("handles[{i}]"),
                    format!("{h:?} is not a phone number or account e-mail"),
                );
            }
        }
        for (i, n) in self.callback_numbers.iter().enumerate() {
            if crate::lexicon::identities::digits_of(n).len() < 3 {
                add(
                    format!("callback_numbers[{i}]"),
                    format!("{n:?} needs at least 3 digits"),
                );
            }
        }
        for (i, d) in self.domains.iter().enumerate() {
            let ok = d.contains('.')
                && !d.starts_with('.')
                && !d.ends_with('.')
                && d.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-'));
            if !ok {
                add(
                    format!("domains[{i}]"),
                    format!("{d:?} is not a domain name such as example.gov.cn"),
                );
            }
        }
        let mut kids = std::collections::HashSet::new();
        for (i, k) in self.keys.iter().enumerate() {
            if !valid_kid(&k.kid) {
                add(
                    format!("keys[{i}].kid"),
                    format!(
                        "{:?}: use 1 to 128 letters, digits or '_', '-', '.', ':'",
                        k.kid
                    ),
                );
            } else if !kids.insert(k.kid.as_str()) {
                add(
                    format!("keys[{i}].kid"),
                    format!("{:?} is used twice", k.kid),
                );
            }
            if super::public_point(&k.public_key_pem).is_none() {
                add(
                    format!("keys[{i}].public_key_pem"),
                    format!(
                        "key {:?} is not a P-256 public key in PEM (SPKI, \"BEGIN PUBLIC KEY\")",
                        k.kid
                    ),
                );
            }
            if k.not_after <= k.not_before {
                add(
                    format!("keys[{i}].not_after"),
                    format!("key {:?}: not_after must be after not_before", k.kid),
                );
            }
        }
        p
    }
}

/// Days a key is valid when its enrolment names no end.
pub const DEFAULT_VALID_DAYS: i64 = 365;
/// The longest validity a key may be given, in days.
pub const MAX_VALID_DAYS: i64 = 36_500;
const DAY_SECS: i64 = 86_400;

/// A key's validity window `(not_before, not_after)` in Unix seconds, from what an enrolment
/// gives: a start (default `now_secs`) and either an end or a number of days (1 to
/// [`MAX_VALID_DAYS`], default [`DEFAULT_VALID_DAYS`]). The problem names the field
/// (`valid_days`) relative to the key.
pub fn key_validity(
    now_secs: i64,
    not_before: Option<i64>,
    not_after: Option<i64>,
    valid_days: Option<i64>,
) -> Result<(i64, i64), FieldProblem> {
    let not_before = not_before.unwrap_or(now_secs);
    let not_after = match (not_after, valid_days) {
        (Some(_), Some(_)) => {
            return Err(FieldProblem {
                field: "valid_days".into(),
                message: "give not_after or valid_days, not both".into(),
            })
        }
        (Some(t), None) => t,
        (None, Some(d)) if (1..=MAX_VALID_DAYS).contains(&d) => {
            not_before.saturating_add(d * DAY_SECS)
        }
        (None, Some(d)) => {
            return Err(FieldProblem {
                field: "valid_days".into(),
                message: format!("must be between 1 and {MAX_VALID_DAYS}, found {d}"),
            })
        }
        (None, None) => not_before.saturating_add(DEFAULT_VALID_DAYS * DAY_SECS),
    };
    Ok((not_before, not_after))
}

impl Organisation {
    /// What is wrong with adding `key` to this organisation, with fields named relative to
    /// the key (`kid`, `public_key_pem`, `not_after`): the checks of a whole record, and a key
    /// id it already has.
    pub fn new_key_problems(&self, key: &OrgKey) -> Vec<FieldProblem> {
        if self.keys.iter().any(|k| k.kid == key.kid) {
            return vec![FieldProblem {
                field: "kid".into(),
                message: format!(
                    "organisation {:?} already has key {:?}; pick another id",
                    self.id, key.kid
                ),
            }];
        }
        let mut with = self.clone();
        let prefix = format!("keys[{}].", with.keys.len());
        with.keys.push(key.clone());
        with.field_problems()
            .into_iter()
            .filter_map(|p| {
                p.field.strip_prefix(&prefix).map(|f| FieldProblem {
                    field: f.to_string(),
                    message: p.message.clone(),
                })
            })
            .collect()
    }
}

/// Whether `kid` is usable as a key id: 1 to 128 characters from `[A-Za-z0-9_.:-]`.
pub fn valid_kid(kid: &str) -> bool {
    !kid.is_empty()
        && kid.len() <= 128
        && kid
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
}

/// A registry that could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("registry: {}", problems.join("; "))]
pub struct RegistryError {
    /// Each problem.
    pub problems: Vec<String>,
}

/// An in-memory snapshot of the registry, for verification. Public keys are parsed once here,
/// not at every verification.
#[derive(Clone, Default)]
pub struct Registry {
    orgs: Vec<Organisation>,
    by_kid: HashMap<String, KeySlot>,
}

/// Where a key id points: organisation, key, and the key parsed once.
#[derive(Clone)]
struct KeySlot {
    org: usize,
    key: usize,
    point: Option<Arc<[u8]>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("orgs", &self.orgs)
            .finish_non_exhaustive()
    }
}

impl Registry {
    /// Builds a snapshot; key ids must be unique.
    pub fn new(orgs: Vec<Organisation>) -> Result<Registry, RegistryError> {
        let mut by_kid = HashMap::new();
        let mut problems = Vec::new();
        for (oi, o) in orgs.iter().enumerate() {
            for (ki, k) in o.keys.iter().enumerate() {
                let parsed = super::public_point(&k.public_key_pem);
                if by_kid
                    .insert(
                        k.kid.clone(),
                        KeySlot {
                            org: oi,
                            key: ki,
                            point: parsed,
                        },
                    )
                    .is_some()
                {
                    problems.push(format!("key id {:?} is used twice", k.kid));
                }
            }
        }
        if !problems.is_empty() {
            return Err(RegistryError { problems });
        }
        Ok(Registry { orgs, by_kid })
    }

    /// Every organisation.
    pub fn organisations(&self) -> &[Organisation] {
        &self.orgs
    }

    /// The organisation with `id`.
    pub fn get(&self, id: &str) -> Option<&Organisation> {
        self.orgs.iter().find(|o| o.id == id)
    }
}

impl KeyDirectory for Registry {
    fn lookup(&self, kid: &str) -> Option<(&OrgKey, &Organisation)> {
        self.by_kid
            .get(kid)
            .map(|s| (&self.orgs[s.org].keys[s.key], &self.orgs[s.org]))
    }

    fn public_point(&self, kid: &str) -> Option<Arc<[u8]>> {
        self.by_kid.get(kid).and_then(|s| s.point.clone())
    }
}
