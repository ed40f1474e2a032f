//! Tests of signing and verification, including every way a token can be wrong.
//! The key pairs under `testdata/` exist only for these tests.

use super::*;

use super::testing::{hz_police, ORG_PRIVATE as PRIVATE, ORG_PUBLIC as PUBLIC, OTHER_PRIVATE};

const NOW: i64 = 1_795_600_000;

fn org(status: OrgStatus) -> Organisation {
    Organisation {
        status,
        ..hz_police(NOW - 86_400, NOW + 86_400 * 365)
    }
}

fn registry(status: OrgStatus) -> Registry {
    Registry::new(vec![org(status)]).unwrap()
}

fn claims() -> Claims {
    Claims {
        orig: Orig {
            uri: "tel:+8657187280110".into(),
        },
        dest: Dest {
            uri: vec!["tel:+8613800000000".into()],
        },
        iat: NOW - 3,
        origid: "0f6b5c1e-7a0b-4c3e-9d2a-000000000001".into(),
        rcd: Rcd {
            nam: "杭州市公安局".into(),
            crn: Some("反诈回访".into()),
        },
    }
}

fn facts() -> CallFacts<'static> {
    CallFacts {
        caller: "+86 571 8728 0110",
        callee: Some("+86 138 0000 0000"),
        now: NOW,
        freshness: 60,
    }
}

