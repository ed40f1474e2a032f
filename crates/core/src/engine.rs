//! The engine: lexicons, policy and catalog, and the three ways to ask it something.
//!
//! - [`Engine::open_session`] and [`Engine::apply`]: a call or thread, event by event;
//! - [`Engine::check_case`]: a whole case file at once (what `scamguard check` does);
//! - [`Engine::scan_message`] and [`Engine::scan_url`]: stateless one-off scans.
//!
//! An `Engine` is cheap to clone and safe to share between threads.

use crate::detect::{self, CallState, NameClaim, TextSource};
use crate::event::{
    echo, Case, Channel, Direction, Event, EventKind, InputError, Locale, Opening, Party,
};
use crate::explain::{Catalog, Claimed, ExplainInput, Medium};
use crate::intel::{Reputation, SessionIndicators};
use crate::lexicon::{BrandDomains, IdentityIndex, LexiconError, Lexicons};
use crate::model::Model;
use crate::passport::{self, CallFacts, KeyDirectory, OrgStatus, Registry, ReplayCache};
use crate::policy::{Policy, PolicyError};
use crate::signal::{codes, Params, SignalSet, TokenProblem};
use crate::text::t2s;
use crate::url::analyse_url;
use crate::verdict::{
    Action, ClaimedIdentity, Directive, DirectiveCode, Verdict, VerifiedIdentity,
};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

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
    registry: Option<Arc<Registry>>,
    replay: Arc<Mutex<ReplayCache>>,
    /// The text classifier; `None` for rules only.
    model: Option<Arc<Model>>,
}

/// Builds an engine from the built-in data with parts replaced.
#[derive(Debug, Default)]
pub struct EngineBuilder {
    policy: Option<Policy>,
    identities: Option<IdentityIndex>,
    brands: Option<BrandDomains>,
    registry: Option<Registry>,
    model: Option<Model>,
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

    /// Verifies signed call assertions against this registry, and protects its organisations'
    /// names like the lexicon's.
    pub fn registry(mut self, registry: Registry) -> Self {
        self.registry = Some(registry);
        self
    }

    /// Uses this text classifier instead of the built-in one.
    pub fn model(mut self, model: Model) -> Self {
        self.model = Some(model);
        self
    }

    /// Builds the engine.
    pub fn build(self) -> Result<Engine, EngineError> {
        let mut lex = Lexicons::builtin()?;
        if let Some(i) = self.identities {
            lex.identities = i;
        }
        if let Some(reg) = &self.registry {
            lex.identities = with_registry_names(&lex.identities, reg)?;
        }
        if let Some(b) = self.brands {
            lex.brands = b;
        }
        t2s::warm_up();
        let policy = self.policy.unwrap_or_else(Policy::builtin);
        let window = policy.settings.token_freshness_secs.saturating_mul(2);
        Ok(Engine {
            lex: Arc::new(lex),
            catalog: Arc::new(builtin_catalog().for_policy(&policy)),
            policy: Arc::new(policy),
            registry: self.registry.map(Arc::new),
            replay: Arc::new(Mutex::new(ReplayCache::new(window))),
            model: Some(self.model.map_or_else(Model::builtin, Arc::new)),
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
    /// What the caller named that a ring reuses (accounts, numbers, domains; see
    /// [`crate::intel::indicator`]), when the caller of [`Engine::apply`] collects them.
    #[serde(default, skip_serializing_if = "SessionIndicators::is_empty")]
    pub indicators: SessionIndicators,
}

/// What the service knows about a session beyond the platform's request, decided elsewhere
/// from stored facts and handed in: the engine itself never looks anything up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionContext {
    /// The caller handle's reputation from victims' reports and analysts' decisions.
    pub reputation: Option<Reputation>,
}

impl CallSession {
    /// A message thread with no known sender and nothing applied yet: what a lone message or
    /// link is judged in.
    fn without_caller(locale: Locale, signals: SignalSet) -> CallSession {
        CallSession {
            channel: Channel::Message,
            locale,
            signals,
            state: CallState::default(),
            claim: None,
            verified: None,
            max_action: Action::Allow,
            events: 0,
            indicators: SessionIndicators::default(),
        }
    }

    /// Whether the call or thread has ended (`call_ended`): a service refuses further events.
    pub fn is_ended(&self) -> bool {
        self.state.ended
    }
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
            catalog: Arc::new(builtin_catalog().for_policy(&policy)),
            policy: Arc::new(policy),
            registry: self.registry.clone(),
            replay: Arc::clone(&self.replay),
            model: self.model.clone(),
        }
    }

    /// The same engine without the text classifier: rules only.
    pub fn without_model(&self) -> Engine {
        Engine {
            model: None,
            ..self.clone()
        }
    }

    /// The text classifier in use, if any.
    pub fn model(&self) -> Option<&Model> {
        self.model.as_deref()
    }

    /// The same engine with another registry snapshot (after an enrolment or a revocation).
    /// The replay memory is kept.
    pub fn with_registry(&self, registry: Registry) -> Result<Engine, EngineError> {
        let mut lex = (*self.lex).clone();
        // Rebuild from the lexicon alone, then add the new registry's names.
        let base: Vec<_> = lex
            .identities
            .identities()
            .iter()
            .filter(|i| !i.id.starts_with("reg:"))
            .cloned()
            .collect();
        let base = IdentityIndex::new(base, "identities")?;
        lex.identities = with_registry_names(&base, &registry)?;
        Ok(Engine {
            lex: Arc::new(lex),
            policy: Arc::clone(&self.policy),
            catalog: Arc::clone(&self.catalog),
            registry: Some(Arc::new(registry)),
            replay: Arc::clone(&self.replay),
            model: self.model.clone(),
        })
    }

