//! The registry as a signed document, so that several platforms can share one registry.
//!
//! An operator exports its registry as a compact JWS signed with its own P-256 key (ES256);
//! another operator imports it only if the signature verifies with a public key it trusts:
//!
//! ```text
//! header   {"alg": "ES256", "typ": "scamguard-registry", "kid": OPERATOR_KEY_ID}
//! payload  {"version": 1, "exported_at": UNIX_SECONDS, "organisations": [ORGANISATION, ...]}
//! ```
//!
//! Each organisation has the shape of [`Organisation`] (id, legal_name, category, names,
//! handles, callback_numbers, domains, keys, status). Opening a document checks the signature
//! first and then every organisation, and reports every problem at once.

use super::{b64_decode, public_point, valid_kid, Organisation};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The `typ` header of a registry document.
pub const DOCUMENT_TYPE: &str = "scamguard-registry";
/// The payload version this build writes and reads.
pub const DOCUMENT_VERSION: u32 = 1;

/// The payload of a registry document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryDocument {
    /// Always [`DOCUMENT_VERSION`].
    pub version: u32,
    /// When it was exported, Unix seconds.
    pub exported_at: i64,
    /// Every organisation, with its keys and status.
    pub organisations: Vec<Organisation>,
}

impl RegistryDocument {
    /// A document of `organisations` exported at `exported_at` (Unix seconds).
    pub fn new(organisations: Vec<Organisation>, exported_at: i64) -> RegistryDocument {
        RegistryDocument {
            version: DOCUMENT_VERSION,
            exported_at,
            organisations,
        }
    }
}

/// Why a registry document could not be made or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// Not a compact JWS with JSON inside.
    #[error("the document is not a compact JWS: {0}")]
    Malformed(String),
    /// Signed with something other than ES256.
    #[error("algorithm {0:?} is not accepted; registry documents are signed with ES256")]
    UnsupportedAlgorithm(String),
    /// The `typ` header is not `scamguard-registry`.
    #[error("header typ is {0:?}, expected \"scamguard-registry\": this is not a registry export")]
    WrongType(String),
    /// A trusted key could not be read.
    #[error("trusted key {0}: not a P-256 public key in PEM (SPKI, \"BEGIN PUBLIC KEY\")")]
    BadTrustedKey(usize),
    /// No trusted key was given.
    #[error("no trusted operator key was given to check the signature against")]
    NoTrustedKey,
    /// The signature verifies with none of the trusted keys.
    #[error("the signature (key id {0:?}) does not verify with any trusted operator key")]
    BadSignature(String),
    /// A payload version this build does not read.
    #[error("document version {0} is not supported; this build reads version 1")]
    UnsupportedVersion(u64),
    /// The payload or some organisations are invalid; every problem is listed.
    #[error("{} problem(s) in the document: {}", .0.len(), .0.join("; "))]
    Invalid(Vec<String>),
    /// The operator's signing key could not be used.
    #[error("cannot use the signing key: {0}")]
    SigningKey(String),
}

impl DocumentError {
    /// A stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            DocumentError::Malformed(_) => "malformed",
            DocumentError::UnsupportedAlgorithm(_) => "unsupported_algorithm",
            DocumentError::WrongType(_) => "wrong_type",
            DocumentError::BadTrustedKey(_) => "bad_trusted_key",
            DocumentError::NoTrustedKey => "no_trusted_key",
            DocumentError::BadSignature(_) => "bad_signature",
            DocumentError::UnsupportedVersion(_) => "unsupported_version",
            DocumentError::Invalid(_) => "invalid",
            DocumentError::SigningKey(_) => "signing_key",
        }
    }
}

/// Signs `doc` with the operator's PKCS#8 PEM P-256 private key under key id `kid`.
pub fn sign_document(
    doc: &RegistryDocument,
    kid: &str,
    private_pem: &[u8],
) -> Result<String, DocumentError> {
    if !valid_kid(kid) {
        return Err(DocumentError::SigningKey(format!(
            "key id {kid:?}: use 1 to 128 letters, digits or '_', '-', '.', ':'"
        )));
    }
    let key = EncodingKey::from_ec_pem(private_pem)
        .map_err(|e| DocumentError::SigningKey(format!("not a P-256 PKCS#8 PEM key: {e}")))?;
    let mut header = Header::new(Algorithm::ES256);
    header.typ = Some(DOCUMENT_TYPE.into());
    header.kid = Some(kid.to_string());
    jsonwebtoken::encode(&header, doc, &key).map_err(|e| DocumentError::SigningKey(e.to_string()))
}

