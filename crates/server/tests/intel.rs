//! The anti-fraud loop through the API, as the issue's "done when" tells it: a scam call
//! reported by three people who received it blocks at the ring for the fourth, with an
//! explanation that others reported it; the ring's next call from a new handle naming the
//! same safe account lands in the same campaign and raises `known_campaign`; the campaign
//! exports as STIX and CSV; twenty reports from one person against a genuine caller block
//! nothing. Also every bad input to the new endpoints.

use axum::http::StatusCode;
use scamguard_server::testing::TestApp;
use serde_json::{json, Value};

const RING: &str = "+86 171 5555 0001";
const RING_NEXT: &str = "+86 172 6666 0002";
const ACCOUNT: &str = "6222 0212 3456 7890 123";

fn scam_call(from: &str, to: &str) -> Value {
    json!({"channel": "video_call", "locale": "zh-Hans",
    "from": {"handle": from, "display_name": "上海市公安局", "in_contacts": false},
    "to": {"handle": to},
    "events": [
        {"type": "call_offer"},
        {"type": "speech", "speaker": "remote",
         "text": format!("你涉嫌洗钱，必须把钱转到安全账户 {ACCOUNT} 配合调查，不要告诉任何人。")}
    ]})
}

fn genuine_call(from: &str, to: &str) -> Value {
    json!({"channel": "video_call", "locale": "zh-Hans",
           "from": {"handle": from, "display_name": "王小明", "in_contacts": true},
           "to": {"handle": to},
           "events": [{"type": "call_offer"},
                      {"type": "speech", "speaker": "remote", "text": "周末一起吃饭吗？"}]})
}

