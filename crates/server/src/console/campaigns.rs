//! `/campaigns` and `/campaigns/{id}`: the rings behind flagged and reported sessions, for
//! analysts — largest and newest first with a chart of sessions per day; one campaign with its
//! indicators, member sessions, reports, callers' handles (each with its reputation and the
//! decision buttons) and its STIX and CSV exports. Also the caller's reputation and the
//! report form of a session page ([`session_intel`], `POST /sessions/{id}/report`).

use super::{form_fields, shell, view, PageError};
use crate::intel;
use crate::state::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use scamguard_core::intel::{stix, CampaignStatus, DailyCount, Decision, Reputation, Standing};
use scamguard_store::intel::{parse_campaign_id, NewReport, REPORT_CATEGORIES};
use scamguard_store::{now_ms, CampaignDetail, DecisionRecord, ReportQuery};
use std::collections::HashMap;

/// Campaigns listed.
const LISTED: i64 = 200;
/// Reports shown on a campaign page.
const REPORTS_SHOWN: i64 = 200;
/// Longest reason or note taken from a form, in characters.
const MAX_NOTE: usize = 2000;
/// Longest reporter handle taken from a form, in characters.
const MAX_HANDLE: usize = 256;

/// `GET /campaigns`.
pub async fn list(State(state): State<AppState>) -> Result<Markup, PageError> {
    let campaigns = state.store().campaigns(LISTED).await?;
    let now = now_ms();
    Ok(view::page(
        shell(&state, "Campaigns", view::Section::Campaigns),
        html! {
            h1 { "Campaigns 诈骗团伙" }
            p.muted data-testid="campaigns-summary" {
                (campaigns.len()) " campaign" @if campaigns.len() != 1 { "s" }
                ", largest first, then the most recently active. A session joins one when it warns, blocks or is reported, by the accounts, numbers, domains, meeting rooms, download hosts, caller handles and near-identical scripts it shares with others."
            }
            @if campaigns.is_empty() {
                p.card data-testid="no-campaigns" { "No campaign yet: no session has warned, blocked or been reported." }
            } @else {
                table data-testid="campaigns" {
                    tr {
                        th { "campaign" } th { "status" } th { "sessions" } th { "reports" }
                        th { "handles" } th { "claims" } th { "last seen" } th { "sessions per day" }
                    }
                    @for c in &campaigns {
                        tr data-campaign=(c.id) {
                            td.mono { a href={ "/campaigns/" (c.id) } { (c.id) } }
                            td { (status_badge(c.status)) }
                            td data-testid="sessions" { (c.sessions) }
                            td { (c.reports) }
                            td { (c.handles) }
                            td { (c.claims.join(", ")) }
                            td { (view::when(c.last_seen, now)) }
                            td { (chart(&c.daily, 160, 28)) }
                        }
                    }
                }
            }
        },
    ))
}

/// A campaign's status as a badge, in the colours of how far it went.
fn status_badge(s: CampaignStatus) -> Markup {
    let class = match s {
        CampaignStatus::Open => "open",
        CampaignStatus::Reported => "warn",
        CampaignStatus::Confirmed => "block",
    };
    view::badge_as(s.as_str(), class)
}

/// Sessions per day as an SVG bar chart `w` × `h` pixels; days without sessions between the
/// first and the last show as gaps.
fn chart(daily: &[DailyCount], w: u32, h: u32) -> Markup {
    let days: Vec<i64> = daily
        .iter()
        .filter_map(|d| view::parse_utc(&d.day).map(|ms| ms.div_euclid(86_400_000)))
        .collect();
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return html! { span.muted { "—" } };
    };
    let span = (last - first + 1).max(1) as f64;
    let max = daily.iter().map(|d| d.sessions).max().unwrap_or(1).max(1) as f64;
    // At most 24 px a day, so that a campaign of one day is a bar, not a block.
    let bar = (f64::from(w) / span).clamp(1.0, 24.0);
    let label = daily
        .iter()
        .map(|d| format!("{}: {}", d.day, d.sessions))
        .collect::<Vec<_>>()
        .join("; ");
    html! {
        svg.chart width=(w) height=(h) viewBox={ "0 0 " (w) " " (h) } role="img" aria-label=(label) data-testid="chart" {
            title { (label) }
            @for (d, day) in daily.iter().zip(&days) {
                @let bh = (d.sessions as f64 / max * f64::from(h)).max(1.0);
                rect x=(format!("{:.1}", (day - first) as f64 * bar)) y=(format!("{:.1}", f64::from(h) - bh))
                     width=(format!("{:.1}", (bar - 1.0).max(1.0))) height=(format!("{:.1}", bh))
                     data-day=(d.day) data-sessions=(d.sessions) {}
            }
        }
    }
}

