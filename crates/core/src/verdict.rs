//! Verdicts: what the platform should do, why, and what to tell the user.

use crate::event::Locale;
use crate::signal::{codes, Params};
use serde::{Deserialize, Serialize};

/// What the platform should do. Ordered: `Allow < Warn < Block`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Nothing found worth interrupting the user for.
    #[default]
    Allow,
    /// Show a warning; let the user decide.
    Warn,
    /// Stop it: end or label the call, deny the step, hold the payment.
    Block,
}

impl Action {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Warn => "warn",
            Action::Block => "block",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Action> {
        match s {
            "allow" => Some(Action::Allow),
            "warn" => Some(Action::Warn),
            "block" => Some(Action::Block),
            _ => None,
        }
    }
}

/// What a verdict says a message is, for a platform that files rather than interrupts: a
/// junk folder for `spam`, a warning for `scam`. Derived from the verdict by [`Class::of`],
/// the one place that decides it; the evaluation scores verdicts by it too.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Nothing unwanted found.
    #[default]
    Ham,
    /// Unwanted, not dangerous: marketing the text classifier recognised. Never warns alone.
    Spam,
    /// A scam, phishing or impersonation attempt: the verdict warns or blocks on it.
    Scam,
}

impl Class {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Ham => "ham",
            Class::Spam => "spam",
            Class::Scam => "scam",
        }
    }

    /// The class of a verdict with this action, score and priced signals: `scam` when it warns
    /// or blocks on anything but the spam model; `spam` when the spam model outweighs the rest
    /// of what made it warn, or when it allows a text the spam model flagged; `ham` otherwise.
    pub fn of(action: Action, score: f64, signals: &[ScoredSignal]) -> Class {
        let spam_signal = signals.iter().find(|s| s.code == codes::MODEL_SPAM);
        let spam = spam_signal.map_or(0.0, |s| s.weight);
        if action == Action::Allow {
            return if spam_signal.is_some() && score > 0.0 {
                Class::Spam
            } else {
                Class::Ham
            };
        }
        // What counts against the spam model: positive weights that say "scam", not the bare
        // facts that every stranger's message carries.
        let scam_like: f64 = signals
            .iter()
            .filter(|s| {
                s.code != codes::MODEL_SPAM
                    && s.weight > 0.0
                    && s.code != codes::NOT_IN_CONTACTS
                    && s.code != codes::LINK_PRESENT
            })
            .map(|s| s.weight)
            .sum();
        if spam > 0.0 && spam >= scam_like {
            Class::Spam
        } else {
            Class::Scam
        }
    }
}

/// A concrete instruction to the platform.
///
/// Its fieldless twin [`DirectiveCode`] (what a policy names) is derived from this declaration,
/// so a directive is added here and nowhere else.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, strum::EnumDiscriminants)]
#[serde(tag = "code", rename_all = "snake_case")]
#[strum_discriminants(
    name(DirectiveCode),
    vis(pub),
    doc = "The code of a [`Directive`]: what a policy's `[[directives]]` table names.",
    derive(
        Hash,
        PartialOrd,
        Ord,
        Serialize,
        Deserialize,
        strum::IntoStaticStr,
        strum::VariantNames,
        strum::VariantArray
    ),
    serde(rename_all = "snake_case"),
    strum(serialize_all = "snake_case")
)]
pub enum Directive {
    /// Show this label on the caller instead of (or beside) the display name.
    LabelCaller {
        /// The label text, in the verdict's locale.
        label: String,
        /// Whether the name was verified (true) or is only claimed (false).
        verified: bool,
    },
    /// Refuse or stop screen sharing and remote control.
    DenyScreenShare,
    /// Hide one-time passcodes from the screen and notifications for now.
    HideOtp,
    /// Stop the app installation.
    BlockInstall,
    /// Hold outgoing payments for a while.
    HoldPayment {
        /// How long, in minutes.
        minutes: u32,
    },
    /// Offer to call the claimed organisation back on its official number.
    OfferOfficialCallback {
        /// The protected identity the caller claimed.
        identity: String,
        /// Its official number, from the lexicon or registry, never from the caller.
        #[serde(skip_serializing_if = "Option::is_none")]
        number: Option<String>,
        /// Its official website, when it has no number.
        #[serde(skip_serializing_if = "Option::is_none")]
        domain: Option<String>,
    },
    /// Make links in this conversation untappable.
    DisableLinks,
}

impl Directive {
    /// The stable snake_case code.
    pub fn code(&self) -> &'static str {
        DirectiveCode::from(self).as_str()
    }

    /// Every directive code, in declaration order.
    pub const CODES: &'static [&'static str] = <DirectiveCode as strum::VariantNames>::VARIANTS;
}

impl DirectiveCode {
    /// Every directive code, in declaration order.
    pub const ALL: &'static [DirectiveCode] = <DirectiveCode as strum::VariantArray>::VARIANTS;

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Parses a wire name.
    pub fn parse(code: &str) -> Option<DirectiveCode> {
        use serde::de::IntoDeserializer;
        let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
            code.into_deserializer();
        DirectiveCode::deserialize(de).ok()
    }
}

impl std::fmt::Display for DirectiveCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A signal as priced by the policy.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoredSignal {
    /// Stable code.
    pub code: String,
    /// Contribution to the score (policy weight × strength, trimmed by the group cap).
    pub weight: f64,
    /// What was seen, for analysts.
    pub evidence: Vec<String>,
    /// What it is about, typed, as the user's sentence names it.
    #[serde(default, skip_serializing_if = "Params::is_empty")]
    pub params: Params,
}

