//! `POST /v1/risk/lookup` (scope `bank`) and `GET /.well-known/jwks.json` (no key).

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::AppJson;
use crate::risk::{self, LookupAnswer};
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::{Extension, Json};

/// A bank asks what call its customer is on: `{"user_handle": "+86 138 …"}` → 200
/// `{"assertion": "<compact JWS>"}`, also when nothing is active.
pub async fn lookup(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    AppJson(body): AppJson,
) -> Result<Json<LookupAnswer>, ApiError> {
    let handle = risk::user_handle(&body)?;
    Ok(Json(risk::lookup(&state, &caller, &handle).await?))
}

/// The operator's public keys as a JWK set: the key signing now and those retired recently
/// enough that what they signed may still be valid.
pub async fn jwks(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let ring = state.assertion_keys().ok_or_else(|| {
        ApiError::NotConfigured("no assertion signing key is configured on this server".into())
    })?;
    // Short enough that a rotation reaches banks well before the old key leaves the set.
    Ok((
        [(header::CACHE_CONTROL, "public, max-age=60")],
        Json(ring.published().clone()),
    ))
}
