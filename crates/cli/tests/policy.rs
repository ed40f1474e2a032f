//! `scamguard policy` and the engine options on the built binary: what an operator sees when a
//! policy file is wrong, however it is wrong.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_scamguard");

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .env_remove("SCAMGUARD_POLICY")
        .env_remove("SCAMGUARD_POLICY_LOCAL")
        .output()
        .expect("run scamguard")
}

/// Runs and expects failure with exit code 2; returns stderr.
fn fails(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert_eq!(
        out.status.code(),
        Some(2),
        "scamguard {args:?}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr).unwrap()
}

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
