//! Events: what a platform tells the engine about one call or conversation.
//!
//! A [`Case`] is a whole conversation as JSON (the format `scamguard check` reads and the API
//! accepts piecewise). Parsing is strict about what matters and lenient about the rest: unknown
//! fields are ignored so that platforms can send richer events than we use, but a missing
//! required field, a wrong type, an unknown event type or an oversized text is an error that
//! names the field at fault (`events[3].text: missing field`).
//!
//! Each type here is declared once and everything else is derived from it: serde reads and
//! writes it, utoipa describes it (feature `openapi`), and [`EventKind`]'s list of event types
//! is the one place a new event type is added.

pub mod limits;
#[macro_use]
mod vocabulary;
mod wire;

use serde::{Deserialize, Serialize};
use serde_json::Value;
pub use wire::{echo, json_syntax_error, kind_of, InputError};

/// The medium of a conversation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// An internet video call (FaceTime-like).
    VideoCall,
    /// An internet or carrier audio call.
    AudioCall,
    /// A message thread (iMessage-like or SMS).
    Message,
}

impl Channel {
    /// Whether this is a call rather than a message thread.
    pub fn is_call(self) -> bool {
        matches!(self, Channel::VideoCall | Channel::AudioCall)
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::VideoCall => "video_call",
            Channel::AudioCall => "audio_call",
            Channel::Message => "message",
        }
    }
}

/// The language a user reads explanations in. Requests may also give a regional tag (`zh`,
/// `zh-CN`, `zh-TW`, `zh-HK`, `en-GB`, …), read as the nearest of these three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub enum Locale {
    /// Simplified Chinese.
    #[default]
    #[serde(rename = "zh-Hans")]
    ZhHans,
    /// Traditional Chinese.
    #[serde(rename = "zh-Hant")]
    ZhHant,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Locale {
    /// Every supported locale.
    pub const ALL: [Locale; 3] = [Locale::ZhHans, Locale::ZhHant, Locale::En];

    /// The BCP 47 tag used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::ZhHans => "zh-Hans",
            Locale::ZhHant => "zh-Hant",
            Locale::En => "en",
        }
    }

    /// Parses a BCP 47 tag leniently: `zh`, `zh-CN`, `zh-Hans-CN` → zh-Hans; `zh-TW`, `zh-HK`,
    /// `zh-Hant` → zh-Hant; `en`, `en-GB` → en.
    pub fn parse(tag: &str) -> Option<Locale> {
        let t = tag.trim().to_ascii_lowercase().replace('_', "-");
        if t == "en" || t.starts_with("en-") {
            return Some(Locale::En);
        }
        if t == "zh" || t.starts_with("zh-") {
            let hant = ["hant", "tw", "hk", "mo"];
            if t.split('-').skip(1).any(|p| hant.contains(&p)) {
                return Some(Locale::ZhHant);
            }
            return Some(Locale::ZhHans);
        }
        None
    }
}

/// Described by hand: requests accept any tag [`Locale::parse`] reads, which an enum of the
/// three canonical tags would wrongly refuse.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Locale {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "The language of explanations: `zh-Hans`, `zh-Hant` or `en` (what verdicts carry). \
                 Requests may give any `zh` or `en` tag, in any case, with `-` or `_` \
                 (`zh`, `zh-CN`, `zh_TW`, `zh-HK`, `en-GB`): a tag naming Hant, TW, HK or MO \
                 reads as `zh-Hant`, any other `zh` tag as `zh-Hans`.",
            ))
            .pattern(Some(r"^\s*([Ee][Nn]|[Zz][Hh])([-_][\s\S]*)?\s*$"))
            .examples(["zh-Hans", "zh-Hant", "en"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Locale {}

impl<'de> Deserialize<'de> for Locale {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Locale::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown locale {}; expected \"zh-Hans\", \"zh-Hant\" or \"en\"",
                echo(&s)
            ))
        })
    }
}