fn token(c: &Claims) -> String {
    sign(c, "hz-2026", PRIVATE.as_bytes()).unwrap()
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[test]
fn a_signed_call_verifies() {
    let t = token(&claims());
    let head: serde_json::Value = decode_part(t.split('.').next().unwrap()).unwrap();
    assert_eq!(
        head,
        serde_json::json!({"alg": "ES256", "typ": "passport", "ppt": "rcd", "kid": "hz-2026"})
    );
    let v = verify(&t, &registry(OrgStatus::Active), facts()).unwrap();
    assert_eq!(v.org, "hz-police");
    assert_eq!(v.name, "杭州市公安局");
    assert_eq!(v.reason.as_deref(), Some("反诈回访"));
}

/// The same token with `s` replaced by `n − s`: an equally valid ES256 signature.
pub(crate) fn high_s_twin(token: &str) -> String {
    use p256::elliptic_curve::ops::Neg;
    let (signed, sig) = token.rsplit_once('.').unwrap();
    let sig = p256::ecdsa::Signature::from_slice(&b64_decode(sig).unwrap()).unwrap();
    let (r, s) = sig.split_scalars();
    let twin = p256::ecdsa::Signature::from_scalars(r, s.neg()).unwrap();
    format!("{signed}.{}", b64(&twin.to_bytes()))
}

/// Issue 14 item 12: high-S twins are normalised, not refused; our own tokens are low-S.
#[test]
fn high_s_twins_verify_as_the_same_token() {
    for i in 0..16 {
        let mut c = claims();
        c.origid = format!("call-{i}");
        let t = token(&c);
        let sig = b64_decode(t.rsplit_once('.').unwrap().1).unwrap();
        assert_eq!(
            low_s(&sig).unwrap().as_slice(),
            sig.as_slice(),
            "sign() gives low S"
        );
        let twin = high_s_twin(&t);
        assert_ne!(twin, t);
        let a = verify(&t, &registry(OrgStatus::Active), facts()).unwrap();
        let b = verify(&twin, &registry(OrgStatus::Active), facts()).unwrap();
        assert_eq!((a.org, a.claims.origid), (b.org, b.claims.origid));
    }
    // A signature that is not two scalars below the order is a bad signature.
    let t = token(&claims());
    let (signed, _) = t.rsplit_once('.').unwrap();
    let bad = format!("{signed}.{}", b64(&[0xff; 64]));
    assert!(matches!(
        verify(&bad, &registry(OrgStatus::Active), facts()),
        Err(TokenError::BadSignature(_))
    ));
}

#[test]
fn each_check_names_itself() {
    let reg = registry(OrgStatus::Active);
    let code = |t: &str, f: CallFacts<'_>| verify(t, &reg, f).unwrap_err().code();

    let mut stale = claims();
    stale.iat = NOW - 61;
    assert_eq!(code(&token(&stale), facts()), "stale");
    let mut future = claims();
    future.iat = NOW + 600;
    assert_eq!(code(&token(&future), facts()), "from_future");
    let mut other_caller = claims();
    other_caller.orig.uri = "+1 213 555 0147".into();
    assert_eq!(code(&token(&other_caller), facts()), "caller_mismatch");
    let f = CallFacts {
        caller: "+1 213 555 0147",
        ..facts()
    };
    assert_eq!(code(&token(&other_caller), f), "handle_not_registered");
    let f = CallFacts {
        callee: Some("+86 139 1111 2222"),
        ..facts()
    };
    assert_eq!(code(&token(&claims()), f), "callee_not_in_dest");
    let mut name = claims();
    name.rcd.nam = "国家反诈中心".into();
    assert_eq!(code(&token(&name), facts()), "name_not_allowed");
    let mut empty = claims();
    empty.origid = " ".into();
    assert_eq!(code(&token(&empty), facts()), "invalid_claims");

    let t = token(&claims());
    assert_eq!(
        verify(&t, &registry(OrgStatus::Suspended), facts())
            .unwrap_err()
            .code(),
        "organisation_not_active"
    );
    assert_eq!(
        verify(&t, &registry(OrgStatus::Revoked), facts())
            .unwrap_err()
            .code(),
        "organisation_not_active"
    );
    let f = CallFacts {
        now: NOW + 86_400 * 400,
        freshness: i64::MAX / 2,
        ..facts()
    };
    assert_eq!(verify(&t, &reg, f).unwrap_err().code(), "key_not_valid");
    let mut revoked = org(OrgStatus::Active);
    revoked.keys[0].revoked = true;
    assert_eq!(
        verify(&t, &Registry::new(vec![revoked]).unwrap(), facts())
            .unwrap_err()
            .code(),
        "key_not_valid"
    );
    assert_eq!(
        verify(&t, &Registry::default(), facts())
            .unwrap_err()
            .code(),
        "unknown_key"
    );
}

#[test]
fn forged_and_broken_tokens_are_refused() {
    let reg = registry(OrgStatus::Active);
    let code = |t: &str| verify(t, &reg, facts()).unwrap_err().code();
    let good = token(&claims());
    let parts: Vec<&str> = good.split('.').collect();

    // Re-signed by another key under the organisation's key id.
    let forged = sign(&claims(), "hz-2026", OTHER_PRIVATE.as_bytes()).unwrap();
    assert_eq!(code(&forged), "bad_signature");
    // Claims changed after signing.
    let mut changed = claims();
    changed.rcd.nam = "Hangzhou Public Security Bureau".into();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        b64(serde_json::to_string(&changed).unwrap().as_bytes()),
        parts[2]
    );
    assert_eq!(code(&tampered), "bad_signature");
    // alg none, with and without a signature.
    let none_head = b64(br#"{"alg":"none","typ":"passport","ppt":"rcd","kid":"hz-2026"}"#);
    assert_eq!(
        code(&format!("{none_head}.{}.", parts[1])),
        "unsupported_algorithm"
    );
    assert_eq!(
        code(&format!("{none_head}.{}.{}", parts[1], parts[2])),
        "unsupported_algorithm"
    );
    // HS256 keyed with the public key (the classic confusion attack).
    let hs = {
        let mut h = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
        h.typ = Some("passport".into());
        h.kid = Some("hz-2026".into());
        h.extras.insert("ppt", "rcd");
        jsonwebtoken::encode(
            &h,
            &claims(),
            &jsonwebtoken::EncodingKey::from_secret(PUBLIC.as_bytes()),
        )
        .unwrap()
    };
    assert_eq!(code(&hs), "unsupported_algorithm");
    // Wrong typ / ppt / missing kid.
    let mut h = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
    h.kid = Some("hz-2026".into());
    let key = jsonwebtoken::EncodingKey::from_ec_pem(PRIVATE.as_bytes()).unwrap();
    assert_eq!(
        code(&jsonwebtoken::encode(&h, &claims(), &key).unwrap()),
        "wrong_header"
    );
    h.typ = Some("passport".into());
    assert_eq!(
        code(&jsonwebtoken::encode(&h, &claims(), &key).unwrap()),
        "wrong_header"
    );
    h.extras.insert("ppt", "rcd");
    h.kid = None;
    assert_eq!(
        code(&jsonwebtoken::encode(&h, &claims(), &key).unwrap()),
        "missing_key_id"
    );
    // Truncated, garbage, empty.
    for cut in 1..=12 {
        assert_eq!(
            code(&good[..good.len() - cut]),
            "bad_signature",
            "cut {cut}"
        );
    }
    assert_eq!(code(&format!("{good}!")), "malformed");
    assert_eq!(code(&format!("{}.{}", parts[0], parts[1])), "malformed");
    assert_eq!(code("not a token"), "malformed");
    assert_eq!(code(""), "malformed");
    assert_eq!(code("a.b.c"), "malformed");
    assert_eq!(code(&format!("{}.!!!.{}", parts[0], parts[2])), "malformed");
    // Claims of the wrong shape, properly signed.
    let bad_claims = {
        let mut h = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
        h.typ = Some("passport".into());
        h.kid = Some("hz-2026".into());
        h.extras.insert("ppt", "rcd");
        jsonwebtoken::encode(&h, &serde_json::json!({"orig": "x", "iat": "soon"}), &key).unwrap()
    };
    let err = verify(&bad_claims, &reg, facts()).unwrap_err();
    assert_eq!(err.code(), "invalid_claims");
    assert!(
        err.to_string().contains("iat") || err.to_string().contains("orig"),
        "names the field: {err}"
    );
}

#[test]
fn a_registry_rejects_duplicate_key_ids_and_bad_records() {
    let two = vec![org(OrgStatus::Active), {
        let mut o = org(OrgStatus::Active);
        o.id = "copy".into();
        o
    }];
    assert!(Registry::new(two).is_err());
    let mut bad = org(OrgStatus::Active);
    bad.keys[0].public_key_pem = "garbage".into();
    bad.category = "wizards".into();
    bad.handles.clear();
    assert_eq!(bad.problems().len(), 3, "{:?}", bad.problems());
    assert!(org(OrgStatus::Active).problems().is_empty());
}

#[test]
fn handles_compare_canonically() {
    assert_eq!(canonical_handle("tel:+86 571 8728-0110"), "+8657187280110");
    assert_eq!(canonical_handle("0086 571 87280110"), "+8657187280110");
    assert_eq!(
        canonical_handle("mailto:Fanzha@HZ.example"),
        "fanzha@hz.example"
    );
    assert!(org(OrgStatus::Active).may_show("ＨＡＮＧＺＨＯＵ public security bureau"));
    assert!(org(OrgStatus::Active).may_show("杭州市公安局"));
    assert!(!org(OrgStatus::Active).may_show("杭州市"));
}

#[test]
fn names_are_filed_by_language_and_problems_name_their_field() {
    assert_eq!(NameLanguage::of("杭州市公安局"), NameLanguage::ZhHans);
    assert_eq!(NameLanguage::of("臺北市政府警察局"), NameLanguage::ZhHant);
    assert_eq!(NameLanguage::of("HSBC Fraud Team"), NameLanguage::En);
    let mut names = Names::default();
    for n in [
        "杭州市公安局",
        "杭州市公安局",
        "杭州市公安局 ",
        "Hangzhou PSB",
        "杭州市公安局反詐中心",
    ] {
        names.push_detected(n);
    }
    assert_eq!(names.zh_hans, vec!["杭州市公安局"]);
    assert_eq!(names.zh_hant, vec!["杭州市公安局反詐中心"]);
    assert_eq!(names.en, vec!["Hangzhou PSB"]);

    let mut bad = org(OrgStatus::Active);
    bad.names.en.push("***".into());
    bad.handles.push("call me".into());
    bad.callback_numbers.push("1".into());
    bad.domains.push("not a domain".into());
    bad.keys[0].not_after = bad.keys[0].not_before;
    bad.keys.push(bad.keys[0].clone());
    let fields: Vec<String> = bad.field_problems().into_iter().map(|p| p.field).collect();
    assert_eq!(
        fields,
        [
            "names.en[1]",
            "handles[2]",
            "callback_numbers[1]",
            "domains[0]",
            "keys[0].not_after",
            "keys[1].kid",
            "keys[1].not_after"
        ]
    );
    assert!(OrgStatus::Suspended.may_become(OrgStatus::Active));
    assert!(!OrgStatus::Revoked.may_become(OrgStatus::Active));
    assert_eq!(OrgStatus::parse("suspended"), Some(OrgStatus::Suspended));
}
