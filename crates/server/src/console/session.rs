//! `/sessions/{id}`: one session — the verdict as it stands, once and in full, then each event
//! as stored with what it changed (signals added, action moved, rules fired, directives issued).

use super::{shell, view, PageError, Simulations};
use crate::records;
use crate::sessions::{self, Timeline};
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::Extension;
use maud::{html, Markup};
use scamguard_core::Verdict;
use scamguard_store::now_ms;
use serde_json::Value;

/// Longest session id looked up.
const MAX_ID: usize = 128;

/// `GET /sessions/{id}`.
pub async fn page(
    State(state): State<AppState>,
    Extension(sims): Extension<Simulations>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Markup, PageError> {
    if id.len() > MAX_ID {
        return Err(PageError::not_found("session"));
    }
    let t = match sessions::timeline(&state, &id).await {
        Ok(t) => t,
        Err(crate::ApiError::SessionNotFound) => return Err(PageError::not_found("session")),
        Err(e) => return Err(e.into()),
    };
    let now = now_ms();
    let retain = state.config().retain_text;
    let simulated = sims.get(&id).is_some();
    let title = format!("Session {}", view::shorten(&id, 24));
    // Each event's verdict, read once; an unreadable one is shown as such.
    let verdicts: Vec<Option<Verdict>> = t
        .events
        .iter()
        .map(|e| serde_json::from_str::<Verdict>(e.verdict.get()).ok())
        .collect();
    let call_ended = t.row.channel != "message"
        && t.events.iter().any(|e| {
            records::stored_event(e.event.get()).is_some_and(|(ev, _)| view::ends_call(&ev.kind))
        });
    let status = if call_ended { "ended" } else { t.status };
    let current = verdicts.iter().rev().flatten().next();
    Ok(view::page(
        shell(&state, &title, view::Section::Live),
        html! {
            h1 { "Session " span.mono { (t.session_id) } }
            (header(&t, status, now, simulated))
            (super::bank::lookups(&state, &id).await?)
            (super::campaigns::session_intel(&state, &id, &t.row.handle_hash, t.campaign_id.as_deref(), report_result(query.as_deref())).await?)
            h2 { "Verdict now 当前判定" }
            div.card data-testid="verdict-now" {
                @match current {
                    Some(v) => (view::verdict_detail(v)),
                    None => p.error { "The stored verdict could not be read." },
                }
            }
            h2 { "Events 事件" }
            @if !retain {
                p.muted { "Speech and message text is not retained on this server: events show their type and details only." }
            }
            ol.timeline data-testid="timeline" {
                @for (i, e) in t.events.iter().enumerate() {
                    li.card data-seq=(e.seq) data-type=(e.kind) {
                        div.event-head {
                            strong { "#" (e.seq) " " code { (e.kind) } }
                            (view::when(e.at, now))
                            @if let Some(eid) = &e.id { span.muted { "id " (view::untrusted(eid)) } }
                        }
                        (event_fields(e.event.get(), retain))
                        @match &verdicts[i] {
                            Some(v) => (view::changes(i.checked_sub(1).and_then(|p| verdicts[p].as_ref()), v)),
                            None => p.error { "The stored verdict could not be read." },
                        }
                    }
                }
            }
        },
    ))
}

/// The outcome of a report just filed from this page (`?report=counted`, or the reason it
/// did not count), when the address carries one.
fn report_result(query: Option<&str>) -> Option<&str> {
    query?
        .split('&')
        .find_map(|kv| kv.strip_prefix("report="))
        .filter(|r| {
            !r.is_empty() && r.len() <= 64 && r.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        })
}

fn header(t: &Timeline, status: &str, now: i64, simulated: bool) -> Markup {
    html! {
        dl.kv.card {
            dt { "status" } dd data-testid="status" { (view::badge(status)) }
            dt { "highest action" } dd { (view::badge(&t.row.max_action)) }
            dt { "channel" } dd { (t.row.channel) }
            dt { "locale" } dd { (t.row.locale) }
            dt { "caller (hash)" } dd.mono { (view::shorten(&t.row.handle_hash, 16)) }
            dt { "events" } dd { (t.events.len().saturating_sub(1)) }
            dt { "opened" } dd { (view::time(t.row.created)) " UTC (" (view::ago(t.row.created, now)) ")" }
            dt { "last event" } dd { (view::time(t.row.updated)) " UTC (" (view::ago(t.row.updated, now)) ")" }
            dt { "expires" } dd { (view::time(t.row.expires)) " UTC" }
            @if simulated && status == "open" {
                dt { "simulator" } dd { a href={ "/simulator/" (t.session_id) } { "continue this call in the simulator" } }
            } @else if simulated {
                dt { "simulator" } dd { a href={ "/simulator/" (t.session_id) } { "this call in the simulator" } }
            }
        }
    }
}

/// An event's stored fields, as a definition list. Text appears only when the server retains
/// text and the event was stored with it.
fn event_fields(payload: &str, retain: bool) -> Markup {
    let v: Value = serde_json::from_str(payload).unwrap_or(Value::Null);
    let mut rows: Vec<(String, Markup)> = Vec::new();
    if let Value::Object(map) = &v {
        flatten("", map, retain, &mut rows);
    }
    html! {
        @if !rows.is_empty() {
            dl.kv {
                @for (k, m) in rows { dt { (k) } dd { (m) } }
            }
        }
    }
}

fn flatten(
    prefix: &str,
    map: &serde_json::Map<String, Value>,
    retain: bool,
    rows: &mut Vec<(String, Markup)>,
) {
    for (k, val) in map {
        if prefix.is_empty() && (k == "type" || k == "id") {
            continue;
        }
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        if k == "redacted" {
            rows.push(("text".into(), html! { span.muted { "not retained" } }));
            continue;
        }
        if k == "text" && !retain {
            rows.push((
                "text".into(),
                html! { span.muted { "not shown: retention is off" } },
            ));
            continue;
        }
        match val {
            Value::Object(inner) => flatten(&key, inner, retain, rows),
            Value::Null => {}
            Value::String(s) => rows.push((key, view::untrusted(s))),
            Value::Number(n) => rows.push((key, html! { (number(n)) })),
            other => rows.push((key, html! { (other.to_string()) })),
        }
    }
}

/// A number as a person writes it: `50000`, not `50000.0`.
fn number(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        _ => n.to_string(),
    }
}
