//! Guardians: a relative a user names, whom the platform notifies when a call to the user
//! blocks at the dangerous moment — while the screen is shared or remotely controlled, a
//! banking or payment app is open during the call, or a payment is made during it.
//!
//! The platform registers a guardian (`POST /v1/guardians`) with the user's and the
//! guardian's handles and the guardian's consent; both handles are kept only as keyed hashes
//! (see [`scamguard_store::HandleHasher`]). The platform knows its own users: it keeps the
//! guardian id it is given (or the guardian's hash it is told) next to the guardian it
//! registered, and that is all an alert needs to be routed. When a session of the user
//! reaches `block` at such a moment, [`on_session`] enqueues a `guardian_alert` webhook per
//! guardian, once per session: what happened in plain words (the verdict's headline and
//! class, the claimed identity's category, the moment), never what was said or typed.

use crate::auth::Caller;
use crate::error::ApiError;
use crate::random::random_hex;
use crate::risk::handle_field;
use crate::state::AppState;
use crate::webhook::{self, Kind};
use scamguard_core::event::kind_of;
use scamguard_core::signal::codes;
use scamguard_core::{Action, CallSession, Verdict};
use scamguard_store::{now_ms, GuardianRecord, Scope};
use serde::Serialize;
use serde_json::{json, Value};

/// A guardian as the platform is told of it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Registered {
    /// The id every alert for this guardian carries; `DELETE /v1/guardians/{id}` withdraws it.
    pub guardian_id: String,
    /// Keyed hash of the user's handle, as alerts name the user.
    pub user_hash: String,
    /// Keyed hash of the guardian's handle, as alerts name the guardian.
    pub guardian_hash: String,
    /// When it was registered (Unix ms).
    pub created: i64,
}

impl From<&GuardianRecord> for Registered {
    fn from(g: &GuardianRecord) -> Self {
        Registered {
            guardian_id: g.id.clone(),
            user_hash: g.user_hash.clone(),
            guardian_hash: g.guardian_hash.clone(),
            created: g.created,
        }
    }
}

/// Fields a registration may carry.
const FIELDS: [&str; 3] = ["user_handle", "guardian_handle", "consent"];

