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
use scamguard_core::event::InputError;
use scamguard_core::{Case, CaseReport, Engine};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Case files, or `-` for standard input. One case prints its verdict as JSON; several
    /// print one JSON line each, `{"case": FILE, "verdict": …}`. Every file is judged: one
    /// that is not a valid case is named on stderr with the field at fault, and the command
    /// exits with status 2 after the others.
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

/// What a case file holds, for whoever gave something else.
const CASE_SHAPE: &str = concat!(
    "a case is one JSON object: ",
    r#"{"channel": "video_call", "from": {"handle": "+86 …"}, "events": [{"type": "call_offer"}, …]}"#,
    r#" (see "Case format" in the README)"#
);

pub fn run(args: CheckArgs) -> Result<ExitCode> {
    let mut engine = args.engine.engine()?;
    if let Some(dir) = &args.data_dir {
        let registry = crate::settings::load_for_check(dir)?;
        engine = engine
            .with_registry(registry)
            .with_context(|| format!("the registry in {} is invalid", dir.display()))?;
    }
    // Every file is judged; a bad one is reported by name and the others still print.
    let mut bad = 0usize;
    let mut cases = Vec::with_capacity(args.cases.len());
    for path in &args.cases {
        match read_case(&engine, path) {
            Ok(case) => cases.push((path, case)),
            Err(why) => {
                bad += 1;
                eprintln!("{}: {why}", name_of(path));
            }
        }
    }
    let many = args.cases.len() > 1;
    let mut out = std::io::stdout().lock();
    for (path, case) in &cases {
        let report = judge(&engine, case);
        let name = name_of(path);
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
    if bad > 0 {
        eprintln!(
            "{bad} of {} case file(s) could not be judged",
            args.cases.len()
        );
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

/// A case file as messages name it.
fn name_of(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        path.display().to_string()
    }
}

/// Reads and checks one case; why it cannot be judged otherwise, without the file's name.
fn read_case(engine: &Engine, path: &Path) -> Result<Case, String> {
    let text = crate::engine_args::read_input(path).map_err(|e| format!("{e:#}"))?;
    if text.trim().is_empty() {
        return Err(format!("the file is empty; {CASE_SHAPE}"));
    }
    let not_a_case = |e: InputError| match output::field(&e) {
        None if !e.message.starts_with("invalid JSON") => {
            format!("not a case ({}); {CASE_SHAPE}", e.message)
        }
        _ => output::input_error(&e),
    };
    let case = Case::from_json(&text).map_err(not_a_case)?;
    engine
        .validate_opening(&case.opening())
        .map_err(not_a_case)?;
    Ok(case)
}

fn judge(engine: &Engine, case: &Case) -> CaseReport {
    engine.check_case_at(case, scamguard_server::unix_now())
}
