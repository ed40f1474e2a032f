//! Events: what a platform tells the engine about one call or conversation.
//!
//! A [`Case`] is a whole conversation as JSON (the format `scamguard check` reads and the API
//! accepts piecewise). Parsing is strict about what matters and lenient about the rest: unknown
//! fields are ignored so that platforms can send richer events than we use, but a missing
//! required field, a wrong type, an unknown event type or an oversized text is an error that
//! names the field at fault (`events[3].text: ...`).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Limits on input sizes. Anything larger is refused with an error naming the field.
pub mod limits {
    /// Longest speech, message or OTP text accepted, in bytes.
    pub const MAX_TEXT_BYTES: usize = 64 * 1024;
    /// Longest display name, handle, app name or URL accepted, in bytes.
    pub const MAX_NAME_BYTES: usize = 1024;
    /// Longest URL accepted, in bytes.
    pub const MAX_URL_BYTES: usize = 8 * 1024;
    /// Most events in one case.
    pub const MAX_EVENTS: usize = 10_000;
    /// Longest identity token accepted, in bytes.
    pub const MAX_TOKEN_BYTES: usize = 8 * 1024;
}

/// A parse or validation failure, naming the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct InputError {
    /// Where the problem is, e.g. `events[2].text` or `from.handle`.
    pub path: String,
    /// What is wrong, in lower case without a trailing period.
    pub message: String,
}

impl InputError {
    /// Builds an error for `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            path: path.into(),
            message: message.into(),
        }
    }

    fn prefixed(self, prefix: &str) -> Self {
        let path = if self.path.is_empty() || self.path == "." {
            prefix.to_string()
        } else if self.path.starts_with('[') {
            format!("{prefix}{}", self.path)
        } else {
            format!("{prefix}.{}", self.path)
        };
        InputError { path, ..self }
    }
}

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
                "unknown locale {s:?}; expected \"zh-Hans\", \"zh-Hant\" or \"en\""
            ))
        })
    }
}

/// The remote party: who is calling or writing.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Party {
    /// The handle the platform saw: a phone number, an account e-mail, or a short code.
    /// Not blank.
    #[cfg_attr(feature = "openapi", schema(max_length = 1024, pattern = r"\S"))]
    pub handle: String,
    /// The name the caller chose to show. Free text: never evidence of identity by itself.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
    pub display_name: Option<String>,
    /// Whether the handle is in the user's contacts.
    #[serde(default)]
    pub in_contacts: bool,
    /// An identity that a trusted platform has already verified for this handle.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
    pub verified_org: Option<String>,
    /// A signed call assertion (PASSporT with `rcd`), when the caller's platform attached one.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 8192))]
    pub identity_token: Option<String>,
}

/// The local user, as far as the engine needs to know.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Callee {
    /// The callee's own handle.
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

