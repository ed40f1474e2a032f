//! The `scamguard` command: the CLI and the glue between the engine, the store and the server.

mod bench;
mod campaigns;
mod check;
mod engine_args;
mod eval;
mod keys;
mod output;
mod policy_cmd;
mod prune;
mod registry;
mod report;
mod scan;
mod serve;
mod settings;
mod sign;
mod signing_key;
mod train;
mod worker;

use clap::{Parser, Subcommand};

/// mimalloc instead of glibc malloc: the service's write batches and the engine's many small
/// allocations are markedly cheaper with it (glibc maps and unmaps large buffers each batch).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

/// scamguard: stops impersonation scams on video calls, screen sharing and messages.
#[derive(Parser, Debug)]
#[command(name = "scamguard", version, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the HTTP service: JSON API under /v1, metrics, OpenAPI, console.
    Serve(Box<serve::ServeArgs>),
    /// Apply sessions' events from NATS JetStream and publish their verdicts (any number of
    /// workers share the work); serves the HTTP API too.
    Worker(Box<worker::WorkerArgs>),
    /// Publish case files to the JetStream events stream, or read the verdicts stream.
    #[command(subcommand)]
    Stream(worker::StreamCommand),
    /// Create, list and revoke API keys.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Generate the P-256 key pairs that sign calls, registry exports and risk assertions.
    #[command(subcommand)]
    SigningKey(signing_key::SigningKeyCommand),
    /// Enrol organisations that sign their calls; manage their keys; export and import.
    #[command(subcommand)]
    Registry(registry::RegistryCommand),
    /// Sign a call or message as an enrolled organisation and print the token.
    Sign(sign::SignArgs),
    /// Judge case files (one call or conversation as JSON each) and print the verdicts.
    Check(check::CheckArgs),
    /// Scan messages: TEXT arguments, or one per stdin line (plain text, or JSON {"text": ..., "from": {...}}).
    Scan(scan::ScanArgs),
    /// Judge URLs: URL arguments, or one per line on stdin.
    ScanUrl(scan::ScanUrlArgs),
    /// Measure verdicts against labelled JSON Lines datasets.
    Eval(eval::EvalArgs),
    /// Measure throughput of name checks, message scans and URL scans.
    Bench(bench::BenchArgs),
    /// Train a text classifier (ham, spam, scam) on labelled JSON Lines datasets.
    Train(train::TrainArgs),
    /// Work with policy files.
    #[command(subcommand)]
    Policy(policy_cmd::PolicyCommand),
    /// Campaigns: flagged and reported sessions joined by what a ring reuses.
    #[command(subcommand)]
    Campaigns(campaigns::CampaignsCommand),
    /// Delete what retention no longer keeps: closed sessions and their events, audit
    /// records and reports older than the periods, expired console logins.
    Prune(prune::PruneArgs),
    /// File a victim's report on a stored session, as POST /v1/reports does: it counts only
    /// when the reporter received the call, once per reporter and caller.
    Report(report::ReportArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(a) => serve::run(*a),
        Command::Worker(a) => worker::run(*a),
        Command::Stream(c) => worker::run_stream(c),
        Command::Keys(c) => keys::run(c),
        Command::SigningKey(c) => signing_key::run_command(c),
        Command::Registry(c) => registry::run(c),
        Command::Sign(a) => sign::run(a),
        Command::Check(a) => check::run(a),
        Command::Scan(a) => scan::run_scan(a),
        Command::ScanUrl(a) => scan::run_scan_url(a),
        Command::Eval(a) => eval::run(a),
        Command::Bench(a) => bench::run(a),
        Command::Train(a) => train::run(a),
        Command::Policy(c) => policy_cmd::run(c),
        Command::Campaigns(c) => campaigns::run(c),
        Command::Prune(a) => prune::run(a),
        Command::Report(a) => report::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
