//! The event journal: how `serve` makes writes durable on SQLite without waiting for SQLite.
//!
//! A commit appends the batch's writes to a segment file in `DATA_DIR/journal/` with one write
//! system call and returns: from then on the batch is in the operating system's hands and
//! survives a crash of the process, which is the same promise a SQLite commit with
//! `synchronous = NORMAL` makes. A background task, the applier, then moves batches into the
//! database in large transactions; each transaction also records how far the journal is
//! applied (`journal_applied`), so after a crash every record past that point is applied
//! once, before anything reads the database.
//!
//! Why: a SQLite commit per group of ~10 events cost ~40 µs per event, and every few thousand
//! pages a checkpoint stalled the one writer for tens of milliseconds; every acknowledgement
//! waited for both. Applied in transactions of hundreds of writes, the same rows cost a
//! fraction of that, and a checkpoint delays only the applier.
//!
//! Reads of sessions, events and audit first wait until every batch acknowledged before them
//! is applied ([`Journal::settled`]), so a reader never sees less than a client was told.
//! Only one process may journal into a data directory: the journal holds a lock on
//! `journal/LOCK` for as long as it is open.
//!
//! A record is `[length: u32 LE][CRC-32 of payload: u32 LE][payload]`, the payload one
//! [`Write`] in postcard. A crash can leave a torn record at the end of the newest segment;
//! it was never acknowledged, and recovery drops it.

use crate::{StoreError, Write};
use async_trait::async_trait;
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, watch, Mutex as AsyncMutex, Semaphore};
use tokio::task::JoinHandle;

/// The journal's directory inside the data directory.
pub const JOURNAL_DIR: &str = "journal";
/// A segment is closed and a new one started past this size.
const SEGMENT_BYTES: u64 = 64 << 20;
/// Most writes the applier puts in one transaction.
const APPLY_MAX: usize = 2_000;
/// Writes appended but not yet applied before appends wait (backpressure): about a second of
/// writes at full load, and tens of megabytes of memory. Enough to ride out a checkpoint.
const QUEUE_WRITES: usize = 32_768;
/// Bytes before a record's payload.
const HEADER: usize = 8;
/// The largest payload a record may claim; anything bigger is a torn or corrupt length.
const RECORD_MAX: usize = 64 << 20;

/// A point in the journal: a segment and a byte offset in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct Position {
    pub segment: u64,
    pub offset: u64,
}

/// What the applier writes to the database: the writes in journal order, with the position
/// after each, so that a transaction of any prefix can record exactly how far it got.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    pub writes: Vec<Write>,
    pub ends: Vec<Position>,
}

/// Where the journal's batches go: the database, in one transaction per call, which also
/// records `end` as applied.
#[async_trait]
pub(crate) trait Apply: Send + Sync + 'static {
    /// Applies `writes` and records `end`, atomically.
    async fn apply(&self, writes: &[Write], end: Position) -> Result<(), StoreError>;
}

/// One appended batch on its way to the applier.
struct Batch {
    seq: u64,
    pending: Pending,
    permits: tokio::sync::OwnedSemaphorePermit,
}

struct Appender {
    file: File,
    at: Position,
    seq: u64,
    queue: Option<mpsc::UnboundedSender<Batch>>,
    /// Set when a failed append could not be undone: appending after a partial record would
    /// hide every later record from recovery, so the journal refuses further writes.
    broken: bool,
}

/// An open journal (see the module documentation).
pub(crate) struct Journal {
    dir: PathBuf,
    appender: AsyncMutex<Appender>,
    acked: AtomicU64,
    applied: watch::Receiver<u64>,
    room: Arc<Semaphore>,
    task: Mutex<Option<JoinHandle<()>>>,
    /// The advisory lock on `journal/LOCK`, held until the journal is closed.
    lock: Mutex<Option<File>>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").field("dir", &self.dir).finish()
    }
}

fn io_error(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn segment_path(dir: &Path, segment: u64) -> PathBuf {
    dir.join(format!("{segment:016}.log"))
}

/// The segment files in `dir`, oldest first.
fn segments(dir: &Path) -> Result<Vec<u64>, StoreError> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| io_error(dir, e))? {
        let entry = entry.map_err(|e| io_error(dir, e))?;
        let name = entry.file_name();
        let Some(stem) = name.to_str().and_then(|n| n.strip_suffix(".log")) else {
            continue;
        };
        if let Ok(n) = stem.parse::<u64>() {
            found.push(n);
        }
    }
    found.sort_unstable();
    Ok(found)
}