    /// The same engine with an empty replay memory of its own: what it judges neither sees
    /// nor records the assertion ids the original has seen. For dry runs and other
    /// evaluations that must leave no trace (a token judged here can still be used once in
    /// earnest).
    pub fn with_fresh_replay_cache(&self) -> Engine {
        let window = self.policy.settings.token_freshness_secs.saturating_mul(2);
        Engine {
            replay: Arc::new(Mutex::new(ReplayCache::new(window))),
            ..self.clone()
        }
    }

    /// The registry in use, if any.
    pub fn registry(&self) -> Option<&Registry> {
        self.registry.as_deref()
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

    /// Checks what an opening asserts against what the engine knows, beyond its shape (which
    /// [`Opening::from_value`] checks): `from.verified_org` must be the id of a protected
    /// identity or of an active registry organisation, since a platform's word that a handle is
    /// verified is shown to the user as "verified: <that name>". The API and the CLI call this
    /// on every opening and refuse what it refuses; the engine itself ignores a `verified_org`
    /// this refuses, so a caller that skips it shows no label rather than a forged one.
    pub fn validate_opening(&self, opening: &Opening) -> Result<(), InputError> {
        self.validate_party(&opening.from)
    }

    /// [`Engine::validate_opening`] for the party of a message scan, which has no opening.
    pub fn validate_party(&self, from: &Party) -> Result<(), InputError> {
        match asserted_org(from) {
            Some(org) => self
                .check_verified_org(org)
                .map_err(|why| InputError::new("from.verified_org", why)),
            None => Ok(()),
        }
    }

    fn check_verified_org(&self, org: &str) -> Result<(), String> {
        // Registry organisations are also protected identities: ask the registry first.
        if let Some(o) = self.registry.as_ref().and_then(|r| r.get(org)) {
            return match o.status {
                OrgStatus::Active => Ok(()),
                other => Err(format!(
                    "registry organisation {} is {}; only an active one is shown as verified",
                    echo(org),
                    other.as_str()
                )),
            };
        }
        if self.lex.identities.by_id(org).is_some() {
            return Ok(());
        }
        Err(format!(
            "unknown organisation {}; give the id of a protected identity or of a registry \
             organisation (such as \"cn_police\"), not a name",
            echo(org)
        ))
    }

    /// Opens a session for a call or thread and judges its opening. `salt` keys the passcode
    /// fingerprints; use a random value per session. Without a clock, a signed call assertion
    /// cannot be checked for freshness and is refused: use [`Engine::open_session_at`].
    pub fn open_session(&self, opening: &Opening, salt: u64) -> (CallSession, Verdict) {
        self.open_session_at(opening, salt, None)
    }

    /// Opens a session at `now` (Unix seconds), verifying the caller's signed assertion if any
    /// against the engine's own memory of used assertions.
    pub fn open_session_at(
        &self,
        opening: &Opening,
        salt: u64,
        now: Option<i64>,
    ) -> (CallSession, Verdict) {
        self.open_session_in(opening, salt, now, &SessionContext::default())
    }

    /// Opens a session at `now` (Unix seconds) with what the service knows of the caller: a
    /// handle that victims reported raises `reported_handle` before the call rings.
    pub fn open_session_in(
        &self,
        opening: &Opening,
        salt: u64,
        now: Option<i64>,
        context: &SessionContext,
    ) -> (CallSession, Verdict) {
        let token = opening
            .from
            .identity_token
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .map(|t| self.verify_token(t, opening, now));
        self.open_session_checked(opening, salt, token, context)
    }

    /// Opens a session whose signed assertion the caller has already checked: `token` is the
    /// outcome of [`Engine::verify_token_signature`] and of the caller's own replay check (a
    /// service with several nodes keeps used assertions in its database), or `None` when the
    /// opening carries none; `context` is what the service knows of the caller.
    pub fn open_session_checked(
        &self,
        opening: &Opening,
        salt: u64,
        token: Option<Result<passport::Verified, passport::TokenError>>,
        context: &SessionContext,
    ) -> (CallSession, Verdict) {
        let mut signals = SignalSet::new();
        let vetted;
        let opening = match asserted_org(&opening.from) {
            Some(org) if self.check_verified_org(org).is_err() => {
                vetted = Opening {
                    from: Party {
                        verified_org: None,
                        ..opening.from.clone()
                    },
                    ..opening.clone()
                };
                &vetted
            }
            _ => opening,
        };
        let claim = self.party_signals(&opening.from, opening.locale, &mut signals);
        if let Some(rep) = context.reputation.as_ref().filter(|r| r.is_bad()) {
            signals.add(codes::REPORTED_HANDLE, 1.0, rep.evidence());
        }
        let mut verified = asserted_org(&opening.from).map(|org| {
            let name = self
                .lex
                .identities
                .by_id(org)
                .map(|i| i.name_in(opening.locale).to_string())
                .unwrap_or_else(|| org.to_string());
            VerifiedIdentity {
                org: org.to_string(),
                name,
            }
        });
        if let Some(outcome) = token {
            match outcome {
                Ok(v) => {
                    signals.add(codes::VERIFIED_CALLER, 1.0, format!("signed by {}", v.org));
                    let shown = opening.from.display_name.as_deref().unwrap_or("");
                    let org = self.registry.as_ref().and_then(|r| r.get(&v.org));
                    if claim.is_some()
                        && !shown.trim().is_empty()
                        && org.is_some_and(|o| !o.may_show(shown))
                    {
                        signals.add_with(
                            codes::VERIFIED_ORG_MISMATCH,
                            1.0,
                            format!("signed as {}, shows {shown}", v.name),
                            Params {
                                name: Some(v.name.clone()),
                                shown: Some(crate::text::display_form(shown)),
                                ..Params::default()
                            },
                        );
                    }
                    verified = Some(VerifiedIdentity {
                        org: v.org,
                        name: v.name,
                    });
                }
                Err(e) => signals.add_with(
                    codes::IDENTITY_TOKEN_INVALID,
                    1.0,
                    format!("{}: {e}", e.code()),
                    Params {
                        problem: Some(token_problem(&e)),
                        ..Params::default()
                    },
                ),
            }
        }
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
            indicators: SessionIndicators::default(),
        };
        // A message's sender name arrives with its text and is read with it: the name alone
        // sets no floor that the first message (a signed notice asking nothing) cannot go
        // under. A caller's name is shown while the phone rings, so a call's opening does.
        let verdict = if opening.channel == Channel::Message {
            self.verdict_of(&session)
        } else {
            self.judge(&mut session)
        };
        (session, verdict)
    }

