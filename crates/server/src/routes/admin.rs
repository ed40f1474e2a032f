//! Admin endpoints (scope `admin`): policy reload and dry run, audit, session list.

use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, Query};
use crate::policy::{self, DryRun, Reloaded};
use crate::sessions::SessionRow;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use scamguard_core::Case;
use scamguard_store::{AuditQuery, AuditRecord, SessionQuery, SessionRecord};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Most records one audit or session query returns.
pub const MAX_LIMIT: i64 = 1000;
/// Records returned when no `limit` is given.
pub const DEFAULT_LIMIT: i64 = 100;

/// Re-reads the policy file and puts it in force; an invalid file changes nothing.
#[utoipa::path(post, path = "/v1/admin/policy/reload", tag = "admin",
    responses(
        (status = 200, description = "The policy in force now", body = Reloaded),
        (status = 422, description = "invalid_policy: the file has problems; every one is listed", body = ErrorBody),
        (status = 503, description = "policy_unreadable: the file cannot be read", body = ErrorBody)
    ))]
pub async fn reload(State(state): State<AppState>) -> Result<Json<Reloaded>, ApiError> {
    Ok(Json(policy::reload(&state).await?))
}

/// A candidate policy and what to try it on: a case, or a stored session.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DryRunRequest {
    /// The candidate policy, as TOML text.
    pub policy: String,
    /// A case to run under both policies.
    #[schema(value_type = Option<scamguard_core::Case>)]
    #[serde(default)]
    pub case: Option<Value>,
    /// A stored session whose signals are re-priced under both policies.
    #[serde(default)]
    pub session_id: Option<String>,
}

/// Evaluates a case or a stored session under a candidate policy.
#[utoipa::path(post, path = "/v1/admin/policy/dry-run", tag = "admin",
    request_body = DryRunRequest,
    responses(
        (status = 200, description = "What the candidate changes", body = DryRun),
        (status = 404, description = "session_not_found", body = ErrorBody)
    ))]
pub async fn dry_run(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<DryRunRequest>,
) -> Result<Json<DryRun>, ApiError> {
    let candidate = policy::candidate(&body.policy)?;
    match (body.case, body.session_id) {
        (Some(case), None) => {
            let case = Case::from_value(&case).map_err(|e| {
                let field = if e.path.is_empty() {
                    "case".to_string()
                } else {
                    format!("case.{}", e.path)
                };
                ApiError::field(field, e.message)
            })?;
            Ok(Json(policy::dry_run_case(&state, candidate, &case)))
        }
        (None, Some(id)) => Ok(Json(policy::dry_run_session(&state, candidate, &id).await?)),
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
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    /// The records.
    pub records: Vec<AuditRecord>,
}

/// Which audit records to list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only this session.
    pub session_id: Option<String>,
    /// Only this caller, by the hash of their handle.
    pub handle_hash: Option<String>,
    /// Only this caller, by their handle (hashed here, so an analyst can ask about a number
    /// without knowing the key). With `handle_hash` too, both must name the same caller.
    pub handle: Option<String>,
    /// At or after (Unix ms).
    pub since: Option<i64>,
    /// Before (Unix ms).
    pub until: Option<i64>,
    /// At most this many (1 to 1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// Warn and block verdicts on record, newest first.
#[utoipa::path(get, path = "/v1/admin/audit", tag = "admin",
    params(AuditParams),
    responses(
        (status = 200, description = "Audit records, newest first", body = AuditPage),
        (status = 422, description = "invalid_field: a parameter is wrong; `field` names it", body = ErrorBody)
    ))]
pub async fn audit(
    State(state): State<AppState>,
    Query(params): Query<AuditParams>,
) -> Result<Json<AuditPage>, ApiError> {
    let limit = limit(params.limit)?;
    let handle_hash = match (params.handle_hash, params.handle.as_deref()) {
        // Both filters hold: when they name different callers, no record matches.
        (Some(h), Some(handle)) if h != state.hasher().hash(handle) => {
            return Ok(Json(AuditPage {
                records: Vec::new(),
            }))
        }
        (Some(h), _) => Some(h),
        (None, Some(h)) => Some(state.hasher().hash(h)),
        (None, None) => None,
    };
    let query = AuditQuery {
        session_id: params.session_id,
        handle_hash,
        since: params.since,
        until: params.until,
        limit,
    };
    Ok(Json(AuditPage {
        records: state.store().audit(&query).await?,
    }))
}

/// A session in a list: its row without the engine state.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionSummary {
    /// Id.
    pub session_id: String,
    /// `open` or `expired`.
    #[schema(value_type = String)]
    pub status: &'static str,
    /// Its row.
    #[serde(flatten)]
    pub row: SessionRow,
}

impl SessionSummary {
    /// Summarises a stored session as of `now`.
    pub fn of(r: SessionRecord, now: i64) -> SessionSummary {
        let status = if r.closed || r.expires <= now {
            "expired"
        } else {
            "open"
        };
        let (session_id, row) = SessionRow::split(r);
        SessionSummary {
            session_id,
            status,
            row,
        }
    }
}

/// A page of sessions.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionPage {
    /// Most recently active first.
    pub sessions: Vec<SessionSummary>,
}

/// Which sessions to list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionParams {
    /// Only sessions open now.
    pub open: Option<bool>,
    /// Only sessions expiring before this time (Unix ms): to page, pass the last `expires` seen.
    pub before: Option<i64>,
    /// At most this many (1 to 1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// Sessions, most recently active first.
#[utoipa::path(get, path = "/v1/admin/sessions", tag = "admin",
    params(SessionParams),
    responses(
        (status = 200, description = "Sessions, most recently active first", body = SessionPage),
        (status = 422, description = "invalid_field: a parameter is wrong; `field` names it", body = ErrorBody)
    ))]
pub async fn sessions(
    State(state): State<AppState>,
    Query(params): Query<SessionParams>,
) -> Result<Json<SessionPage>, ApiError> {
    let now = scamguard_store::now_ms();
    let query = SessionQuery {
        open_at: params.open.unwrap_or(false).then_some(now),
        expires_before: params.before,
        limit: limit(params.limit)?,
    };
    let rows = state.store().sessions(&query).await?;
    Ok(Json(SessionPage {
        sessions: rows
            .into_iter()
            .map(|r| SessionSummary::of(r, now))
            .collect(),
    }))
}

/// A `limit` parameter checked against [`MAX_LIMIT`], [`DEFAULT_LIMIT`] when absent.
pub fn limit(given: Option<i64>) -> Result<i64, ApiError> {
    match given {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::field(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}, found {n}"),
        )),
    }
}
