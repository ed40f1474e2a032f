//! Signed call assertions: who is really calling, for internet calls and messages.
//!
//! Anyone can type "公安局" as a display name. An enrolled organisation instead signs each
//! outgoing call or message with a compact JWS in the PASSporT shape (RFC 8225) with the Rich
//! Call Data extension (RFC 9795):
//!
//! ```text
//! header  {"alg": "ES256", "typ": "passport", "ppt": "rcd", "kid": KEY_ID}
//! claims  {"orig": {"uri": CALLER}, "dest": {"uri": [CALLEE...]}, "iat": UNIX_SECONDS,
//!          "origid": UNIQUE_ID, "rcd": {"nam": DISPLAY_NAME, "crn": CALL_REASON?}}
//! ```
//!
//! [`sign`] makes one; [`verify`] checks it against a [`KeyDirectory`] (the registry of
//! organisations and their keys) and says exactly which check failed. Only ES256 is accepted:
//! `none`, HMAC and every other algorithm are refused before any key is looked at.

pub mod export;
mod registry;
mod replay;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use export::{open_document, sign_document, DocumentError, RegistryDocument};
pub use registry::{
    key_validity, valid_kid, FieldProblem, KeyStatus, NameLanguage, Names, OrgKey, OrgStatus,
    Organisation, Registry, RegistryError, DEFAULT_VALID_DAYS, MAX_VALID_DAYS,
};

/// Display names by language, from string slices (for tests and tools).
pub fn registry_names(zh_hans: &[&str], zh_hant: &[&str], en: &[&str]) -> Names {
    let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect();
    Names {
        zh_hans: v(zh_hans),
        zh_hant: v(zh_hant),
        en: v(en),
    }
}
pub use replay::ReplayCache;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::{Deserialize, Serialize};

/// The caller, as a URI or bare handle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Orig {
    /// `tel:+8657112345678`, `mailto:...`, or the bare handle.
    pub uri: String,
}

/// The callees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dest {
    /// One or more callee handles.
    pub uri: Vec<String>,
}

/// Rich Call Data (RFC 9795).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rcd {
    /// The display name the organisation shows.
    pub nam: String,
    /// Call reason, shown to the callee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crn: Option<String>,
}

/// The claims of a call assertion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Who calls.
    pub orig: Orig,
    /// Who is called.
    pub dest: Dest,
    /// When it was signed, Unix seconds.
    pub iat: i64,
    /// A unique id for this call, for replay detection.
    pub origid: String,
    /// The name to show.
    pub rcd: Rcd,
}

/// Why a token was refused. Each variant names one check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not three base64url parts with JSON inside.
    #[error("the token is not a compact JWS: {0}")]
    Malformed(String),
    /// An algorithm other than ES256 (including `none` and HMAC).
    #[error("algorithm {0:?} is not accepted; only ES256 is")]
    UnsupportedAlgorithm(String),
    /// `typ` is not `passport` or `ppt` is not `rcd`.
    #[error("header {field} is {found:?}, expected {expected:?}")]
    WrongHeader {
        /// The header field.
        field: &'static str,
        /// What it holds.
        found: String,
        /// What it must hold.
        expected: &'static str,
    },
    /// No `kid` in the header.
    #[error("the header names no key (kid)")]
    MissingKeyId,
    /// The key is not in the registry.
    #[error("key {0:?} is not in the registry")]
    UnknownKey(String),
    /// The key's validity period has not begun or has ended, or it was revoked.
    #[error("key {kid:?} is {status}")]
    KeyNotValid {
        /// The key id.
        kid: String,
        /// "not yet valid", "expired" or "revoked".
        status: &'static str,
    },
    /// The organisation is suspended or revoked.
    #[error("organisation {org:?} is {status}")]
    OrganisationNotActive {
        /// The organisation id.
        org: String,
        /// "suspended" or "revoked".
        status: &'static str,
    },
    /// The signature does not verify with the registered key.
    #[error("the signature does not match key {0:?}")]
    BadSignature(String),
    /// The claims are missing or mistyped.
    #[error("the claims are invalid: {0}")]
    InvalidClaims(String),
    /// Signed too long ago.
    #[error("signed {age} s ago; only {window} s are accepted")]
    Stale {
        /// Seconds since signing.
        age: i64,
        /// The freshness window.
        window: i64,
    },
    /// Signed in the future (beyond clock skew).
    #[error("signed {ahead} s in the future")]
    FromFuture {
        /// Seconds ahead.
        ahead: i64,
    },
    /// `orig` is not the handle the call came from.
    #[error("the token is for caller {token:?}, but the call comes from {actual:?}")]
    CallerMismatch {
        /// The token's caller.
        token: String,
        /// The actual caller.
        actual: String,
    },
    /// The organisation does not call from this handle.
    #[error("organisation {org:?} has not registered the handle {handle:?}")]
    HandleNotRegistered {
        /// The organisation id.
        org: String,
        /// The handle.
        handle: String,
    },
    /// The callee is not among `dest`.
    #[error("the token is not addressed to this callee")]
    CalleeNotInDest,
    /// `rcd.nam` is not a name the organisation may show.
    #[error("organisation {org:?} may not show the name {name:?}")]
    NameNotAllowed {
        /// The organisation id.
        org: String,
        /// The name.
        name: String,
    },
    /// The same `origid` was seen before.
    #[error("the token was already used (origid {0:?})")]
    Replayed(String),
    /// The signing key could not be read.
    #[error("cannot use the signing key: {0}")]
    SigningKey(String),
}

