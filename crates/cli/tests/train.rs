//! `scamguard train` on the built binary: a model trained on a file shipped in the repository
//! loads in `scan --model` and `eval --model` and tells an obvious scam from an obvious
//! message between friends; bad input is refused with a message that names the problem.

mod common;

use common::{fails, ok, run};
use std::path::{Path, PathBuf};

/// Our own written English messages (train, dev and test splits; ham, spam and scam).
fn written() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/data/en_written_messages.jsonl")
}

const SCAM: &str = "URGENT: your bank account has been suspended. Verify your identity and \
                    password now or it will be closed";
const HAM: &str = "Ok see you at dinner later, I'll bring the cake";

/// Small and quick: 2^16 buckets, a few epochs, one setting.
const QUICK: &[&str] = &[
    "--bits",
    "16",
    "--epochs",
    "4",
    "--l2",
    "1e-5",
    "--class-weight-power",
    "1",
    "--quiet",
];

fn train(dir: &Path, out: &str, extra: &[&str]) -> String {
    let data = written();
    let mut args = vec!["train", "--out", out, data.to_str().unwrap()];
    args.extend_from_slice(QUICK);
    args.extend_from_slice(extra);
    ok(dir, &args)
}

/// The model's own signals (`model_scam`, `model_spam`) in one `scan` output line.
fn model_signals(line: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
    v["signals"]
        .as_array()
        .expect("signals")
        .iter()
        .filter_map(|s| s["code"].as_str())
        .filter(|c| c.starts_with("model_"))
        .map(str::to_string)
        .collect()
}

/// `scan --model MODEL` gives the scam a model signal and the friendly note none.
fn assert_separates(dir: &Path, model: &str) {
    let out = ok(dir, &["scan", "--model", model, SCAM, HAM]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(!model_signals(lines[0]).is_empty(), "{}", lines[0]);
    assert!(model_signals(lines[1]).is_empty(), "{}", lines[1]);
}

#[test]
fn a_trained_model_loads_and_separates_scam_from_ham() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let report = train(d, "m.bin", &["--json"]);
    let report: serde_json::Value = serde_json::from_str(&report).expect("--json report");
    assert!(
        report["dev"]["macro_f1"].as_f64().unwrap() > 0.7,
        "{report}"
    );
    assert_eq!(report["languages"]["latin"], true, "{report}");
    let bytes = std::fs::read(d.join("m.bin")).unwrap();
    assert_eq!(&bytes[..8], b"SGMODEL\0");
    assert_eq!(bytes.len() as u64, report["bytes"].as_u64().unwrap());

    // `scan --model`: the scam carries a model signal, the friendly note none.
    let out = ok(d, &["scan", "--model", "m.bin", SCAM, HAM]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(!model_signals(lines[0]).is_empty(), "{}", lines[0]);
    assert!(model_signals(lines[1]).is_empty(), "{}", lines[1]);
    assert!(lines[1].contains("\"class\":\"ham\""), "{}", lines[1]);

    // `eval --model --mode model` reads it and measures it on the held-out split.
    let data = written();
    let eval = ok(
        d,
        &[
            "eval",
            "--quiet",
            "--json",
            "--mode",
            "model",
            "--model",
            "m.bin",
            data.to_str().unwrap(),
        ],
    );
    let eval: serde_json::Value = serde_json::from_str(&eval).unwrap();
    let file = &eval["files"]["en_written_messages.jsonl"];
    let u = &file["unwanted"];
    let (tp, fp, fn_) = (
        u["tp"].as_f64().unwrap(),
        u["fp"].as_f64().unwrap(),
        u["fn_"].as_f64().unwrap(),
    );
    let f1 = 2.0 * tp / (2.0 * tp + fp + fn_);
    assert!(f1 > 0.7, "test F1 of unwanted {f1}: {file}");
}

#[test]
fn training_is_reproducible_and_scheme_options_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    train(d, "a.bin", &[]);
    train(d, "b.bin", &[]);
    let (a, b) = (
        std::fs::read(d.join("a.bin")).unwrap(),
        std::fs::read(d.join("b.bin")).unwrap(),
    );
    assert_eq!(a, b, "same data, options and seed: same bytes");
    // Digits kept (a default) is a scheme option: recorded in the header, format 2.
    assert_eq!(a[8..12], 2u32.to_le_bytes());
    let header = String::from_utf8_lossy(&a[16..2000]).to_string();
    assert!(header.contains("\"keep_digits\":true"), "{header}");
    assert!(header.contains("\"runs\":3"), "{header}");
    // Digits folded, one run: the scheme of the shipped model, format 1.
    train(d, "plain.bin", &["--digits", "fold", "--runs", "1"]);
    let plain = std::fs::read(d.join("plain.bin")).unwrap();
    assert_eq!(plain[8..12], 1u32.to_le_bytes());
    let header = String::from_utf8_lossy(&plain[16..2000]).to_string();
    assert!(!header.contains("\"features\""), "{header}");
    assert!(!header.contains("\"runs\""), "{header}");

    // Another option is recorded too, and the model is read with it.
    train(d, "log.bin", &["--tf", "log"]);
    let log = std::fs::read(d.join("log.bin")).unwrap();
    assert_eq!(log[8..12], 2u32.to_le_bytes());
    let header = String::from_utf8_lossy(&log[16..2000]).to_string();
    assert!(
        header.contains("\"features\":{\"tf\":\"log\",\"keep_digits\":true}"),
        "{header}"
    );
    assert_separates(d, "log.bin");

    // IDF adds a table per bucket: format 3, and the model scores with it.
    train(d, "idf.bin", &["--idf"]);
    let idf = std::fs::read(d.join("idf.bin")).unwrap();
    assert_eq!(idf[8..12], 3u32.to_le_bytes());
    let header = String::from_utf8_lossy(&idf[16..2000]).to_string();
    assert!(
        header.contains("\"features\":{\"tf\":\"raw\",\"keep_digits\":true,\"idf\":true}"),
        "{header}"
    );
    // After the header: the weights (2 bytes a bucket), then the IDF (1 byte a bucket).
    let tables =
        |m: &[u8]| m.len() - 24 - u32::from_le_bytes(m[12..16].try_into().unwrap()) as usize;
    assert_eq!(tables(&idf) * 2, tables(&a) * 3);
    assert_separates(d, "idf.bin");
}