async fn load(state: &AppState, id: &str) -> Result<CampaignDetail, PageError> {
    let n = parse_campaign_id(id).ok_or_else(|| PageError::not_found("campaign"))?;
    state
        .store()
        .campaign(n)
        .await?
        .ok_or_else(|| PageError::not_found("campaign"))
}

/// `GET /campaigns/{id}`.
pub async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let c = load(&state, &id).await?;
    let s = &c.summary;
    let now = now_ms();
    let engine = state.engine();
    let reports = state
        .store()
        .reports(&ReportQuery {
            campaign_id: parse_campaign_id(&s.id),
            limit: REPORTS_SHOWN,
            ..ReportQuery::default()
        })
        .await?;
    let mut handles = Vec::with_capacity(c.caller_hashes.len());
    for h in &c.caller_hashes {
        let rep = intel::reputation(&state, &engine, h, false, now).await?;
        handles.push((h, rep));
    }
    let title = format!("Campaign {}", s.id);
    Ok(view::page(
        shell(&state, &title, view::Section::Campaigns),
        html! {
            h1 { "Campaign " span.mono { (s.id) } " " (status_badge(s.status)) }
            @if s.id != id { p.muted data-testid="merged" { (id) " merged into this campaign." } }
            dl.kv.card data-testid="campaign-summary" {
                dt { "sessions" } dd data-testid="sessions" { (s.sessions) }
                dt { "reports" } dd data-testid="reports" { (s.reports) }
                dt { "caller handles" } dd { (s.handles) }
                dt { "first seen" } dd { (view::time(s.first_seen)) " UTC" }
                dt { "last seen" } dd { (view::time(s.last_seen)) " UTC (" (view::ago(s.last_seen, now)) ")" }
                dt { "claimed identities" } dd { (s.claims.join(", ")) }
                dt { "script stages" } dd { (s.scripts.join(", ")) }
                dt { "sessions per day" } dd { (chart(&s.daily, 480, 60)) }
                dt { "export" } dd {
                    a data-testid="stix" href={ "/campaigns/" (s.id) "/stix" } { "STIX 2.1 bundle" } " · "
                    a data-testid="csv" href={ "/campaigns/" (s.id) "/csv" } { "CSV" }
                }
            }
            h2 { "Indicators 特征" }
            table data-testid="indicators" {
                tr { th { "kind" } th { "value" } th { "sessions" } th { "first seen" } th { "last seen" } }
                @for i in &c.indicators {
                    tr data-kind=(i.kind.as_str()) {
                        td { (i.kind.as_str()) }
                        td.mono { (view::untrusted(&view::shorten(&i.value, 64))) }
                        td { (i.sessions) }
                        td { (view::time(i.first_seen)) }
                        td { (view::time(i.last_seen)) }
                    }
                }
            }
            h2 { "Caller handles 来电号码" }
            table data-testid="handles" {
                tr { th { "handle (hash)" } th { "standing" } th { "reporters" } th { "decide" } }
                @for (h, rep) in &handles {
                    tr data-handle=(h) {
                        td.mono { (view::shorten(h, 16)) }
                        td data-testid="standing" { (standing_badge(rep)) }
                        td { (rep.reporters) }
                        td { (decision_form(&format!("/campaigns/{}", s.id), h)) }
                    }
                }
            }
            h2 { "Reports 举报" }
            @if reports.is_empty() {
                p.muted { "No report on its sessions." }
            } @else {
                table data-testid="reports" {
                    tr { th { "filed" } th { "session" } th { "category" } th { "counted" } th { "note" } th { "message" } }
                    @for r in &reports {
                        tr data-counted=(r.counted) {
                            td { (view::when(r.created, now)) }
                            td.mono { a href={ "/sessions/" (r.session_id) } { (view::shorten(&r.session_id, 20)) } }
                            td { (r.category) }
                            td { @if r.counted { "yes" } @else { span.muted { (r.reason) } } }
                            td { @if let Some(n) = &r.note { (view::untrusted(n)) } }
                            td { @if let Some(t) = &r.text { (view::untrusted(t)) } }
                        }
                    }
                }
            }
            h2 { "Sessions 会话" }
            ol.mono data-testid="sessions-list" {
                @for sid in &c.session_ids {
                    li { a href={ "/sessions/" (sid) } { (sid) } }
                }
            }
        },
    ))
}

