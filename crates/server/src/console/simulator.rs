//! The call simulator: compose an incoming FaceTime-style call (or pick a preset, or paste a
//! case file), then step through what happens and see what the user's phone would show.
//!
//! Every simulated call is a real stored session: [`crate::sessions::open`] starts it and
//! [`crate::sessions::apply`] adds each step, so it appears on the front page, has a session
//! page, and is audited like any other. The session id is in the URL (`/simulator/{id}`);
//! each step is a plain form post answered with a redirect back to that page, and carries an
//! event id, so submitting the same form twice applies the step once.

use super::icons::{icon, Icon};
use super::{form_fields, i18n, presets, shell, view, PageError, Simulation, Simulations};
use crate::records;
use crate::sessions;
use crate::state::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{html, Markup};
use scamguard_core::event::{Direction, EventKind, Speaker};
use scamguard_core::signal::Money;
use scamguard_core::verdict::Directive;
use scamguard_core::{Action, CallSession, Case, Event, Locale, Verdict};
use scamguard_store::{now_ms, EventRecord};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::time::Instant;

type Fields = HashMap<String, String>;

/// Longest session id looked up.
const MAX_ID: usize = 128;
/// Most script events one "play to the end" applies; a longer script takes more clicks, so
/// that no request runs into the request timeout.
const MAX_PLAY: usize = 200;

fn field<'a>(f: &'a Fields, name: &str) -> Option<&'a str> {
    f.get(name).map(|s| s.trim()).filter(|s| !s.is_empty())
}

// ------------------------------------------------------------------------------------------
// Compose

/// `GET /simulator`: presets, the compose form and the case-file replay form.
pub async fn compose(
    State(state): State<AppState>,
    Extension(sims): Extension<Simulations>,
) -> Response {
    compose_page(&state, &sims, &Fields::new(), None, StatusCode::OK)
}

fn compose_page(
    state: &AppState,
    sims: &Simulations,
    values: &Fields,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    let v = |k: &str| values.get(k).map(String::as_str).unwrap_or("");
    let locale = values
        .get("locale")
        .map(String::as_str)
        .unwrap_or("zh-Hans");
    let channel = values
        .get("channel")
        .map(String::as_str)
        .unwrap_or("video_call");
    let engine = state.engine();
    let identities = engine.lexicons().identities.identities();
    let recent = sims.recent(10);
    let now = Instant::now();
    let body = html! {
        h1 { "Call simulator 模拟来电" }
        p.muted { "Compose an incoming call, then step through it and see exactly what the user's phone shows. \
                   Each simulated call is a real session: it appears on the " a href="/" { "live page" } " and is audited." }
        @if let Some(e) = error { p.error data-testid="error" { (e) } }
        h2 { "Presets 一键场景" }
        div.presets {
            @for p in &presets::PRESETS {
                form method="post" action={ "/simulator/preset/" (p.name) } {
                    button type="submit" data-testid={ "preset-" (p.name) } title=(p.summary) {
                        strong { (p.title) } br; span.muted { (view::shorten(p.summary, 70)) }
                    }
                }
            }
        }
        h2 { "Compose a call 自定义来电" }
        form.card method="post" action="/simulator/start" data-testid="compose" {
            label { "Display name 显示名称 " input type="text" name="display_name" value=(v("display_name")) placeholder="上海市公安局" size="30" maxlength="1024"; }
            label { "Handle 号码或账号 " input type="text" name="handle" value=(v("handle")) placeholder="+1 213 555 0147" size="30" required maxlength="1024"; }
            label.check { input type="checkbox" name="in_contacts" checked[values.contains_key("in_contacts")]; "In contacts 通讯录中" }
            label { "Verified organisation (platform-verified) 已验证机构 "
                input type="text" name="verified_org" value=(v("verified_org")) list="identity-ids" placeholder="e.g. cn_icbc" size="24";
            }
            datalist #identity-ids {
                @for i in identities { option value=(i.id) { (i.name_in(Locale::En)) } }
            }
            label { "Locale 语言 "
                select name="locale" {
                    @for (tag, name) in [("zh-Hans", "简体中文"), ("zh-Hant", "繁體中文"), ("en", "English")] {
                        option value=(tag) selected[locale == tag] { (name) }
                    }
                }
            }
            label { "Channel 渠道 "
                select name="channel" {
                    @for (tag, name) in [("video_call", "FaceTime video"), ("audio_call", "FaceTime audio"), ("message", "iMessage thread")] {
                        option value=(tag) selected[channel == tag] { (name) }
                    }
                }
            }
            button.primary type="submit" data-testid="start" { "Ring 来电" }
        }
        h2 { "Replay a case file 回放案例" }
        form.card method="post" action="/simulator/replay" data-testid="replay" {
            p.muted { "Paste a case (the format " code { "scamguard check" } " reads). The call opens with its first event when that is "
                code { "call_offer" } "; then “Next step” plays the rest one at a time." }
            textarea name="case" rows="8" placeholder=(presets::PRESETS[1].case) { (v("case")) }
            button.primary type="submit" data-testid="replay-start" { "Replay step by step" }
        }
        @if !recent.is_empty() {
            h2 { "Recent simulated calls" }
            ul.plain {
                @for (id, s) in &recent {
                    li {
                        a.mono href={ "/simulator/" (id) } { (id) } " "
                        @if let Some(t) = &s.title { (t) } @else { (view::untrusted(&s.handle)) }
                        span.muted { " · " (now.duration_since(s.created).as_secs() / 60) " min ago" }
                    }
                }
            }
        }
    };
    (
        status,
        view::page(shell(state, "Simulator", view::Section::Simulator), body),
    )
        .into_response()
}

