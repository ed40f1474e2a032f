//! Prometheus metrics: verdicts by action, signals by code, request latency, sessions open,
//! and the writer's batches.
//!
//! The recorder is process-wide (the `metrics` facade has one global recorder), so it is
//! installed once and every app built in the process, including tests, shares it.

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use scamguard_core::Verdict;
use std::sync::OnceLock;
use std::time::Instant;

/// Request latency, seconds.
pub const REQUEST_SECONDS: &str = "scamguard_http_request_duration_seconds";
/// Verdicts answered, by action and source.
pub const VERDICTS: &str = "scamguard_verdicts_total";
/// Signals raised, by code.
pub const SIGNALS: &str = "scamguard_signals_total";
/// Sessions open (not closed, not expired) in the store.
pub const SESSIONS_OPEN: &str = "scamguard_sessions_open";
/// Sessions held in this node's memory.
pub const SESSIONS_IN_MEMORY: &str = "scamguard_sessions_in_memory";
/// Writes per committed batch.
pub const WRITER_BATCH: &str = "scamguard_writer_batch_size";
/// Time to commit one batch, seconds.
pub const WRITER_COMMIT_SECONDS: &str = "scamguard_writer_commit_seconds";
/// Replayed events answered from the store.
pub const REPLAYS: &str = "scamguard_event_replays_total";
/// Events applied again because another node changed their session first.
pub const STALE_RETRIES: &str = "scamguard_event_stale_retries_total";

/// The process-wide Prometheus handle, installing the recorder on first use.
pub fn handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            // Latency buckets around the 5 ms p99 target; batch sizes in powers of two.
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Suffix("_seconds".into()),
                    &[
                        0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25,
                        0.5, 1.0, 2.5, 10.0,
                    ],
                )
                .and_then(|b| {
                    b.set_buckets_for_metric(
                        Matcher::Full(WRITER_BATCH.into()),
                        &[
                            1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0,
                        ],
                    )
                })
                .expect("bucket lists are not empty");
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("a metrics recorder was already installed; /metrics will be empty");
            }
            describe();
            handle
        })
        .clone()
}

fn describe() {
    metrics::describe_histogram!(
        REQUEST_SECONDS,
        metrics::Unit::Seconds,
        "HTTP request latency by method, route and status"
    );
    metrics::describe_counter!(VERDICTS, "Verdicts answered, by action and source");
    metrics::describe_counter!(SIGNALS, "Signals newly raised, by code");
    metrics::describe_gauge!(SESSIONS_OPEN, "Sessions open (not closed, not expired)");
    metrics::describe_gauge!(SESSIONS_IN_MEMORY, "Sessions held in this node's memory");
    metrics::describe_histogram!(WRITER_BATCH, "Writes per committed batch");
    metrics::describe_histogram!(
        WRITER_COMMIT_SECONDS,
        metrics::Unit::Seconds,
        "Time to commit one batch"
    );
    metrics::describe_counter!(REPLAYS, "Replayed events answered from the store");
    metrics::describe_counter!(
        STALE_RETRIES,
        "Events applied again because another node changed their session first"
    );
}

/// Counts a verdict and the signals it newly raised.
pub fn record_verdict<'a>(
    source: &'static str,
    v: &Verdict,
    new_signals: impl Iterator<Item = &'a str>,
) {
    metrics::counter!(VERDICTS, "action" => v.action.as_str(), "source" => source).increment(1);
    for code in new_signals {
        metrics::counter!(SIGNALS, "code" => code.to_string()).increment(1);
    }
}

/// Middleware timing every request by its route template (never the raw path, which carries
/// ids) and status.
pub async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = req.method().as_str().to_string();
    let resp = next.run(req).await;
    metrics::histogram!(
        REQUEST_SECONDS,
        "method" => method,
        "route" => route,
        "status" => resp.status().as_u16().to_string()
    )
    .record(start.elapsed().as_secs_f64());
    resp
}
