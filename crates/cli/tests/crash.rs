//! An acknowledged event is never lost: start the real `scamguard serve` on a free loopback
//! port, post events from several clients at once, `kill -9` the server in the middle of it,
//! restart it on the same data directory, and check that every event that got a 200 is in
//! its session's timeline with the verdict that was answered — and that replaying it returns
//! that verdict again.
//!
//! Traffic goes to 127.0.0.1 only, and every loop is bounded in count and time.

mod common;

use common::{Server, BIN};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CLIENTS: usize = 4;
/// Kill once this many events were acknowledged…
const KILL_AFTER_ACKS: usize = 1500;
/// …or after this long, whichever comes first.
const KILL_AFTER: Duration = Duration::from_secs(8);
/// Most events one client sends, so the loop ends even if the kill never lands.
const MAX_PER_CLIENT: usize = 5_000;

fn start(dir: &Path, extra: &[&str]) -> Server {
    let mut args = vec!["--rate-limit", "0", "--data-dir", dir.to_str().unwrap()];
    args.extend(extra);
    Server::start(dir, &args)
}

fn create_key(dir: &Path) -> String {
    let out = Command::new(BIN)
        .args([
            "keys",
            "create",
            "--scope",
            "admin",
            "--label",
            "crash test",
        ])
        .arg("--data-dir")
        .arg(dir)
        .output()
        .expect("run keys create");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key = String::from_utf8(out.stdout).unwrap();
    assert_eq!(key.lines().count(), 1, "only the key on stdout");
    key.trim().to_string()
}

/// A minimal HTTP/1.1 client on one keep-alive connection.
struct Client {
    reader: BufReader<TcpStream>,
    key: String,
}

impl Client {
    fn connect(addr: SocketAddr, key: &str) -> std::io::Result<Client> {
        let s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
        s.set_read_timeout(Some(Duration::from_secs(20)))?;
        s.set_nodelay(true)?;
        Ok(Client {
            reader: BufReader::new(s),
            key: key.to_string(),
        })
    }

    fn call(
        &mut self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> std::io::Result<(u16, Value)> {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.key,
            body.len()
        );
        self.reader.get_mut().write_all(req.as_bytes())?;
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or(std::io::ErrorKind::InvalidData)?;
        let mut len = 0usize;
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    len = v
                        .trim()
                        .parse()
                        .map_err(|_| std::io::ErrorKind::InvalidData)?;
                }
            }
        }
        let mut buf = vec![0u8; len];
        self.reader.read_exact(&mut buf)?;
        let value = serde_json::from_slice(&buf).unwrap_or(Value::Null);
        Ok((status, value))
    }
}

/// An event the server acknowledged.
#[derive(Debug, Clone)]
struct Ack {
    session: String,
    event_id: String,
    seq: i64,
    verdict: Value,
}

fn event(client: usize, n: usize) -> Value {
    let id = format!("c{client}-{n}");
    match n % 6 {
        0 => {
            json!({"id": id, "type": "speech", "speaker": "remote", "text": "您的账户涉嫌洗钱，请配合调查，不要告诉家人"})
        }
        1 => {
            json!({"id": id, "type": "screen_share_request", "initiator": "remote", "app": "facetime"})
        }
        2 => {
            json!({"id": id, "type": "otp_received", "sender": "95588", "text": "验证码 123456，请勿告诉他人"})
        }
        3 => json!({"id": id, "type": "app_foreground", "app": "工商银行", "category": "banking"}),
        4 => json!({"id": id, "type": "link_opened", "url": "http://icbc-verify.com/login"}),
        _ => {
            json!({"id": id, "type": "payment", "amount": 5000 + n, "currency": "CNY", "payee": "new"})
        }
    }
}