impl TokenError {
    /// A stable snake_case code for the failed check.
    pub fn code(&self) -> &'static str {
        match self {
            TokenError::Malformed(_) => "malformed",
            TokenError::UnsupportedAlgorithm(_) => "unsupported_algorithm",
            TokenError::WrongHeader { .. } => "wrong_header",
            TokenError::MissingKeyId => "missing_key_id",
            TokenError::UnknownKey(_) => "unknown_key",
            TokenError::KeyNotValid { .. } => "key_not_valid",
            TokenError::OrganisationNotActive { .. } => "organisation_not_active",
            TokenError::BadSignature(_) => "bad_signature",
            TokenError::InvalidClaims(_) => "invalid_claims",
            TokenError::Stale { .. } => "stale",
            TokenError::FromFuture { .. } => "from_future",
            TokenError::CallerMismatch { .. } => "caller_mismatch",
            TokenError::HandleNotRegistered { .. } => "handle_not_registered",
            TokenError::CalleeNotInDest => "callee_not_in_dest",
            TokenError::NameNotAllowed { .. } => "name_not_allowed",
            TokenError::Replayed(_) => "replayed",
            TokenError::SigningKey(_) => "signing_key",
        }
    }
}

/// Signs `claims` with a PKCS#8 PEM P-256 private key under key id `kid`. The signature is in
/// its low-S form (see [`low_s`]).
pub fn sign(claims: &Claims, kid: &str, private_pem: &[u8]) -> Result<String, TokenError> {
    let key =
        EncodingKey::from_ec_pem(private_pem).map_err(|e| TokenError::SigningKey(e.to_string()))?;
    let mut header = Header::new(Algorithm::ES256);
    header.typ = Some("passport".into());
    header.kid = Some(kid.to_string());
    header.extras.insert("ppt", "rcd");
    let token = jsonwebtoken::encode(&header, claims, &key)
        .map_err(|e| TokenError::SigningKey(e.to_string()))?;
    let (signed, sig) = token.rsplit_once('.').expect("a JWS has three parts");
    let sig = b64_decode(sig).map_err(|e| TokenError::SigningKey(e.to_string()))?;
    let sig = low_s(&sig).ok_or_else(|| TokenError::SigningKey("not an ES256 signature".into()))?;
    use base64::Engine as _;
    Ok(format!(
        "{signed}.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sig)
    ))
}

/// The low-S form of an ES256 signature `r‖s`: `s` replaced by `n − s` when it is in the upper
/// half of the curve order; `None` if `sig` is not 64 bytes of valid scalars.
///
/// Both `(r, s)` and `(r, n − s)` verify, so anyone holding a token can make its "twin" with a
/// different signature. The verifier normalises rather than refuses the twin: RFC 7518 does not
/// ask signers for low S, and common ES256 signers (OpenSSL, Java, RustCrypto's p256 under
/// jsonwebtoken) give a high S about half the time, so refusing it would refuse half of the
/// genuine tokens from other platforms. A twin gains nothing: it verifies to the same claims,
/// and replay is detected on the signed `origid`, never on the signature's bytes; the verifier
/// checks the normalised signature, so nothing after it sees two forms of one token.
pub fn low_s(sig: &[u8]) -> Option<[u8; 64]> {
    let sig = p256::ecdsa::Signature::from_slice(sig).ok()?;
    let low = sig.normalize_s().unwrap_or(sig);
    Some(low.to_bytes().into())
}