impl Speaker {
    /// The remote party: who asked for a screen share when the platform does not say.
    pub fn remote() -> Speaker {
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

/// One thing that happened in a call or conversation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// An incoming call is ringing.
    CallOffer,
    /// Transcribed speech.
    Speech {
        /// Who spoke.
        speaker: Speaker,
        /// What was said.
        #[cfg_attr(feature = "openapi", schema(max_length = 65536))]
        text: String,
    },
    /// A message in the thread.
    Message {
        /// Which way it went.
        direction: Direction,
        /// Its text.
        #[cfg_attr(feature = "openapi", schema(max_length = 65536))]
        text: String,
    },
    /// Someone asked to start screen sharing.
    ScreenShareRequest {
        /// Who asked; the remote party when not given.
        #[serde(default = "Speaker::remote")]
        initiator: Speaker,
        /// The app doing the sharing, when known.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
        app: Option<String>,
    },
    /// The user's screen is now being shared.
    ScreenShareStarted,
    /// Screen sharing stopped.
    ScreenShareEnded,
    /// The remote party asked to control the user's device.
    RemoteControlRequest,
    /// An app is being installed.
    AppInstall {
        /// Its name.
        #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
        app: String,
        /// Where it comes from.
        source: InstallSource,
        /// The download address, for link installs.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(max_length = 8192))]
        url: Option<String>,
    },
    /// An app came to the foreground.
    AppForeground {
        /// Its name.
        #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
        app: String,
        /// Its kind; `other` when not given.
        #[serde(default)]
        category: AppCategory,
    },
    /// A one-time passcode arrived by SMS.
    OtpReceived {
        /// The sending number.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
        sender: Option<String>,
        /// The SMS text.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(max_length = 65536))]
        text: Option<String>,
    },
    /// The user opened a link.
    LinkOpened {
        /// The address.
        #[cfg_attr(feature = "openapi", schema(max_length = 8192))]
        url: String,
    },
    /// The user is about to pay.
    Payment {
        /// The amount, in `currency` units.
        #[cfg_attr(feature = "openapi", schema(minimum = 0))]
        amount: f64,
        /// ISO 4217 code.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(max_length = 16))]
        currency: Option<String>,
        /// New or known payee; `new` when not given.
        #[serde(default)]
        payee: Payee,
    },
    /// The call ended.
    CallEnded,
}

impl EventKind {
    /// The wire name of this event type.
    pub fn type_name(&self) -> &'static str {
        match self {
            EventKind::CallOffer => "call_offer",
            EventKind::Speech { .. } => "speech",
            EventKind::Message { .. } => "message",
            EventKind::ScreenShareRequest { .. } => "screen_share_request",
            EventKind::ScreenShareStarted => "screen_share_started",
            EventKind::ScreenShareEnded => "screen_share_ended",
            EventKind::RemoteControlRequest => "remote_control_request",
            EventKind::AppInstall { .. } => "app_install",
            EventKind::AppForeground { .. } => "app_foreground",
            EventKind::OtpReceived { .. } => "otp_received",
            EventKind::LinkOpened { .. } => "link_opened",
            EventKind::Payment { .. } => "payment",
            EventKind::CallEnded => "call_ended",
        }
    }

    /// Every event type name, for error messages and documentation.
    pub const TYPE_NAMES: [&'static str; 13] = [
        "call_offer",
        "speech",
        "message",
        "screen_share_request",
        "screen_share_started",
        "screen_share_ended",
        "remote_control_request",
        "app_install",
        "app_foreground",
        "otp_received",
        "link_opened",
        "payment",
        "call_ended",
    ];

