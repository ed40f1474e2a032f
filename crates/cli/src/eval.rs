//! `scamguard eval`: verdicts against labelled datasets, per file and label; with `--kind names`,
//! identity claims against labelled display names ([`names`]).

mod names;

use crate::engine_args::EngineArgs;
use anyhow::{bail, Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use scamguard_core::eval::{length_matched, FileResult, Kind, Record};
use scamguard_core::{Engine, Locale};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// What makes the prediction.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The engine without the text classifier.
    Rules,
    /// The text classifier alone, with the thresholds stored in the model.
    Model,
    /// The engine with the text classifier.
    Both,
}

impl Mode {
    fn as_str(self) -> &'static str {
        match self {
            Mode::Rules => "rules",
            Mode::Model => "model",
            Mode::Both => "both",
        }
    }
}

/// What the dataset files hold.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataKind {
    /// Messages, URLs and domains (labels ham/spam/scam, benign/phishing/...).
    Texts,
    /// Caller display names (labels impersonation/genuine), each judged as the name of a video
    /// call from an unknown handle.
    Names,
}

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Dataset files (JSON Lines) or directories holding them.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Which split to evaluate: train, dev, test, or all.
    #[arg(long, default_value = "test")]
    pub split: String,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Evaluate at most this many records per file (0: all).
    #[arg(long, default_value_t = 0)]
    pub limit: usize,
    /// Hide the progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// rules: the engine without the classifier; model: the classifier alone; both: the
    /// engine with the classifier.
    #[arg(long, value_enum, default_value_t = Mode::Both)]
    pub mode: Mode,
    /// Evaluate each file on a subset in which ham and unwanted texts have the same length
    /// distribution (10-character buckets, subsampled to equal counts, deterministically);
    /// files with only one class are skipped.
    #[arg(long)]
    pub length_matched: bool,
    /// For throughput only: judge each file's records again until this many seconds have
    /// passed, so that small files give a stable messages/s figure.
    #[arg(long, default_value_t = 0.0, value_name = "SECONDS")]
    pub min_seconds: f64,
    /// Write every misclassified record (file, id, label, predicted class, text) to this file
    /// as JSON Lines, for error analysis.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
    /// What the files hold: texts (messages, URLs, domains) or names (display names labelled
    /// impersonation or genuine, such as bench/data/display_names.jsonl).
    #[arg(long, value_enum, default_value_t = DataKind::Texts)]
    pub kind: DataKind,
    #[command(flatten)]
    pub engine: EngineArgs,
}

/// One file's results with the time the predictions took.
#[derive(Debug, Serialize)]
pub struct FileReport {
    /// Counts and rates.
    #[serde(flatten)]
    pub result: FileResult,
    /// Predictions timed (the records, times the repeats of `--min-seconds`).
    pub timed_predictions: u64,
    /// Seconds they took on one thread.
    pub seconds: f64,
    /// Predictions per second on one thread.
    pub messages_per_second: f64,
}

/// Every `.jsonl` file under the given paths, sorted.
pub fn dataset_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut stack = vec![p.clone()];
            while let Some(dir) = stack.pop() {
                for entry in std::fs::read_dir(&dir)
                    .with_context(|| format!("cannot list {}", dir.display()))?
                {
                    let path = entry?.path();
                    if path.is_dir() {
                        stack.push(path);
                    } else if path.extension().is_some_and(|e| e == "jsonl") {
                        files.push(path);
                    }
                }
            }
        } else if p.exists() {
            files.push(p.clone());
        } else {
            bail!("{} does not exist", p.display());
        }
    }
    files.sort();
    Ok(files)
}

/// Reads the records of `split` ("all" for every split) from a dataset file.
pub fn read_records(path: &Path, split: &str, limit: usize) -> Result<Vec<Record>> {
    read_split(path, limit, |r: &Record| split == "all" || r.split == split)
}

/// Reads up to `limit` (0: all) JSON Lines records of type `T` that `keep` accepts.
pub fn read_split<T: serde::de::DeserializeOwned>(
    path: &Path,
    limit: usize,
    keep: impl Fn(&T) -> bool,
) -> Result<Vec<T>> {
    let f = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in BufReader::new(f).lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        // The path to the offending field ("label") makes a wrong-typed value easy to find.
        let r: T = serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(&line))
            .map_err(|e| {
                let field = e.path().to_string();
                let at = if field == "." {
                    String::new()
                } else {
                    format!(" (field `{field}`)")
                };
                anyhow::anyhow!(
                    "{}:{}: not a dataset record{at}: {}",
                    path.display(),
                    i + 1,
                    e.into_inner()
                )
            })?;
        if keep(&r) {
            out.push(r);
            if limit > 0 && out.len() >= limit {
                break;
            }
        }
    }
    Ok(out)
}

/// The class the engine predicts for a record.
pub fn judge(engine: &Engine, r: &Record) -> &'static str {
    match r.kind() {
        Kind::Urls => engine.scan_url(&r.text, Locale::En).class.as_str(),
        Kind::Messages => {
            let locale = if r.lang == "zh" {
                Locale::ZhHans
            } else {
                Locale::En
            };
            engine.scan_message(&r.text, None, locale).class.as_str()
        }
    }
}

/// The class the text classifier alone predicts for a message record (`ham` when the model
/// does not read the record's script).
pub fn judge_model(model: &scamguard_core::model::Model, r: &Record) -> &'static str {
    model
        .predict_text(&r.text)
        .map_or("ham", |p| p.class.as_str())
}

