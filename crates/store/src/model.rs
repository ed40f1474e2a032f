//! What the store keeps: plain records, one per table row.

use serde::{Deserialize, Serialize};

/// An API key's permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Platform endpoints: sessions, events and scans.
    Scan,
    /// A bank: the risk lookup (`POST /v1/risk/lookup`) and nothing else.
    Bank,
    /// Everything, including the admin endpoints (policy, audit).
    Admin,
}

impl Scope {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Scan => "scan",
            Scope::Bank => "bank",
            Scope::Admin => "admin",
        }
    }

    /// Parses a stored or wire name.
    pub fn parse(s: &str) -> Option<Scope> {
        match s.trim() {
            "scan" => Some(Scope::Scan),
            "bank" => Some(Scope::Bank),
            "admin" => Some(Scope::Admin),
            _ => None,
        }
    }

    /// Whether a key with this scope may use an endpoint that needs `needed`: its own scope's,
    /// or any for `admin`. A `scan` key may not ask about a bank's customer, nor a `bank` key
    /// open sessions.
    pub fn allows(self, needed: Scope) -> bool {
        self == Scope::Admin || self == needed
    }
}

#[cfg(test)]
mod scope_tests {
    use super::Scope;

    #[test]
    fn each_scope_allows_its_own_endpoints_and_admin_all() {
        for s in [Scope::Scan, Scope::Bank, Scope::Admin] {
            assert_eq!(Scope::parse(s.as_str()), Some(s));
            assert!(Scope::Admin.allows(s) && s.allows(s));
        }
        assert!(!Scope::Scan.allows(Scope::Bank) && !Scope::Bank.allows(Scope::Scan));
        assert!(!Scope::Bank.allows(Scope::Admin) && !Scope::Scan.allows(Scope::Admin));
        assert_eq!(Scope::parse("teller"), None);
    }
}

/// One call or conversation thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// Random id, given to the platform.
    pub id: String,
    /// When it was opened (Unix ms).
    pub created: i64,
    /// Its last event (Unix ms).
    pub updated: i64,
    /// When it expires unless another event arrives (Unix ms).
    pub expires: i64,
    /// `video_call`, `audio_call` or `message`.
    pub channel: String,
    /// The user's locale tag.
    pub locale: String,
    /// HMAC of the caller's handle; never the handle.
    pub handle_hash: String,
    /// The engine's `CallSession` as JSON: signals and behaviour, no text, no handle.
    pub state: String,
    /// The highest action reached: `allow`, `warn` or `block`.
    pub max_action: String,
    /// Closed: expired, or ended by the call's end.
    pub closed: bool,
    /// The id of the API key that opened it; `None` for sessions from before keys owned them.
    /// Read from the database; written through [`Write::owner`] (the journal's records keep
    /// their layout).
    #[serde(skip)]
    pub owner: Option<String>,
}

/// One event of a session, with the verdict it got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    /// Its session.
    pub session_id: String,
    /// Position in the session: 0 is the opening, then 1, 2, … in the order applied.
    pub seq: i64,
    /// The platform's id for idempotent replay, unique within the session.
    pub event_id: Option<String>,
    /// The event type (`session_opened` for the opening).
    pub kind: String,
    /// When it happened (the platform's time if given, else when it arrived; Unix ms).
    pub at: i64,
    /// The verdict's action, for queries.
    pub action: String,
    /// The event as JSON, text fields removed unless retention is on.
    pub payload: String,
    /// The verdict as JSON, exactly as it was answered.
    pub verdict: String,
    /// The session as it stood after this event, stored with it so that an event does not
    /// also rewrite its session's row.
    pub progress: Option<SessionProgress>,
}

/// What changes in a session with every event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionProgress {
    /// The engine's state as JSON.
    pub state: String,
    /// When the event was applied (Unix ms).
    pub updated: i64,
    /// When the session expires unless another event arrives (Unix ms).
    pub expires: i64,
}

/// A warn or block verdict, kept for accountability: which signals, rule and reason — never
/// the content that triggered it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// Assigned by the database; ignored on insert.
    pub id: i64,
    /// When (Unix ms).
    pub at: i64,
    /// What produced it: `session`, `message_scan` or `url_scan`.
    pub source: String,
    /// The session, for session verdicts.
    pub session_id: Option<String>,
    /// The event's position in the session.
    pub seq: Option<i64>,
    /// HMAC of the sender's handle, when known.
    pub handle_hash: Option<String>,
    /// `warn` or `block`.
    pub action: String,
    /// The score.
    pub score: f64,
    /// Names of the hard rules that fired.
    pub rules: Vec<String>,
    /// Codes of the signals that counted.
    pub signals: Vec<String>,
    /// The explanation the user was shown.
    pub reason: String,
}

/// An API key as stored: a hash and a prefix to find it by, never the key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiKeyRecord {
    /// Short id for `keys revoke`.
    pub id: String,
    /// The key's first characters, for lookup.
    pub prefix: String,
    /// SHA-256 of the whole key, hex.
    pub hash: String,
    /// What it may do.
    pub scopes: Vec<Scope>,
    /// A note from whoever created it.
    pub label: Option<String>,
    /// When it was created (Unix ms).
    pub created: i64,
    /// When it was revoked (Unix ms).
    pub revoked: Option<i64>,
}

/// Everything one request makes durable, committed together with other requests' writes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Write {
    /// The session as it now stands (inserted or replaced).
    pub session: Option<SessionRecord>,
    /// New events.
    pub events: Vec<EventRecord>,
    /// New audit records.
    pub audit: Vec<AuditRecord>,
    /// For a new session: the keyed hash of its user's handle (the opening's `to.handle`),
    /// which the risk lookup finds it by; written once and never changed. Kept here, last,
    /// rather than in [`SessionRecord`]: the journal stores writes in postcard, which is
    /// positional, and a trailing field is the one change that leaves older records readable.
    #[serde(default)]
    pub user_hash: Option<String>,
    /// For a new session: the id of the API key that opens it, which alone (with admin keys)
    /// may reach it; written once. Trailing, like `user_hash`, for the journal's sake.
    #[serde(default)]
    pub owner: Option<String>,
}

/// A [`Write`] as the journal recorded it before [`Write::user_hash`] existed.
#[derive(Debug, Deserialize)]
pub(crate) struct WriteBeforeUsers {
    session: Option<SessionRecord>,
    events: Vec<EventRecord>,
    audit: Vec<AuditRecord>,
}

impl From<WriteBeforeUsers> for Write {
    fn from(w: WriteBeforeUsers) -> Write {
        Write {
            session: w.session,
            events: w.events,
            audit: w.audit,
            user_hash: None,
            owner: None,
        }
    }
}

/// Which audit records to return.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditQuery {
    /// Only this session.
    pub session_id: Option<String>,
    /// Only this handle hash.
    pub handle_hash: Option<String>,
    /// At or after (Unix ms).
    pub since: Option<i64>,
    /// Before (Unix ms).
    pub until: Option<i64>,
    /// At most this many.
    pub limit: i64,
}

/// Which sessions to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionQuery {
    /// Only sessions open at this time (Unix ms).
    pub open_at: Option<i64>,
    /// Only sessions expiring before this time (Unix ms): for paging, the last `expires` seen.
    pub expires_before: Option<i64>,
    /// At most this many.
    pub limit: i64,
}
