//! Records for tests of the store and of what is built on it (feature `testing`): sessions
//! with their events, and audit records, at given times.

use crate::{AuditRecord, EventRecord, SessionProgress, SessionRecord, Write};

/// A session row of a video call that expires at `expires` (Unix ms), opened a second and
/// last changed half a second before; `closed` when it takes no more events.
pub fn session(id: &str, expires: i64, closed: bool) -> SessionRecord {
    SessionRecord {
        id: id.into(),
        created: expires - 1_000,
        updated: expires - 500,
        expires,
        channel: "video_call".into(),
        locale: "zh-Hans".into(),
        handle_hash: "h".into(),
        state: "{}".into(),
        max_action: "allow".into(),
        closed,
        owner: None,
    }
}

/// Event `seq` of session `session_id`: a `call_offer` half a second before `expires`, whose
/// progress keeps the session until `expires`. Allowed, so that it is not also read as an
/// audit record.
pub fn event(session_id: &str, seq: i64, expires: i64) -> EventRecord {
    EventRecord {
        session_id: session_id.into(),
        seq,
        event_id: None,
        kind: "call_offer".into(),
        at: expires - 500,
        action: "allow".into(),
        payload: "{}".into(),
        verdict: r#"{"action":"allow"}"#.into(),
        progress: Some(SessionProgress {
            state: "{}".into(),
            updated: expires - 500,
            expires,
        }),
    }
}

/// The write of a session `id` whose row expires at `row_expires`, with `events` events, the
/// last of which keeps it until `event_expires`.
pub fn stored_session(
    id: &str,
    row_expires: i64,
    event_expires: i64,
    events: i64,
    closed: bool,
) -> Write {
    let expires = |seq| {
        if seq + 1 == events {
            event_expires
        } else {
            row_expires
        }
    };
    Write {
        session: Some(session(id, row_expires, closed)),
        events: (0..events)
            .map(|seq| event(id, seq, expires(seq)))
            .collect(),
        ..Write::default()
    }
}

/// The audit record of a message scan blocked at `at` for a lure.
pub fn scan_audit(at: i64) -> AuditRecord {
    AuditRecord {
        id: 0,
        at,
        source: "message_scan".into(),
        session_id: None,
        seq: None,
        handle_hash: None,
        action: "block".into(),
        score: 9.0,
        rules: vec![],
        signals: vec!["lure".into()],
        reason: "r".into(),
    }
}