/// Registers the guardian `body` names for `caller`'s user; returns it and whether it is new
/// (a registration of a pair already in force answers with that one).
pub async fn register(
    state: &AppState,
    caller: &Caller,
    body: &Value,
) -> Result<(Registered, bool), ApiError> {
    let obj = body.as_object().ok_or_else(|| {
        ApiError::field(
            "body",
            format!("expected an object, found {}", kind_of(body)),
        )
    })?;
    if let Some(unknown) = obj.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(ApiError::field(
            unknown.as_str(),
            format!("unknown field; expected {}", FIELDS.join(", ")),
        ));
    }
    let user = handle_field(obj, "user_handle")?;
    let guardian = handle_field(obj, "guardian_handle")?;
    match obj.get("consent") {
        Some(Value::Bool(true)) => {}
        Some(Value::Bool(false)) => {
            return Err(ApiError::field(
                "consent",
                "the guardian has not agreed to be notified: register them once they have",
            ))
        }
        Some(other) => {
            return Err(ApiError::field(
                "consent",
                format!("expected true or false, found {}", kind_of(other)),
            ))
        }
        None => return Err(ApiError::field("consent", "missing field")),
    }
    let user_hash = state.hasher().hash(&user);
    let guardian_hash = state.hasher().hash(&guardian);
    if user_hash == guardian_hash {
        return Err(ApiError::field(
            "guardian_handle",
            "is the user's own handle; a guardian is someone else",
        ));
    }
    let key_id = caller.key_id.to_string();
    let existing = |all: Vec<GuardianRecord>| {
        all.into_iter()
            .find(|g| g.guardian_hash == guardian_hash && g.key_id == key_id)
    };
    if let Some(g) = existing(state.store().guardians(&user_hash).await?) {
        return Ok(((&g).into(), false));
    }
    let record = GuardianRecord {
        id: format!("gdn_{}", random_hex()),
        user_hash: user_hash.clone(),
        guardian_hash: guardian_hash.clone(),
        key_id: key_id.clone(),
        created: now_ms(),
        revoked: None,
    };
    match state.store().add_guardian(&record).await {
        Ok(()) => Ok(((&record).into(), true)),
        // Registered by a concurrent request a moment ago: answer with that one.
        Err(scamguard_store::StoreError::Conflict(_)) => {
            match existing(state.store().guardians(&user_hash).await?) {
                Some(g) => Ok(((&g).into(), false)),
                None => Err(ApiError::Stale),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// Withdraws guardian `id`, if `caller` registered it (or is an admin key).
pub async fn withdraw(state: &AppState, caller: &Caller, id: &str) -> Result<(), ApiError> {
    let found = state
        .store()
        .guardian(id)
        .await?
        .filter(|g| g.revoked.is_none())
        .filter(|g| caller.allows(Scope::Admin) || *g.key_id == *caller.key_id);
    if found.is_none() || !state.store().withdraw_guardian(id, now_ms()).await? {
        return Err(ApiError::GuardianNotFound);
    }
    Ok(())
}

/// What is under way in a session that makes a block worth a guardian's call, in the order
/// an alert names them: `screen_share`, `banking_app`, `payment`.
pub fn moments(session: &CallSession) -> Vec<&'static str> {
    let s = &session.signals;
    let mut out = Vec::new();
    if !session.is_ended() && (session.state.sharing || session.state.remote_control) {
        out.push("screen_share");
    }
    if s.has(codes::BANKING_APP_WHILE_SHARING) || s.has(codes::BANKING_APP_DURING_CALL) {
        out.push("banking_app");
    }
    if s.has(codes::PAYMENT_DURING_CALL) {
        out.push("payment");
    }
    out
}

/// Whether a session in this state calls for an alert: blocked, at a dangerous moment.
fn alerting(session: &CallSession) -> bool {
    session.max_action == Action::Block && !moments(session).is_empty()
}

/// After a session moved from `before` (`None`: it just opened) to `after` with `verdict`:
/// when it has just become a block at a dangerous moment, enqueues an alert for each of its
/// user's guardians. Failures are logged, never answered: the verdict stands either way.
pub async fn on_session(
    state: &AppState,
    session_id: &str,
    before: Option<&CallSession>,
    after: &CallSession,
    verdict: &Verdict,
) {
    if !alerting(after) || before.is_some_and(alerting) || state.config().webhook.is_none() {
        return;
    }
    if let Err(e) = alert(state, session_id, after, verdict).await {
        tracing::warn!(session = %session_id, error = %e, "guardian alert not queued");
    }
}

async fn alert(
    state: &AppState,
    session_id: &str,
    session: &CallSession,
    verdict: &Verdict,
) -> Result<(), ApiError> {
    let Some(user_hash) = state.store().session_user(session_id).await? else {
        return Ok(());
    };
    let guardians = state.store().guardians(&user_hash).await?;
    if guardians.is_empty() {
        return Ok(());
    }
    let moments = moments(session);
    let claimed = verdict.claimed_identity.as_ref();
    let authority_unverified =
        claimed.is_some_and(|c| c.tier == "A") && verdict.verified_identity.is_none();
    let summary = summary(
        &moments,
        claimed.map(|c| c.category.as_str()),
        authority_unverified,
    );
    for g in guardians {
        let data = json!({
            "guardian_id": g.id,
            "guardian_hash": g.guardian_hash,
            "user_hash": g.user_hash,
            "registered_by": g.key_id,
            "session_id": session_id,
            "channel": session.channel.as_str(),
            "at": now_ms(),
            "action": verdict.action.as_str(),
            "class": verdict.class.as_str(),
            "headline": verdict.headline,
            "locale": verdict.locale.as_str(),
            "claimed_category": claimed.map(|c| c.category.as_str()),
            "authority_unverified": authority_unverified,
            "moments": moments,
            "summary": summary,
        });
        webhook::enqueue_once(
            state,
            Kind::GuardianAlert,
            &format!("{session_id}:{}", g.id),
            &data,
        )
        .await?;
    }
    Ok(())
}

/// One English sentence for the guardian: what was blocked, at which moment, and who the
/// caller claimed to be; no content.
pub fn summary(moments: &[&str], claimed_category: Option<&str>, unverified: bool) -> String {
    let during: Vec<&str> = moments
        .iter()
        .map(|m| match *m {
            "screen_share" => "their screen was being shared",
            "banking_app" => "a banking or payment app was open during the call",
            _ => "a payment was made during the call",
        })
        .collect();
    let mut s = String::from("scamguard blocked a call to the person you look after");
    if !during.is_empty() {
        s.push_str(" while ");
        s.push_str(&join_words(&during));
    }
    if let Some(c) = claimed_category {
        s.push_str(&format!("; the caller claimed to be from the {c}"));
        if unverified {
            s.push_str(" and could not be verified");
        }
    }
    s.push_str(". Call them on a number you know.");
    s
}

fn join_words(parts: &[&str]) -> String {
    match parts {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_say_what_happened_in_plain_words() {
        assert_eq!(
            summary(&["screen_share", "banking_app"], Some("police"), true),
            "scamguard blocked a call to the person you look after while their screen was \
             being shared and a banking or payment app was open during the call; the caller \
             claimed to be from the police and could not be verified. Call them on a number \
             you know."
        );
        assert_eq!(
            summary(&["payment"], None, false),
            "scamguard blocked a call to the person you look after while a payment was made \
             during the call. Call them on a number you know."
        );
    }
}