    /// Notes that the session joined a campaign that victims reported or an analyst confirmed
    /// (`campaign` is its id, shown as evidence), and returns the verdict now.
    pub fn note_known_campaign(&self, session: &mut CallSession, campaign: &str) -> Verdict {
        session
            .signals
            .add(codes::KNOWN_CAMPAIGN, 1.0, campaign.to_string());
        self.judge(session)
    }

    /// Checks a signed call assertion for this opening, including replay against the
    /// engine's own memory of used assertions.
    pub fn verify_token(
        &self,
        token: &str,
        opening: &Opening,
        now: Option<i64>,
    ) -> Result<passport::Verified, passport::TokenError> {
        let v = self.verify_token_signature(token, opening, now)?;
        let now = now.unwrap_or_default();
        let first = self
            .replay
            .lock()
            .map(|mut c| c.first_use(&v.claims.origid, now))
            .unwrap_or(false);
        if !first {
            return Err(passport::TokenError::Replayed(v.claims.origid));
        }
        Ok(v)
    }

    /// How long after its `iat` (Unix seconds) a used assertion must be remembered: past
    /// that it is refused as stale anyway.
    pub fn token_memory_secs(&self) -> i64 {
        self.policy.settings.token_freshness_secs.saturating_mul(2)
    }

    /// Checks a signed call assertion for this opening — signature, key, registry, caller,
    /// callee, freshness — but not whether it was used before: for a caller that remembers
    /// used assertions itself and passes the outcome to [`Engine::open_session_checked`].
    pub fn verify_token_signature(
        &self,
        token: &str,
        opening: &Opening,
        now: Option<i64>,
    ) -> Result<passport::Verified, passport::TokenError> {
        let Some(registry) = self.registry.as_deref() else {
            return Err(passport::TokenError::UnknownKey(
                "(no registry is configured)".into(),
            ));
        };
        let Some(now) = now else {
            return Err(passport::TokenError::InvalidClaims(
                "no clock to check freshness against".into(),
            ));
        };
        let facts = CallFacts {
            caller: &opening.from.handle,
            callee: opening.to.as_ref().map(|t| t.handle.as_str()),
            now,
            freshness: self.policy.settings.token_freshness_secs,
        };
        passport::verify(token, registry as &dyn KeyDirectory, facts)
    }

