//! Console logins held by the server: the cookie carries a random id, the store keeps its
//! SHA-256 with the admin key that logged in and an expiry (`scamguard_store::console`).
//!
//! So the cookie is worth nothing once the login ends: a logout deletes the record, a
//! revoked key ends its logins, and after [`LOGIN_SECS`] the record has expired. The admin
//! key itself never leaves the login form.

use crate::error::ApiError;
use crate::state::AppState;
use axum::http::{header, HeaderMap};
use base64::Engine as _;
use scamguard_store::{now_ms, ConsoleLogin, Scope};
use sha2::{Digest, Sha256};

/// The cookie that carries a login's random id.
pub const COOKIE: &str = "scamguard_console";

/// How long a login lasts, in seconds.
pub const LOGIN_SECS: i64 = 12 * 3600;

/// The login id in the request's console cookie, if any.
fn cookie_id(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

/// How a login id is stored.
fn id_hash(id: &str) -> String {
    hex::encode(Sha256::digest(id.as_bytes()))
}

/// The `Set-Cookie` value for `value`, kept for `max_age` seconds; `Secure` when people
/// reach the console over TLS.
fn cookie(state: &AppState, value: &str, max_age: i64) -> String {
    let secure = if state
        .config()
        .public_url
        .as_ref()
        .is_some_and(|u| u.https())
    {
        "; Secure"
    } else {
        ""
    };
    format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// Starts a login for the admin key `key_id`; returns the `Set-Cookie` value that holds it.
pub async fn begin(state: &AppState, key_id: &str) -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("no randomness: {e}")))?;
    let id = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let now = now_ms();
    state
        .store()
        .console_login_insert(&ConsoleLogin {
            id_hash: id_hash(&id),
            key_id: key_id.to_string(),
            created: now,
            expires: now + LOGIN_SECS * 1000,
        })
        .await?;
    Ok(cookie(state, &id, LOGIN_SECS))
}

/// Whether the request's cookie belongs to a live login by an unrevoked admin key.
pub async fn logged_in(state: &AppState, headers: &HeaderMap) -> Result<bool, ApiError> {
    let Some(id) = cookie_id(headers) else {
        return Ok(false);
    };
    let caller = state.store().console_login(&id_hash(id), now_ms()).await?;
    Ok(caller.is_some_and(|c| c.scopes.iter().any(|s| s.allows(Scope::Admin))))
}

/// The admin key id behind the request's live login, if any: who made a change from the
/// console.
pub async fn key_id(state: &AppState, headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(id) = cookie_id(headers) else {
        return Ok(None);
    };
    let caller = state.store().console_login(&id_hash(id), now_ms()).await?;
    Ok(caller.map(|c| c.key_id))
}

/// Ends the request's login, if any; returns the `Set-Cookie` value that clears the cookie.
pub async fn end(state: &AppState, headers: &HeaderMap) -> Result<String, ApiError> {
    if let Some(id) = cookie_id(headers) {
        state.store().console_logout(&id_hash(id)).await?;
    }
    Ok(cookie(state, "", 0))
}