/// Appends one record holding `write` to `buf`.
fn encode(buf: &mut Vec<u8>, write: &Write) -> Result<(), StoreError> {
    let start = buf.len();
    buf.extend_from_slice(&[0; HEADER]);
    // postcard appends to a Vec it owns; the buffer is lent to it and handed back.
    *buf = postcard::to_extend(write, std::mem::take(buf))
        .map_err(|e| StoreError::Corrupt(format!("cannot encode a journal record: {e}")))?;
    let payload = &buf[start + HEADER..];
    let len = u32::try_from(payload.len())
        .map_err(|_| StoreError::config("a write is too large for the journal"))?;
    let crc = crc32fast::hash(payload);
    buf[start..start + 4].copy_from_slice(&len.to_le_bytes());
    buf[start + 4..start + HEADER].copy_from_slice(&crc.to_le_bytes());
    Ok(())
}

/// The records of `bytes` from `from`, each with the offset after it, up to the first torn
/// or corrupt one; and the offset where the readable part ends.
pub(crate) fn decode(bytes: &[u8], from: usize) -> (Vec<(Write, u64)>, usize) {
    let mut out = Vec::new();
    let mut at = from;
    while bytes.len() - at >= HEADER {
        let len = u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes")) as usize;
        let crc = u32::from_le_bytes(bytes[at + 4..at + HEADER].try_into().expect("4 bytes"));
        let end = at + HEADER + len;
        if len > RECORD_MAX || end > bytes.len() {
            break;
        }
        let payload = &bytes[at + HEADER..end];
        if crc32fast::hash(payload) != crc {
            break;
        }
        // A record from a build before `Write::user_hash` ends where that field would start.
        let write = postcard::from_bytes::<Write>(payload).or_else(|_| {
            postcard::from_bytes::<crate::model::WriteBeforeUsers>(payload).map(Write::from)
        });
        match write {
            Ok(w) => out.push((w, end as u64)),
            Err(_) => break,
        }
        at = end;
    }
    (out, at)
}

