//! Signed risk assertions: what a bank is told, at the moment of a transfer, about a call its
//! customer is on.
//!
//! The bank knows its customer's number; the operator knows whether a call to that number is
//! a scam in progress. A risk assertion carries that knowledge across with proof: an ES256 JWT
//! signed with the operator's key, which the bank verifies offline against the operator's
//! published keys (a JWK set, see [`JwkSet`]).
//!
//! ```text
//! header  {"alg": "ES256", "typ": "scamguard-risk+jwt", "kid": THUMBPRINT}
//! claims  {"iss": OPERATOR, "aud": BANK_KEY_ID, "iat": T, "exp": T + ≤300, "jti": RANDOM,
//!          "sub": KEYED_HASH_OF_THE_USER, "risk": {...}}
//! ```
//!
//! The `risk` object ([`Risk`]) is computed by [`assess`], a pure function of a session's
//! state and the times the server knows; it holds codes, numbers and flags only, never the
//! caller's handle, display name or any text. An assertion is made also when nothing is
//! active ([`Risk::none`]), so that the existence of an answer says nothing.
//!
//! Keys: [`SigningKey`] signs; [`KeyRing`] decides, from the keys an operator holds and when
//! each was made, which one signs and which public keys stay published (a retired key stays
//! until the last assertion it signed has expired).

mod keys;
mod risk;

pub use keys::{Jwk, JwkSet, KeyRing, SigningKey};
pub use risk::{assess, CallClock, Risk};

use serde::{Deserialize, Serialize};

/// The `typ` header of a risk assertion (explicit typing, RFC 8725 §3.11), so that no other
/// token signed with the same key can pass for one.
pub const TYP: &str = "scamguard-risk+jwt";

/// The longest an assertion may live, in seconds: a bank asks at the moment of a transfer.
pub const MAX_TTL_SECS: i64 = 300;

/// Clock skew tolerated when verifying, in seconds.
pub const SKEW_SECS: i64 = 5;

/// The claims of a risk assertion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskClaims {
    /// The operator that signed it.
    pub iss: String,
    /// The bank it was made for: the id of the API key that asked.
    pub aud: String,
    /// When it was signed, Unix seconds.
    pub iat: i64,
    /// When it expires, Unix seconds; at most [`MAX_TTL_SECS`] after `iat`.
    pub exp: i64,
    /// A unique id, for the bank's replay checks and the operator's audit.
    pub jti: String,
    /// A keyed hash of the user's handle, distinct per bank: never the handle.
    pub sub: String,
    /// What is going on.
    pub risk: Risk,
}

impl RiskClaims {
    /// Claims signed at `now` that live `ttl_secs` (clamped to 1..=[`MAX_TTL_SECS`]).
    pub fn new(
        iss: &str,
        aud: &str,
        sub: &str,
        jti: &str,
        now: i64,
        ttl_secs: i64,
        risk: Risk,
    ) -> RiskClaims {
        RiskClaims {
            iss: iss.to_string(),
            aud: aud.to_string(),
            iat: now,
            exp: now + ttl_secs.clamp(1, MAX_TTL_SECS),
            jti: jti.to_string(),
            sub: sub.to_string(),
            risk,
        }
    }
}

/// Why an assertion could not be made or was refused. Each variant names one check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssertionError {
    /// Not three base64url parts with JSON inside.
    #[error("the assertion is not a compact JWS: {0}")]
    Malformed(String),
    /// An algorithm other than ES256.
    #[error("algorithm {0:?} is not accepted; only ES256 is")]
    UnsupportedAlgorithm(String),
    /// `typ` is not [`TYP`].
    #[error("header typ is {0:?}, expected {TYP:?}")]
    WrongType(String),
    /// The header names no key or a key not in the set.
    #[error("key {0:?} is not among the published keys")]
    UnknownKey(String),
    /// The signature does not verify.
    #[error("the signature does not match key {0:?}")]
    BadSignature(String),
    /// The claims are missing, mistyped or inconsistent.
    #[error("the claims are invalid: {0}")]
    InvalidClaims(String),
    /// Made for another bank.
    #[error("the assertion is for audience {0:?}")]
    WrongAudience(String),
    /// Signed by another operator.
    #[error("the assertion was issued by {0:?}")]
    WrongIssuer(String),
    /// Past its `exp`.
    #[error("the assertion expired {0} s ago")]
    Expired(i64),
    /// Signed in the future (beyond clock skew).
    #[error("the assertion was signed {0} s in the future")]
    FromFuture(i64),
    /// A key could not be read or used.
    #[error("cannot use the key: {0}")]
    Key(String),
}

