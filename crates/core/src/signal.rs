//! Signals: named findings with a strength and evidence.
//!
//! A detector never decides anything; it reports what it saw as a [`Signal`] with a stable
//! snake_case code (listed in [`codes`]), a strength between 0 and 1 and a short piece of
//! evidence (the matched lexicon term, the look-alike domain, never the whole message). The
//! policy prices each code; see [`crate::policy`].

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Every signal code the engine can emit, by detector family.
pub mod codes {
    macro_rules! codes {
        ($($group:literal => [$($name:ident = $code:literal),* $(,)?]),* $(,)?) => {
            $($(
                #[doc = concat!("`", $code, "` (", $group, ")")]
                pub const $name: &str = $code;
            )*)*
            /// Every code with the detector family that emits it. A code's position here is its
            /// index in bit sets.
            pub const ALL: &[(&str, &str)] = &[$($(($code, $group)),*),*];

            /// The position of `code` in [`ALL`].
            pub fn index(code: &str) -> Option<usize> {
                static INDEX: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, usize>> =
                    std::sync::OnceLock::new();
                INDEX
                    .get_or_init(|| ALL.iter().enumerate().map(|(i, (c, _))| (*c, i)).collect())
                    .get(code)
                    .copied()
            }
        };
    }

    codes! {
        "identity" => [
            CLAIMS_AUTHORITY = "claims_authority",
            CLAIMS_ORGANISATION = "claims_organisation",
            CLAIMS_SERVICE_ROLE = "claims_service_role",
            SERVICE_NUMBER_AS_NAME = "service_number_as_name",
            FAKE_VERIFIED_BADGE = "fake_verified_badge",
            DISGUISED_NAME = "disguised_name",
            MIXED_SCRIPT_NAME = "mixed_script_name",
        ],
        "party" => [
            NOT_IN_CONTACTS = "not_in_contacts",
            IN_CONTACTS = "in_contacts",
            VERIFIED_CALLER = "verified_caller",
            VERIFIED_ORG_MISMATCH = "verified_org_mismatch",
            OFFICIAL_SENDER_NUMBER = "official_sender_number",
            SHORT_CODE_SENDER = "short_code_sender",
            FOREIGN_HANDLE_FOR_DOMESTIC_CLAIM = "foreign_handle_for_domestic_claim",
            PERSONAL_EMAIL_HANDLE = "personal_email_handle",
            INTERNATIONAL_HANDLE = "international_handle",
            IDENTITY_TOKEN_INVALID = "identity_token_invalid",
        ],
        "script" => [
            SCRIPT_AUTHORITY_CLAIM = "script_authority_claim",
            SCRIPT_ACCUSATION = "script_accusation",
            SCRIPT_ACCOUNT_THREAT = "script_account_threat",
            SCRIPT_DELIVERY_PROBLEM = "script_delivery_problem",
            SCRIPT_BILLING_PROBLEM = "script_billing_problem",
            SCRIPT_SECRECY = "script_secrecy",
            SCRIPT_STAY_ON_LINE = "script_stay_on_line",
            SCRIPT_CALL_TRANSFER = "script_call_transfer",
            SCRIPT_CHANNEL_MOVE = "script_channel_move",
            SCRIPT_INSTALL_APP = "script_install_app",
            SCRIPT_SCREEN_SHARE_ASK = "script_screen_share_ask",
            SCRIPT_CREDENTIAL_ASK = "script_credential_ask",
            SCRIPT_SAFE_ACCOUNT = "script_safe_account",
            SCRIPT_LOAN_FORWARD = "script_loan_forward",
            SCRIPT_LOAN_OFFER = "script_loan_offer",
            SCRIPT_DISABLE_PROTECTION = "script_disable_protection",
            SCRIPT_FAKE_DOCUMENT = "script_fake_document",
            SCRIPT_REFUND_LURE = "script_refund_lure",
            SCRIPT_NEW_NUMBER = "script_new_number",
            SCRIPT_LEADER_SUMMONS = "script_leader_summons",
            SCRIPT_AVOIDS_CALL = "script_avoids_call",
            SCRIPT_THIRD_PARTY_TRANSFER = "script_third_party_transfer",
            SCRIPT_URGENCY = "script_urgency",
            SCRIPT_VERIFICATION_THEATRE = "script_verification_theatre",
            SCRIPT_INVESTMENT_LURE = "script_investment_lure",
            SCRIPT_EARN_INDUCEMENT = "script_earn_inducement",
            SCRIPT_PROCUREMENT = "script_procurement",
            SCRIPT_GIFT_CARD = "script_gift_card",
            SCRIPT_REPLY_TO_ACTIVATE = "script_reply_to_activate",
            SCRIPT_FEE_COLLECTION = "script_fee_collection",
            SCRIPT_PROTECTIVE_ADVICE = "script_protective_advice",
        ],
        "links" => [
            LINK_LOOKALIKE_DOMAIN = "link_lookalike_domain",
            LINK_BRAND_IMPERSONATION = "link_brand_impersonation",
            LINK_IP_HOST = "link_ip_host",
            LINK_APP_DOWNLOAD = "link_app_download",
            LINK_SHORTENER = "link_shortener",
            LINK_CONTENT_HOST = "link_content_host",
            LINK_REDIRECT = "link_redirect",
            LINK_MIXED_SCRIPT_HOST = "link_mixed_script_host",
            LINK_RISKY_TLD = "link_risky_tld",
            LINK_OBFUSCATED = "link_obfuscated",
            LINK_USERINFO = "link_userinfo",
            LINK_KNOWN_BAD = "link_known_bad",
            LINK_OFFICIAL_DOMAIN = "link_official_domain",
            LINK_PRESENT = "link_present",
        ],
        "session" => [
            SCREEN_SHARE_REQUESTED = "screen_share_requested",
            SCREEN_SHARE_ACTIVE = "screen_share_active",
            REMOTE_CONTROL_REQUESTED = "remote_control_requested",
            APP_INSTALL_REMOTE_ACCESS = "app_install_remote_access",
            APP_INSTALL_OFFSTORE = "app_install_offstore",
            OTP_RECEIVED = "otp_received",
            OTP_DURING_CALL = "otp_during_call",
            OTP_WHILE_SHARING = "otp_while_sharing",
            OTP_DISCLOSED = "otp_disclosed",
            BANKING_APP_WHILE_SHARING = "banking_app_while_sharing",
            BANKING_APP_DURING_CALL = "banking_app_during_call",
            PAYMENT_NEW_PAYEE = "payment_new_payee",
            PAYMENT_DURING_CALL = "payment_during_call",
            LINK_OPENED_DURING_CALL = "link_opened_during_call",
        ],
        "model" => [
            MODEL_SCAM = "model_scam",
            MODEL_SPAM = "model_spam",
        ],
    }

