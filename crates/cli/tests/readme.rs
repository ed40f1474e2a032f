//! The README's figures and claims against what the repository holds (issue 15 item 12): the
//! case and stage counts, the Rust version it asks for, how to install, and what `.ci/run`
//! is said to install.

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The number the README writes right before `after` (e.g. "145" in "145 more cases").
fn number_before(readme: &str, after: &str) -> usize {
    let at = readme
        .find(after)
        .unwrap_or_else(|| panic!("the README no longer says {after:?}"));
    let digits: String = readme[..at]
        .trim_end()
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number before {after:?}"))
}

fn toml_list_len(path: &str, key: &str) -> usize {
    let doc: toml::Table = toml::from_str(&read(path)).unwrap();
    doc[key].as_array().unwrap().len()
}

#[test]
fn the_readme_counts_what_the_repository_holds() {
    let readme = read("README.md");
    let cases = std::fs::read_dir(format!("{ROOT}/tests/cases"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "json")
        })
        .count();
    assert_eq!(number_before(&readme, "more cases"), cases, "tests/cases");
    assert_eq!(
        number_before(&readme, "stages of scam"),
        toml_list_len("crates/core/data/script.toml", "stage"),
        "script stages"
    );
    assert_eq!(
        number_before(&readme, "protected identities"),
        toml_list_len("crates/core/data/identities.toml", "identity"),
        "protected identities"
    );
}

#[test]
fn the_readme_says_how_to_install_and_what_it_needs() {
    let readme = read("README.md");
    assert!(readme.contains("cargo install --path crates/cli"));
    let manifest: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
    let rust = manifest["workspace"]["package"]["rust-version"]
        .as_str()
        .unwrap();
    assert!(
        readme.contains(&format!("Rust {rust} or newer")),
        "the README must ask for Rust {rust}, the workspace's rust-version"
    );
    // Each tool the README says `.ci/run` installs, it does install.
    let claim = "installs and starts what the integration tests need (";
    let at = readme
        .find(claim)
        .expect("the README says what .ci/run installs")
        + claim.len();
    let tools = &readme[at..at + readme[at..].find(')').unwrap()];
    let ci = read(".ci/run").to_lowercase();
    for tool in tools.split(',').map(str::trim) {
        assert!(
            ci.contains(&tool.to_lowercase()),
            ".ci/run does not install {tool}"
        );
    }
}

/// Every transcript in the README of `check` on a file in the repository (`$ cargo run
/// --release -- check …` followed by what it prints) is what the command prints today.
#[test]
fn the_readme_transcripts_of_check_are_what_it_prints() {
    let readme = read("README.md");
    let mut checked = 0;
    for block in readme.split("```console\n").skip(1) {
        let block = block.split("```").next().unwrap();
        let Some(command) = block.lines().next().and_then(|l| {
            l.strip_prefix("$ cargo run --release -- ")
                .filter(|c| c.starts_with("check "))
        }) else {
            continue;
        };
        let printed: String = block.lines().skip(1).map(|l| format!("{l}\n")).collect();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_scamguard"))
            .args(command.split_whitespace())
            .current_dir(ROOT)
            .output()
            .unwrap();
        assert!(out.status.success(), "{command}: {out:?}");
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            printed,
            "the README's transcript of `{command}` is out of date"
        );
        checked += 1;
    }
    assert!(
        checked >= 2,
        "the README shows at least two `check` transcripts"
    );
}