#[test]
fn thresholds_can_be_chosen_on_out_of_fold_scores() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let report = train(d, "k.bin", &["--threshold-folds", "3", "--json"]);
    let report: serde_json::Value = serde_json::from_str(&report).expect("--json report");
    let tuned = &report["threshold_texts"];
    assert!(tuned["out_of_fold"].as_u64().unwrap() > 50, "{report}");
    assert_eq!(tuned["dev"], report["dev"]["records"], "{report}");
    assert_separates(d, "k.bin");

    let only = train(
        d,
        "o.bin",
        &["--threshold-folds", "3", "--threshold-folds-only"],
    );
    assert!(
        only.contains("out-of-fold train texts and 0 dev texts"),
        "{only}"
    );
    assert_separates(d, "o.bin");

    let err = fails(
        d,
        &[
            "train",
            "--out",
            "m.bin",
            "--quiet",
            "--threshold-folds",
            "1",
            written().to_str().unwrap(),
        ],
    );
    assert!(err.contains("threshold folds must be 0"), "{err}");
    assert!(!d.join("m.bin").exists(), "nothing is written on error");
}

#[test]
fn bad_input_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let data = written();
    let data = data.to_str().unwrap();

    let err = fails(d, &["train", "--out", "m.bin", "--quiet", "missing.jsonl"]);
    assert!(err.contains("missing.jsonl"), "{err}");

    std::fs::write(d.join("empty.jsonl"), "").unwrap();
    let err = fails(d, &["train", "--out", "m.bin", "--quiet", "empty.jsonl"]);
    assert!(err.contains("no training examples"), "{err}");

    std::fs::write(
        d.join("typed.jsonl"),
        "{\"id\": \"a\", \"text\": \"hello\", \"label\": 3, \"split\": \"train\"}\n",
    )
    .unwrap();
    let err = fails(d, &["train", "--out", "m.bin", "--quiet", "typed.jsonl"]);
    assert!(
        err.contains("typed.jsonl") && err.contains("label"),
        "{err}"
    );

    for bits in ["15", "25"] {
        let err = fails(
            d,
            &["train", "--out", "m.bin", "--quiet", "--bits", bits, data],
        );
        assert!(err.contains("bits must be between 16 and 24"), "{err}");
    }
    let err = fails(
        d,
        &["train", "--out", "m.bin", "--quiet", "--tf", "idf", data],
    );
    assert!(err.contains("--tf"), "{err}");
    assert!(!d.join("m.bin").exists(), "nothing is written on error");

    // Only ham: there is nothing to tell it from.
    std::fs::write(
        d.join("ham.jsonl"),
        (0..30)
            .map(|i| {
                format!(
                    "{{\"id\": \"{i}\", \"text\": \"see you at {i}\", \"label\": \"ham\", \
                     \"split\": \"{}\"}}\n",
                    if i % 3 == 0 { "dev" } else { "train" }
                )
            })
            .collect::<String>(),
    )
    .unwrap();
    let err = fails(d, &["train", "--out", "m.bin", "--quiet", "ham.jsonl"]);
    assert!(
        err.contains("needs ham and at least one of spam or scam"),
        "{err}"
    );

    // A model file that is not one is refused where it is read.
    std::fs::write(d.join("bad.bin"), b"not a model").unwrap();
    let out = run(d, &["scan", "--model", "bad.bin", HAM]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a scamguard model file"), "{err}");
}