fn standing_badge(rep: &Reputation) -> Markup {
    let class = match rep.standing {
        Standing::Clear | Standing::Legitimate => "allow",
        Standing::Review => "warn",
        Standing::Reported | Standing::Fraud => "block",
    };
    view::badge_as(rep.standing.as_str(), class)
}

/// `GET /campaigns/{id}/stix`: the bundle as a download.
pub async fn stix_export(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let c = load(&state, &id).await?;
    let body = stix::bundle(&c.summary, &c.indicators, now_ms()).to_string();
    Ok(download(
        "application/stix+json;version=2.1",
        &format!("{}.stix.json", c.summary.id),
        body,
    ))
}

/// `GET /campaigns/{id}/csv`: the indicators as a download.
pub async fn csv_export(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let c = load(&state, &id).await?;
    let body = stix::csv(&c.summary, &c.indicators);
    Ok(download(
        "text/csv; charset=utf-8",
        &format!("{}.csv", c.summary.id),
        body,
    ))
}

fn download(content_type: &'static str, name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// A form field's text: trimmed, not empty when `required`, at most `max` characters and no
/// control characters but line breaks.
fn text(
    f: &HashMap<String, String>,
    name: &str,
    max: usize,
    required: bool,
) -> Result<Option<String>, PageError> {
    let bad = |m: String| PageError::new(StatusCode::UNPROCESSABLE_ENTITY, format!("{name}: {m}"));
    let v = f.get(name).map(|s| s.trim()).unwrap_or("");
    if v.is_empty() {
        return if required {
            Err(bad("must not be empty".into()))
        } else {
            Ok(None)
        };
    }
    if v.chars().count() > max {
        return Err(bad(format!("at most {max} characters")));
    }
    if v.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(bad("contains control characters".into()));
    }
    Ok(Some(v.to_string()))
}

/// Who acts in the console: the console login's key, or `console` when it has no login.
async fn analyst(state: &AppState, headers: &HeaderMap) -> Result<String, PageError> {
    Ok(super::logins::key_id(state, headers)
        .await?
        .unwrap_or_else(|| "console".to_string()))
}

/// Where a form may send the analyst back to: a campaign or session page of this console.
fn back_to(f: &HashMap<String, String>) -> String {
    match f.get("back").map(String::as_str) {
        Some(b)
            if (b.starts_with("/campaigns/") || b.starts_with("/sessions/"))
                && b[1..]
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"/_-".contains(&c)) =>
        {
            b.to_string()
        }
        _ => "/campaigns".to_string(),
    }
}

/// `POST /reputation`: an analyst's decision on a handle, kept with the console login's key
/// (or `console` when the console has no login) and the reason.
pub async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Result<Response, PageError> {
    let f = form_fields(form)?;
    let hash = text(&f, "handle_hash", 128, true)?.unwrap_or_default();
    if !hash.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "handle_hash: expected the hex of a keyed hash",
        ));
    }
    let decision = f
        .get("decision")
        .and_then(|d| Decision::parse(d))
        .ok_or_else(|| {
            PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "decision: legitimate or fraud",
            )
        })?;
    let reason = text(&f, "reason", MAX_NOTE, true)?.unwrap_or_default();
    let who = analyst(&state, &headers).await?;
    state
        .store()
        .add_decision(&DecisionRecord {
            id: 0,
            handle_hash: hash,
            decision,
            reason,
            key_id: who,
            at: now_ms(),
        })
        .await?;
    Ok(Redirect::to(&back_to(&f)).into_response())
}