/// `POST /simulator/start`: a call composed in the form.
pub async fn start(
    State(state): State<AppState>,
    Extension(sims): Extension<Simulations>,
    form: Result<Form<Fields>, FormRejection>,
) -> Result<Response, PageError> {
    let f = form_fields(form)?;
    let channel = field(&f, "channel").unwrap_or("video_call");
    let mut from = Map::new();
    from.insert("handle".into(), json!(field(&f, "handle").unwrap_or("")));
    if let Some(n) = f.get("display_name").filter(|n| !n.trim().is_empty()) {
        // As typed: leading spaces and invisible characters are part of what is judged.
        from.insert("display_name".into(), json!(n));
    }
    from.insert("in_contacts".into(), json!(f.contains_key("in_contacts")));
    if let Some(o) = field(&f, "verified_org") {
        from.insert("verified_org".into(), json!(o));
    }
    let events = if channel == "message" {
        json!([])
    } else {
        json!([{"type": "call_offer"}])
    };
    let body = json!({
        "channel": channel,
        "locale": field(&f, "locale").unwrap_or("zh-Hans"),
        "from": from,
        "events": events,
    });
    match Case::from_value(&body) {
        Ok(case) => begin(&state, &sims, case, None).await,
        Err(e) => Ok(compose_page(
            &state,
            &sims,
            &f,
            Some(&e.to_string()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
    }
}

/// `POST /simulator/preset/{name}`.
pub async fn preset(
    State(state): State<AppState>,
    Extension(sims): Extension<Simulations>,
    Path(name): Path<String>,
) -> Result<Response, PageError> {
    let p = presets::find(&name).ok_or_else(|| PageError::not_found("preset"))?;
    begin(&state, &sims, p.parse(), Some(p.title.to_string())).await
}

/// `POST /simulator/replay`: a pasted case file, played step by step.
pub async fn replay(
    State(state): State<AppState>,
    Extension(sims): Extension<Simulations>,
    form: Result<Form<Fields>, FormRejection>,
) -> Result<Response, PageError> {
    let f = form_fields(form)?;
    let text = f.get("case").map(String::as_str).unwrap_or("");
    let parsed = if text.trim().is_empty() {
        Err("case: paste a case file first".to_string())
    } else {
        Case::from_json(text).map_err(|e| format!("case: {e}"))
    };
    match parsed {
        Ok(case) => {
            let title = serde_json::from_str::<Value>(text)
                .ok()
                .and_then(|v| v.get("title").and_then(Value::as_str).map(String::from))
                .map(|t| view::shorten(&t, 120))
                .unwrap_or_else(|| "Pasted case".to_string());
            begin(&state, &sims, case, Some(title)).await
        }
        Err(e) => Ok(compose_page(
            &state,
            &sims,
            &f,
            Some(&e),
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
    }
}

/// Opens the session for `case`: its opening and, when the case starts with the call ringing,
/// that first event; the rest becomes the script.
async fn begin(
    state: &AppState,
    sims: &Simulations,
    mut case: Case,
    title: Option<String>,
) -> Result<Response, PageError> {
    let mut script = std::mem::take(&mut case.events);
    if script
        .first()
        .is_some_and(|e| matches!(e.kind, EventKind::CallOffer))
    {
        case.events.push(script.remove(0));
    }
    let handle = case.from.handle.clone();
    let opened = sessions::open(state, case).await?;
    sims.insert(
        opened.session_id.clone(),
        Simulation {
            created: Instant::now(),
            title,
            handle,
            script,
            next: 0,
        },
    );
    Ok(Redirect::to(&format!("/simulator/{}", opened.session_id)).into_response())
}

// ------------------------------------------------------------------------------------------
// Steps

/// A form posted to a simulation whose session can still take events: the simulation's id,
/// the form's fields, and the simulations. The extractor answers anything else itself: an
/// unknown id (404), an unreadable form (422), and a session that is over, with its page and
/// 409, or, for a step form sent again whose event is stored, with the page as the first
/// answer did.
pub struct Playable {
    id: String,
    fields: Fields,
    sims: Simulations,
}

impl FromRequest<AppState> for Playable {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let (Path(id), Extension(sims)) =
            <(Path<String>, Extension<Simulations>)>::from_request_parts(&mut parts, state).await?;
        let form = Form::<Fields>::from_request(Request::from_parts(parts, body), state).await;
        let fields = form_fields(form).map_err(IntoResponse::into_response)?;
        if id.len() > MAX_ID || sims.get(&id).is_none() {
            return Err(not_simulated(&id).into_response());
        }
        let answer = match finished(state, &id).await {
            Ok(None) => return Ok(Playable { id, fields, sims }),
            Ok(Some(status)) => over(state, &sims, &id, &fields, status).await,
            Err(e) => Err(e),
        };
        Err(answer.unwrap_or_else(IntoResponse::into_response))
    }
}

/// The answer to a form posted to simulation `id` once its session is `status`.
async fn over(
    state: &AppState,
    sims: &Simulations,
    id: &str,
    f: &Fields,
    status: &str,
) -> Result<Response, PageError> {
    // The same step form sent twice is answered as before: the step was applied once.
    if let Some(eid) = field(f, "eid") {
        if state.store().event_by_id(id, eid).await?.is_some() {
            return Ok(Redirect::to(&format!("/simulator/{id}")).into_response());
        }
    }
    let error = (StatusCode::CONFLICT, finished_message(status));
    render(state, sims, id, Some(error)).await
}

/// `POST /simulator/{id}/events`: one step from the step forms.
pub async fn step(State(state): State<AppState>, p: Playable) -> Result<Response, PageError> {
    let Playable { id, fields, sims } = p;
    let event = match event_from_form(&fields) {
        Ok(e) => e,
        Err(msg) => {
            return render(
                &state,
                &sims,
                &id,
                Some((StatusCode::UNPROCESSABLE_ENTITY, msg)),
            )
            .await
        }
    };
    match sessions::apply(&state, id.clone(), event).await {
        Ok(_) => Ok(Redirect::to(&format!("/simulator/{id}")).into_response()),
        Err(e @ crate::ApiError::InvalidField { .. }) => {
            render(
                &state,
                &sims,
                &id,
                Some((StatusCode::UNPROCESSABLE_ENTITY, e.to_string())),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Builds an event from a step form: its `type`, an `eid` that makes a resubmission a
/// replay, and the fields that type takes. The engine's own parser checks it.
fn event_from_form(f: &Fields) -> Result<Event, String> {
    let ty = field(f, "type").ok_or("type: missing field")?;
    let mut v = Map::new();
    v.insert("type".into(), json!(ty));
    if let Some(eid) = field(f, "eid") {
        v.insert("id".into(), json!(eid));
    }
    let copy = |v: &mut Map<String, Value>, names: &[&str]| {
        for n in names {
            if let Some(x) = field(f, n) {
                v.insert((*n).into(), json!(x));
            }
        }
    };
    match ty {
        "speech" => {
            copy(&mut v, &["speaker"]);
            // Text as typed; the engine reports it missing if empty.
            if let Some(t) = f.get("text").filter(|t| !t.trim().is_empty()) {
                v.insert("text".into(), json!(t));
            }
        }
        "message" => {
            v.insert(
                "direction".into(),
                json!(field(f, "direction").unwrap_or("in")),
            );
            if let Some(t) = f.get("text").filter(|t| !t.trim().is_empty()) {
                v.insert("text".into(), json!(t));
            }
        }
        "screen_share_request" => copy(&mut v, &["initiator", "app"]),
        "app_install" => copy(&mut v, &["app", "source", "url"]),
        "app_foreground" => copy(&mut v, &["app", "category"]),
        "otp_received" => copy(&mut v, &["sender", "text"]),
        "link_opened" => copy(&mut v, &["url"]),
        "payment" => {
            if let Some(a) = field(f, "amount") {
                let n: f64 = a
                    .parse()
                    .map_err(|_| format!("amount: expected a number, found {a:?}"))?;
                v.insert("amount".into(), json!(n));
            }
            copy(&mut v, &["currency"]);
            let payee = if f.contains_key("new_payee") {
                "new"
            } else {
                "known"
            };
            v.insert("payee".into(), json!(payee));
        }
        _ => {}
    }
    Event::from_value(&Value::Object(v)).map_err(|e| e.to_string())
}

/// `POST /simulator/{id}/next`: plays the script's next event, or all the rest with `all`.
pub async fn next(State(state): State<AppState>, p: Playable) -> Result<Response, PageError> {
    let Playable { id, fields, sims } = p;
    let all = fields.contains_key("all");
    // The step the page showed: a second click on the same page plays nothing more.
    let expected: Option<usize> = field(&fields, "at").and_then(|s| s.parse().ok());
    for _ in 0..MAX_PLAY {
        let Some(sim) = sims.get(&id) else {
            return Err(not_simulated(&id));
        };
        if expected.is_some_and(|e| !all && e != sim.next) {
            break;
        }
        let Some(ev) = sim.script.get(sim.next) else {
            break;
        };
        let mut ev = ev.clone();
        if ev.id.is_none() {
            ev.id = Some(format!("script-{}", sim.next));
        }
        sessions::apply(&state, id.clone(), ev).await?;
        sims.advance(&id, sim.next);
        if !all {
            break;
        }
    }
    Ok(Redirect::to(&format!("/simulator/{id}")).into_response())
}

/// The session's status when it is no longer open (its call ended, or it expired), from its
/// stored engine state.
async fn finished(state: &AppState, id: &str) -> Result<Option<&'static str>, PageError> {
    let Some(rec) = state.store().session(id).await? else {
        return Ok(None);
    };
    let session: Option<CallSession> = serde_json::from_str(&rec.state).ok();
    let status = view::session_status(
        &rec.channel,
        session.as_ref(),
        rec.closed,
        rec.expires,
        now_ms(),
    );
    Ok((status != "open").then_some(status))
}

fn finished_message(status: &str) -> String {
    if status == "ended" {
        "The call has ended, so nothing more can happen in it; start a new call.".to_string()
    } else {
        "This call has expired; start a new one.".to_string()
    }
}

fn not_simulated(id: &str) -> PageError {
    let msg = if id.len() > MAX_ID {
        "No simulated call with this id.".to_string()
    } else {
        format!(
            "No simulated call with this id on this server (simulated calls are remembered until \
             a restart, and only calls started in the simulator can be stepped). Its stored \
             timeline, if any, is at /sessions/{id}."
        )
    };
    PageError::new(StatusCode::NOT_FOUND, msg)
}

// ------------------------------------------------------------------------------------------
// The page

/// `GET /simulator/{id}`.
pub async fn page(
    State(state): State<AppState>,
    Extension(sims): Extension<Simulations>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    render(&state, &sims, &id, None).await
}

/// What has happened in the call so far, read from the stored events as the engine's own
/// typed events.
#[derive(Debug, Default)]
struct Happened {
    display_name: Option<String>,
    call_offered: bool,
    call_ended: bool,
    connected: bool,
    remote_control: bool,
    /// The passcode SMS's sender, and its text when the server kept it.
    otp: Option<(Option<String>, Option<String>)>,
    payment: Option<Money>,
    install: Option<String>,
    last_speech: Option<String>,
    last_message: Option<String>,
}

fn happened(events: &[EventRecord]) -> Happened {
    let mut h = Happened::default();
    for e in events {
        if let Some(o) = records::stored_opening(&e.payload) {
            h.display_name = o.from.display_name;
            continue;
        }
        let Some((ev, kept)) = records::stored_event(&e.payload) else {
            continue;
        };
        let text = |t: &str| (kept && !t.is_empty()).then(|| t.to_string());
        match &ev.kind {
            EventKind::CallOffer => h.call_offered = true,
            EventKind::CallEnded => h.call_ended = true,
            EventKind::RemoteControlRequest => h.remote_control = true,
            EventKind::OtpReceived { sender, text: t } => {
                h.otp = Some((sender.clone(), t.as_deref().and_then(text)))
            }
            EventKind::Payment {
                amount, currency, ..
            } => {
                h.payment = Some(Money {
                    value: *amount,
                    currency: currency.clone(),
                })
            }
            EventKind::AppInstall { app, .. } => h.install = Some(app.clone()),
            EventKind::Speech {
                speaker: Speaker::Remote,
                text: t,
            } => h.last_speech = text(t),
            EventKind::Message {
                direction: Direction::In,
                text: t,
            } => h.last_message = text(t),
            _ => {}
        }
        if !matches!(ev.kind, EventKind::CallOffer | EventKind::CallEnded) {
            h.connected = true;
        }
    }
    h
}

async fn render(
    state: &AppState,
    sims: &Simulations,
    id: &str,
    error: Option<(StatusCode, String)>,
) -> Result<Response, PageError> {
    let Some(sim) = (id.len() <= MAX_ID).then(|| sims.get(id)).flatten() else {
        return Err(not_simulated(id));
    };
    let store = state.store();
    let rec = store
        .session(id)
        .await?
        .ok_or_else(|| PageError::not_found("session"))?;
    let events = store.events(id).await?;
    let now = now_ms();
    let session: Option<CallSession> = serde_json::from_str(&rec.state).ok();
    let status = view::session_status(&rec.channel, session.as_ref(), rec.closed, rec.expires, now);
    let finished = status != "open";
    let locale = Locale::parse(&rec.locale).unwrap_or_default();
    let verdicts: Vec<Option<Verdict>> = events
        .iter()
        .map(|e| serde_json::from_str::<Verdict>(&e.verdict).ok())
        .collect();
    let verdict =
        verdicts.last().cloned().flatten().ok_or_else(|| {
            crate::ApiError::Internal(format!("session {id}: no readable verdict"))
        })?;
    let h = happened(&events);
    let retain = state.config().retain_text;
    let next_seq = events.last().map_or(1, |e| e.seq + 1);
    let engine = state.engine();
    let view = PhoneView {
        channel: &rec.channel,
        locale,
        handle: &sim.handle,
        verdict: &verdict,
        happened: &h,
        sharing: session.as_ref().is_some_and(|s| s.state.sharing),
        retain,
        catalog: engine.catalog(),
    };
    let (status_code, error) = match error {
        Some((code, e)) => (code, Some(e)),
        None => (StatusCode::OK, None),
    };
    let body = html! {
        h1 { "Simulated call 模拟来电 "
            @if let Some(t) = &sim.title { span.muted { "· " (t) } } }
        p.muted {
            "Session " a.mono href={ "/sessions/" (id) } data-testid="session-link" { (id) }
            " · " (rec.channel) " · " (rec.locale) " · " span data-testid="status" { (view::badge(status)) }
            " · " a href="/simulator" { "new call" }
        }
        @if let Some(e) = &error { p.error data-testid="error" { (e) } }
        @if status == "ended" {
            p.notice data-testid="finished" { "The call has ended: nothing more can happen in it. Start a new one from the " a href="/simulator" { "simulator" } "." }
        } @else if finished {
            p.notice data-testid="finished" { "This call has expired; start a new one from the " a href="/simulator" { "simulator" } "." }
        }
        div.sim {
            div { (phone(&view)) }
            div.steps {
                @if !sim.script.is_empty() { (script_panel(id, &sim, retain, finished)) }
                @if !finished { (step_forms(id, next_seq, &rec.channel, locale)) }
            }
            div.analyst data-testid="analyst" {
                h2 { "Analyst view 分析" }
                (view::verdict_detail(&verdict))
                (super::bank::would_be_told(state, &rec, &events))
                h3 { "Events 事件" }
                ul.plain.events data-testid="events" {
                    @for (i, e) in events.iter().enumerate() {
                        li data-seq=(e.seq) data-type=(e.kind) {
                            strong { "#" (e.seq) " " code { (e.kind) } }
                            @if let Some(v) = &verdicts[i] {
                                (view::changes(i.checked_sub(1).and_then(|p| verdicts[p].as_ref()), v))
                            }
                        }
                    }
                }
                p { a href={ "/sessions/" (id) } { "Full timeline →" } }
            }
        }
    };
    Ok((
        status_code,
        view::page(
            shell(state, "Simulated call", view::Section::Simulator),
            body,
        ),
    )
        .into_response())
}

fn script_panel(id: &str, sim: &Simulation, retain: bool, finished: bool) -> Markup {
    let total = sim.script.len();
    html! {
        fieldset data-testid="script" {
            legend { "Script 剧本 · step " (sim.next.min(total)) " of " (total) }
            @if let Some(ev) = sim.script.get(sim.next).filter(|_| !finished) {
                p { "Next: " (describe(ev, retain)) }
                div.row {
                    form.inline method="post" action={ "/simulator/" (id) "/next" } {
                        input type="hidden" name="at" value=(sim.next);
                        button.primary type="submit" data-testid="next-step" { (icon(Icon::Play)) " Next step" }
                    }
                    form.inline method="post" action={ "/simulator/" (id) "/next" } {
                        input type="hidden" name="all" value="1";
                        button type="submit" data-testid="play-all" { (icon(Icon::SkipToEnd)) " Play to the end" }
                    }
                }
            } @else if sim.next < total {
                p.muted { "The call is over before the script's end." }
            } @else {
                p.muted { "The script has been played to the end." }
            }
        }
    }
}

/// A script event in a few words; text only when the server retains text.
fn describe(e: &Event, retain: bool) -> Markup {
    let text = |t: &str| {
        html! {
            @if retain { " “" (view::untrusted(&view::shorten(t, 60))) "”" }
            @else { span.muted { " (" (t.chars().count()) " characters; text is shown only with retention on)" } }
        }
    };
    html! {
        code { (e.kind.type_name()) }
        @match &e.kind {
            EventKind::Speech { speaker, text: t } => { " by the " (if matches!(speaker, Speaker::Remote) { "caller" } else { "user" }) (text(t)) }
            EventKind::Message { text: t, .. } => { (text(t)) }
            EventKind::ScreenShareRequest { app: Some(a), .. } => { " via " (view::untrusted(a)) }
            EventKind::AppInstall { app, .. } | EventKind::AppForeground { app, .. } => { " " (view::untrusted(app)) }
            EventKind::OtpReceived { sender: Some(s), .. } => { " from " (view::untrusted(s)) }
            EventKind::Payment { amount, currency, .. } => { " " (amount) " " (currency.as_deref().unwrap_or("")) }
            EventKind::LinkOpened { url } => { " " (view::untrusted(url)) }
            _ => {}
        }
    }
}

fn step_forms(id: &str, next_seq: i64, channel: &str, locale: Locale) -> Markup {
    let action = format!("/simulator/{id}/events");
    let d = i18n::steps(locale);
    let hidden = |ty: &str| {
        html! {
            input type="hidden" name="type" value=(ty);
            input type="hidden" name="eid" value={ "console-" (next_seq) "-" (ty) };
        }
    };
    let button = |ty: &str, caption: &str| {
        html! { button type="submit" data-testid={ "step-" (ty) } { (caption) } }
    };
    let call = channel != "message";
    html! {
        h2 { "Steps 步骤" }
        @if call {
            fieldset {
                legend { "Speak 说话" }
                form method="post" action=(action) {
                    (hidden("speech"))
                    div.row {
                        select name="speaker" { option value="remote" { "caller says" } option value="local" { "user says" } }
                        input type="text" name="text" placeholder=(d.speech) maxlength="65536";
                        (button("speech", "Speak"))
                    }
                }
            }
            fieldset {
                legend { "Screen 屏幕" }
                div.row {
                    form.inline method="post" action=(action) {
                        (hidden("screen_share_request"))
                        input type="hidden" name="initiator" value="remote";
                        input type="hidden" name="app" value="facetime";
                        (button("screen_share_request", "Caller asks to share screen"))
                    }
                    form.inline method="post" action=(action) {
                        (hidden("screen_share_started")) (button("screen_share_started", "Start sharing"))
                    }
                    form.inline method="post" action=(action) {
                        (hidden("screen_share_ended")) (button("screen_share_ended", "Stop sharing"))
                    }
                    form.inline method="post" action=(action) {
                        (hidden("remote_control_request")) (button("remote_control_request", "Remote control"))
                    }
                }
            }
        }
        fieldset {
            legend { "Install an app 安装软件" }
            form method="post" action=(action) {
                (hidden("app_install"))
                div.row {
                    input type="text" name="app" value="AnyDesk" maxlength="1024";
                    select name="source" { option value="link" { "from a link" } option value="file" { "from a file" } option value="store" { "from the app store" } }
                    input type="text" name="url" placeholder="download URL (optional)" maxlength="8192";
                    (button("app_install", "Install"))
                }
            }
        }
        fieldset {
            legend { "Passcode SMS 验证码" }
            form method="post" action=(action) {
                (hidden("otp_received"))
                div.row {
                    input type="text" name="sender" value=(d.otp_sender) size="8" maxlength="1024";
                    input type="text" name="text" value=(d.otp_text) maxlength="65536";
                    (button("otp_received", "OTP arrives"))
                }
            }
        }
        fieldset {
            legend { "Apps and money 银行与付款" }
            form method="post" action=(action) {
                (hidden("app_foreground"))
                div.row {
                    input type="text" name="app" value=(d.bank_app) maxlength="1024";
                    select name="category" { option value="banking" { "banking" } option value="payment" { "payment" } option value="other" { "other" } }
                    (button("app_foreground", "Open the app"))
                }
            }
            form method="post" action=(action) {
                (hidden("payment"))
                div.row {
                    input.amount type="number" name="amount" value=(d.amount) min="0" step="any";
                    input type="text" name="currency" value=(d.currency) size="4" maxlength="16";
                    label.check { input type="checkbox" name="new_payee" checked; "new payee 新收款人" }
                    (button("payment", "Pay"))
                }
            }
        }
        fieldset {
            legend { "Messages and links 信息与链接" }
            form method="post" action=(action) {
                (hidden("message"))
                div.row {
                    input type="text" name="text" placeholder=(d.message) maxlength="65536";
                    (button("message", "Receive a message"))
                }
            }
            form method="post" action=(action) {
                (hidden("link_opened"))
                div.row {
                    input type="text" name="url" placeholder=(d.link) maxlength="8192";
                    (button("link_opened", "Open a link"))
                }
            }
        }
        @if call {
            form method="post" action=(action) {
                (hidden("call_ended"))
                button.danger type="submit" data-testid="step-call_ended" { "End call 挂断" }
            }
        }
    }
}

/// Everything the phone mock-up shows.
struct PhoneView<'a> {
    channel: &'a str,
    locale: Locale,
    handle: &'a str,
    verdict: &'a Verdict,
    happened: &'a Happened,
    sharing: bool,
    retain: bool,
    catalog: &'a scamguard_core::explain::Catalog,
}

/// The user's phone after the last step: the caller as labelled, the banner (the verdict's
/// headline, then its explanation), what each directive visibly did, and the official
/// call-back button. Every indicator is text or inline SVG: no glyph a platform may lack.
fn phone(v: &PhoneView<'_>) -> Markup {
    let t = i18n::phone(v.locale);
    let d = &v.verdict.directives;
    let h = v.happened;
    let has = |code: &str| v.verdict.has_directive(code);
    let label = d.iter().find_map(|x| match x {
        Directive::LabelCaller { label, verified } => Some((label.as_str(), *verified)),
        _ => None,
    });
    let callback = d.iter().find_map(|x| match x {
        Directive::OfferOfficialCallback { number, domain, .. } => {
            Some((number.clone(), domain.clone()))
        }
        _ => None,
    });
    let hold = d.iter().find_map(|x| match x {
        Directive::HoldPayment { minutes } => Some(*minutes),
        _ => None,
    });
    let amount = h.payment.as_ref().map(|m| v.catalog.amount(v.locale, m));
    let shown = h
        .display_name
        .as_deref()
        .map(scamguard_core::text::display_form)
        .filter(|s| !s.is_empty());
    let initial = shown
        .as_deref()
        .and_then(|s| s.chars().next())
        .map(String::from)
        .unwrap_or_else(|| "?".into());
    let app_title = match v.channel {
        "audio_call" => t.audio_call,
        "message" => t.message,
        _ => t.video_call,
    };
    let call_state = if v.channel == "message" {
        None
    } else if h.call_ended {
        Some(t.ended)
    } else if h.connected {
        Some(t.connected)
    } else if h.call_offered {
        Some(t.ringing)
    } else {
        None
    };
    let action = v.verdict.action;
    html! {
        div.phone data-testid="phone" lang=(v.locale.as_str()) data-action=(action.as_str()) {
            div.statusbar { span { "9:41" } span.indicators { "5G " (icon(Icon::Signal)) " " (icon(Icon::Battery)) } }
            div.app { (app_title) }
            div.caller {
                div.avatar aria-hidden="true" { (initial) }
                @if let Some((text, verified)) = label {
                    div class={ "label " (if verified { "verified" } else { "unverified" }) }
                        data-testid="caller-label" data-verified=(verified) {
                        (icon(if verified { Icon::Check } else { Icon::Warning })) " " bdi { (view::clean(text)) }
                    }
                    @if let Some(s) = &shown { div.shown-name { bdi.untrusted { (s) } } }
                } @else {
                    div.name data-testid="caller-name" {
                        @if let Some(s) = &shown { bdi.untrusted { (s) } } @else { (t.unknown_caller) }
                    }
                }
                div.handle { (view::as_user_sees(v.handle)) }
                @if let Some(cs) = call_state { div.callstate data-testid="call-state" { (cs) } }
            }
            @if action != Action::Allow {
                div class={ "banner " (action.as_str()) } data-testid="banner" data-action=(action.as_str()) role="alert" {
                    strong data-testid="banner-headline" {
                        (icon(if action == Action::Block { Icon::Stop } else { Icon::Warning })) " "
                        (view::clean(&v.verdict.headline))
                    }
                    p data-testid="banner-explanation" { (view::clean(&v.verdict.explanation)) }
                }
            }
            div.effects data-testid="effects" {
                @if has("deny_screen_share") {
                    div.effect.stop data-directive="deny_screen_share" { (icon(Icon::Stop)) " " (t.share_denied) }
                    @if h.remote_control { div.effect.stop data-effect="remote_denied" { (icon(Icon::Stop)) " " (t.remote_denied) } }
                } @else if v.sharing {
                    div.effect.risk data-effect="sharing" { (icon(Icon::Live)) " " (t.sharing) }
                }
                @if has("hide_otp") {
                    div.effect.stop data-directive="hide_otp" { (icon(Icon::Stop)) " " (t.otp_hidden) }
                }
                @if has("block_install") {
                    div.effect.stop data-directive="block_install" {
                        (icon(Icon::Stop)) " " (t.install_blocked)
                        @if let Some(app) = &h.install { " · " (view::untrusted(app)) }
                    }
                } @else if let Some(app) = &h.install {
                    div.effect.info data-effect="installed" { (t.installed) " · " (view::untrusted(app)) }
                }
                @if let Some(m) = hold {
                    div.effect.stop data-directive="hold_payment" data-minutes=(m) {
                        (icon(Icon::Stop)) " " (t.payment_held(m))
                        @if let Some(a) = &amount { " · " (a) }
                    }
                } @else if let Some(a) = &amount {
                    div.effect.info data-effect="payment_sent" { (t.payment_sent) " · " (a) }
                }
                @if has("disable_links") {
                    div.effect.stop data-directive="disable_links" { (icon(Icon::Stop)) " " (t.links_disabled) }
                }
            }
            @if let Some((number, domain)) = &callback {
                @if let Some(n) = number {
                    a.callback data-testid="callback" data-number=(n) href={ "tel:" (n) } { (icon(Icon::Phone)) " " (t.callback_number(n)) }
                } @else if let Some(dm) = domain {
                    span.callback data-testid="callback" data-domain=(dm) { (icon(Icon::Link)) " " (t.callback_site(dm)) }
                }
            }
            @if let Some((sender, text)) = &h.otp {
                div.notification data-testid="otp" data-hidden=(has("hide_otp")) {
                    div.title { (icon(Icon::Mail)) " " (t.otp_sms) @if let Some(s) = sender { " · " (view::untrusted(s)) } }
                    @if has("hide_otp") {
                        div { span.otp { "••••••" } " " (t.otp_hidden) }
                    } @else if let (true, Some(text)) = (v.retain, text) {
                        div { (view::untrusted(text)) }
                    } @else {
                        div.muted { "(text not retained)" }
                    }
                }
            }
            @if v.retain {
                @if let Some(m) = &h.last_message {
                    div.notification {
                        div.title { (icon(Icon::Chat)) " " (t.new_message) }
                        div { (view::untrusted(m)) }
                    }
                }
                @if let Some(s) = &h.last_speech {
                    div.notification data-testid="caption" { (icon(Icon::Speech)) " " (view::untrusted(s)) }
                }
            }
            @if v.channel != "message" {
                div.controls aria-hidden="true" {
                    span { (t.mute) }
                    span.denied[has("deny_screen_share")] { (t.share) }
                    span.hangup { (t.hang_up) }
                }
            }
        }
    }
}
