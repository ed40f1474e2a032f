//! Held-out scenarios: sets written after the rules, from the domain notes only, so unlike
//! `tests/cases/` they measure how the engine generalises. `tests/holdout/` was the first;
//! `tests/holdout2/` was written later by someone who never read the rules nor the first set,
//! while others fixed what the first set's misses showed; `tests/holdout3/` likewise, while the
//! second set's misses were being fixed, `tests/holdout4/` while the third set's were, and
//! `tests/holdout5/` while the fourth set's were, and `tests/holdout6/` while the fifth set's
//! were. A case that lands at the wrong level is reported, not fixed (fixing it would spend the
//! set); each set's test holds floors a little under the figures recorded in
//! docs/evaluation.md ("Held-out scenarios" and its second to sixth sets) and prints its table
//! with
//! `cargo test -p scamguard-core --test holdout -- --nocapture`.

use scamguard_core::{Action, Case, Engine};
use serde_json::Value;
use std::collections::BTreeMap;

mod common;

/// One held-out set: where its cases live and the floors its figures are held to.
struct HeldOutSet {
    /// The directory of its case files, relative to the repository's root.
    dir: &'static str,
    /// The fewest cases the directory may hold (a set that lost files measures nothing).
    min_cases: usize,
    min_exact_percent: f64,
    max_scams_allowed: usize,
    max_genuine_warned: usize,
    /// Zero for every set measured with no genuine case blocked; a set whose "before"
    /// measurement blocked some holds that count until its misses are fixed.
    max_genuine_blocked: usize,
}

/// The first set: 57 of 68 exact (83.8 %), 5 scams allowed, 3 genuine cases warned when it was
/// measured. Its misses have since been fixed as classes (67 of 68, no scam allowed, one genuine
/// case warned), so it is spent: it now guards against regressions like `tests/cases/`. No
/// genuine case may be blocked, as for the second and third sets.
const FIRST_SET: HeldOutSet = HeldOutSet {
    dir: "tests/holdout",
    min_cases: 68,
    min_exact_percent: 97.0,
    max_scams_allowed: 0,
    max_genuine_warned: 1,
    max_genuine_blocked: 0,
};

/// The second set: 62 of 80 exact (77.5 %), 10 scams allowed, 3 genuine cases warned on main at
/// acd77fb, before the detection changes it was written to judge; 65 of 80 (81.2 %), 8 allowed,
/// 2 warned after them (0da435e). Its misses have since been fixed as classes (80 of 80), so it
/// is spent too and guards against regressions.
const SECOND_SET: HeldOutSet = HeldOutSet {
    dir: "tests/holdout2",
    min_cases: 80,
    min_exact_percent: 97.0,
    max_scams_allowed: 0,
    max_genuine_warned: 1,
    max_genuine_blocked: 0,
};

/// The third set: 61 of 85 exact (71.8 %), 14 scams allowed, 5 genuine cases warned on main at
/// c75635d, before the detection changes of the session that spent the second set; 66 of 85
/// after them (2b884d8). Its misses have since been fixed as classes (85 of 85), so it is spent
/// too and guards against regressions.
const THIRD_SET: HeldOutSet = HeldOutSet {
    dir: "tests/holdout3",
    min_cases: 85,
    min_exact_percent: 97.0,
    max_scams_allowed: 0,
    max_genuine_warned: 1,
    max_genuine_blocked: 0,
};

/// The fourth set: 75 of 93 exact (80.6 %), 3 scams allowed, 2 genuine cases warned and 5
/// blocked on main at 2b884d8, before the detection changes of the session that spent the
/// third set; 81 of 93 (87.1 %), 3, 0 and 1 at that session's end. Its misses were then fixed
/// as classes, so it is spent: 90 of 93 (96.8 %), no scam allowed, 1 genuine case warned and
/// none blocked (docs/evaluation.md, "The fourth set is spent"). Like the first three it now
/// guards against regressions.
const FOURTH_SET: HeldOutSet = HeldOutSet {
    dir: "tests/holdout4",
    min_cases: 93,
    min_exact_percent: 95.0,
    max_scams_allowed: 0,
    max_genuine_warned: 1,
    max_genuine_blocked: 0,
};