/// Opens a registry document: checks its signature against the `trusted` operator keys
/// (SPKI PEM), then its version and every organisation (fields, keys, duplicate ids and key
/// ids). Nothing is returned unless all of it is valid.
pub fn open_document(jws: &str, trusted: &[&str]) -> Result<RegistryDocument, DocumentError> {
    let jws = jws.trim();
    let parts: Vec<&str> = jws.split('.').collect();
    if parts.len() != 3 {
        return Err(DocumentError::Malformed(
            "expected three base64url parts separated by dots".into(),
        ));
    }
    let head: serde_json::Value = decode_json(parts[0], "header")?;
    let alg = head.get("alg").and_then(|a| a.as_str()).unwrap_or("");
    if alg != "ES256" {
        return Err(DocumentError::UnsupportedAlgorithm(alg.to_string()));
    }
    let typ = head.get("typ").and_then(|a| a.as_str()).unwrap_or("");
    if typ != DOCUMENT_TYPE {
        return Err(DocumentError::WrongType(typ.to_string()));
    }
    let kid = head
        .get("kid")
        .and_then(|a| a.as_str())
        .unwrap_or("")
        .to_string();
    if trusted.is_empty() {
        return Err(DocumentError::NoTrustedKey);
    }
    let signature = b64_decode(parts[2])
        .map_err(|_| DocumentError::Malformed("the signature is not base64url".into()))?;
    let signing_input = &jws[..parts[0].len() + 1 + parts[1].len()];
    let mut verified = false;
    for (i, pem) in trusted.iter().enumerate() {
        let point = public_point(pem).ok_or(DocumentError::BadTrustedKey(i))?;
        if ring::signature::UnparsedPublicKey::new(
            &ring::signature::ECDSA_P256_SHA256_FIXED,
            &*point,
        )
        .verify(signing_input.as_bytes(), &signature)
        .is_ok()
        {
            verified = true;
            break;
        }
    }
    if !verified {
        return Err(DocumentError::BadSignature(kid));
    }
    let payload: serde_json::Value = decode_json(parts[1], "payload")?;
    check_payload(&payload)
}

/// Checks an already-authenticated payload, listing every problem.
fn check_payload(payload: &serde_json::Value) -> Result<RegistryDocument, DocumentError> {
    let version = payload.get("version").and_then(|v| v.as_u64());
    match version {
        Some(v) if v == u64::from(DOCUMENT_VERSION) => {}
        Some(v) => return Err(DocumentError::UnsupportedVersion(v)),
        None => {
            return Err(DocumentError::Invalid(vec![
                "version: missing or not a number".into(),
            ]))
        }
    }
    let mut problems = Vec::new();
    let exported_at = match payload.get("exported_at").and_then(|v| v.as_i64()) {
        Some(t) => t,
        None => {
            problems.push("exported_at: missing or not an integer".into());
            0
        }
    };
    let Some(list) = payload.get("organisations").and_then(|v| v.as_array()) else {
        problems.push("organisations: missing or not an array".into());
        return Err(DocumentError::Invalid(problems));
    };
    let mut organisations = Vec::with_capacity(list.len());
    let mut ids = HashSet::new();
    let mut kids = HashSet::new();
    for (i, raw) in list.iter().enumerate() {
        let label = raw
            .get("id")
            .and_then(|v| v.as_str())
            .map(|id| format!("organisations[{i}] ({id})"))
            .unwrap_or_else(|| format!("organisations[{i}]"));
        let org: Organisation = match serde_path_to_error::deserialize(raw) {
            Ok(o) => o,
            Err(e) => {
                let path = e.path().to_string();
                let at = if path == "." {
                    label
                } else {
                    format!("{label}.{path}")
                };
                problems.push(format!("{at}: {}", e.inner()));
                continue;
            }
        };
        for p in org.field_problems() {
            problems.push(format!("{label}.{p}"));
        }
        if !ids.insert(org.id.clone()) {
            problems.push(format!("{label}.id: {:?} appears twice", org.id));
        }
        for (k, key) in org.keys.iter().enumerate() {
            if !kids.insert(key.kid.clone()) {
                problems.push(format!(
                    "{label}.keys[{k}].kid: {:?} is used by another organisation",
                    key.kid
                ));
            }
        }
        organisations.push(org);
    }
    if !problems.is_empty() {
        return Err(DocumentError::Invalid(problems));
    }
    Ok(RegistryDocument {
        version: DOCUMENT_VERSION,
        exported_at,
        organisations,
    })
}

