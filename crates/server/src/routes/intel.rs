//! The anti-fraud loop's endpoints: victims' reports (scope `scan`, filed by the platform on
//! its user's behalf), analysts' reputation decisions and campaigns with their exports (scope
//! `admin`).

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, Query};
use crate::intel;
use crate::sessions::Access;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use scamguard_core::intel::{stix, CampaignSummary, Decision, Reputation};
use scamguard_store::intel::{campaign_wire_id, parse_campaign_id, NewReport, REPORT_CATEGORIES};
use scamguard_store::{now_ms, CampaignDetail, DecisionRecord, ReportQuery, ReportRecord};
use serde::{Deserialize, Serialize};

/// Longest session id accepted; anything longer cannot exist.
const MAX_ID: usize = 128;
/// Longest handle accepted, in characters.
const MAX_HANDLE: usize = 256;
/// Longest note or decision reason, in characters.
const MAX_NOTE: usize = 2000;
/// Longest reported message text, in characters.
const MAX_TEXT: usize = 10_000;
/// Reports shown with a handle's reputation.
const REPORTS_WITH_REPUTATION: i64 = 100;

/// A report of a call or message, filed by the platform for the user who received it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// The session reported.
    pub session_id: String,
    /// The reporting user's handle: it counts only when it is the session's `to.handle`.
    pub reporter: String,
    /// `fraud`, `impersonation`, `spam` or `other`.
    pub category: String,
    /// The user's note.
    #[serde(default)]
    pub note: Option<String>,
    /// The reported message's text, only when the user chose to send it as evidence; kept
    /// for the reports' retention period.
    #[serde(default)]
    pub text: Option<String>,
}

/// What filing a report did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportFiled {
    /// The report's id.
    pub report_id: String,
    /// Whether it counts toward the caller's reputation.
    pub counted: bool,
    /// Why: `counted`, `reporter_did_not_receive_it`, `session_has_no_recipient` or
    /// `already_reported_by_this_reporter`.
    pub reason: String,
    /// The campaign the session is in, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub campaign_id: Option<String>,
}

/// Checks free text from a request: not empty when required, not too long, no control
/// characters but line breaks and tabs.
fn text_field(
    field: &str,
    value: Option<String>,
    max: usize,
    required: bool,
) -> Result<Option<String>, ApiError> {
    let Some(v) = value.filter(|v| !v.trim().is_empty()) else {
        return if required {
            Err(ApiError::field(field, "must not be empty"))
        } else {
            Ok(None)
        };
    };
    let chars = v.chars().count();
    if chars > max {
        return Err(ApiError::field(
            field,
            format!("at most {max} characters, found {chars}"),
        ));
    }
    if v.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(ApiError::field(field, "contains control characters"));
    }
    Ok(Some(v))
}

/// Reports a call or message the user received: it counts toward the caller's reputation
/// only when the reporter is the session's recipient, once per reporter and caller; a
/// counted report joins the session to its campaign and makes the campaign reported.
#[utoipa::path(post, path = "/v1/reports", tag = "intel",
    request_body = ReportRequest,
    responses(
        (status = 201, description = "Filed; whether it counts, and why", body = ReportFiled),
        (status = 404, description = "session_not_found", body = ErrorBody),
        (status = 422, description = "invalid_field: a field is wrong; `field` names it", body = ErrorBody)
    ))]
pub async fn report(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody<ReportRequest>,
) -> Result<(StatusCode, Json<ReportFiled>), ApiError> {
    let reporter =
        text_field("reporter", Some(body.reporter), MAX_HANDLE, true)?.unwrap_or_default();
    if !REPORT_CATEGORIES.contains(&body.category.as_str()) {
        return Err(ApiError::field(
            "category",
            format!(
                "unknown category {:?}; one of {}",
                body.category,
                REPORT_CATEGORIES.join(", ")
            ),
        ));
    }
    let note = text_field("note", body.note, MAX_NOTE, false)?;
    let text = text_field("text", body.text, MAX_TEXT, false)?;
    if body.session_id.len() > MAX_ID {
        return Err(ApiError::SessionNotFound);
    }
    let store = state.store();
    let rec = store
        .session(&body.session_id)
        .await?
        .ok_or(ApiError::SessionNotFound)?;
    if !Access::of(&caller).reaches(rec.owner.as_deref()) {
        return Err(ApiError::SessionNotFound);
    }
    let new = NewReport {
        reporter_hash: state.hasher().hash(&reporter),
        category: body.category,
        note,
        text,
        key_id: caller.key_id.to_string(),
        at: now_ms(),
    };
    let (report, campaign) =
        intel::file(store, &state.engine(), &rec, new, state.config().campaigns).await?;
    Ok((
        StatusCode::CREATED,
        Json(ReportFiled {
            report_id: report.id,
            counted: report.counted,
            reason: report.reason,
            campaign_id: campaign.map(campaign_wire_id),
        }),
    ))
}

