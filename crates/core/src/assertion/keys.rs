//! The operator's keys: the one that signs, and the public keys a bank fetches.

use super::{b64_decode, b64_encode, AssertionError, MAX_TTL_SECS, SKEW_SECS};
use jsonwebtoken::EncodingKey;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::DecodePrivateKey;
use serde::{Deserialize, Serialize};

/// A P-256 private key that signs assertions, with its public half as a JWK.
#[derive(Clone)]
pub struct SigningKey {
    encoding: EncodingKey,
    public: Jwk,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.public.kid)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Reads a PKCS#8 PEM P-256 private key (as `scamguard signing-key generate` writes it). Its key
    /// id is the JWK thumbprint of its public key (RFC 7638), so the same key always has the
    /// same id and no two keys share one.
    pub fn from_pkcs8_pem(pem: &str) -> Result<SigningKey, AssertionError> {
        let secret = p256::SecretKey::from_pkcs8_pem(pem.trim())
            .map_err(|_| AssertionError::Key("not a P-256 private key in PKCS#8 PEM".into()))?;
        let encoding = EncodingKey::from_ec_pem(pem.trim().as_bytes())
            .map_err(|e| AssertionError::Key(e.to_string()))?;
        Ok(SigningKey {
            encoding,
            public: Jwk::from_public_key(&secret.public_key()),
        })
    }

    /// A new key from 32 random bytes, as (PKCS#8 private PEM, SPKI public PEM): the same
    /// files `scamguard signing-key generate` writes. `None` when the bytes are not a valid scalar
    /// (with random bytes, practically never: draw again).
    pub fn pem_pair_from_random(bytes: &[u8; 32]) -> Option<(String, String)> {
        use p256::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
        let secret = p256::SecretKey::from_bytes(bytes.into()).ok()?;
        let private = secret.to_pkcs8_pem(LineEnding::LF).ok()?.to_string();
        let public = secret.public_key().to_public_key_pem(LineEnding::LF).ok()?;
        Some((private, public))
    }

    /// The key id put in the header of what it signs.
    pub fn kid(&self) -> &str {
        &self.public.kid
    }

    /// Its public half, as published.
    pub fn public_jwk(&self) -> &Jwk {
        &self.public
    }

    pub(super) fn encoding_key(&self) -> &EncodingKey {
        &self.encoding
    }
}

/// A public key as a JSON Web Key (RFC 7517), EC P-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Jwk {
    /// Always `EC`.
    pub kty: String,
    /// Always `P-256`.
    pub crv: String,
    /// The point's x coordinate, base64url.
    pub x: String,
    /// The point's y coordinate, base64url.
    pub y: String,
    /// The key id: its RFC 7638 thumbprint.
    pub kid: String,
    /// Always `sig`.
    #[serde(rename = "use")]
    pub use_: String,
    /// Always `ES256`.
    pub alg: String,
}

impl Jwk {
    /// The JWK of a P-256 public key, with its thumbprint as key id.
    pub fn from_public_key(key: &p256::PublicKey) -> Jwk {
        let point = key.to_encoded_point(false);
        let x = b64_encode(point.x().map(|x| x.as_slice()).unwrap_or_default());
        let y = b64_encode(point.y().map(|y| y.as_slice()).unwrap_or_default());
        // RFC 7638: SHA-256 of the required members, in lexicographic order, no spaces.
        let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
        let kid =
            b64_encode(ring::digest::digest(&ring::digest::SHA256, canonical.as_bytes()).as_ref());
        Jwk {
            kty: "EC".into(),
            crv: "P-256".into(),
            x,
            y,
            kid,
            use_: "sig".into(),
            alg: "ES256".into(),
        }
    }

    /// The key as an uncompressed SEC1 point, when it is a well-formed P-256 key.
    pub fn point(&self) -> Option<Vec<u8>> {
        if self.kty != "EC" || self.crv != "P-256" {
            return None;
        }
        let x = b64_decode(&self.x).ok()?;
        let y = b64_decode(&self.y).ok()?;
        if x.len() != 32 || y.len() != 32 {
            return None;
        }
        let mut point = Vec::with_capacity(65);
        point.push(4);
        point.extend_from_slice(&x);
        point.extend_from_slice(&y);
        p256::PublicKey::from_sec1_bytes(&point).ok()?;
        Some(point)
    }
}

/// A JWK set (RFC 7517 §5): what `GET /.well-known/jwks.json` serves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JwkSet {
    /// The keys, the one signing now first.
    pub keys: Vec<Jwk>,
}

impl JwkSet {
    /// The key with id `kid`.
    pub fn find(&self, kid: &str) -> Option<&Jwk> {
        self.keys.iter().find(|k| k.kid == kid)
    }
}

/// The keys an operator holds, sorted into the one that signs and the ones still published.
#[derive(Debug, Clone)]
pub struct KeyRing {
    signer: SigningKey,
    published: JwkSet,
}

impl KeyRing {
    /// Decides from `keys` — each a PKCS#8 PEM private key with the Unix second it was made —
    /// which signs at `now`: the newest. An older key stays published while an assertion it
    /// signed may still be valid: until its successor was made plus [`MAX_TTL_SECS`] and the
    /// clock skew. Older still, it is left out of the JWK set, and what it signed is refused.
    pub fn select(keys: &[(i64, String)], now: i64) -> Result<KeyRing, AssertionError> {
        let mut parsed = keys
            .iter()
            .map(|(made, pem)| Ok((*made, SigningKey::from_pkcs8_pem(pem)?)))
            .collect::<Result<Vec<_>, AssertionError>>()?;
        // Newest first; the key id breaks ties so that every node picks the same signer.
        parsed.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.kid().cmp(b.1.kid())));
        let Some((_, signer)) = parsed.first().cloned() else {
            return Err(AssertionError::Key("no signing key".into()));
        };
        let mut published = JwkSet {
            keys: vec![signer.public_jwk().clone()],
        };
        for pair in parsed.windows(2) {
            let (successor_made, _) = &pair[0];
            let (_, older) = &pair[1];
            let retired_until = successor_made + MAX_TTL_SECS + SKEW_SECS;
            if now < retired_until && published.find(older.kid()).is_none() {
                published.keys.push(older.public_jwk().clone());
            }
        }
        Ok(KeyRing { signer, published })
    }

    /// The key that signs now.
    pub fn signer(&self) -> &SigningKey {
        &self.signer
    }

    /// The public keys a bank may meet: the signer's and those of recently retired keys.
    pub fn published(&self) -> &JwkSet {
        &self.published
    }
}