/// The fifth set: 107 of 130 exact (82.3 %), 11 scams allowed, 2 genuine cases warned and none
/// blocked on main at 49ad1cb, before the detection changes of the session that spent the
/// fourth set; 108 of 130 after them. Its misses were then fixed as classes, so it is spent:
/// 123 of 130 (94.6 %), 5 scams allowed, 1 genuine case warned and none blocked
/// (docs/evaluation.md, "The fifth set is spent"). Like the first four it now guards against
/// regressions.
const FIFTH_SET: HeldOutSet = HeldOutSet {
    dir: "tests/holdout5",
    min_cases: 130,
    min_exact_percent: 94.0,
    max_scams_allowed: 5,
    max_genuine_warned: 1,
    max_genuine_blocked: 0,
};

/// The sixth set: 94 of 126 exact (74.6 %), 14 scams allowed, 3 genuine cases warned and none
/// blocked on main at d44e836, before the detection changes of the session that spends the
/// fifth set. The floors sit a little under those figures; no genuine case may be blocked.
const SIXTH_SET: HeldOutSet = HeldOutSet {
    dir: "tests/holdout6",
    min_cases: 126,
    min_exact_percent: 72.0,
    max_scams_allowed: 15,
    max_genuine_warned: 4,
    max_genuine_blocked: 0,
};

/// Whether a case is a scam or a genuine look-alike, as its author labelled it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Truth {
    Scam,
    Genuine,
}

/// One judged case.
struct Outcome {
    name: String,
    class: String,
    locale: String,
    truth: Truth,
    want: Action,
    got: Action,
    detail: String,
    /// Why the explanation is unfit to show, if it is: empty, or not in the case's language.
    unfit_explanation: Option<String>,
}

/// Counts for one row of the table.
#[derive(Default)]
struct Tally {
    scams: usize,
    scams_exact: usize,
    scams_allowed: usize,
    genuine: usize,
    genuine_exact: usize,
    genuine_warned: usize,
    genuine_blocked: usize,
}

impl Tally {
    fn add(&mut self, o: &Outcome) {
        let exact = o.got == o.want;
        match o.truth {
            Truth::Scam => {
                self.scams += 1;
                self.scams_exact += usize::from(exact);
                self.scams_allowed += usize::from(o.got == Action::Allow);
            }
            Truth::Genuine => {
                self.genuine += 1;
                self.genuine_exact += usize::from(exact);
                self.genuine_warned += usize::from(o.got == Action::Warn);
                self.genuine_blocked += usize::from(o.got == Action::Block);
            }
        }
    }

    fn total(&self) -> usize {
        self.scams + self.genuine
    }

    fn exact(&self) -> usize {
        self.scams_exact + self.genuine_exact
    }

    fn exact_percent(&self) -> f64 {
        100.0 * self.exact() as f64 / self.total().max(1) as f64
    }

    fn row(&self, label: &str) -> String {
        format!(
            "| {label:<30} | {:>2}/{:<2} | {:>5.1} % | {:>2}/{:<2} | {:>2} | {:>2}/{:<2} | {:>2} | {:>2} |",
            self.exact(),
            self.total(),
            self.exact_percent(),
            self.scams_exact,
            self.scams,
            self.scams_allowed,
            self.genuine_exact,
            self.genuine,
            self.genuine_warned,
            self.genuine_blocked,
        )
    }
}

const HEADER: &str = "| | exact | exact % | scams exact | scams allowed | genuine exact | genuine warned | genuine blocked |\n|---|---|---|---|---|---|---|---|";

fn judge_all(dir: &str) -> Vec<Outcome> {
    let engine = Engine::builtin().expect("built-in engine");
    common::case_files(dir)
        .iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let raw: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let case = Case::from_value(&raw).unwrap_or_else(|e| panic!("{name}: {e}"));
            let want = Action::parse(raw["expect"]["action"].as_str().expect("expect.action"))
                .unwrap_or_else(|| panic!("{name}: expect.action is not an action"));
            let truth = match raw["holdout"]["truth"].as_str() {
                Some("scam") => Truth::Scam,
                Some("genuine") => Truth::Genuine,
                other => panic!("{name}: holdout.truth is {other:?}, not scam or genuine"),
            };
            assert_eq!(
                truth == Truth::Genuine,
                want == Action::Allow,
                "{name}: a genuine case expects allow and a scam warn or block"
            );
            let class = raw["holdout"]["class"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: holdout.class missing"))
                .to_string();
            let locale = raw["locale"].as_str().unwrap_or("zh-Hans").to_string();
            let verdict = engine.check_case(&case).verdict;
            let han = verdict
                .explanation
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            let unfit_explanation = if verdict.explanation.trim().is_empty() {
                Some("empty explanation".to_string())
            } else if (locale == "en") == han {
                Some(format!(
                    "explanation not in {locale}: {}",
                    verdict.explanation
                ))
            } else {
                None
            };
            let rules: Vec<&str> = verdict.rules.iter().map(|r| r.name.as_str()).collect();
            let signals: Vec<String> = verdict
                .signals
                .iter()
                .map(|s| format!("{}({})", s.code, s.weight))
                .collect();
            Outcome {
                name,
                class,
                locale,
                truth,
                want,
                got: verdict.action,
                detail: format!(
                    "score {}; rules {rules:?}; signals {}",
                    verdict.score,
                    signals.join(", ")
                ),
                unfit_explanation,
            }
        })
        .collect()
}