pub fn run(args: EvalArgs) -> Result<ExitCode> {
    if !["train", "dev", "test", "all"].contains(&args.split.as_str()) {
        bail!(
            "--split must be train, dev, test or all, not {:?}",
            args.split
        );
    }
    // Refused before the engine and its model are loaded.
    if args.kind == DataKind::Names && (args.mode == Mode::Model || args.length_matched) {
        bail!("--kind names judges names with the engine: drop --mode model and --length-matched");
    }
    let engine = args.engine.engine()?;
    let engine = match args.mode {
        Mode::Rules => engine.without_model(),
        _ => engine,
    };
    if args.mode == Mode::Model && engine.model().is_none() {
        bail!("--mode model needs a model: drop --no-model");
    }
    let files = dataset_files(&args.paths)?;
    if files.is_empty() {
        bail!("no .jsonl files found under {:?}", args.paths);
    }
    if args.kind == DataKind::Names {
        return names::run(&args, &engine, &files);
    }
    let mut errors = errors_file(&args)?;
    let mut results: BTreeMap<String, FileReport> = BTreeMap::new();
    for file in &files {
        let mut records = read_records(file, &args.split, args.limit)?;
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if args.mode == Mode::Model {
            records.retain(|r| r.kind() == Kind::Messages);
        }
        if args.length_matched {
            let keep = length_matched(&records);
            if keep.is_empty() {
                if !args.quiet {
                    eprintln!("{name}: skipped: --length-matched needs ham and unwanted texts");
                }
                continue;
            }
            records = keep.into_iter().map(|i| records[i].clone()).collect();
        }
        if records.is_empty() {
            continue;
        }
        let predict = |r: &Record| -> &'static str {
            match (args.mode, engine.model()) {
                (Mode::Model, Some(m)) => judge_model(m, r),
                _ => judge(&engine, r),
            }
        };
        let bar = progress(records.len() as u64, &name, args.quiet);
        let mut res = FileResult::default();
        let started = Instant::now();
        for r in &records {
            let predicted = predict(r);
            res.add(&r.label, r.class(), predicted);
            if let Some(w) = errors.as_mut().filter(|_| predicted != r.class()) {
                use std::io::Write;
                serde_json::to_writer(
                    &mut *w,
                    &serde_json::json!({"file": name, "id": r.id, "label": r.label,
                                        "predicted": predicted, "text": r.text}),
                )?;
                writeln!(w)?;
            }
            bar.inc(1);
        }
        let mut timed = records.len() as u64;
        while started.elapsed().as_secs_f64() < args.min_seconds {
            for r in &records {
                std::hint::black_box(predict(std::hint::black_box(r)));
            }
            timed += records.len() as u64;
        }
        let seconds = started.elapsed().as_secs_f64();
        bar.finish_and_clear();
        results.insert(
            name,
            FileReport {
                result: res,
                timed_predictions: timed,
                seconds,
                messages_per_second: timed as f64 / seconds.max(1e-9),
            },
        );
    }
    finish_errors(errors)?;
    if args.json {
        print_json(&serde_json::json!({
            "split": args.split,
            "mode": args.mode.as_str(),
            "length_matched": args.length_matched,
            "files": results
        }))?;
    } else {
        let plain: BTreeMap<String, FileResult> = results
            .iter()
            .map(|(k, v)| (k.clone(), v.result.clone()))
            .collect();
        print!(
            "mode: {}{}\n{}",
            args.mode.as_str(),
            if args.length_matched {
                " (length-matched)"
            } else {
                ""
            },
            table(&plain, &args.split)
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn progress(len: u64, name: &str, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg:<32} [{bar:30}] {pos}/{len} {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(name.to_string());
    bar
}

fn pct(x: Option<f64>) -> String {
    x.map_or("-".to_string(), |v| format!("{:.2}", v * 100.0))
}

/// The results as a Markdown table.
pub fn table(results: &BTreeMap<String, FileResult>, split: &str) -> String {
    let mut s = format!(
        "split: {split}\n\n| file | records | labels | unwanted P | R | F1 | ham flagged % | scam P | R | F1 | spam P | R | F1 |\n|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    );
    for (name, r) in results {
        let labels: Vec<String> = r.by_label.iter().map(|(l, n)| format!("{l} {n}")).collect();
        let scam = r.classes.get("scam").copied().unwrap_or_default();
        let spam = r.classes.get("spam").copied().unwrap_or_default();
        let has = |c: &scamguard_core::eval::Counts| c.support() > 0;
        let cell = |c: &scamguard_core::eval::Counts,
                    f: fn(&scamguard_core::eval::Counts) -> Option<f64>| {
            if has(c) {
                pct(f(c))
            } else {
                "-".into()
            }
        };
        s.push_str(&format!(
            "| {name} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            r.records,
            labels.join(", "),
            pct(r.unwanted.precision()),
            pct(r.unwanted.recall()),
            pct(r.unwanted.f1()),
            pct(r.ham_flagged),
            cell(&scam, |c| c.precision()),
            cell(&scam, |c| c.recall()),
            cell(&scam, |c| c.f1()),
            cell(&spam, |c| c.precision()),
            cell(&spam, |c| c.recall()),
            cell(&spam, |c| c.f1()),
        ));
    }
    s
}

/// The `--errors` file, if one was asked for: each misjudged record is written there.
fn errors_file(args: &EvalArgs) -> Result<Option<std::io::BufWriter<std::fs::File>>> {
    args.errors
        .as_ref()
        .map(|p| {
            std::fs::File::create(p)
                .map(std::io::BufWriter::new)
                .with_context(|| format!("cannot create {}", p.display()))
        })
        .transpose()
}

/// Writes out what the `--errors` file still holds.
fn finish_errors(errors: Option<std::io::BufWriter<std::fs::File>>) -> Result<()> {
    if let Some(mut w) = errors {
        use std::io::Write;
        w.flush()?;
    }
    Ok(())
}

/// Prints an evaluation's `--json` answer.
fn print_json(value: &serde_json::Value) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
