//! The analyst console: server-rendered pages served by the same binary at `/`.
//!
//! Plain HTML forms, no JavaScript and no build step; maud renders every page and escapes
//! every value, and [`view::untrusted`] also makes hidden and direction-changing characters
//! visible. The pages read what the API reads, with the same [`AppState`]:
//!
//! - `/`: live sessions (from the store) and recent warn/block verdicts (the audit records);
//! - `/sessions/{id}`: one session's timeline, each event with the verdict after it;
//! - `/simulator`: compose an incoming FaceTime-style call, or pick a preset, or paste a case
//!   file; `/simulator/{id}` then steps through it. Each simulated call is a real stored
//!   session made with [`crate::sessions::open`] and [`crate::sessions::apply`], so it shows
//!   on the front page and has a session page;
//! - `/audit`: the audit records searched by caller (its handle, hashed as the store keeps
//!   it), session, time and action;
//! - `/registry`: the enrolled organisations, their names, handles, keys and status;
//! - `/campaigns`, `/campaigns/{id}`: the rings behind flagged and reported sessions, with
//!   their indicators, reports, callers' reputation, the analyst's decisions and exports.
//!
//! Message and speech text is shown only when the server retains it (`--retain-text`).
//!
//! Access: `ServerConfig::console` turns the console off; `ServerConfig::console_login`
//! puts every page behind a login form that takes an admin API key and starts a login held
//! by the server, whose random id the browser keeps in an HttpOnly, SameSite=Strict cookie
//! (`Secure` behind an https `--public-url`); failed logins are throttled per address.
//! Without a login, only requests sent to this machine's own host names are served (no DNS
//! rebinding). Form posts from another origin are refused either way.

mod audit;
mod bank;
mod campaigns;
#[cfg(test)]
mod campaigns_tests;
mod i18n;
mod icons;
mod live;
mod login;
mod logins;
mod presets;
mod registry;
mod session;
mod simulator;
#[cfg(test)]
mod tests;
mod throttle;
mod view;

pub use logins::COOKIE;

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use maud::html;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The front page.
const LIVE: &str = "/";
/// One session's timeline.
const SESSION: &str = "/sessions/{id}";
/// The simulator's compose form.
const SIMULATOR: &str = "/simulator";
/// One simulated call.
const SIMULATION: &str = "/simulator/{id}";
/// The audit search.
const AUDIT: &str = "/audit";
/// The organisation registry.
const REGISTRY: &str = "/registry";
/// The campaigns.
const CAMPAIGNS: &str = "/campaigns";
/// One campaign.
const CAMPAIGN: &str = "/campaigns/{id}";
/// The pages a person opens, as route templates: the only places a login sends back to
/// ([`login`]'s `next`). A page not listed here still works; after a login it leads to `/`.
const PAGES: [&str; 8] = [
    LIVE, SESSION, SIMULATOR, SIMULATION, AUDIT, REGISTRY, CAMPAIGNS, CAMPAIGN,
];

/// The console's routes.
pub fn router(state: &AppState) -> Router<AppState> {
    let pages = Router::new()
        .route(LIVE, get(live::index))
        .route(SESSION, get(session::page))
        .route(SIMULATOR, get(simulator::compose))
        .route("/simulator/start", post(simulator::start))
        .route("/simulator/replay", post(simulator::replay))
        .route("/simulator/preset/{name}", post(simulator::preset))
        .route(SIMULATION, get(simulator::page))
        .route("/simulator/{id}/events", post(simulator::step))
        .route("/simulator/{id}/next", post(simulator::next))
        .route(AUDIT, get(audit::page).post(audit::post))
        .route(REGISTRY, get(registry::page))
        .route(CAMPAIGNS, get(campaigns::list))
        .route(CAMPAIGN, get(campaigns::page))
        .route("/campaigns/{id}/stix", get(campaigns::stix_export))
        .route("/campaigns/{id}/csv", get(campaigns::csv_export))
        .route("/reputation", post(campaigns::decide))
        .route("/sessions/{id}/report", post(campaigns::report))
        .route("/logout", post(login::logout))
        .route_layer(from_fn_with_state(state.clone(), require_login));
    let open = Router::new()
        .route("/console.css", get(css))
        .route("/login", get(login::form).post(login::submit));
    pages
        .merge(open)
        .route_layer(from_fn(same_origin_posts))
        .route_layer(from_fn_with_state(state.clone(), known_host))
        .layer(Extension(Simulations::default()))
        .layer(Extension(throttle::LoginThrottle::default()))
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        view::CSS,
    )
        .into_response()
}

