//! The settings the commands that touch the service share: the `--config` file, where the
//! data lives (the data directory or a database URL) and the operator's keys kept there.

use crate::signing_key::{read_private_key, read_public_key};
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use scamguard_core::passport::valid_kid;
use scamguard_server::config::OperatorKey;
use scamguard_store::{SqliteSync, Store, StoreConfig};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Runs `work` on a single-threaded runtime: what a command that reads or writes the store
/// needs, and no more.
pub fn block_on<T>(work: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(work)
}

/// Runs `work` on a multi-threaded runtime: what a node serving requests or consuming a
/// stream needs.
pub fn block_on_threads<T>(work: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(work)
}

/// The secret keying the hashes of callers' handles, for the commands that hash handles as
/// the server does.
#[derive(Args, Debug, Clone, Default)]
pub struct HandleKeyArg {
    /// Secret keying the hashes of caller handles [default: DATA_DIR/handle.key, which
    /// `serve` generates at first start]. Nodes sharing a database must share it.
    #[arg(
        long,
        value_name = "SECRET",
        env = "SCAMGUARD_HANDLE_KEY",
        hide_env_values = true
    )]
    pub handle_key: Option<String>,
}

/// The options of a command that lists what the store holds.
#[derive(Args, Debug)]
pub struct ListArgs {
    /// Print JSON Lines instead of a table.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Where the data lives; shared by `serve` and `keys`.
#[derive(Args, Debug, Clone, Default)]
pub struct StoreArgs {
    /// Config file (TOML); its `data_dir` and `database_url` apply here too.
    #[arg(long, value_name = "FILE", env = "SCAMGUARD_CONFIG")]
    pub config: Option<PathBuf>,
    /// Directory for the SQLite database (scamguard.db) and the handle key [default: ./data].
    #[arg(long, value_name = "DIR", env = "SCAMGUARD_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// PostgreSQL URL (postgres://user:password@host/db) instead of the SQLite file.
    #[arg(
        long,
        value_name = "URL",
        env = "SCAMGUARD_DATABASE_URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// Most pooled database connections [default: 8].
    #[arg(long, value_name = "N", env = "SCAMGUARD_DB_MAX_CONNECTIONS")]
    pub db_max_connections: Option<u32>,
    /// When SQLite waits for the disk: `normal` survives a power cut (losing at most the last
    /// commits); `off` is faster but a power cut or OS crash can corrupt the database. Both
    /// survive a crash of the server [default: normal].
    #[arg(long, value_enum, value_name = "MODE", env = "SCAMGUARD_SQLITE_SYNC")]
    pub sqlite_sync: Option<SyncMode>,
}

/// `--sqlite-sync` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SyncMode {
    /// Checkpoints wait for the disk.
    Normal,
    /// Nothing waits for the disk.
    Off,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per line.
    Json,
}

/// The `--config` file: every option of `serve`, by its flag name with `_`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub db_max_connections: Option<u32>,
    pub sqlite_sync: Option<SyncMode>,
    pub journal: Option<bool>,
    pub handle_key: Option<String>,
    pub retain_text: Option<bool>,
    pub session_idle_secs: Option<u64>,
    pub sweep_interval_secs: Option<u64>,
    pub body_limit: Option<usize>,
    pub request_timeout_ms: Option<u64>,
    pub header_read_timeout_secs: Option<u64>,
    pub body_read_timeout_ms: Option<u64>,
    pub rate_limit: Option<u32>,
    pub rate_burst: Option<u32>,
    pub writer_batch: Option<usize>,
    pub writer_queue: Option<usize>,
    pub key_cache_secs: Option<u64>,
    pub max_sessions_in_memory: Option<usize>,
    pub session_max_events: Option<u64>,
    pub console: Option<bool>,
    pub console_login: Option<bool>,
    pub public_url: Option<String>,
    pub sessions_retention: Option<String>,
    pub audit_retention: Option<String>,
    pub reports_retention: Option<String>,
    pub operator_key: Option<PathBuf>,
    pub operator_kid: Option<String>,
    pub registry_trust: Option<Vec<PathBuf>>,
    pub registry_refresh_secs: Option<u64>,
    pub assertion_keys: Option<PathBuf>,
    pub assertion_issuer: Option<String>,
    pub assertion_ttl_secs: Option<u64>,
    pub risk_grace_secs: Option<u64>,
    pub webhook_url: Option<String>,
    pub webhook_secret_file: Option<PathBuf>,
    pub webhook_secret: Option<String>,
    pub webhook_max_age_hours: Option<u64>,
    pub campaigns: Option<bool>,
    pub log: Option<String>,
    pub log_format: Option<LogFormat>,
    pub policy: Option<PathBuf>,
    pub policy_local: Option<PathBuf>,
    pub identities: Option<PathBuf>,
    pub brands: Option<PathBuf>,
}

