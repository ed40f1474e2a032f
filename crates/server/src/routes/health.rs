//! `/healthz` (the process answers), `/readyz` (it can serve: store reachable, writer
//! running, not shutting down) and `/metrics`.

use crate::error::ApiError;
use crate::metrics as m;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use serde::Serialize;

/// The process answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Alive {
    /// Always `ok`.
    pub status: &'static str,
}

/// The service can take requests.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Ready {
    /// Always `ready`.
    pub status: &'static str,
    /// `sqlite` or `postgres`.
    pub store: &'static str,
    /// Where the policy in force came from: a path or `built-in`.
    pub policy: String,
}

/// Liveness: always 200 while the process runs.
#[utoipa::path(get, path = "/healthz", tag = "ops",
    responses((status = 200, description = "Alive", body = Alive)))]
pub async fn healthz() -> axum::Json<Alive> {
    Json(Alive { status: "ok" })
}

/// Readiness: 200 when requests can be served, 503 otherwise.
#[utoipa::path(get, path = "/readyz", tag = "ops",
    responses((status = 200, description = "Ready", body = Ready)))]
pub async fn readyz(State(state): State<AppState>) -> Result<Json<Ready>, ApiError> {
    if state.is_shutting_down() || !state.writer().is_running() {
        return Err(ApiError::ShuttingDown);
    }
    state.store().ping().await?;
    Ok(Json(Ready {
        status: "ready",
        store: state.store().backend().as_str(),
        policy: state.policy_source(),
    }))
}

/// Prometheus text format.
#[utoipa::path(get, path = "/metrics", tag = "ops",
    responses((status = 200, description = "Prometheus text format, version 0.0.4",
        content_type = "text/plain; version=0.0.4; charset=utf-8", body = String)))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    metrics::gauge!(m::SESSIONS_IN_MEMORY).set(state.sessions().len() as f64);
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics().render(),
    )
}
