//! `scamguard eval`: verdicts against labelled datasets, per file and label.

use crate::engine_args::EngineArgs;
use anyhow::{bail, Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use scamguard_core::eval::{predicted_class, FileResult, Kind, Record};
use scamguard_core::{Engine, Locale};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
    #[command(flatten)]
    pub engine: EngineArgs,
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
    let f = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in BufReader::new(f).lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let r: Record = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not a dataset record", path.display(), i + 1))?;
        if split == "all" || r.split == split {
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
        Kind::Urls => {
            let v = engine.scan_url(&r.text, Locale::En);
            if v.action >= scamguard_core::Action::Warn {
                "scam"
            } else {
                "ham"
            }
        }
        Kind::Messages => {
            let locale = if r.lang == "zh" {
                Locale::ZhHans
            } else {
                Locale::En
            };
            predicted_class(&engine.scan_message(&r.text, None, locale))
        }
    }
}

pub fn run(args: EvalArgs) -> Result<ExitCode> {
    if !["train", "dev", "test", "all"].contains(&args.split.as_str()) {
        bail!(
            "--split must be train, dev, test or all, not {:?}",
            args.split
        );
    }
    let engine = args.engine.engine()?;
    let files = dataset_files(&args.paths)?;
    if files.is_empty() {
        bail!("no .jsonl files found under {:?}", args.paths);
    }
    let mut results: BTreeMap<String, FileResult> = BTreeMap::new();
    for file in &files {
        let records = read_records(file, &args.split, args.limit)?;
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let bar = progress(records.len() as u64, &name, args.quiet);
        let mut res = FileResult::default();
        for r in &records {
            let predicted = judge(&engine, r);
            res.add(&r.label, r.class(), predicted);
            bar.inc(1);
        }
        bar.finish_and_clear();
        results.insert(name, res);
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"split": args.split, "files": results})
            )?
        );
    } else {
        print!("{}", table(&results, &args.split));
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