/// One client: opens two sessions and posts events to them in turn until told to stop or
/// the connection dies (the kill).
fn client(
    i: usize,
    addr: SocketAddr,
    key: String,
    acks: Arc<Mutex<Vec<Ack>>>,
    count: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
) {
    let Ok(mut c) = Client::connect(addr, &key) else {
        return;
    };
    let mut sessions = Vec::new();
    for s in 0..2 {
        let open = json!({"channel": "video_call", "locale": "zh-Hans",
            "from": {"handle": format!("+86 171 000{i} 000{s}"), "display_name": "厦门市公安局"}});
        match c.call("POST", "/v1/sessions", Some(&open)) {
            Ok((200, v)) => sessions.push(v["session_id"].as_str().unwrap().to_string()),
            other => panic!("cannot open a session: {other:?}"),
        }
    }
    for n in 0..MAX_PER_CLIENT {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let session = &sessions[n % 2];
        let ev = event(i, n);
        match c.call("POST", &format!("/v1/sessions/{session}/events"), Some(&ev)) {
            Ok((200, v)) => {
                assert_eq!(v["replayed"], false);
                acks.lock().unwrap().push(Ack {
                    session: session.clone(),
                    event_id: ev["id"].as_str().unwrap().to_string(),
                    seq: v["seq"].as_i64().unwrap(),
                    verdict: v["verdict"].clone(),
                });
                count.fetch_add(1, Ordering::Relaxed);
            }
            Ok((status, v)) => panic!("unexpected answer {status}: {v}"),
            // The server died under us: whatever was not acknowledged may be lost.
            Err(_) => return,
        }
    }
}

#[test]
fn kill_9_under_load_loses_no_acknowledged_event() {
    // The default: events acknowledged once in the journal, applied to SQLite afterwards.
    kill_9_under_load(&[]);
}

#[test]
fn kill_9_under_load_loses_no_acknowledged_event_without_the_journal() {
    kill_9_under_load(&["--journal=false"]);
}

fn kill_9_under_load(extra: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let key = create_key(dir.path());
    let mut server = start(dir.path(), extra);
    let addr = server.addr;

    let acks = Arc::new(Mutex::new(Vec::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let threads: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let (key, acks, count, stop) = (key.clone(), acks.clone(), count.clone(), stop.clone());
            std::thread::spawn(move || client(i, addr, key, acks, count, stop))
        })
        .collect();

    let started = Instant::now();
    while count.load(Ordering::Relaxed) < KILL_AFTER_ACKS && started.elapsed() < KILL_AFTER {
        std::thread::sleep(Duration::from_millis(5));
    }
    // SIGKILL: no shutdown hook, no final commit, no WAL checkpoint.
    server.child.kill().expect("kill -9");
    server.child.wait().unwrap();
    let in_flight = count.load(Ordering::Relaxed);
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().expect("a client failed");
    }
    let acks = acks.lock().unwrap().clone();
    eprintln!(
        "killed after {:?} with {} events acknowledged ({in_flight} when the kill was sent)",
        started.elapsed(),
        acks.len()
    );
    assert!(
        acks.len() >= 50,
        "the load ran before the kill: {} acks",
        acks.len()
    );

    let server = start(dir.path(), extra);
    let addr = server.addr;
    let mut c = Client::connect(addr, &key).unwrap();
    let mut sessions: Vec<&str> = acks.iter().map(|a| a.session.as_str()).collect();
    sessions.sort_unstable();
    sessions.dedup();
    let mut checked = 0;
    for s in sessions {
        let (status, tl) = c.call("GET", &format!("/v1/sessions/{s}"), None).unwrap();
        assert_eq!(status, 200, "session {s} is gone: {tl}");
        let events = tl["events"].as_array().unwrap();
        for a in acks.iter().filter(|a| a.session == s) {
            let stored = events
                .iter()
                .find(|e| e["id"] == a.event_id.as_str())
                .unwrap_or_else(|| panic!("acknowledged event {} of {s} was lost", a.event_id));
            assert_eq!(stored["seq"], a.seq, "{}", a.event_id);
            assert_eq!(
                stored["verdict"], a.verdict,
                "{} changed its verdict",
                a.event_id
            );
            checked += 1;
        }
        // Sequence numbers have no holes: nothing half-written survived either.
        for (i, e) in events.iter().enumerate() {
            assert_eq!(e["seq"], i as i64, "{s}");
        }
    }
    assert_eq!(checked, acks.len());

    // Replays after the restart are answered from the store, unchanged; the sessions go on.
    for a in acks.iter().rev().take(20) {
        let n: usize = a.event_id.rsplit('-').next().unwrap().parse().unwrap();
        let client_no: usize = a.event_id[1..].split('-').next().unwrap().parse().unwrap();
        let (status, v) = c
            .call(
                "POST",
                &format!("/v1/sessions/{}/events", a.session),
                Some(&event(client_no, n)),
            )
            .unwrap();
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["replayed"], true, "{v}");
        assert_eq!(v["verdict"], a.verdict);
    }
    let s = &acks[0].session;
    let (status, v) = c
        .call(
            "POST",
            &format!("/v1/sessions/{s}/events"),
            Some(&json!({"type": "call_ended"})),
        )
        .unwrap();
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        v["verdict"]["action"], "block",
        "the session's state came back"
    );
}
