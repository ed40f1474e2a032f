//! `/audit`: search the audit records (every warn and block verdict) by caller, time and
//! action, for analysts signed in with an admin key.
//!
//! The caller is asked for by handle and found by its keyed hash ([`AppState::hasher`]), as the
//! store keeps it; the handle itself is neither stored nor put in a URL: the search is a form
//! post, so the handle stays out of browser history and of any address a proxy logs. Times are
//! UTC. The store filters by caller, session and time; the action is filtered here, over the
//! newest [`FETCH`] records that match the rest.

use super::{form_fields, shell, view, PageError};
use crate::state::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::{html, Markup};
use scamguard_store::{now_ms, AuditQuery, AuditRecord};
use std::collections::HashMap;

/// Records shown at most.
const ROWS: usize = 100;
/// Records read from the store for one search, before the action filter.
pub const FETCH: i64 = 1000;
/// Longest handle or session id accepted.
const MAX_FIELD: usize = 256;

/// What the analyst asked for, as typed.
#[derive(Debug, Default)]
struct Search {
    handle: String,
    session: String,
    from: String,
    to: String,
    action: String,
}

impl Search {
    fn from_form(f: &HashMap<String, String>) -> Search {
        let v = |k: &str| f.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
        Search {
            handle: v("handle"),
            session: v("session"),
            from: v("from"),
            to: v("to"),
            action: v("action"),
        }
    }

    fn is_empty(&self) -> bool {
        self.handle.is_empty()
            && self.session.is_empty()
            && self.from.is_empty()
            && self.to.is_empty()
            && self.action.is_empty()
    }

    /// The store query, or the field at fault and why.
    fn query(
        &self,
        state: &AppState,
    ) -> Result<(AuditQuery, Option<&str>), (&'static str, String)> {
        for (name, value) in [("handle", &self.handle), ("session", &self.session)] {
            if value.chars().count() > MAX_FIELD {
                return Err((name, format!("at most {MAX_FIELD} characters")));
            }
        }
        let since = time_field("from", &self.from)?;
        let until = time_field("to", &self.to)?;
        if let (Some(a), Some(b)) = (since, until) {
            if a >= b {
                return Err(("to", "must be after from".to_string()));
            }
        }
        let action = match self.action.as_str() {
            "" => None,
            a @ ("warn" | "block") => Some(a),
            other => return Err(("action", format!("{other:?} is not warn or block"))),
        };
        Ok((
            AuditQuery {
                session_id: Some(self.session.clone()).filter(|s| !s.is_empty()),
                handle_hash: Some(&self.handle)
                    .filter(|h| !h.is_empty())
                    .map(|h| state.hasher().hash(h)),
                since,
                until,
                limit: FETCH,
            },
            action,
        ))
    }
}

fn time_field(name: &'static str, value: &str) -> Result<Option<i64>, (&'static str, String)> {
    if value.is_empty() {
        return Ok(None);
    }
    view::parse_utc(value).map(Some).ok_or_else(|| {
        (
            name,
            format!("{value:?} is not a time; write YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)"),
        )
    })
}

/// `GET /audit`: the search form and the newest records.
pub async fn page(State(state): State<AppState>) -> Result<Response, PageError> {
    search(&state, Search::default()).await
}

/// `POST /audit`: the records that match the form.
pub async fn post(
    State(state): State<AppState>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Result<Response, PageError> {
    let f = form_fields(form)?;
    search(&state, Search::from_form(&f)).await
}

async fn search(state: &AppState, s: Search) -> Result<Response, PageError> {
    let now = now_ms();
    let (status, error, records, filtered) = match s.query(state) {
        Ok((query, action)) => {
            let found = state.store().audit(&query).await?;
            let full = found.len() as i64 >= FETCH;
            let records: Vec<AuditRecord> = found
                .into_iter()
                .filter(|r| action.is_none_or(|a| r.action == a))
                .collect();
            (StatusCode::OK, None, records, full)
        }
        Err((field, message)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(format!("{field}: {message}")),
            Vec::new(),
            false,
        ),
    };
    let shown = records.len().min(ROWS);
    let body = html! {
        h1 { "Audit records 审计记录" }
        p.muted { "Every warn and block verdict, as recorded for accountability: when, which session or scan, the action, score, rules, signals and the explanation the user was shown — never the content. Times are UTC." }
        (form(&s))
        @if let Some(e) = &error { p.error data-testid="error" { (e) } }
        @else {
            p.muted data-testid="found" {
                @if s.is_empty() { "The newest records: " }
                (records.len()) " record" @if records.len() != 1 { "s" } " found"
                @if records.len() > shown { "; the newest " (shown) " are shown" }
                @if filtered { " (the search reads the newest " (FETCH) " records that match; narrow the time range to see older ones)" }
                "."
            }
            (table(&records[..shown], now))
        }
    };
    Ok((
        status,
        view::page(shell(state, "Audit", view::Section::Audit), body),
    )
        .into_response())
}

fn form(s: &Search) -> Markup {
    html! {
        form.card.search method="post" action="/audit" data-testid="audit-search" {
            div.row {
                label { "Caller's handle 来电号码 "
                    input type="text" name="handle" value=(s.handle) placeholder="+1 213 555 0147" size="22" maxlength="256" autocomplete="off";
                }
                label { "Session 会话 "
                    input type="text" name="session" value=(s.session) placeholder="ses_…" size="22" maxlength="256";
                }
            }
            div.row {
                label { "From 起 (UTC) " input type="text" name="from" value=(s.from) placeholder="2026-12-01T00:00" size="17"; }
                label { "To 止 (UTC) " input type="text" name="to" value=(s.to) placeholder="2026-12-31" size="17"; }
                label { "Action 处置 "
                    select name="action" {
                        @for (v, caption) in [("", "warn or block"), ("warn", "warn"), ("block", "block")] {
                            option value=(v) selected[s.action == v] { (caption) }
                        }
                    }
                }
                button.primary type="submit" data-testid="audit-submit" { "Search 搜索" }
            }
            p.muted { "The handle is matched by its keyed hash, as the store keeps it; it is not stored or logged." }
        }
    }
}

/// Where an audit record came from: a link to its session and event, or the scan's source.
pub(super) fn session_or_source(a: &AuditRecord) -> Markup {
    html! {
        @if let Some(id) = &a.session_id {
            a.mono href={ "/sessions/" (id) } { (view::shorten(id, 20)) }
            @if let Some(seq) = a.seq { " #" (seq) }
        } @else { (a.source) }
    }
}

fn table(records: &[AuditRecord], now: i64) -> Markup {
    html! {
        @if !records.is_empty() {
            table.audit data-testid="audit-records" {
                tr { th { "time (UTC)" } th { "action" } th { "score" } th { "session / source" } th { "caller (hash)" } th { "rules" } th { "signals" } th { "explanation" } }
                @for a in records {
                    tr data-action=(a.action) {
                        td.when { (view::time(a.at)) br; span.muted { (view::ago(a.at, now)) } }
                        td { (view::badge(&a.action)) }
                        td { (view::score(a.score)) }
                        td { (session_or_source(a)) }
                        td.mono { @if let Some(h) = &a.handle_hash { span title=(h) { (view::shorten(h, 17)) } } }
                        td.codes { @for r in &a.rules { code { (r) } " " } }
                        td.codes { @for s in &a.signals { code { (s) } " " } }
                        td.reason { (view::clean(&a.reason)) }
                    }
                }
            }
        }
    }
}
