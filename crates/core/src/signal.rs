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
            SIGNED_NOTICE = "signed_notice",
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
            SCRIPT_CANCEL_BY_TRANSFER = "script_cancel_by_transfer",
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
            SCRIPT_PAY_TO_UNFREEZE = "script_pay_to_unfreeze",
            SCRIPT_CHARITY_APPEAL = "script_charity_appeal",
            SCRIPT_PERSONAL_PAYMENT = "script_personal_payment",
            SCRIPT_HOSTAGE_CLAIM = "script_hostage_claim",
            SCRIPT_EXPOSURE_THREAT = "script_exposure_threat",
            SCRIPT_RELATIVE_IN_TROUBLE = "script_relative_in_trouble",
            SCRIPT_UNSEEN_RENTAL = "script_unseen_rental",
            SCRIPT_CHILD_HURT = "script_child_hurt",
            SCRIPT_MISTAKEN_TRANSFER = "script_mistaken_transfer",
            SCRIPT_OVERSEAS_JOB = "script_overseas_job",
            SCRIPT_CODE_PRETEXT = "script_code_pretext",
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
        "intel" => [
            REPORTED_HANDLE = "reported_handle",
            KNOWN_CAMPAIGN = "known_campaign",
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

/// What a finding is about, typed, so that each locale's sentence can name it in its own words.
/// Evidence is the analysts' free text; these are the facts a user's sentence may quote. Each
/// field is the catalogue placeholder of the same name (see [`Params::each`]).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    /// A name as the sender showed it: a display name, a message signature, a word of a name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The name shown beside a verified one that does not match it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shown: Option<String>,
    /// An app, as the platform named it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    /// The host of a link, or the domain of a mailbox.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// The official domain of the brand that a link imitates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// The host a forwarding link lands on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// A phone or service number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The calling code of a foreign number, digits only ("1", "855").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// How a name is disguised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disguise: Option<DisguiseKind>,
    /// Why a signed identity was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<TokenProblem>,
    /// A sum of money.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// The lexicon phrase that matched, in the characters the sender wrote it in (traditional
    /// or simplified; the lexicon's own spelling otherwise). Never other words of the sender's,
    /// which are not kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

/// One typed value of [`Params`], as [`Params::each`] lists them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamValue<'a> {
    /// Text to show as it is: a name, a domain, a number, an app.
    Text(&'a str),
    /// A lexicon phrase, shown only in the reader's script.
    Phrase(&'a str),
    /// A calling code, shown as its country's name where the catalogue has one.
    Country(&'a str),
    /// A disguise, named by the catalogue.
    Disguise(DisguiseKind),
    /// A refusal, named by the catalogue.
    Problem(TokenProblem),
    /// Money, written the locale's way.
    Amount(&'a Money),
}

impl Params {
    /// Every placeholder name, in the order [`Params::each`] yields them.
    pub const PLACEHOLDERS: [&'static str; 12] = [
        "name", "shown", "app", "domain", "brand", "target", "number", "country", "disguise",
        "problem", "amount", "quote",
    ];

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        self.each().next().is_none()
    }

    /// Every value that is set, with its placeholder name.
    pub fn each(&self) -> impl Iterator<Item = (&'static str, ParamValue<'_>)> {
        fn text(s: &Option<String>) -> Option<ParamValue<'_>> {
            s.as_deref().map(ParamValue::Text)
        }
        [
            ("name", text(&self.name)),
            ("shown", text(&self.shown)),
            ("app", text(&self.app)),
            ("domain", text(&self.domain)),
            ("brand", text(&self.brand)),
            ("target", text(&self.target)),
            ("number", text(&self.number)),
            ("country", self.country.as_deref().map(ParamValue::Country)),
            ("disguise", self.disguise.map(ParamValue::Disguise)),
            ("problem", self.problem.map(ParamValue::Problem)),
            ("amount", self.amount.as_ref().map(ParamValue::Amount)),
            ("quote", self.quote.as_deref().map(ParamValue::Phrase)),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
    }

    /// Params naming `name`.
    pub fn name(name: impl Into<String>) -> Params {
        Params {
            name: Some(name.into()),
            ..Params::default()
        }
    }

    /// Params naming an app.
    pub fn app(app: impl Into<String>) -> Params {
        Params {
            app: Some(app.into()),
            ..Params::default()
        }
    }

    /// Params naming a domain or host.
    pub fn domain(domain: impl Into<String>) -> Params {
        Params {
            domain: Some(domain.into()),
            ..Params::default()
        }
    }

    /// Params naming a number.
    pub fn number(number: impl Into<String>) -> Params {
        Params {
            number: Some(number.into()),
            ..Params::default()
        }
    }

    /// Params quoting a lexicon phrase.
    pub fn quote(phrase: impl Into<String>) -> Params {
        Params {
            quote: Some(phrase.into()),
            ..Params::default()
        }
    }
}

/// How a display name was disguised.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisguiseKind {
    /// Spaces or symbols inside the name ("公 安 局").
    Separators,
    /// Letters or digits that look like others ("p0lice", Cyrillic "Р").
    LookAlikeLetters,
    /// Characters that sound like the real ones ("公按局").
    SoundAlike,
    /// Invisible characters (zero-width, bidi controls).
    Invisible,
    /// Full-width or other compatibility forms ("ＦＢＩ").
    FullWidth,
    /// A right-to-left override that reverses what is shown.
    RightToLeft,
}

impl DisguiseKind {
    /// Every kind.
    pub const ALL: [DisguiseKind; 6] = [
        DisguiseKind::Separators,
        DisguiseKind::LookAlikeLetters,
        DisguiseKind::SoundAlike,
        DisguiseKind::Invisible,
        DisguiseKind::FullWidth,
        DisguiseKind::RightToLeft,
    ];

    /// The wire name, also the catalogue key.
    pub fn as_str(self) -> &'static str {
        match self {
            DisguiseKind::Separators => "separators",
            DisguiseKind::LookAlikeLetters => "look_alike_letters",
            DisguiseKind::SoundAlike => "sound_alike",
            DisguiseKind::Invisible => "invisible",
            DisguiseKind::FullWidth => "full_width",
            DisguiseKind::RightToLeft => "right_to_left",
        }
    }
}

/// Why a signed identity was refused, as a user needs to know it (the exact failed check is in
/// the evidence).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenProblem {
    /// Not a valid signature of an enrolled organisation.
    Forged,
    /// Signed too long ago, or with a key that is not valid now.
    Expired,
    /// Already used for another call.
    Reused,
    /// Signed for another caller, callee or name.
    NotThisCall,
    /// The organisation is suspended or revoked.
    Withdrawn,
}

