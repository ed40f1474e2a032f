//! `scamguard bench`: single-core throughput of the engine's three hot paths, over the
//! datasets when they are available and over built-in samples otherwise.

use crate::engine_args::EngineArgs;
use crate::eval::{dataset_files, read_records};
use anyhow::Result;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use scamguard_core::eval::Kind;
use scamguard_core::{samples, Engine, Locale};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Dataset directory (the ../shared/datasets layout); built-in samples are used without it.
    #[arg(long, value_name = "DIR")]
    pub datasets: Option<PathBuf>,
    /// Seconds to spend on each measurement.
    #[arg(long, default_value_t = 3.0)]
    pub seconds: f64,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub engine: EngineArgs,
}

struct Measure {
    what: &'static str,
    items: usize,
    ops: u64,
    secs: f64,
}

fn measure(what: &'static str, items: usize, seconds: f64, mut op: impl FnMut(usize)) -> Measure {
    let bar = ProgressBar::new((seconds * 1000.0) as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg:<22} [{bar:30}] {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what);
    // Warm up once over every item so that lazy tables are built before timing.
    for i in 0..items {
        op(i);
    }
    let budget = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut ops = 0u64;
    let mut i = 0usize;
    loop {
        for _ in 0..256 {
            op(i);
            i = (i + 1) % items;
            ops += 1;
        }
        let el = start.elapsed();
        bar.set_position(el.as_millis() as u64);
        if el >= budget {
            break;
        }
    }
    bar.finish_and_clear();
    Measure {
        what,
        items,
        ops,
        secs: start.elapsed().as_secs_f64(),
    }
}

pub fn run(args: BenchArgs) -> Result<ExitCode> {
    let engine: Engine = args.engine.engine()?;
    let mut names: Vec<String> = samples::NAMES.iter().map(|s| s.to_string()).collect();
    for idt in engine.lexicons().identities.identities() {
        names.extend(idt.zh_hans.iter().chain(&idt.en).take(2).cloned());
    }
    let mut messages: Vec<(String, Locale)> = samples::MESSAGES
        .iter()
        .map(|s| (s.to_string(), Locale::ZhHans))
        .collect();
    let mut urls: Vec<String> = samples::URLS.iter().map(|s| s.to_string()).collect();
    let mut source = "built-in samples".to_string();
    if let Some(dir) = &args.datasets {
        let files = dataset_files(std::slice::from_ref(dir))?;
        let (mut m, mut u) = (Vec::new(), Vec::new());
        for f in files {
            for r in read_records(&f, "test", 5000)? {
                match r.kind() {
                    Kind::Messages => {
                        let loc = if r.lang == "zh" {
                            Locale::ZhHans
                        } else {
                            Locale::En
                        };
                        m.push((r.text, loc));
                    }
                    Kind::Urls => u.push(r.text),
                }
            }
        }
        if !m.is_empty() {
            messages = m;
        }
        if !u.is_empty() {
            urls = u;
        }
        source = format!("test splits under {}", dir.display());
    }
    let mut results = vec![
        measure("display-name checks", names.len(), args.seconds, |i| {
            std::hint::black_box(engine.check_name(&names[i]));
        }),
        measure("message scans", messages.len(), args.seconds, |i| {
            let (t, l) = &messages[i];
            std::hint::black_box(engine.scan_message(t, None, *l));
        }),
        measure("URL scans", urls.len(), args.seconds, |i| {
            std::hint::black_box(engine.scan_url(&urls[i], Locale::En));
        }),
    ];
    // With a model on, also what it costs: the same scans without it, and the model alone.
    if let Some(model) = engine.model() {
        let rules = engine.without_model();
        results.push(measure(
            "message scans, rules only",
            messages.len(),
            args.seconds,
            |i| {
                let (t, l) = &messages[i];
                std::hint::black_box(rules.scan_message(t, None, *l));
            },
        ));
        results.push(measure(
            "model predictions alone",
            messages.len(),
            args.seconds,
            |i| {
                std::hint::black_box(model.predict_text(&messages[i].0));
            },
        ));
    }
    if args.json {
        let rows: Vec<_> = results
            .iter()
            .map(|m| serde_json::json!({"what": m.what, "items": m.items, "ops": m.ops, "seconds": m.secs, "per_second": m.ops as f64 / m.secs}))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"source": source, "threads": 1, "results": rows})
            )?
        );
    } else {
        println!("source: {source}; one thread\n");
        println!("| measurement | distinct inputs | operations | per second | mean µs |");
        println!("|---|---:|---:|---:|---:|");
        for m in &results {
            let rate = m.ops as f64 / m.secs;
            println!(
                "| {} | {} | {} | {:.0} | {:.2} |",
                m.what,
                m.items,
                m.ops,
                rate,
                1e6 / rate
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
