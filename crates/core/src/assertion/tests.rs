//! Tests of risk assertions: what a session tells a bank, signing, verification and keys.
//! The key pairs under `testdata/` exist only for these tests.

use super::*;
use crate::{Case, Engine};

const OLD: &str = include_str!("testdata/old_private.pem");
const NEW: &str = include_str!("testdata/new_private.pem");
const NOW: i64 = 1_795_600_000;

fn engine() -> &'static Engine {
    static E: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    E.get_or_init(|| Engine::builtin().unwrap())
}

/// A fake police call with the screen shared, as in the domain reference; `ended` adds the
/// call's end.
fn police_call(ended: bool) -> (crate::CallSession, crate::Verdict) {
    let end = if ended {
        r#",{"type":"call_ended"}"#
    } else {
        ""
    };
    let case = Case::from_json(&format!(
        r#"{{"channel":"video_call","locale":"zh-Hans",
            "from":{{"handle":"+1 213 555 0147","display_name":"厦门市公安局","in_contacts":false}},
            "to":{{"handle":"+86 138 0000 0000"}},
            "events":[{{"type":"call_offer"}},
                      {{"type":"screen_share_request","initiator":"remote","app":"facetime"}},
                      {{"type":"screen_share_started"}}{end}]}}"#
    ))
    .unwrap();
    let e = engine();
    let (mut s, mut v) = e.open_session(&case.opening(), 7);
    for ev in &case.events {
        v = e.apply(&mut s, ev);
    }
    (s, v)
}

fn clock(ended: Option<i64>) -> CallClock {
    CallClock {
        now: NOW,
        started: NOW - 600,
        ended,
        grace_secs: 120,
    }
}

#[test]
fn a_police_call_with_the_screen_shared_is_reported_as_such() {
    let (s, v) = police_call(false);
    let r = assess(&s, &v, &clock(None)).expect("a call on now counts");
    assert!(r.active);
    assert_eq!(r.action, crate::Action::Block);
    assert!(r.screen_shared && !r.remote_control);
    assert_eq!(r.claimed_category.as_deref(), Some("police"));
    assert!(r.authority_unverified);
    assert_eq!(r.call_secs, 600);
    assert_eq!(r.ended_secs_ago, None);
    assert!(
        r.signals.iter().any(|c| c == "screen_share_active"),
        "{r:?}"
    );
    assert!(r.score > 0.0);
}

#[test]
fn nothing_in_the_risk_names_the_caller_or_carries_text() {
    let (s, v) = police_call(false);
    let r = assess(&s, &v, &clock(None)).unwrap();
    let json = serde_json::to_string(&r).unwrap();
    for forbidden in ["213", "0147", "公安", "厦门", "facetime", "0000"] {
        assert!(!json.contains(forbidden), "{forbidden} in {json}");
    }
    // Every signal is a code the engine declares.
    for code in &r.signals {
        assert!(
            crate::signal::codes::ALL.iter().any(|(c, _)| c == code),
            "{code}"
        );
    }
}

#[test]
fn an_ended_call_counts_only_within_the_grace_period() {
    let (s, v) = police_call(true);
    let r = assess(&s, &v, &clock(Some(NOW - 30))).expect("within grace");
    assert!(!r.active && !r.screen_shared);
    assert_eq!(r.ended_secs_ago, Some(30));
    assert_eq!(r.call_secs, 570);
    assert_eq!(r.action, crate::Action::Block);
    assert_eq!(assess(&s, &v, &clock(Some(NOW - 121))), None);
    // Ended, but when is unknown: it does not count.
    assert_eq!(assess(&s, &v, &clock(None)), None);
}

#[test]
fn message_threads_do_not_count() {
    let (mut s, v) = police_call(false);
    s.channel = crate::event::Channel::Message;
    assert_eq!(assess(&s, &v, &clock(None)), None);
}

