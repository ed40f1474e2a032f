//! `POST /v1/guardians` and `DELETE /v1/guardians/{id}` (scope `scan`): the platform names a
//! user's guardian, with the guardian's consent, and withdraws them. See [`crate::guardian`].

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::AppJson;
use crate::guardian::{self, Registered};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};

/// Longest guardian id accepted in a path; anything longer cannot exist.
const MAX_ID: usize = 128;

/// A user names a guardian.
#[derive(Debug, utoipa::ToSchema)]
pub struct GuardianInput {
    /// The user's handle, as sessions carry it in `to.handle` (at most 1,024 characters,
    /// without control, bidi or zero-width characters).
    #[schema(max_length = 1024)]
    pub user_handle: String,
    /// The guardian's handle, as the platform knows them.
    #[schema(max_length = 1024)]
    pub guardian_handle: String,
    /// The guardian agreed to be notified. Must be `true`: without consent there is no
    /// guardian and no alert.
    pub consent: bool,
}

/// Registers a guardian for a user. Both handles are kept only as keyed hashes; the answer
/// gives the platform the guardian id and hashes that every alert carries, so that it can
/// route an alert to the guardian it registered.
#[utoipa::path(post, path = "/v1/guardians", tag = "guardians",
    request_body = GuardianInput,
    responses(
        (status = 201, description = "Registered", body = Registered),
        (status = 200, description = "This key already registered this guardian for this user: that registration", body = Registered),
        (status = 422, description = "invalid_field: a handle is missing or malformed, or consent is not true", body = ErrorBody)
    ))]
pub async fn register(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    AppJson(body): AppJson,
) -> Result<(StatusCode, Json<Registered>), ApiError> {
    let (registered, new) = guardian::register(&state, &caller, &body).await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(registered)))
}

/// Withdraws a guardian: no alert goes to them from now on.
#[utoipa::path(delete, path = "/v1/guardians/{id}", tag = "guardians",
    params(("id" = String, Path, description = "The guardian id from registering", max_length = 128)),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 404, description = "guardian_not_found: none in force with this id for this key", body = ErrorBody)
    ))]
pub async fn withdraw(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    if id.len() > MAX_ID {
        return Err(ApiError::GuardianNotFound);
    }
    guardian::withdraw(&state, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
