//! API keys: how they look, how they are stored, and the middleware that checks them.
//!
//! A key is `sg_` followed by 32 random bytes in URL-safe base64. It is shown once, when
//! created; the store keeps its SHA-256 and its first [`PREFIX_LEN`] characters, which find
//! the record without scanning. Requests carry it as `Authorization: Bearer KEY`.
//!
//! Looked-up keys are cached for `key_cache_ttl` so a request costs no database read; that
//! is also how long a key revoked by `scamguard keys revoke` (another process) keeps working.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use scamguard_store::{ApiKeyRecord, Scope, Store};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What every key starts with, so that leaked keys are easy to recognise.
pub const KEY_TAG: &str = "sg_";
/// Characters of a key stored in clear for lookup (the tag and 8 random characters).
pub const PREFIX_LEN: usize = 11;
/// Most cached lookups before the cache is emptied (bounds memory under random keys).
const CACHE_MAX: usize = 10_000;

/// A key just created: the secret, to show once, and the record to store.
#[derive(Debug)]
pub struct NewKey {
    /// The key itself. Never stored.
    pub key: String,
    /// What the store keeps.
    pub record: ApiKeyRecord,
}

/// Creates a random key with `scopes`.
pub fn generate_key(scopes: Vec<Scope>, label: Option<String>, now: i64) -> NewKey {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS has randomness");
    let key = format!(
        "{KEY_TAG}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let mut id = [0u8; 4];
    getrandom::fill(&mut id).expect("the OS has randomness");
    let record = ApiKeyRecord {
        id: format!("k{}", hex::encode(id)),
        prefix: key[..PREFIX_LEN].to_string(),
        hash: hash_key(&key),
        scopes,
        label,
        created: now,
        revoked: None,
    };
    NewKey { key, record }
}

/// The stored form of a key: SHA-256, hex.
pub fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// Who is calling: the key's id and scopes, put in request extensions by the middleware.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The key's id (never the key).
    pub key_id: Arc<str>,
    /// Its scopes.
    pub scopes: Arc<[Scope]>,
}

impl Caller {
    /// Whether the key may use an endpoint that needs `needed`.
    pub fn allows(&self, needed: Scope) -> bool {
        self.scopes.iter().any(|s| s.allows(needed))
    }
}

/// Recently looked-up keys, by hash.
#[derive(Debug)]
pub struct KeyCache {
    ttl: Duration,
    map: Mutex<HashMap<String, (Instant, Option<Caller>)>>,
}

impl KeyCache {
    /// An empty cache whose entries live for `ttl`.
    pub fn new(ttl: Duration) -> KeyCache {
        KeyCache {
            ttl,
            map: Mutex::new(HashMap::new()),
        }
    }

    /// Finds the caller for `key`, asking the store when the cache has no fresh answer.
    pub async fn authenticate(&self, store: &dyn Store, key: &str) -> Result<Caller, ApiError> {
        if !key.starts_with(KEY_TAG) || key.len() < PREFIX_LEN || key.len() > 128 {
            return Err(ApiError::InvalidKey);
        }
        let hash = hash_key(key);
        if let Some((at, caller)) = self.lock().get(&hash) {
            if at.elapsed() < self.ttl {
                return caller.clone().ok_or(ApiError::InvalidKey);
            }
        }
        let found = store
            .keys_by_prefix(&key[..PREFIX_LEN])
            .await?
            .into_iter()
            .find(|r| r.revoked.is_none() && constant_time_eq(&r.hash, &hash))
            .map(|r| Caller {
                key_id: r.id.into(),
                scopes: r.scopes.into(),
            });
        let mut map = self.lock();
        if map.len() >= CACHE_MAX {
            map.clear();
        }
        map.insert(hash, (Instant::now(), found.clone()));
        found.ok_or(ApiError::InvalidKey)
    }

    /// Forgets every cached answer (after a key is revoked through this process).
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, Option<Caller>)>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Middleware for a group of endpoints that needs `needed`: a known, unrevoked key with
/// that scope (admin keys have every scope), within its rate limit.
pub async fn require(
    State((state, needed)): State<(AppState, Scope)>,
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    authorize(state, req, next, needed).await
}

async fn authorize(
    state: AppState,
    mut req: Request,
    next: Next,
    needed: Scope,
) -> Result<Response, ApiError> {
    let key = bearer(&req)?;
    let caller = state.keys().authenticate(state.store(), key).await?;
    if !caller.allows(needed) {
        return Err(ApiError::Forbidden {
            needed: needed.as_str(),
        });
    }
    if let Some(limiter) = state.limiter() {
        limiter.check(state.store(), &caller.key_id).await?;
    }
    req.extensions_mut().insert(caller);
    Ok(next.run(req).await)
}

fn bearer(req: &Request) -> Result<&str, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::MissingKey)?
        .to_str()
        .map_err(|_| ApiError::InvalidKey)?;
    let (scheme, key) = value.split_once(' ').ok_or(ApiError::InvalidKey)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::MissingKey);
    }
    Ok(key.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_look_right_and_hash_stably() {
        let k = generate_key(vec![Scope::Scan], None, 0);
        assert!(k.key.starts_with("sg_"));
        assert_eq!(k.key.len(), 3 + 43);
        assert_eq!(k.record.prefix, &k.key[..PREFIX_LEN]);
        assert_eq!(k.record.hash, hash_key(&k.key));
        assert_ne!(k.record.hash, hash_key(&generate_key(vec![], None, 0).key));
        assert!(constant_time_eq("abc", "abc") && !constant_time_eq("abc", "abd"));
    }
}
