//! Serving connections: hyper-util's server, with the limits on slow and idle clients that
//! `axum::serve` lacks.
//!
//! - A client has [`ConnectionLimits::header_read`] to send a request's headers, counted from
//!   the moment the connection opens or the previous answer is sent: a drip-fed request
//!   (slowloris) is cut off, and so is an idle keep-alive connection (hyper's HTTP/1 header
//!   timeout, which needs a timer, which `axum::serve` does not give it).
//! - Any connection, HTTP/2 included, on which no request has started or ended for that long
//!   is shut down gracefully (a request in progress still gets its answer); HTTP/2 pings find
//!   peers that vanished.
//! - Each request carries its client's address ([`ConnectInfo`], for login throttling) and
//!   the address it reached on this machine ([`LocalAddr`], for the console's Host check).
//!
//! The request body's own limit (a body that stops short of its `Content-Length`) is a layer
//! of the app (see [`crate::app`]), so that its answer has the API's error shape.

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tower::ServiceExt as _;

/// The address on this machine a request arrived at (the listener's, or, when it listens on
/// every interface, the interface's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalAddr(pub SocketAddr);

/// How long a connection may take before it is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Longest wait for a request's headers, and longest a connection may sit idle.
    pub header_read: Duration,
}

/// Serves `app` on `listener` until `shutdown` completes; then stops accepting, lets each
/// connection finish the request it is serving, and returns once all have closed.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let idle = limits.header_read.max(Duration::from_millis(10));
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(idle)
        .keep_alive(true);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(idle)
        .keep_alive_timeout(idle);
    let builder = Arc::new(builder);
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, client) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // wait a moment instead of spinning, as axum::serve does.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        while connections.try_join_next().is_some() {}
        // Answers are written whole; waiting to fill a packet would only add latency.
        let _ = stream.set_nodelay(true);
        let local = stream.local_addr().ok();
        let activity = Activity::new();
        let (started, answered) = (activity.clone(), activity.clone());
        let service = app
            .clone()
            .map_request(move |mut req: axum::http::Request<Incoming>| {
                started.touch();
                req.extensions_mut().insert(ConnectInfo(client));
                if let Some(local) = local {
                    req.extensions_mut().insert(LocalAddr(local));
                }
                req
            })
            .map_response(move |resp| {
                answered.touch();
                resp
            });
        let service = TowerToHyperService::new(service);
        let builder = builder.clone();
        let mut stopping = stopping.clone();
        connections.spawn(async move {
            let conn = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
            tokio::pin!(conn);
            let mut check = tokio::time::interval(idle / 2);
            check.tick().await;
            let mut closing = false;
            loop {
                tokio::select! {
                    result = conn.as_mut() => {
                        if let Err(e) = result {
                            // Clients hanging up and timeouts are normal; nothing to alarm on.
                            tracing::debug!(error = %e, "connection ended with an error");
                        }
                        return;
                    }
                    _ = stopping.changed(), if !closing => {
                        closing = true;
                        conn.as_mut().graceful_shutdown();
                    }
                    _ = check.tick(), if !closing => {
                        if activity.idle() >= idle {
                            closing = true;
                            conn.as_mut().graceful_shutdown();
                        }
                    }
                }
            }
        });
    }
    drop(listener);
    let _ = stop.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// When a connection last started a request or answered one.
#[derive(Clone)]
struct Activity {
    opened: Instant,
    /// Milliseconds after `opened`.
    last: Arc<AtomicU64>,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            opened: Instant::now(),
            last: Arc::new(AtomicU64::new(0)),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(ms, Ordering::Relaxed);
    }

    fn idle(&self) -> Duration {
        self.opened
            .elapsed()
            .saturating_sub(Duration::from_millis(self.last.load(Ordering::Relaxed)))
    }
}
