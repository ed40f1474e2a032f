//! The engine: lexicons, policy and catalog, and the three ways to ask it something.
//!
//! - [`Engine::open_session`] and [`Engine::apply`]: a call or thread, event by event;
//! - [`Engine::check_case`]: a whole case file at once (what `scamguard check` does);
//! - [`Engine::scan_message`] and [`Engine::scan_url`]: stateless one-off scans.
//!
//! An `Engine` is cheap to clone and safe to share between threads.

use crate::detect::{self, CallState, NameClaim, TextSource};
use crate::event::{Case, Channel, Direction, Event, EventKind, Locale, Opening, Party, Speaker};
use crate::explain::{Catalog, ExplainInput};
use crate::lexicon::{BrandDomains, IdentityIndex, LexiconError, Lexicons};
use crate::policy::{Policy, PolicyError};
use crate::signal::{codes, SignalSet};
use crate::text::t2s;
use crate::url::analyse_url;
use crate::verdict::{Action, ClaimedIdentity, Directive, Verdict, VerifiedIdentity};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Why an engine could not be built.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A lexicon is invalid.
    #[error(transparent)]
    Lexicon(#[from] LexiconError),
    /// The policy is invalid.
    #[error(transparent)]
    Policy(#[from] PolicyError),
}

/// The scam-detection engine.
#[derive(Debug, Clone)]
pub struct Engine {
    lex: Arc<Lexicons>,
    policy: Arc<Policy>,
    catalog: Arc<Catalog>,
}

/// Builds an engine from the built-in data with parts replaced.
#[derive(Debug, Default)]
pub struct EngineBuilder {
    policy: Option<Policy>,
    identities: Option<IdentityIndex>,
    brands: Option<BrandDomains>,
}

impl EngineBuilder {
    /// Uses `policy` instead of the built-in one.
    pub fn policy(mut self, policy: Policy) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Uses these protected identities instead of the built-in ones.
    pub fn identities(mut self, identities: IdentityIndex) -> Self {
        self.identities = Some(identities);
        self
    }

    /// Uses these protected brand domains instead of the built-in ones.
    pub fn brands(mut self, brands: BrandDomains) -> Self {
        self.brands = Some(brands);
        self
    }

    /// Builds the engine.
    pub fn build(self) -> Result<Engine, EngineError> {
        let mut lex = Lexicons::builtin()?;
        if let Some(i) = self.identities {
            lex.identities = i;
        }
        if let Some(b) = self.brands {
            lex.brands = b;
        }
        t2s::warm_up();
        Ok(Engine {
            lex: Arc::new(lex),
            policy: Arc::new(self.policy.unwrap_or_else(Policy::builtin)),
            catalog: Arc::new(Catalog::builtin()),
        })
    }
}

/// The claim a session is judged against, kept by lexicon id so that stored sessions survive
/// lexicon updates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimRef {
    /// Lexicon id.
    pub id: String,
    /// What matched.
    pub matched: String,
    /// The display name as shown to the user, when the claim came from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shown: Option<String>,
}

/// One call or conversation in progress. Serialisable so that a server can store it; it holds
/// no message text and no handle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallSession {
    /// The medium.
    pub channel: Channel,
    /// The user's language.
    pub locale: Locale,
    /// Signals so far.
    pub signals: SignalSet,
    /// Behavioural state.
    pub state: CallState,
    /// Who the caller claims to be.
    pub claim: Option<ClaimRef>,
    /// Who the caller was verified to be.
    pub verified: Option<VerifiedIdentity>,
    /// The highest action reached.
    pub max_action: Action,
    /// Events applied.
    pub events: u64,
}

/// The verdicts of a whole case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseReport {
    /// The verdict after the last event.
    pub verdict: Verdict,
    /// The verdict after each event, in order.
    pub trace: Vec<Verdict>,
}

impl Engine {
    /// An engine with the built-in lexicons, policy and catalog.
    pub fn builtin() -> Result<Engine, EngineError> {
        EngineBuilder::default().build()
    }

