//! `scamguard worker`: a node that applies sessions' events from NATS JetStream and publishes
//! their verdicts (see `scamguard_server::worker`), and `scamguard stream`: publish case files
//! to the stream and read verdicts back, for tests, load and operators' checks.
//!
//! A worker takes every option of `serve` (store, handle key, policy, model, registry, …) and
//! serves the same HTTP API, health and metrics on `--listen` while it consumes.

use crate::serve::{self, ServeArgs};
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use scamguard_server::worker::{self, WorkerConfig};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Where the NATS server is and what the streams keep.
#[derive(Args, Debug, Clone)]
pub struct NatsArgs {
    /// The NATS server (JetStream enabled).
    #[arg(long = "nats", value_name = "URL", env = "SCAMGUARD_NATS")]
    pub url: String,
    /// Oldest message the streams keep when the worker creates them, in seconds; 0: no limit
    /// [default: 86400].
    #[arg(long, value_name = "SECS", env = "SCAMGUARD_NATS_MAX_AGE_SECS")]
    pub nats_max_age_secs: Option<u64>,
    /// Most bytes each stream keeps when the worker creates it; -1: no limit [default: -1].
    #[arg(
        long,
        value_name = "BYTES",
        env = "SCAMGUARD_NATS_MAX_BYTES",
        allow_negative_numbers = true
    )]
    pub nats_max_bytes: Option<i64>,
    /// Seconds JetStream remembers a Nats-Msg-Id to drop a duplicate [default: 120].
    #[arg(
        long,
        value_name = "SECS",
        env = "SCAMGUARD_NATS_DUPLICATE_WINDOW_SECS"
    )]
    pub nats_duplicate_window_secs: Option<u64>,
}

impl NatsArgs {
    fn config(&self) -> Result<WorkerConfig> {
        let d = WorkerConfig::default();
        if !(self.url.starts_with("nats://") || self.url.starts_with("tls://")) {
            bail!("--nats: expected nats://HOST:PORT, got {:?}", self.url);
        }
        Ok(WorkerConfig {
            nats_url: self.url.clone(),
            max_age: self
                .nats_max_age_secs
                .map(Duration::from_secs)
                .unwrap_or(d.max_age),
            max_bytes: self.nats_max_bytes.unwrap_or(d.max_bytes),
            duplicate_window: self
                .nats_duplicate_window_secs
                .map(Duration::from_secs)
                .unwrap_or(d.duplicate_window),
            ..d
        })
    }
}

#[derive(Args, Debug)]
pub struct WorkerArgs {
    #[command(flatten)]
    pub nats: NatsArgs,
    /// Messages this worker applies at once (different sessions run in parallel) [default: 64].
    #[arg(long, value_name = "N", env = "SCAMGUARD_NATS_CONCURRENCY")]
    pub nats_concurrency: Option<usize>,
    /// Milliseconds a message waits when an earlier message of its session is still pending
    /// [default: 50].
    #[arg(long, value_name = "MS", env = "SCAMGUARD_NATS_RETRY_MS")]
    pub nats_retry_ms: Option<u64>,
    /// Seconds JetStream waits for a worker's acknowledgement before redelivering a message
    /// to another, e.g. after the worker died [default: 10].
    #[arg(long, value_name = "SECS", env = "SCAMGUARD_NATS_ACK_WAIT_SECS")]
    pub nats_ack_wait_secs: Option<u64>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

pub fn run(args: WorkerArgs) -> Result<ExitCode> {
    let d = WorkerConfig::default();
    let config = WorkerConfig {
        concurrency: args.nats_concurrency.unwrap_or(d.concurrency).max(1),
        retry_delay: args
            .nats_retry_ms
            .map(Duration::from_millis)
            .unwrap_or(d.retry_delay),
        ack_wait: args
            .nats_ack_wait_secs
            .map(Duration::from_secs)
            .unwrap_or(d.ack_wait)
            .max(Duration::from_secs(1)),
        ..args.nats.config()?
    };
    serve::run_node(args.serve, |state, listener| async move {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|s| *s).await;
        };
        let http = tokio::spawn(scamguard_server::serve(
            listener,
            state.clone(),
            stopped(stop_rx.clone()),
        ));
        let consumed = tokio::select! {
            r = worker::run(state, config, stopped(stop_rx)) => r,
            _ = serve::shutdown_signal() => Ok(()),
        };
        let _ = stop_tx.send(true);
        http.await.context("the HTTP task")??;
        consumed?;
        Ok(())
    })
}

