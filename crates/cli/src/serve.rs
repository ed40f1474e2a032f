//! `scamguard serve`: the HTTP service.
//!
//! Every option can come from a flag, a `SCAMGUARD_*` environment variable or the `--config`
//! TOML file (keys are the flag names with `_` for `-`); a flag beats the environment, which
//! beats the file, which beats the default. Relative paths in the file are taken from the
//! file's directory.

use crate::engine_args::EngineArgs;
use crate::settings::{FileConfig, HandleKeyArg, LogFormat, StoreArgs};
use anyhow::{bail, Context, Result};
use clap::Args;
use scamguard_server::config::PublicUrl;
use scamguard_server::webhook::{WebhookConfig, WebhookSecret};
use scamguard_server::{AppState, RateLimit, ServerConfig};
use scamguard_store::{HandleHasher, Scope, StoreConfig};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Address to listen on [default: 127.0.0.1:8080]; port 0 picks a free port.
    #[arg(long, value_name = "ADDR", env = "SCAMGUARD_LISTEN")]
    pub listen: Option<SocketAddr>,
    #[command(flatten)]
    pub handle: HandleKeyArg,
    /// Store speech, message and OTP text with events [default: false: analysed, then dropped].
    #[arg(long, env = "SCAMGUARD_RETAIN_TEXT", num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub retain_text: Option<bool>,
    /// Seconds without an event after which a session expires [default: 1800].
    #[arg(long, value_name = "SECS", env = "SCAMGUARD_SESSION_IDLE_SECS")]
    pub session_idle_secs: Option<u64>,
    /// Seconds between sweeps of expired sessions [default: 30].
    #[arg(long, value_name = "SECS", env = "SCAMGUARD_SWEEP_INTERVAL_SECS")]
    pub sweep_interval_secs: Option<u64>,
    /// Largest request body in bytes [default: 1048576].
    #[arg(long, value_name = "BYTES", env = "SCAMGUARD_BODY_LIMIT")]
    pub body_limit: Option<usize>,
    /// Milliseconds before a request is answered with 503 timeout [default: 10000].
    #[arg(long, value_name = "MS", env = "SCAMGUARD_REQUEST_TIMEOUT_MS")]
    pub request_timeout_ms: Option<u64>,
    /// Seconds a client may take to send a request's headers, and an idle connection stays
    /// open [default: 10].
    #[arg(long, value_name = "SECS", env = "SCAMGUARD_HEADER_READ_TIMEOUT_SECS")]
    pub header_read_timeout_secs: Option<u64>,
    /// Milliseconds a request body may pause before the request gets 400 incomplete_body
    /// [default: 5000].
    #[arg(long, value_name = "MS", env = "SCAMGUARD_BODY_READ_TIMEOUT_MS")]
    pub body_read_timeout_ms: Option<u64>,
    /// Requests per second per API key; 0 turns limits off [default: 1000].
    #[arg(long, value_name = "N", env = "SCAMGUARD_RATE_LIMIT")]
    pub rate_limit: Option<u32>,
    /// Requests per key allowed at once above the rate [default: twice the rate].
    #[arg(long, value_name = "N", env = "SCAMGUARD_RATE_BURST")]
    pub rate_burst: Option<u32>,
    /// On SQLite, acknowledge writes once appended to the journal in DATA_DIR/journal/ and
    /// apply them to the database in the background (faster, no checkpoint stalls, equally
    /// safe against a crash of the server); false commits each batch to SQLite before
    /// answering [default: true].
    #[arg(long, env = "SCAMGUARD_JOURNAL", num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub journal: Option<bool>,
    /// Most writes committed in one transaction, when commits go to the database directly
    /// (`--journal=false`, or PostgreSQL) [default: 1024].
    #[arg(long, value_name = "N", env = "SCAMGUARD_WRITER_BATCH")]
    pub writer_batch: Option<usize>,
    /// Writes that may wait for the writer before requests get 503, likewise [default: 65536].
    #[arg(long, value_name = "N", env = "SCAMGUARD_WRITER_QUEUE")]
    pub writer_queue: Option<usize>,
    /// Most sessions held in memory; older ones are reloaded from the store when needed
    /// [default: 100000].
    #[arg(long, value_name = "N", env = "SCAMGUARD_MAX_SESSIONS_IN_MEMORY")]
    pub max_sessions_in_memory: Option<usize>,
    /// Most events one session takes; past it events get 409 session_event_limit
    /// [default: 10000].
    #[arg(long, value_name = "N", env = "SCAMGUARD_SESSION_MAX_EVENTS")]
    pub session_max_events: Option<u64>,
    /// Seconds an API key lookup is cached; a revoked key works at most this long [default: 5].
    #[arg(long, value_name = "SECS", env = "SCAMGUARD_KEY_CACHE_SECS")]
    pub key_cache_secs: Option<u64>,
    /// Serve the console (live sessions, timelines, call simulator) at / [default: true].
    #[arg(long, env = "SCAMGUARD_CONSOLE", num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub console: Option<bool>,
    /// Require a login with an admin API key before any console page [default: false].
    #[arg(long, env = "SCAMGUARD_CONSOLE_LOGIN", num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub console_login: Option<bool>,
    /// The URL people reach the service at, behind a proxy (https://console.example.org):
    /// the console accepts its host, and https makes the login cookie Secure.
    #[arg(long, value_name = "URL", env = "SCAMGUARD_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// How long closed sessions and their events are kept, from their expiry: a duration
    /// (90d, 12h) or forever [default: 90d].
    #[arg(long, value_name = "PERIOD", env = "SCAMGUARD_SESSIONS_RETENTION")]
    pub sessions_retention: Option<String>,
    /// How long audit records (scans' verdicts, banks' risk lookups) are kept [default: 365d].
    #[arg(long, value_name = "PERIOD", env = "SCAMGUARD_AUDIT_RETENTION")]
    pub audit_retention: Option<String>,
    /// How long reports are kept [default: 365d].
    #[arg(long, value_name = "PERIOD", env = "SCAMGUARD_REPORTS_RETENTION")]
    pub reports_retention: Option<String>,
    /// The operator's P-256 private key (PKCS#8 PEM) that signs registry exports
    /// [default: DATA_DIR/operator/private.pem when it exists, from `signing-key generate`].
    #[arg(long, value_name = "FILE", env = "SCAMGUARD_OPERATOR_KEY")]
    pub operator_key: Option<PathBuf>,
    /// The key id put in registry exports [default: operator].
    #[arg(long, value_name = "KID", env = "SCAMGUARD_OPERATOR_KID")]
    pub operator_kid: Option<String>,
    /// Another operator's public key (SPKI PEM) whose registry exports may be imported;
    /// repeatable. Every DATA_DIR/trust/*.pem is trusted too.
    #[arg(
        long,
        value_name = "FILE",
        env = "SCAMGUARD_REGISTRY_TRUST",
        value_delimiter = ','
    )]
    pub registry_trust: Vec<PathBuf>,
    /// Seconds between checks for registry changes made by another process or node [default: 5].
    #[arg(long, value_name = "SECS", env = "SCAMGUARD_REGISTRY_REFRESH_SECS")]
    pub registry_refresh_secs: Option<u64>,
    /// Directory of the operator's risk-assertion keys, one `signing-key generate --out DIR/NAME`
    /// each; the newest signs, and one is made at first start [default: DATA_DIR/assertion-keys].
    #[arg(long, value_name = "DIR", env = "SCAMGUARD_ASSERTION_KEYS")]
    pub assertion_keys: Option<PathBuf>,
    /// The issuer (`iss`) of risk assertions, as banks expect it [default: scamguard].
    #[arg(long, value_name = "NAME", env = "SCAMGUARD_ASSERTION_ISSUER")]
    pub assertion_issuer: Option<String>,
    /// Seconds a risk assertion is valid, 1 to 300 [default: 120].
    #[arg(long, value_name = "SECS", env = "SCAMGUARD_ASSERTION_TTL_SECS")]
    pub assertion_ttl_secs: Option<u64>,
    /// Seconds after its end that a call still counts in a risk lookup [default: 120].
    #[arg(long, value_name = "SECS", env = "SCAMGUARD_RISK_GRACE_SECS")]
    pub risk_grace_secs: Option<u64>,
    /// Where notifications (guardian alerts, campaign warnings) are posted as signed JSON,
    /// from an outbox that a restart loses none of; needs a secret [default: none, and none
    /// is kept].
    #[arg(long, value_name = "URL", env = "SCAMGUARD_WEBHOOK_URL")]
    pub webhook_url: Option<String>,
    /// File holding the webhook signing secret (at least 16 bytes; a final newline is not part
    /// of it). Preferred over --webhook-secret, which other users may see in the process list.
    #[arg(long, value_name = "FILE", env = "SCAMGUARD_WEBHOOK_SECRET_FILE")]
    pub webhook_secret_file: Option<PathBuf>,
    /// The webhook signing secret itself (at least 16 bytes).
    #[arg(
        long,
        value_name = "SECRET",
        env = "SCAMGUARD_WEBHOOK_SECRET",
        hide_env_values = true,
        conflicts_with = "webhook_secret_file"
    )]
    pub webhook_secret: Option<String>,
    /// Hours a notification is retried before it is given up [default: 24].
    #[arg(long, value_name = "HOURS", env = "SCAMGUARD_WEBHOOK_MAX_AGE_HOURS")]
    pub webhook_max_age_hours: Option<u64>,
    /// Join flagged and reported sessions to campaigns as they happen; false leaves reports
    /// and callers' reputation working and campaigns as they are [default: true].
    #[arg(long, env = "SCAMGUARD_CAMPAIGNS", num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub campaigns: Option<bool>,
    /// Log filter, e.g. info or scamguard_server=debug [default: info, or RUST_LOG].
    #[arg(long, value_name = "FILTER", env = "SCAMGUARD_LOG")]
    pub log: Option<String>,
    /// Log format [default: text].
    #[arg(long, value_enum, env = "SCAMGUARD_LOG_FORMAT")]
    pub log_format: Option<LogFormat>,
    #[command(flatten)]
    pub engine: EngineArgs,
}

