//! `POST /v1/sessions`, `POST /v1/sessions/{id}/events`, `GET /v1/sessions/{id}`.

use crate::error::{ApiError, ErrorBody};
use crate::extract::AppJson;
use crate::sessions::{self, Applied, Opened, Timeline};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use scamguard_core::{Case, Event};

/// Longest session id accepted in a path; anything longer cannot exist.
const MAX_ID: usize = 128;

/// Opens a session for a call or thread: its `channel`, `locale`, `from` and optional first
/// `events`, judged in order.
#[utoipa::path(post, path = "/v1/sessions", tag = "sessions",
    request_body = Case,
    responses((status = 200, description = "Opened; the verdict after the opening and any first events", body = Opened)))]
pub async fn open(
    State(state): State<AppState>,
    AppJson(body): AppJson,
) -> Result<Json<Opened>, ApiError> {
    let case = Case::from_value(&body)?;
    state.engine().check_opening(&case.opening())?;
    Ok(Json(sessions::open(&state, case).await?))
}

/// Applies one event to a session; a replayed event `id` gets the stored verdict.
#[utoipa::path(post, path = "/v1/sessions/{id}/events", tag = "sessions",
    params(("id" = String, Path, description = "The session id from opening it", max_length = 128)),
    request_body = Event,
    responses(
        (status = 200, description = "The verdict now", body = Applied),
        (status = 404, description = "session_not_found or session_expired: open a new session", body = ErrorBody)
    ))]
pub async fn event(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AppJson(body): AppJson,
) -> Result<Json<Applied>, ApiError> {
    if id.len() > MAX_ID {
        return Err(ApiError::SessionNotFound);
    }
    let event = Event::from_value(&body)?;
    Ok(Json(sessions::apply(&state, id, event).await?))
}

/// A session's timeline: every event with the verdict it got.
#[utoipa::path(get, path = "/v1/sessions/{id}", tag = "sessions",
    params(("id" = String, Path, description = "The session id", max_length = 128)),
    responses(
        (status = 200, description = "The session and its events", body = Timeline),
        (status = 404, description = "session_not_found", body = ErrorBody)
    ))]
pub async fn timeline(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Timeline>, ApiError> {
    if id.len() > MAX_ID {
        return Err(ApiError::SessionNotFound);
    }
    Ok(Json(sessions::timeline(&state, &id).await?))
}
