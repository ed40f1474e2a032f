//! `scamguard campaigns`: score the campaign loop on generated traffic.

use crate::engine_args::EngineArgs;
use crate::settings::StoreArgs;
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use scamguard_core::intel::campaign::pairwise_scores;
use scamguard_core::intel::joiner::run_case;
use scamguard_core::intel::stix;
use scamguard_core::intel::{Indicator, Joiner};
use scamguard_core::{Action, Case};
use scamguard_store::intel::parse_campaign_id;
use scamguard_store::{now_ms, utc};
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
    /// List the store's campaigns, largest first.
    List(ListArgs),
    /// Show one campaign: figures, indicators, sessions, reports.
    Show(ShowArgs),
    /// Export one campaign as a STIX 2.1 bundle or CSV, to stdout.
    Export(ExportArgs),
}

/// Options of `campaigns list`.
#[derive(Args, Debug)]
pub struct ListArgs {
    /// At most this many.
    #[arg(long, default_value_t = 100)]
    pub limit: i64,
    /// Print JSON, as `GET /v1/campaigns` answers.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Options of `campaigns show`.
#[derive(Args, Debug)]
pub struct ShowArgs {
    /// The campaign id (`cmp_…`).
    pub id: String,
    /// Print JSON, as `GET /v1/campaigns/{id}` answers.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// What `campaigns export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// A STIX 2.1 bundle (JSON).
    Stix,
    /// campaign_id,kind,value,sessions,first_seen,last_seen
    Csv,
}

/// Options of `campaigns export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The campaign id (`cmp_…`).
    pub id: String,
    #[arg(long, value_enum, default_value = "stix")]
    pub format: ExportFormat,
    #[command(flatten)]
    pub store: StoreArgs,
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
        CampaignsCommand::List(a) => with_store(&a.store, |s| list(s, &a)),
        CampaignsCommand::Show(a) => with_store(&a.store, |s| show(s, &a)),
        CampaignsCommand::Export(a) => with_store(&a.store, |s| export(s, &a)),
    }
}

type Store = std::sync::Arc<dyn scamguard_store::Store>;

/// Runs `f` on the store `args` name, closing it after.
fn with_store<F>(args: &StoreArgs, f: impl FnOnce(Store) -> F) -> Result<ExitCode>
where
    F: std::future::Future<Output = Result<()>>,
{
    crate::settings::block_on(async {
        let store = crate::settings::open(args).await?;
        let result = f(store.clone()).await;
        store.close().await;
        result.map(|()| ExitCode::SUCCESS)
    })
}

async fn detail(store: &Store, id: &str) -> Result<scamguard_store::CampaignDetail> {
    let n = parse_campaign_id(id)
        .with_context(|| format!("{id:?} is not a campaign id (cmp_ and a number)"))?;
    store
        .campaign(n)
        .await?
        .with_context(|| format!("no campaign {id}"))
}

async fn list(store: Store, a: &ListArgs) -> Result<()> {
    let campaigns = store.campaigns(a.limit).await?;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "campaigns": campaigns }))?
        );
        return Ok(());
    }
    println!(
        "{:<10} {:<9} {:>8} {:>7} {:>7}  {:<20} {:<20}",
        "id", "status", "sessions", "reports", "handles", "first seen", "last seen"
    );
    for c in &campaigns {
        println!(
            "{:<10} {:<9} {:>8} {:>7} {:>7}  {:<20} {:<20}",
            c.id,
            c.status.as_str(),
            c.sessions,
            c.reports,
            c.handles,
            utc(c.first_seen),
            utc(c.last_seen)
        );
    }
    Ok(())
}

async fn show(store: Store, a: &ShowArgs) -> Result<()> {
    let c = detail(&store, &a.id).await?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&c)?);
        return Ok(());
    }
    let s = &c.summary;
    println!("{}  {}", s.id, s.status.as_str());
    println!(
        "sessions {}, reports {}, caller handles {}; first {} last {}",
        s.sessions,
        s.reports,
        s.handles,
        utc(s.first_seen),
        utc(s.last_seen)
    );
    if !s.claims.is_empty() {
        println!("claimed identities: {}", s.claims.join(", "));
    }
    if !s.scripts.is_empty() {
        println!("script stages: {}", s.scripts.join(", "));
    }
    println!("indicators:");
    for i in &c.indicators {
        println!(
            "  {:<16} {:<40} {:>6} sessions",
            i.kind.as_str(),
            i.value,
            i.sessions
        );
    }
    println!("sessions:");
    for id in &c.session_ids {
        println!("  {id}");
    }
    Ok(())
}

async fn export(store: Store, a: &ExportArgs) -> Result<()> {
    let c = detail(&store, &a.id).await?;
    match a.format {
        ExportFormat::Stix => println!(
            "{}",
            serde_json::to_string_pretty(&stix::bundle(&c.summary, &c.indicators, now_ms()))?
        ),
        ExportFormat::Csv => print!("{}", stix::csv(&c.summary, &c.indicators)),
    }
    Ok(())
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
