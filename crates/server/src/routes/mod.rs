//! The JSON API: one module per area, each with its handlers; [`router`] puts them together
//! behind the right scope.

pub mod admin;
pub mod health;
pub mod registry;
pub mod risk;
pub mod scan;
pub mod sessions;

use crate::auth;
use crate::state::AppState;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;

/// Every API route: platform routes need the `scan` scope, the risk lookup `bank`, admin
/// routes `admin`; health, metrics, the OpenAPI document and the JWK set need no key.
pub fn router(state: &AppState) -> Router<AppState> {
    let platform = Router::new()
        .route("/v1/sessions", post(sessions::open))
        .route("/v1/sessions/{id}", get(sessions::timeline))
        .route("/v1/sessions/{id}/events", post(sessions::event))
        .route("/v1/messages/scan", post(scan::message))
        .route("/v1/urls/scan", post(scan::urls))
        .route_layer(from_fn_with_state(state.clone(), auth::require_scan));
    let admin = Router::new()
        .route("/v1/admin/policy/reload", post(admin::reload))
        .route("/v1/admin/policy/dry-run", post(admin::dry_run))
        .route("/v1/admin/audit", get(admin::audit))
        .route("/v1/admin/sessions", get(admin::sessions))
        .route(
            "/v1/admin/registry/organisations",
            get(registry::list).post(registry::create),
        )
        .route("/v1/admin/registry/organisations/{id}", get(registry::show))
        .route(
            "/v1/admin/registry/organisations/{id}/status",
            post(registry::set_status),
        )
        .route(
            "/v1/admin/registry/organisations/{id}/keys",
            post(registry::add_key),
        )
        .route(
            "/v1/admin/registry/keys/{kid}/revoke",
            post(registry::revoke_key),
        )
        .route("/v1/admin/registry/export", get(registry::export))
        .route("/v1/admin/registry/import", post(registry::import))
        .route("/v1/admin/registry/audit", get(registry::audit))
        .route_layer(from_fn_with_state(state.clone(), auth::require_admin));
    let bank = Router::new()
        .route("/v1/risk/lookup", post(risk::lookup))
        .route_layer(from_fn_with_state(state.clone(), auth::require_bank));
    let open = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .route("/openapi.json", get(crate::openapi::document))
        .route("/.well-known/jwks.json", get(risk::jwks));
    platform.merge(admin).merge(bank).merge(open)
}
