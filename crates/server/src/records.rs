//! Turning engine inputs and verdicts into what the store keeps, and deciding what not to keep.
//!
//! Privacy by default: speech, message and OTP text is analysed and dropped unless the
//! operator turned retention on; handles are replaced by their keyed hash; the callee's
//! handle and identity tokens are never stored. What an audit record keeps of a verdict is the
//! store's `AuditRecord::of_verdict`.

use scamguard_core::{Event, Opening};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Fields that hold free text a person wrote or said.
const TEXT_FIELDS: [&str; 1] = ["text"];
/// Fields that hold a link, whose path and query can carry a victim's token or identity.
const LINK_FIELDS: [&str; 1] = ["url"];

/// The stored form of an event: its JSON without its id (a column of its own) and, unless
/// `retain_text`, without its text.
pub fn event_payload(event: &Event, retain_text: bool) -> String {
    let mut v = serde_json::to_value(event).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        map.remove("id");
        if !retain_text {
            let mut removed = Vec::new();
            for f in TEXT_FIELDS {
                if map.remove(f).is_some() {
                    removed.push(f);
                }
            }
            for f in LINK_FIELDS {
                if let Some(Value::String(url)) = map.get_mut(f) {
                    let origin = origin_of(url);
                    if origin != *url {
                        *url = origin;
                        removed.push(f);
                    }
                }
            }
            if !removed.is_empty() {
                map.insert("redacted".into(), json!(removed));
            }
        }
    }
    v.to_string()
}

/// The stored form of a session's opening: who called as far as the verdict needs, without
/// the handle (stored as a hash on the session), the callee or an identity token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredOpening {
    /// Always `session_opened`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Wire name of the channel.
    pub channel: String,
    /// Locale tag.
    pub locale: String,
    /// The caller, without handle or token.
    pub from: StoredParty,
}

/// The caller as a stored opening keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredParty {
    /// The name the caller chose to show.
    pub display_name: Option<String>,
    /// Whether the handle is in the user's contacts.
    pub in_contacts: bool,
    /// An identity the platform verified.
    pub verified_org: Option<String>,
    /// Whether a signed assertion came with the call (the token itself is never kept).
    pub identity_token: bool,
}

/// The stored form of a session's opening, as JSON.
pub fn opening_payload(opening: &Opening) -> String {
    let from = &opening.from;
    let stored = StoredOpening {
        kind: "session_opened".into(),
        channel: opening.channel.as_str().into(),
        locale: opening.locale.as_str().into(),
        from: StoredParty {
            display_name: from.display_name.clone(),
            in_contacts: from.in_contacts,
            verified_org: from.verified_org.clone(),
            identity_token: from.identity_token.is_some(),
        },
    };
    serde_json::to_string(&stored).unwrap_or_default()
}

/// A stored opening read back, if `payload` is one.
pub fn stored_opening(payload: &str) -> Option<StoredOpening> {
    serde_json::from_str(payload)
        .ok()
        .filter(|o: &StoredOpening| o.kind == "session_opened")
}

/// A stored event read back as the engine's [`Event`], with whether its text was kept. Text
/// that was not retained reads as empty.
pub fn stored_event(payload: &str) -> Option<(Event, bool)> {
    let mut v: Value = serde_json::from_str(payload).ok()?;
    let map = v.as_object_mut()?;
    let redacted = map.remove("redacted").is_some();
    if redacted {
        for f in TEXT_FIELDS {
            map.entry(f).or_insert_with(|| json!(""));
        }
    }
    Event::from_value(&v).ok().map(|e| (e, !redacted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_dropped_unless_retained() {
        let e = Event::from_json(
            r#"{"type":"speech","speaker":"remote","text":"你涉嫌洗钱","id":"e1"}"#,
        )
        .unwrap();
        let p = event_payload(&e, false);
        assert!(!p.contains("洗钱") && !p.contains("e1"), "{p}");
        assert!(p.contains(r#""redacted":["text"]"#), "{p}");
        assert!(event_payload(&e, true).contains("洗钱"));
        let e = Event::from_json(r#"{"type":"link_opened","url":"http://x.test/"}"#).unwrap();
        assert!(
            event_payload(&e, false).contains("x.test"),
            "URLs are not free text"
        );
    }

    #[test]
    fn stored_forms_read_back_typed() {
        let e = Event::from_json(r#"{"type":"speech","speaker":"remote","text":"你涉嫌洗钱"}"#)
            .unwrap();
        let (back, kept) = stored_event(&event_payload(&e, false)).unwrap();
        assert!(!kept);
        assert!(
            matches!(back.kind, scamguard_core::EventKind::Speech { ref text, .. } if text.is_empty())
        );
        let (back, kept) = stored_event(&event_payload(&e, true)).unwrap();
        assert!(kept && back == e);
        let case = scamguard_core::Case::from_json(
            r#"{"channel":"video_call","from":{"handle":"+1 213 555 0147","display_name":"公安局","identity_token":"x.y.z"}}"#,
        )
        .unwrap();
        let payload = opening_payload(&case.opening());
        assert!(
            !payload.contains("213") && !payload.contains("x.y.z"),
            "{payload}"
        );
        let o = stored_opening(&payload).unwrap();
        assert_eq!(o.from.display_name.as_deref(), Some("公安局"));
        assert!(o.from.identity_token && o.channel == "video_call");
        assert!(stored_opening(&event_payload(&e, false)).is_none());
        assert!(stored_event(&payload).is_none(), "an opening is no event");
    }
}

/// A link cut to its scheme and host (`https://example.com`): what a timeline needs to show
/// where it went, without the path or query a token or identity may ride in.
fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if scheme.is_empty() {
        host.to_string()
    } else {
        format!("{scheme}://{host}")
    }
}

#[cfg(test)]
mod link_tests {
    use super::*;
    use scamguard_core::Event;

    #[test]
    fn links_keep_only_their_origin_unless_text_is_retained() {
        let e = Event::from_value(&json!({"type": "link_opened",
            "url": "https://icbc-verify.com/login?token=s3cret#x"}))
        .unwrap();
        let stored = event_payload(&e, false);
        assert!(stored.contains("https://icbc-verify.com\""), "{stored}");
        assert!(
            !stored.contains("s3cret") && !stored.contains("/login"),
            "{stored}"
        );
        assert!(stored.contains("\"redacted\":[\"url\"]"), "{stored}");
        assert!(event_payload(&e, true).contains("s3cret"));
        assert_eq!(origin_of("user:pw@evil.example:81/x"), "evil.example:81");
    }
}
