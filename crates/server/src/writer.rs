//! Group commit: one task owns all writes to the store.
//!
//! A handler sends its [`Write`] with a oneshot and waits. The writer takes everything queued
//! (up to `writer_batch`), commits it in one transaction and then answers each handler, so a
//! client is told "done" only once its event is durable. Under load many requests share one
//! commit, which is what makes durable writes cheap; when idle a batch is a single write and
//! adds no waiting.
//!
//! If a batch fails, its writes are retried one by one so that one bad write (say, a
//! duplicate) fails alone.
//!
//! When the store's commit is itself a cheap, ordered append (`serve` on SQLite, which commits
//! to its journal, see the store's `journal` module), grouping buys nothing: handlers then
//! commit directly and the task stays idle.

use crate::error::ApiError;
use crate::metrics as m;
use scamguard_store::{Store, StoreError, Write};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;

struct Job {
    write: Write,
    ack: oneshot::Sender<Result<(), StoreError>>,
}

/// The handle to the writer task.
#[derive(Debug)]
pub struct Writer {
    /// Set when the store's commit is itself a cheap ordered append (the SQLite journal):
    /// handlers then commit directly, sparing two task switches per write.
    direct: Option<Arc<dyn Store>>,
    tx: mpsc::Sender<Job>,
    stop: watch::Sender<bool>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job")
    }
}

impl Writer {
    /// Starts the writer task on the current runtime.
    pub fn spawn(store: Arc<dyn Store>, batch: usize, queue: usize) -> Writer {
        let (tx, rx) = mpsc::channel(queue.max(1));
        let (stop, stop_rx) = watch::channel(false);
        let direct = store.commits_by_appending().then(|| store.clone());
        let task = tokio::spawn(run(store, rx, stop_rx, batch.max(1)));
        Writer {
            direct,
            tx,
            stop,
            task: Mutex::new(Some(task)),
        }
    }

    /// Makes `write` durable; returns once it is committed.
    pub async fn write(&self, write: Write) -> Result<(), ApiError> {
        if let Some(store) = &self.direct {
            if *self.stop.borrow() {
                return Err(ApiError::ShuttingDown);
            }
            let start = Instant::now();
            store.commit(std::slice::from_ref(&write)).await?;
            metrics::histogram!(m::WRITER_COMMIT_SECONDS).record(start.elapsed().as_secs_f64());
            metrics::histogram!(m::WRITER_BATCH).record(1.0);
            return Ok(());
        }
        let (ack, done) = oneshot::channel();
        self.tx.try_send(Job { write, ack }).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => {
                ApiError::Unavailable(StoreError::config("the write queue is full"))
            }
            mpsc::error::TrySendError::Closed(_) => ApiError::ShuttingDown,
        })?;
        match done.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(e.into()),
            Err(_) => Err(ApiError::ShuttingDown),
        }
    }

    /// Whether the writer task is still running.
    pub fn is_running(&self) -> bool {
        !self.tx.is_closed()
    }

    /// Stops taking writes, commits everything already queued, and waits for the task.
    pub async fn shutdown(&self) {
        let _ = self.stop.send(true);
        let task = self.task.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(task) = task {
            if let Err(e) = task.await {
                tracing::error!(error = %e, "writer task failed");
            }
        }
    }
}

async fn run(
    store: Arc<dyn Store>,
    mut rx: mpsc::Receiver<Job>,
    mut stop: watch::Receiver<bool>,
    max: usize,
) {
    let mut stopping = false;
    loop {
        let first = tokio::select! {
            job = rx.recv() => match job {
                Some(j) => j,
                None => break,
            },
            _ = stop.changed(), if !stopping => {
                // Refuse new writes; what is queued is still received, then recv() ends.
                stopping = true;
                rx.close();
                continue;
            }
        };
        let mut jobs = vec![first];
        while jobs.len() < max {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        let (writes, acks): (Vec<Write>, Vec<_>) =
            jobs.into_iter().map(|j| (j.write, j.ack)).unzip();
        let start = Instant::now();
        let result = store.commit(&writes).await;
        metrics::histogram!(m::WRITER_COMMIT_SECONDS).record(start.elapsed().as_secs_f64());
        metrics::histogram!(m::WRITER_BATCH).record(writes.len() as f64);
        match result {
            Ok(()) => {
                for ack in acks {
                    let _ = ack.send(Ok(()));
                }
            }
            Err(e) if writes.len() == 1 => {
                tracing::warn!(error = %e, "commit failed");
                let _ = acks.into_iter().next().map(|a| a.send(Err(e)));
            }
            Err(e) => {
                tracing::warn!(error = %e, writes = writes.len(), "batch commit failed; retrying one by one");
                for (w, ack) in writes.into_iter().zip(acks) {
                    let r = store.commit(std::slice::from_ref(&w)).await;
                    let _ = ack.send(r);
                }
            }
        }
    }
    tracing::debug!("writer stopped");
}