/// Creates the segment file `path`, readable by its owner only: it holds event payloads until
/// they reach the database.
fn new_segment(path: &Path) -> Result<File, StoreError> {
    let mut options = OpenOptions::new();
    options.create_new(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(|e| io_error(path, e))
}

/// Takes the journal's lock, or says who holds it.
fn lock(dir: &Path) -> Result<Option<File>, StoreError> {
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    let path = dir.join("LOCK");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| io_error(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(io_error(&path, e)),
    }
}

/// Applies whatever the journal in `dir` holds past `applied`, then deletes its segments.
/// Returns the number of the next segment to write. Must hold the lock.
async fn recover(dir: &Path, applied: Position, db: &dyn Apply) -> Result<u64, StoreError> {
    let found = segments(dir)?;
    let mut recovered = 0usize;
    for &segment in found.iter().filter(|&&s| s >= applied.segment) {
        let path = segment_path(dir, segment);
        let bytes = std::fs::read(&path).map_err(|e| io_error(&path, e))?;
        let from = if segment == applied.segment {
            usize::try_from(applied.offset)
                .unwrap_or(usize::MAX)
                .min(bytes.len())
        } else {
            0
        };
        let (records, end) = decode(&bytes, from);
        if end < bytes.len() {
            // Only an append cut short by the crash ends a segment early; it was never
            // acknowledged.
            tracing::warn!(
                segment,
                offset = end,
                dropped_bytes = bytes.len() - end,
                "journal: dropped an incomplete record that was never acknowledged"
            );
        }
        recovered += records.len();
        let mut chunk = Pending::default();
        let total = records.len();
        for (i, (write, offset)) in records.into_iter().enumerate() {
            chunk.writes.push(write);
            chunk.ends.push(Position { segment, offset });
            if chunk.writes.len() == APPLY_MAX || i + 1 == total {
                apply_retrying(db, &chunk).await;
                chunk = Pending::default();
            }
        }
    }
    for &segment in &found {
        let path = segment_path(dir, segment);
        std::fs::remove_file(&path).map_err(|e| io_error(&path, e))?;
    }
    if recovered > 0 {
        tracing::info!(
            writes = recovered,
            "journal: applied writes left by the last run"
        );
    }
    Ok(found
        .last()
        .copied()
        .unwrap_or(0)
        .max(applied.segment)
        .saturating_add(1))
}

/// Applies, when no other process journals into `dir`, what a crashed `serve` left there, so
/// that tools reading the database see every acknowledged write. Does nothing when the lock is
/// held (a running server applies its own journal).
pub(crate) async fn recover_if_idle(
    dir: &Path,
    applied: Position,
    db: &dyn Apply,
) -> Result<(), StoreError> {
    if !dir.exists() {
        return Ok(());
    }
    if let Some(_lock) = lock(dir)? {
        recover(dir, applied, db).await?;
    }
    Ok(())
}

impl Journal {
    /// Opens the journal in `dir`: takes its lock, applies what a previous run left, and
    /// starts the applier on `db`.
    pub(crate) async fn open(
        dir: &Path,
        applied: Position,
        db: Arc<dyn Apply>,
    ) -> Result<Journal, StoreError> {
        let lock_file = lock(dir)?.ok_or_else(|| {
            StoreError::config(format!(
                "{} is in use by another `scamguard serve` (its journal is locked); stop it or \
                 choose another --data-dir",
                dir.parent().unwrap_or(dir).display()
            ))
        })?;
        let segment = recover(dir, applied, db.as_ref()).await?;
        let path = segment_path(dir, segment);
        let file = new_segment(&path)?;
        let (tx, rx) = mpsc::unbounded_channel();
        let (applied_tx, applied_rx) = watch::channel(0);
        let task = tokio::spawn(apply_loop(db, dir.to_path_buf(), segment, rx, applied_tx));
        Ok(Journal {
            dir: dir.to_path_buf(),
            appender: AsyncMutex::new(Appender {
                file,
                at: Position { segment, offset: 0 },
                seq: 0,
                queue: Some(tx),
                broken: false,
            }),
            acked: AtomicU64::new(0),
            applied: applied_rx,
            room: Arc::new(Semaphore::new(QUEUE_WRITES)),
            task: Mutex::new(Some(task)),
            lock: Mutex::new(Some(lock_file)),
        })
    }

    /// Makes `writes` durable: appends them and hands them to the applier.
    pub(crate) async fn append(&self, writes: &[Write]) -> Result<(), StoreError> {
        if writes.is_empty() {
            return Ok(());
        }
        let mut buf = Vec::with_capacity(writes.len() * 2_048);
        let mut sizes = Vec::with_capacity(writes.len());
        for w in writes {
            let before = buf.len();
            encode(&mut buf, w)?;
            sizes.push((buf.len() - before) as u64);
        }
        // Waits when the applier is far behind, before anything is written.
        let n = u32::try_from(writes.len().min(QUEUE_WRITES)).unwrap_or(u32::MAX);
        let permits = self
            .room
            .clone()
            .acquire_many_owned(n)
            .await
            .map_err(|_| StoreError::config("the store is closing"))?;
        let mut a = self.appender.lock().await;
        if a.broken {
            return Err(StoreError::config(
                "the journal could not undo a failed write; restart the server",
            ));
        }
        let Some(queue) = a.queue.clone() else {
            return Err(StoreError::config("the store is closing"));
        };
        if a.at.offset >= SEGMENT_BYTES {
            let next = a.at.segment + 1;
            let path = segment_path(&self.dir, next);
            a.file = new_segment(&path)?;
            a.at = Position {
                segment: next,
                offset: 0,
            };
        }
        if let Err(e) = a.file.write_all(&buf) {
            // Cut off whatever part of the batch reached the file, so later appends follow
            // the last whole record.
            let start = a.at.offset;
            if a.file.set_len(start).is_err() {
                a.broken = true;
            }
            return Err(io_error(&segment_path(&self.dir, a.at.segment), e));
        }
        let mut ends = Vec::with_capacity(sizes.len());
        for size in sizes {
            a.at.offset += size;
            ends.push(a.at);
        }
        a.seq += 1;
        let seq = a.seq;
        let pending = Pending {
            writes: writes.to_vec(),
            ends,
        };
        if queue
            .send(Batch {
                seq,
                pending,
                permits,
            })
            .is_err()
        {
            return Err(StoreError::config("the journal's applier stopped"));
        }
        self.acked.store(seq, Ordering::Release);
        Ok(())
    }

    /// Waits until every batch acknowledged so far is in the database.
    pub(crate) async fn settled(&self) -> Result<(), StoreError> {
        let target = self.acked.load(Ordering::Acquire);
        let mut applied = self.applied.clone();
        applied
            .wait_for(|&a| a >= target)
            .await
            .map(|_| ())
            .map_err(|_| StoreError::config("the journal's applier stopped"))
    }

    /// Refuses further appends and waits until everything appended is applied.
    pub(crate) async fn close(&self) {
        self.appender.lock().await.queue = None;
        let task = self.task.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(task) = task {
            if let Err(e) = task.await {
                tracing::error!(error = %e, "journal applier failed");
            }
        }
        // Everything is applied: another process may journal here now.
        self.lock.lock().unwrap_or_else(|p| p.into_inner()).take();
    }
}

/// The applier: batches from the queue into the database, oldest first, in transactions of
/// up to [`APPLY_MAX`] writes; then deletes the segments it has finished.
async fn apply_loop(
    db: Arc<dyn Apply>,
    dir: PathBuf,
    mut oldest: u64,
    mut rx: mpsc::UnboundedReceiver<Batch>,
    applied: watch::Sender<u64>,
) {
    while let Some(first) = rx.recv().await {
        let mut seq = first.seq;
        let mut pending = first.pending;
        let mut permits = vec![first.permits];
        while pending.writes.len() < APPLY_MAX {
            match rx.try_recv() {
                Ok(b) => {
                    seq = b.seq;
                    pending.writes.extend(b.pending.writes);
                    pending.ends.extend(b.pending.ends);
                    permits.push(b.permits);
                }
                Err(_) => break,
            }
        }
        apply_retrying(db.as_ref(), &pending).await;
        let _ = applied.send(seq);
        drop(permits);
        let reached = pending.ends.last().map_or(oldest, |p| p.segment);
        while oldest < reached {
            let path = segment_path(&dir, oldest);
            if let Err(e) = std::fs::remove_file(&path) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!(path = %path.display(), error = %e, "journal: cannot delete an applied segment");
                }
            }
            oldest += 1;
        }
    }
    tracing::debug!("journal applier stopped");
}