/// Where verification looks up keys and organisations.
pub trait KeyDirectory {
    /// The key `kid` and the organisation that owns it.
    fn lookup(&self, kid: &str) -> Option<(&OrgKey, &Organisation)>;

    /// The key `kid` as an uncompressed SEC1 point, when the directory keeps it parsed;
    /// otherwise it is parsed from its PEM at each verification.
    fn public_point(&self, _kid: &str) -> Option<std::sync::Arc<[u8]>> {
        None
    }
}

/// What the call says about itself, to check the token against.
#[derive(Debug, Clone, Copy)]
pub struct CallFacts<'a> {
    /// The handle the call or message came from.
    pub caller: &'a str,
    /// The callee's handle, when the platform says.
    pub callee: Option<&'a str>,
    /// The current time, Unix seconds.
    pub now: i64,
    /// How old a token may be, in seconds.
    pub freshness: i64,
}

/// A token that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The organisation.
    pub org: String,
    /// The verified display name.
    pub name: String,
    /// The call reason, if given.
    pub reason: Option<String>,
    /// The key used.
    pub kid: String,
    /// The claims.
    pub claims: Claims,
}

/// Clock skew tolerated for tokens signed "in the future".
const SKEW: i64 = 5;

/// Verifies `token` for a call with `facts`. Replay is checked by the caller with the
/// returned `origid` (see [`ReplayCache`]), so that verification itself has no side effects.
pub fn verify(
    token: &str,
    dir: &dyn KeyDirectory,
    facts: CallFacts<'_>,
) -> Result<Verified, TokenError> {
    let token = token.trim();
    if token.split('.').count() != 3 {
        return Err(TokenError::Malformed(
            "expected three parts separated by dots".into(),
        ));
    }
    // Read the algorithm ourselves first, so that "none" and unknown algorithms get a clear
    // refusal instead of a parse error.
    let mut parts = token.split('.');
    let head: serde_json::Value = decode_part(parts.next().unwrap_or(""))?;
    let payload: serde_json::Value = decode_part(parts.next().unwrap_or(""))?;
    let alg = head.get("alg").and_then(|a| a.as_str()).unwrap_or("");
    if alg != "ES256" {
        return Err(TokenError::UnsupportedAlgorithm(alg.to_string()));
    }
    let header =
        jsonwebtoken::decode_header(token).map_err(|e| TokenError::Malformed(e.to_string()))?;
    let typ = header.typ.clone().unwrap_or_default();
    if typ != "passport" {
        return Err(TokenError::WrongHeader {
            field: "typ",
            found: typ,
            expected: "passport",
        });
    }
    let ppt: Option<String> = header.extras.get("ppt").ok().flatten();
    if ppt.as_deref() != Some("rcd") {
        return Err(TokenError::WrongHeader {
            field: "ppt",
            found: ppt.unwrap_or_default(),
            expected: "rcd",
        });
    }
    let kid = header
        .kid
        .clone()
        .filter(|k| !k.is_empty())
        .ok_or(TokenError::MissingKeyId)?;
    let (key, org) = dir
        .lookup(&kid)
        .ok_or_else(|| TokenError::UnknownKey(kid.clone()))?;
    match org.status {
        OrgStatus::Active => {}
        OrgStatus::Suspended => {
            return Err(TokenError::OrganisationNotActive {
                org: org.id.clone(),
                status: "suspended",
            })
        }
        OrgStatus::Revoked => {
            return Err(TokenError::OrganisationNotActive {
                org: org.id.clone(),
                status: "revoked",
            })
        }
    }
    match key.status_at(facts.now) {
        KeyStatus::Valid => {}
        KeyStatus::NotYetValid => {
            return Err(TokenError::KeyNotValid {
                kid,
                status: "not yet valid",
            })
        }
        KeyStatus::Expired => {
            return Err(TokenError::KeyNotValid {
                kid,
                status: "expired",
            })
        }
        KeyStatus::Revoked => {
            return Err(TokenError::KeyNotValid {
                kid,
                status: "revoked",
            })
        }
    }
    let point = match dir.public_point(&kid) {
        Some(p) => p,
        None => public_point(&key.public_key_pem)
            .ok_or_else(|| TokenError::UnknownKey(format!("{kid} (unreadable public key)")))?,
    };
    // JWS ES256 signs "header.payload" and carries r||s (64 bytes) in base64url.
    let (signing_input, sig_b64) = token.rsplit_once('.').expect("three parts checked above");
    let signature = b64_decode(sig_b64).map_err(|_| {
        // Base64url letters of an impossible length (a truncated signature) are a wrong
        // signature; anything else is not a signature at all.
        if sig_b64
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            TokenError::BadSignature(kid.clone())
        } else {
            TokenError::Malformed("the signature is not base64url".into())
        }
    })?;
    // A high-S twin is verified in its low-S form (see `low_s` for why it is not refused).
    let signature = low_s(&signature).ok_or_else(|| TokenError::BadSignature(kid.clone()))?;
    ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_FIXED, &*point)
        .verify(signing_input.as_bytes(), &signature)
        .map_err(|_| TokenError::BadSignature(kid.clone()))?;
    let claims: Claims = serde_path_to_error::deserialize(payload).map_err(|e| {
        let path = e.path().to_string();
        let msg = e.inner().to_string();
        TokenError::InvalidClaims(if path == "." {
            msg
        } else {
            format!("{path}: {msg}")
        })
    })?;
    if claims.origid.trim().is_empty() {
        return Err(TokenError::InvalidClaims(
            "origid: must not be empty".into(),
        ));
    }
    let age = facts.now - claims.iat;
    if age > facts.freshness {
        return Err(TokenError::Stale {
            age,
            window: facts.freshness,
        });
    }
    if age < -SKEW {
        return Err(TokenError::FromFuture { ahead: -age });
    }
    let orig = canonical_handle(&claims.orig.uri);
    if orig != canonical_handle(facts.caller) {
        return Err(TokenError::CallerMismatch {
            token: claims.orig.uri.clone(),
            actual: facts.caller.to_string(),
        });
    }
    if !org.handles.iter().any(|h| canonical_handle(h) == orig) {
        return Err(TokenError::HandleNotRegistered {
            org: org.id.clone(),
            handle: claims.orig.uri.clone(),
        });
    }
    if let Some(callee) = facts.callee {
        let c = canonical_handle(callee);
        if !claims.dest.uri.iter().any(|d| canonical_handle(d) == c) {
            return Err(TokenError::CalleeNotInDest);
        }
    }
    if !org.may_show(&claims.rcd.nam) {
        return Err(TokenError::NameNotAllowed {
            org: org.id.clone(),
            name: claims.rcd.nam.clone(),
        });
    }
    Ok(Verified {
        org: org.id.clone(),
        name: claims.rcd.nam.clone(),
        reason: claims.rcd.crn.clone(),
        kid,
        claims,
    })
}

