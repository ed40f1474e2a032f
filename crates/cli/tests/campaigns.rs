//! The campaign loop on a small run of the synthetic traffic generator: planted rings come out
//! as campaigns (pairwise precision and recall above floors), genuine traffic is not flagged,
//! and common indicators are left out. The full-size figures are in docs/evaluation.md.

mod common;

use common::ok;
use std::process::Command;

#[test]
fn planted_rings_come_out_as_campaigns() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let dir = tempfile::tempdir().unwrap();
    let traffic = dir.path().join("traffic.jsonl");
    let out = Command::new("python3")
        .arg(format!("{root}/bench/campaigns/generate.py"))
        .args(["--sessions", "3000", "--rings", "40", "--seed", "11"])
        .output()
        .expect("python3 runs the generator");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(&traffic, &out.stdout).unwrap();
    let out = ok(
        dir.path(),
        &["campaigns", "eval", "--json", "traffic.jsonl"],
    );
    let f: serde_json::Value = serde_json::from_str(&out).unwrap();
    let num = |k: &str| f[k].as_f64().unwrap_or_else(|| panic!("{k} in {f}"));
    assert_eq!(num("sessions"), 3000.0);
    assert_eq!(num("genuine_sessions_flagged"), 0.0, "{f}");
    assert!(
        num("ring_sessions_flagged") >= 0.95 * num("ring_sessions"),
        "{f}"
    );
    assert!(num("common_indicators_dropped") > 0.0, "{f}");
    assert!(num("pairwise_precision") >= 0.90, "{f}");
    assert!(num("pairwise_recall") >= 0.80, "{f}");
    // 40 rings; a ring with no session, or two that share a script, make fewer campaigns.
    assert!((25.0..=45.0).contains(&num("campaigns")), "{f}");
}
