//! `scamguard check` and `scamguard scan` on the built binary: what they refuse in a case or a
//! message line, and how they say it.

mod common;

use common::{ok, run, run_with_stdin};

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
    assert!(err.contains("forged.json is not a valid case"), "{err}");
    assert!(
        err.contains(r#"from.verified_org: unknown organisation "厦门市公安局\u{001b}[2J""#),
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
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["error"]["path"], "from.verified_org");
    assert_eq!(lines[1]["verified_identity"]["org"], "cn_icbc");
}