/// An analyst's decision on a caller's handle.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// The handle (hashed here); or give `handle_hash`.
    #[serde(default)]
    pub handle: Option<String>,
    /// The handle's keyed hash, as sessions and audit records show it.
    #[serde(default)]
    pub handle_hash: Option<String>,
    /// `legitimate` (an appeal upheld: crowd reports stop counting until a new decision) or
    /// `fraud` (confirmed: its sessions block, its campaigns are confirmed).
    pub decision: String,
    /// Why, for the audit trail.
    pub reason: String,
}

/// A handle's reputation, with the decisions and reports behind it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HandleReputation {
    /// The handle's keyed hash.
    pub handle_hash: String,
    /// Where it stands now.
    pub reputation: Reputation,
    /// Analysts' decisions, newest first (the first stands).
    pub decisions: Vec<DecisionRecord>,
    /// Reports on it, newest first (at most 100).
    pub reports: Vec<ReportRecord>,
}

fn handle_hash_of(
    state: &AppState,
    handle: Option<String>,
    handle_hash: Option<String>,
) -> Result<String, ApiError> {
    let nonempty = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
    match (nonempty(handle), nonempty(handle_hash)) {
        (Some(_), Some(_)) => Err(ApiError::field(
            "handle",
            "give handle or handle_hash, not both",
        )),
        (Some(h), None) if h.chars().count() > MAX_HANDLE => Err(ApiError::field(
            "handle",
            format!("at most {MAX_HANDLE} characters"),
        )),
        (Some(h), None) => Ok(state.hasher().hash(&h)),
        (None, Some(h)) if h.len() > MAX_HANDLE || !h.chars().all(|c| c.is_ascii_hexdigit()) => {
            Err(ApiError::field(
                "handle_hash",
                "expected the hex of a keyed hash",
            ))
        }
        (None, Some(h)) => Ok(h),
        (None, None) => Err(ApiError::field("handle", "give handle or handle_hash")),
    }
}

async fn handle_reputation(state: &AppState, hash: String) -> Result<HandleReputation, ApiError> {
    let engine = state.engine();
    let now = now_ms();
    let reputation = intel::reputation(state, &engine, &hash, false, now).await?;
    let store = state.store();
    Ok(HandleReputation {
        decisions: store.decisions(&hash).await?,
        reports: store
            .reports(&ReportQuery {
                caller_hash: Some(hash.clone()),
                limit: REPORTS_WITH_REPUTATION,
                ..ReportQuery::default()
            })
            .await?,
        handle_hash: hash,
        reputation,
    })
}

/// Records an analyst's decision on a handle (audited with the key and the reason): confirm
/// it as fraud, or uphold an appeal so that crowd reports stop counting.
#[utoipa::path(post, path = "/v1/admin/reputation", tag = "intel",
    request_body = DecisionRequest,
    responses(
        (status = 201, description = "Recorded; the handle's reputation now", body = HandleReputation),
        (status = 422, description = "invalid_field: a field is wrong; `field` names it", body = ErrorBody)
    ))]
pub async fn decide(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody<DecisionRequest>,
) -> Result<(StatusCode, Json<HandleReputation>), ApiError> {
    let hash = handle_hash_of(&state, body.handle, body.handle_hash)?;
    let decision = Decision::parse(&body.decision).ok_or_else(|| {
        ApiError::field(
            "decision",
            format!("unknown decision {:?}; legitimate or fraud", body.decision),
        )
    })?;
    let reason = text_field("reason", Some(body.reason), MAX_NOTE, true)?.unwrap_or_default();
    state
        .store()
        .add_decision(&DecisionRecord {
            id: 0,
            handle_hash: hash.clone(),
            decision,
            reason,
            key_id: caller.key_id.to_string(),
            at: now_ms(),
        })
        .await?;
    tracing::info!(handle_hash = %hash, decision = decision.as_str(), by = %caller.key_id, "reputation decision");
    Ok((
        StatusCode::CREATED,
        Json(handle_reputation(&state, hash).await?),
    ))
}

