//! `scamguard check` and `scamguard scan` on the built binary: what they refuse in a case or a
//! message line, and how they say it.

mod common;

use common::{json_lines, ok, run, run_with_stdin};

/// Issue 14 item 8: `verified_org` names an identity the engine knows, by id, or the input is
/// refused naming the field; the value is quoted with its control characters escaped.
#[test]
fn verified_org_must_be_a_known_identity() {
    let dir = tempfile::tempdir().unwrap();
    let case = |org: &str| {
        format!(
            r#"{{"channel":"video_call","from":{{"handle":"+1 213 555 0147","display_name":"厦门市公安局","verified_org":{}}},"events":[{{"type":"call_offer"}}]}}"#,
            serde_json::to_string(org).unwrap()
        )
    };
    std::fs::write(
        dir.path().join("forged.json"),
        case("厦门市公安局\u{1b}[2J"),
    )
    .unwrap();
    let out = run(dir.path(), &["check", "--no-model", "forged.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(
            r#"forged.json: from.verified_org: unknown organisation "厦门市公安局\u{001b}[2J""#
        ),
        "{err}"
    );
    assert!(
        !err.contains('\u{1b}'),
        "no raw escape reaches the terminal"
    );

    std::fs::write(dir.path().join("genuine.json"), case("cn_police")).unwrap();
    let out = ok(dir.path(), &["check", "--no-model", "genuine.json"]);
    let verdict: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(verdict["verified_identity"]["org"], "cn_police");

    // `scan` reads messages as JSON Lines; a forged line is reported and the others judged.
    let out = run_with_stdin(
        dir.path(),
        &["scan", "--no-model"],
        "{\"text\":\"你好\",\"from\":{\"handle\":\"a\",\"verified_org\":\"厦门市公安局\"}}\n{\"text\":\"你好\",\"from\":{\"handle\":\"95588\",\"verified_org\":\"cn_icbc\"}}\n"
            .as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2));
    let lines = json_lines(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(lines[0]["error"]["field"], "from.verified_org");
    assert_eq!(lines[1]["verified_identity"]["org"], "cn_icbc");
}

/// Issue 15 item 10: every file is judged; each bad one is named on stderr with the field at
/// fault (the API's `field`, never "body"), an array or an empty file is told what a case is,
/// and the exit status is 2 after the good ones printed.
#[test]
fn every_case_file_is_judged_and_each_bad_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = r#"{"channel":"video_call","from":{"handle":"+1 213 555 0147","display_name":"厦门市公安局"},"events":[{"type":"screen_share_request","initiator":"remote","app":"facetime"}]}"#;
    for (file, text) in [
        ("good.json", good),
        ("array.json", "[]"),
        ("empty.json", "\n"),
        ("broken.json", "{\"channel\": \n"),
        (
            "no_text.json",
            r#"{"channel":"message","from":{"handle":"95588"},"events":[{"type":"message","direction":"in"}]}"#,
        ),
    ] {
        std::fs::write(d.join(file), text).unwrap();
    }
    let out = run(
        d,
        &[
            "check",
            "--no-model",
            "good.json",
            "array.json",
            "empty.json",
            "broken.json",
            "no_text.json",
            "good.json",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let judged = json_lines(&stdout);
    assert_eq!(judged.len(), 2, "both good files are judged: {stdout}");
    for v in &judged {
        assert_eq!(v["case"], "good.json");
        assert_eq!(v["verdict"]["action"], "block", "{v}");
    }
    let err = String::from_utf8(out.stderr).unwrap();
    let line = |file: &str| {
        err.lines()
            .find(|l| l.starts_with(&format!("{file}: ")))
            .unwrap_or_else(|| panic!("{file} is not named: {err}"))
            .to_string()
    };
    let shape = "a case is one JSON object: {\"channel\": \"video_call\"";
    assert!(
        line("array.json").contains("not a case (expected an object, found an array)"),
        "{err}"
    );
    assert!(line("array.json").contains(shape), "{err}");
    assert!(line("empty.json").contains("the file is empty"), "{err}");
    assert!(line("empty.json").contains(shape), "{err}");
    assert!(
        line("broken.json").starts_with("broken.json: invalid JSON at line 2"),
        "{err}"
    );
    assert_eq!(
        line("no_text.json"),
        "no_text.json: events[0].text: missing field"
    );
    assert!(
        err.contains("4 of 6 case file(s) could not be judged"),
        "{err}"
    );
    assert!(!err.contains("body"), "API wording: {err}");
    assert!(!err.contains(": :"), "an empty path: {err}");
}

/// Issue 15 item 11: a stdin line that is not a JSON object is the message itself, and the
/// 64 KiB text limit holds for stdin lines and arguments alike, saying the limit.
#[test]
fn scan_reads_plain_lines_and_bounds_every_text() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // ASCII: one argument may hold at most 128 KiB on Linux.
    let long = "x".repeat(65_537);
    let input = format!(
        "您的账户已冻结，请立即点击 http://icbc-verify.top 解冻，并提供验证码。\n{{\"text\":\"今晚一起吃饭吗？\"}}\n{long}\n"
    );
    let out = run_with_stdin(d, &["scan", "--no-model"], input.as_bytes());
    assert_eq!(out.status.code(), Some(2), "the long line fails");
    let lines = json_lines(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(lines.len(), 3);
    assert_ne!(
        lines[0]["action"], "allow",
        "the plain line is judged: {}",
        lines[0]
    );
    assert!(lines[0]["error"].is_null());
    assert_eq!(lines[1]["action"], "allow", "{}", lines[1]);
    assert_eq!(lines[2]["line"], 3);
    assert_eq!(lines[2]["error"]["field"], "text");
    let limit = "too long: 65537 characters; at most 65536 are accepted";
    assert_eq!(lines[2]["error"]["message"], limit);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(&format!("line 3: text: {limit}")), "{err}");

    let out = run(d, &["scan", "--no-model", "你好", &long]);
    assert_eq!(out.status.code(), Some(2));
    let lines = json_lines(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(lines[0]["action"], "allow");
    assert_eq!(lines[1]["argument"], 2);
    assert_eq!(lines[1]["error"]["message"], limit);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(&format!("argument 2: text: {limit}")), "{err}");
}
