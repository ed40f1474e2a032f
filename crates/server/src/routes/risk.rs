//! `POST /v1/risk/lookup` (scope `bank`) and `GET /.well-known/jwks.json` (no key).

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::AppJson;
use crate::risk::{self, LookupAnswer};
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use scamguard_core::assertion::JwkSet;

/// A bank's question: which call is its customer on?
#[derive(Debug, utoipa::ToSchema)]
pub struct RiskLookup {
    /// The customer's handle as the bank knows it (`+86 138 0000 0000`): at most 1,024 characters,
    /// without control, bidi or zero-width characters.
    #[schema(schema_with = user_handle)]
    pub user_handle: String,
}

/// The schema of [`RiskLookup::user_handle`], from the check the handler makes.
fn user_handle() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(scamguard_core::event::limits::MAX_NAME_CHARS))
        .pattern(Some(crate::risk::USER_HANDLE_PATTERN))
        .description(Some(
            "The customer's handle as the bank knows it (`+86 138 0000 0000`): at most 1,024 \
             characters, not blank, without control, bidi or zero-width characters.",
        ))
        .build()
}

/// A bank asks what call its customer is on; the answer is a signed assertion, also when
/// nothing is active, and every lookup is audited.
#[utoipa::path(post, path = "/v1/risk/lookup", tag = "bank",
    request_body = RiskLookup,
    responses(
        (status = 200, description = "A signed risk assertion (ES256 compact JWS)", body = LookupAnswer),
        (status = 409, description = "not_configured: the server has no assertion signing key", body = ErrorBody)
    ))]
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
#[utoipa::path(get, path = "/.well-known/jwks.json", tag = "bank",
    responses(
        (status = 200, description = "The published keys, the one signing now first", body = JwkSet),
        (status = 409, description = "not_configured: the server has no assertion signing key", body = ErrorBody)
    ))]
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
