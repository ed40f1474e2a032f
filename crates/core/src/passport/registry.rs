//! The registry of organisations that sign their calls: who they are, which names they may show,
//! which handles they call from, where to call them back, and their keys.

use super::KeyDirectory;
use crate::lexicon::{ProtectedIdentity, Tier};
use crate::text::Normalised;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// Whether an organisation may currently sign.
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

/// Display names an organisation may show, by language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Names {
    /// Simplified Chinese.
    #[serde(default)]
    pub zh_hans: Vec<String>,
    /// Traditional Chinese.
    #[serde(default)]
    pub zh_hant: Vec<String>,
    /// English.
    #[serde(default)]
    pub en: Vec<String>,
}

/// An enrolled organisation.
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
            numbers: Vec::new(),
            domains: self.domains.clone(),
            callback: self
                .callback_numbers
                .first()
                .map(|n| crate::lexicon::identities::Callback {
                    number: Some(n.clone()),
                    domain: None,
                    source: format!("registry: {}", self.id),
                }),
        }
    }

    /// Checks the record; every problem is listed.
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if self.id.is_empty()
            || !self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            p.push(format!(
                "id {:?}: use letters, digits, '_', '-' or '.'",
                self.id
            ));
        }
        if self.legal_name.trim().is_empty() {
            p.push("legal_name: must not be empty".into());
        }
        if !crate::lexicon::identities::CATEGORIES.contains(&self.category.as_str()) {
            p.push(format!("category {:?}: unknown", self.category));
        }
        if self.all_names().next().is_none() {
            p.push("names: at least one display name is needed".into());
        }
        if self.handles.is_empty() {
            p.push("handles: at least one handle is needed".into());
        }
        for k in &self.keys {
            if super::public_point(&k.public_key_pem).is_none() {
                p.push(format!("key {:?}: not a P-256 public key in PEM", k.kid));
            }
            if k.not_after <= k.not_before {
                p.push(format!(
                    "key {:?}: not_after must be after not_before",
                    k.kid
                ));
            }
        }
        p
    }
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