    /// The free text this event carries (speech, message or OTP text), if any.
    pub fn text(&self) -> Option<&str> {
        match self {
            EventKind::Speech { text, .. } | EventKind::Message { text, .. } => Some(text),
            EventKind::OtpReceived { text, .. } => text.as_deref(),
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
    /// When it happened, in Unix milliseconds, if the platform says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<i64>,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
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
        let obj = v.as_object().ok_or_else(|| {
            InputError::new("", format!("expected an object, found {}", kind_of(v)))
        })?;
        let ty = match obj.get("type") {
            Some(Value::String(s)) => s.as_str(),
            Some(other) => {
                return Err(InputError::new(
                    "type",
                    format!("expected a string, found {}", kind_of(other)),
                ))
            }
            None => return Err(InputError::new("type", "missing field")),
        };
        let id = optional_string(v, "id", limits::MAX_NAME_BYTES)?;
        let at = match obj.get("at") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => Some(
                n.as_i64()
                    .ok_or_else(|| InputError::new("at", "expected whole Unix milliseconds"))?,
            ),
            Some(other) => {
                return Err(InputError::new(
                    "at",
                    format!(
                        "expected a number of Unix milliseconds, found {}",
                        kind_of(other)
                    ),
                ))
            }
        };
        let kind = match ty {
            "call_offer" => EventKind::CallOffer,
            "screen_share_started" => EventKind::ScreenShareStarted,
            "screen_share_ended" => EventKind::ScreenShareEnded,
            "remote_control_request" => EventKind::RemoteControlRequest,
            "call_ended" => EventKind::CallEnded,
            "speech" => EventKind::Speech {
                speaker: field(v, "speaker")?,
                text: text_field(v, "text", limits::MAX_TEXT_BYTES)?,
            },
            "message" => EventKind::Message {
                direction: field(v, "direction")?,
                text: text_field(v, "text", limits::MAX_TEXT_BYTES)?,
            },
            "screen_share_request" => EventKind::ScreenShareRequest {
                initiator: optional_field(v, "initiator")?.unwrap_or(Speaker::Remote),
                app: optional_string(v, "app", limits::MAX_NAME_BYTES)?,
            },
            "app_install" => EventKind::AppInstall {
                app: text_field(v, "app", limits::MAX_NAME_BYTES)?,
                source: field(v, "source")?,
                url: optional_string(v, "url", limits::MAX_URL_BYTES)?,
            },
            "app_foreground" => EventKind::AppForeground {
                app: text_field(v, "app", limits::MAX_NAME_BYTES)?,
                category: optional_field(v, "category")?.unwrap_or(AppCategory::Other),
            },
            "otp_received" => EventKind::OtpReceived {
                sender: optional_string(v, "sender", limits::MAX_NAME_BYTES)?,
                text: optional_string(v, "text", limits::MAX_TEXT_BYTES)?,
            },
            "link_opened" => EventKind::LinkOpened {
                url: text_field(v, "url", limits::MAX_URL_BYTES)?,
            },
            "payment" => {
                let amount: f64 = field(v, "amount")?;
                if !amount.is_finite() || amount < 0.0 {
                    return Err(InputError::new(
                        "amount",
                        "expected a finite, non-negative number",
                    ));
                }
                EventKind::Payment {
                    amount,
                    currency: optional_string(v, "currency", 16)?,
                    payee: optional_field(v, "payee")?.unwrap_or(Payee::New),
                }
            }
            other => {
                return Err(InputError::new(
                    "type",
                    format!(
                        "unknown event type {other:?}; expected one of {}",
                        EventKind::TYPE_NAMES.join(", ")
                    ),
                ))
            }
        };
        Ok(Event { id, at, kind })
    }
}

/// One call or message conversation: the input of `scamguard check`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// The medium.
    pub channel: Channel,
    /// The user's language; `zh-Hans` when not given.
    #[serde(default)]
    pub locale: Locale,
    /// The remote party.
    pub from: Party,
    /// The user, when the platform says who it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Callee>,
    /// What happened, in order.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 10000))]
    pub events: Vec<Event>,
}

/// The opening of a session: a case without its events.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Opening {
    /// The medium.
    pub channel: Channel,
    /// The user's language; `zh-Hans` when not given.
    #[serde(default)]
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
            Some(Value::Array(items)) => {
                if items.len() > limits::MAX_EVENTS {
                    return Err(InputError::new(
                        "events",
                        format!(
                            "{} events; at most {} are accepted",
                            items.len(),
                            limits::MAX_EVENTS
                        ),
                    ));
                }
                items
                    .iter()
                    .enumerate()
                    .map(|(i, e)| {
                        Event::from_value(e).map_err(|err| err.prefixed(&format!("events[{i}]")))
                    })
                    .collect::<Result<_, _>>()?
            }
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