/// Everything `serve` needs, resolved.
#[derive(Debug)]
struct Resolved {
    listen: SocketAddr,
    store: StoreConfig,
    handle_key: Option<String>,
    server: ServerConfig,
    engine: EngineArgs,
    log: String,
    log_format: LogFormat,
}

fn resolve(args: ServeArgs) -> Result<Resolved> {
    let file = FileConfig::load(args.store.config.as_deref())?;
    let d = ServerConfig::default();
    let mut store = args.store.resolve(&file);
    store.journal = args.journal.or(file.journal).unwrap_or(true);
    let admin_key_command = admin_key_command(args.store.config.as_deref(), &store);
    let rate = args.rate_limit.or(file.rate_limit).unwrap_or(1000);
    let burst = args
        .rate_burst
        .or(file.rate_burst)
        .unwrap_or(rate.saturating_mul(2));
    let engine = EngineArgs {
        policy: args.engine.policy.or(file.policy),
        policy_local: args.engine.policy_local.or(file.policy_local),
        identities: args.engine.identities.or(file.identities),
        brands: args.engine.brands.or(file.brands),
        ..args.engine
    };
    let secs = |flag: Option<u64>, file: Option<u64>, default: Duration| {
        flag.or(file).map(Duration::from_secs).unwrap_or(default)
    };
    let period = |name: &str, flag: Option<String>, file: Option<String>, default| {
        flag.or(file)
            .map(|t| scamguard_store::parse_period(&t).map_err(|e| anyhow::anyhow!("{name}: {e}")))
            .transpose()
            .map(|p| p.unwrap_or(default))
    };
    let retention = scamguard_store::Retention {
        sessions: period(
            "sessions_retention",
            args.sessions_retention,
            file.sessions_retention,
            d.retention.sessions,
        )?,
        audit: period(
            "audit_retention",
            args.audit_retention,
            file.audit_retention,
            d.retention.audit,
        )?,
        reports: period(
            "reports_retention",
            args.reports_retention,
            file.reports_retention,
            d.retention.reports,
        )?,
    };
    let public_url = args
        .public_url
        .or(file.public_url)
        .map(|u| PublicUrl::parse(&u).map_err(|e| anyhow::anyhow!("public_url: {e}")))
        .transpose()?;
    let server =
        ServerConfig {
            body_limit: args.body_limit.or(file.body_limit).unwrap_or(d.body_limit),
            request_timeout: args
                .request_timeout_ms
                .or(file.request_timeout_ms)
                .map(Duration::from_millis)
                .unwrap_or(d.request_timeout),
            header_read_timeout: secs(
                args.header_read_timeout_secs,
                file.header_read_timeout_secs,
                d.header_read_timeout,
            ),
            body_read_timeout: args
                .body_read_timeout_ms
                .or(file.body_read_timeout_ms)
                .map(Duration::from_millis)
                .unwrap_or(d.body_read_timeout),
            rate_limit: (rate > 0).then_some(RateLimit {
                per_second: rate,
                burst,
            }),
            session_idle: secs(
                args.session_idle_secs,
                file.session_idle_secs,
                d.session_idle,
            ),
            sweep_interval: secs(
                args.sweep_interval_secs,
                file.sweep_interval_secs,
                d.sweep_interval,
            ),
            retain_text: args.retain_text.or(file.retain_text).unwrap_or(false),
            policy_path: engine.policy.clone(),
            policy_local_path: engine.policy_local.clone(),
            writer_batch: args
                .writer_batch
                .or(file.writer_batch)
                .unwrap_or(d.writer_batch),
            writer_queue: args
                .writer_queue
                .or(file.writer_queue)
                .unwrap_or(d.writer_queue),
            key_cache_ttl: secs(args.key_cache_secs, file.key_cache_secs, d.key_cache_ttl),
            operator_key: crate::settings::operator_key(
                args.operator_key.or(file.operator_key),
                args.operator_kid.or(file.operator_kid),
                &store.data_dir,
            )?,
            registry_trust: crate::settings::trusted_keys(
                if args.registry_trust.is_empty() {
                    file.registry_trust.unwrap_or_default()
                } else {
                    args.registry_trust
                },
                &store.data_dir,
            )?,
            registry_refresh: secs(
                args.registry_refresh_secs,
                file.registry_refresh_secs,
                d.registry_refresh,
            ),
            max_sessions_in_memory: args
                .max_sessions_in_memory
                .or(file.max_sessions_in_memory)
                .unwrap_or(d.max_sessions_in_memory),
            session_max_events: args
                .session_max_events
                .or(file.session_max_events)
                .unwrap_or(d.session_max_events)
                .max(1),
            console: args.console.or(file.console).unwrap_or(d.console),
            console_login: args
                .console_login
                .or(file.console_login)
                .unwrap_or(d.console_login),
            admin_key_command,
            public_url,
            retention,
            assertion_keys: Some(args.assertion_keys.or(file.assertion_keys).unwrap_or_else(
                || {
                    store
                        .data_dir
                        .join(scamguard_server::risk::keys::ASSERTION_KEYS_DIR)
                },
            )),
            assertion_issuer: args
                .assertion_issuer
                .or(file.assertion_issuer)
                .unwrap_or(d.assertion_issuer),
            assertion_ttl: secs(
                args.assertion_ttl_secs,
                file.assertion_ttl_secs,
                d.assertion_ttl,
            ),
            risk_grace: secs(args.risk_grace_secs, file.risk_grace_secs, d.risk_grace),
            webhook: webhook(
                args.webhook_url.or(file.webhook_url),
                args.webhook_secret_file.or(file.webhook_secret_file),
                args.webhook_secret.or(file.webhook_secret),
                args.webhook_max_age_hours.or(file.webhook_max_age_hours),
            )?,
            campaigns: args.campaigns.or(file.campaigns).unwrap_or(d.campaigns),
        };
    let ttl = server.assertion_ttl.as_secs();
    if ttl == 0 || ttl > scamguard_core::assertion::MAX_TTL_SECS as u64 {
        bail!("assertion_ttl_secs must be 1 to 300 (a bank asks at the moment of a transfer)");
    }
    if server.assertion_issuer.trim().is_empty() {
        bail!("assertion_issuer must not be empty");
    }
    if server.header_read_timeout.is_zero() || server.body_read_timeout.is_zero() {
        bail!("header_read_timeout_secs and body_read_timeout_ms must be at least 1");
    }
    if server.registry_refresh.is_zero() {
        bail!("registry_refresh_secs must be at least 1");
    }
    if server.session_idle.is_zero() {
        bail!("session_idle_secs must be at least 1");
    }
    if server.body_limit < 1024 {
        bail!("body_limit must be at least 1024 bytes");
    }
    Ok(Resolved {
        listen: args
            .listen
            .or(file.listen)
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080))),
        store,
        handle_key: args.handle.handle_key.or(file.handle_key),
        server,
        engine,
        log: args
            .log
            .or(file.log)
            .or_else(|| std::env::var("RUST_LOG").ok())
            .unwrap_or_else(|| "info,sqlx=warn".to_string()),
        log_format: args
            .log_format
            .or(file.log_format)
            .unwrap_or(LogFormat::Text),
    })
}