    /// Applies one event to a session and returns the verdict now.
    pub fn apply(&self, session: &mut CallSession, event: &Event) -> Verdict {
        session.events += 1;
        let lex = &*self.lex;
        if let Some(text) = event.kind.received_text() {
            let source = if matches!(event.kind, EventKind::Speech { .. }) {
                TextSource::Speech
            } else {
                TextSource::Message
            };
            // Normalised once for every detector that reads the text.
            let n = crate::text::Normalised::with_positions(text);
            let o = detect::detect_script_normalised(text, &n, source, lex, &mut session.signals);
            if let Some(model) = &self.model {
                detect::detect_model_normalised(
                    text,
                    &n,
                    model,
                    &self.policy.settings,
                    &mut session.signals,
                );
            }
            let official = session.signals.has(codes::OFFICIAL_SENDER_NUMBER);
            // A message signature or a self-introduction is a claim like a display name,
            // unless the handle is that body's own number.
            let signed = o.signature.then_some(o.claim.as_ref()).flatten();
            let claim = signed.cloned().or(o.introduces.clone());
            // Shown as the sender wrote a signature ("【ETC】" → "ETC"); a self-introduction
            // in running text is named as the lexicon names the body in the user's language.
            let shown = match (&claim, signed) {
                (Some(_), Some(_)) => o.signed_as.clone(),
                (Some(c), None) => Some(
                    lex.identities
                        .get(c.index)
                        .name_in(session.locale)
                        .to_string(),
                ),
                _ => None,
            };
            if let Some(c) = &claim {
                if !official {
                    let code = match lex.identities.get(c.index).tier {
                        crate::lexicon::Tier::A => codes::CLAIMS_AUTHORITY,
                        crate::lexicon::Tier::B => codes::CLAIMS_ORGANISATION,
                        crate::lexicon::Tier::C => codes::CLAIMS_SERVICE_ROLE,
                    };
                    let name = shown.clone().unwrap_or_else(|| c.matched.clone());
                    if signed.is_some() {
                        // Evidence for the policy: a notice signs with a name; a caller types one.
                        session.signals.add(codes::SIGNED_NOTICE, 1.0, name.clone());
                    }
                    session
                        .signals
                        .add_with(code, 1.0, name.clone(), Params::name(name));
                }
            }
            // A message that names, in its text, the body its sender's name already claims
            // ("…已送達 7-ELEVEN 民生門市" from "7-ELEVEN交貨便") is signed as a notice is.
            if signed.is_none() && source == TextSource::Message && !official {
                if let Some(id) = session.claim.as_ref().map(|c| c.id.as_str()) {
                    if let Some(m) = lex
                        .identities
                        .find_in_text(&n)
                        .into_iter()
                        .find(|m| lex.identities.get(m.index).id == id)
                    {
                        session.signals.add(codes::SIGNED_NOTICE, 1.0, m.term);
                    }
                }
            }
            if session.claim.is_none() {
                session.claim = match claim {
                    Some(c) => Some(ClaimRef {
                        shown,
                        ..self.claim_ref(&c)
                    }),
                    None => o.claim.map(|c| self.claim_ref(&c)),
                };
            }
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

    /// Runs a whole case (no clock: signed assertions are refused; see [`Engine::check_case_at`]).
    pub fn check_case(&self, case: &Case) -> CaseReport {
        self.check_case_at(case, None)
    }

    /// Runs a whole case at `now` (Unix seconds).
    pub fn check_case_at(&self, case: &Case, now: Option<i64>) -> CaseReport {
        let salt = case_salt(case);
        let (mut session, opening_verdict) = self.open_session_at(&case.opening(), salt, now);
        let mut trace = Vec::with_capacity(case.events.len());
        for e in &case.events {
            trace.push(self.apply(&mut session, e));
        }
        let verdict = trace.last().cloned().unwrap_or(opening_verdict);
        CaseReport { verdict, trace }
    }

    /// Scans one message on its own. `from` adds what is known of the sender.
    pub fn scan_message(&self, text: &str, from: Option<&Party>, locale: Locale) -> Verdict {
        self.scan_message_at(text, from, locale, None)
    }

    /// Scans one message at `now` (Unix seconds), verifying the sender's signed assertion if any.
    pub fn scan_message_at(
        &self,
        text: &str,
        from: Option<&Party>,
        locale: Locale,
        now: Option<i64>,
    ) -> Verdict {
        let opening = Opening {
            channel: Channel::Message,
            locale,
            from: from.cloned().unwrap_or_default(),
            to: None,
        };
        let mut session = if from.is_some() {
            self.open_session_at(&opening, 0, now).0
        } else {
            CallSession::without_caller(locale, SignalSet::new())
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
        let session = CallSession::without_caller(locale, report.signals);
        self.verdict_in(&session.signals, session.max_action, &session, Medium::Link)
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
        self.verdict_in(set, floor, session, Medium::of(session.channel))
    }

    /// The verdict, worded for `medium`.
    fn verdict_in(
        &self,
        set: &SignalSet,
        floor: Action,
        session: &CallSession,
        medium: Medium,
    ) -> Verdict {
        let locale = session.locale;
        let ev = self.policy.evaluate(set, floor);
        let claimed = session
            .claim
            .as_ref()
            .and_then(|c| self.lex.identities.by_id(&c.id).map(|i| (c, i)));
        let claimed_name = claimed.map(|(_, i)| i.name_in(locale).to_string());
        let mut directives = Vec::with_capacity(ev.directives.len());
        for code in &ev.directives {
            let d = match code {
                DirectiveCode::LabelCaller => {
                    if let Some(v) = &session.verified {
                        Directive::LabelCaller {
                            label: self.catalog.label(locale, &v.name, true),
                            verified: true,
                        }
                    } else if let Some((c, idt)) = claimed {
                        // The name as the user saw it; a claim made in running text is named
                        // as the lexicon names the body in the user's language.
                        let name = c.shown.as_deref().unwrap_or(idt.name_in(locale));
                        Directive::LabelCaller {
                            label: self.catalog.label(locale, name, false),
                            verified: false,
                        }
                    } else {
                        // Nobody to label: neither verified nor claiming to be anyone.
                        continue;
                    }
                }
                DirectiveCode::DenyScreenShare => Directive::DenyScreenShare,
                DirectiveCode::HideOtp => Directive::HideOtp,
                DirectiveCode::BlockInstall => Directive::BlockInstall,
                DirectiveCode::HoldPayment => Directive::HoldPayment {
                    minutes: self.policy.settings.hold_payment_minutes,
                },
                DirectiveCode::OfferOfficialCallback => {
                    // Only for a claimed identity with an official number or site to call.
                    let Some((_, idt)) = claimed else { continue };
                    let Some(cb) = &idt.callback else { continue };
                    Directive::OfferOfficialCallback {
                        identity: idt.id.clone(),
                        number: cb.number.clone(),
                        domain: cb.domain.clone(),
                    }
                }
                DirectiveCode::DisableLinks => Directive::DisableLinks,
            };
            directives.push(d);
        }
        let rules: Vec<String> = ev.rules.iter().map(|r| r.name.clone()).collect();
        let positive: Vec<(&str, &Params)> = ev
            .signals
            .iter()
            .filter(|s| s.weight > 0.0)
            .map(|s| (s.code.as_str(), &s.params))
            .collect();
        let input = ExplainInput {
            action: ev.action,
            medium,
            rules: &rules,
            signals: &positive,
            directives: &directives,
            claimed: claimed
                .zip(claimed_name.as_deref())
                .map(|((_, i), name)| Claimed {
                    name,
                    category: &i.category,
                    by_category: i.tier != crate::lexicon::Tier::B,
                    verified: session
                        .verified
                        .as_ref()
                        .is_some_and(|v| v.org == i.id || v.name == name),
                }),
            verified_name: session.verified.as_ref().map(|v| v.name.as_str()),
        };
        let headline = self.catalog.headline(locale, &input);
        let explanation = self.catalog.explain(locale, &input);
        Verdict {
            action: ev.action,
            class: crate::verdict::Class::of(ev.action, ev.score, &ev.signals),
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
            headline,
            explanation,
        }
    }
}

/// What a user needs to know of a refused signature.
fn token_problem(e: &passport::TokenError) -> TokenProblem {
    use passport::TokenError as E;
    match e {
        E::Stale { .. } | E::FromFuture { .. } | E::KeyNotValid { .. } => TokenProblem::Expired,
        E::Replayed(_) => TokenProblem::Reused,
        E::CallerMismatch { .. }
        | E::HandleNotRegistered { .. }
        | E::CalleeNotInDest
        | E::NameNotAllowed { .. } => TokenProblem::NotThisCall,
        E::OrganisationNotActive { .. } => TokenProblem::Withdrawn,
        E::Malformed(_)
        | E::UnsupportedAlgorithm(_)
        | E::WrongHeader { .. }
        | E::MissingKeyId
        | E::UnknownKey(_)
        | E::BadSignature(_)
        | E::InvalidClaims(_)
        | E::SigningKey(_) => TokenProblem::Forged,
    }
}

/// The lexicon's identities plus the registry's organisations.
fn with_registry_names(
    base: &IdentityIndex,
    registry: &Registry,
) -> Result<IdentityIndex, EngineError> {
    let mut all = base.identities().to_vec();
    all.extend(
        registry
            .organisations()
            .iter()
            .filter(|o| o.all_names().next().is_some())
            .map(|o| o.as_protected_identity()),
    );
    Ok(IdentityIndex::new(all, "identities and registry")?)
}

/// The built-in catalog, read once; each policy's rule sentences are added to a copy of it.
fn builtin_catalog() -> &'static Catalog {
    static CATALOG: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
    CATALOG.get_or_init(Catalog::builtin)
}

/// The organisation a platform says it verified, if it says one.
fn asserted_org(from: &Party) -> Option<&str> {
    from.verified_org
        .as_deref()
        .filter(|o| !o.trim().is_empty())
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

    /// A bank's fraud team that has asked for nothing does not block on its opener (a call's
    /// verdict only rises, so that would be final); the same opener followed by a "safe
    /// account" blocks.
    #[test]
    fn a_claim_that_asks_nothing_warns_at_most_until_it_asks() {
        let opener = r#"{"type":"speech","speaker":"remote","text":"Hello, this is the fraud team at Lloyds Bank. We've held a card payment of £84.99 to an online games store and want to check it was you."}"#;
        let ask = r#"{"type":"speech","speaker":"remote","text":"Your account is compromised. Move your savings to a safe account we set up for you today."}"#;
        let case = |events: &str| {
            Case::from_json(&format!(
                r#"{{"channel":"audio_call","locale":"en","from":{{"handle":"+44 20 7946 0001"}},"events":[{{"type":"call_offer"}},{events}]}}"#
            ))
            .unwrap()
        };
        let asks_nothing = engine().check_case(&case(opener));
        assert_eq!(asks_nothing.verdict.action, Action::Warn);
        let asks = engine().check_case(&case(&format!("{opener},{ask}")));
        assert_eq!(asks.verdict.action, Action::Block);
    }

    /// The rules written for the fifth held-out set's classes, each on a case of its own: the
    /// rule that must fire, and the same words from a contact or with the ask taken away.
    #[test]
    fn the_fifth_sets_classes_fire_their_rules() {
        let run = |channel: &str, handle: &str, contact: bool, events: &str| {
            let case = Case::from_json(&format!(
                r#"{{"channel":"{channel}","locale":"zh-Hans","from":{{"handle":"{handle}","in_contacts":{contact}}},"events":[{events}]}}"#
            ))
            .unwrap();
            engine().check_case(&case).verdict
        };
        let fired = |v: &Verdict, rule: &str| v.rules.iter().any(|r| r.name == rule);
        let msg = |t: &str| format!(r#"{{"type":"message","direction":"in","text":"{t}"}}"#);
        let say = |t: &str| {
            format!(
                r#"{{"type":"call_offer"}},{{"type":"speech","speaker":"remote","text":"{t}"}}"#
            )
        };
        let otp = r#"{"type":"otp_received","sender":"10690700367","text":"验证码481920，请勿告诉他人。"}"#;

        let apk = msg("我们结婚啦，请柬在这里 http://103.45.67.89/请柬.apk");
        let v = run("message", "+86 186 0743 2291", false, &apk);
        assert!(fired(&v, "app_file_from_throwaway_host"), "{v:#?}");
        assert_eq!(v.action, Action::Block);

        let unblock = format!(
            "{},{otp}",
            msg("我微信被封了，要找个好友辅助解封，收到验证码发给我就行")
        );
        let v = run("message", "+86 171 4402 8836", false, &unblock);
        assert!(fired(&v, "passcode_asked_by_stranger"), "{v:#?}");
        assert_eq!(v.action, Action::Block);
        let v = run("message", "+86 171 4402 8836", true, &unblock);
        assert_eq!(v.action, Action::Warn, "a contact's ask warns: {v:#?}");

        let police = format!(
            "{},{}",
            say("您的号码将在两小时后停机，如有疑问请按9转人工"),
            r#"{"type":"speech","speaker":"remote","text":"现在帮您转接到市公安局网警支队"}"#
        );
        let v = run("audio_call", "+86 028 6612 4410", false, &police);
        assert!(fired(&v, "call_handed_to_police"), "{v:#?}");

        let kept = say("你涉嫌洗钱，电话不要挂，全程保持通话");
        let v = run("audio_call", "+86 028 6612 4411", false, &kept);
        assert!(fired(&v, "accused_and_kept_on_the_line"), "{v:#?}");

        let prize = msg("免费领取888钻石！登录 https://wzry-fuli.top 输入QQ账号和密码即可领取");
        let v = run("message", "+86 155 0612 7741", false, &prize);
        assert!(fired(&v, "login_page_for_a_prize"), "{v:#?}");

        let site = msg("咱们走这个交易网站 https://youxi-jiaoyi.top ，提现要先交500保证金才能解冻");
        let v = run("message", "+86 166 2210 4357", false, &site);
        assert!(
            fired(&v, "deposit_to_release_on_a_throwaway_site"),
            "{v:#?}"
        );

        let hurt = say("孩子上体育课从单杠上摔下来了，要马上做手术，手术押金转到主治医生的账户上");
        let v = run("audio_call", "+86 177 5521 0934", false, &hurt);
        assert!(fired(&v, "child_hurt_for_money"), "{v:#?}");
        let told = say("孩子上体育课摔伤了膝盖，校医已经处理好了，放学请留意");
        assert_eq!(
            run("audio_call", "+86 177 5521 0935", false, &told).action,
            Action::Allow
        );

        // A job abroad with secrecy warns, and stays at warn.
        let job =
            msg("西港招客服，月薪两万起，包吃住包机票，先交2000押金占名额，这事先别跟家里人说");
        assert_eq!(
            run("message", "+86 199 0812 5530", false, &job).action,
            Action::Warn
        );
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

    fn ring_opening(handle: &str) -> Opening {
        Opening {
            channel: Channel::VideoCall,
            locale: Locale::En,
            from: Party {
                handle: handle.into(),
                display_name: Some("Li Wei".into()),
                ..Party::default()
            },
            to: None,
        }
    }

    #[test]
    fn a_reported_handle_blocks_before_it_rings() {
        use crate::intel::{Reputation, Standing};
        let o = ring_opening("+86 171 0000 0001");
        let (_, plain) = engine().open_session(&o, 1);
        assert_eq!(plain.action, Action::Allow);
        let reported = SessionContext {
            reputation: Some(Reputation {
                standing: Standing::Reported,
                reporters: 3,
                window_days: 14,
            }),
        };
        let (_, v) = engine().open_session_in(&o, 1, None, &reported);
        assert_eq!(v.action, Action::Block, "{v:#?}");
        assert!(v.has_signal("reported_handle"));
        assert!(v.rules.iter().any(|r| r.name == "reported_caller"));
        assert!(
            v.explanation.contains("reported it as a scam"),
            "{}",
            v.explanation
        );
        // Review (a registry organisation) and an upheld appeal raise nothing.
        for standing in [Standing::Review, Standing::Legitimate, Standing::Clear] {
            let cx = SessionContext {
                reputation: Some(Reputation {
                    standing,
                    reporters: 9,
                    window_days: 14,
                }),
            };
            let (_, v) = engine().open_session_in(&o, 1, None, &cx);
            assert_eq!(v.action, Action::Allow, "{standing:?}");
        }
        // A contact whose handle was reported is warned about, not blocked.
        let mut contact = o.clone();
        contact.from.in_contacts = true;
        let (_, v) = engine().open_session_in(&contact, 1, None, &reported);
        assert_eq!(v.action, Action::Warn, "{v:#?}");
    }

    #[test]
    fn joining_a_known_campaign_raises_the_verdict() {
        let mut o = ring_opening("+86 171 0000 0002");
        o.from.display_name = Some("微信客服".into());
        let (mut s, v) = engine().open_session(&o, 1);
        assert_eq!(v.action, Action::Warn, "{v:#?}");
        let v = engine().note_known_campaign(&mut s, "cmp_3");
        assert!(v.has_signal("known_campaign"));
        assert_eq!(v.action, Action::Block, "{v:#?}");
        let json = serde_json::to_string(&s).unwrap();
        let back: CallSession = serde_json::from_str(&json).unwrap();
        assert!(back.signals.has("known_campaign"));
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

#[cfg(test)]
mod operator_rule_tests {
    use super::*;

    /// A rule an operator adds is explained in every locale: by its own sentences (zh-Hant
    /// converted from zh-Hans when not given), or by the generic rule sentence.
    #[test]
    fn rules_an_operator_adds_are_explained() {
        let local = r#"
            [[rules]]
            name = "strangers_asking_for_money"
            when = "not_in_contacts"
            action = "warn"
            explanation = { "zh-Hans" = "陌生人开口借钱，先打电话给本人核实。", en = "A stranger asking for money: call the person you know first." }
            [[rules]]
            name = "contacts_too"
            when = "in_contacts"
            action = "warn"
        "#;
        let policy = Policy::layered(None, Some((local, "local.toml"))).unwrap();
        let e = Engine::builder().policy(policy).build().unwrap();
        let from = Party {
            handle: "+86 171 0000 9999".into(),
            ..Party::default()
        };
        let expect = [
            (Locale::ZhHans, "陌生人开口借钱，先打电话给本人核实。"),
            (Locale::ZhHant, "陌生人開口借錢，先打電話給本人核實。"),
            (
                Locale::En,
                "A stranger asking for money: call the person you know first.",
            ),
        ];
        for (locale, sentence) in expect {
            let v = e.scan_message("今晚一起吃饭吗？", Some(&from), locale);
            assert!(
                v.rules
                    .iter()
                    .any(|r| r.name == "strangers_asking_for_money"),
                "{v:?}"
            );
            assert!(
                v.explanation.contains(sentence),
                "{locale:?}: {}",
                v.explanation
            );
        }
        let generic = [
            (Locale::ZhHans, "它符合本服务为防范诈骗设定的一条规则。"),
            (Locale::ZhHant, "它符合本服務為防範詐騙設定的一條規則。"),
            (
                Locale::En,
                "It matches a rule your provider set to stop scams.",
            ),
        ];
        let contact = Party {
            in_contacts: true,
            ..from.clone()
        };
        for (locale, sentence) in generic {
            let v = e.scan_message("今晚一起吃饭吗？", Some(&contact), locale);
            assert_eq!(
                v.rules.first().map(|r| r.name.as_str()),
                Some("contacts_too"),
                "{v:?}"
            );
            assert!(
                v.explanation.contains(sentence),
                "{locale:?}: {}",
                v.explanation
            );
        }
    }
}

#[cfg(test)]
mod token_tests {
    //! Signed call assertions through the engine.
    use super::*;
    use crate::event::Speaker;
    use crate::passport::testing::{hz_police, ORG_PRIVATE as PRIVATE};
    use crate::passport::{self, Claims, Dest, Orig, Rcd};

    const NOW: i64 = 1_795_600_000;

    fn engine() -> Engine {
        let org = hz_police(NOW - 10, NOW + 1000);
        Engine::builder()
            .registry(Registry::new(vec![org]).unwrap())
            .build()
            .unwrap()
    }

    fn opening(handle: &str, token: Option<String>) -> Opening {
        Opening {
            channel: Channel::VideoCall,
            locale: Locale::ZhHans,
            from: Party {
                handle: handle.into(),
                display_name: Some("杭州市公安局".into()),
                identity_token: token,
                ..Party::default()
            },
            to: Some(crate::event::Callee {
                handle: "+86 138 0000 0000".into(),
            }),
        }
    }

    fn token(origid: &str) -> String {
        let c = Claims {
            orig: Orig {
                uri: "+8657187280110".into(),
            },
            dest: Dest {
                uri: vec!["+8613800000000".into()],
            },
            iat: NOW,
            origid: origid.into(),
            rcd: Rcd {
                nam: "杭州市公安局".into(),
                crn: None,
            },
        };
        passport::sign(&c, "hz-2026", PRIVATE.as_bytes()).unwrap()
    }

    #[test]
    fn an_enrolled_police_call_shows_verified() {
        let e = engine();
        let (_, v) = e.open_session_at(
            &opening("+86 571 8728 0110", Some(token("call-1"))),
            1,
            Some(NOW + 2),
        );
        assert_eq!(v.action, Action::Allow, "{v:#?}");
        assert_eq!(v.verified_identity.as_ref().unwrap().org, "hz-police");
        assert!(v.directives.iter().any(|d| matches!(d, Directive::LabelCaller { verified: true, label } if label.contains("杭州市公安局"))));
    }

    #[test]
    fn the_same_name_typed_by_a_stranger_is_blocked() {
        let e = engine();
        let mut s = e.open_session_at(&opening("+1 213 555 0147", None), 1, Some(NOW));
        assert_eq!(s.1.action, Action::Block);
        assert_eq!(s.1.claimed_identity.as_ref().unwrap().id, "reg:hz-police");
        assert!(s.1.directives.iter().any(|d| matches!(
            d,
            Directive::LabelCaller {
                verified: false,
                ..
            }
        )));
        let ev = Event::new(EventKind::ScreenShareRequest {
            initiator: Speaker::Remote,
            app: Some("facetime".into()),
        });
        let v = e.apply(&mut s.0, &ev);
        assert!(v.has_directive("deny_screen_share"));
        assert!(v.directives.iter().any(
            |d| matches!(d, Directive::OfferOfficialCallback { number: Some(n), .. } if n == "110")
        ));
    }

    #[test]
    fn replays_and_bad_tokens_say_why() {
        let e = engine();
        let t = token("call-2");
        let (_, first) =
            e.open_session_at(&opening("+86 571 8728 0110", Some(t.clone())), 1, Some(NOW));
        assert_eq!(first.action, Action::Allow);
        let (_, again) =
            e.open_session_at(&opening("+86 571 8728 0110", Some(t)), 1, Some(NOW + 1));
        assert!(again.has_signal("identity_token_invalid"));
        assert!(
            again
                .signals
                .iter()
                .any(|s| s.evidence.iter().any(|ev| ev.starts_with("replayed"))),
            "{:?}",
            again.signals
        );
        assert_eq!(again.action, Action::Block);
        // The user reads why in plain words: no code, no id, nothing cut short.
        assert!(
            again
                .explanation
                .contains("对方附带的身份签名无效：这个签名已在别的通话中用过。"),
            "{}",
            again.explanation
        );
        assert!(!again.explanation.contains("origid") && !again.explanation.contains('…'));
        let (_, stale) = e.open_session_at(
            &opening("+86 571 8728 0110", Some(token("call-3"))),
            1,
            Some(NOW + 500),
        );
        assert!(stale
            .signals
            .iter()
            .any(|s| s.evidence.iter().any(|ev| ev.starts_with("stale"))));
        assert!(
            stale.explanation.contains("签名已过期"),
            "{}",
            stale.explanation
        );
        let (_, no_clock) = e.open_session(&opening("+86 571 8728 0110", Some(token("call-4"))), 1);
        assert!(no_clock.has_signal("identity_token_invalid"));
    }

    #[test]
    fn a_verified_caller_asking_for_a_safe_account_is_still_warned() {
        let e = engine();
        let (mut s, _) = e.open_session_at(
            &opening("+86 571 8728 0110", Some(token("call-5"))),
            1,
            Some(NOW),
        );
        let ev = Event::new(EventKind::Speech {
            speaker: Speaker::Remote,
            text: "请把存款转到安全账户配合资金核查".into(),
        });
        let v = e.apply(&mut s, &ev);
        assert!(v.action >= Action::Warn, "{v:#?}");
    }
    #[test]
    fn the_callback_comes_from_the_registry_never_from_the_caller() {
        let e = engine();
        // The caller puts a number of their own in the name and in what they say.
        let mut o = opening("+1 213 555 0147", None);
        o.from.display_name = Some("杭州市公安局 回电 +1 213 555 0199".into());
        let (mut s, v) = e.open_session_at(&o, 1, Some(NOW));
        let says = Event::new(EventKind::Speech {
            speaker: Speaker::Remote,
            text: "我是杭州市公安局的警官，有问题请回拨 +1 213 555 0199 或 021-5555-0199 联系我"
                .into(),
        });
        let v2 = e.apply(&mut s, &says);
        let share = Event::new(EventKind::ScreenShareRequest {
            initiator: Speaker::Remote,
            app: Some("facetime".into()),
        });
        let v3 = e.apply(&mut s, &share);
        let mut offered = 0;
        for v in [&v, &v2, &v3] {
            for d in &v.directives {
                if let Directive::OfferOfficialCallback { number, domain, .. } = d {
                    offered += 1;
                    assert_eq!(number.as_deref(), Some("110"), "{v:#?}");
                    assert!(domain.is_none());
                }
            }
            // The typed name is quoted as what the caller claims; nothing else repeats a
            // number the caller gave.
            let rest = v
                .explanation
                .replace("杭州市公安局 回电 +1 213 555 0199", "");
            assert!(!rest.contains("0199"), "{}", v.explanation);
            assert!(v.explanation.contains("110"), "{}", v.explanation);
        }
        assert!(offered > 0, "a callback is offered: {v3:#?}");

        // A registry organisation without a number offers its domain instead; one with
        // neither offers nothing rather than anything the caller said.
        let mut org = e.registry().unwrap().organisations()[0].clone();
        org.callback_numbers.clear();
        org.domains = vec!["police.hangzhou.gov.cn".into()];
        let e2 = e
            .with_registry(Registry::new(vec![org.clone()]).unwrap())
            .unwrap();
        let (_, v) = e2.open_session_at(&o, 1, Some(NOW));
        assert!(v.directives.iter().any(|d| matches!(d,
            Directive::OfferOfficialCallback { number: None, domain: Some(d), .. } if d == "police.hangzhou.gov.cn")));
        org.domains.clear();
        let e3 = e.with_registry(Registry::new(vec![org]).unwrap()).unwrap();
        let (_, v) = e3.open_session_at(&o, 1, Some(NOW));
        for d in &v.directives {
            if let Directive::OfferOfficialCallback { number, domain, .. } = d {
                assert!(
                    number.as_deref().is_none_or(|n| !n.contains("0199")) && domain.is_none(),
                    "{d:?}"
                );
            }
        }
    }

    #[test]
    fn a_fresh_replay_cache_leaves_no_trace() {
        let e = engine();
        let t = token("dry-1");
        let o = opening("+86 571 8728 0110", Some(t));
        let dry = e.with_fresh_replay_cache();
        let (_, v) = dry.open_session_at(&o, 1, Some(NOW));
        assert!(v.verified_identity.is_some(), "{v:#?}");
        let (_, v) = dry
            .with_fresh_replay_cache()
            .open_session_at(&o, 1, Some(NOW));
        assert!(v.verified_identity.is_some(), "each fresh cache is its own");
        let (_, v) = e.open_session_at(&o, 1, Some(NOW));
        assert!(
            v.verified_identity.is_some(),
            "the dry runs did not use the id up: {v:#?}"
        );
        let (_, v) = e.open_session_at(&o, 1, Some(NOW));
        assert!(v.has_signal("identity_token_invalid"), "now it is a replay");
    }

    /// A token's high-S twin is the same token: once one is used, the other is a replay.
    #[test]
    fn a_high_s_twin_is_a_replay_of_its_token() {
        let e = engine();
        let t = token("call-twin");
        let twin = passport::tests::high_s_twin(&t);
        let (_, first) = e.open_session_at(&opening("+86 571 8728 0110", Some(twin)), 1, Some(NOW));
        assert!(first.verified_identity.is_some(), "{first:?}");
        let (_, again) = e.open_session_at(&opening("+86 571 8728 0110", Some(t)), 1, Some(NOW));
        assert!(again.has_signal("identity_token_invalid"), "{again:?}");
        assert!(again.verified_identity.is_none());
    }

    /// Issue 14 item 8: `"verified_org": "厦门市公安局"` on a +1 number once gave ALLOW and
    /// "已验证：厦门市公安局". A verified organisation must be one the engine knows, by id.
    #[test]
    fn verified_org_must_name_a_known_identity() {
        let e = engine();
        let with_org = |org: &str| {
            let mut o = opening("+1 213 555 0147", None);
            o.from.display_name = Some("厦门市公安局".into());
            o.from.verified_org = Some(org.into());
            o
        };
        for known in ["cn_police", "hz-police", "", "  "] {
            assert_eq!(e.validate_opening(&with_org(known)), Ok(()), "{known:?}");
        }
        let err = e.validate_opening(&with_org("厦门市公安局")).unwrap_err();
        assert_eq!(err.path, "from.verified_org");
        assert!(
            err.message
                .starts_with("unknown organisation \"厦门市公安局\"; give the id"),
            "{}",
            err.message
        );
        let err = e
            .validate_opening(&with_org("x\u{1b}[2J\u{202e}y"))
            .unwrap_err();
        assert!(
            err.message.contains(r#""x\u{001b}[2J\u{202e}y""#),
            "{}",
            err.message
        );
        assert!(!err
            .message
            .chars()
            .any(|c| c.is_control() || c == '\u{202e}'));

        // A suspended registry organisation is known but not shown as verified.
        let mut org = e.registry().unwrap().organisations()[0].clone();
        org.status = OrgStatus::Suspended;
        let suspended = e.with_registry(Registry::new(vec![org]).unwrap()).unwrap();
        let err = suspended
            .validate_opening(&with_org("hz-police"))
            .unwrap_err();
        assert!(err.message.contains("is suspended"), "{}", err.message);

        // An engine used without the check ignores the claim: no label, no verified caller.
        let (_, v) = e.open_session_at(&with_org("厦门市公安局"), 1, Some(NOW));
        assert!(v.verified_identity.is_none(), "{v:?}");
        assert!(!v.has_signal("verified_caller"));
        assert!(v.action >= Action::Warn, "{v:?}");
        assert!(!v
            .directives
            .iter()
            .any(|d| matches!(d, Directive::LabelCaller { verified: true, .. })));
        let (_, v) = e.open_session_at(&with_org("cn_police"), 1, Some(NOW));
        assert_eq!(
            v.verified_identity.map(|i| i.org).as_deref(),
            Some("cn_police")
        );
    }
}
