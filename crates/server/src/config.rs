//! What the server needs to know to run: limits, timeouts, retention. Built by the `serve`
//! command from flags, environment and the config file; [`ServerConfig::default`] is what a
//! fresh `scamguard serve` uses.

use std::path::PathBuf;
use std::time::Duration;

/// Per-key request rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Sustained requests per second.
    pub per_second: u32,
    /// Requests allowed at once above the sustained rate.
    pub burst: u32,
}

/// Runtime settings of the HTTP service.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Longest a request may take before it is answered with 503 `timeout`.
    pub request_timeout: Duration,
    /// Longest a client may take to send a request's headers, and longest a connection may
    /// sit idle between requests, before it is closed.
    pub header_read_timeout: Duration,
    /// Longest pause within a request body before the request is answered with 400
    /// `incomplete_body` (a body shorter than its `Content-Length` ends this way).
    pub body_read_timeout: Duration,
    /// Per-key rate limit; `None` turns it off.
    pub rate_limit: Option<RateLimit>,
    /// A session with no event for this long expires.
    pub session_idle: Duration,
    /// How often expired sessions are swept from memory and closed in the store.
    pub sweep_interval: Duration,
    /// Store speech, message and OTP text with events (off: text is analysed and dropped).
    pub retain_text: bool,
    /// The policy file that `POST /v1/admin/policy/reload` and SIGHUP re-read; `None` means
    /// the built-in policy.
    pub policy_path: Option<PathBuf>,
    /// The local overlay merged over the policy, re-read with it.
    pub policy_local_path: Option<PathBuf>,
    /// Most writes committed in one transaction.
    pub writer_batch: usize,
    /// Writes waiting for the writer before requests are refused as unavailable.
    pub writer_queue: usize,
    /// Most sessions held in memory; beyond it the least recently active are dropped from
    /// memory (not closed) as new ones arrive, and loaded back from the store when needed.
    pub max_sessions_in_memory: usize,
    /// Most events one session takes; past it the session refuses events with 409
    /// `session_event_limit`.
    pub session_max_events: u64,
    /// How long a looked-up API key is trusted before the store is asked again; bounds how
    /// long a revoked key keeps working.
    pub key_cache_ttl: Duration,
    /// The operator's key that signs registry exports (`GET /v1/admin/registry/export`);
    /// without one, exports are refused.
    pub operator_key: Option<OperatorKey>,
    /// Operators' public keys (SPKI PEM) whose signed registry documents may be imported.
    pub registry_trust: Vec<String>,
    /// How often the registry is checked for changes made by another process or node.
    pub registry_refresh: Duration,
    /// Serve the console (live sessions, timelines, the call simulator) at `/`.
    pub console: bool,
    /// Require a login with an admin API key before any console page.
    pub console_login: bool,
    /// The command that makes an admin key for this service's store, as the login page and
    /// the start-up hint show it (`scamguard serve` adds its `--data-dir` or `--config`).
    pub admin_key_command: String,
    /// The URL people reach the service at, when it differs from the listen address (behind
    /// a proxy that terminates TLS): its host is accepted in `Host` by the console, and an
    /// `https` URL makes the console's cookie `Secure`.
    pub public_url: Option<PublicUrl>,
    /// How long sessions, audit records and reports are kept; housekeeping deletes older ones.
    pub retention: scamguard_store::Retention,
    /// The directory of the operator's risk-assertion keys (see [`crate::risk::keys`]); a
    /// key is made there at first start. `None` turns the risk lookup off.
    pub assertion_keys: Option<PathBuf>,
    /// The `iss` of risk assertions: the operator's name, as banks configure it.
    pub assertion_issuer: String,
    /// How long a risk assertion lives; at most five minutes.
    pub assertion_ttl: Duration,
    /// How long after its end a call still counts in a risk lookup.
    pub risk_grace: Duration,
    /// Where notifications (guardian alerts, campaign warnings) are posted; `None`: nowhere,
    /// and none is kept.
    pub webhook: Option<crate::webhook::WebhookConfig>,
    /// Join flagged sessions to campaigns as they happen (off: reports and reputation still
    /// work; campaigns stop growing).
    pub campaigns: bool,
}

impl ServerConfig {
    /// Where the policy in force comes from, as reloads and logs name it.
    pub fn policy_source(&self) -> String {
        let base = self
            .policy_path
            .as_ref()
            .map_or("built-in".to_string(), |p| p.display().to_string());
        match &self.policy_local_path {
            Some(local) => format!("{base} with {}", local.display()),
            None => base,
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(10),
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(5),
            rate_limit: Some(RateLimit {
                per_second: 1000,
                burst: 2000,
            }),
            session_idle: Duration::from_secs(30 * 60),
            sweep_interval: Duration::from_secs(30),
            retain_text: false,
            policy_path: None,
            policy_local_path: None,
            writer_batch: 1024,
            writer_queue: 65_536,
            key_cache_ttl: Duration::from_secs(5),
            operator_key: None,
            registry_trust: Vec::new(),
            registry_refresh: Duration::from_secs(5),
            max_sessions_in_memory: 100_000,
            session_max_events: 10_000,
            console: true,
            console_login: false,
            admin_key_command: "scamguard keys create --scope admin".into(),
            public_url: None,
            retention: scamguard_store::Retention::default(),
            assertion_keys: None,
            assertion_issuer: "scamguard".into(),
            assertion_ttl: Duration::from_secs(120),
            risk_grace: Duration::from_secs(120),
            webhook: None,
            campaigns: true,
        }
    }
}

/// The private key an operator signs registry exports with.
#[derive(Clone)]
pub struct OperatorKey {
    /// Its key id, put in the export's header so importers can tell keys apart.
    pub kid: String,
    /// The P-256 private key, PKCS#8 PEM.
    pub private_pem: String,
}

impl std::fmt::Debug for OperatorKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperatorKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// The URL people reach the service at: `http[s]://host[:port][/]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    https: bool,
    host: String,
}

impl PublicUrl {
    /// Parses `url`; the error says what is wrong with it.
    pub fn parse(url: &str) -> Result<PublicUrl, String> {
        let uri: axum::http::Uri = url
            .parse()
            .map_err(|e| format!("{url:?} is not a URL: {e}"))?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => return Err(format!("{url:?}: expected http://HOST or https://HOST")),
        };
        let authority = uri
            .authority()
            .ok_or_else(|| format!("{url:?} names no host"))?;
        if authority.as_str().contains('@') {
            return Err(format!("{url:?}: a public URL carries no user name"));
        }
        if uri.path_and_query().is_some_and(|p| p.as_str() != "/") {
            return Err(format!(
                "{url:?}: the console is served at the root; give the URL without a path"
            ));
        }
        Ok(PublicUrl {
            https,
            host: crate::headers::host_name(authority.as_str()),
        })
    }

    /// Whether people reach the service over TLS.
    pub fn https(&self) -> bool {
        self.https
    }

    /// Its host name, lower case, without the port.
    pub fn host(&self) -> &str {
        &self.host
    }
}
