//! `scamguard report` and `scamguard campaigns list|show|export` against a data directory:
//! a report by the session's recipient counts and joins the session to a campaign, a second
//! one by the same person does not count, and the campaign lists, shows and exports.

use scamguard_core::{Case, Engine};
use scamguard_store::{now_ms, open, EventRecord, HandleHasher, SessionRecord, StoreConfig, Write};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_scamguard");

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN).args(args).output().expect("runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `scamguard report --data-dir D --session SESSION --reporter REPORTER EXTRA…`.
fn report(d: &str, session: &str, reporter: &str, extra: &[&str]) -> (bool, String, String) {
    let args = [
        "report",
        "--data-dir",
        d,
        "--session",
        session,
        "--reporter",
        reporter,
    ];
    run(&[&args[..], extra].concat())
}

/// Stores a scam call to "victim" that named a safe account, as the server would have.
async fn stored_call(dir: &std::path::Path) {
    let hasher = HandleHasher::load_or_create(dir).unwrap();
    let engine = Engine::builtin().unwrap();
    let case = Case::from_value(&serde_json::json!({
        "channel": "video_call", "locale": "zh-Hans",
        "from": {"handle": "+86 171 5555 0001", "display_name": "上海市公安局"},
        "to": {"handle": "victim"},
        "events": [{"type": "speech", "speaker": "remote",
                    "text": "你涉嫌洗钱，把钱转到安全账户 6222 0212 3456 7890 123，不要告诉任何人。"}]
    }))
    .unwrap();
    let (session, verdict) = scamguard_core::intel::joiner::run_case(&engine, &case);
    assert!(!session.indicators.is_empty());
    let now = now_ms();
    let store = open(&StoreConfig::sqlite(dir)).await.unwrap();
    store
        .commit(&[Write {
            session: Some(SessionRecord {
                id: "ses_cli".into(),
                created: now,
                updated: now,
                expires: now + 60_000,
                channel: "video_call".into(),
                locale: "zh-Hans".into(),
                handle_hash: hasher.hash("+86 171 5555 0001"),
                state: serde_json::to_string(&session).unwrap(),
                max_action: verdict.action.as_str().into(),
                closed: false,
                owner: None,
            }),
            events: vec![EventRecord {
                session_id: "ses_cli".into(),
                seq: 0,
                event_id: None,
                kind: "session_opened".into(),
                at: now,
                action: verdict.action.as_str().into(),
                payload: "{}".into(),
                verdict: serde_json::to_string(&verdict).unwrap(),
                progress: None,
            }],
            user_hash: Some(hasher.hash("victim")),
            ..Write::default()
        }])
        .await
        .unwrap();
    store.close().await;
}

#[test]
fn a_report_joins_its_session_to_a_campaign_that_lists_shows_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(stored_call(dir.path()));

    let (ok, out, err) = report(d, "ses_cli", "victim", &["--note", "自称警察"]);
    assert!(ok, "{err}");
    let filed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(filed["counted"], true, "{out}");
    let campaign = filed["campaign_id"].as_str().unwrap().to_string();

    let (ok, out, _) = report(d, "ses_cli", "victim", &[]);
    assert!(ok);
    assert!(out.contains("already_reported_by_this_reporter"), "{out}");
    let (ok, out, _) = report(d, "ses_cli", "stranger", &[]);
    assert!(ok);
    assert!(out.contains("reporter_did_not_receive_it"), "{out}");

    let (ok, _, err) = report(d, "ses_none", "victim", &[]);
    assert!(!ok && err.contains("no session"), "{err}");
    let (ok, _, err) = report(d, "ses_cli", "victim", &["--category", "rude"]);
    assert!(!ok && err.contains("--category"), "{err}");

    let (ok, out, err) = run(&["campaigns", "list", "--data-dir", d]);
    assert!(ok, "{err}");
    assert!(out.lines().nth(1).unwrap().starts_with(&campaign), "{out}");
    assert!(out.contains("reported"), "{out}");

    let (ok, out, _) = run(&["campaigns", "show", &campaign, "--data-dir", d, "--json"]);
    assert!(ok);
    let shown: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(shown["session_ids"], serde_json::json!(["ses_cli"]));
    assert_eq!(shown["reports"], 1);

    let (ok, out, _) = run(&[
        "campaigns",
        "export",
        &campaign,
        "--data-dir",
        d,
        "--format",
        "csv",
    ]);
    assert!(ok);
    assert!(out.contains("bank_account,6222021234567890123"), "{out}");
    let (ok, out, _) = run(&["campaigns", "export", &campaign, "--data-dir", d]);
    assert!(ok);
    let bundle: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(bundle["type"], "bundle");

    let (ok, _, err) = run(&["campaigns", "show", "cmp_999", "--data-dir", d]);
    assert!(!ok && err.contains("no campaign cmp_999"), "{err}");
    let (ok, _, err) = run(&["campaigns", "export", "campaign-1", "--data-dir", d]);
    assert!(!ok && err.contains("not a campaign id"), "{err}");
}
