//! The README's Operations section states the service's limits, timeouts and retention as the
//! code sets them: each figure below is formatted from the constant or default that enforces
//! it, so changing one without the README fails here.

use scamguard_core::event::limits::{
    MAX_EVENTS, MAX_NAME_CHARS, MAX_TEXT_CHARS, MAX_TOKEN_CHARS, MAX_URL_CHARS,
};
use scamguard_core::policy::expr::MAX_DEPTH;
use scamguard_core::url::MAX_LINKS;
use scamguard_server::routes::scan::MAX_URLS;
use scamguard_server::ServerConfig;
use std::time::Duration;

/// `n` as the README writes it: `10,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn secs(d: Duration) -> u64 {
    d.as_secs()
}

fn days(d: Option<Duration>) -> u64 {
    d.expect("a default period, not forever").as_secs() / 86_400
}

/// The README's Operations section, joined into one line per bullet so that a figure may
/// wrap.
fn operations() -> String {
    let readme = include_str!("../../../README.md");
    let start = readme
        .find("### Operate it")
        .expect("an Operate it section");
    let rest = &readme[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    rest[..end].split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_readme_states_the_limits_timeouts_and_retention_of_the_code() {
    let ops = operations();
    let d = ServerConfig::default();
    let rate = d.rate_limit.expect("a default rate limit");
    assert_eq!(d.body_limit, 1 << 20, "the README says 1 MiB");
    let claims = [
        "a request body up to 1 MiB (`--body-limit`".to_string(),
        format!(
            "up to {} events in one request",
            thousands(MAX_EVENTS as u64)
        ),
        format!(
            "up to {} events in one session over all its requests (`--session-max-events`",
            thousands(d.session_max_events)
        ),
        format!("text up to {} characters", thousands(MAX_TEXT_CHARS as u64)),
        format!(
            "senders and event ids up to {}",
            thousands(MAX_NAME_CHARS as u64)
        ),
        format!(
            "URLs and identity tokens up to {}",
            thousands(MAX_URL_CHARS as u64)
        ),
        format!("up to {MAX_URLS} URLs in one `POST /v1/urls/scan`"),
        format!("the first {MAX_LINKS} links of a text are analysed"),
        format!("nested at most {MAX_DEPTH} deep"),
        format!(
            "{} sessions held in memory (`--max-sessions-in-memory`)",
            thousands(d.max_sessions_in_memory as u64)
        ),
        format!(
            "expires after {} minutes without an event (`--session-idle-secs`)",
            secs(d.session_idle) / 60
        ),
        format!(
            "{} requests per second per key, bursts of {}",
            thousands(u64::from(rate.per_second)),
            thousands(u64::from(rate.burst))
        ),
        format!(
            "{} s to send a request's headers",
            secs(d.header_read_timeout)
        ),
        format!(
            "closed after {} s (`--header-read-timeout-secs`)",
            secs(d.header_read_timeout)
        ),
        format!("a body that pauses for {} s", secs(d.body_read_timeout)),
        format!(
            "a request gets {} s in all (`--request-timeout-ms`",
            secs(d.request_timeout)
        ),
        format!(
            "kept {} days after they expire (`--sessions-retention`)",
            days(d.retention.sessions)
        ),
        format!("{} days (`--audit-retention`)", days(d.retention.audit)),
        format!("{} days (`--reports-retention`", days(d.retention.reports)),
        format!(
            "Every sweep (`--sweep-interval-secs`, {} s)",
            secs(d.sweep_interval)
        ),
    ];
    for claim in claims {
        assert!(
            ops.contains(&claim),
            "the README's Operate it section lacks {claim:?}"
        );
    }
    // Identity tokens share the URL limit in the README's sentence.
    assert_eq!(MAX_TOKEN_CHARS, MAX_URL_CHARS);
}

#[test]
fn thousands_are_grouped() {
    assert_eq!(thousands(16), "16");
    assert_eq!(thousands(1_024), "1,024");
    assert_eq!(thousands(100_000), "100,000");
    assert_eq!(thousands(1_000_000), "1,000,000");
}
