//! From a session to what a bank is told: [`assess`] and the [`Risk`] it returns.

use crate::engine::CallSession;
use crate::verdict::{Action, Verdict};
use serde::{Deserialize, Serialize};

/// The times of a session that the engine does not keep (it has no clock), in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallClock {
    /// Now.
    pub now: i64,
    /// When the session (the call) began.
    pub started: i64,
    /// When the call ended, if it has.
    pub ended: Option<i64>,
    /// How long after its end a call still counts, for the transfer a caller coached and then
    /// hung up on.
    pub grace_secs: i64,
}

/// What an assertion says about the user: codes, numbers and flags, never a handle, a name
/// or any text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    /// A call with the user is on right now.
    pub active: bool,
    /// The highest action the call reached (`allow` when nothing counts).
    pub action: Action,
    /// Its score.
    pub score: f64,
    /// The codes of the signals that raised it, strongest first.
    pub signals: Vec<String>,
    /// The category of the identity the caller claims (`police`, `bank`, `platform`, …).
    pub claimed_category: Option<String>,
    /// The user's screen is being shared now.
    pub screen_shared: bool,
    /// The caller asked for remote control.
    pub remote_control: bool,
    /// The caller claims an authority (police, court, regulator, …) and is not verified.
    pub authority_unverified: bool,
    /// How long the call has lasted (until its end, if it ended), in seconds.
    pub call_secs: i64,
    /// Seconds since the call ended, when it ended within the grace period.
    pub ended_secs_ago: Option<i64>,
}

impl Risk {
    /// Nothing to report: no call with the user counts.
    pub fn none() -> Risk {
        Risk {
            active: false,
            action: Action::Allow,
            score: 0.0,
            signals: Vec::new(),
            claimed_category: None,
            screen_shared: false,
            remote_control: false,
            authority_unverified: false,
            call_secs: 0,
            ended_secs_ago: None,
        }
    }

    /// Whether this says anything at all.
    pub fn is_none(&self) -> bool {
        *self == Risk::none()
    }

    /// The one of `risks` a bank most needs to hear of: a call on now before one that ended,
    /// then the higher action, then the higher score; [`Risk::none`] when there is none.
    pub fn strongest(risks: impl IntoIterator<Item = Risk>) -> Risk {
        risks
            .into_iter()
            .max_by(|a, b| {
                (a.active, a.action)
                    .cmp(&(b.active, b.action))
                    .then(a.score.total_cmp(&b.score))
            })
            .unwrap_or_else(Risk::none)
    }
}

/// What one session tells a bank, or `None` when it does not count: a message thread, or a
/// call that ended more than the grace period ago. `verdict` is the session's verdict as it
/// stands (the engine's `verdict_of`), which knows the claimed identity's category and tier.
pub fn assess(session: &CallSession, verdict: &Verdict, clock: &CallClock) -> Option<Risk> {
    if !session.channel.is_call() {
        return None;
    }
    let state = &session.state;
    // A call session is ringing from its opening until its call ends.
    let ended = state.call_seen && !state.call_active;
    let ended_secs_ago = match (ended, clock.ended) {
        (false, _) => None,
        (true, Some(at)) => {
            let ago = (clock.now - at).max(0);
            if ago > clock.grace_secs {
                return None;
            }
            Some(ago)
        }
        // Ended at an unknown time: nothing proves it is within the grace period.
        (true, None) => return None,
    };
    let until = if ended {
        clock.ended.unwrap_or(clock.now)
    } else {
        clock.now
    };
    let claimed = verdict.claimed_identity.as_ref();
    Some(Risk {
        active: !ended,
        action: session.max_action.max(verdict.action),
        score: (verdict.score * 100.0).round() / 100.0,
        signals: verdict
            .signals
            .iter()
            .filter(|s| s.weight > 0.0)
            .map(|s| s.code.clone())
            .collect(),
        claimed_category: claimed.map(|c| c.category.clone()),
        screen_shared: state.sharing && !ended,
        remote_control: state.remote_control,
        authority_unverified: claimed.is_some_and(|c| c.tier == "A")
            && verdict.verified_identity.is_none(),
        call_secs: (until - clock.started).max(0),
        ended_secs_ago,
    })
}
