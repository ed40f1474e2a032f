//! `scamguard report`: files a victim's report on a stored session, as `POST /v1/reports`
//! does, for operators who take reports by another channel (a hotline, a form).

use crate::settings::{FileConfig, HandleKeyArg, StoreArgs};
use anyhow::{bail, Context, Result};
use clap::Args;
use scamguard_store::intel::{campaign_wire_id, NewReport, REPORT_CATEGORIES};
use scamguard_store::{now_ms, HandleHasher, HANDLE_KEY_FILE};
use std::process::ExitCode;

/// Options of `report`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// The session reported (`ses_…`).
    #[arg(long, value_name = "ID")]
    pub session: String,
    /// The reporting user's handle: the report counts only when it is the session's
    /// recipient (`to.handle`), once per reporter and caller.
    #[arg(long, value_name = "HANDLE")]
    pub reporter: String,
    /// fraud, impersonation, spam or other.
    #[arg(long, default_value = "fraud")]
    pub category: String,
    /// The user's note.
    #[arg(long)]
    pub note: Option<String>,
    /// The reported message's text, when the user chose to send it as evidence.
    #[arg(long)]
    pub text: Option<String>,
    #[command(flatten)]
    pub handle: HandleKeyArg,
    /// Do not join the session to its campaign (a server run with `--campaigns=false`).
    #[arg(long)]
    pub no_campaigns: bool,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub engine: crate::engine_args::EngineArgs,
}

/// The handle key the server uses: the flag, the config file's, or the data directory's
/// file, which must exist (a new key would hash the reporter differently).
fn hasher(args: &ReportArgs, file: &FileConfig) -> Result<HandleHasher> {
    if let Some(secret) = args.handle.handle_key.as_ref().or(file.handle_key.as_ref()) {
        return Ok(HandleHasher::from_secret(secret)?);
    }
    let dir = args.store.resolve(file).data_dir;
    if !dir.join(HANDLE_KEY_FILE).exists() {
        bail!(
            "no handle key: {} does not exist; give --handle-key (the server's)",
            dir.join(HANDLE_KEY_FILE).display()
        );
    }
    Ok(HandleHasher::load_or_create(&dir)?)
}

pub fn run(args: ReportArgs) -> Result<ExitCode> {
    if !REPORT_CATEGORIES.contains(&args.category.as_str()) {
        bail!(
            "--category {:?}: one of {}",
            args.category,
            REPORT_CATEGORIES.join(", ")
        );
    }
    if args.reporter.trim().is_empty() {
        bail!("--reporter: must not be empty");
    }
    let file = FileConfig::load(args.store.config.as_deref())?;
    let hasher = hasher(&args, &file)?;
    let engine = args.engine.engine()?;
    crate::settings::block_on(async {
        let store = crate::settings::open(&args.store).await?;
        let result = async {
            let rec = store
                .session(&args.session)
                .await?
                .with_context(|| format!("no session {:?} in the store", args.session))?;
            let new = NewReport {
                reporter_hash: hasher.hash(&args.reporter),
                category: args.category.clone(),
                note: args.note.clone().filter(|n| !n.trim().is_empty()),
                text: args.text.clone().filter(|t| !t.trim().is_empty()),
                key_id: "cli".into(),
                at: now_ms(),
            };
            let (report, campaign) =
                scamguard_server::intel::file(&*store, &engine, &rec, new, !args.no_campaigns)
                    .await?;
            anyhow::Ok(serde_json::json!({
                "report_id": report.id,
                "counted": report.counted,
                "reason": report.reason,
                "campaign_id": campaign.map(campaign_wire_id),
            }))
        }
        .await;
        store.close().await;
        println!("{}", serde_json::to_string_pretty(&result?)?);
        Ok(ExitCode::SUCCESS)
    })
}
