//! Slow and idle clients on a real socket (issue 14, item 10): a client that drip-feeds its
//! headers or leaves a keep-alive connection idle is disconnected after the header-read
//! timeout, and a body shorter than its Content-Length is answered 400 `incomplete_body`
//! after the body-read timeout instead of 503 once the request times out.
//!
//! The server's timeouts are set to a second or less and each test waits at most
//! [`PATIENCE`] for what should happen: the bound only keeps a regression from hanging.

use scamguard_server::testing::{self, TestApp};
use scamguard_server::ServerConfig;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Far longer than any timeout configured here, far shorter than the request timeout.
const PATIENCE: Duration = Duration::from_secs(20);

/// A server on a loopback port with short connection timeouts; stops when dropped.
struct Running {
    addr: SocketAddr,
    app: TestApp,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Running {
    async fn start() -> Running {
        let app = TestApp::start(ServerConfig {
            header_read_timeout: Duration::from_millis(800),
            body_read_timeout: Duration::from_millis(300),
            // Far beyond PATIENCE: a 503 timeout would mean the body was waited for.
            request_timeout: Duration::from_secs(60),
            ..testing::config()
        })
        .await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(scamguard_server::serve(
            listener,
            app.state.clone(),
            async move {
                let _ = stopped.await;
            },
        ));
        Running {
            addr,
            app,
            stop: Some(stop),
            task: Some(task),
        }
    }

    async fn connect(&self) -> TcpStream {
        TcpStream::connect(self.addr).await.unwrap()
    }

    async fn shutdown(mut self) {
        let _ = self.stop.take().unwrap().send(());
        let done = tokio::time::timeout(PATIENCE, self.task.take().unwrap()).await;
        done.expect("the server stops").unwrap().unwrap();
    }
}

/// Reads one answer: status line, headers, and a Content-Length body.
async fn read_answer(stream: &mut TcpStream) -> (u16, String) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "the connection closed before an answer: {buf:?}");
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let status: u16 = head[9..12].parse().unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().unwrap())
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "the connection closed inside the body");
        buf.extend_from_slice(&chunk[..n]);
    }
    (
        status,
        String::from_utf8_lossy(&buf[head_end..head_end + length]).to_string(),
    )
}

/// Waits for the server to close `stream`: true when it did within [`PATIENCE`].
async fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut rest = Vec::new();
    match tokio::time::timeout(PATIENCE, stream.read_to_end(&mut rest)).await {
        Ok(Ok(_)) => true,
        // A reset is a close too.
        Ok(Err(_)) => true,
        Err(_) => false,
    }
}

#[tokio::test]
async fn headers_sent_too_slowly_close_the_connection() {
    let server = Running::start().await;
    // A connection that never says anything, not even which HTTP version it speaks.
    let mut silent = server.connect().await;
    assert!(closed_by_server(&mut silent).await, "a silent connection");
    // Fewer bytes than the HTTP/2 preface, then nothing.
    let mut short = server.connect().await;
    short.write_all(b"GET / HTT").await.unwrap();
    assert!(
        closed_by_server(&mut short).await,
        "a few bytes, then silence"
    );

    // Half a request's headers, then nothing.
    let mut quiet = server.connect().await;
    quiet
        .write_all(b"POST /v1/messages/scan HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .unwrap();
    assert!(closed_by_server(&mut quiet).await, "a stalled header");

    // A header drip-fed a byte at a time never completes, so the timeout still applies.
    let stream = server.connect().await;
    let (mut reader, mut writer) = stream.into_split();
    let drip = tokio::spawn(async move {
        let mut line = b"GET /healthz HTTP/1.1\r\nX-Drip: ".to_vec();
        line.extend(std::iter::repeat_n(b'a', 10_000));
        for b in line {
            if writer.write_all(&[b]).await.is_err() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    });
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(PATIENCE, reader.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "a drip-fed header is cut off");
    drip.abort();
    server.shutdown().await;
}

#[tokio::test]
async fn idle_keep_alive_connections_are_closed() {
    let server = Running::start().await;
    let mut stream = server.connect().await;
    // Two requests on one connection within the timeout are both answered.
    for _ in 0..2 {
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .await
            .unwrap();
        let (status, _) = read_answer(&mut stream).await;
        assert_eq!(status, 200);
    }
    // Then the connection sits idle, and the server closes it.
    assert!(
        closed_by_server(&mut stream).await,
        "an idle keep-alive connection"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_body_shorter_than_its_length_gets_400_naming_the_body() {
    let server = Running::start().await;
    let mut stream = server.connect().await;
    let request = format!(
        "POST /v1/messages/scan HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"text\": ",
        server.app.scan
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let answer = tokio::time::timeout(PATIENCE, read_answer(&mut stream)).await;
    let (status, body) = answer.expect("an answer before the request timeout");
    assert_eq!(status, 400, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["error"]["code"], "incomplete_body", "{body}");
    assert_eq!(json["error"]["field"], "body", "{body}");

    // A whole body on the same kind of connection is served as usual.
    let mut stream = server.connect().await;
    let body = r#"{"text": "hello"}"#;
    let request = format!(
        "POST /v1/messages/scan HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        server.app.scan,
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let (status, answer) = read_answer(&mut stream).await;
    assert_eq!(status, 200, "{answer}");
    server.shutdown().await;
}