async fn open(t: &TestApp, body: Value) -> Value {
    let r = t.post("/v1/sessions", &t.scan, body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body
}

async fn report(t: &TestApp, session: &str, reporter: &str) -> Value {
    let r = t
        .post(
            "/v1/reports",
            &t.scan,
            json!({"session_id": session, "reporter": reporter, "category": "fraud",
                   "note": "自称公安，让我转账"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.body
}

fn signals(verdict: &Value) -> Vec<String> {
    verdict["signals"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s["code"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn reports_block_a_ring_at_the_ring_and_its_next_handle_joins_the_same_campaign() {
    let t = TestApp::start(scamguard_server::testing::config()).await;

    // Three people receive the ring's call and report it.
    let mut sessions = Vec::new();
    for user in ["user-1", "user-2", "user-3"] {
        let opened = open(&t, scam_call(RING, user)).await;
        assert_ne!(opened["verdict"]["action"], "allow", "{opened}");
        let id = opened["session_id"].as_str().unwrap().to_string();
        let filed = report(&t, &id, user).await;
        assert_eq!(filed["counted"], true, "{filed}");
        assert_eq!(filed["reason"], "counted");
        assert!(filed["report_id"].as_str().unwrap().starts_with("rpt_"));
        sessions.push(id);
    }
    let campaign = t
        .get(&format!("/v1/sessions/{}", sessions[0]), Some(&t.scan))
        .await
        .body["campaign_id"]
        .as_str()
        .expect("a flagged session names its campaign")
        .to_string();

    // The fourth person's phone blocks the caller at the ring, saying others reported it.
    let bare = json!({"channel": "video_call", "locale": "zh-Hans",
                      "from": {"handle": RING}, "to": {"handle": "user-4"},
                      "events": [{"type": "call_offer"}]});
    let fourth = open(&t, bare.clone()).await;
    assert_eq!(fourth["verdict"]["action"], "block", "{fourth}");
    assert!(
        signals(&fourth["verdict"]).contains(&"reported_handle".to_string()),
        "{fourth}"
    );
    assert!(
        fourth["verdict"].to_string().contains("举报"),
        "the explanation says others reported it: {fourth}"
    );

    // The ring's next call, from a new handle naming the same safe account: same campaign,
    // and the campaign was reported, so the verdict says so.
    let next = open(&t, scam_call(RING_NEXT, "user-5")).await;
    let next_id = next["session_id"].as_str().unwrap();
    assert!(
        signals(&next["verdict"]).contains(&"known_campaign".to_string()),
        "{next}"
    );
    let r = t
        .get(&format!("/v1/sessions/{next_id}"), Some(&t.scan))
        .await;
    assert_eq!(r.body["campaign_id"], campaign.as_str(), "{}", r.text);

    // The analyst's view of it.
    let list = t.get("/v1/campaigns", Some(&t.admin)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let top = &list.body["campaigns"][0];
    assert_eq!(top["id"], campaign.as_str());
    assert_eq!(top["status"], "reported");
    assert_eq!(top["reports"], 3);
    assert_eq!(top["handles"], 2);
    assert_eq!(
        top["sessions"], 5,
        "three reported, the blocked ring, the next call"
    );
    let one = t
        .get(&format!("/v1/campaigns/{campaign}"), Some(&t.admin))
        .await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.text);
    assert!(one.body["session_ids"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == next_id));
    let account: String = ACCOUNT.chars().filter(char::is_ascii_digit).collect();
    assert!(
        one.body["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "bank_account" && i["value"] == account.as_str()),
        "{}",
        one.text
    );

    // Exports.
    let stix = t
        .get(&format!("/v1/campaigns/{campaign}/stix"), Some(&t.admin))
        .await;
    assert_eq!(stix.status, StatusCode::OK, "{}", stix.text);
    assert!(stix
        .header("content-type")
        .starts_with("application/stix+json"));
    assert_eq!(stix.body["type"], "bundle");
    let objects = stix.body["objects"].as_array().unwrap();
    assert!(objects.iter().any(|o| o["type"] == "campaign"));
    assert!(objects.iter().any(|o| o["type"] == "indicator"
        && o["pattern"]
            .as_str()
            .is_some_and(|p| p.contains(account.as_str()))));
    let csv = t
        .get(&format!("/v1/campaigns/{campaign}/csv"), Some(&t.admin))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(csv.text.starts_with("campaign_id,kind,value,sessions"));
    assert!(csv.text.contains(&format!("bank_account,{account}")));

    // An appeal upheld: the handle stops being blocked by the crowd's reports.
    let r = t
        .post(
            "/v1/admin/reputation",
            &t.admin,
            json!({"handle": RING, "decision": "legitimate", "reason": "number reassigned to a new subscriber"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["reputation"]["standing"], "legitimate");
    assert_eq!(r.body["reports"].as_array().unwrap().len(), 3);
    assert_eq!(r.body["decisions"][0]["key_id"], t.admin_id.as_str());
    let after = open(&t, bare).await;
    assert_eq!(after["verdict"]["action"], "allow", "{after}");
    // Confirmed as fraud: blocked again, the campaign confirmed.
    let r = t
        .post(
            "/v1/admin/reputation",
            &t.admin,
            json!({"handle": RING, "decision": "fraud", "reason": "recordings reviewed"}),
        )
        .await;
    assert_eq!(r.body["reputation"]["standing"], "fraud", "{}", r.text);
    let r = t
        .get(&format!("/v1/campaigns/{campaign}"), Some(&t.admin))
        .await;
    assert_eq!(r.body["status"], "confirmed");
    let r = t
        .get(
            &format!(
                "/v1/admin/reputation?handle={}",
                "%2B86%20171%205555%200001"
            ),
            Some(&t.admin),
        )
        .await;
    assert_eq!(
        r.body["decisions"].as_array().unwrap().len(),
        2,
        "{}",
        r.text
    );
}

#[tokio::test]
async fn twenty_reports_from_one_person_against_a_genuine_caller_block_nothing() {
    let t = TestApp::start(scamguard_server::testing::config()).await;
    let friend = "+86 139 0000 1111";
    let received = open(&t, genuine_call(friend, "grudge")).await;
    assert_eq!(received["verdict"]["action"], "allow");
    let id = received["session_id"].as_str().unwrap();
    let first = report(&t, id, "grudge").await;
    assert_eq!(first["counted"], true);
    for _ in 0..19 {
        let again = report(&t, id, "grudge").await;
        assert_eq!(again["counted"], false);
        assert_eq!(again["reason"], "already_reported_by_this_reporter");
    }
    // Reports by people the caller never reached count for nothing either.
    let other = open(&t, genuine_call(friend, "someone-else")).await;
    for n in 0..5 {
        let r = report(
            &t,
            other["session_id"].as_str().unwrap(),
            &format!("troll-{n}"),
        )
        .await;
        assert_eq!(
            (r["counted"].as_bool(), r["reason"].as_str()),
            (Some(false), Some("reporter_did_not_receive_it"))
        );
    }
    let next = open(&t, genuine_call(friend, "mother")).await;
    assert_eq!(next["verdict"]["action"], "allow", "{next}");
    assert!(!signals(&next["verdict"]).contains(&"reported_handle".to_string()));
    // A session that does not name its recipient cannot be shown to have reached anyone.
    let anonymous = json!({"channel": "video_call", "locale": "zh-Hans",
                           "from": {"handle": friend}, "events": [{"type": "call_offer"}]});
    let s = open(&t, anonymous).await;
    let r = report(&t, s["session_id"].as_str().unwrap(), "grudge").await;
    assert_eq!(r["reason"], "session_has_no_recipient");
}

#[tokio::test]
async fn bad_reports_decisions_and_campaign_ids_are_refused_with_the_field() {
    let t = TestApp::start(scamguard_server::testing::config()).await;
    let s = open(&t, genuine_call("+86 139 0000 2222", "u")).await["session_id"]
        .as_str()
        .unwrap()
        .to_string();
    let cases = [
        (
            json!({"session_id": s, "reporter": "u", "category": "rude"}),
            "category",
        ),
        (
            json!({"session_id": s, "reporter": " ", "category": "fraud"}),
            "reporter",
        ),
        (json!({"session_id": s, "category": "fraud"}), "reporter"),
        (
            json!({"session_id": s, "reporter": "u", "category": "fraud", "note": "a\u{0}b"}),
            "note",
        ),
        (
            json!({"session_id": s, "reporter": "u", "category": "fraud", "text": "長".repeat(10_001)}),
            "text",
        ),
        (
            json!({"session_id": s, "reporter": "u", "category": "fraud", "extra": 1}),
            "extra",
        ),
        (
            json!({"session_id": 5, "reporter": "u", "category": "fraud"}),
            "session_id",
        ),
        (
            json!({"session_id": s, "reporter": "u".repeat(300), "category": "fraud"}),
            "reporter",
        ),
    ];
    for (body, field) in cases {
        let r = t.post("/v1/reports", &t.scan, body.clone()).await;
        assert_eq!(
            (r.status, r.code(), r.field()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", field),
            "{body}: {}",
            r.text
        );
    }
    // Mixed scripts and bidi controls are evidence, kept as sent.
    let r = t
        .post(
            "/v1/reports",
            &t.scan,
            json!({"session_id": s, "reporter": "u", "category": "other",
                   "text": "微信客服\u{202e}gnp.exe раураl"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    for missing in ["ses_nope", &"x".repeat(200)] {
        let r = t
            .post(
                "/v1/reports",
                &t.scan,
                json!({"session_id": missing, "reporter": "u", "category": "fraud"}),
            )
            .await;
        assert_eq!(r.code(), "session_not_found", "{}", r.text);
    }
    // Another platform's session is not there for this key.
    let other = scamguard_server::auth::generate_key(
        vec![scamguard_store::Scope::Scan],
        None,
        scamguard_store::now_ms(),
    );
    t.state.store().insert_key(&other.record).await.unwrap();
    let r = t
        .post(
            "/v1/reports",
            &other.key,
            json!({"session_id": s, "reporter": "u", "category": "fraud"}),
        )
        .await;
    assert_eq!(r.code(), "session_not_found");
    // Reports need the scan scope; decisions and campaigns the admin scope.
    let r = t.get("/v1/campaigns", Some(&t.scan)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let decisions = [
        (
            json!({"handle": "x", "decision": "maybe", "reason": "r"}),
            "decision",
        ),
        (
            json!({"handle": "x", "decision": "fraud", "reason": " "}),
            "reason",
        ),
        (json!({"decision": "fraud", "reason": "r"}), "handle"),
        (
            json!({"handle": "x", "handle_hash": "ab", "decision": "fraud", "reason": "r"}),
            "handle",
        ),
        (
            json!({"handle_hash": "not hex!", "decision": "fraud", "reason": "r"}),
            "handle_hash",
        ),
    ];
    for (body, field) in decisions {
        let r = t.post("/v1/admin/reputation", &t.admin, body.clone()).await;
        assert_eq!(
            (r.status, r.field()),
            (StatusCode::UNPROCESSABLE_ENTITY, field),
            "{body}: {}",
            r.text
        );
    }
    for id in ["cmp_999", "nope", "cmp_-1", "cmp_99999999999999999999"] {
        for suffix in ["", "/stix", "/csv"] {
            let r = t
                .get(&format!("/v1/campaigns/{id}{suffix}"), Some(&t.admin))
                .await;
            assert_eq!(
                (r.status, r.code()),
                (StatusCode::NOT_FOUND, "campaign_not_found"),
                "{id}{suffix}"
            );
        }
    }
    let r = t.get("/v1/campaigns?limit=0", Some(&t.admin)).await;
    assert_eq!(r.field(), "limit");
}

#[tokio::test]
async fn with_campaigns_off_reports_and_reputation_still_work() {
    let t = TestApp::start(scamguard_server::ServerConfig {
        campaigns: false,
        ..scamguard_server::testing::config()
    })
    .await;
    let opened = open(&t, scam_call(RING, "user-1")).await;
    let id = opened["session_id"].as_str().unwrap();
    let filed = report(&t, id, "user-1").await;
    assert_eq!(filed["counted"], true);
    assert!(filed.get("campaign_id").is_none(), "{filed}");
    let r = t.get(&format!("/v1/sessions/{id}"), Some(&t.scan)).await;
    assert!(r.body.get("campaign_id").is_none());
    let r = t.get("/v1/campaigns", Some(&t.admin)).await;
    assert_eq!(r.body["campaigns"], json!([]));
}

#[tokio::test]
async fn crowd_reports_send_a_registry_organisation_to_review_not_to_a_block() {
    let t = TestApp::with(scamguard_server::testing::Options {
        config: Some(scamguard_server::testing::config()),
        registry: true,
        ..Default::default()
    })
    .await;
    let r = t
        .post(
            "/v1/admin/registry/organisations",
            &t.admin,
            scamguard_server::testing::hz_police_enrolment(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let police = "+86 571 8728 0110";
    for user in ["user-1", "user-2", "user-3"] {
        let s = open(&t, genuine_call(police, user)).await;
        let filed = report(&t, s["session_id"].as_str().unwrap(), user).await;
        assert_eq!(filed["counted"], true);
    }
    // A bare call from a handle three people reported, not in the user's contacts: a ring's
    // would block here (see above); the registry's organisation rings.
    let bare = json!({"channel": "video_call", "locale": "zh-Hans",
                      "from": {"handle": police}, "to": {"handle": "user-4"},
                      "events": [{"type": "call_offer"}]});
    let next = open(&t, bare).await;
    assert_ne!(next["verdict"]["action"], "block", "{next}");
    assert!(
        !signals(&next["verdict"]).contains(&"reported_handle".to_string()),
        "{next}"
    );
    let r = t
        .get(
            "/v1/admin/reputation?handle=%2B86%20571%208728%200110",
            Some(&t.admin),
        )
        .await;
    assert_eq!(r.body["reputation"]["standing"], "review", "{}", r.text);
    assert_eq!(r.body["reputation"]["reporters"], 3);
}

/// The warning desk hears of a reported handle calling and of a session joining a reported
/// campaign, once per session and reason, signed, with keyed hashes and no handle or text.
#[tokio::test]
async fn the_warning_desk_gets_a_signed_campaign_warning() {
    use scamguard_server::testing::{webhook_config, WebhookReceiver, TEST_WEBHOOK_SECRET};
    use scamguard_server::webhook::{self, Sender, WebhookSecret};
    use std::time::Duration;

    let receiver = WebhookReceiver::start(0).await;
    let t = TestApp::start(scamguard_server::ServerConfig {
        webhook: Some(webhook_config(&receiver.url())),
        ..scamguard_server::testing::config()
    })
    .await;
    let sender = Sender::start(t.state.shared_store(), webhook_config(&receiver.url())).unwrap();
    // The first call joins a campaign nobody reported yet: no warning. Once its recipient
    // reports it, the ring's next calls join a reported campaign: each is a warning.
    let mut reported = Vec::new();
    for user in ["user-1", "user-2", "user-3"] {
        let opened = open(&t, scam_call(RING, user)).await;
        let id = opened["session_id"].as_str().unwrap().to_string();
        report(&t, &id, user).await;
        reported.push(id);
    }

    let bare = json!({"channel": "video_call", "locale": "zh-Hans",
                      "from": {"handle": RING}, "to": {"handle": "user-4"},
                      "events": [{"type": "call_offer"}]});
    let fourth = open(&t, bare).await;
    let next = open(&t, scam_call(RING_NEXT, "user-5")).await;
    // A later event of the same session warns no more.
    let sid = next["session_id"].as_str().unwrap();
    let r = t
        .post(
            &format!("/v1/sessions/{sid}/events"),
            &t.scan,
            json!({"type": "speech", "speaker": "remote", "text": "账户 6222 9999 8888 7777 666 也可以"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let got = receiver
        .wait_for_delivered(5, Duration::from_secs(20))
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    sender.stop().await;
    let all = receiver.received();
    assert_eq!(all.len(), 5, "{got:?}");
    let secret = WebhookSecret::new(TEST_WEBHOOK_SECRET.as_bytes()).unwrap();
    let mut seen = Vec::new();
    for hook in &all {
        assert_eq!(hook.header("x-scamguard-kind"), "campaign_warning");
        let ts: i64 = hook.header("x-scamguard-timestamp").parse().unwrap();
        assert!(webhook::verify(
            &secret,
            ts,
            &hook.body,
            hook.header("x-scamguard-signature"),
            scamguard_store::now_ms() / 1000,
            300,
        ));
        let body = String::from_utf8_lossy(&hook.body);
        for secret_text in ["5555", "6666", "6222", "user-", "洗钱"] {
            assert!(!body.contains(secret_text), "{secret_text} in {body}");
        }
        let data = &hook.json()["data"];
        seen.push((
            data["session_id"].as_str().unwrap().to_string(),
            data["reason"].as_str().unwrap().to_string(),
        ));
        if data["session_id"] == next["session_id"] {
            assert_eq!(data["user_hash"], t.state.hasher().hash("user-5").as_str());
            assert_eq!(data["campaign_status"], "reported");
            assert!(data["campaign_id"].as_str().unwrap().starts_with("cmp_"));
        }
    }
    seen.sort();
    let four = fourth["session_id"].as_str().unwrap().to_string();
    let mut want = vec![
        (reported[1].clone(), "known_campaign".to_string()),
        (reported[2].clone(), "known_campaign".to_string()),
        (four.clone(), "known_campaign".to_string()),
        (four, "reported_handle".to_string()),
        (sid.to_string(), "known_campaign".to_string()),
    ];
    want.sort();
    assert_eq!(seen, want);
}