    /// The detector family of `code`, if it is a known code.
    pub fn family(code: &str) -> Option<&'static str> {
        index(code).map(|i| ALL[i].1)
    }

    /// The code at `index`.
    pub fn name(index: usize) -> &'static str {
        ALL[index].0
    }
}

/// A set of signal codes as bits, indexed by [`codes::index`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CodeBits(pub [u64; 2]);

impl CodeBits {
    /// Adds the code at `index`.
    pub fn insert(&mut self, index: usize) {
        self.0[index / 64] |= 1 << (index % 64);
    }

    /// Whether the code at `index` is present.
    pub fn contains(&self, index: usize) -> bool {
        self.0[index / 64] & (1 << (index % 64)) != 0
    }

    /// Whether any code of `other` is present.
    pub fn intersects(&self, other: &CodeBits) -> bool {
        (self.0[0] & other.0[0]) | (self.0[1] & other.0[1]) != 0
    }
}

const _: () = assert!(codes::ALL.len() <= 128, "CodeBits holds 128 codes");

/// One finding of a detector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    /// Stable snake_case code from [`codes`].
    pub code: String,
    /// How strongly it applies, 0–1; the policy weight is multiplied by it.
    pub strength: f64,
    /// What was seen: a lexicon term, a domain, an app name. Never a whole message.
    pub evidence: String,
}

/// Most evidence items kept per signal.
const MAX_EVIDENCE: usize = 3;
/// Longest evidence item kept, in characters.
const MAX_EVIDENCE_CHARS: usize = 80;

/// The signals seen so far in a session or a scan: one entry per code, keeping the strongest
/// strength and a few distinct pieces of evidence. Codes are kept by index, so the set is small
/// and cheap to query; it serialises as a map from code to entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SignalSet {
    /// Entries sorted by code index.
    entries: Vec<(u16, SignalEntry)>,
    bits: CodeBits,
}

/// What a [`SignalSet`] holds for one code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalEntry {
    /// The strongest strength seen.
    pub strength: f64,
    /// Distinct evidence, first seen first.
    pub evidence: Vec<String>,
}

