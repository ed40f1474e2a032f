//! `scamguard check CASE.json`: judge a whole case file.

use crate::engine_args::EngineArgs;
use crate::output;
use anyhow::{Context, Result};
use clap::Args;
use scamguard_core::Case;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The case file, or `-` for standard input.
    #[arg(value_name = "CASE")]
    pub case: PathBuf,
    /// Print the verdict after every event (JSON Lines), not only the last one.
    #[arg(long)]
    pub trace: bool,
    /// Print for a person instead of JSON.
    #[arg(long)]
    pub explain: bool,
    #[command(flatten)]
    pub engine: EngineArgs,
}

pub fn run(args: CheckArgs) -> Result<ExitCode> {
    let text = if args.case.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read standard input")?;
        s
    } else {
        std::fs::read_to_string(&args.case)
            .with_context(|| format!("cannot read {}", args.case.display()))?
    };
    let case = Case::from_json(&text)
        .with_context(|| format!("{} is not a valid case", args.case.display()))?;
    let engine = args.engine.engine()?;
    let report = engine.check_case_at(&case, scamguard_server::unix_now());
    let mut out = std::io::stdout().lock();
    if args.trace {
        for (i, (event, v)) in case.events.iter().zip(&report.trace).enumerate() {
            if args.explain {
                writeln!(out, "--- event {} ({})", i + 1, event.kind.type_name())?;
                write!(out, "{}", output::human(v))?;
            } else {
                let line =
                    serde_json::json!({"event": i, "type": event.kind.type_name(), "verdict": v});
                writeln!(out, "{}", serde_json::to_string(&line)?)?;
            }
        }
        if report.trace.is_empty() {
            print_one(&mut out, &report.verdict, args.explain)?;
        }
    } else {
        print_one(&mut out, &report.verdict, args.explain)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_one(out: &mut impl Write, v: &scamguard_core::Verdict, explain: bool) -> Result<()> {
    if explain {
        write!(out, "{}", output::human(v))?;
    } else {
        writeln!(out, "{}", serde_json::to_string_pretty(v)?)?;
    }
    Ok(())
}