/// The remote party: who is calling or writing.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Party {
    /// The handle the platform saw: a phone number, an account e-mail, a short code, or an
    /// alphanumeric SMS sender ID ("RoyalMail"), which the engine reads as a registered sender.
    /// Not blank.
    #[serde(deserialize_with = "limits::handle")]
    #[cfg_attr(feature = "openapi", schema(max_length = 1024, pattern = r"\S"))]
    pub handle: String,
    /// The name the caller chose to show. Free text: never evidence of identity by itself.
    #[serde(default, deserialize_with = "limits::name_opt")]
    #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
    pub display_name: Option<String>,
    /// Whether the handle is in the user's contacts; `false` when not given or null.
    #[serde(default, deserialize_with = "wire::null_as_default")]
    #[cfg_attr(feature = "openapi", schema(nullable))]
    pub in_contacts: bool,
    /// An identity that a trusted platform has already verified for this handle: the id of a
    /// protected identity or of a registry organisation (an unknown id is refused).
    #[serde(default, deserialize_with = "limits::name_opt")]
    #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
    pub verified_org: Option<String>,
    /// A signed call assertion (PASSporT with `rcd`), when the caller's platform attached one.
    #[serde(default, deserialize_with = "limits::token_opt")]
    #[cfg_attr(feature = "openapi", schema(max_length = 8192))]
    pub identity_token: Option<String>,
}

/// The local user, as far as the engine needs to know.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Callee {
    /// The callee's own handle.
    #[serde(deserialize_with = "limits::name")]
    #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
    pub handle: String,
}

/// Who spoke.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    /// The caller.
    Remote,
    /// The user being protected.
    Local,
}

/// The caller: who asked for a screen share when the platform does not say.
impl Default for Speaker {
    fn default() -> Self {
        Speaker::Remote
    }
}

/// Which way a message went.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the remote party to the user.
    In,
    /// From the user to the remote party.
    Out,
}

/// Where an app was installed from.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstallSource {
    /// The platform's official app store.
    Store,
    /// A download link.
    Link,
    /// A file (APK, IPA, configuration profile) received another way.
    File,
}

/// What kind of app came to the foreground.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppCategory {
    /// A bank's app.
    Banking,
    /// A payment or wallet app.
    Payment,
    /// The messages app, where OTPs arrive.
    Messages,
    /// System settings.
    Settings,
    /// Anything else.
    #[default]
    Other,
}

/// Whether a payee has been paid before.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payee {
    /// Never paid before.
    #[default]
    New,
    /// Paid before.
    Known,
}