#[derive(Subcommand, Debug)]
pub enum StreamCommand {
    /// Publish case files to the events stream: each case's opening, then its events, as the
    /// session `PREFIX` + the file's name without `.json`; cases are interleaved one message
    /// at a time, as calls happen at once.
    Publish {
        #[command(flatten)]
        nats: NatsArgs,
        /// Put before each session id, to keep runs apart.
        #[arg(long, default_value = "")]
        prefix: String,
        /// Case files.
        #[arg(value_name = "CASE", required = true)]
        cases: Vec<PathBuf>,
    },
    /// Print every message of the verdicts stream as one JSON line, oldest first; with
    /// `--summary`, print instead how many there are, how fast they came (first to last
    /// verdict) and the time from each event's storing to its verdict's (both stamped by the
    /// NATS server).
    Verdicts {
        #[command(flatten)]
        nats: NatsArgs,
        /// Print counts, events per second and latency percentiles instead of the verdicts.
        #[arg(long)]
        summary: bool,
        /// Only sessions whose id starts with this.
        #[arg(long, value_name = "PREFIX", default_value = "")]
        session_prefix: String,
    },
}

pub fn run_stream(command: StreamCommand) -> Result<ExitCode> {
    crate::settings::block_on_threads(async move {
        match command {
            StreamCommand::Publish {
                nats,
                prefix,
                cases,
            } => publish(&nats.config()?, &prefix, &cases).await,
            StreamCommand::Verdicts {
                nats,
                summary,
                session_prefix,
            } => verdicts(&nats.config()?, summary, &session_prefix).await,
        }
    })
}

/// A session id for a case file: its name, with what a NATS token cannot hold replaced.
fn session_for(prefix: &str, path: &std::path::Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let clean: String = format!("{prefix}{stem}")
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && !".*>".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    clean.chars().take(128).collect()
}

async fn publish(config: &WorkerConfig, prefix: &str, cases: &[PathBuf]) -> Result<ExitCode> {
    let js = worker::connect(config).await?;
    let mut queues = Vec::new();
    for path in cases {
        let text = crate::engine_args::read(path)?;
        let case: Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not JSON", path.display()))?;
        let session = session_for(prefix, path);
        let messages = worker::case_messages(&session, &case);
        queues.push((session, messages.into_iter()));
    }
    let mut published = 0usize;
    loop {
        let mut any = false;
        for (session, queue) in &mut queues {
            if let Some((msg_id, message)) = queue.next() {
                worker::publish_event(&js, session, &msg_id, &message).await?;
                published += 1;
                any = true;
            }
        }
        if !any {
            break;
        }
    }
    eprintln!(
        "published {published} messages of {} sessions",
        queues.len()
    );
    Ok(ExitCode::SUCCESS)
}

async fn verdicts(config: &WorkerConfig, summary: bool, prefix: &str) -> Result<ExitCode> {
    let js = worker::connect(config).await?;
    let mut verdicts = worker::read_stream(&js, worker::VERDICTS_STREAM).await?;
    // Message ids start with the session: `<session>/<event id or "open">`.
    verdicts.retain(|v| v.msg_id.starts_with(prefix));
    if !summary {
        let mut out = std::io::stdout().lock();
        for v in &verdicts {
            use std::io::Write as _;
            writeln!(out, "{}", serde_json::to_string(&v.body)?)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut events = worker::read_stream(&js, worker::EVENTS_STREAM).await?;
    events.retain(|e| e.msg_id.starts_with(prefix));
    let published: std::collections::HashMap<&str, f64> = events
        .iter()
        .map(|e| (e.msg_id.as_str(), e.stored_ms))
        .collect();
    let mut latencies: Vec<f64> = verdicts
        .iter()
        .filter_map(|v| published.get(v.msg_id.as_str()).map(|p| v.stored_ms - p))
        .collect();
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| -> Option<f64> {
        (!latencies.is_empty()).then(|| {
            let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
            (latencies[i] * 100.0).round() / 100.0
        })
    };
    // Throughput over the time verdicts were being published (a backlog drained by the
    // workers, or a live run); latency from each message's storing to its answer's.
    let first = verdicts
        .iter()
        .map(|v| v.stored_ms)
        .fold(f64::MAX, f64::min);
    let last = verdicts.iter().map(|v| v.stored_ms).fold(0.0, f64::max);
    let seconds = ((last - first) / 1000.0).max(0.001);
    let line = json!({
        "events": events.len(),
        "verdicts": verdicts.len(),
        "errors": verdicts.iter().filter(|v| v.body.get("error").is_some()).count(),
        "seconds": (seconds * 1000.0).round() / 1000.0,
        "verdicts_per_second": (verdicts.len() as f64 / seconds).round(),
        "latency_ms_p50": pct(0.5),
        "latency_ms_p99": pct(0.99),
        "latency_ms_max": pct(1.0),
    });
    println!("{}", serde_json::to_string(&line)?);
    Ok(ExitCode::SUCCESS)
}