fn b64_decode(b64: &str) -> Result<Vec<u8>, base64::DecodeError> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(b64.trim_end_matches('='))
}

fn decode_part<T: serde::de::DeserializeOwned>(b64: &str) -> Result<T, TokenError> {
    let bytes =
        b64_decode(b64).map_err(|_| TokenError::Malformed("a part is not base64url".into()))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| TokenError::Malformed(format!("a part is not JSON: {e}")))
}

/// The uncompressed SEC1 point of a P-256 public key in SPKI PEM.
pub fn public_point(pem: &str) -> Option<std::sync::Arc<[u8]>> {
    use p256::pkcs8::DecodePublicKey;
    let key = p256::PublicKey::from_public_key_pem(pem.trim()).ok()?;
    let point = p256::elliptic_curve::sec1::ToEncodedPoint::to_encoded_point(&key, false);
    Some(std::sync::Arc::from(point.as_bytes()))
}

/// A handle in a comparable form: URI scheme dropped, phone numbers as `+` and digits (a
/// leading `00` read as `+`), e-mail addresses in lower case.
pub fn canonical_handle(h: &str) -> String {
    let h = h.trim();
    let h = ["tel:", "sip:", "sips:", "mailto:", "imessage:", "facetime:"]
        .iter()
        .find_map(|p| h.strip_prefix(p))
        .unwrap_or(h);
    if h.contains('@') {
        return h.to_ascii_lowercase();
    }
    let digits: String = h.chars().filter(char::is_ascii_digit).collect();
    if h.starts_with('+') {
        format!("+{digits}")
    } else if let Some(rest) = digits.strip_prefix("00") {
        format!("+{rest}")
    } else {
        digits
    }
}

#[cfg(test)]
pub(crate) mod tests;