impl SignalSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a finding. Unknown codes are ignored: every code a detector emits is in [`codes`].
    pub fn add(&mut self, code: &str, strength: f64, evidence: impl Into<String>) {
        let Some(index) = codes::index(code) else {
            debug_assert!(false, "unknown signal code {code}");
            return;
        };
        self.add_index(index, strength, evidence.into());
    }

    fn add_index(&mut self, index: usize, strength: f64, mut evidence: String) {
        let strength = if strength.is_finite() {
            strength.clamp(0.0, 1.0)
        } else {
            0.0
        };
        if strength <= 0.0 {
            return;
        }
        if evidence.chars().count() > MAX_EVIDENCE_CHARS {
            evidence = evidence
                .chars()
                .take(MAX_EVIDENCE_CHARS - 1)
                .collect::<String>()
                + "…";
        }
        let key = index as u16;
        let at = match self.entries.binary_search_by_key(&key, |(k, _)| *k) {
            Ok(at) => at,
            Err(at) => {
                self.entries.insert(
                    at,
                    (
                        key,
                        SignalEntry {
                            strength,
                            evidence: Vec::new(),
                        },
                    ),
                );
                self.bits.insert(index);
                at
            }
        };
        let entry = &mut self.entries[at].1;
        entry.strength = entry.strength.max(strength);
        if !evidence.is_empty()
            && entry.evidence.len() < MAX_EVIDENCE
            && !entry.evidence.contains(&evidence)
        {
            entry.evidence.push(evidence);
        }
    }

    /// Records every signal of `other`.
    pub fn merge(&mut self, other: &SignalSet) {
        for (k, e) in &other.entries {
            if e.evidence.is_empty() {
                self.add_index(*k as usize, e.strength, String::new());
            }
            for ev in &e.evidence {
                self.add_index(*k as usize, e.strength, ev.clone());
            }
        }
    }

    /// Whether `code` was seen.
    pub fn has(&self, code: &str) -> bool {
        codes::index(code).is_some_and(|i| self.bits.contains(i))
    }

    /// The codes present, as bits.
    pub fn bits(&self) -> CodeBits {
        self.bits
    }

    /// The entry for `code`.
    pub fn get(&self, code: &str) -> Option<&SignalEntry> {
        let key = codes::index(code)? as u16;
        self.entries
            .binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .map(|at| &self.entries[at].1)
    }

    /// Removes `code`.
    pub fn remove(&mut self, code: &str) {
        if let Some(i) = codes::index(code) {
            self.entries.retain(|(k, _)| *k as usize != i);
            self.bits.0[i / 64] &= !(1 << (i % 64));
        }
    }

    /// Every code and entry, in code order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &SignalEntry)> {
        self.entries
            .iter()
            .map(|(k, v)| (codes::name(*k as usize), v))
    }

    /// Every code index and entry, in code order.
    pub fn iter_indexed(&self) -> impl Iterator<Item = (usize, &SignalEntry)> {
        self.entries.iter().map(|(k, v)| (*k as usize, v))
    }

    /// How many codes were seen.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing was seen.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Serialize for SignalSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.entries.len()))?;
        for (code, e) in self.iter() {
            m.serialize_entry(code, e)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for SignalSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map: BTreeMap<String, SignalEntry> = BTreeMap::deserialize(d)?;
        let mut set = SignalSet::new();
        // Codes this version does not know (from a newer or older engine) are dropped.
        for (code, e) in map {
            if let Some(i) = codes::index(&code) {
                if e.evidence.is_empty() {
                    set.add_index(i, e.strength, String::new());
                }
                for ev in e.evidence {
                    set.add_index(i, e.strength, ev);
                }
            }
        }
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_strongest_and_distinct_evidence() {
        let mut s = SignalSet::new();
        s.add(codes::CLAIMS_AUTHORITY, 0.5, "公安局");
        s.add(codes::CLAIMS_AUTHORITY, 0.9, "公安局");
        s.add(codes::CLAIMS_AUTHORITY, 0.2, "反诈中心");
        for i in 0..10 {
            s.add(codes::CLAIMS_AUTHORITY, 0.1, format!("x{i}"));
        }
        let e = s.get(codes::CLAIMS_AUTHORITY).unwrap();
        assert_eq!(e.strength, 0.9);
        assert_eq!(e.evidence, vec!["公安局", "反诈中心", "x0"]);
        s.add(codes::LINK_PRESENT, 0.0, "ignored");
        s.add(codes::LINK_PRESENT, f64::NAN, "ignored");
        assert!(!s.has(codes::LINK_PRESENT));
    }

    #[test]
    fn long_evidence_is_cut() {
        let mut s = SignalSet::new();
        s.add(codes::LINK_PRESENT, 1.0, "x".repeat(500));
        assert_eq!(
            s.get(codes::LINK_PRESENT).unwrap().evidence[0]
                .chars()
                .count(),
            MAX_EVIDENCE_CHARS
        );
    }

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for (c, _) in codes::ALL {
            assert!(seen.insert(*c), "duplicate {c}");
            assert!(
                c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'),
                "{c}"
            );
        }
        assert_eq!(codes::family("link_ip_host"), Some("links"));
        for (i, (c, _)) in codes::ALL.iter().enumerate() {
            assert_eq!(codes::index(c), Some(i));
        }
        assert_eq!(codes::index("nope"), None);
    }

    #[test]
    fn serialises_as_a_map_and_back() {
        let mut s = SignalSet::new();
        s.add(codes::LINK_PRESENT, 0.5, "a.com");
        s.add(codes::CLAIMS_AUTHORITY, 1.0, "");
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(
            json,
            r#"{"claims_authority":{"strength":1.0,"evidence":[]},"link_present":{"strength":0.5,"evidence":["a.com"]}}"#
        );
        let back: SignalSet = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        let with_unknown: SignalSet =
            serde_json::from_str(r#"{"from_the_future":{"strength":1.0,"evidence":[]}}"#).unwrap();
        assert!(with_unknown.is_empty());
        s.remove(codes::LINK_PRESENT);
        assert!(!s.has(codes::LINK_PRESENT) && s.len() == 1);
    }
}
