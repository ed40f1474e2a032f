//! `/healthz` (the process answers), `/readyz` (it can serve: store reachable, writer
//! running, not shutting down) and `/metrics`.

use crate::error::ApiError;
use crate::metrics as m;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

/// Liveness: always 200 while the process runs.
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// Readiness: 200 when requests can be served, 503 otherwise.
pub async fn readyz(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    if state.is_shutting_down() || !state.writer().is_running() {
        return Err(ApiError::ShuttingDown);
    }
    state.store().ping().await?;
    Ok(Json(json!({
        "status": "ready",
        "store": state.store().backend().as_str(),
        "policy": state.policy_source(),
    })))
}

/// Prometheus text format.
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