#[test]
fn first_held_out_set_stays_above_its_floors() {
    hold_to_floors(&FIRST_SET);
}

#[test]
fn second_held_out_set_stays_above_its_floors() {
    hold_to_floors(&SECOND_SET);
}

#[test]
fn third_held_out_set_stays_above_its_floors() {
    hold_to_floors(&THIRD_SET);
}

#[test]
fn fourth_held_out_set_stays_above_its_floors() {
    hold_to_floors(&FOURTH_SET);
}

#[test]
fn fifth_held_out_set_stays_above_its_floors() {
    hold_to_floors(&FIFTH_SET);
}

#[test]
fn sixth_held_out_set_stays_above_its_floors() {
    hold_to_floors(&SIXTH_SET);
}

/// Judges every case of `set`, prints its table and misses, and fails under its floors.
fn hold_to_floors(set: &HeldOutSet) {
    let dir = set.dir;
    let outcomes = judge_all(dir);
    assert!(
        outcomes.len() >= set.min_cases,
        "{dir}: expected at least {} held-out cases, found {}",
        set.min_cases,
        outcomes.len()
    );

    let mut all = Tally::default();
    let mut by_class: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut by_locale: BTreeMap<&str, Tally> = BTreeMap::new();
    for o in &outcomes {
        all.add(o);
        by_class.entry(&o.class).or_default().add(o);
        by_locale.entry(&o.locale).or_default().add(o);
    }
    assert!(
        all.genuine * 3 >= all.total() && all.scams * 3 >= all.total(),
        "{dir}: the set mixes scams and genuine look-alikes: {} scams, {} genuine",
        all.scams,
        all.genuine
    );

    // One print per set: the tests run on parallel threads and their lines must not mix.
    let mut table = format!("{dir}\n{HEADER}\n");
    for (class, t) in &by_class {
        table.push_str(&t.row(class));
        table.push('\n');
    }
    for (locale, t) in &by_locale {
        table.push_str(&t.row(locale));
        table.push('\n');
    }
    table.push_str(&all.row("all"));
    let misses: Vec<String> = outcomes
        .iter()
        .filter(|o| o.got != o.want)
        .map(|o| {
            format!(
                "{}: expected {}, got {} ({})",
                o.name,
                o.want.as_str(),
                o.got.as_str(),
                o.detail
            )
        })
        .collect();
    println!(
        "{table}\nmisses ({}):\n{}\n",
        misses.len(),
        misses.join("\n")
    );

    let unfit: Vec<String> = outcomes
        .iter()
        .filter_map(|o| Some(format!("{}: {}", o.name, o.unfit_explanation.as_ref()?)))
        .collect();
    assert!(
        unfit.is_empty(),
        "{dir}: explanations a user cannot read:\n{}",
        unfit.join("\n")
    );

    let report = format!(
        "\n{dir}\n{HEADER}\n{}\nmisses:\n{}",
        all.row("all"),
        misses.join("\n")
    );
    assert!(
        all.exact_percent() >= set.min_exact_percent,
        "exact {:.1} % under the floor {} %{report}",
        all.exact_percent(),
        set.min_exact_percent
    );
    assert!(
        all.scams_allowed <= set.max_scams_allowed,
        "{} scams allowed, floor {}{report}",
        all.scams_allowed,
        set.max_scams_allowed
    );
    assert!(
        all.genuine_blocked <= set.max_genuine_blocked,
        "{} genuine cases blocked, floor {}{report}",
        all.genuine_blocked,
        set.max_genuine_blocked
    );
    assert!(
        all.genuine_warned <= set.max_genuine_warned,
        "{} genuine cases warned, floor {}{report}",
        all.genuine_warned,
        set.max_genuine_warned
    );
}
