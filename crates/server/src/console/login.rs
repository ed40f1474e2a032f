//! The console's login, when `console_login` is on: a form that takes an admin API key and
//! starts a login held by the server ([`super::logins`]): the browser gets an HttpOnly,
//! SameSite=Strict cookie with a random id, never the key. Failed logins are throttled per
//! client address ([`super::throttle`]).

use super::throttle::LoginThrottle;
use super::{logins, view, PageError};
use crate::state::AppState;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{html, Markup};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Instant;

/// Percent-encodes `s` for a query string.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Where to go after logging in: one of the console's own pages, else `/`.
///
/// Checking that the target "starts with one slash" is not enough: browsers drop tabs and
/// line breaks from URLs and read a backslash as a slash, so `/\t/evil.example` leads to
/// another site, and a control character cannot even go into a `Location` header. So the
/// target must be the path of a page in [`super::PAGES`], with ids and an optional query
/// written only in characters that need no escaping.
fn safe_next(next: Option<&String>) -> String {
    match next {
        Some(n) if is_page_link(n) => n.clone(),
        _ => "/".to_string(),
    }
}

/// Whether `target` is `PATH[?QUERY]` where PATH fills one of the console's page templates.
fn is_page_link(target: &str) -> bool {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    query
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~=&".contains(&b))
        && super::PAGES.iter().any(|t| fills(t, path))
}

/// Whether `path` is `template` with each `{param}` replaced by one plain segment.
fn fills(template: &str, path: &str) -> bool {
    let plain = |seg: &str| {
        !seg.is_empty()
            && seg != "."
            && seg != ".."
            && seg
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    };
    let (mut t, mut p) = (template.split('/'), path.split('/'));
    loop {
        match (t.next(), p.next()) {
            (None, None) => return true,
            (Some(ts), Some(ps)) if ts.starts_with('{') => {
                if !plain(ps) {
                    return false;
                }
            }
            (Some(ts), Some(ps)) if ts == ps => {}
            _ => return false,
        }
    }
}

fn login_page(next: &str, error: Option<&str>, key_command: &str) -> Markup {
    view::page(
        view::Shell {
            title: "Log in",
            section: view::Section::Login,
            refresh: None,
            logout: false,
        },
        html! {
            h1 { "Console login 登录" }
            p { "The console needs an API key with the " code { "admin" } " scope. Create one with "
                code { (key_command) } "." }
            @if let Some(e) = error { p.error data-testid="error" { (e) } }
            form.card method="post" action="/login" {
                input type="hidden" name="next" value=(next);
                label { "Admin key " input type="password" name="key" autocomplete="current-password" required size="50"; }
                button.primary type="submit" { "Log in" }
            }
        },
    )
}

/// `GET /login`.
pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let next = safe_next(q.get("next"));
    if !state.config().console_login || logins::logged_in(&state, &headers).await? {
        return Ok(Redirect::to(&next).into_response());
    }
    let page = login_page(&next, None, &state.config().admin_key_command);
    Ok(page.into_response())
}

/// `POST /login`: checks the key; on success starts a login and goes on.
pub async fn submit(
    State(state): State<AppState>,
    Extension(throttle): Extension<LoginThrottle>,
    client: Option<Extension<ConnectInfo<SocketAddr>>>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let next = safe_next(f.get("next"));
    let addr = client.map(|Extension(ConnectInfo(a))| a.ip());
    if let Some(wait) = throttle.wait(addr, Instant::now()) {
        let secs = wait.as_secs().max(1);
        let page = login_page(
            &next,
            Some(&format!(
                "Too many failed logins from your address. Try again in {secs} s."
            )),
            &state.config().admin_key_command,
        );
        return Ok((
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, secs.to_string())],
            page,
        )
            .into_response());
    }
    let refused = |msg: &str| {
        throttle.failed(addr, Instant::now());
        let page = login_page(&next, Some(msg), &state.config().admin_key_command);
        Ok((StatusCode::UNAUTHORIZED, page).into_response())
    };
    let key = f.get("key").map(|k| k.trim()).unwrap_or("");
    if key.is_empty() {
        return refused("Enter an admin key.");
    }
    let caller = match state.keys().authenticate(state.store(), key).await {
        Ok(c) => c,
        Err(crate::error::ApiError::InvalidKey | crate::error::ApiError::MissingKey) => {
            return refused("This key is unknown or revoked.")
        }
        Err(e) => return Err(e.into()),
    };
    if !caller.allows(scamguard_store::Scope::Admin) {
        return refused("This key lacks the admin scope.");
    }
    let cookie = logins::begin(&state, &caller.key_id).await?;
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response())
}

/// `POST /logout`: ends the login, so that its cookie no longer opens anything.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let cookie = logins::end(&state, &headers).await?;
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(n: &str) -> String {
        safe_next(Some(&n.to_string()))
    }

    #[test]
    fn only_the_consoles_pages_are_places_to_go_back_to() {
        for ok in [
            "/",
            "/?refresh=off",
            "/simulator",
            "/simulator/ses_0193ab",
            "/sessions/ses_0193ab",
            "/sessions/ses_01?x=1&y=2",
        ] {
            assert_eq!(next(ok), ok, "{ok:?} is a console page");
        }
        for bad in [
            "/\t/evil.example/x",
            "/\n",
            "/\r\n",
            "/\0",
            "/\u{7f}",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "http:/evil.example",
            "evil.example",
            "/ /evil.example",
            "/sessions/",
            "/sessions/..",
            "/sessions/a/b",
            "/sessions/%2F%2Fevil",
            "/simulator/x?next=//evil\n",
            "/metrics",
            "/login",
            "",
            "/\u{202e}",
        ] {
            assert_eq!(next(bad), "/", "{bad:?} is refused");
        }
        assert_eq!(safe_next(None), "/");
    }
}
