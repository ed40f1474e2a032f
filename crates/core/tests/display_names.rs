//! The display-name measurement on the set the project ships (`bench/data/display_names.jsonl`):
//! the share of impersonating names whose claim the engine sees, and of genuine names it reads
//! as a claim, over every split, kept above a floor and below a ceiling a little short of what
//! the engine reaches today (see docs/evaluation.md, "Impersonating display names").

use scamguard_core::eval::names::{measure, NameRecord};
use scamguard_core::Engine;

const SET: &str = include_str!("../../../bench/data/display_names.jsonl");

#[test]
fn impersonating_names_are_caught_and_genuine_ones_left_alone() {
    let records: Vec<NameRecord> = SET
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a display-name record"))
        .collect();
    assert!(records.len() > 4000, "{} records", records.len());
    assert!(records.iter().all(NameRecord::has_known_label));
    let engine = Engine::builtin().unwrap();
    let (result, wrong) = measure(&engine, &records);
    let caught = result.caught().unwrap();
    let false_positives = result.false_positives().unwrap();
    let shown: Vec<_> = wrong.iter().take(20).map(|(r, _)| &r.text).collect();
    assert!(
        caught >= 0.995,
        "caught {caught:.4}; misses include {shown:?}"
    );
    assert!(
        false_positives <= 0.004,
        "false positives {false_positives:.4}; they include {shown:?}"
    );
}
