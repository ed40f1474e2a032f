//! The front page: the most recently active sessions with where each stands, and the most
//! recent warn and block verdicts.

use super::{shell, view, PageError};
use crate::state::AppState;
use axum::extract::{Query, State};
use maud::{html, Markup};
use scamguard_core::CallSession;
use scamguard_store::{now_ms, AuditQuery, AuditRecord, SessionQuery, SessionRecord};
use std::collections::HashMap;

/// Rows in each table.
const ROWS: i64 = 50;
/// Seconds between automatic reloads.
const REFRESH_SECS: u32 = 5;

/// `GET /[?refresh=off]`.
pub async fn index(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Markup, PageError> {
    let now = now_ms();
    let store = state.store();
    // The list's rows trail the newest event (the store rewrites a row only when the action
    // rises or its expiry drifts); each session is read again as of its last event, so that
    // the counts, times and states shown are the true ones.
    let listed = store
        .sessions(&SessionQuery {
            open_at: None,
            expires_before: None,
            limit: ROWS,
        })
        .await?;
    let mut rows = Vec::with_capacity(listed.len());
    for r in listed {
        let latest = store.session(&r.id).await?.unwrap_or(r);
        rows.push(Row::of(latest, now));
    }
    let open_count = store.count_open(now).await?;
    let audit = store
        .audit(&AuditQuery {
            limit: ROWS,
            ..AuditQuery::default()
        })
        .await?;
    let refresh = q.get("refresh").map(String::as_str) != Some("off");
    let mut shell = shell(&state, "Live", view::Section::Live);
    shell.refresh = refresh.then_some(REFRESH_SECS);
    Ok(view::page(
        shell,
        html! {
            h1 { "Live sessions 实时会话" }
            p.muted {
                span data-testid="open-count" { (open_count) " open" } " · store " (store.backend().as_str()) " · policy " code { (state.policy_source()) } " · "
                @if refresh {
                    "reloads every " (REFRESH_SECS) " s (" a href="/?refresh=off" { "stop" } ")"
                } @else {
                    "not reloading (" a href="/" { "reload every " (REFRESH_SECS) " s" } ")"
                }
            }
            (sessions_table(&rows, now))
            h2 { "Recent verdicts 最近的警告与拦截" }
            p.muted { "Every warn and block verdict, newest first, as recorded for audit: its signals, rules and the explanation shown — never the content. "
                a href="/audit" { "Search the audit records" } "." }
            (audit_table(&audit, now))
        },
    ))
}

/// One session as the front page shows it, read from its stored engine state.
struct Row {
    rec: SessionRecord,
    status: &'static str,
    events: Option<u64>,
    caller: Option<String>,
    verified: Option<String>,
}

impl Row {
    fn of(rec: SessionRecord, now: i64) -> Row {
        let session: Option<CallSession> = serde_json::from_str(&rec.state).ok();
        let status =
            view::session_status(&rec.channel, session.as_ref(), rec.closed, rec.expires, now);
        Row {
            status,
            events: session.as_ref().map(|s| s.events),
            caller: session
                .as_ref()
                .and_then(|s| s.claim.as_ref())
                .map(|c| c.shown.clone().unwrap_or_else(|| c.id.clone())),
            verified: session.and_then(|s| s.verified).map(|v| v.name),
            rec,
        }
    }
}

fn sessions_table(rows: &[Row], now: i64) -> Markup {
    html! {
        @if rows.is_empty() {
            p.card data-testid="no-sessions" { "No sessions yet. Start one in the " a href="/simulator" { "simulator" } " or through the API." }
        } @else {
            table data-testid="sessions" {
                tr { th { "session" } th { "status" } th { "highest" } th { "caller claims / verified" } th { "channel" } th { "locale" } th { "events" } th { "opened" } th { "last event" } }
                @for row in rows {
                    @let r = &row.rec;
                    tr data-session=(r.id) data-status=(row.status) {
                        td { a.mono href={ "/sessions/" (r.id) } { (r.id) } }
                        td { (view::badge(row.status)) }
                        td { (view::badge(&r.max_action)) }
                        td {
                            @if let Some(v) = &row.verified { span.verified { (super::icons::icon(super::icons::Icon::Check)) " " (view::untrusted(v)) } }
                            @else if let Some(c) = &row.caller { "claims “" (view::untrusted(c)) "”" }
                            @else { span.muted { "—" } }
                        }
                        td { (r.channel) }
                        td { (r.locale) }
                        td data-testid="events" { @if let Some(n) = row.events { (n) } }
                        td { (view::when(r.created, now)) }
                        td data-testid="last-event" { (view::when(r.updated, now)) }
                    }
                }
            }
        }
    }
}

fn audit_table(audit: &[AuditRecord], now: i64) -> Markup {
    html! {
        @if audit.is_empty() {
            p.card data-testid="no-verdicts" { "No warn or block verdicts yet." }
        } @else {
            table data-testid="verdicts" {
                tr { th { "time" } th { "action" } th { "score" } th { "session / source" } th { "rules" } th { "signals" } th { "explanation" } }
                @for a in audit {
                    tr {
                        td { (view::when(a.at, now)) }
                        td { (view::badge(&a.action)) }
                        td { (view::score(a.score)) }
                        td { (super::audit::session_or_source(a)) }
                        td { @for r in &a.rules { code { (r) } " " } }
                        td { @for s in &a.signals { code { (s) } " " } }
                        td title=(view::clean(&a.reason)) { (view::shorten(&view::clean(&a.reason), 90)) }
                    }
                }
            }
        }
    }
}