#[test]
fn the_strongest_risk_prefers_a_call_on_now_then_the_action() {
    let (s, v) = police_call(false);
    let on = assess(&s, &v, &clock(None)).unwrap();
    let (s2, v2) = police_call(true);
    let ended = assess(&s2, &v2, &clock(Some(NOW - 5))).unwrap();
    let quiet = Risk {
        active: true,
        ..Risk::none()
    };
    assert_eq!(
        Risk::strongest([ended.clone(), on.clone(), quiet.clone()]),
        on
    );
    assert_eq!(Risk::strongest([ended.clone(), quiet.clone()]), quiet);
    assert!(Risk::strongest([]).is_none());
}

fn ring() -> KeyRing {
    KeyRing::select(&[(NOW - 86_400, NEW.to_string())], NOW).unwrap()
}

fn claims(risk: Risk) -> RiskClaims {
    RiskClaims::new("op", "kbank", "sub-hash", "jti-1", NOW, 120, risk)
}

fn expect(now: i64) -> Expect<'static> {
    Expect {
        issuer: "op",
        audience: "kbank",
        now,
    }
}

#[test]
fn a_signed_assertion_verifies_with_the_published_keys() {
    let ring = ring();
    let (s, v) = police_call(false);
    let c = claims(assess(&s, &v, &clock(None)).unwrap());
    let token = sign(&c, ring.signer()).unwrap();
    let got = verify(&token, ring.published(), expect(NOW + 10)).unwrap();
    assert_eq!(got, c);
    assert_eq!(peek(&token).unwrap(), c);
    let head: serde_json::Value = decode_part(token.split('.').next().unwrap()).unwrap();
    assert_eq!(head["typ"], TYP);
    assert_eq!(head["alg"], "ES256");
    assert_eq!(head["kid"], ring.signer().kid());
}

#[test]
fn a_tampered_or_misdirected_assertion_is_refused() {
    let ring = ring();
    let token = sign(&claims(Risk::none()), ring.signer()).unwrap();
    let keys = ring.published();
    // The payload changed to say something else: the signature no longer matches.
    let mut parts: Vec<String> = token.split('.').map(String::from).collect();
    let mut forged = claims(Risk::none());
    forged.risk.active = true;
    parts[1] = b64_encode(&serde_json::to_vec(&forged).unwrap());
    let err = verify(&parts.join("."), keys, expect(NOW)).unwrap_err();
    assert_eq!(err.code(), "bad_signature");
    // A flipped signature byte.
    let mut sig = b64_decode(token.rsplit('.').next().unwrap()).unwrap();
    sig[10] ^= 1;
    let bad = format!("{}.{}", token.rsplit_once('.').unwrap().0, b64_encode(&sig));
    assert_eq!(
        verify(&bad, keys, expect(NOW)).unwrap_err().code(),
        "bad_signature"
    );
    // Another bank, another operator, too late, too early.
    let other_aud = Expect {
        audience: "kother",
        ..expect(NOW)
    };
    assert_eq!(
        verify(&token, keys, other_aud).unwrap_err().code(),
        "wrong_audience"
    );
    let other_iss = Expect {
        issuer: "x",
        ..expect(NOW)
    };
    assert_eq!(
        verify(&token, keys, other_iss).unwrap_err().code(),
        "wrong_issuer"
    );
    assert_eq!(
        verify(&token, keys, expect(NOW + 200)).unwrap_err().code(),
        "expired"
    );
    assert_eq!(
        verify(&token, keys, expect(NOW - 60)).unwrap_err().code(),
        "from_future"
    );
    // Keys nobody published.
    assert_eq!(
        verify(&token, &JwkSet::default(), expect(NOW))
            .unwrap_err()
            .code(),
        "unknown_key"
    );
    assert_eq!(
        verify("a.b", keys, expect(NOW)).unwrap_err().code(),
        "malformed"
    );
}