impl AssertionError {
    /// A stable snake_case code for the failed check.
    pub fn code(&self) -> &'static str {
        match self {
            AssertionError::Malformed(_) => "malformed",
            AssertionError::UnsupportedAlgorithm(_) => "unsupported_algorithm",
            AssertionError::WrongType(_) => "wrong_type",
            AssertionError::UnknownKey(_) => "unknown_key",
            AssertionError::BadSignature(_) => "bad_signature",
            AssertionError::InvalidClaims(_) => "invalid_claims",
            AssertionError::WrongAudience(_) => "wrong_audience",
            AssertionError::WrongIssuer(_) => "wrong_issuer",
            AssertionError::Expired(_) => "expired",
            AssertionError::FromFuture(_) => "from_future",
            AssertionError::Key(_) => "key",
        }
    }
}

/// Signs `claims` with `key`: a compact JWS with `alg` ES256, `typ` [`TYP`] and the key's id.
pub fn sign(claims: &RiskClaims, key: &SigningKey) -> Result<String, AssertionError> {
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
    header.typ = Some(TYP.into());
    header.kid = Some(key.kid().to_string());
    jsonwebtoken::encode(&header, claims, key.encoding_key())
        .map_err(|e| AssertionError::Key(e.to_string()))
}

/// What a verifier expects of an assertion.
#[derive(Debug, Clone, Copy)]
pub struct Expect<'a> {
    /// The operator's issuer name.
    pub issuer: &'a str,
    /// The bank's own key id.
    pub audience: &'a str,
    /// The current time, Unix seconds.
    pub now: i64,
}

/// Verifies `token` against the published keys and `expect`, as a bank would: ES256 only,
/// the right `typ`, a known `kid`, a valid signature, then issuer, audience and times.
pub fn verify(
    token: &str,
    keys: &JwkSet,
    expect: Expect<'_>,
) -> Result<RiskClaims, AssertionError> {
    let token = token.trim();
    let parts: Vec<&str> = token.split('.').collect();
    let [head, payload, sig] = parts[..] else {
        return Err(AssertionError::Malformed(
            "expected three parts separated by dots".into(),
        ));
    };
    let head: serde_json::Value = decode_part(head)?;
    let alg = head.get("alg").and_then(|a| a.as_str()).unwrap_or("");
    if alg != "ES256" {
        return Err(AssertionError::UnsupportedAlgorithm(alg.to_string()));
    }
    let typ = head.get("typ").and_then(|t| t.as_str()).unwrap_or("");
    if typ != TYP {
        return Err(AssertionError::WrongType(typ.to_string()));
    }
    let kid = head.get("kid").and_then(|k| k.as_str()).unwrap_or("");
    let point = keys
        .find(kid)
        .and_then(Jwk::point)
        .ok_or_else(|| AssertionError::UnknownKey(kid.to_string()))?;
    let signature = b64_decode(sig).map_err(|_| AssertionError::BadSignature(kid.to_string()))?;
    let signed = &token[..token.len() - sig.len() - 1];
    ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_FIXED, &point)
        .verify(signed.as_bytes(), &signature)
        .map_err(|_| AssertionError::BadSignature(kid.to_string()))?;
    let claims: RiskClaims = serde_json::from_value(decode_part(payload)?)
        .map_err(|e| AssertionError::InvalidClaims(e.to_string()))?;
    if claims.iss != expect.issuer {
        return Err(AssertionError::WrongIssuer(claims.iss));
    }
    if claims.aud != expect.audience {
        return Err(AssertionError::WrongAudience(claims.aud));
    }
    if claims.exp <= claims.iat || claims.exp - claims.iat > MAX_TTL_SECS {
        return Err(AssertionError::InvalidClaims(format!(
            "exp must be within {MAX_TTL_SECS} s after iat"
        )));
    }
    if claims.iat > expect.now + SKEW_SECS {
        return Err(AssertionError::FromFuture(claims.iat - expect.now));
    }
    if expect.now >= claims.exp + SKEW_SECS {
        return Err(AssertionError::Expired(expect.now - claims.exp));
    }
    Ok(claims)
}

/// Reads the claims of an assertion without verifying it: for displays (the simulator shows
/// what a bank would receive), never for decisions.
pub fn peek(token: &str) -> Result<RiskClaims, AssertionError> {
    let payload = token
        .trim()
        .split('.')
        .nth(1)
        .ok_or_else(|| AssertionError::Malformed("expected three parts".into()))?;
    serde_json::from_value(decode_part(payload)?)
        .map_err(|e| AssertionError::InvalidClaims(e.to_string()))
}

fn b64_decode(b64: &str) -> Result<Vec<u8>, base64::DecodeError> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(b64)
}

fn b64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn decode_part(b64: &str) -> Result<serde_json::Value, AssertionError> {
    let bytes =
        b64_decode(b64).map_err(|_| AssertionError::Malformed("a part is not base64url".into()))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| AssertionError::Malformed(format!("a part is not JSON: {e}")))
}

#[cfg(test)]
mod tests;
