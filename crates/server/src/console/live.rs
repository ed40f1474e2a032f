//! The front page: sessions open now and the most recent warn and block verdicts.

use super::{shell, view, PageError};
use crate::state::AppState;
use axum::extract::{Query, State};
use maud::{html, Markup};
use scamguard_store::{now_ms, AuditQuery, AuditRecord, SessionQuery, SessionRecord};
use serde_json::Value;
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
    let open = store
        .sessions(&SessionQuery {
            open_at: Some(now),
            expires_before: None,
            limit: ROWS,
        })
        .await?;
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
                (open_count) " open · store " (store.backend().as_str()) " · policy " code { (state.policy_source()) } " · "
                @if refresh {
                    "reloads every " (REFRESH_SECS) " s (" a href="/?refresh=off" { "stop" } ")"
                } @else {
                    "not reloading (" a href="/" { "reload every " (REFRESH_SECS) " s" } ")"
                }
            }
            (sessions_table(&open, now))
            h2 { "Recent verdicts 最近的警告与拦截" }
            p.muted { "Every warn and block verdict, newest first, as recorded for audit: its signals, rules and the explanation shown — never the content." }
            (audit_table(&audit, now))
        },
    ))
}

/// What the front page shows of a session's stored engine state, read leniently.
struct Summary {
    events: Option<u64>,
    caller: Option<String>,
    verified: Option<String>,
}

fn summary(rec: &SessionRecord) -> Summary {
    let v: Value = serde_json::from_str(&rec.state).unwrap_or(Value::Null);
    let text = |p: &str| v.pointer(p).and_then(Value::as_str).map(String::from);
    Summary {
        events: v.get("events").and_then(Value::as_u64),
        caller: text("/claim/shown").or_else(|| text("/claim/id")),
        verified: text("/verified/name"),
    }
}

fn sessions_table(open: &[SessionRecord], now: i64) -> Markup {
    html! {
        @if open.is_empty() {
            p.card data-testid="no-sessions" { "No open sessions. Start one in the " a href="/simulator" { "simulator" } " or through the API." }
        } @else {
            table data-testid="sessions" {
                tr { th { "session" } th { "highest" } th { "caller claims / verified" } th { "channel" } th { "locale" } th { "events" } th { "opened" } th { "last event" } }
                @for r in open {
                    @let s = summary(r);
                    tr data-session=(r.id) {
                        td { a.mono href={ "/sessions/" (r.id) } { (r.id) } }
                        td { (view::badge(&r.max_action)) }
                        td {
                            @if let Some(v) = &s.verified { "✓ " (view::untrusted(v)) }
                            @else if let Some(c) = &s.caller { "claims “" (view::untrusted(c)) "”" }
                            @else { span.muted { "—" } }
                        }
                        td { (r.channel) }
                        td { (r.locale) }
                        td { @if let Some(n) = s.events { (n) } }
                        td { (view::when(r.created, now)) }
                        td { (view::when(r.updated, now)) }
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
                        td {
                            @if let Some(id) = &a.session_id {
                                a.mono href={ "/sessions/" (id) } { (view::shorten(id, 20)) }
                                @if let Some(seq) = a.seq { " #" (seq) }
                            } @else { (a.source) }
                        }
                        td { @for r in &a.rules { code { (r) } " " } }
                        td { @for s in &a.signals { code { (s) } " " } }
                        td title=(view::clean(&a.reason)) { (view::shorten(&view::clean(&a.reason), 90)) }
                    }
                }
            }
        }
    }
}