    /// A builder to replace parts of the built-in data.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// The same engine with another policy (for reloads and dry runs); lexicons are shared.
    pub fn with_policy(&self, policy: Policy) -> Engine {
        Engine {
            lex: Arc::clone(&self.lex),
            policy: Arc::new(policy),
            catalog: Arc::clone(&self.catalog),
        }
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The lexicons in use.
    pub fn lexicons(&self) -> &Lexicons {
        &self.lex
    }

    /// The message catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Opens a session for a call or thread and judges its opening. `salt` keys the passcode
    /// fingerprints; use a random value per session.
    pub fn open_session(&self, opening: &Opening, salt: u64) -> (CallSession, Verdict) {
        let mut signals = SignalSet::new();
        let claim = self.party_signals(&opening.from, opening.locale, &mut signals);
        let verified = opening
            .from
            .verified_org
            .as_ref()
            .filter(|o| !o.trim().is_empty())
            .map(|org| {
                let name = self
                    .lex
                    .identities
                    .by_id(org)
                    .map(|i| i.name_in(opening.locale).to_string())
                    .unwrap_or_else(|| org.clone());
                VerifiedIdentity {
                    org: org.clone(),
                    name,
                }
            });
        let mut session = CallSession {
            channel: opening.channel,
            locale: opening.locale,
            signals,
            state: CallState {
                salt,
                ..CallState::default()
            },
            claim: claim.map(|c| {
                let mut r = self.claim_ref(&c);
                r.shown = opening
                    .from
                    .display_name
                    .as_deref()
                    .map(crate::text::display_form)
                    .filter(|s| !s.is_empty());
                r
            }),
            verified,
            max_action: Action::Allow,
            events: 0,
        };
        let verdict = self.judge(&mut session);
        (session, verdict)
    }

    /// Applies one event to a session and returns the verdict now.
    pub fn apply(&self, session: &mut CallSession, event: &Event) -> Verdict {
        session.events += 1;
        let lex = &*self.lex;
        match &event.kind {
            EventKind::Speech {
                speaker: Speaker::Remote,
                text,
            }
            | EventKind::Message {
                direction: Direction::In,
                text,
            } => {
                let source = if matches!(event.kind, EventKind::Speech { .. }) {
                    TextSource::Speech
                } else {
                    TextSource::Message
                };
                let o = detect::detect_text(text, source, lex, &mut session.signals);
                let official = session.signals.has(codes::OFFICIAL_SENDER_NUMBER);
                // A message signature or a self-introduction is a claim like a display name,
                // unless the handle is that body's own number.
                let claim =
                    if o.signature { o.claim.clone() } else { None }.or(o.introduces.clone());
                if let Some(c) = &claim {
                    if !official {
                        let code = match lex.identities.get(c.index).tier {
                            crate::lexicon::Tier::A => codes::CLAIMS_AUTHORITY,
                            crate::lexicon::Tier::B => codes::CLAIMS_ORGANISATION,
                            crate::lexicon::Tier::C => codes::CLAIMS_SERVICE_ROLE,
                        };
                        session.signals.add(code, 1.0, c.matched.clone());
                    }
                }
                if session.claim.is_none() {
                    session.claim = claim.or(o.claim).map(|c| self.claim_ref(&c));
                }
            }
            _ => {}
        }
        detect::detect_behaviour(
            &event.kind,
            &mut session.state,
            lex,
            self.policy.settings.large_payment,
            &mut session.signals,
        );
        self.judge(session)
    }

    /// The verdict for a session as it stands, without changing it.
    pub fn verdict_of(&self, session: &CallSession) -> Verdict {
        self.verdict(&session.signals, session.max_action, session)
    }

    fn judge(&self, session: &mut CallSession) -> Verdict {
        let v = self.verdict(&session.signals, session.max_action, session);
        session.max_action = v.action;
        v
    }

    /// Runs a whole case.
    pub fn check_case(&self, case: &Case) -> CaseReport {
        let salt = case_salt(case);
        let (mut session, opening_verdict) = self.open_session(&case.opening(), salt);
        let mut trace = Vec::with_capacity(case.events.len());
        for e in &case.events {
            trace.push(self.apply(&mut session, e));
        }
        let verdict = trace.last().cloned().unwrap_or(opening_verdict);
        CaseReport { verdict, trace }
    }

    /// Scans one message on its own. `from` adds what is known of the sender.
    pub fn scan_message(&self, text: &str, from: Option<&Party>, locale: Locale) -> Verdict {
        let opening = Opening {
            channel: Channel::Message,
            locale,
            from: from.cloned().unwrap_or_default(),
            to: None,
        };
        let mut session = if from.is_some() {
            self.open_session(&opening, 0).0
        } else {
            CallSession {
                channel: Channel::Message,
                locale,
                signals: SignalSet::new(),
                state: CallState::default(),
                claim: None,
                verified: None,
                max_action: Action::Allow,
                events: 0,
            }
        };
        self.apply(
            &mut session,
            &Event::new(EventKind::Message {
                direction: Direction::In,
                text: text.to_string(),
            }),
        )
    }

    /// Checks a display name on its own: the identity signals it raises and the lexicon id of
    /// the body it claims.
    pub fn check_name(&self, name: &str) -> (SignalSet, Option<String>) {
        let mut signals = SignalSet::new();
        let claim = detect::detect_name(name, &self.lex, &mut signals);
        (
            signals,
            claim.map(|c| self.lex.identities.get(c.index).id.clone()),
        )
    }

    /// Judges one URL on its own.
    pub fn scan_url(&self, url: &str, locale: Locale) -> Verdict {
        let report = analyse_url(url, false, &self.lex);
        let session = CallSession {
            channel: Channel::Message,
            locale,
            signals: report.signals,
            state: CallState::default(),
            claim: None,
            verified: None,
            max_action: Action::Allow,
            events: 0,
        };
        self.verdict_of(&session)
    }

    fn party_signals(
        &self,
        from: &Party,
        locale: Locale,
        out: &mut SignalSet,
    ) -> Option<NameClaim> {
        let lex = &*self.lex;
        let claim = from
            .display_name
            .as_deref()
            .and_then(|n| detect::detect_name(n, lex, out));
        let outcome = detect::detect_party(from, locale, claim.as_ref(), lex, out);
        claim.or_else(|| {
            outcome.official_owner.map(|i| NameClaim {
                index: i,
                matched: from.handle.clone(),
            })
        })
    }

    fn claim_ref(&self, c: &NameClaim) -> ClaimRef {
        ClaimRef {
            id: self.lex.identities.get(c.index).id.clone(),
            matched: c.matched.clone(),
            shown: None,
        }
    }

    fn verdict(&self, set: &SignalSet, floor: Action, session: &CallSession) -> Verdict {
        let locale = session.locale;
        let ev = self.policy.evaluate(set, floor);
        let claimed = session
            .claim
            .as_ref()
            .and_then(|c| self.lex.identities.by_id(&c.id).map(|i| (c, i)));
        let claimed_name = claimed.map(|(_, i)| i.name_in(locale).to_string());
        let mut directives = Vec::with_capacity(ev.directives.len());
        for code in &ev.directives {
            let d = match code.as_str() {
                "label_caller" => {
                    if let Some(v) = &session.verified {
                        Directive::LabelCaller {
                            label: self.catalog.label(locale, &v.name, true),
                            verified: true,
                        }
                    } else if let Some((c, _)) = claimed {
                        Directive::LabelCaller {
                            label: self.catalog.label(
                                locale,
                                c.shown.as_deref().unwrap_or(&c.matched),
                                false,
                            ),
                            verified: false,
                        }
                    } else {
                        continue;
                    }
                }
                "deny_screen_share" => Directive::DenyScreenShare,
                "hide_otp" => Directive::HideOtp,
                "block_install" => Directive::BlockInstall,
                "hold_payment" => Directive::HoldPayment {
                    minutes: self.policy.settings.hold_payment_minutes,
                },
                "offer_official_callback" => {
                    let Some((_, idt)) = claimed else { continue };
                    let Some(cb) = &idt.callback else { continue };
                    Directive::OfferOfficialCallback {
                        identity: idt.id.clone(),
                        number: cb.number.clone(),
                        domain: cb.domain.clone(),
                    }
                }
                "disable_links" => Directive::DisableLinks,
                _ => continue,
            };
            directives.push(d);
        }
        let rules: Vec<String> = ev.rules.iter().map(|r| r.name.clone()).collect();
        let positive: Vec<(String, String)> = ev
            .signals
            .iter()
            .filter(|s| s.weight > 0.0)
            .map(|s| {
                (
                    s.code.clone(),
                    s.evidence.first().cloned().unwrap_or_default(),
                )
            })
            .collect();
        let explanation = self.catalog.explain(
            locale,
            &ExplainInput {
                action: ev.action,
                rules: &rules,
                signals: &positive,
                directives: &directives,
                claimed_name: claimed_name.as_deref(),
                verified_name: session.verified.as_ref().map(|v| v.name.as_str()),
            },
        );
        Verdict {
            action: ev.action,
            score: ev.score,
            signals: ev.signals,
            directives,
            rules: ev.rules,
            claimed_identity: claimed.map(|(c, i)| ClaimedIdentity {
                id: i.id.clone(),
                name: i.name_in(locale).to_string(),
                category: i.category.clone(),
                tier: i.tier.as_str().to_string(),
                matched: c.matched.clone(),
            }),
            verified_identity: session.verified.clone(),
            locale,
            explanation,
        }
    }
}

/// A salt derived from the case, so that checking a case is repeatable.
fn case_salt(case: &Case) -> u64 {
    let mut h: u64 = 0x9e37_79b9_7f4a_7c15;
    for b in case.from.handle.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> &'static Engine {
        static E: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
        E.get_or_init(|| Engine::builtin().unwrap())
    }

