//! The bank's side: `POST /v1/risk/lookup` answers a bank, at the moment of a transfer, with
//! a signed assertion of what call its customer is on; every lookup is audited.
//!
//! Which sessions count: those whose user (the opening's `to.handle`, stored as a keyed hash)
//! is the customer, that are not closed or expired, and whose call is on or ended within the
//! grace period ([`scamguard_core::assertion::assess`] decides). The answer is an assertion
//! always, also when nothing counts, so that an answer's existence says nothing.

pub mod keys;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::random::random_hex;
use crate::state::AppState;
use scamguard_core::assertion::{self, CallClock, Risk, RiskClaims};
use scamguard_core::event::{kind_of, limits};
use scamguard_core::CallSession;
use scamguard_store::{now_ms, RiskLookupRecord};
use serde::Serialize;
use serde_json::Value;

/// Lookups counted by what they answered (`active`, `ended` or `none`).
pub const LOOKUPS: &str = "scamguard_risk_lookups_total";

/// The answer to a lookup.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LookupAnswer {
    /// The compact JWS (ES256) the bank verifies with `GET /.well-known/jwks.json`.
    pub assertion: String,
}

/// Reads `{"user_handle": "..."}`: see [`handle_field`].
pub fn user_handle(body: &Value) -> Result<String, ApiError> {
    let obj = body.as_object().ok_or_else(|| {
        ApiError::field(
            "body",
            format!("expected an object, found {}", kind_of(body)),
        )
    })?;
    handle_field(obj, "user_handle")
}

/// Reads the handle in `obj[field]`: a non-empty string of at most 1024 characters without
/// control or invisible formatting characters (bidi overrides, zero-width), which would make
/// a number that looks right hash as another.
pub fn handle_field(obj: &serde_json::Map<String, Value>, field: &str) -> Result<String, ApiError> {
    let h = match obj.get(field) {
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(ApiError::field(
                field,
                format!("expected a string, found {}", kind_of(other)),
            ))
        }
        None => return Err(ApiError::field(field, "missing field")),
    };
    if let Some(why) = limits::too_long(h, limits::MAX_NAME_CHARS) {
        return Err(ApiError::field(field, why));
    }
    if h.trim().is_empty() {
        return Err(ApiError::field(field, "must not be empty"));
    }
    if let Some(c) = h
        .chars()
        .find(|c| c.is_control() || is_invisible_format(*c))
    {
        return Err(ApiError::field(
            field,
            format!(
                "contains the invisible character U+{:04X}; send the handle as typed",
                c as u32
            ),
        ));
    }
    Ok(h.clone())
}

/// What [`user_handle`] accepts, as the JSON Schema pattern the OpenAPI document states: no
/// control or invisible formatting character, and one that is not whitespace.
pub const USER_HANDLE_PATTERN: &str = concat!(
    r"^[^\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]*",
    r"[^\s\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]",
    r"[^\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]*$",
);

/// Bidi controls, zero-width characters and other formatting code points.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// Answers a bank's lookup for `handle` and audits it.
pub async fn lookup(
    state: &AppState,
    caller: &Caller,
    handle: &str,
) -> Result<LookupAnswer, ApiError> {
    let ring = state.assertion_keys().ok_or_else(|| {
        ApiError::NotConfigured("no assertion signing key is configured on this server".into())
    })?;
    let now = now_ms();
    let now_secs = now / 1000;
    let user_hash = state.hasher().hash(handle);
    let engine = state.engine();
    let grace_secs = state.config().risk_grace.as_secs() as i64;
    let mut best: Option<(Risk, String)> = None;
    for us in state.store().user_sessions(&user_hash, now).await? {
        let session: CallSession = serde_json::from_str(&us.session.state).map_err(|e| {
            ApiError::Internal(format!("session {}: stored state: {e}", us.session.id))
        })?;
        let verdict = engine.verdict_of(&session);
        let clock = CallClock {
            now: now_secs,
            started: us.call_started.unwrap_or(us.session.created) / 1000,
            ended: us.call_ended.map(|t| t / 1000),
            grace_secs,
        };
        let Some(risk) = assertion::assess(&session, &verdict, &clock) else {
            continue;
        };
        let stronger = match &best {
            None => true,
            Some((b, _)) => Risk::strongest([b.clone(), risk.clone()]) != *b,
        };
        if stronger {
            best = Some((risk, us.session.id));
        }
    }
    let (risk, session_id) = match best {
        Some((r, id)) => (r, Some(id)),
        None => (Risk::none(), None),
    };
    let key_id: &str = &caller.key_id;
    // Distinct per bank, so that two banks cannot join their customers by it.
    let sub = state
        .hasher()
        .hash(&format!("risk-sub:{key_id}:{user_hash}"));
    let jti = random_hex();
    let claims = RiskClaims::new(
        &state.config().assertion_issuer,
        key_id,
        &sub,
        &jti,
        now_secs,
        state.config().assertion_ttl.as_secs() as i64,
        risk,
    );
    let token = assertion::sign(&claims, ring.signer())
        .map_err(|e| ApiError::Internal(format!("signing a risk assertion: {e}")))?;
    let risk_json = serde_json::to_string(&claims.risk)
        .map_err(|e| ApiError::Internal(format!("risk JSON: {e}")))?;
    // No answer leaves unaudited.
    state
        .store()
        .record_risk_lookup(&RiskLookupRecord {
            id: 0,
            at: now,
            key_id: key_id.to_string(),
            user_hash,
            jti,
            session_id,
            active: claims.risk.active,
            action: claims.risk.action.as_str().to_string(),
            risk: risk_json,
        })
        .await?;
    let answered = if claims.risk.active {
        "active"
    } else if claims.risk.is_none() {
        "none"
    } else {
        "ended"
    };
    metrics::counter!(LOOKUPS, "answer" => answered).increment(1);
    Ok(LookupAnswer { assertion: token })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_documented_pattern_accepts_what_the_check_accepts() {
        let re = regex::Regex::new(USER_HANDLE_PATTERN).unwrap();
        let mut chars: Vec<char> = ('\0'..='\u{3100}').collect();
        chars.extend(['\u{feff}', '\u{fe0f}', '\u{1f46e}', '\u{e0041}']);
        for c in chars {
            for h in [format!("{c}"), format!("+86 1{c}38"), format!("{c} ")] {
                let ok = user_handle(&json!({ "user_handle": h })).is_ok();
                assert_eq!(re.is_match(&h), ok, "{h:?} (U+{:04X})", c as u32);
            }
        }
    }

    #[test]
    fn user_handles_are_checked_field_by_field() {
        assert_eq!(
            user_handle(&json!({"user_handle": "+86 138 0000 0000"})).unwrap(),
            "+86 138 0000 0000"
        );
        for (body, needle) in [
            (json!([]), "expected an object"),
            (json!({}), "missing field"),
            (json!({"user_handle": 13800000000u64}), "expected a string"),
            (json!({"user_handle": "  "}), "must not be empty"),
            (json!({"user_handle": "x".repeat(1025)}), "too long"),
            (json!({"user_handle": "+86 138\u{202e}0000"}), "U+202E"),
            (json!({"user_handle": "+86\u{200b}138"}), "U+200B"),
            (json!({"user_handle": "+86\n138"}), "U+000A"),
        ] {
            let err = user_handle(&body).unwrap_err().to_string();
            assert!(err.contains(needle), "{body}: {err}");
        }
    }
}