/// The webhook settings: a URL needs a secret, from a file (the config file may name one) or
/// from the flag or environment; a secret without a URL is a mistake worth saying.
fn webhook(
    url: Option<String>,
    secret_file: Option<PathBuf>,
    secret: Option<String>,
    max_age_hours: Option<u64>,
) -> Result<Option<WebhookConfig>> {
    let Some(url) = url.filter(|u| !u.trim().is_empty()) else {
        if secret_file.is_some() || secret.is_some() {
            bail!("a webhook secret is set but no webhook_url: set both, or neither");
        }
        return Ok(None);
    };
    let secret = match (secret_file, secret) {
        (Some(path), _) => std::fs::read(&path)
            .with_context(|| format!("cannot read the webhook secret {}", path.display()))?,
        (None, Some(s)) => s.into_bytes(),
        (None, None) => bail!(
            "webhook_url needs a signing secret: --webhook-secret-file FILE (or --webhook-secret)"
        ),
    };
    let mut config = WebhookConfig::new(&url, WebhookSecret::new(&secret)?)?;
    if let Some(h) = max_age_hours {
        if h == 0 {
            bail!("webhook_max_age_hours must be at least 1");
        }
        config.max_age = Duration::from_secs(h * 3600);
    }
    Ok(Some(config))
}