#[test]
fn other_algorithms_and_types_are_refused_before_any_key() {
    let ring = ring();
    let payload = b64_encode(&serde_json::to_vec(&claims(Risk::none())).unwrap());
    for (head, code) in [
        (
            r#"{"alg":"none","typ":"scamguard-risk+jwt"}"#,
            "unsupported_algorithm",
        ),
        (
            r#"{"alg":"HS256","typ":"scamguard-risk+jwt"}"#,
            "unsupported_algorithm",
        ),
        (r#"{"alg":"ES256","typ":"passport"}"#, "wrong_type"),
        (r#"{"alg":"ES256","typ":"JWT"}"#, "wrong_type"),
    ] {
        let t = format!("{}.{payload}.", b64_encode(head.as_bytes()));
        assert_eq!(
            verify(&t, ring.published(), expect(NOW))
                .unwrap_err()
                .code(),
            code,
            "{head}"
        );
    }
}

#[test]
fn claims_live_at_most_five_minutes() {
    let c = RiskClaims::new("op", "kbank", "s", "j", NOW, 3_600, Risk::none());
    assert_eq!(c.exp - c.iat, MAX_TTL_SECS);
    let mut long = c.clone();
    long.exp = long.iat + MAX_TTL_SECS + 1;
    let token = sign(&long, ring().signer()).unwrap();
    assert_eq!(
        verify(&token, ring().published(), expect(NOW))
            .unwrap_err()
            .code(),
        "invalid_claims"
    );
}

#[test]
fn key_ids_are_thumbprints_and_a_rotated_key_stays_published_while_needed() {
    let old = SigningKey::from_pkcs8_pem(OLD).unwrap();
    let new = SigningKey::from_pkcs8_pem(NEW).unwrap();
    assert_ne!(old.kid(), new.kid());
    assert_eq!(old.kid().len(), 43, "SHA-256 in base64url");
    assert_eq!(SigningKey::from_pkcs8_pem(OLD).unwrap().kid(), old.kid());
    let keys = [(NOW - 1_000, OLD.to_string()), (NOW - 100, NEW.to_string())];
    // Just after rotation: the new key signs, the old one is still published.
    let ring = KeyRing::select(&keys, NOW).unwrap();
    assert_eq!(ring.signer().kid(), new.kid());
    let kids: Vec<&str> = ring
        .published()
        .keys
        .iter()
        .map(|k| k.kid.as_str())
        .collect();
    assert_eq!(kids, [new.kid(), old.kid()]);
    // An assertion the old key signed just before the rotation still verifies.
    let before = RiskClaims::new("op", "kbank", "s", "j", NOW - 101, 300, Risk::none());
    let token = sign(&before, &old).unwrap();
    assert!(verify(&token, ring.published(), expect(NOW)).is_ok());
    // Once it has surely expired, the old key is gone from the set.
    let later = KeyRing::select(&keys, NOW - 100 + MAX_TTL_SECS + SKEW_SECS).unwrap();
    assert_eq!(later.published().keys.len(), 1);
    assert_eq!(later.signer().kid(), new.kid());
    assert!(KeyRing::select(&[], NOW).is_err());
    assert_eq!(
        KeyRing::select(&[(NOW, "not a key".into())], NOW)
            .unwrap_err()
            .code(),
        "key"
    );
}

#[test]
fn published_keys_are_well_formed_jwks() {
    let ring = ring();
    let json = serde_json::to_value(ring.published()).unwrap();
    let k = &json["keys"][0];
    assert_eq!(k["kty"], "EC");
    assert_eq!(k["crv"], "P-256");
    assert_eq!(k["alg"], "ES256");
    assert_eq!(k["use"], "sig");
    assert!(k.get("d").is_none(), "no private part");
    let back: JwkSet = serde_json::from_value(json).unwrap();
    assert!(back.keys[0].point().is_some());
    let mut broken = back.keys[0].clone();
    broken.x = b64_encode(&[1u8; 32]);
    assert!(broken.point().is_none(), "not on the curve");
}

#[test]
fn generated_key_pairs_sign_and_verify() {
    let (private, public) = SigningKey::pem_pair_from_random(&[7u8; 32]).unwrap();
    assert!(private.contains("BEGIN PRIVATE KEY") && public.contains("BEGIN PUBLIC KEY"));
    let ring = KeyRing::select(&[(NOW, private)], NOW).unwrap();
    let token = sign(&claims(Risk::none()), ring.signer()).unwrap();
    assert!(verify(&token, ring.published(), expect(NOW)).is_ok());
    assert!(
        SigningKey::pem_pair_from_random(&[0u8; 32]).is_none(),
        "zero is no scalar"
    );
}
