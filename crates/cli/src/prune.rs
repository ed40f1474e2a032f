//! `scamguard prune`: deletes what retention no longer keeps, for operators who clean up by
//! hand or from cron (the server does the same in small batches as it runs).

use crate::settings::{FileConfig, StoreArgs};
use anyhow::{Context, Result};
use clap::Args;
use scamguard_store::{now_ms, parse_period, utc, Prune, Retention};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct PruneArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Delete closed sessions (with their events), audit records and reports older than
    /// this: 90d, 12h, 0s [default: the retention periods of --config, else 90d for sessions
    /// and 365d for audit records and reports]. Open sessions are never deleted; expired
    /// console logins always are.
    #[arg(long, value_name = "DURATION")]
    pub older_than: Option<String>,
}

/// The periods to prune by: `--older-than` for everything, else the config file's, else
/// the defaults `serve` uses.
fn retention(args: &PruneArgs, file: &FileConfig) -> Result<Retention> {
    if let Some(text) = &args.older_than {
        let period = scamguard_store::parse_duration(text)
            .map_err(|e| anyhow::anyhow!("--older-than: {e}"))?;
        return Ok(Retention::all(period));
    }
    let d = Retention::default();
    let period = |name: &str, text: &Option<String>, default| -> Result<_> {
        match text {
            Some(t) => parse_period(t).map_err(|e| anyhow::anyhow!("{name}: {e}")),
            None => Ok(default),
        }
    };
    Ok(Retention {
        sessions: period("sessions_retention", &file.sessions_retention, d.sessions)?,
        audit: period("audit_retention", &file.audit_retention, d.audit)?,
        reports: period("reports_retention", &file.reports_retention, d.reports)?,
    })
}

pub fn run(args: PruneArgs) -> Result<ExitCode> {
    let file = FileConfig::load(args.store.config.as_deref())?;
    let retention = retention(&args, &file)?;
    crate::settings::block_on(async {
        let store = crate::settings::open(&args.store).await?;
        let now = now_ms();
        // Sessions past their expiry are closed first (what the server's sweep does), so
        // that a stopped server's sessions can go too.
        let closed = store.close_expired(now).await;
        let pruned = match closed {
            Ok(_) => scamguard_store::prune(&*store, &retention, now, None).await,
            Err(e) => Err(e),
        };
        store.close().await;
        let pruned = pruned.context("cannot prune the store")?;
        let before = |what: Prune| match retention.cutoff(what, now) {
            Some(t) => format!("ended before {}", utc(t)),
            None => "kept for ever".to_string(),
        };
        println!(
            "sessions        {:>8}  with {} events ({})",
            pruned.sessions,
            pruned.events,
            before(Prune::Sessions)
        );
        println!(
            "audit records   {:>8}  ({})",
            pruned.audit,
            before(Prune::Audit)
        );
        println!(
            "reports         {:>8}  ({})",
            pruned.reports,
            before(Prune::Reports)
        );
        println!("console logins  {:>8}  (expired)", pruned.console_logins);
        println!("removed {} records in all", pruned.total());
        Ok(ExitCode::SUCCESS)
    })
}
