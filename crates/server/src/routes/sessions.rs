//! `POST /v1/sessions`, `POST /v1/sessions/{id}/events`, `GET /v1/sessions/{id}`.

use crate::error::ApiError;
use crate::extract::AppJson;
use crate::sessions::{self, Applied, Opened, Timeline};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use scamguard_core::{Case, Event};

/// Longest session id accepted in a path; anything longer cannot exist.
const MAX_ID: usize = 128;

/// Opens a session: a case's `channel`, `locale`, `from` and optional first `events`.
pub async fn open(
    State(state): State<AppState>,
    AppJson(body): AppJson,
) -> Result<Json<Opened>, ApiError> {
    let case = Case::from_value(&body)?;
    Ok(Json(sessions::open(&state, case).await?))
}

/// Applies one event; a replayed `id` gets the stored verdict.
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

/// A session's timeline.
pub async fn timeline(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Timeline>, ApiError> {
    if id.len() > MAX_ID {
        return Err(ApiError::SessionNotFound);
    }
    Ok(Json(sessions::timeline(&state, &id).await?))
}
