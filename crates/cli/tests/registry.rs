//! The verified-callers walkthrough of the README, run on the built binary: generate keys,
//! enrol "杭州市公安局", sign a call, check it; the same name typed by a stranger; key and
//! status changes; export and import; `serve` loading the registry at start. Errors must say
//! what to fix. Network traffic goes to 127.0.0.1 only.

mod common;

use common::{fails, http, ok, Server};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const NAME: &str = "杭州市公安局";

/// `registry add --data-dir data` with `rest`.
fn add<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    [&["registry", "add", "--data-dir", "data"][..], rest].concat()
}

/// `registry import --data-dir DIR --trust KEY DOCUMENT`.
fn import<'a>(data_dir: &'a str, trust: &'a str, document: &'a str) -> [&'a str; 7] {
    [
        "registry",
        "import",
        "--data-dir",
        data_dir,
        "--trust",
        trust,
        document,
    ]
}

fn case(dir: &Path, file: &str, handle: &str, token: Option<&str>, share: bool) -> PathBuf {
    let mut events = vec![json!({"type": "call_offer"})];
    if share {
        events.push(
            json!({"type": "screen_share_request", "initiator": "remote", "app": "facetime"}),
        );
    }
    let c = json!({
        "channel": "video_call", "locale": "zh-Hans",
        "from": {"handle": handle, "display_name": NAME, "identity_token": token},
        "to": {"handle": "+86 138 0000 0000"},
        "events": events,
    });
    let path = dir.join(file);
    std::fs::write(&path, c.to_string()).unwrap();
    path
}

fn sign(dir: &Path, kid: &str, key: &str) -> String {
    ok(
        dir,
        &[
            "sign",
            "--key",
            key,
            "--kid",
            kid,
            "--orig",
            "tel:+8657187280110",
            "--dest",
            "tel:+8613800000000",
            "--name",
            NAME,
        ],
    )
    .trim()
    .to_string()
}

fn check(dir: &Path, path: &Path) -> Value {
    let out = ok(
        dir,
        &["check", "--data-dir", "data", path.to_str().unwrap()],
    );
    serde_json::from_str(&out).unwrap()
}

