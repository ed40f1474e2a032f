//! Scenario tests: every case file under `tests/cases/` must reach its expected action and
//! carry its expected directives (and class, when the case names one). One test reports every failing case at once.

use scamguard_core::{Action, Case, Engine};
use serde_json::Value;

mod common;

#[test]
fn every_case_reaches_its_expected_action() {
    let engine = Engine::builtin().expect("built-in engine");
    let files = common::case_files("tests/cases");
    assert!(
        files.len() >= 60,
        "expected at least 60 case files, found {}",
        files.len()
    );

    let mut failures = Vec::new();
    let (mut allow, mut total) = (0, 0);
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let raw: Value = serde_json::from_str(&text).unwrap();
        let case = Case::from_value(&raw).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let expect = &raw["expect"];
        let want = Action::parse(expect["action"].as_str().expect("expect.action"))
            .expect("a valid action");
        total += 1;
        allow += usize::from(want == Action::Allow);
        let name = path.file_name().unwrap().to_string_lossy();
        // What the API and `scamguard check` would refuse (an unknown verified_org) is no case.
        if let Err(e) = engine.validate_party(&case.from) {
            failures.push(format!("{name}: {e}"));
            continue;
        }
        let report = engine.check_case(&case);
        let got = &report.verdict;
        if got.action != want {
            let sigs: Vec<String> = got
                .signals
                .iter()
                .map(|s| format!("{}({})", s.code, s.weight))
                .collect();
            let rules: Vec<&str> = got.rules.iter().map(|r| r.name.as_str()).collect();
            failures.push(format!(
                "{name}: expected {}, got {} (score {}; rules {rules:?}; signals {})",
                want.as_str(),
                got.action.as_str(),
                got.score,
                sigs.join(", ")
            ));
            continue;
        }
        if let Some(class) = expect["class"].as_str() {
            if got.class.as_str() != class {
                failures.push(format!(
                    "{name}: expected class {class}, got {}",
                    got.class.as_str()
                ));
            }
        }
        for d in expect["directives"].as_array().into_iter().flatten() {
            let d = d.as_str().unwrap();
            if !got.has_directive(d) {
                let have: Vec<&str> = got.directives.iter().map(|d| d.code()).collect();
                failures.push(format!("{name}: missing directive {d} (have {have:?})"));
            }
        }
        if got.action != Action::Allow && got.explanation.trim().is_empty() {
            failures.push(format!("{name}: no explanation"));
        }
    }
    assert!(
        allow * 2 >= total - 2,
        "about half the cases must be legitimate look-alikes: {allow} of {total}"
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        total,
        failures.join("\n")
    );
}

/// Enormous and hostile inputs still get a verdict: the largest accepted text made of clue words,
/// links, separators, invisible and bidi characters, mixed scripts, or nothing at all.
#[test]
fn enormous_and_hostile_texts_get_a_verdict() {
    use scamguard_core::event::limits::MAX_TEXT_CHARS;
    let engine = Engine::builtin().unwrap();
    let fill = |unit: &str| unit.repeat(MAX_TEXT_CHARS / unit.chars().count());
    let texts = [
        fill("验证码告诉我"),
        fill("安全账户 "),
        fill("http://a.top/"),
        fill("www[.]x[.]com "),
        fill("."),
        fill("\u{200b}"),
        fill("\u{202e}公安局\u{202c}"),
        fill("Раураl "),
        fill("🚓"),
        fill("a"),
        fill("never share your code, "),
        String::new(),
        " \n\t ".to_string(),
    ];
    for t in &texts {
        let v = engine.scan_message(t, None, scamguard_core::Locale::ZhHans);
        assert!(v.score.is_finite());
        assert!(!v.explanation.is_empty());
    }
    // A display name at its limit, full of disguises.
    let name = "公\u{200b}安\u{202e}局".repeat(60);
    let (signals, _) = engine.check_name(&name);
    assert!(signals.has("claims_authority"), "{signals:?}");
}