    #[test]
    fn the_domain_reference_call_is_blocked() {
        let case = Case::from_json(
            r#"{"channel":"video_call","locale":"zh-Hans",
                "from":{"handle":"+1 213 555 0147","display_name":"厦门市公安局","in_contacts":false},
                "events":[{"type":"call_offer"},
                          {"type":"screen_share_request","initiator":"remote","app":"facetime"},
                          {"type":"payment","amount":30000,"currency":"CNY","payee":"new"}]}"#,
        )
        .unwrap();
        let r = engine().check_case(&case);
        assert_eq!(r.verdict.action, Action::Block);
        assert!(r.verdict.has_directive("deny_screen_share"));
        assert!(r.verdict.has_directive("hold_payment"));
        assert!(r.verdict.has_directive("label_caller"));
        assert_eq!(
            r.verdict.claimed_identity.as_ref().unwrap().category,
            "police"
        );
        assert!(!r.verdict.explanation.is_empty());
        assert_eq!(r.trace.len(), 3);
    }

    #[test]
    fn verdicts_only_rise() {
        let case = Case::from_json(
            r#"{"channel":"video_call","from":{"handle":"+1 213 555 0147","display_name":"公安局"},
                "events":[{"type":"call_offer"},{"type":"call_ended"}]}"#,
        )
        .unwrap();
        let r = engine().check_case(&case);
        assert_eq!(r.trace[0].action, Action::Block);
        assert_eq!(r.trace[1].action, Action::Block);
    }

    #[test]
    fn a_family_call_is_allowed() {
        let case = Case::from_json(
            r#"{"channel":"video_call","from":{"handle":"+86 139 0000 0000","display_name":"妈妈","in_contacts":true},
                "events":[{"type":"call_offer"},{"type":"screen_share_request","initiator":"local"},
                          {"type":"screen_share_started"},{"type":"app_foreground","app":"设置","category":"settings"}]}"#,
        )
        .unwrap();
        assert_eq!(engine().check_case(&case).verdict.action, Action::Allow);
    }

    #[test]
    fn sessions_survive_serialisation() {
        let opening = Opening {
            channel: Channel::VideoCall,
            locale: Locale::En,
            from: Party {
                handle: "+1 213 555 0147".into(),
                display_name: Some("FBI".into()),
                ..Party::default()
            },
            to: None,
        };
        let (s, v) = engine().open_session(&opening, 1);
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("213 555"), "no handle in stored sessions");
        let back: CallSession = serde_json::from_str(&json).unwrap();
        assert_eq!(engine().verdict_of(&back), v);
    }

    #[test]
    fn scans() {
        let v = engine().scan_url("http://icbc-verify.com/login", Locale::ZhHans);
        assert!(v.action >= Action::Warn, "{v:?}");
        let v = engine().scan_url("https://www.icbc.com.cn/", Locale::ZhHans);
        assert_eq!(v.action, Action::Allow);
        let v = engine().scan_message("今晚一起吃饭吗？", None, Locale::ZhHans);
        assert_eq!(v.action, Action::Allow);
    }
}