pub fn run(args: ServeArgs) -> Result<ExitCode> {
    run_node(args, |state, listener| async move {
        scamguard_server::serve(listener, state, shutdown_signal()).await?;
        Ok(())
    })
}

/// Starts a node from `args` (logging, the engine, then the store and listener, as [`start`])
/// on a multi-threaded runtime, and runs `node` on it until it returns: what `serve` and
/// `worker` both do.
pub(crate) fn run_node<F, Fut>(args: ServeArgs, node: F) -> Result<ExitCode>
where
    F: FnOnce(AppState, tokio::net::TcpListener) -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let r = resolve(args)?;
    init_logging(&r.log, r.log_format)?;
    // Build the engine first: a bad policy or lexicon fails before anything listens.
    let engine = r.engine.engine()?;
    crate::settings::block_on_threads(async move {
        let (state, listener) = start(r, engine).await?;
        node(state, listener).await?;
        tracing::info!("stopped");
        Ok(ExitCode::SUCCESS)
    })
}

/// Opens the store, binds the listener and builds the service's state with its assertion
/// keys and the organisation registry (kept fresh from the store): what `serve` and `worker`
/// both run on.
async fn start(
    r: Resolved,
    engine: scamguard_core::Engine,
) -> Result<(AppState, tokio::net::TcpListener)> {
    let store = scamguard_store::open(&r.store)
        .await
        .context("cannot open the store")?;
    let hasher = match &r.handle_key {
        Some(secret) => HandleHasher::from_secret(secret)?,
        None => HandleHasher::load_or_create(&r.store.data_dir)?,
    };
    let listener = tokio::net::TcpListener::bind(r.listen)
        .await
        .with_context(|| format!("cannot listen on {}", r.listen))?;
    let addr = listener.local_addr()?;
    let backend = store.backend().as_str();
    let state = AppState::new(r.server, engine, store, hasher);
    // Made at first start, like the handle key, so that banks can verify out of the box.
    let published = state
        .load_assertion_keys()
        .context("cannot load the risk-assertion keys")?;
    // Verify signed calls against the enrolled organisations from the first request on,
    // and pick up changes made by `scamguard registry` or another node.
    let orgs = scamguard_server::registry::install(&state)
        .await
        .map_err(|e| anyhow::anyhow!("cannot load the organisation registry: {e}"))?;
    tokio::spawn(scamguard_server::registry::watch(state.clone()));
    tracing::info!(
        store = backend,
        data_dir = %r.store.data_dir.display(),
        policy = %state.policy_source(),
        organisations = orgs,
        assertion_keys = published,
        "listening on {addr}"
    );
    if state.config().console {
        tracing::info!("console at {}", console_url(addr));
    }
    let keys = state
        .store()
        .keys()
        .await
        .context("cannot read the API keys")?;
    let admin = keys
        .iter()
        .any(|k| k.revoked.is_none() && k.scopes.contains(&Scope::Admin));
    if !admin {
        tracing::warn!(
            "no admin API key yet (the console login and the admin API need one): make one with `{}`",
            state.config().admin_key_command
        );
    }
    Ok((state, listener))
}

