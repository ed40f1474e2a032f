//! `scamguard check CASE.json…`: judge whole case files.
//!
//! With `--data-dir`, signed call assertions (`from.identity_token`) are verified against the
//! organisation registry in that directory; without it there is no registry and every token
//! is refused as `unknown_key`. Several cases are judged in order by one engine, so a token
//! used in one case is refused as `replayed` in a later one, as the service would.

use crate::engine_args::EngineArgs;
use crate::output;
use anyhow::{Context, Result};
use clap::Args;
use scamguard_core::{Case, CaseReport, Engine};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Case files, or `-` for standard input. One case prints its verdict as JSON; several
    /// print one JSON line each, `{"case": FILE, "verdict": …}`.
    #[arg(value_name = "CASE", required = true)]
    pub cases: Vec<PathBuf>,
    /// Print the verdict after every event (JSON Lines), not only the last one.
    #[arg(long)]
    pub trace: bool,
    /// Print for a person instead of JSON.
    #[arg(long)]
    pub explain: bool,
    /// Verify signed call assertions against the organisation registry in this data
    /// directory (as `registry add --data-dir` made it).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(flatten)]
    pub engine: EngineArgs,
}

pub fn run(args: CheckArgs) -> Result<ExitCode> {
    let cases = args
        .cases
        .iter()
        .map(|p| read_case(p).map(|c| (p, c)))
        .collect::<Result<Vec<_>>>()?;
    let mut engine = args.engine.engine()?;
    if let Some(dir) = &args.data_dir {
        let registry = crate::settings::load_for_check(dir)?;
        engine = engine
            .with_registry(registry)
            .with_context(|| format!("the registry in {} is invalid", dir.display()))?;
    }
    for (path, case) in &cases {
        engine
            .validate_opening(&case.opening())
            .with_context(|| format!("{} is not a valid case", path.display()))?;
    }
    let many = cases.len() > 1;
    let mut out = std::io::stdout().lock();
    for (path, case) in &cases {
        let report = judge(&engine, case);
        let name = path.display().to_string();
        if args.explain && many {
            writeln!(out, "=== {name}")?;
        }
        if args.trace {
            for (i, (event, v)) in case.events.iter().zip(&report.trace).enumerate() {
                if args.explain {
                    writeln!(out, "--- event {} ({})", i + 1, event.kind.type_name())?;
                    write!(out, "{}", output::human(v))?;
                } else {
                    let mut line = serde_json::json!({"event": i, "type": event.kind.type_name(), "verdict": v});
                    if many {
                        line["case"] = name.clone().into();
                    }
                    writeln!(out, "{}", serde_json::to_string(&line)?)?;
                }
            }
            if !report.trace.is_empty() {
                continue;
            }
        }
        if args.explain {
            write!(out, "{}", output::human(&report.verdict))?;
        } else if many {
            let line = serde_json::json!({"case": name, "verdict": report.verdict});
            writeln!(out, "{}", serde_json::to_string(&line)?)?;
        } else {
            writeln!(out, "{}", serde_json::to_string_pretty(&report.verdict)?)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn read_case(path: &std::path::Path) -> Result<Case> {
    let text = crate::engine_args::read_input(path)?;
    Case::from_json(&text).with_context(|| format!("{} is not a valid case", path.display()))
}

fn judge(engine: &Engine, case: &Case) -> CaseReport {
    engine.check_case_at(case, scamguard_server::unix_now())
}
