//! `scamguard check` and `scamguard scan` on the built binary: what they refuse in a case or a
//! message line, and how they say it.

use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_scamguard");

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
    let forged = dir.path().join("forged.json");
    std::fs::write(&forged, case("厦门市公安局\u{1b}[2J")).unwrap();
    let out = Command::new(BIN)
        .args(["check", "--no-model"])
        .arg(&forged)
        .env_remove("SCAMGUARD_POLICY")
        .output()
        .unwrap();
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

    let genuine = dir.path().join("genuine.json");
    std::fs::write(&genuine, case("cn_police")).unwrap();
    let out = Command::new(BIN)
        .args(["check", "--no-model"])
        .arg(&genuine)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdict: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verdict["verified_identity"]["org"], "cn_police");

    // `scan` reads messages as JSON Lines; a forged line is reported and the others judged.
    let mut scan = Command::new(BIN)
        .args(["scan", "--no-model"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    scan.stdin
        .take()
        .unwrap()
        .write_all(
            "{\"text\":\"你好\",\"from\":{\"handle\":\"a\",\"verified_org\":\"厦门市公安局\"}}\n{\"text\":\"你好\",\"from\":{\"handle\":\"95588\",\"verified_org\":\"cn_icbc\"}}\n"
                .as_bytes(),
        )
        .unwrap();
    let out = scan.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["error"]["path"], "from.verified_org");
    assert_eq!(lines[1]["verified_identity"]["org"], "cn_icbc");
}
