//! The registry endpoints end to end, without a socket: enrol, verify a signed call through the
//! session API, suspend, rotate and revoke keys, export and import between two servers, and
//! every error naming its field. Driven through `tower::ServiceExt::oneshot` against a real
//! SQLite store in a temporary directory.

use axum::http::{header, Method, StatusCode};
use scamguard_core::passport::testing::{ORG_PRIVATE, ORG_PUBLIC, OTHER_PRIVATE, OTHER_PUBLIC};
use scamguard_core::passport::{self, Claims, Dest, Orig, Rcd};
use scamguard_server::config::OperatorKey;
use scamguard_server::testing::{self, hz_police_enrolment, Options, Reply, TestApp};
use scamguard_server::ServerConfig;
use scamguard_store::{now_ms, Actor};
use serde_json::{json, Value};
use std::time::Duration;

/// The shared harness with the registry loaded; requests default to the admin key.
struct T(TestApp);

impl std::ops::Deref for T {
    type Target = TestApp;
    fn deref(&self) -> &TestApp {
        &self.0
    }
}

fn config() -> ServerConfig {
    testing::config()
}

async fn start(config: ServerConfig) -> T {
    T(TestApp::with(Options {
        config: Some(config),
        registry: true,
        ..Options::default()
    })
    .await)
}

impl T {
    async fn send(&self, method: Method, path: &str, key: &str, body: Option<Value>) -> Reply {
        let body = body.map(|v| v.to_string()).unwrap_or_default();
        self.0.raw(method, path, Some(key), &body).await
    }

    async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, &self.admin, Some(body)).await
    }

    async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, &self.admin, None).await
    }

    /// Opens a call from `handle` showing "杭州市公安局", with `token` if any.
    async fn call(&self, handle: &str, token: Option<&str>) -> Value {
        let r = self
            .send(
                Method::POST,
                "/v1/sessions",
                &self.scan,
                Some(json!({
                    "channel": "video_call", "locale": "zh-Hans",
                    "from": {"handle": handle, "display_name": "杭州市公安局", "identity_token": token},
                    "to": {"handle": "+86 138 0000 0000"},
                    "events": [{"type": "call_offer"}]
                })),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.body["verdict"].clone()
    }
}

fn token(kid: &str, private: &str, origid: &str) -> String {
    let claims = Claims {
        orig: Orig {
            uri: "tel:+8657187280110".into(),
        },
        dest: Dest {
            uri: vec!["tel:+8613800000000".into()],
        },
        iat: now_ms() / 1000,
        origid: origid.into(),
        rcd: Rcd {
            nam: "杭州市公安局".into(),
            crn: Some("反诈回访".into()),
        },
    };
    passport::sign(&claims, kid, private.as_bytes()).unwrap()
}

/// The `identity_token_invalid` evidence of a verdict, if any.
fn token_failure(v: &Value) -> Option<String> {
    v["signals"]
        .as_array()?
        .iter()
        .find(|s| s["code"] == "identity_token_invalid")
        .and_then(|s| s["evidence"][0].as_str())
        .map(String::from)
}

fn verified_label(v: &Value) -> Option<String> {
    v["directives"]
        .as_array()?
        .iter()
        .find(|d| d["code"] == "label_caller" && d["verified"] == true)
        .and_then(|d| d["label"].as_str())
        .map(String::from)
}

