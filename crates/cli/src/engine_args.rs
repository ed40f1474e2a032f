//! Options shared by every command that builds an engine.

use anyhow::{Context, Result};
use clap::Args;
use scamguard_core::lexicon::{BrandDomains, IdentityIndex};
use scamguard_core::model::Model;
use scamguard_core::policy::Policy;
use scamguard_core::Engine;
use std::path::{Path, PathBuf};

/// Where the engine's data comes from; each defaults to the built-in copy.
#[derive(Args, Debug, Clone, Default)]
pub struct EngineArgs {
    /// Policy file (TOML) replacing the built-in policy.
    #[arg(long, value_name = "FILE", env = "SCAMGUARD_POLICY")]
    pub policy: Option<PathBuf>,
    /// Local policy overlay (TOML) merged over the policy: tables key by key, rules and
    /// modifiers by `name`, directives by `directive`; `enabled = false` turns an entry off.
    #[arg(long, value_name = "FILE", env = "SCAMGUARD_POLICY_LOCAL")]
    pub policy_local: Option<PathBuf>,
    /// Protected identities (TOML, the format of crates/core/data/identities.toml).
    #[arg(long, value_name = "FILE", env = "SCAMGUARD_IDENTITIES")]
    pub identities: Option<PathBuf>,
    /// Protected brand domains, one a line. A host under a domain ("launchpad.ethereum.org")
    /// protects its registrable domain ("ethereum.org"), and says so on stderr.
    #[arg(long, value_name = "FILE", env = "SCAMGUARD_BRANDS")]
    pub brands: Option<PathBuf>,
    /// Text classifier (a file written by `scamguard train`) replacing the built-in model.
    #[arg(
        long,
        value_name = "FILE",
        env = "SCAMGUARD_MODEL",
        conflicts_with = "no_model"
    )]
    pub model: Option<PathBuf>,
    /// Run without the text classifier: rules only.
    #[arg(long)]
    pub no_model: bool,
}

impl EngineArgs {
    /// Builds the engine, saying which file is at fault when one is invalid.
    pub fn engine(&self) -> Result<Engine> {
        let mut b = Engine::builder();
        if self.policy.is_some() || self.policy_local.is_some() {
            b = b.policy(load_policy(
                self.policy.as_deref(),
                self.policy_local.as_deref(),
            )?);
        }
        if let Some(p) = &self.identities {
            let text = read(p)?;
            b = b.identities(IdentityIndex::from_toml(&text, &p.display().to_string())?);
        }
        if let Some(p) = &self.brands {
            let text = read(p)?;
            let (brands, notes) = BrandDomains::parse_user(&text, &p.display().to_string())?;
            for note in notes {
                eprintln!("{note}");
            }
            b = b.brands(brands);
        }
        if let Some(p) = &self.model {
            b = b.model(load_model(p)?);
        }
        let engine = b.build()?;
        Ok(if self.no_model {
            engine.without_model()
        } else {
            engine
        })
    }
}

/// Reads and validates a model file.
pub fn load_model(path: &PathBuf) -> Result<Model> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Model::from_bytes(&bytes).with_context(|| format!("{} is not a usable model", path.display()))
}

/// Reads and validates a policy: `base` (the built-in policy when `None`) with the overlay
/// `local` merged over it.
pub fn load_policy(base: Option<&Path>, local: Option<&Path>) -> Result<Policy> {
    let (table, source) = effective_policy(base, local)?;
    Ok(Policy::from_table(table, &source)?)
}

/// The policy document `load_policy` validates, and its name for messages.
pub fn effective_policy(
    base: Option<&Path>,
    local: Option<&Path>,
) -> Result<(toml::Table, String)> {
    let named = |p: &Path| -> Result<(String, String)> { Ok((read(p)?, p.display().to_string())) };
    let base = base.map(named).transpose()?;
    let local = local.map(named).transpose()?;
    Ok(scamguard_core::policy::effective(
        pair(&base),
        pair(&local),
    )?)
}

fn pair(x: &Option<(String, String)>) -> Option<(&str, &str)> {
    x.as_ref().map(|(t, n)| (t.as_str(), n.as_str()))
}

/// Reads a file, or standard input when the path is `-`.
pub fn read_input(path: &Path) -> Result<String> {
    if path.as_os_str() != "-" {
        return read(path);
    }
    let mut s = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
        .context("cannot read standard input")?;
    Ok(s)
}

/// Reads a file, naming it in the error.
pub fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}
