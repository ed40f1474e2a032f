//! `POST /v1/sessions`, `POST /v1/sessions/{id}/events`, `GET /v1/sessions/{id}`.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::AppJson;
use crate::sessions::{self, Access, Applied, Opened, Timeline};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use scamguard_core::{Case, Event};

/// Longest session id accepted in a path; anything longer cannot exist.
const MAX_ID: usize = 128;

/// Opens a session for a call or thread: its `channel`, `locale`, `from` and optional first
/// `events`, judged in order.
#[utoipa::path(post, path = "/v1/sessions", tag = "sessions",
    request_body = Case,
    responses(
        (status = 200, description = "Opened; the verdict after the opening and any first events", body = Opened),
        (status = 409, description = "session_closed (an event after call_ended) or \
session_event_limit (more events than one session takes)", body = ErrorBody)
    ))]
pub async fn open(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    AppJson(body): AppJson,
) -> Result<Json<Opened>, ApiError> {
    let case = Case::from_value(&body)?;
    state.engine().validate_opening(&case.opening())?;
    Ok(Json(
        sessions::open_as(&state, case, Access::of(&caller)).await?,
    ))
}

/// Applies one event to a session; a replayed event `id` gets the stored verdict.
#[utoipa::path(post, path = "/v1/sessions/{id}/events", tag = "sessions",
    params(("id" = String, Path, description = "The session id from opening it", max_length = 128)),
    request_body = Event,
    responses(
        (status = 200, description = "The verdict now", body = Applied),
        (status = 404, description = "session_not_found (no such session for this key) or \
session_expired: open a new session", body = ErrorBody),
        (status = 409, description = "session_closed (the call ended), session_event_limit \
(the session has taken the most events one session may), or conflict (changed at the same \
moment; retry)", body = ErrorBody)
    ))]
pub async fn event(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    AppJson(body): AppJson,
) -> Result<Json<Applied>, ApiError> {
    if id.len() > MAX_ID {
        return Err(ApiError::SessionNotFound);
    }
    let event = Event::from_value(&body)?;
    Ok(Json(
        sessions::apply_as(&state, id, event, Access::of(&caller)).await?,
    ))
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
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<Timeline>, ApiError> {
    if id.len() > MAX_ID {
        return Err(ApiError::SessionNotFound);
    }
    Ok(Json(
        sessions::timeline_as(&state, &id, &Access::of(&caller)).await?,
    ))
}