event_kinds! {
    /// One thing that happened in a call or conversation.
    pub enum EventKind {
        /// An incoming call is ringing.
        CallOffer = "call_offer",
        /// Transcribed speech.
        Speech = "speech" {
            /// Who spoke.
            speaker: Speaker,
            /// What was said.
            #[serde(deserialize_with = "limits::text")]
            #[schema(max_length = 65536)]
            text: String,
        },
        /// A message in the thread.
        Message = "message" {
            /// Which way it went.
            direction: Direction,
            /// Its text.
            #[serde(deserialize_with = "limits::text")]
            #[schema(max_length = 65536)]
            text: String,
        },
        /// Someone asked to start screen sharing.
        ScreenShareRequest = "screen_share_request" {
            /// Who asked; the remote party when not given or null.
            #[serde(default, deserialize_with = "wire::null_as_default")]
            #[schema(nullable)]
            initiator: Speaker,
            /// The app doing the sharing, when known.
            #[serde(default, deserialize_with = "limits::name_opt")]
            #[schema(max_length = 1024)]
            app: Option<String>,
        },
        /// The user's screen is now being shared.
        ScreenShareStarted = "screen_share_started",
        /// Screen sharing stopped.
        ScreenShareEnded = "screen_share_ended",
        /// The remote party asked to control the user's device.
        RemoteControlRequest = "remote_control_request",
        /// An app is being installed.
        AppInstall = "app_install" {
            /// Its name.
            #[serde(deserialize_with = "limits::name")]
            #[schema(max_length = 1024)]
            app: String,
            /// Where it comes from.
            source: InstallSource,
            /// The download address, for link installs.
            #[serde(default, deserialize_with = "limits::url_opt")]
            #[schema(max_length = 8192)]
            url: Option<String>,
        },
        /// An app came to the foreground.
        AppForeground = "app_foreground" {
            /// Its name.
            #[serde(deserialize_with = "limits::name")]
            #[schema(max_length = 1024)]
            app: String,
            /// Its kind; `other` when not given or null.
            #[serde(default, deserialize_with = "wire::null_as_default")]
            #[schema(nullable)]
            category: AppCategory,
        },
        /// A one-time passcode arrived by SMS.
        OtpReceived = "otp_received" {
            /// The sending number.
            #[serde(default, deserialize_with = "limits::name_opt")]
            #[schema(max_length = 1024)]
            sender: Option<String>,
            /// The SMS text.
            #[serde(default, deserialize_with = "limits::text_opt")]
            #[schema(max_length = 65536)]
            text: Option<String>,
        },
        /// The user opened a link.
        LinkOpened = "link_opened" {
            /// The address.
            #[serde(deserialize_with = "limits::url")]
            #[schema(max_length = 8192)]
            url: String,
        },
        /// The user is about to pay.
        Payment = "payment" {
            /// The amount, in `currency` units.
            #[serde(deserialize_with = "limits::amount")]
            #[schema(minimum = 0)]
            amount: f64,
            /// ISO 4217 code.
            #[serde(default, deserialize_with = "limits::currency_opt")]
            #[schema(max_length = 16)]
            currency: Option<String>,
            /// New or known payee; `new` when not given or null.
            #[serde(default, deserialize_with = "wire::null_as_default")]
            #[schema(nullable)]
            payee: Payee,
        },
        /// The call ended.
        CallEnded = "call_ended",
    }
}

impl EventKind {
    /// The free text this event carries (speech, message or OTP text), if any.
    pub fn text(&self) -> Option<&str> {
        match self {
            EventKind::Speech { text, .. } | EventKind::Message { text, .. } => Some(text),
            EventKind::OtpReceived { text, .. } => text.as_deref(),
            _ => None,
        }
    }

    /// What the other party said or wrote: the remote side's speech or a message received.
    /// The user's own words are not evidence against the caller.
    pub fn received_text(&self) -> Option<&str> {
        match self {
            EventKind::Speech {
                speaker: Speaker::Remote,
                text,
            }
            | EventKind::Message {
                direction: Direction::In,
                text,
            } => Some(text),
            _ => None,
        }
    }
}

/// An event with its optional id (for idempotent delivery) and time.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// A caller-chosen id; a replayed id gets the same verdict and is not counted twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
    pub id: Option<String>,
    /// When it happened, in Unix milliseconds, if the platform says. Not negative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub at: Option<i64>,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

/// The fields of [`Event`] beside its kind, read before the kind because the kind's fields
/// depend on `type`.
#[derive(Deserialize)]
struct EventHead {
    #[serde(rename = "type")]
    ty: String,
    #[serde(default, deserialize_with = "limits::name_opt")]
    id: Option<String>,
    #[serde(default, deserialize_with = "limits::millis_opt")]
    at: Option<i64>,
}

impl Event {
    /// An event without id or time.
    pub fn new(kind: EventKind) -> Self {
        Event {
            id: None,
            at: None,
            kind,
        }
    }

    /// Parses one event from JSON text.
    pub fn from_json(text: &str) -> Result<Event, InputError> {
        let value: Value = serde_json::from_str(text).map_err(|e| json_syntax_error("", &e))?;
        Event::from_value(&value)
    }

    /// Parses one event from a JSON value, checking every field.
    pub fn from_value(v: &Value) -> Result<Event, InputError> {
        expect_object(v)?;
        let head: EventHead = wire::read(v)?;
        let kind = wire::read_kind(&head.ty, v)?;
        Ok(Event {
            id: head.id,
            at: head.at,
            kind,
        })
    }
}

