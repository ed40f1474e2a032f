//! `scamguard keys create|list|revoke`: API keys in the service's store. Signing key pairs
//! are `scamguard signing-key` ([`crate::signing_key`]); `keys generate` is kept, hidden, as
//! the old spelling of `signing-key generate`.
//!
//! `create` prints the key alone on stdout (so `KEY=$(scamguard keys create …)` works) and
//! everything else on stderr. The key is shown only then: the store keeps its SHA-256.
//! A running server notices a revocation within its key cache time (5 s by default).

use crate::settings::{open, ListArgs, StoreArgs};
use anyhow::{bail, Result};
use clap::{Args, Subcommand, ValueEnum};
use scamguard_server::auth::generate_key;
use scamguard_store::utc;
use scamguard_store::{now_ms, Scope};
use std::io::Write;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// Create a key and print it (only it) on stdout.
    Create(CreateArgs),
    /// List keys (never the keys themselves).
    List(ListArgs),
    /// Revoke a key by its id.
    Revoke(RevokeArgs),
    /// The old spelling of `scamguard signing-key generate`.
    #[command(hide = true)]
    Generate(crate::signing_key::GenerateArgs),
}

/// What a key may do.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ScopeArg {
    /// Platform endpoints: sessions, events, scans.
    Scan,
    /// A bank: the risk lookup and nothing else.
    Bank,
    /// Everything, including policy and audit.
    Admin,
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// The key's scope.
    #[arg(long, value_enum)]
    pub scope: ScopeArg,
    /// A note saying who or what the key is for.
    #[arg(long, value_name = "TEXT")]
    pub label: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args, Debug)]
pub struct RevokeArgs {
    /// The key's id, as `keys list` shows it.
    #[arg(value_name = "ID")]
    pub id: String,
    #[command(flatten)]
    pub store: StoreArgs,
}

pub fn run(cmd: KeysCommand) -> Result<ExitCode> {
    if let KeysCommand::Generate(a) = cmd {
        // No store, no runtime: just two files.
        return crate::signing_key::run(a);
    }
    crate::settings::block_on(async move {
        match cmd {
            KeysCommand::Create(a) => create(a).await,
            KeysCommand::List(a) => list(a).await,
            KeysCommand::Revoke(a) => revoke(a).await,
            KeysCommand::Generate(a) => crate::signing_key::run(a),
        }
    })
}

async fn create(args: CreateArgs) -> Result<ExitCode> {
    let store = open(&args.store).await?;
    let scope = match args.scope {
        ScopeArg::Scan => Scope::Scan,
        ScopeArg::Bank => Scope::Bank,
        ScopeArg::Admin => Scope::Admin,
    };
    let new = generate_key(vec![scope], args.label, now_ms());
    store.insert_key(&new.record).await?;
    store.close().await;
    eprintln!(
        "created key {} (scope {}); it is shown only now",
        new.record.id,
        scope.as_str()
    );
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", new.key)?;
    Ok(ExitCode::SUCCESS)
}

async fn list(args: ListArgs) -> Result<ExitCode> {
    let store = open(&args.store).await?;
    let keys = store.keys().await?;
    store.close().await;
    let mut out = std::io::stdout().lock();
    if args.json {
        for k in &keys {
            let line = serde_json::json!({
                "id": k.id, "prefix": k.prefix,
                "scopes": k.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                "label": k.label, "created": k.created, "revoked": k.revoked,
            });
            writeln!(out, "{line}")?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{:<10} {:<12} {:<7} {:<20} {:<20} LABEL",
        "ID", "PREFIX", "SCOPES", "CREATED (UTC)", "REVOKED (UTC)"
    )?;
    for k in &keys {
        let scopes: Vec<&str> = k.scopes.iter().map(|s| s.as_str()).collect();
        writeln!(
            out,
            "{:<10} {:<12} {:<7} {:<20} {:<20} {}",
            k.id,
            k.prefix,
            scopes.join(","),
            utc(k.created),
            k.revoked.map(utc).unwrap_or_else(|| "-".into()),
            k.label.as_deref().unwrap_or("")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn revoke(args: RevokeArgs) -> Result<ExitCode> {
    let store = open(&args.store).await?;
    let done = store.revoke_key(&args.id, now_ms()).await?;
    store.close().await;
    if !done {
        bail!("no active key with id {:?}", args.id);
    }
    println!("revoked {}", args.id);
    Ok(ExitCode::SUCCESS)
}