/// Where a browser on this machine reaches the console: a wildcard listen address is
/// reached on loopback.
fn console_url(addr: SocketAddr) -> String {
    let host = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
        ip if ip.is_unspecified() => "[::1]".to_string(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    format!("http://{host}:{}/", addr.port())
}

/// The command that makes an admin key for the store `serve` uses: the same `--config`, or
/// the same `--data-dir` (a PostgreSQL URL is not repeated: it may hold a password).
fn admin_key_command(config: Option<&std::path::Path>, store: &StoreConfig) -> String {
    let base = "scamguard keys create --scope admin";
    match (config, &store.database_url) {
        (Some(file), _) => format!(
            "{base} --config {}",
            shell_word(&file.display().to_string())
        ),
        (None, Some(_)) => format!("{base} --database-url URL"),
        (None, None) => format!(
            "{base} --data-dir {}",
            shell_word(&store.data_dir.display().to_string())
        ),
    }
}

/// `s` as one word for a POSIX shell.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:,@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub(crate) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

pub(crate) fn init_logging(filter: &str, format: LogFormat) -> Result<()> {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_new(filter).with_context(|| format!("bad log filter {filter:?}"))?;
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let result = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    result.map_err(|e| anyhow::anyhow!("cannot set up logging: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_hint_names_the_same_store_and_quotes_it() {
        let mut store = StoreConfig::sqlite(std::path::Path::new("data"));
        assert_eq!(
            admin_key_command(None, &store),
            "scamguard keys create --scope admin --data-dir data"
        );
        store.data_dir = PathBuf::from("/srv/my data/it's");
        assert_eq!(
            admin_key_command(None, &store),
            r"scamguard keys create --scope admin --data-dir '/srv/my data/it'\''s'"
        );
        let config = std::path::Path::new("/etc/scamguard.toml");
        assert_eq!(
            admin_key_command(Some(config), &store),
            "scamguard keys create --scope admin --config /etc/scamguard.toml"
        );
        store.database_url = Some("postgres://u:secret@db/sg".into());
        let pg = admin_key_command(None, &store);
        assert!(!pg.contains("secret"), "{pg}");
        assert_eq!(pg, "scamguard keys create --scope admin --database-url URL");
        for (addr, url) in [
            ("0.0.0.0:8080", "http://127.0.0.1:8080/"),
            ("[::]:80", "http://[::1]:80/"),
            ("10.0.0.5:9000", "http://10.0.0.5:9000/"),
        ] {
            assert_eq!(console_url(addr.parse().unwrap()), url);
        }
    }
    use clap::Parser;
    use scamguard_store::SqliteSync;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeArgs,
    }

    fn parse(args: &[&str]) -> ServeArgs {
        Cli::parse_from(std::iter::once("serve").chain(args.iter().copied())).serve
    }

    #[test]
    fn flags_beat_the_file_which_beats_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("scamguard.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:9000\"\ndata_dir = \"state\"\nrate_limit = 50\nretain_text = true\npolicy = \"p.toml\"\npolicy_local = \"local.toml\"\nsqlite_sync = \"off\"\njournal = false\n",
        )
        .unwrap();
        let f = file.to_str().unwrap();
        let r = resolve(parse(&["--config", f])).unwrap();
        assert_eq!(r.listen.port(), 9000);
        assert_eq!(
            r.store.data_dir,
            dir.path().join("state"),
            "relative to the file"
        );
        assert_eq!(r.server.rate_limit.unwrap().per_second, 50);
        assert_eq!(r.server.rate_limit.unwrap().burst, 100);
        assert!(r.server.retain_text);
        assert_eq!(r.server.policy_path, Some(dir.path().join("p.toml")));
        assert_eq!(
            r.server.policy_local_path,
            Some(dir.path().join("local.toml"))
        );
        assert_eq!(r.store.sqlite_sync, SqliteSync::Off);
        assert!(!r.store.journal);

        let r = resolve(parse(&[
            "--config",
            f,
            "--listen",
            "127.0.0.1:9100",
            "--retain-text=false",
            "--rate-limit",
            "0",
            "--sqlite-sync",
            "normal",
            "--journal",
        ]))
        .unwrap();
        assert_eq!(r.listen.port(), 9100);
        assert!(r.store.journal);
        assert_eq!(r.store.sqlite_sync, SqliteSync::Normal);
        assert!(!r.server.retain_text);
        assert!(r.server.rate_limit.is_none());

        let r = resolve(parse(&[])).unwrap();
        assert_eq!(r.listen, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(r.store.data_dir, PathBuf::from("./data"));
        assert_eq!(r.store.sqlite_sync, SqliteSync::Normal);
        assert!(r.store.journal, "serve journals by default");
        assert!(!r.server.retain_text);
        assert_eq!(r.server.session_idle, Duration::from_secs(1800));
        assert_eq!(r.server.header_read_timeout, Duration::from_secs(10));
        assert!(r.server.public_url.is_none());
        assert_eq!(r.server.retention, scamguard_store::Retention::default());
        let r = resolve(parse(&[
            "--sessions-retention",
            "30d",
            "--audit-retention",
            "forever",
        ]))
        .unwrap();
        assert_eq!(
            r.server.retention.sessions,
            Some(Duration::from_secs(30 * 86_400))
        );
        assert_eq!(r.server.retention.audit, None);
        let err = resolve(parse(&["--reports-retention", "a year"])).unwrap_err();
        assert!(format!("{err:#}").contains("reports_retention"), "{err:#}");
        let r = resolve(parse(&["--public-url", "https://Console.Example.org"])).unwrap();
        let url = r.server.public_url.unwrap();
        assert!(url.https() && url.host() == "console.example.org");
        for bad in [
            "console.example.org",
            "ftp://x",
            "https://x/console",
            "https://u@x",
        ] {
            let err = resolve(parse(&["--public-url", bad])).unwrap_err();
            assert!(format!("{err:#}").contains("public_url"), "{bad}: {err:#}");
        }
        assert_eq!(r.server.body_read_timeout, Duration::from_secs(5));
        let r = resolve(parse(&[
            "--header-read-timeout-secs",
            "30",
            "--body-read-timeout-ms",
            "250",
        ]))
        .unwrap();
        assert_eq!(r.server.header_read_timeout, Duration::from_secs(30));
        assert_eq!(r.server.body_read_timeout, Duration::from_millis(250));
        let err = resolve(parse(&["--header-read-timeout-secs", "0"])).unwrap_err();
        assert!(format!("{err:#}").contains("at least 1"), "{err:#}");
        assert!(r.server.console && !r.server.console_login);
        let r = resolve(parse(&["--console=false", "--console-login"])).unwrap();
        assert!(!r.server.console && r.server.console_login);
        assert!(
            resolve(parse(&["--retain-text"]))
                .unwrap()
                .server
                .retain_text
        );
    }

    #[test]
    fn unknown_file_keys_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "listne = \"127.0.0.1:1\"\n").unwrap();
        let err = resolve(parse(&["--config", file.to_str().unwrap()])).unwrap_err();
        assert!(format!("{err:#}").contains("listne"), "{err:#}");
    }

    #[test]
    fn a_webhook_url_needs_a_secret_from_a_file_or_the_flag() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_str().unwrap();
        let url = "http://127.0.0.1:9/hooks";
        let off = resolve(parse(&["--data-dir", d])).unwrap();
        assert!(off.server.webhook.is_none());

        let err = resolve(parse(&["--data-dir", d, "--webhook-url", url])).unwrap_err();
        assert!(
            format!("{err:#}").contains("--webhook-secret-file"),
            "{err:#}"
        );
        let err = resolve(parse(&[
            "--data-dir",
            d,
            "--webhook-secret",
            "0123456789abcdef",
        ]))
        .unwrap_err();
        assert!(format!("{err:#}").contains("no webhook_url"), "{err:#}");
        let err = resolve(parse(&[
            "--data-dir",
            d,
            "--webhook-url",
            url,
            "--webhook-secret",
            "short",
        ]))
        .unwrap_err();
        assert!(format!("{err:#}").contains("at least 16 bytes"), "{err:#}");
        let err = resolve(parse(&[
            "--data-dir",
            d,
            "--webhook-url",
            "ftp://desk/",
            "--webhook-secret",
            "0123456789abcdef",
        ]))
        .unwrap_err();
        assert!(format!("{err:#}").contains("expected http"), "{err:#}");

        // From the config file: the secret file is found next to it.
        std::fs::write(dir.path().join("hook.secret"), "0123456789abcdef\n").unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(
            &file,
            format!(
                "data_dir = \"data\"\nwebhook_url = \"{url}\"\nwebhook_secret_file = \"hook.secret\"\nwebhook_max_age_hours = 2\n"
            ),
        )
        .unwrap();
        let r = resolve(parse(&["--config", file.to_str().unwrap()])).unwrap();
        let w = r.server.webhook.expect("configured");
        assert_eq!(w.url.as_str(), url);
        assert_eq!(w.max_age, Duration::from_secs(7200));
        let signed = scamguard_server::webhook::sign(&w.secret, 1, b"{}");
        let expected = scamguard_server::webhook::WebhookSecret::new(b"0123456789abcdef").unwrap();
        assert_eq!(signed, scamguard_server::webhook::sign(&expected, 1, b"{}"));
        let err = resolve(parse(&[
            "--config",
            file.to_str().unwrap(),
            "--webhook-max-age-hours",
            "0",
        ]))
        .unwrap_err();
        assert!(format!("{err:#}").contains("at least 1"), "{err:#}");
    }
}