#[tokio::test]
async fn an_enrolled_organisation_is_verified_until_suspended_or_revoked() {
    let t = start(config()).await;

    // Enrol: 201, names sorted into languages, key valid for 30 days, audited under the key.
    let r = t
        .post("/v1/admin/registry/organisations", hz_police_enrolment())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["names"]["zh_hans"], json!(["杭州市公安局"]));
    assert_eq!(
        r.body["names"]["en"],
        json!(["Hangzhou Public Security Bureau"])
    );
    assert_eq!(r.body["status"], "active");
    let key = &r.body["keys"][0];
    assert_eq!(
        key["not_after"].as_i64().unwrap() - key["not_before"].as_i64().unwrap(),
        30 * 86_400
    );
    let r = t.get("/v1/admin/registry/organisations").await;
    assert_eq!(r.body["organisations"].as_array().unwrap().len(), 1);

    // The engine in force has it: a signed call is verified.
    let v = t
        .call(
            "+86 571 8728 0110",
            Some(&token("hz-2026", ORG_PRIVATE, "c1")),
        )
        .await;
    assert_eq!(v["verified_identity"]["org"], "hz-police", "{v}");
    assert!(verified_label(&v).unwrap().contains("杭州市公安局"), "{v}");
    assert_eq!(v["action"], "allow");
    // The same name typed by a stranger is unverified and claims the registry's identity.
    let v = t.call("+1 213 555 0147", None).await;
    assert_eq!(v["claimed_identity"]["id"], "reg:hz-police", "{v}");
    assert_eq!(v["action"], "block");

    // Suspend: tokens fail with the reason; the audit trail has who and why.
    let r = t
        .post(
            "/v1/admin/registry/organisations/hz-police/status",
            json!({"status": "suspended", "reason": "key compromise suspected"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (r.body["previous"].as_str(), r.body["changed"].as_bool()),
        (Some("active"), Some(true))
    );
    let v = t
        .call(
            "+86 571 8728 0110",
            Some(&token("hz-2026", ORG_PRIVATE, "c2")),
        )
        .await;
    assert!(
        token_failure(&v)
            .unwrap()
            .starts_with("organisation_not_active"),
        "{v}"
    );
    let r = t
        .post(
            "/v1/admin/registry/organisations/hz-police/status",
            json!({"status": "active"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    // Rotate: add a key, revoke the old one.
    let r = t
        .post(
            "/v1/admin/registry/organisations/hz-police/keys",
            json!({"kid": "hz-2027", "public_key_pem": OTHER_PUBLIC}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["keys"].as_array().unwrap().len(), 2);
    let r = t
        .post("/v1/admin/registry/keys/hz-2026/revoke", json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["org"], "hz-police");
    let v = t
        .call(
            "+86 571 8728 0110",
            Some(&token("hz-2026", ORG_PRIVATE, "c3")),
        )
        .await;
    assert!(
        token_failure(&v).unwrap().starts_with("key_not_valid"),
        "{v}"
    );
    let v = t
        .call(
            "+86 571 8728 0110",
            Some(&token("hz-2027", OTHER_PRIVATE, "c4")),
        )
        .await;
    assert_eq!(v["verified_identity"]["org"], "hz-police", "{v}");
    let r = t
        .post("/v1/admin/registry/keys/hz-2026/revoke", json!({}))
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "conflict"));

    // Revoke the organisation: final.
    let r = t
        .post(
            "/v1/admin/registry/organisations/hz-police/status",
            json!({"status": "revoked"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = t
        .post(
            "/v1/admin/registry/organisations/hz-police/status",
            json!({"status": "active"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code(), r.field()),
        (StatusCode::CONFLICT, "conflict", "status")
    );

    // Every change is audited under the admin key's id.
    let r = t.get("/v1/admin/registry/organisations/hz-police").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let actions: Vec<&str> = r.body["audit"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "add_organisation",
            "set_status",
            "set_status",
            "add_key",
            "revoke_key",
            "set_status"
        ]
    );
    assert!(r.body["audit"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["who"] == t.admin_id.as_str()));
    assert_eq!(
        r.body["audit"][4]["detail"]["reason"],
        "key compromise suspected"
    );
    let r = t
        .get("/v1/admin/registry/audit?org=hz-police&limit=2")
        .await;
    assert_eq!(r.body["records"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn bad_requests_name_the_field() {
    let t = start(config()).await;
    let post = |body: Value| t.post("/v1/admin/registry/organisations", body);

    let mut no_id = hz_police_enrolment();
    no_id.as_object_mut().unwrap().remove("id");
    let r = post(no_id).await;
    assert_eq!(
        (r.status, r.code(), r.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", "id")
    );

    let mut typo = hz_police_enrolment();
    typo["handle"] = json!(["+86 571 8728 0110"]);
    let r = post(typo).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("handle"), "{}", r.text);

    let mut bad = hz_police_enrolment();
    bad["category"] = json!("wizards");
    let r = post(bad).await;
    assert_eq!(r.field(), "category", "{}", r.text);
    assert!(
        r.text.contains("police"),
        "lists the categories: {}",
        r.text
    );

    let mut bad = hz_police_enrolment();
    bad["keys"][0]["public_key_pem"] =
        json!("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----");
    bad["handles"] = json!([]);
    let r = post(bad).await;
    assert_eq!(r.field(), "handles", "{}", r.text);
    assert!(
        r.text.contains("keys[0].public_key_pem"),
        "every problem: {}",
        r.text
    );

    let mut bad = hz_police_enrolment();
    bad["keys"][0]["not_after"] = json!(1);
    let r = post(bad).await;
    assert_eq!(r.field(), "keys[0].valid_days", "{}", r.text);

    let mut bad = hz_police_enrolment();
    bad["names"] = json!({"zh_hanz": ["杭州市公安局"]});
    let r = post(bad).await;
    assert_eq!(r.field(), "names", "{}", r.text);

    let r = post(json!(["not", "an", "object"])).await;
    assert_eq!(r.field(), "body");

    assert_eq!(
        post(hz_police_enrolment()).await.status,
        StatusCode::CREATED
    );
    let r = post(hz_police_enrolment()).await;
    assert_eq!((r.status, r.field()), (StatusCode::CONFLICT, "id"));
    let mut same_kid = hz_police_enrolment();
    same_kid["id"] = json!("copycat");
    let r = post(same_kid).await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::CONFLICT, "keys"),
        "{}",
        r.text
    );

    let r = t
        .post(
            "/v1/admin/registry/organisations/hz-police/keys",
            json!({"kid": "bad kid", "public_key_pem": OTHER_PUBLIC}),
        )
        .await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "kid"),
        "{}",
        r.text
    );
    let r = t
        .post(
            "/v1/admin/registry/organisations/hz-police/keys",
            json!({"kid": "hz-2026", "public_key_pem": OTHER_PUBLIC}),
        )
        .await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::CONFLICT, "kid"),
        "{}",
        r.text
    );
    let r = t
        .post(
            "/v1/admin/registry/organisations/nobody/keys",
            json!({"kid": "x", "public_key_pem": OTHER_PUBLIC}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "organisation_not_found")
    );
    let r = t
        .post(
            "/v1/admin/registry/organisations/hz-police/status",
            json!({"status": "paused"}),
        )
        .await;
    assert_eq!(r.field(), "status");
    let r = t.get("/v1/admin/registry/organisations/nobody").await;
    assert_eq!(r.code(), "organisation_not_found");
    let r = t
        .post("/v1/admin/registry/keys/nope/revoke", json!({}))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "key_not_found")
    );

    // Scan keys may not touch the registry.
    let r = t
        .send(
            Method::GET,
            "/v1/admin/registry/organisations",
            &t.scan,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Nothing refused above was stored or audited.
    let r = t.get("/v1/admin/registry/audit").await;
    assert_eq!(r.body["records"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn operators_share_a_registry_as_a_signed_document() {
    // The exporting operator signs with its key; without one, export is refused.
    let t = start(config()).await;
    let r = t.get("/v1/admin/registry/export").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "not_configured")
    );
    let exporter = start(ServerConfig {
        operator_key: Some(OperatorKey {
            kid: "op-a".into(),
            private_pem: OTHER_PRIVATE.into(),
        }),
        ..config()
    })
    .await;
    assert_eq!(
        exporter
            .post("/v1/admin/registry/organisations", hz_police_enrolment())
            .await
            .status,
        StatusCode::CREATED
    );
    let r = exporter.get("/v1/admin/registry/export").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/jose");
    let jws = r.text.clone();
    let doc = passport::open_document(&jws, &[OTHER_PUBLIC]).unwrap();
    assert_eq!(doc.organisations[0].id, "hz-police");

    // An importer that trusts nobody refuses; one that trusts another key refuses the
    // signature; one that trusts the exporter imports, and verifies its calls.
    let r = t
        .post("/v1/admin/registry/import", json!({"document": jws}))
        .await;
    assert_eq!(r.code(), "not_configured");
    let wrong = start(ServerConfig {
        registry_trust: vec![ORG_PUBLIC.into()],
        ..config()
    })
    .await;
    let r = wrong
        .post("/v1/admin/registry/import", json!({"document": jws}))
        .await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "document")
    );
    assert!(r.text.contains("does not verify"), "{}", r.text);
    let importer = start(ServerConfig {
        registry_trust: vec![ORG_PUBLIC.into(), OTHER_PUBLIC.into()],
        ..config()
    })
    .await;
    let mid = format!("{}x", &jws[..jws.len() - 1]);
    let r = importer
        .post("/v1/admin/registry/import", json!({"document": mid}))
        .await;
    assert_eq!(r.field(), "document", "{}", r.text);
    let r = importer
        .post("/v1/admin/registry/import", json!({"documnet": jws}))
        .await;
    assert_eq!(r.field(), "documnet", "{}", r.text);
    let r = importer
        .post("/v1/admin/registry/import", json!({"document": jws}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["added"], json!(["hz-police"]));
    assert_eq!(r.body["keys_added"], 1);
    let v = importer
        .call(
            "+86 571 8728 0110",
            Some(&token("hz-2026", ORG_PRIVATE, "i1")),
        )
        .await;
    assert_eq!(v["verified_identity"]["org"], "hz-police", "{v}");
    // Importing again updates and adds nothing new.
    let r = importer
        .post("/v1/admin/registry/import", json!({"document": jws}))
        .await;
    assert_eq!(
        (r.body["updated"].clone(), r.body["keys_added"].clone()),
        (json!(["hz-police"]), json!(0))
    );
    let r = importer.get("/v1/admin/registry/audit").await;
    assert_eq!(r.body["records"][0]["action"], "import_update");
}

#[tokio::test]
async fn dry_runs_do_not_use_up_a_token() {
    let t = start(config()).await;
    assert_eq!(
        t.post("/v1/admin/registry/organisations", hz_police_enrolment())
            .await
            .status,
        StatusCode::CREATED
    );
    let tok = token("hz-2026", ORG_PRIVATE, "dry");
    let case = json!({
        "channel": "video_call",
        "from": {"handle": "+86 571 8728 0110", "display_name": "杭州市公安局", "identity_token": tok},
        "to": {"handle": "+86 138 0000 0000"},
        "events": [{"type": "call_offer"}]
    });
    let policy = scamguard_core::policy::DEFAULT_POLICY.to_string();
    for _ in 0..2 {
        let r = t
            .post(
                "/v1/admin/policy/dry-run",
                json!({"policy": policy, "case": case}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(
            r.body["current"]["verified_identity"]["org"], "hz-police",
            "{}",
            r.text
        );
        assert_eq!(
            r.body["candidate"]["verified_identity"]["org"], "hz-police",
            "{}",
            r.text
        );
    }
    let v = t.call("+86 571 8728 0110", Some(&tok)).await;
    assert_eq!(v["verified_identity"]["org"], "hz-police", "{v}");
    let v = t.call("+86 571 8728 0110", Some(&tok)).await;
    assert!(token_failure(&v).unwrap().starts_with("replayed"), "{v}");
}

#[tokio::test]
async fn changes_made_by_another_process_are_picked_up() {
    let t = start(ServerConfig {
        registry_refresh: Duration::from_millis(50),
        ..config()
    })
    .await;
    let watcher = tokio::spawn(scamguard_server::registry::watch(t.state.clone()));
    // What `scamguard registry add` does: write to the store, not through this server.
    let org = scamguard_core::passport::Organisation {
        id: "hz-police".into(),
        legal_name: "杭州市公安局".into(),
        category: "police".into(),
        names: passport::registry_names(&["杭州市公安局"], &[], &[]),
        handles: vec!["+86 571 8728 0110".into()],
        callback_numbers: vec!["110".into()],
        domains: vec![],
        keys: vec![passport::OrgKey {
            kid: "hz-2026".into(),
            public_key_pem: ORG_PUBLIC.into(),
            not_before: 0,
            not_after: i64::MAX / 2,
            revoked: false,
        }],
        status: passport::OrgStatus::Active,
    };
    t.state
        .store()
        .registry_add(
            &org,
            Actor {
                who: "cli",
                at: now_ms(),
            },
        )
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while t
        .state
        .engine()
        .registry()
        .is_none_or(|r| r.get("hz-police").is_none())
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the change was not picked up"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let v = t
        .call(
            "+86 571 8728 0110",
            Some(&token("hz-2026", ORG_PRIVATE, "w1")),
        )
        .await;
    assert_eq!(v["verified_identity"]["org"], "hz-police", "{v}");
    watcher.abort();
}

/// A used signed assertion stays used after a restart: used ids are kept in the store for the
/// assertion's lifetime, not in one process's memory (which also serves several nodes).
#[tokio::test]
async fn a_used_token_stays_used_after_a_restart() {
    let t = start(config()).await;
    let r = t
        .post("/v1/admin/registry/organisations", hz_police_enrolment())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let tok = token("hz-2026", ORG_PRIVATE, "once-only");
    let v = t.call("+86 571 8728 0110", Some(&tok)).await;
    assert_eq!(v["verified_identity"]["org"], "hz-police", "{v}");
    t.state.shutdown().await;
    let T(app) = t;
    let key = app.scan.clone();

    let t = T(TestApp::with(Options {
        config: Some(config()),
        dir: Some(app.dir),
        registry: true,
        ..Options::default()
    })
    .await);
    let r = t
        .send(
            Method::POST,
            "/v1/sessions",
            &key,
            Some(json!({
                "channel": "video_call", "locale": "zh-Hans",
                "from": {"handle": "+86 571 8728 0110", "display_name": "杭州市公安局",
                         "identity_token": tok},
                "to": {"handle": "+86 138 0000 0000"},
                "events": [{"type": "call_offer"}]
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let v = &r.body["verdict"];
    assert!(v["verified_identity"].is_null(), "{v}");
    assert!(
        token_failure(v).is_some_and(|f| f.starts_with("replayed")),
        "{v}"
    );
}