/// Reads an event as [`Event::from_value`] does; an error's message starts with the field path
/// (`text: missing field`).
impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Event::from_value(&Value::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// One call or message conversation: the input of `scamguard check`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// The medium.
    pub channel: Channel,
    /// The user's language; `zh-Hans` when not given or null. (A case is read by
    /// [`Case::from_value`], through [`Opening`]'s reader: `default` here tells the schema.)
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(nullable))]
    pub locale: Locale,
    /// The remote party.
    pub from: Party,
    /// The user, when the platform says who it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Callee>,
    /// What happened, in order; none when not given or null.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 10000, nullable))]
    pub events: Vec<Event>,
}

/// The opening of a session: a case without its events.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opening {
    /// The medium.
    pub channel: Channel,
    /// The user's language; `zh-Hans` when not given or null.
    #[serde(default, deserialize_with = "wire::null_as_default")]
    #[cfg_attr(feature = "openapi", schema(nullable))]
    pub locale: Locale,
    /// The remote party.
    pub from: Party,
    /// The user, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Callee>,
}

impl Case {
    /// Parses a case from JSON text.
    pub fn from_json(text: &str) -> Result<Case, InputError> {
        let value: Value = serde_json::from_str(text).map_err(|e| json_syntax_error("", &e))?;
        Case::from_value(&value)
    }

    /// Parses a case from a JSON value, checking every field.
    pub fn from_value(v: &Value) -> Result<Case, InputError> {
        let opening = Opening::from_value(v)?;
        let events = match v.get("events") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) if items.len() > limits::MAX_EVENTS => {
                return Err(InputError::new(
                    "events",
                    format!(
                        "{} events; at most {} are accepted",
                        items.len(),
                        limits::MAX_EVENTS
                    ),
                ))
            }
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    Event::from_value(e).map_err(|err| err.prefixed(&format!("events[{i}]")))
                })
                .collect::<Result<_, _>>()?,
            Some(other) => {
                return Err(InputError::new(
                    "events",
                    format!("expected an array, found {}", kind_of(other)),
                ))
            }
        };
        Ok(Case {
            channel: opening.channel,
            locale: opening.locale,
            from: opening.from,
            to: opening.to,
            events,
        })
    }

    /// The opening part of this case.
    pub fn opening(&self) -> Opening {
        Opening {
            channel: self.channel,
            locale: self.locale,
            from: self.from.clone(),
            to: self.to.clone(),
        }
    }
}

