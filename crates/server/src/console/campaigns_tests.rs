//! The campaign pages, the decision buttons and the session page's reputation and report form,
//! through `tower::ServiceExt::oneshot` against a real SQLite store.

use crate::testing::{self, TestApp};
use axum::http::StatusCode;
use serde_json::json;

async fn scam_session(t: &TestApp, from: &str, to: &str) -> String {
    let r = t
        .post(
            "/v1/sessions",
            &t.scan,
            json!({"channel": "video_call", "locale": "zh-Hans",
                   "from": {"handle": from, "display_name": "上海市公安局"},
                   "to": {"handle": to},
                   "events": [{"type": "call_offer"},
                              {"type": "speech", "speaker": "remote",
                               "text": "你涉嫌洗钱，把钱转到安全账户 6222 0212 3456 7890 123，不要告诉任何人。"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["session_id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn campaigns_list_show_export_and_take_decisions() {
    let t = TestApp::start(testing::config()).await;
    let empty = t.get_with("/campaigns", &[]).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.has("data-testid=\"no-campaigns\""), "{}", empty.text);

    let mut ids = Vec::new();
    for user in ["u1", "u2"] {
        let id = scam_session(&t, "+86 171 5555 0001", user).await;
        let r = t
            .post(
                "/v1/reports",
                &t.scan,
                json!({"session_id": id, "reporter": user, "category": "fraud",
                       "note": "假警察\u{202e}txt.exe"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        ids.push(id);
    }
    // A second ring, smaller, with its own handle and download host: listed after.
    let r = t
        .post(
            "/v1/sessions",
            &t.scan,
            json!({"channel": "video_call", "locale": "zh-Hans",
                   "from": {"handle": "+86 172 0000 9999", "display_name": "上海市公安局"},
                   "to": {"handle": "u3"},
                   "events": [{"type": "speech", "speaker": "remote", "text": "请下载 http://yy-safe.top/app.apk 配合调查"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);

    let list = t.get_with("/campaigns", &[]).await;
    assert_eq!(list.status, StatusCode::OK);
    let first = list
        .text
        .find("data-campaign=\"cmp_1\"")
        .expect("cmp_1 listed");
    assert!(list.has("<svg"), "a chart of sessions per day");
    assert!(list.has("data-sessions=\"2\""), "{}", list.text);
    let second = list
        .text
        .find("data-campaign=\"cmp_2\"")
        .expect("cmp_2 listed");
    assert!(first < second, "largest first");

    let page = t.get_with("/campaigns/cmp_1", &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("data-kind=\"bank_account\""), "{}", page.text);
    assert!(page.has("6222021234567890123"));
    assert!(page.has("data-status=\"reported\""));
    // The reporter's note is shown with its direction override made visible.
    assert!(page.has("⟨U+202E⟩"), "{}", page.text);
    assert!(!page.has("\u{202e}"));
    for s in &ids {
        assert!(page.has(&format!("href=\"/sessions/{s}\"")));
    }
    let stix = t.get_with("/campaigns/cmp_1/stix", &[]).await;
    assert_eq!(stix.status, StatusCode::OK);
    assert!(stix
        .header("content-type")
        .starts_with("application/stix+json"));
    assert_eq!(stix.body["type"], "bundle");
    let csv = t.get_with("/campaigns/cmp_1/csv", &[]).await;
    assert!(csv.text.contains("bank_account,6222021234567890123"));
    assert_eq!(
        t.get_with("/campaigns/cmp_77", &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.get_with("/campaigns/%3Cscript%3E", &[]).await.status,
        StatusCode::NOT_FOUND
    );

    // The decision buttons: confirm the caller as fraud, with a reason.
    let hash = t.state.hasher().hash("+86 171 5555 0001");
    let r = t
        .post_form(
            "/reputation",
            &[
                ("handle_hash", &hash),
                ("decision", "fraud"),
                ("reason", "录音已核实"),
                ("back", "/campaigns/cmp_1"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.header("location"), "/campaigns/cmp_1");
    let page = t.get_with("/campaigns/cmp_1", &[]).await;
    assert!(page.has("data-status=\"confirmed\""), "{}", page.text);
    assert!(page.has("data-status=\"fraud\""));
    let decisions = t.state.store().decisions(&hash).await.unwrap();
    assert_eq!(
        (decisions[0].key_id.as_str(), decisions[0].reason.as_str()),
        ("console", "录音已核实")
    );
    // A bad form changes nothing; a foreign `back` is not followed.
    for bad in [
        vec![
            ("handle_hash", hash.as_str()),
            ("decision", "maybe"),
            ("reason", "r"),
        ],
        vec![
            ("handle_hash", hash.as_str()),
            ("decision", "fraud"),
            ("reason", " "),
        ],
        vec![
            ("handle_hash", "<x>"),
            ("decision", "fraud"),
            ("reason", "r"),
        ],
    ] {
        let r = t.post_form("/reputation", &bad, &[]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
    }
    let r = t
        .post_form(
            "/reputation",
            &[
                ("handle_hash", &hash),
                ("decision", "legitimate"),
                ("reason", "appeal"),
                ("back", "https://elsewhere.example/"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.header("location"), "/campaigns");
    assert_eq!(t.state.store().decisions(&hash).await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_session_page_shows_the_callers_reputation_and_takes_a_report() {
    let t = TestApp::start(testing::config()).await;
    let id = scam_session(&t, "+86 171 5555 0001", "victim").await;
    let page = t.get_with(&format!("/sessions/{id}"), &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("data-testid=\"reputation\""), "{}", page.text);
    assert!(page.has("data-status=\"clear\""));
    assert!(
        page.has("href=\"/campaigns/cmp_1\""),
        "a flagged session names its campaign"
    );

    let r = t
        .post_form(
            &format!("/sessions/{id}/report"),
            &[
                ("reporter", "victim"),
                ("category", "fraud"),
                ("note", "电话里的警察"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(
        r.header("location"),
        format!("/sessions/{id}?report=counted")
    );
    let page = t.get_with(r.header("location"), &[]).await;
    assert!(page.has("data-testid=\"report-result\""), "{}", page.text);
    let r = t
        .post_form(
            &format!("/sessions/{id}/report"),
            &[("reporter", "someone else"), ("category", "fraud")],
            &[],
        )
        .await;
    assert_eq!(
        r.header("location"),
        format!("/sessions/{id}?report=reporter_did_not_receive_it")
    );
    let r = t
        .post_form(
            &format!("/sessions/{id}/report"),
            &[("reporter", "victim"), ("category", "rude")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .post_form(
            "/sessions/ses_nope/report",
            &[("reporter", "v"), ("category", "fraud")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // A crafted result in the address shows nothing.
    let page = t
        .get_with(&format!("/sessions/{id}?report=%3Cb%3E"), &[])
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.has("data-testid=\"report-result\""));
}
