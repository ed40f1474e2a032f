//! scamguard server: the engine as an HTTP service.
//!
//! # Brief overview
//!
//! [`app`] builds the whole service as an axum [`Router`] from an [`AppState`], so tests drive
//! it with `tower::ServiceExt::oneshot` and no socket; [`serve`] runs it on a listener until a
//! shutdown signal, then drains the writer.
//!
//! - `routes`: the JSON API under `/v1` (sessions, events, scans, admin), health and metrics;
//! - [`sessions`]: open sessions in memory, one lock each, loaded from the store on demand;
//! - [`writer`]: group commit — a handler answers only after its batch is committed;
//! - [`auth`], [`limit`], [`ratelimit`]: API keys with scopes, per-key rate limits (shared
//!   through the database when nodes share PostgreSQL);
//! - [`error`], [`extract`]: one error type, one JSON shape, our own body extractor;
//! - [`connection`], [`headers`]: serving sockets with limits on slow and idle clients, and
//!   the security headers of every answer;
//! - [`policy`]: reload without restart, dry runs of a candidate policy;
//! - [`registry`]: the organisation registry that signed calls are verified against;
//! - [`risk`]: the bank's side — signed risk assertions (`POST /v1/risk/lookup`) and their
//!   keys (`GET /.well-known/jwks.json`);
//! - [`console`]: the analyst console's pages and the call simulator (`ServerConfig::console`);
//! - [`intel`]: the anti-fraud loop — callers' reputation, campaigns joined as sessions are
//!   flagged, warnings for the operator's desk;
//! - [`guardian`]: guardians users name, alerted through a webhook when a call to the user
//!   blocks during a screen share, a banking app or a payment;
//! - [`webhook`]: the signed, retried webhook outbox (`ServerConfig::webhook`);
//! - `worker` (feature `nats`): the same sessions fed from NATS JetStream, verdicts published
//!   back to it.
//!
//! Every error leaves as `{"error": {"code", "message", "field"}}`; see [`error::ApiError`].

#![deny(missing_docs)]

pub mod auth;
pub mod config;
pub mod connection;
pub mod console;
pub mod error;
pub mod extract;
pub mod guardian;
pub mod headers;
pub mod intel;
pub mod limit;
pub mod metrics;
pub mod openapi;
pub mod policy;
mod random;
pub mod ratelimit;
pub mod records;
pub mod registry;
pub mod retention;
pub mod risk;
pub mod routes;
pub mod sessions;
pub mod state;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod webhook;
#[cfg(feature = "nats")]
pub mod worker;
pub mod writer;

pub use config::{RateLimit, ServerConfig};
pub use error::ApiError;
pub use state::AppState;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router};
use extract::BodyLimit;
use std::future::Future;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

/// The OpenAPI document of every API route, as the router derives it.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    // The routes' descriptions do not depend on the state; a state is needed to build them.
    routes::describe()
}

/// The whole service: API, health, metrics, OpenAPI and console, with its middleware.
pub fn app(state: AppState) -> Router {
    let limit = state.config().body_limit;
    let console = if state.config().console {
        console::router(&state)
    } else {
        Router::new()
    };
    let (api, doc) = routes::router(&state).split_for_parts();
    let doc_json = doc.to_pretty_json().unwrap_or_else(|_| "{}".into());
    Router::new()
        .merge(api)
        .layer(Extension(openapi::DocumentJson(doc_json.into())))
        .merge(console)
        .fallback(|| async { ApiError::RouteNotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        // Inner to outer: the timeout covers the handler; a body that stalls ends with an
        // error its reader turns into 400; the body limit makes our extractor refuse large
        // bodies with 413; every answer gets the security headers; metrics and the trace span
        // see every response, including errors; a panic becomes a JSON 500 instead of a
        // dropped connection.
        .layer(from_fn_with_state(state.clone(), timeout))
        .layer(from_fn_with_state(state.clone(), body_timeout))
        .layer(DefaultBodyLimit::max(limit))
        .layer(Extension(BodyLimit(limit)))
        .layer(from_fn(headers::secure))
        .layer(from_fn(metrics::track))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            // The route template, never the URI: query strings may carry a handle.
            let route = req
                .extensions()
                .get::<MatchedPath>()
                .map(|m| m.as_str().to_string())
                .unwrap_or_default();
            tracing::info_span!("request", method = %req.method(), route = %route)
        }))
        .layer(CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                ApiError::Internal("a handler panicked".into()).into_response()
            },
        ))
        .with_state(state)
}

async fn timeout(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(state.config().request_timeout, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => ApiError::Timeout.into_response(),
    }
}

/// Ends a request body with an error when it pauses for longer than `body_read_timeout`: a
/// client that sends less than its `Content-Length` and waits gets 400 `incomplete_body`
/// then, instead of 503 once the whole request times out.
async fn body_timeout(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let pause = state.config().body_read_timeout;
    let req =
        req.map(|body| axum::body::Body::new(tower_http::timeout::TimeoutBody::new(pause, body)));
    next.run(req).await
}

/// Serves `state` on `listener` until `shutdown` completes, then finishes in-flight requests,
/// commits every queued write and closes the store. Connections that are slow to send a
/// request's headers, or idle, are closed after `header_read_timeout` (see [`connection`]).
/// On Unix, SIGHUP reloads the policy. With a webhook URL configured, the outbox's sender
/// runs alongside and stops after the last request, before the store closes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if state.config().console && !state.config().console_login {
        if let Ok(addr) = listener.local_addr() {
            if !addr.ip().is_loopback() {
                tracing::warn!(
                    "the console at / needs no login and listens beyond this machine; \
                     use --console-login or --console=false"
                );
            }
        }
    }
    let sender = match state.config().webhook.clone() {
        Some(config) => Some(
            webhook::Sender::start(state.shared_store(), config).map_err(std::io::Error::other)?,
        ),
        None => None,
    };
    let reloader = spawn_sighup_reload(state.clone());
    let draining = state.clone();
    let limits = connection::ConnectionLimits {
        header_read: state.config().header_read_timeout,
    };
    let result = connection::serve(listener, app(state.clone()), limits, async move {
        shutdown.await;
        draining.begin_shutdown();
        tracing::info!("shutting down: finishing requests in flight");
    })
    .await;
    if let Some(task) = reloader {
        task.abort();
    }
    if let Some(sender) = sender {
        sender.stop().await;
    }
    state.shutdown().await;
    tracing::info!("writer drained; store closed");
    result
}

#[cfg(unix)]
fn spawn_sighup_reload(state: AppState) -> Option<tokio::task::JoinHandle<()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut hup = match signal(SignalKind::hangup()) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "cannot listen for SIGHUP; reload with the admin endpoint");
            return None;
        }
    };
    Some(tokio::spawn(async move {
        while hup.recv().await.is_some() {
            match policy::reload(&state).await {
                Ok(r) => tracing::info!(source = %r.source, "SIGHUP: policy reloaded"),
                Err(e) => tracing::error!(error = %e, "SIGHUP: policy not reloaded"),
            }
        }
    }))
}

#[cfg(not(unix))]
fn spawn_sighup_reload(_state: AppState) -> Option<tokio::task::JoinHandle<()>> {
    None
}

/// The current time in Unix seconds: the engine takes time as an input (to check the freshness
/// of signed call assertions) and never reads the clock itself.
pub fn unix_now() -> Option<i64> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
}
