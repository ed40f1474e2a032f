//! `scamguard policy` and the engine options on the built binary: what an operator sees when a
//! policy file is wrong, however it is wrong.

mod common;

use common::{fails, ok, run};

/// Issue 14 item 1: a condition nested 4,000 deep once overflowed the stack and aborted; now
/// `policy check` names the rule and the bound, and so does every command that loads it.
#[test]
fn deeply_nested_conditions_are_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let builtin = String::from_utf8(run(dir.path(), &["policy", "show"]).stdout).unwrap();
    let deep = format!(
        "{}\n[[rules]]\nname = \"deep\"\nwhen = \"{}claims_authority{}\"\naction = \"block\"\n",
        builtin,
        "(".repeat(4000),
        ")".repeat(4000)
    );
    let file = dir.path().join("deep.toml");
    std::fs::write(&file, deep).unwrap();
    let err = fails(dir.path(), &["policy", "check", "deep.toml"]);
    assert!(err.contains("deep.toml: 1 problem(s)"), "{err}");
    assert!(
        err.contains("(deep).when: conditions nest at most 64 deep"),
        "{err}"
    );
    let case = dir.path().join("case.json");
    std::fs::write(
        &case,
        r#"{"channel":"message","from":{"handle":"+1 555 0100"},"events":[]}"#,
    )
    .unwrap();
    let err = fails(
        dir.path(),
        &["check", "--policy", "deep.toml", case.to_str().unwrap()],
    );
    assert!(err.contains("conditions nest at most 64 deep"), "{err}");
}

/// A local overlay changes one thing and keeps the rest of the built-in policy; `policy show
/// --effective` prints the result, `policy check` validates it, and every engine command uses
/// it, with the added rule explained in its own words.
#[test]
fn a_local_overlay_is_merged_shown_checked_and_used() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("local.toml"),
        r#"
[thresholds]
block = 11.0

[[rules]]
name = "stranger_wants_the_screen"
when = "not_in_contacts & screen_share_requested"
action = "block"
explanation = { "zh-Hans" = "陌生人要求共享屏幕，请拒绝。", en = "A stranger wants your screen: say no." }

[[rules]]
name = "claimed_body_asks_never_do"
enabled = false
"#,
    )
    .unwrap();
    let checked = ok(
        dir.path(),
        &["policy", "check", "--policy-local", "local.toml"],
    );
    assert!(
        checked.starts_with("built-in policy with local.toml: valid ("),
        "{checked}"
    );

    let shown = ok(
        dir.path(),
        &[
            "policy",
            "show",
            "--effective",
            "--policy-local",
            "local.toml",
        ],
    );
    assert!(shown.starts_with("# The policy in force: built-in policy with local.toml."));
    let table: toml::Table = toml::from_str(&shown).unwrap();
    assert_eq!(table["thresholds"]["block"].as_float(), Some(11.0));
    assert_eq!(table["thresholds"]["warn"].as_float(), Some(4.0), "kept");
    let names: Vec<&str> = table["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.last(), Some(&"stranger_wants_the_screen"));
    assert!(!names.contains(&"claimed_body_asks_never_do"));
    // What `show --effective` prints is itself a valid policy.
    std::fs::write(dir.path().join("effective.toml"), &shown).unwrap();
    ok(dir.path(), &["policy", "check", "effective.toml"]);

    std::fs::write(
        dir.path().join("case.json"),
        r#"{"channel":"video_call","locale":"en","from":{"handle":"+1 555 0100"},
            "events":[{"type":"screen_share_request","app":"facetime"}]}"#,
    )
    .unwrap();
    let verdict: serde_json::Value = serde_json::from_str(&ok(
        dir.path(),
        &[
            "check",
            "--no-model",
            "--policy-local",
            "local.toml",
            "case.json",
        ],
    ))
    .unwrap();
    assert_eq!(verdict["rules"][0]["name"], "stranger_wants_the_screen");
    let explanation = verdict["explanation"].as_str().unwrap();
    assert!(
        explanation.contains("A stranger wants your screen: say no."),
        "{explanation}"
    );

    std::fs::write(
        dir.path().join("bad.toml"),
        "[[rules]]\nname = \"typo_rule\"\nenabled = false\n[signals.claims_authorty]\nweight = 1\n",
    )
    .unwrap();
    let err = fails(
        dir.path(),
        &["policy", "check", "--policy-local", "bad.toml"],
    );
    assert!(err.contains("bad.toml: 1 problem(s)"), "{err}");
    assert!(
        err.contains("rules (typo_rule).enabled: false, but the policy has no such entry"),
        "{err}"
    );
}