/// `POST /sessions/{id}/report`: a report taken by the operator (on the phone, say) for the
/// person who received the call; it counts only when they are the session's recipient.
pub async fn report(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Result<Response, PageError> {
    let f = form_fields(form)?;
    let reporter = text(&f, "reporter", MAX_HANDLE, true)?.unwrap_or_default();
    let category = f.get("category").cloned().unwrap_or_default();
    if !REPORT_CATEGORIES.contains(&category.as_str()) {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("category: one of {}", REPORT_CATEGORIES.join(", ")),
        ));
    }
    let note = text(&f, "note", MAX_NOTE, false)?;
    let rec = state
        .store()
        .session(&id)
        .await?
        .ok_or_else(|| PageError::not_found("session"))?;
    let who = analyst(&state, &headers).await?;
    let new = NewReport {
        reporter_hash: state.hasher().hash(&reporter),
        category,
        note,
        text: None,
        key_id: who,
        at: now_ms(),
    };
    let (report, _) = intel::file(
        state.store(),
        &state.engine(),
        &rec,
        new,
        state.config().campaigns,
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/sessions/{}?report={}",
        rec.id,
        if report.counted {
            "counted"
        } else {
            &report.reason
        }
    ))
    .into_response())
}

/// The session page's part: the caller's reputation with the analyst's buttons, the
/// session's campaign, and the report form.
pub async fn session_intel(
    state: &AppState,
    session_id: &str,
    handle_hash: &str,
    campaign_id: Option<&str>,
    report_result: Option<&str>,
) -> Result<Markup, PageError> {
    let engine = state.engine();
    let now = now_ms();
    let rep = intel::reputation(state, &engine, handle_hash, false, now).await?;
    let decisions = state.store().decisions(handle_hash).await?;
    let reports = state
        .store()
        .reports(&ReportQuery {
            session_id: Some(session_id.to_string()),
            limit: 50,
            ..ReportQuery::default()
        })
        .await?;
    Ok(html! {
        h2 { "Caller and campaign 来电号码与团伙" }
        div.card data-testid="reputation" {
            dl.kv {
                dt { "caller's standing" } dd data-testid="standing" { (standing_badge(&rep)) }
                dt { "counted reporters" } dd { (rep.reporters) " in the last " (engine.policy().settings.reputation_window_days) " days" }
                @if let Some(d) = decisions.first() {
                    dt { "last decision" } dd { (d.decision.as_str()) " — " (view::untrusted(&d.reason)) " (" (d.key_id) ", " (view::time(d.at)) " UTC)" }
                }
                dt { "campaign" } dd data-testid="campaign" {
                    @match campaign_id {
                        Some(c) => a href={ "/campaigns/" (c) } { (c) },
                        None => span.muted { "none: the session has not warned, blocked or been reported" },
                    }
                }
                dt { "reports on this session" } dd { (reports.len()) }
            }
            (decision_form(&format!("/sessions/{session_id}"), handle_hash))
        }
        div.card data-testid="report" {
            @if let Some(r) = report_result {
                p data-testid="report-result" { "Report filed: " strong { (r) } }
            }
            form method="post" action={ "/sessions/" (session_id) "/report" } {
                label { "reporter's handle " input type="text" name="reporter" required maxlength=(MAX_HANDLE) placeholder="the number or account that received it"; }
                " "
                label { "category "
                    select name="category" {
                        @for c in REPORT_CATEGORIES { option value=(c) { (c) } }
                    }
                }
                " "
                label { "note " input type="text" name="note" maxlength=(MAX_NOTE); }
                " "
                button type="submit" { "Report" }
            }
            p.muted { "A report counts only when the reporter is the person the call or message reached, once per reporter and caller." }
        }
    })
}

/// The analyst's two buttons on a handle, with the reason the audit trail keeps; the answer
/// sends the analyst back to `back`.
fn decision_form(back: &str, handle_hash: &str) -> Markup {
    html! {
        form.decide method="post" action="/reputation" {
            input type="hidden" name="handle_hash" value=(handle_hash);
            input type="hidden" name="back" value=(back);
            input type="text" name="reason" required maxlength=(MAX_NOTE) placeholder="reason (kept in the audit trail)";
            button type="submit" name="decision" value="fraud" { "Confirm fraud" }
            button type="submit" name="decision" value="legitimate" { "Legitimate (appeal upheld)" }
        }
    }
}