/// Which handle's reputation to show.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReputationParams {
    /// The handle (hashed here).
    pub handle: Option<String>,
    /// Or its keyed hash.
    pub handle_hash: Option<String>,
}

/// A handle's reputation, the analysts' decisions and the reports behind it.
#[utoipa::path(get, path = "/v1/admin/reputation", tag = "intel",
    params(ReputationParams),
    responses(
        (status = 200, description = "The handle's reputation", body = HandleReputation),
        (status = 422, description = "invalid_field: give handle or handle_hash", body = ErrorBody)
    ))]
pub async fn reputation(
    State(state): State<AppState>,
    Query(params): Query<ReputationParams>,
) -> Result<Json<HandleReputation>, ApiError> {
    let hash = handle_hash_of(&state, params.handle, params.handle_hash)?;
    Ok(Json(handle_reputation(&state, hash).await?))
}

/// Campaigns, largest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignList {
    /// Largest first, then most recently active.
    pub campaigns: Vec<CampaignSummary>,
}

/// How many campaigns to list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CampaignParams {
    /// At most this many (1 to 1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// Campaigns of flagged and reported sessions, largest first, then most recently active.
#[utoipa::path(get, path = "/v1/campaigns", tag = "intel",
    params(CampaignParams),
    responses(
        (status = 200, description = "Campaigns", body = CampaignList),
        (status = 422, description = "invalid_field: a parameter is wrong; `field` names it", body = ErrorBody)
    ))]
pub async fn campaigns(
    State(state): State<AppState>,
    Query(params): Query<CampaignParams>,
) -> Result<Json<CampaignList>, ApiError> {
    let limit = super::admin::limit(params.limit)?;
    Ok(Json(CampaignList {
        campaigns: state.store().campaigns(limit).await?,
    }))
}

/// The campaign `id` names (one merged into another answers with that one).
pub async fn load_campaign(state: &AppState, id: &str) -> Result<CampaignDetail, ApiError> {
    let not_found = || ApiError::CampaignNotFound(id.chars().take(MAX_ID).collect());
    let n = parse_campaign_id(id).ok_or_else(not_found)?;
    state.store().campaign(n).await?.ok_or_else(not_found)
}

/// One campaign: its figures, member sessions, indicators and callers' handle hashes.
#[utoipa::path(get, path = "/v1/campaigns/{id}", tag = "intel",
    params(("id" = String, Path, description = "The campaign id, `cmp_…`", max_length = 128)),
    responses(
        (status = 200, description = "The campaign", body = CampaignDetail),
        (status = 404, description = "campaign_not_found", body = ErrorBody)
    ))]
pub async fn campaign(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CampaignDetail>, ApiError> {
    Ok(Json(load_campaign(&state, &id).await?))
}

/// A campaign as a STIX 2.1 bundle: the campaign, one indicator with a pattern per
/// exportable indicator, sightings with counts, and their relationships.
#[utoipa::path(get, path = "/v1/campaigns/{id}/stix", tag = "intel",
    params(("id" = String, Path, description = "The campaign id, `cmp_…`", max_length = 128)),
    responses(
        (status = 200, description = "A STIX 2.1 bundle", content_type = "application/stix+json;version=2.1", body = Object),
        (status = 404, description = "campaign_not_found", body = ErrorBody)
    ))]
pub async fn campaign_stix(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let c = load_campaign(&state, &id).await?;
    let bundle = stix::bundle(&c.summary, &c.indicators, now_ms());
    Ok((
        [(header::CONTENT_TYPE, "application/stix+json;version=2.1")],
        bundle.to_string(),
    )
        .into_response())
}

/// A campaign's indicators as CSV, for spreadsheets.
#[utoipa::path(get, path = "/v1/campaigns/{id}/csv", tag = "intel",
    params(("id" = String, Path, description = "The campaign id, `cmp_…`", max_length = 128)),
    responses(
        (status = 200, description = "campaign_id,kind,value,sessions,first_seen,last_seen", content_type = "text/csv; charset=utf-8", body = String),
        (status = 404, description = "campaign_not_found", body = ErrorBody)
    ))]
pub async fn campaign_csv(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let c = load_campaign(&state, &id).await?;
    let name = format!("attachment; filename=\"{}.csv\"", c.summary.id);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, name),
        ],
        stix::csv(&c.summary, &c.indicators),
    )
        .into_response())
}