impl TokenProblem {
    /// Every problem.
    pub const ALL: [TokenProblem; 5] = [
        TokenProblem::Forged,
        TokenProblem::Expired,
        TokenProblem::Reused,
        TokenProblem::NotThisCall,
        TokenProblem::Withdrawn,
    ];

    /// The wire name, also the catalogue key.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenProblem::Forged => "forged",
            TokenProblem::Expired => "expired",
            TokenProblem::Reused => "reused",
            TokenProblem::NotThisCall => "not_this_call",
            TokenProblem::Withdrawn => "withdrawn",
        }
    }
}

/// A sum of money in a currency.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Money {
    /// The amount.
    pub value: f64,
    /// ISO 4217 code, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

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
    /// What the strongest finding was about, for the user's sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<Box<Params>>,
}

impl SignalSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a finding. Unknown codes are ignored: every code a detector emits is in [`codes`].
    pub fn add(&mut self, code: &str, strength: f64, evidence: impl Into<String>) {
        self.add_with(code, strength, evidence, None);
    }

    /// Records a finding with what it is about (see [`Params`]).
    pub fn add_with(
        &mut self,
        code: &str,
        strength: f64,
        evidence: impl Into<String>,
        params: impl Into<Option<Params>>,
    ) {
        let Some(index) = codes::index(code) else {
            debug_assert!(false, "unknown signal code {code}");
            return;
        };
        let params = params.into().filter(|p| !p.is_empty()).map(Box::new);
        self.add_index(index, strength, evidence.into(), params);
    }

    fn add_index(
        &mut self,
        index: usize,
        strength: f64,
        mut evidence: String,
        params: Option<Box<Params>>,
    ) {
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
                            params: None,
                        },
                    ),
                );
                self.bits.insert(index);
                at
            }
        };
        let entry = &mut self.entries[at].1;
        // The sentence speaks of the strongest finding that says what it is about.
        if params.is_some() && (entry.params.is_none() || strength > entry.strength) {
            entry.params = params;
        }
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
            self.add_entry(*k as usize, e.clone());
        }
    }

    fn add_entry(&mut self, index: usize, e: SignalEntry) {
        let mut params = e.params;
        if e.evidence.is_empty() {
            self.add_index(index, e.strength, String::new(), params.take());
        }
        for ev in e.evidence {
            self.add_index(index, e.strength, ev, params.take());
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
                set.add_entry(i, e);
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
    fn params_follow_the_strongest_finding_and_survive_a_round_trip() {
        let mut s = SignalSet::new();
        s.add(codes::LINK_BRAND_IMPERSONATION, 0.2, "no details");
        s.add_with(
            codes::LINK_BRAND_IMPERSONATION,
            0.3,
            "weak",
            Params::domain("a.top"),
        );
        s.add_with(
            codes::LINK_BRAND_IMPERSONATION,
            0.9,
            "strong",
            Params::domain("icbc-verify.com"),
        );
        s.add_with(
            codes::LINK_BRAND_IMPERSONATION,
            0.5,
            "weaker",
            Params::domain("b.top"),
        );
        let e = s.get(codes::LINK_BRAND_IMPERSONATION).unwrap();
        assert_eq!(
            e.params.as_deref().and_then(|p| p.domain.as_deref()),
            Some("icbc-verify.com")
        );
        // Empty params are no params.
        s.add_with(codes::LINK_PRESENT, 1.0, "x", Params::default());
        assert!(s.get(codes::LINK_PRESENT).unwrap().params.is_none());

        let mut merged = SignalSet::new();
        merged.merge(&s);
        assert_eq!(merged, s);
        let json = serde_json::to_string(&s).unwrap();
        assert!(
            json.contains(r#""params":{"domain":"icbc-verify.com"}"#),
            "{json}"
        );
        let back: SignalSet = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        // Sessions stored before params existed still load.
        let old: SignalSet =
            serde_json::from_str(r#"{"link_present":{"strength":1.0,"evidence":["a.com"]}}"#)
                .unwrap();
        assert!(old.get(codes::LINK_PRESENT).unwrap().params.is_none());
    }

    #[test]
    fn params_list_every_placeholder_once() {
        let p = Params {
            name: Some("n".into()),
            shown: Some("s".into()),
            app: Some("a".into()),
            domain: Some("d".into()),
            brand: Some("b".into()),
            target: Some("t".into()),
            number: Some("1".into()),
            country: Some("1".into()),
            disguise: Some(DisguiseKind::Invisible),
            problem: Some(TokenProblem::Forged),
            amount: Some(Money {
                value: 1.0,
                currency: None,
            }),
            quote: Some("q".into()),
        };
        let keys: Vec<&str> = p.each().map(|(k, _)| k).collect();
        assert_eq!(keys, Params::PLACEHOLDERS);
        assert!(Params::default().is_empty() && !p.is_empty());
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json.as_object().unwrap().len(), Params::PLACEHOLDERS.len());
        assert_eq!(json["disguise"], "invisible");
        assert_eq!(json["problem"], "forged");
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