impl FileConfig {
    /// Reads `path`, or nothing when no file is given.
    pub fn load(path: Option<&Path>) -> Result<FileConfig> {
        let Some(path) = path else {
            return Ok(FileConfig::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        let mut c: FileConfig = toml::from_str(&text)
            .with_context(|| format!("config file {} is invalid", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        for p in [
            &mut c.data_dir,
            &mut c.policy,
            &mut c.policy_local,
            &mut c.identities,
            &mut c.brands,
            &mut c.operator_key,
            &mut c.assertion_keys,
            &mut c.webhook_secret_file,
        ]
        .into_iter()
        .flatten()
        .chain(c.registry_trust.iter_mut().flatten())
        {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
        Ok(c)
    }
}

impl StoreArgs {
    /// The store configuration after flags, environment, file and defaults.
    pub fn resolve(&self, file: &FileConfig) -> StoreConfig {
        let data_dir = self
            .data_dir
            .clone()
            .or_else(|| file.data_dir.clone())
            .unwrap_or_else(|| PathBuf::from("./data"));
        let mut config = StoreConfig::sqlite(&data_dir);
        config.database_url = self
            .database_url
            .clone()
            .or_else(|| file.database_url.clone());
        if let Some(n) = self.db_max_connections.or(file.db_max_connections) {
            config.max_connections = n;
        }
        config.sqlite_sync = match self.sqlite_sync.or(file.sqlite_sync) {
            Some(SyncMode::Off) => SqliteSync::Off,
            Some(SyncMode::Normal) | None => SqliteSync::Normal,
        };
        config
    }
}

/// Opens the store the arguments (and their config file) name.
pub async fn open(args: &StoreArgs) -> Result<std::sync::Arc<dyn scamguard_store::Store>> {
    let file = FileConfig::load(args.config.as_deref())?;
    let config = args.resolve(&file);
    scamguard_store::open(&config)
        .await
        .with_context(|| format!("cannot open the store in {}", config.data_dir.display()))
}

/// Where `serve` looks for the operator's signing key when none is given.
pub const OPERATOR_KEY_FILE: &str = "operator/private.pem";
/// Where `serve` looks for trusted operators' public keys.
pub const TRUST_DIR: &str = "trust";

/// The operator's signing key for `serve`: `path` if given (it must be usable), else
/// `DATA_DIR/operator/private.pem` if it exists, else none.
pub fn operator_key(
    path: Option<PathBuf>,
    kid: Option<String>,
    data_dir: &Path,
) -> Result<Option<OperatorKey>> {
    let kid = kid.unwrap_or_else(|| "operator".to_string());
    if !valid_kid(&kid) {
        bail!("operator_kid {kid:?}: use 1 to 128 letters, digits or '_', '-', '.', ':'");
    }
    let path = match path {
        Some(p) => p,
        None => {
            let p = data_dir.join(OPERATOR_KEY_FILE);
            if !p.exists() {
                return Ok(None);
            }
            p
        }
    };
    Ok(Some(OperatorKey {
        kid,
        private_pem: read_private_key(&path).context("operator_key")?,
    }))
}

/// The operators `serve` trusts for imports: `paths`, then every `DATA_DIR/trust/*.pem`.
pub fn trusted_keys(paths: Vec<PathBuf>, data_dir: &Path) -> Result<Vec<String>> {
    let mut all = paths;
    let dir = data_dir.join(TRUST_DIR);
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "pem"))
            .collect();
        found.sort();
        all.extend(found);
    }
    all.iter()
        .map(|p| read_public_key(p).context("registry_trust"))
        .collect()
}

/// The registry in `data_dir` for `check --data-dir`, which must hold a database.
pub fn load_for_check(data_dir: &Path) -> Result<scamguard_core::passport::Registry> {
    if !data_dir.join(scamguard_store::DB_FILE).exists() {
        bail!(
            "{} holds no {}: enrol organisations with `scamguard registry add --data-dir {}`",
            data_dir.display(),
            scamguard_store::DB_FILE,
            data_dir.display()
        );
    }
    block_on(async {
        let store: Arc<dyn Store> =
            scamguard_store::open(&scamguard_store::StoreConfig::sqlite(data_dir))
                .await
                .with_context(|| format!("cannot open the store in {}", data_dir.display()))?;
        let orgs = store.registry_list().await;
        store.close().await;
        let orgs = orgs?.into_iter().map(|r| r.organisation).collect();
        Ok(scamguard_core::passport::Registry::new(orgs)?)
    })
}
