//! `scamguard campaigns`: score the campaign loop on generated traffic.

use crate::engine_args::EngineArgs;
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use scamguard_core::intel::campaign::pairwise_scores;
use scamguard_core::intel::joiner::run_case;
use scamguard_core::intel::{Indicator, Joiner};
use scamguard_core::{Action, Case};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Campaigns: flagged and reported sessions joined by what a ring reuses.
#[derive(Subcommand, Debug)]
pub enum CampaignsCommand {
    /// Join the sessions of a traffic file with planted campaigns (bench/campaigns/generate.py)
    /// and print pairwise precision and recall against them, with timings.
    Eval(EvalArgs),
}

/// Options of `campaigns eval`.
#[derive(Args, Debug)]
pub struct EvalArgs {
    /// JSON Lines of {"campaign": RING or null, "case": CASE}; `-` reads stdin.
    pub file: PathBuf,
    /// Print the figures as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Also list the joinable indicators named by sessions of more than one planted ring
    /// (what ties campaigns that should stay apart), up to N of them.
    #[arg(long, value_name = "N")]
    pub shared: Option<usize>,
    #[command(flatten)]
    pub engine: EngineArgs,
}

/// Runs a `campaigns` command.
pub fn run(cmd: CampaignsCommand) -> Result<ExitCode> {
    match cmd {
        CampaignsCommand::Eval(a) => eval(a),
    }
}

fn eval(a: EvalArgs) -> Result<ExitCode> {
    let engine = a.engine.engine()?;
    let settings = &engine.policy().settings;
    let mut joiner = Joiner::new(engine.lexicons(), settings.frequency_rule());
    let reader: Box<dyn BufRead> = if a.file.as_os_str() == "-" {
        Box::new(BufReader::new(std::io::stdin()))
    } else {
        Box::new(BufReader::new(
            std::fs::File::open(&a.file).with_context(|| format!("{}", a.file.display()))?,
        ))
    };
    let (mut truth, mut predicted) = (Vec::new(), Vec::new());
    let (mut sessions, mut ring_sessions, mut ring_flagged, mut genuine_flagged) =
        (0u64, 0u64, 0u64, 0u64);
    let (mut engine_time, mut join_time) = (Duration::ZERO, Duration::ZERO);
    let mut shared: std::collections::HashMap<String, Vec<u64>> = Default::default();
    for (n, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&line).with_context(|| format!("line {}", n + 1))?;
        let ring = v.get("campaign").and_then(serde_json::Value::as_u64);
        let Some(case_v) = v.get("case") else {
            bail!("line {}: no \"case\"", n + 1);
        };
        let case = Case::from_value(case_v).with_context(|| format!("line {}", n + 1))?;
        sessions += 1;
        ring_sessions += u64::from(ring.is_some());
        let t = Instant::now();
        let (session, _) = run_case(&engine, &case);
        engine_time += t.elapsed();
        let caller = Indicator::caller(&handle_key(&case.from.handle));
        let t = Instant::now();
        if session.max_action >= Action::Warn {
            if let (Some(_), Some(r)) = (a.shared, ring) {
                for i in joiner.joinable(&session.indicators, Some(&caller)) {
                    let rings = shared.entry(i.key()).or_default();
                    if !rings.contains(&r) {
                        rings.push(r);
                    }
                }
            }
            let c = joiner.join(&session.indicators, Some(&caller));
            join_time += t.elapsed();
            // Genuine sessions each form their own true cluster.
            truth.push(ring.unwrap_or(u64::MAX - sessions));
            predicted.push(c as u64);
            if ring.is_some() {
                ring_flagged += 1;
            } else {
                genuine_flagged += 1;
            }
        } else {
            joiner.record_allowed(&session.indicators);
            join_time += t.elapsed();
        }
    }
    // Merges re-point campaigns: score against where each session's campaign ended up.
    let predicted: Vec<u64> = predicted
        .into_iter()
        .map(|c| joiner.root(c as i64) as u64)
        .collect();
    let scores = pairwise_scores(&truth, &predicted);
    let flagged = truth.len() as u64;
    let per_join_us = if flagged == 0 {
        0.0
    } else {
        join_time.as_secs_f64() * 1e6 / sessions as f64
    };
    let c = joiner.clusterer();
    let figures = serde_json::json!({
        "sessions": sessions,
        "ring_sessions": ring_sessions,
        "flagged": flagged,
        "ring_sessions_flagged": ring_flagged,
        "genuine_sessions_flagged": genuine_flagged,
        "campaigns": c.campaigns(),
        "merges": c.merges(),
        "text_bands_contested": c.contested(),
        "indicators_indexed": c.indicators(),
        "common_indicators_dropped": joiner.dropped,
        "pairwise_precision": scores.precision,
        "pairwise_recall": scores.recall,
        "true_pairs": scores.true_pairs,
        "predicted_pairs": scores.predicted_pairs,
        "engine_seconds": engine_time.as_secs_f64(),
        "join_seconds": join_time.as_secs_f64(),
        "join_us_per_session": per_join_us,
    });
    if a.json {
        println!("{figures}");
    } else {
        println!(
            "{sessions} sessions ({ring_sessions} from planted rings); flagged {flagged} \
             ({ring_flagged} ring, {genuine_flagged} genuine)"
        );
        println!(
            "{} campaigns after {} merges; {} indicators indexed, {} common ones left out, \
             {} script bands found in several campaigns",
            c.campaigns(),
            c.merges(),
            c.indicators(),
            joiner.dropped,
            c.contested()
        );
        println!(
            "pairwise precision {:.4}, recall {:.4} ({} true pairs, {} predicted)",
            scores.precision, scores.recall, scores.true_pairs, scores.predicted_pairs
        );
        println!(
            "engine {:.2} s; campaign loop {:.2} s ({per_join_us:.2} µs a session)",
            engine_time.as_secs_f64(),
            join_time.as_secs_f64()
        );
    }
    if let Some(n) = a.shared {
        let mut tied: Vec<(usize, String)> = shared
            .into_iter()
            .filter(|(_, r)| r.len() > 1)
            .map(|(k, r)| (r.len(), k))
            .collect();
        tied.sort_unstable_by(|a, b| b.cmp(a));
        for (rings, key) in tied.into_iter().take(n) {
            println!("shared by {rings} rings: {key}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A stable key for a handle in evaluation (the service uses its keyed hash instead).
fn handle_key(handle: &str) -> String {
    let norm = scamguard_store::normalise_handle(handle);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in norm.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}
