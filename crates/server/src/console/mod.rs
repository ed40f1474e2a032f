//! The analyst console: server-rendered pages served by the same binary at `/`.
//!
//! This is the hook for the console pages (live sessions, a session's timeline, the call
//! simulator). [`router`] is merged into the app beside the API, with the same [`AppState`],
//! so pages read what the API reads:
//!
//! - `state.store().sessions(&SessionQuery { open_at: Some(now), .. })` — live sessions;
//! - `crate::sessions::timeline(&state, id)` — one session's events and verdicts;
//! - `state.store().audit(&AuditQuery { .. })` — recent warn/block verdicts with reasons;
//! - `state.engine()` — an `Engine` for the simulator (`open_session` / `apply`), or
//!   `crate::sessions::open` / `crate::sessions::apply` to run it as a real, stored session.
//!
//! Pages are plain routes on `Router<AppState>`; they need no API key today — put them
//! behind their own login before exposing the console beyond localhost.

use crate::state::AppState;
use axum::response::Html;
use axum::routing::get;
use axum::Router;

/// The console's routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/", get(index))
}

/// A placeholder front page until the console lands: where the API and its docs are.
async fn index() -> Html<&'static str> {
    Html(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>scamguard</title></head>\
         <body><h1>scamguard</h1><p>The API is under <code>/v1</code>; its description is at \
         <a href=\"/openapi.json\">/openapi.json</a>. Health: <a href=\"/healthz\">/healthz</a>, \
         <a href=\"/readyz\">/readyz</a>, <a href=\"/metrics\">/metrics</a>.</p></body></html>",
    )
}