impl Opening {
    /// Parses the opening fields (`channel`, `locale`, `from`, `to`) of a case or session request.
    pub fn from_value(v: &Value) -> Result<Opening, InputError> {
        if !v.is_object() {
            return Err(InputError::new(
                "",
                format!("expected an object, found {}", kind_of(v)),
            ));
        }
        let channel: Channel = field(v, "channel")?;
        let locale: Locale = optional_field(v, "locale")?.unwrap_or_default();
        let from_v = v
            .get("from")
            .ok_or_else(|| InputError::new("from", "missing field"))?;
        let from = parse_party(from_v).map_err(|e| e.prefixed("from"))?;
        let to = match v.get("to") {
            None | Some(Value::Null) => None,
            Some(t) => Some(Callee {
                handle: text_field(t, "handle", limits::MAX_NAME_BYTES)
                    .map_err(|e| e.prefixed("to"))?,
            }),
        };
        Ok(Opening {
            channel,
            locale,
            from,
            to,
        })
    }
}

fn parse_party(v: &Value) -> Result<Party, InputError> {
    if !v.is_object() {
        return Err(InputError::new(
            "",
            format!("expected an object, found {}", kind_of(v)),
        ));
    }
    let handle = text_field(v, "handle", limits::MAX_NAME_BYTES)?;
    if handle.trim().is_empty() {
        return Err(InputError::new("handle", "must not be empty"));
    }
    Ok(Party {
        handle,
        display_name: optional_string(v, "display_name", limits::MAX_NAME_BYTES)?,
        in_contacts: optional_field(v, "in_contacts")?.unwrap_or(false),
        verified_org: optional_string(v, "verified_org", limits::MAX_NAME_BYTES)?,
        identity_token: optional_string(v, "identity_token", limits::MAX_TOKEN_BYTES)?,
    })
}

/// Describes a JSON value's type for error messages.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Turns a JSON syntax error into an [`InputError`] that says where it is.
pub fn json_syntax_error(path: &str, e: &serde_json::Error) -> InputError {
    InputError::new(
        if path.is_empty() { "body" } else { path },
        format!(
            "invalid JSON at line {} column {}: {}",
            e.line(),
            e.column(),
            strip_position(e)
        ),
    )
}

fn strip_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.find(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn field<T: DeserializeOwned>(v: &Value, name: &str) -> Result<T, InputError> {
    optional_field(v, name)?.ok_or_else(|| InputError::new(name, "missing field"))
}

fn optional_field<T: DeserializeOwned>(v: &Value, name: &str) -> Result<Option<T>, InputError> {
    match v.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(x) => {
            let r: Result<T, _> = serde_path_to_error::deserialize(x);
            r.map(Some).map_err(|e| {
                let inner = e.inner().to_string();
                let msg = match inner.find(" at line ") {
                    Some(i) => inner[..i].to_string(),
                    None => inner,
                };
                InputError::new(name, msg)
            })
        }
    }
}

fn text_field(v: &Value, name: &str, max: usize) -> Result<String, InputError> {
    optional_string(v, name, max)?.ok_or_else(|| InputError::new(name, "missing field"))
}

fn optional_string(v: &Value, name: &str, max: usize) -> Result<Option<String>, InputError> {
    match v.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => {
            if s.len() > max {
                Err(InputError::new(
                    name,
                    format!("{} bytes is too long; at most {max} are accepted", s.len()),
                ))
            } else {
                Ok(Some(s.clone()))
            }
        }
        Some(other) => Err(InputError::new(
            name,
            format!("expected a string, found {}", kind_of(other)),
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
        assert!(err.message.contains("expected a string, found a number"));

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

        let err = Case::from_json("{\"channel\":").unwrap_err();
        assert_eq!(err.path, "body");
        assert!(err.message.contains("line 1"));

        let err = Case::from_json("[]").unwrap_err();
        assert!(err.message.contains("expected an object, found an array"));
    }

    #[test]
    fn refuses_oversized_text_and_empty_handles() {
        let big = "a".repeat(limits::MAX_TEXT_BYTES + 1);
        let json = serde_json::json!({"channel":"message","from":{"handle":"a"},
            "events":[{"type":"message","direction":"in","text":big}]});
        let err = Case::from_value(&json).unwrap_err();
        assert_eq!(err.path, "events[0].text");
        assert!(err.message.contains("too long"));

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
