//! `scamguard policy`: validate and show policies.

use crate::engine_args::{effective_policy, load_policy};
use anyhow::Result;
use clap::{Args, Subcommand};
use scamguard_core::policy::Policy;
use scamguard_core::DirectiveCode;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Validate a policy file, or the built-in policy with a local overlay, and report every
    /// problem.
    Check {
        /// The policy file (default: the built-in policy).
        file: Option<PathBuf>,
        /// A local overlay to merge over it.
        #[arg(long, value_name = "FILE")]
        policy_local: Option<PathBuf>,
    },
    /// Print the built-in policy, or with `--effective` the policy in force.
    Show {
        /// Print the policy in force: `--policy` (or the built-in one) with `--policy-local`
        /// merged over it, as one document.
        #[arg(long)]
        effective: bool,
        #[command(flatten)]
        layers: Layers,
    },
    /// Print every signal and directive code as a Markdown table, with the policy's weights.
    Codes {
        #[command(flatten)]
        layers: Layers,
    },
}

/// The files a policy is made of; the built-in policy alone when neither is given.
#[derive(Args, Debug, Default)]
pub struct Layers {
    /// Policy file replacing the built-in policy.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Local overlay merged over the policy.
    #[arg(long, value_name = "FILE")]
    policy_local: Option<PathBuf>,
}

impl Layers {
    fn given(&self) -> bool {
        self.policy.is_some() || self.policy_local.is_some()
    }

    fn load(&self) -> Result<Policy> {
        load_policy(self.policy.as_deref(), self.policy_local.as_deref())
    }
}

pub fn run(cmd: PolicyCommand) -> Result<ExitCode> {
    match cmd {
        PolicyCommand::Check { file, policy_local } => {
            let (table, source) = effective_policy(file.as_deref(), policy_local.as_deref())?;
            let p = Policy::from_table(table, &source)?;
            println!(
                "{source}: valid ({} priced signals, {} rules, {} directive conditions; warn at {}, block at {})",
                p.signals.len(),
                p.rules.len(),
                p.directives.len(),
                p.warn,
                p.block
            );
        }
        PolicyCommand::Show { effective, layers } => {
            if !effective {
                anyhow::ensure!(
                    !layers.given(),
                    "--policy and --policy-local are shown merged with --effective"
                );
                print!("{}", scamguard_core::policy::DEFAULT_POLICY);
            } else {
                let (table, source) =
                    effective_policy(layers.policy.as_deref(), layers.policy_local.as_deref())?;
                // Validate before printing: the document shown is one the engine accepts.
                Policy::from_table(table.clone(), &source)?;
                println!("# The policy in force: {source}.");
                print!("{}", toml::to_string(&table)?);
            }
        }
        PolicyCommand::Codes { layers } => {
            let p = if layers.given() {
                layers.load()?
            } else {
                Policy::builtin()
            };
            print!("{}", codes_table(&p));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Every signal code with its family, weight and meaning, then every directive.
pub fn codes_table(p: &scamguard_core::policy::Policy) -> String {
    use scamguard_core::explain::{Catalog, Table};
    use scamguard_core::signal::codes;
    let catalog = Catalog::builtin();
    let mut out = String::from("| signal | family | weight | meaning |\n|---|---|---:|---|\n");
    for (code, family) in codes::ALL {
        let price = p.signals.get(*code);
        let weight = price.map_or(0.0, |x| x.weight);
        let meaning = price
            .map(|x| x.description.clone())
            .filter(|d| !d.is_empty())
            .or_else(|| catalog.describe(scamguard_core::Locale::En, Table::Signals, code))
            .unwrap_or_default();
        out.push_str(&format!(
            "| `{code}` | {family} | {weight:+.1} | {meaning} |\n"
        ));
    }
    out.push_str("\n| directive | what the platform does |\n|---|---|\n");
    for code in DirectiveCode::ALL {
        out.push_str(&format!(
            "| `{code}` | {} |\n",
            what_the_platform_does(*code)
        ));
    }
    out
}

/// The directive table's sentence; the match is exhaustive, so a new directive needs one.
fn what_the_platform_does(code: DirectiveCode) -> &'static str {
    match code {
        DirectiveCode::LabelCaller => "shows `label` (\"Unverified: calls itself …\" or \"Verified: …\") instead of the typed name",
        DirectiveCode::DenyScreenShare => "refuses or stops screen sharing and remote control",
        DirectiveCode::HideOtp => "hides one-time passcodes from the screen and notifications",
        DirectiveCode::BlockInstall => "stops the app installation",
        DirectiveCode::HoldPayment => "holds outgoing payments for `minutes`",
        DirectiveCode::OfferOfficialCallback => "offers to call the claimed body back on its official `number` or `domain`, never the caller's",
        DirectiveCode::DisableLinks => "makes links in the conversation untappable",
    }
}

#[cfg(test)]
mod tests {

    /// The README's code tables must list every code the engine emits, each row as
    /// `scamguard policy codes` prints it for the built-in policy (weights and meanings drift
    /// otherwise).
    #[test]
    fn readme_lists_every_code() {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
                .unwrap();
        let policy = scamguard_core::policy::Policy::builtin();
        for row in super::codes_table(&policy)
            .lines()
            .filter(|l| l.starts_with("| `"))
        {
            assert!(
                readme.lines().any(|l| l == row),
                "README.md's row differs from `scamguard policy codes`: {row}"
            );
        }
        for (code, _) in scamguard_core::signal::codes::ALL {
            assert!(
                readme.contains(&format!("`{code}`")),
                "README.md does not list signal {code}: run `scamguard policy codes`"
            );
        }
        for code in scamguard_core::Directive::CODES {
            assert!(
                readme.contains(&format!("`{code}`")),
                "README.md does not list directive {code}"
            );
        }
    }
}
