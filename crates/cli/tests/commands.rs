//! The command tree on the built binary: each word means one thing (`keys` are API keys,
//! `signing-key` makes key pairs, the old spelling still works), and `scamguard --help` and the
//! README name every command.

mod common;

use common::{fails, ok, run};

/// The subcommands `scamguard --help` lists, in its order (without `help` itself).
fn listed_commands(help: &str) -> Vec<String> {
    let list = help
        .split("Commands:\n")
        .nth(1)
        .expect("a Commands section")
        .split("\n\n")
        .next()
        .unwrap();
    list.lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn signing_key_pairs_have_their_own_command_and_keys_are_api_keys() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["signing-key", "generate", "--out", "org"]);
    for file in ["private.pem", "public.pem"] {
        let pem = std::fs::read_to_string(d.join("org").join(file)).unwrap();
        assert!(pem.starts_with("-----BEGIN "), "{file}: {pem}");
    }
    // The old spelling makes the same pair and refuses to overwrite, as before.
    ok(d, &["keys", "generate", "--out", "old"]);
    assert!(d.join("old/private.pem").exists());
    let err = fails(d, &["keys", "generate", "--out", "old"]);
    assert!(err.contains("refusing to overwrite a key"), "{err}");

    // `keys` speaks of API keys only; the hidden alias is not advertised.
    let keys_help = ok(d, &["keys", "--help"]);
    assert!(keys_help.contains("API keys"), "{keys_help}");
    assert_eq!(
        listed_commands(&keys_help),
        ["create", "list", "revoke"],
        "{keys_help}"
    );
    let help = ok(d, &["signing-key", "--help"]);
    assert_eq!(listed_commands(&help), ["generate"], "{help}");
}

/// Every command `scamguard --help` lists has its own help, and the README shows each one in
/// use; the summary line does not pretend to list the commands.
#[test]
fn help_and_readme_name_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let help = ok(dir.path(), &["--help"]);
    let commands = listed_commands(&help);
    // The ones an earlier summary line left out are there.
    for name in [
        "sign",
        "scan-url",
        "policy",
        "campaigns",
        "prune",
        "signing-key",
    ] {
        assert!(commands.iter().any(|c| c == name), "{name}: {help}");
    }
    let summary = help.lines().next().unwrap();
    assert!(
        !summary.contains("serve, "),
        "the summary names some commands only: {summary}"
    );
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    for name in &commands {
        let out = run(dir.path(), &[name, "--help"]);
        assert!(out.status.success(), "scamguard {name} --help");
        assert!(
            readme.contains(&format!("scamguard {name} ")),
            "the README never shows `scamguard {name}`"
        );
    }
}

/// `eval --kind names` measures the shipped display-name set and refuses a file whose labels are
/// not names' labels, naming the record.
#[test]
fn eval_measures_display_names() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let set = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../bench/data/display_names.jsonl"
    );
    let out = ok(
        d,
        &["eval", "--kind", "names", "--split", "dev", "--quiet", set],
    );
    assert!(out.contains("| display_names.jsonl |"), "{out}");
    assert!(out.contains("| homoglyph |"), "{out}");
    let bad = d.join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"id\":\"m1\",\"text\":\"hi\",\"label\":\"ham\",\"split\":\"dev\"}\n",
    )
    .unwrap();
    let err = fails(
        d,
        &[
            "eval",
            "--kind",
            "names",
            "--split",
            "dev",
            bad.to_str().unwrap(),
        ],
    );
    assert!(
        err.contains("\"m1\"") && err.contains("impersonation"),
        "{err}"
    );
}

/// `eval` reads the crypto look-alike set (records with a `host`, labelled `phishing` or
/// `legitimate`) as domains, with an operator's `--brands` list; a record with neither `text`
/// nor `host` is refused by line.
#[test]
fn eval_reads_host_records_as_domains() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/data/");
    let set = format!("{root}crypto_domains.jsonl");
    let brands = format!("{root}crypto_brand_domains.txt");
    let out = ok(
        d,
        &[
            "eval", "--mode", "rules", "--split", "dev", "--quiet", "--json", "--brands", &brands,
            &set,
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let file = &v["files"]["crypto_domains.jsonl"];
    assert_eq!(file["by_label"]["phishing"], 239, "{out}");
    assert_eq!(file["by_label"]["legitimate"], 127, "{out}");
    // The brands' own hosts are among the legitimate ones and some phishing hosts are caught.
    assert!(file["unwanted"]["tp"].as_u64().unwrap() > 0, "{out}");
    assert!(file["ham_flagged"].as_f64().unwrap() < 0.5, "{out}");
    let bad = d.join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"host\":\"a.com\",\"label\":\"phishing\",\"split\":\"dev\"}\n{\"label\":\"phishing\",\"split\":\"dev\"}\n",
    )
    .unwrap();
    let err = fails(
        d,
        &[
            "eval",
            "--mode",
            "rules",
            "--split",
            "dev",
            bad.to_str().unwrap(),
        ],
    );
    assert!(err.contains(":2:") && err.contains("`host`"), "{err}");
}