/// A hard rule that fired.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FiredRule {
    /// The rule's name in the policy.
    pub name: String,
    /// The action it demands at least.
    pub action: Action,
}

/// The protected identity the caller claims to be.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimedIdentity {
    /// Lexicon or registry id.
    pub id: String,
    /// Its canonical name in the verdict's locale.
    pub name: String,
    /// Its category (police, bank, ...).
    pub category: String,
    /// Its tier (A, B, C).
    pub tier: String,
    /// The part of the display name or text that made the claim.
    pub matched: String,
}

/// An identity verified by a signed assertion or a trusted platform.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerifiedIdentity {
    /// Organisation id.
    pub org: String,
    /// The verified display name.
    pub name: String,
}

/// The engine's answer after an event.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The highest action reached so far.
    pub action: Action,
    /// What the verdict says the message or call is: `ham`, `spam` or `scam`. Verdicts stored
    /// before the field existed read as `ham`.
    #[serde(default)]
    pub class: Class,
    /// The current score.
    pub score: f64,
    /// Signals, strongest first.
    pub signals: Vec<ScoredSignal>,
    /// What the platform should do now.
    pub directives: Vec<Directive>,
    /// Hard rules that fired.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<FiredRule>,
    /// Who the caller claims to be.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claimed_identity: Option<ClaimedIdentity>,
    /// Who the caller was verified to be.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_identity: Option<VerifiedIdentity>,
    /// The language of `headline` and `explanation`.
    pub locale: Locale,
    /// A few words for a banner: at most 24 characters in Chinese, 80 in English.
    #[serde(default)]
    pub headline: String,
    /// What is wrong and what to do, in plain words: the full text.
    pub explanation: String,
}

impl Verdict {
    /// Whether a directive with `code` is present.
    pub fn has_directive(&self, code: &str) -> bool {
        self.directives.iter().any(|d| d.code() == code)
    }

    /// Whether a signal with `code` is present.
    pub fn has_signal(&self, code: &str) -> bool {
        self.signals.iter().any(|s| s.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_ordered_and_named() {
        assert!(Action::Allow < Action::Warn && Action::Warn < Action::Block);
        for a in [Action::Allow, Action::Warn, Action::Block] {
            assert_eq!(Action::parse(a.as_str()), Some(a));
        }
    }

    fn signal(code: &str, weight: f64) -> ScoredSignal {
        ScoredSignal {
            code: code.into(),
            weight,
            evidence: vec![],
            params: Params::default(),
        }
    }

    #[test]
    fn the_class_follows_the_action_and_what_drove_it() {
        let spam = signal(codes::MODEL_SPAM, 2.0);
        assert_eq!(Class::of(Action::Allow, 0.0, &[]), Class::Ham);
        assert_eq!(
            Class::of(Action::Allow, 2.5, std::slice::from_ref(&spam)),
            Class::Spam
        );
        assert_eq!(
            Class::of(
                Action::Allow,
                -2.0,
                &[spam.clone(), signal(codes::IN_CONTACTS, -4.0)]
            ),
            Class::Ham,
            "a contact's marketing-like text is not filed as spam"
        );
        let urgency = signal(codes::SCRIPT_URGENCY, 1.0);
        let stranger = signal(codes::NOT_IN_CONTACTS, 0.5);
        assert_eq!(
            Class::of(Action::Warn, 4.0, &[spam.clone(), urgency, stranger]),
            Class::Spam,
            "the spam model outweighs the rest"
        );
        let threat = signal(codes::SCRIPT_ACCOUNT_THREAT, 2.5);
        let link = signal(codes::LINK_RISKY_TLD, 2.0);
        assert_eq!(
            Class::of(Action::Warn, 6.5, &[spam, threat, link]),
            Class::Scam
        );
        assert_eq!(Class::of(Action::Block, 12.0, &[]), Class::Scam);
        for c in [Class::Ham, Class::Spam, Class::Scam] {
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.as_str())
            );
        }
    }

    #[test]
    fn directives_serialise_with_their_code() {
        let d = Directive::HoldPayment { minutes: 30 };
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            r#"{"code":"hold_payment","minutes":30}"#
        );
        assert_eq!(Directive::DisableLinks.code(), "disable_links");
    }

    /// serde names the wire tag and strum names the code; both follow the one declaration.
    #[test]
    fn each_directive_code_is_its_wire_tag() {
        let all = [
            Directive::LabelCaller {
                label: "l".into(),
                verified: false,
            },
            Directive::DenyScreenShare,
            Directive::HideOtp,
            Directive::BlockInstall,
            Directive::HoldPayment { minutes: 1 },
            Directive::OfferOfficialCallback {
                identity: "i".into(),
                number: None,
                domain: None,
            },
            Directive::DisableLinks,
        ];
        let codes: Vec<DirectiveCode> = all.iter().map(DirectiveCode::from).collect();
        assert_eq!(codes, DirectiveCode::ALL);
        for d in &all {
            let json = serde_json::to_value(d).unwrap();
            assert_eq!(json["code"], d.code());
            assert_eq!(DirectiveCode::parse(d.code()), Some(DirectiveCode::from(d)));
            let quoted = serde_json::to_value(DirectiveCode::from(d)).unwrap();
            assert_eq!(quoted, d.code());
        }
        assert_eq!(
            Directive::CODES,
            [
                "label_caller",
                "deny_screen_share",
                "hide_otp",
                "block_install",
                "hold_payment",
                "offer_official_callback",
                "disable_links"
            ]
        );
        assert_eq!(DirectiveCode::parse("self_destruct"), None);
    }
}