fn token_failure(v: &Value) -> String {
    v["signals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "identity_token_invalid")
        .and_then(|s| s["evidence"][0].as_str())
        .unwrap_or("")
        .to_string()
}

fn enrol(dir: &Path) {
    ok(dir, &["signing-key", "generate", "--out", "hz-keys"]);
    let out = ok(
        dir,
        &add(&[
            "--id",
            "hz-police",
            "--name",
            NAME,
            "--name",
            "Hangzhou Public Security Bureau",
            "--category",
            "police",
            "--handle",
            "+86 571 8728 0110",
            "--callback",
            "110",
            "--key",
            "hz-keys/public.pem",
            "--kid",
            "hz-2026",
        ]),
    );
    assert!(out.contains("enrolled hz-police"), "{out}");
}

#[test]
fn the_readme_walkthrough_verifies_the_real_caller_and_blocks_the_stranger() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    enrol(d);

    // The organisation signs a call; the callee sees the verified name.
    let token = sign(d, "hz-2026", "hz-keys/private.pem");
    assert_eq!(token.split('.').count(), 3);
    let v = check(
        d,
        &case(d, "call.json", "+86 571 8728 0110", Some(&token), false),
    );
    assert_eq!(
        v["verified_identity"],
        json!({"org": "hz-police", "name": NAME}),
        "{v:#}"
    );
    assert_eq!(v["action"], "allow");
    let label = v["directives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "label_caller")
        .unwrap();
    assert_eq!(label["verified"], true);
    assert!(label["label"].as_str().unwrap().contains(NAME));

    // A stranger types the same name on a +1 FaceTime handle and asks for the screen.
    let v = check(d, &case(d, "stranger.json", "+1 213 555 0147", None, true));
    assert_eq!(v["action"], "block", "{v:#}");
    assert_eq!(v["claimed_identity"]["id"], "reg:hz-police");
    assert!(v["verified_identity"].is_null());
    let codes: Vec<&str> = v["directives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"deny_screen_share"), "{codes:?}");
    let callback = v["directives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "offer_official_callback")
        .unwrap();
    assert_eq!(callback["number"], "110");

    // The stranger replays the real token from their own handle: refused.
    let v = check(
        d,
        &case(d, "replay.json", "+1 213 555 0147", Some(&token), false),
    );
    assert!(token_failure(&v).starts_with("caller_mismatch"), "{v:#}");
    // Several cases in one run share the replay memory.
    let fresh = case(
        d,
        "fresh.json",
        "+86 571 8728 0110",
        Some(&sign(d, "hz-2026", "hz-keys/private.pem")),
        false,
    );
    let out = ok(
        d,
        &[
            "check",
            "--data-dir",
            "data",
            fresh.to_str().unwrap(),
            fresh.to_str().unwrap(),
        ],
    );
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["verdict"]["verified_identity"]["org"], "hz-police");
    assert!(
        token_failure(&lines[1]["verdict"]).starts_with("replayed"),
        "{out}"
    );
    // Without --data-dir there is no registry.
    let v: Value = serde_json::from_str(&ok(d, &["check", fresh.to_str().unwrap()])).unwrap();
    assert!(token_failure(&v).starts_with("unknown_key"), "{v:#}");
}

#[test]
fn keys_and_status_changes_take_effect_and_are_audited() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    enrol(d);
    let call = |file: &str, kid: &str, key: &str| {
        let t = sign(d, kid, key);
        check(d, &case(d, file, "+86 571 8728 0110", Some(&t), false))
    };

    let out = ok(
        d,
        &[
            "registry",
            "suspend",
            "hz-police",
            "--data-dir",
            "data",
            "--reason",
            "audit",
        ],
    );
    assert!(out.contains("organisation_not_active"), "{out}");
    let v = call("s.json", "hz-2026", "hz-keys/private.pem");
    assert!(
        token_failure(&v).starts_with("organisation_not_active"),
        "{v:#}"
    );
    ok(
        d,
        &["registry", "activate", "hz-police", "--data-dir", "data"],
    );

    ok(d, &["signing-key", "generate", "--out", "hz-keys-2027"]);
    ok(
        d,
        &[
            "registry",
            "add-key",
            "hz-police",
            "--data-dir",
            "data",
            "--key",
            "hz-keys-2027/public.pem",
            "--kid",
            "hz-2027",
            "--valid-days",
            "30",
        ],
    );
    ok(
        d,
        &["registry", "revoke-key", "hz-2026", "--data-dir", "data"],
    );
    let v = call("old.json", "hz-2026", "hz-keys/private.pem");
    assert!(token_failure(&v).starts_with("key_not_valid"), "{v:#}");
    let v = call("new.json", "hz-2027", "hz-keys-2027/private.pem");
    assert_eq!(v["verified_identity"]["org"], "hz-police", "{v:#}");

    let list = ok(d, &["registry", "list", "--data-dir", "data"]);
    assert!(list.contains("hz-police") && list.contains("1/2"), "{list}");
    let show = ok(d, &["registry", "show", "hz-police", "--data-dir", "data"]);
    for needle in [
        "hz-2026",
        "revoked",
        "hz-2027",
        "valid",
        "add_organisation",
        "revoke_key",
        "cli",
    ] {
        assert!(show.contains(needle), "{needle} not in:\n{show}");
    }
    let json: Value = serde_json::from_str(&ok(
        d,
        &[
            "registry",
            "show",
            "hz-police",
            "--data-dir",
            "data",
            "--json",
        ],
    ))
    .unwrap();
    assert_eq!(json["audit"].as_array().unwrap().len(), 5, "{json:#}");
    assert_eq!(json["audit"][4]["who"], "cli");

    ok(
        d,
        &["registry", "revoke", "hz-police", "--data-dir", "data"],
    );
    let err = fails(
        d,
        &["registry", "activate", "hz-police", "--data-dir", "data"],
    );
    assert!(err.contains("final"), "{err}");
}

#[test]
fn registries_travel_as_signed_documents() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    enrol(d);
    ok(d, &["signing-key", "generate", "--out", "operator"]);
    ok(d, &["signing-key", "generate", "--out", "stranger"]);
    let doc = ok(
        d,
        &[
            "registry",
            "export",
            "--data-dir",
            "data",
            "--signing-key",
            "operator/private.pem",
            "--kid",
            "op-1",
        ],
    );
    std::fs::write(d.join("registry.jws"), &doc).unwrap();
    let err = fails(d, &import("peer", "stranger/public.pem", "registry.jws"));
    assert!(
        err.contains("does not verify") && err.contains("nothing was imported"),
        "{err}"
    );
    let out = ok(d, &import("peer", "operator/public.pem", "registry.jws"));
    assert!(out.contains("1 added"), "{out}");
    let t = sign(d, "hz-2026", "hz-keys/private.pem");
    let c = case(d, "peer.json", "+86 571 8728 0110", Some(&t), false);
    let v: Value = serde_json::from_str(&ok(
        d,
        &["check", "--data-dir", "peer", c.to_str().unwrap()],
    ))
    .unwrap();
    assert_eq!(v["verified_identity"]["org"], "hz-police", "{v:#}");
    // Tampering breaks the signature.
    let mut parts: Vec<String> = doc.trim().split('.').map(String::from).collect();
    parts[1] = parts[1].replacen('e', "f", 1);
    std::fs::write(d.join("tampered.jws"), parts.join(".")).unwrap();
    let err = fails(d, &import("peer", "operator/public.pem", "tampered.jws"));
    assert!(err.contains("nothing was imported"), "{err}");
}