/// When the console is open without a login: refuses requests sent to a host name other
/// than this machine's or `--public-url`'s. A web page elsewhere can point a name it
/// controls at 127.0.0.1 (DNS rebinding) and read the console through the visitor's
/// browser; the browser still sends that name as `Host`, so it is refused here.
async fn known_host(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Result<Response, PageError> {
    if state.config().console_login {
        return Ok(next.run(req).await);
    }
    // Browsers always send a host; a request without one cannot come from a web page.
    let Some(host) = crate::headers::request_host(&req) else {
        return Ok(next.run(req).await);
    };
    let local = req
        .extensions()
        .get::<crate::connection::LocalAddr>()
        .map(|l| match l.0.ip() {
            std::net::IpAddr::V4(ip) => ip.to_string(),
            std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        });
    let public = state.config().public_url.as_ref().map(|u| u.host());
    let known = ["localhost", "127.0.0.1", "[::1]"].contains(&host.as_str())
        || local.as_deref() == Some(host.as_str())
        || public == Some(host.as_str());
    if !known {
        return Err(PageError::new(
            StatusCode::MISDIRECTED_REQUEST,
            "This console answers only at localhost, this machine's address or the \
             server's --public-url.",
        ));
    }
    Ok(next.run(req).await)
}

/// When the console requires a login: pages without a valid cookie go to the login form.
async fn require_login(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Result<Response, PageError> {
    if !state.config().console_login || logins::logged_in(&state, req.headers()).await? {
        return Ok(next.run(req).await);
    }
    let target = match req.method() {
        &Method::GET => req
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/"),
        _ => "/",
    };
    let location = format!("/login?next={}", login::encode(target));
    Ok(Redirect::to(&location).into_response())
}

/// Refuses form posts made by another site's page (cross-site request forgery): a browser
/// says where a request comes from in `Sec-Fetch-Site` and `Origin`.
async fn same_origin_posts(req: Request, next: Next) -> Result<Response, PageError> {
    if req.method() != Method::GET && req.method() != Method::HEAD && !same_origin(req.headers()) {
        return Err(PageError::new(
            StatusCode::FORBIDDEN,
            "This form was sent from another site's page, so it was refused.",
        ));
    }
    Ok(next.run(req).await)
}

fn same_origin(headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        if site != "same-origin" && site != "none" {
            return false;
        }
    }
    match (text("origin"), text("host")) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(host)),
        (Some(_), None) => false,
        (None, _) => true,
    }
}

/// A simulated call in progress: what the console remembers beside the stored session.
#[derive(Debug, Clone)]
pub(crate) struct Simulation {
    /// When it started.
    created: Instant,
    /// The preset's or case's title.
    title: Option<String>,
    /// The caller's handle as typed (the store keeps only its hash).
    handle: String,
    /// Events of a preset or pasted case not yet played.
    script: Vec<scamguard_core::Event>,
    /// The next of `script` to play.
    next: usize,
}

/// Most simulated calls remembered; the oldest are forgotten beyond it.
const MAX_SIMULATIONS: usize = 1000;

/// Simulated calls by session id. Only these can be stepped from the console, so the
/// console cannot add events to a platform's real sessions. Held in memory: after a restart
/// a simulated call can still be read on its session page, but not continued.
#[derive(Debug, Clone, Default)]
pub(crate) struct Simulations(Arc<Mutex<HashMap<String, Simulation>>>);

impl Simulations {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Simulation>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn insert(&self, id: String, sim: Simulation) {
        let mut map = self.lock();
        while map.len() >= MAX_SIMULATIONS {
            let oldest = map
                .iter()
                .min_by_key(|(_, s)| s.created)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => map.remove(&k),
                None => break,
            };
        }
        map.insert(id, sim);
    }

    fn get(&self, id: &str) -> Option<Simulation> {
        self.lock().get(id).cloned()
    }

    /// Marks script event `played` as done, unless another request already moved on.
    fn advance(&self, id: &str, played: usize) {
        if let Some(s) = self.lock().get_mut(id) {
            if s.next == played {
                s.next = played + 1;
            }
        }
    }

    /// The most recent simulated calls, newest first.
    fn recent(&self, n: usize) -> Vec<(String, Simulation)> {
        let mut all: Vec<_> = self
            .lock()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        all.sort_by_key(|(_, s)| std::cmp::Reverse(s.created));
        all.truncate(n);
        all
    }
}

/// A console failure, shown as an HTML page with its status.
#[derive(Debug)]
pub(crate) struct PageError {
    status: StatusCode,
    message: String,
}

impl PageError {
    fn new(status: StatusCode, message: impl Into<String>) -> PageError {
        PageError {
            status,
            message: message.into(),
        }
    }

    fn not_found(what: &str) -> PageError {
        PageError::new(StatusCode::NOT_FOUND, format!("No {what} with this id."))
    }
}

/// A submitted form's fields, or the page saying why the form could not be read.
fn form_fields(
    form: Result<axum::Form<HashMap<String, String>>, FormRejection>,
) -> Result<HashMap<String, String>, PageError> {
    form.map(|axum::Form(f)| f).map_err(|e| {
        PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("The form could not be read: {}", e.body_text()),
        )
    })
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        match &e {
            ApiError::Internal(detail) => {
                tracing::error!(detail = %detail, "console: internal error")
            }
            ApiError::Unavailable(err) => {
                tracing::warn!(error = %err, "console: storage unavailable")
            }
            _ => {}
        }
        PageError::new(e.status(), e.to_string())
    }
}

impl From<scamguard_store::StoreError> for PageError {
    fn from(e: scamguard_store::StoreError) -> Self {
        ApiError::from(e).into()
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let title = self
            .status
            .canonical_reason()
            .unwrap_or("Error")
            .to_string();
        let body = view::page(
            view::Shell {
                title: &title,
                section: view::Section::Live,
                refresh: None,
                logout: false,
            },
            html! {
                h1 { (self.status.as_u16()) " " (title) }
                p.error data-testid="error" { (self.message) }
                p { a href="/" { "Live sessions" } " · " a href="/simulator" { "Simulator" } }
            },
        );
        (self.status, body).into_response()
    }
}

/// Renders the shell for a page of `section`.
fn shell<'a>(state: &AppState, title: &'a str, section: view::Section) -> view::Shell<'a> {
    view::Shell {
        title,
        section,
        refresh: None,
        logout: state.config().console_login,
    }
}