/// Reads a case as [`Case::from_value`] does; an error's message starts with the field path.
impl<'de> Deserialize<'de> for Case {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Case::from_value(&Value::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl Opening {
    /// Parses the opening fields (`channel`, `locale`, `from`, `to`) of a case or session
    /// request; other fields are ignored.
    pub fn from_value(v: &Value) -> Result<Opening, InputError> {
        expect_object(v)?;
        wire::read(v)
    }
}

fn expect_object(v: &Value) -> Result<(), InputError> {
    match v {
        Value::Object(_) => Ok(()),
        other => Err(InputError::new(
            "",
            format!("expected an object, found {}", kind_of(other)),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_case() {
        let case = Case::from_json(
            r#"{"channel":"video_call","locale":"zh-Hans",
                "from":{"handle":"+1 213 555 0147","display_name":"厦门市公安局","in_contacts":false,"verified_org":null},
                "events":[{"type":"call_offer"},
                          {"type":"speech","speaker":"remote","text":"你涉嫌洗钱"},
                          {"type":"screen_share_request","initiator":"remote","app":"facetime"},
                          {"type":"payment","amount":30000,"currency":"CNY","payee":"new"},
                          {"type":"call_ended","extra":"ignored"}]}"#,
        )
        .unwrap();
        assert_eq!(case.channel, Channel::VideoCall);
        assert_eq!(case.from.display_name.as_deref(), Some("厦门市公安局"));
        assert_eq!(case.events.len(), 5);
        assert!(matches!(
            case.events[3].kind,
            EventKind::Payment {
                payee: Payee::New,
                ..
            }
        ));
    }

    #[test]
    fn errors_name_the_field() {
        let err = Case::from_json(r#"{"channel":"video_call","from":{"handle":"x"},"events":[{"type":"speech","speaker":"remote"}]}"#)
            .unwrap_err();
        assert_eq!(err.path, "events[0].text");
        assert_eq!(err.message, "missing field");

        let err = Case::from_json(r#"{"channel":"fax","from":{"handle":"x"}}"#).unwrap_err();
        assert_eq!(err.path, "channel");
        assert!(err.message.contains("unknown variant"), "{}", err.message);

        let err = Case::from_json(r#"{"channel":"message","from":{"handle":5}}"#).unwrap_err();
        assert_eq!(err.path, "from.handle");
        assert_eq!(err.message, "invalid type: integer `5`, expected a string");

        let err = Case::from_json(
            r#"{"channel":"message","from":{"handle":"a"},"events":[{"type":"speach"}]}"#,
        )
        .unwrap_err();
        assert_eq!(err.path, "events[0].type");
        assert!(err.message.contains("unknown event type \"speach\""));

        let err = Case::from_json(r#"{"channel":"message"}"#).unwrap_err();
        assert_eq!(err.path, "from");

        let err = Case::from_json(r#"{"channel":"message","from":{"handle":"a"},"events":[{"type":"payment","amount":"lots"}]}"#)
            .unwrap_err();
        assert_eq!(err.path, "events[0].amount");
        assert!(err.message.contains("expected f64"), "{}", err.message);

        let err = Case::from_json("{\"channel\":").unwrap_err();
        assert_eq!(err.path, "body");
        assert!(err.message.contains("line 1"));

        let err = Case::from_json("[]").unwrap_err();
        assert!(err.message.contains("expected an object, found an array"));
    }

    /// A null where a default exists means "not given", as a missing key does.
    #[test]
    fn null_is_not_given() {
        let case = Case::from_json(
            r#"{"channel":"message","locale":null,"to":null,"events":null,
                "from":{"handle":"a","in_contacts":null,"display_name":null}}"#,
        )
        .unwrap();
        assert_eq!(
            (case.locale, case.from.in_contacts),
            (Locale::ZhHans, false)
        );
        assert!(case.events.is_empty());
        let e = Event::from_json(
            r#"{"type":"payment","amount":1,"payee":null,"currency":null,"at":null,"id":null}"#,
        )
        .unwrap();
        assert_eq!(
            e.kind,
            EventKind::Payment {
                amount: 1.0,
                currency: None,
                payee: Payee::New
            }
        );
        let e = Event::from_json(r#"{"type":"screen_share_request","initiator":null}"#).unwrap();
        assert!(matches!(
            e.kind,
            EventKind::ScreenShareRequest {
                initiator: Speaker::Remote,
                ..
            }
        ));
    }

    /// Inside an event, where serde's own reading of a tagged enum loses the path.
    #[test]
    fn errors_inside_events_name_the_field() {
        let case = |events: &str| {
            Case::from_json(&format!(
                r#"{{"channel":"video_call","from":{{"handle":"x"}},"events":[{{"type":"call_offer"}},{events}]}}"#
            ))
            .unwrap_err()
        };
        for (events, path, message) in [
            (r#"{"type":"speech","speaker":"remote","text":5}"#, "events[1].text", "invalid type: integer `5`, expected a string"),
            (r#"{"type":"speech","speaker":"robot","text":"hi"}"#, "events[1].speaker", "unknown variant `robot`, expected `remote` or `local`"),
            (r#"{"type":"app_install","app":"AnyDesk","source":"ftp"}"#, "events[1].source", "unknown variant `ftp`, expected one of `store`, `link`, `file`"),
            (r#"{"type":"payment","amount":-3}"#, "events[1].amount", "invalid value: floating point `-3.0`, expected a finite, non-negative number"),
            (r#"{"text":"hi"}"#, "events[1].type", "missing field"),
            (r#"{"type":7}"#, "events[1].type", "invalid type: integer `7`, expected a string"),
            (r#"{"type":"call_ended","id":["a"]}"#, "events[1].id", "invalid type: sequence, expected a string"),
            (r#"{"type":"call_ended","at":1.5}"#, "events[1].at", "invalid value: floating point `1.5`, expected whole, non-negative Unix milliseconds"),
            (r#"{"type":"call_ended","at":-2.0}"#, "events[1].at", "invalid value: floating point `-2.0`, expected whole, non-negative Unix milliseconds"),
            (r#"{"type":"call_ended","at":1e19}"#, "events[1].at", "invalid value: floating point `1e+19`, expected whole, non-negative Unix milliseconds"),
            (r#"{"type":"call_ended","at":-1}"#, "events[1].at", "invalid value: integer `-1`, expected whole, non-negative Unix milliseconds"),
            (r#"{"type":"app_foreground"}"#, "events[1].app", "missing field"),
            (r#"3"#, "events[1]", "expected an object, found a number"),
        ] {
            let err = case(events);
            assert_eq!((err.path.as_str(), err.message.as_str()), (path, message), "{events}");
        }
        let err = Case::from_json(r#"{"channel":"message","from":{"handle":"a"},"events":{}}"#)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "events: expected an array, found an object"
        );
        let err =
            Case::from_json(r#"{"channel":"message","from":{"handle":"a"},"to":{}}"#).unwrap_err();
        assert_eq!(err.to_string(), "to.handle: missing field");
    }

    /// serde users (`serde_json::from_str::<Case>`) get the same checks, path first.
    #[test]
    fn serde_reads_cases_and_events_the_same_way() {
        let err = serde_json::from_str::<Case>(r#"{"channel":"message","from":{"handle":"a"},"events":[{"type":"speech","speaker":"local"}]}"#).unwrap_err();
        assert!(
            err.to_string().starts_with("events[0].text: missing field"),
            "{err}"
        );
        let events: Vec<Event> = serde_json::from_str(
            r#"[{"type":"call_offer","at":5},{"type":"call_ended","at":28.0}]"#,
        )
        .unwrap();
        assert_eq!(events[0].at, Some(5));
        assert_eq!(events[1].kind, EventKind::CallEnded);
        // A whole number written with a fraction is an integer to JSON Schema, so it is one here.
        assert_eq!(events[1].at, Some(28));
    }

    #[test]
    fn control_characters_are_not_echoed() {
        let err = Case::from_json("{\"channel\":\"fa\\u001b[2Jx\",\"from\":{\"handle\":\"a\"}}")
            .unwrap_err();
        assert_eq!(err.path, "channel");
        assert!(
            err.message.starts_with("unknown variant `fa\\u{001b}[2Jx`"),
            "{}",
            err.message
        );
        assert!(!err.message.chars().any(char::is_control));
        let err = Case::from_json(&format!(
            r#"{{"channel":"message","from":{{"handle":"a"}},"events":[{{"type":"{}\u202e"}}]}}"#,
            "x".repeat(1000)
        ))
        .unwrap_err();
        assert!(err.message.len() < 400, "{}", err.message);
        assert!(err
            .message
            .starts_with(&format!("unknown event type \"{}…\"", "x".repeat(60))));
    }

    /// `type_name`, `TYPE_NAMES` and the serialised tag come from one declaration; this checks
    /// the macro keeps them equal for every event type.
    #[test]
    fn every_type_name_is_its_wire_tag() {
        let kinds = [
            EventKind::CallOffer,
            EventKind::Speech {
                speaker: Speaker::Remote,
                text: "t".into(),
            },
            EventKind::Message {
                direction: Direction::In,
                text: "t".into(),
            },
            EventKind::ScreenShareRequest {
                initiator: Speaker::Local,
                app: None,
            },
            EventKind::ScreenShareStarted,
            EventKind::ScreenShareEnded,
            EventKind::RemoteControlRequest,
            EventKind::AppInstall {
                app: "a".into(),
                source: InstallSource::Link,
                url: Some("u".into()),
            },
            EventKind::AppForeground {
                app: "a".into(),
                category: AppCategory::Banking,
            },
            EventKind::OtpReceived {
                sender: Some("s".into()),
                text: None,
            },
            EventKind::LinkOpened { url: "u".into() },
            EventKind::Payment {
                amount: 1.5,
                currency: None,
                payee: Payee::Known,
            },
            EventKind::CallEnded,
        ];
        let names: Vec<&str> = kinds.iter().map(EventKind::type_name).collect();
        assert_eq!(names, EventKind::TYPE_NAMES);
        for kind in kinds {
            let event = Event {
                id: Some("e".into()),
                at: Some(1),
                kind,
            };
            let json = serde_json::to_value(&event).unwrap();
            assert_eq!(json["type"], event.kind.type_name());
            assert_eq!(Event::from_value(&json).unwrap(), event, "{json}");
        }
    }

    #[test]
    fn refuses_oversized_text_and_empty_handles() {
        let big = "a".repeat(limits::MAX_TEXT_CHARS + 1);
        let json = serde_json::json!({"channel":"message","from":{"handle":"a"},
            "events":[{"type":"message","direction":"in","text":big}]});
        let err = Case::from_value(&json).unwrap_err();
        assert_eq!(err.path, "events[0].text");
        assert_eq!(
            err.message,
            "too long: 65537 characters; at most 65536 are accepted"
        );
        // The limit counts characters, as the OpenAPI document's maxLength does.
        let wide = "诈".repeat(limits::MAX_TEXT_CHARS);
        let json = serde_json::json!({"channel":"message","from":{"handle":"a"},
            "events":[{"type":"message","direction":"in","text":wide}]});
        assert!(Case::from_value(&json).is_ok());
        let many = vec![serde_json::json!({"type":"call_ended"}); limits::MAX_EVENTS + 1];
        let json = serde_json::json!({"channel":"message","from":{"handle":"a"},"events":many});
        let err = Case::from_value(&json).unwrap_err();
        assert_eq!(
            err.to_string(),
            "events: 10001 events; at most 10000 are accepted"
        );

        let err = Case::from_json(r#"{"channel":"message","from":{"handle":"  "}}"#).unwrap_err();
        assert_eq!(err.path, "from.handle");
    }

    #[test]
    fn deeply_nested_json_is_refused_not_overflowed() {
        // serde_json stops at 128 levels (its recursion limit is on: no `unbounded_depth`).
        let deep = format!(
            r#"{{"channel":"message","from":{{"handle":"a"}},"extra":{}1{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let err = Case::from_json(&deep).unwrap_err();
        assert_eq!(err.path, "body");
        assert!(
            err.message.contains("recursion limit exceeded"),
            "{}",
            err.message
        );
    }

    #[test]
    fn locales_are_parsed_leniently() {
        assert_eq!(Locale::parse("zh-CN"), Some(Locale::ZhHans));
        assert_eq!(Locale::parse("zh_TW"), Some(Locale::ZhHant));
        assert_eq!(Locale::parse("zh-Hant-HK"), Some(Locale::ZhHant));
        assert_eq!(Locale::parse("en-GB"), Some(Locale::En));
        assert_eq!(Locale::parse("fr"), None);
        let err = Case::from_json(r#"{"channel":"message","locale":"fr","from":{"handle":"a"}}"#)
            .unwrap_err();
        assert_eq!(err.path, "locale");
    }

    #[test]
    fn events_round_trip_through_json() {
        let e = Event::from_json(r#"{"type":"app_install","app":"AnyDesk","source":"link","url":"http://1.2.3.4/a.apk","id":"e1"}"#).unwrap();
        let back = Event::from_value(&serde_json::to_value(&e).unwrap()).unwrap();
        assert_eq!(e, back);
    }
}
