//! What people read: every scenario case (tests/cases and examples/cases), run in each of
//! the three locales, must give a headline that fits a banner and an explanation a reader of
//! that language understands: no placeholder left, nothing cut short, brackets balanced, and
//! in Chinese no Latin-script word but the names, domains, numbers and apps it quotes.

use scamguard_core::explain::{headline_limit, reading_problems};
use scamguard_core::verdict::Directive;
use scamguard_core::{Action, Case, Engine, Locale, Verdict};
use std::path::PathBuf;

fn case_files() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files: Vec<PathBuf> = ["tests/cases", "examples/cases"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).expect("case folder exists"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// What a verdict quotes: the details of its signals as the catalogue shows them, the claimed
/// and verified names, the caller's label and the official number or site.
fn quoted(engine: &Engine, v: &Verdict) -> Vec<String> {
    let catalog = engine.catalog();
    let mut out: Vec<String> = v
        .signals
        .iter()
        .flat_map(|s| catalog.values(v.locale, &s.params))
        .map(|(_, text)| text.into_owned())
        .collect();
    out.extend(v.claimed_identity.iter().map(|c| c.name.clone()));
    out.extend(v.verified_identity.iter().map(|c| c.name.clone()));
    for d in &v.directives {
        if let Directive::OfferOfficialCallback { number, domain, .. } = d {
            out.extend(number.clone());
            out.extend(domain.clone());
        }
    }
    out
}

#[test]
fn every_case_reads_well_in_every_locale() {
    let engine = Engine::builtin().expect("built-in engine");
    let files = case_files();
    assert!(files.len() >= 100, "{} case files", files.len());
    let mut failures = Vec::new();
    let mut warnings = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let case = Case::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for locale in Locale::ALL {
            let mut case = case.clone();
            case.locale = locale;
            let report = engine.check_case(&case);
            for (i, v) in report.trace.iter().enumerate() {
                let at = format!("{name} [{}] event {i}", locale.as_str());
                let limit = headline_limit(locale);
                if v.headline.is_empty() || v.headline.chars().count() > limit {
                    failures.push(format!("{at}: headline {:?} (limit {limit})", v.headline));
                }
                let values = quoted(&engine, v);
                let values: Vec<&str> = values.iter().map(String::as_str).collect();
                for (what, text) in [("headline", &v.headline), ("explanation", &v.explanation)] {
                    let problems = reading_problems(locale, text, &values);
                    if !problems.is_empty() {
                        failures.push(format!("{at} {what}: {problems:?} in {text:?}"));
                    }
                }
                if v.action != Action::Allow {
                    warnings += 1;
                    // A warning says why: more than the action's own sentence.
                    let own = engine
                        .catalog()
                        .sentences(locale)
                        .actions
                        .get(v.action.as_str())
                        .and_then(|t| t.variants().first().cloned())
                        .unwrap_or_default();
                    if v.explanation.chars().count() <= own.chars().count() + 4 {
                        failures.push(format!("{at}: no reason given: {:?}", v.explanation));
                    }
                }
            }
        }
    }
    assert!(warnings > 100, "only {warnings} warnings read");
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The examples, word for word where it matters.
#[test]
fn the_facetime_police_case_reads_plainly_in_chinese() {
    let engine = Engine::builtin().unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(root.join("examples/cases/facetime_police.json")).unwrap();
    let case = Case::from_json(&text).unwrap();
    let v = engine.check_case(&case).verdict;
    assert_eq!(v.headline, "疑似冒充公安诈骗，已拦截");
    assert!(
        v.explanation.contains("请挂断，自己拨打110核实。"),
        "{}",
        v.explanation
    );
    assert!(!v.explanation.contains("facetime, asked by the caller"));
    assert!(!v.explanation.contains("number for a"), "{}", v.explanation);
    let mut en = case.clone();
    en.locale = Locale::En;
    let v = engine.check_case(&en).verdict;
    assert_eq!(v.headline, "Likely scam: caller pretends to be the police");
}

#[test]
fn a_signature_is_quoted_as_written() {
    let engine = Engine::builtin().unwrap();
    let v = engine.scan_message(
        "【ETC】您的ETC已失效，请登录 etc-renzheng.top 重新认证",
        None,
        Locale::ZhHans,
    );
    let label = v
        .directives
        .iter()
        .find_map(|d| match d {
            Directive::LabelCaller { label, .. } => Some(label.clone()),
            _ => None,
        })
        .expect("a label");
    assert_eq!(label, "未验证：自称“ETC”");
    let claim = v
        .signals
        .iter()
        .find(|s| s.code == "claims_organisation")
        .unwrap();
    assert_eq!(claim.evidence, ["ETC"]);
    assert!(v.explanation.contains("对方自称“ETC”"), "{}", v.explanation);
}

#[test]
fn a_link_scan_is_worded_as_a_link() {
    let engine = Engine::builtin().unwrap();
    let v = engine.scan_url("http://icbc-verify.com/login", Locale::ZhHans);
    assert!(v.action >= Action::Warn);
    assert!(v.headline.contains("链接"), "{}", v.headline);
    assert!(
        v.explanation
            .contains("链接网址icbc-verify.com借用了icbc.com.cn的名字"),
        "{}",
        v.explanation
    );
    let v = engine.scan_url("http://icbc-verify.com/login", Locale::En);
    assert!(v.headline.contains("link"), "{}", v.headline);
}