#[test]
fn mistakes_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["signing-key", "generate", "--out", "k"]);
    let err = fails(
        d,
        &add(&[
            "--id",
            "bad id",
            "--name",
            NAME,
            "--category",
            "wizards",
            "--handle",
            "call me",
            "--key",
            "k/public.pem",
            "--kid",
            "k1",
        ]),
    );
    for needle in ["--id", "--category", "police", "--handle"] {
        assert!(err.contains(needle), "{needle} not in: {err}");
    }
    let err = fails(
        d,
        &add(&[
            "--id",
            "x",
            "--name",
            NAME,
            "--category",
            "police",
            "--handle",
            "110",
            "--key",
            "k/private.pem",
            "--kid",
            "k1",
        ]),
    );
    assert!(err.contains("is a private key"), "{err}");
    let err = fails(
        d,
        &[
            "sign",
            "--key",
            "k/public.pem",
            "--kid",
            "k1",
            "--orig",
            "110",
            "--dest",
            "111",
            "--name",
            NAME,
        ],
    );
    assert!(err.contains("is a public key"), "{err}");
    let c = case(d, "c.json", "+86 571 8728 0110", None, false);
    let err = fails(d, &["check", "--data-dir", "nowhere", c.to_str().unwrap()]);
    assert!(err.contains("registry add --data-dir nowhere"), "{err}");
    assert!(!d.join("nowhere").exists(), "check creates nothing");
    let err = fails(d, &["registry", "show", "nobody", "--data-dir", "data"]);
    assert!(err.contains("registry list"), "{err}");
    let err = fails(d, &["registry", "revoke-key", "nope", "--data-dir", "data"]);
    assert!(err.contains("no key"), "{err}");
}

#[test]
fn serve_verifies_against_the_registry_in_its_data_dir_and_exports_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    enrol(d);
    // The operator key in DATA_DIR/operator is picked up by default.
    ok(d, &["signing-key", "generate", "--out", "data/operator"]);
    let key = ok(
        d,
        &["keys", "create", "--scope", "admin", "--data-dir", "data"],
    );
    let key = key.trim();
    let server = Server::start(d, &["--data-dir", "data", "--rate-limit", "0"]);
    let addr = server.addr;

    let token = sign(d, "hz-2026", "hz-keys/private.pem");
    let opening = json!({
        "channel": "video_call",
        "from": {"handle": "+86 571 8728 0110", "display_name": NAME, "identity_token": token},
        "to": {"handle": "+86 138 0000 0000"},
    });
    let (status, body) = http(addr, "POST", "/v1/sessions", key, Some(&opening));
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v["verdict"]["verified_identity"]["org"], "hz-police",
        "{v:#}"
    );

    let (status, jws) = http(addr, "GET", "/v1/admin/registry/export", key, None);
    assert_eq!(status, 200, "{jws}");
    std::fs::write(d.join("served.jws"), &jws).unwrap();
    let out = ok(d, &import("copy", "data/operator/public.pem", "served.jws"));
    assert!(out.contains("1 added"), "{out}");
    drop(server);
}