fn decode_json(b64: &str, what: &str) -> Result<serde_json::Value, DocumentError> {
    let bytes = b64_decode(b64)
        .map_err(|_| DocumentError::Malformed(format!("the {what} is not base64url")))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| DocumentError::Malformed(format!("the {what} is not JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passport::{OrgKey, OrgStatus};

    const PRIVATE: &str = include_str!("testdata/org_private.pem");
    const PUBLIC: &str = include_str!("testdata/org_public.pem");
    const OTHER_PRIVATE: &str = include_str!("testdata/other_private.pem");
    const OTHER_PUBLIC: &str = include_str!("testdata/other_public.pem");

    fn org(id: &str, kid: &str) -> Organisation {
        Organisation {
            id: id.into(),
            legal_name: "杭州市公安局".into(),
            category: "police".into(),
            names: crate::passport::registry_names(&["杭州市公安局"], &[], &[]),
            handles: vec!["+86 571 8728 0110".into()],
            callback_numbers: vec!["110".into()],
            domains: vec!["police.hangzhou.gov.cn".into()],
            keys: vec![OrgKey {
                kid: kid.into(),
                public_key_pem: PUBLIC.into(),
                not_before: 1,
                not_after: 2,
                revoked: false,
            }],
            status: OrgStatus::Active,
        }
    }

    fn b64(bytes: &[u8]) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    #[test]
    fn a_signed_document_opens_with_the_trusted_key_only() {
        let doc = RegistryDocument::new(vec![org("hz-police", "hz-2026")], 1_795_600_000);
        let jws = sign_document(&doc, "op-1", OTHER_PRIVATE.as_bytes()).unwrap();
        assert_eq!(open_document(&jws, &[OTHER_PUBLIC]).unwrap(), doc);
        assert_eq!(
            open_document(&jws, &[PUBLIC, OTHER_PUBLIC]).unwrap(),
            doc,
            "any trusted key will do"
        );
        assert_eq!(
            open_document(&jws, &[PUBLIC]).unwrap_err().code(),
            "bad_signature"
        );
        assert_eq!(
            open_document(&jws, &[]).unwrap_err().code(),
            "no_trusted_key"
        );
        assert_eq!(
            open_document(&jws, &["junk"]).unwrap_err().code(),
            "bad_trusted_key"
        );
        // Tampering with the payload breaks the signature.
        let parts: Vec<&str> = jws.split('.').collect();
        let mut changed = doc.clone();
        changed.organisations[0].handles = vec!["+1 213 555 0147".into()];
        let tampered = format!(
            "{}.{}.{}",
            parts[0],
            b64(&serde_json::to_vec(&changed).unwrap()),
            parts[2]
        );
        assert_eq!(
            open_document(&tampered, &[OTHER_PUBLIC])
                .unwrap_err()
                .code(),
            "bad_signature"
        );
        assert_eq!(
            open_document("a.b", &[OTHER_PUBLIC]).unwrap_err().code(),
            "malformed"
        );
        // A call assertion is not a registry document.
        let none = format!(
            "{}.{}.",
            b64(br#"{"alg":"none","typ":"scamguard-registry"}"#),
            parts[1]
        );
        assert_eq!(
            open_document(&none, &[OTHER_PUBLIC]).unwrap_err().code(),
            "unsupported_algorithm"
        );
    }

    #[test]
    fn every_invalid_organisation_is_reported() {
        let mut bad = org("bad id!", "k1");
        bad.category = "wizards".into();
        let mut no_handles = org("ok-2", "k2");
        no_handles.handles.clear();
        let dup_kid = org("ok-3", "k1");
        let doc = RegistryDocument::new(vec![bad, no_handles, dup_kid], 1);
        let jws = sign_document(&doc, "op-1", PRIVATE.as_bytes()).unwrap();
        let err = open_document(&jws, &[PUBLIC]).unwrap_err();
        let DocumentError::Invalid(problems) = &err else {
            panic!("{err}")
        };
        let all = problems.join("\n");
        for needle in [
            "organisations[0] (bad id!).id",
            "organisations[0] (bad id!).category",
            "organisations[1] (ok-2).handles",
            "organisations[2] (ok-3).keys[0].kid",
        ] {
            assert!(all.contains(needle), "{needle} not in:\n{all}");
        }
        // A field of the wrong type is named too.
        let mut value = serde_json::to_value(&doc).unwrap();
        value["organisations"][1]["handles"] = serde_json::json!("one");
        value["version"] = serde_json::json!(1);
        let err = check_payload(&value).unwrap_err();
        assert!(
            err.to_string().contains("organisations[1] (ok-2).handles"),
            "{err}"
        );
        value["version"] = serde_json::json!(7);
        assert_eq!(
            check_payload(&value).unwrap_err().code(),
            "unsupported_version"
        );
    }
}
