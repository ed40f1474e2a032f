//! Admin endpoints (scope `admin`): policy reload and dry run, audit, session list.

use crate::error::ApiError;
use crate::extract::{AppJson, Params};
use crate::policy::{self, DryRun, Reloaded};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use scamguard_core::event::kind_of;
use scamguard_core::Case;
use scamguard_store::{AuditQuery, AuditRecord, SessionQuery, SessionRecord};
use serde::Serialize;
use serde_json::Value;

/// Most records one audit or session query returns.
pub const MAX_LIMIT: i64 = 1000;
/// Records returned when no `limit` is given.
pub const DEFAULT_LIMIT: i64 = 100;

/// Re-reads the policy file.
pub async fn reload(State(state): State<AppState>) -> Result<Json<Reloaded>, ApiError> {
    Ok(Json(policy::reload(&state).await?))
}

/// Evaluates a case or a stored session under a candidate policy:
/// `{"policy": "<TOML>", "case": {…}}` or `{"policy": "<TOML>", "session_id": "…"}`.
pub async fn dry_run(
    State(state): State<AppState>,
    AppJson(body): AppJson,
) -> Result<Json<DryRun>, ApiError> {
    let obj = body.as_object().ok_or_else(|| {
        ApiError::field(
            "body",
            format!("expected an object, found {}", kind_of(&body)),
        )
    })?;
    let text = match obj.get("policy") {
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(ApiError::field(
                "policy",
                format!(
                    "expected the policy as a TOML string, found {}",
                    kind_of(other)
                ),
            ))
        }
        None => return Err(ApiError::field("policy", "missing field")),
    };
    let candidate = policy::candidate(text)?;
    match (obj.get("case"), obj.get("session_id")) {
        (Some(case), None) => {
            let case = Case::from_value(case).map_err(|e| {
                let field = if e.path.is_empty() {
                    "case".to_string()
                } else {
                    format!("case.{}", e.path)
                };
                ApiError::field(field, e.message)
            })?;
            Ok(Json(policy::dry_run_case(&state, candidate, &case)))
        }
        (None, Some(Value::String(id))) => {
            Ok(Json(policy::dry_run_session(&state, candidate, id).await?))
        }
        (None, Some(other)) => Err(ApiError::field(
            "session_id",
            format!("expected a string, found {}", kind_of(other)),
        )),
        (Some(_), Some(_)) => Err(ApiError::field(
            "body",
            "give either case or session_id, not both",
        )),
        (None, None) => Err(ApiError::field(
            "body",
            "missing field: give case or session_id",
        )),
    }
}

/// Audit records, newest first.
#[derive(Debug, Serialize)]
pub struct AuditPage {
    /// The records.
    pub records: Vec<AuditRecord>,
}

/// `GET /v1/admin/audit?session_id=&handle_hash=&handle=&since=&until=&limit=`; times in
/// Unix ms. `handle` is hashed here, so an analyst can ask about a number without knowing
/// the key.
pub async fn audit(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<AuditPage>, ApiError> {
    let handle_hash = match (params.text("handle_hash"), params.text("handle")) {
        (Some(_), Some(_)) => {
            return Err(ApiError::field(
                "handle",
                "give handle or handle_hash, not both",
            ))
        }
        (Some(h), None) => Some(h.to_string()),
        (None, Some(h)) => Some(state.hasher().hash(h)),
        (None, None) => None,
    };
    let query = AuditQuery {
        session_id: params.text("session_id").map(String::from),
        handle_hash,
        since: params.int("since")?,
        until: params.int("until")?,
        limit: limit(&params)?,
    };
    Ok(Json(AuditPage {
        records: state.store().audit(&query).await?,
    }))
}

/// A session in a list: its row without the engine state.
#[derive(Debug, Serialize)]
pub struct SessionSummary {
    /// Id.
    pub session_id: String,
    /// `open` or `expired`.
    pub status: &'static str,
    /// Medium.
    pub channel: String,
    /// Locale.
    pub locale: String,
    /// HMAC of the caller's handle.
    pub handle_hash: String,
    /// Opened (Unix ms).
    pub created: i64,
    /// Last event (Unix ms).
    pub updated: i64,
    /// Expiry (Unix ms).
    pub expires: i64,
    /// Highest action reached.
    pub max_action: String,
}

impl SessionSummary {
    /// Summarises a stored session as of `now`.
    pub fn of(r: SessionRecord, now: i64) -> SessionSummary {
        SessionSummary {
            status: if r.closed || r.expires <= now {
                "expired"
            } else {
                "open"
            },
            session_id: r.id,
            channel: r.channel,
            locale: r.locale,
            handle_hash: r.handle_hash,
            created: r.created,
            updated: r.updated,
            expires: r.expires,
            max_action: r.max_action,
        }
    }
}

/// A page of sessions.
#[derive(Debug, Serialize)]
pub struct SessionPage {
    /// Most recently active first.
    pub sessions: Vec<SessionSummary>,
}

/// `GET /v1/admin/sessions?open=true&before=&limit=`: sessions, most recently active first;
/// `before` pages by `expires` (pass the last one seen).
pub async fn sessions(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<SessionPage>, ApiError> {
    let now = scamguard_store::now_ms();
    let query = SessionQuery {
        open_at: params.flag("open")?.unwrap_or(false).then_some(now),
        expires_before: params.int("before")?,
        limit: limit(&params)?,
    };
    let rows = state.store().sessions(&query).await?;
    Ok(Json(SessionPage {
        sessions: rows
            .into_iter()
            .map(|r| SessionSummary::of(r, now))
            .collect(),
    }))
}

fn limit(params: &Params) -> Result<i64, ApiError> {
    match params.int("limit")? {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::field(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}, found {n}"),
        )),
    }
}
