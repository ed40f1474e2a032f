//! `scamguard policy`: validate and show policies.

use crate::engine_args::load_policy;
use anyhow::Result;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Validate a policy file and report every problem.
    Check {
        /// The policy file.
        file: PathBuf,
    },
    /// Print the built-in policy.
    Show,
}

pub fn run(cmd: PolicyCommand) -> Result<ExitCode> {
    match cmd {
        PolicyCommand::Check { file } => {
            let p = load_policy(&file)?;
            println!(
                "{}: valid ({} priced signals, {} rules, {} directive conditions; warn at {}, block at {})",
                file.display(),
                p.signals.len(),
                p.rules.len(),
                p.directives.len(),
                p.warn,
                p.block
            );
        }
        PolicyCommand::Show => print!("{}", scamguard_core::policy::DEFAULT_POLICY),
    }
    Ok(ExitCode::SUCCESS)
}