/// Applies `pending` in one transaction; if that fails, one write at a time, so that a write
/// the database refuses (a bug: the server checks what it writes) is logged and skipped
/// instead of holding up every write after it, and an outage is waited out.
async fn apply_retrying(db: &dyn Apply, pending: &Pending) {
    let Some(&end) = pending.ends.last() else {
        return;
    };
    match db.apply(&pending.writes, end).await {
        Ok(()) => return,
        Err(e) => {
            tracing::warn!(error = %e, writes = pending.writes.len(), "journal: applying a batch failed; applying its writes one by one")
        }
    }
    for (write, &end) in pending.writes.iter().zip(&pending.ends) {
        let mut wait = Duration::from_millis(50);
        loop {
            match db.apply(std::slice::from_ref(write), end).await {
                Ok(()) => break,
                Err(StoreError::Database(e)) if !matches!(e, sqlx::Error::Database(_)) => {
                    tracing::warn!(error = %e, retry_in_ms = wait.as_millis() as u64, "journal: database unavailable");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_secs(5));
                }
                Err(e) => {
                    tracing::error!(error = %e, "journal: the database refused a write; skipped");
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EventRecord, SessionProgress};

    fn write(n: i64) -> Write {
        Write {
            session: None,
            events: vec![EventRecord {
                session_id: "s1".into(),
                seq: n,
                event_id: Some(format!("e{n}")),
                kind: "speech".into(),
                at: n,
                action: "allow".into(),
                payload: "{}".into(),
                verdict: "{\"action\":\"allow\"}".into(),
                progress: Some(SessionProgress {
                    state: "{}".into(),
                    updated: n,
                    expires: n + 1,
                }),
            }],
            audit: vec![],
            user_hash: None,
            owner: None,
        }
    }

    #[test]
    fn records_written_before_user_hashes_still_decode() {
        #[derive(serde::Serialize)]
        struct Before<'a> {
            session: &'a Option<crate::SessionRecord>,
            events: &'a [EventRecord],
            audit: &'a [crate::AuditRecord],
        }
        let w = write(7);
        let payload = postcard::to_allocvec(&Before {
            session: &w.session,
            events: &w.events,
            audit: &w.audit,
        })
        .unwrap();
        let mut bytes = (payload.len() as u32).to_le_bytes().to_vec();
        bytes.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
        bytes.extend_from_slice(&payload);
        let (got, end) = decode(&bytes, 0);
        assert_eq!(end, bytes.len());
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, w);
        // And a new record keeps its user hash.
        let mut with = write(8);
        with.user_hash = Some("u".into());
        let mut buf = Vec::new();
        encode(&mut buf, &with).unwrap();
        assert_eq!(decode(&buf, 0).0[0].0.user_hash.as_deref(), Some("u"));
    }

    #[test]
    fn records_round_trip_and_stop_at_a_torn_tail() {
        let mut buf = Vec::new();
        for n in 1..=3 {
            encode(&mut buf, &write(n)).unwrap();
        }
        let whole = buf.len();
        let (all, end) = decode(&buf, 0);
        assert_eq!(all.len(), 3);
        assert_eq!(end, whole);
        assert_eq!(all[2].0, write(3));
        assert_eq!(all[2].1, whole as u64);

        // A torn last record, a flipped byte, and a length that runs past the end all stop
        // the reading at the last whole record.
        let (two, end) = decode(&buf[..whole - 3], 0);
        assert_eq!(two.len(), 2);
        assert_eq!(end as u64, all[1].1);
        let mut flipped = buf.clone();
        flipped[whole - 1] ^= 0xff;
        assert_eq!(decode(&flipped, 0).0.len(), 2);
        let mut long = buf.clone();
        let at = all[1].1 as usize;
        long[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(decode(&long, 0).0.len(), 2);
        // Reading from a recorded position skips what was applied.
        assert_eq!(decode(&buf, all[0].1 as usize).0.len(), 2);
        assert!(decode(&[], 0).0.is_empty());
    }

    /// Records what it is asked to apply; while `stalled`, never finishes (a crash mid-way).
    #[derive(Default)]
    struct Recorder {
        applied: Mutex<Vec<(Write, Position)>>,
        stalled: std::sync::atomic::AtomicBool,
    }

    #[async_trait]
    impl Apply for Recorder {
        async fn apply(&self, writes: &[Write], end: Position) -> Result<(), StoreError> {
            if self.stalled.load(Ordering::Relaxed) {
                std::future::pending::<()>().await;
            }
            let mut applied = self.applied.lock().unwrap();
            for w in writes {
                applied.push((w.clone(), end));
            }
            Ok(())
        }
    }

    fn seqs(r: &Recorder) -> Vec<i64> {
        let applied = r.applied.lock().unwrap();
        applied.iter().map(|(w, _)| w.events[0].seq).collect()
    }

    #[tokio::test]
    async fn appended_writes_reach_the_database_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let db = Arc::new(Recorder::default());
        let journal = Journal::open(dir.path(), Position::default(), db.clone())
            .await
            .unwrap();
        for n in 0..10 {
            journal
                .append(&[write(2 * n), write(2 * n + 1)])
                .await
                .unwrap();
        }
        journal.settled().await.unwrap();
        assert_eq!(seqs(&db), (0..20).collect::<Vec<_>>());
        let ends: Vec<Position> = db.applied.lock().unwrap().iter().map(|a| a.1).collect();
        assert!(ends.windows(2).all(|w| w[0] <= w[1]), "{ends:?}");
        journal.close().await;
        assert!(journal.append(&[write(99)]).await.is_err(), "closed");
    }

    #[tokio::test]
    async fn a_crash_leaves_nothing_unapplied() {
        let dir = tempfile::tempdir().unwrap();
        let stalled = Arc::new(Recorder::default());
        stalled.stalled.store(true, Ordering::Relaxed);
        let journal = Journal::open(dir.path(), Position::default(), stalled.clone())
            .await
            .unwrap();
        for n in 0..5 {
            journal.append(&[write(n)]).await.unwrap();
        }
        // The process dies: the applier never finished, and the last append was torn.
        journal.task.lock().unwrap().take().unwrap().abort();
        drop(journal);
        let segment = segments(dir.path()).unwrap()[0];
        let path = segment_path(dir.path(), segment);
        let whole = std::fs::metadata(&path).unwrap().len();
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(&[7, 0, 0, 0, 1, 2]).unwrap();

        let db = Recorder::default();
        let next = recover(dir.path(), Position::default(), &db).await.unwrap();
        assert_eq!(seqs(&db), vec![0, 1, 2, 3, 4]);
        assert_eq!(db.applied.lock().unwrap()[4].1.offset, whole);
        assert!(next > segment);
        assert!(segments(dir.path()).unwrap().is_empty(), "segments deleted");

        // From a recorded position, only what follows it is applied.
        let mut buf = Vec::new();
        for n in 0..3 {
            encode(&mut buf, &write(n)).unwrap();
        }
        std::fs::write(segment_path(dir.path(), 7), &buf).unwrap();
        let first_end = decode(&buf, 0).0[0].1;
        let db = Recorder::default();
        let at = Position {
            segment: 7,
            offset: first_end,
        };
        assert_eq!(recover(dir.path(), at, &db).await.unwrap(), 8);
        assert_eq!(seqs(&db), vec![1, 2]);
    }

    #[test]
    fn a_second_lock_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock(dir.path()).unwrap();
        assert!(first.is_some());
        assert!(lock(dir.path()).unwrap().is_none());
        drop(first);
        assert!(lock(dir.path()).unwrap().is_some());
    }
}
