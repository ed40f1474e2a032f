//! What `scamguard serve` tells whoever starts it (issue 15 item 12): where the console is,
//! and, while no admin key exists, the exact command that makes one for this data directory;
//! the console's login page gives the same command.

mod common;

use common::{http, ok, Server};

const HINT: &str = "scamguard keys create --scope admin --data-dir data";

#[test]
fn serve_says_where_the_console_is_and_how_to_make_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let args = ["--data-dir", "data", "--console-login", "--rate-limit", "0"];
    let server = Server::start(d, &args);
    let console = format!("console at http://127.0.0.1:{}/", server.addr.port());
    // The lines after "listening on" may still be on their way.
    let mut lines = server.stderr();
    for _ in 0..100 {
        if lines.iter().any(|l| l.contains(HINT)) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        lines = server.stderr();
    }
    assert!(lines.iter().any(|l| l.contains(&console)), "{lines:#?}");
    let hint = lines
        .iter()
        .find(|l| l.contains("no admin API key yet"))
        .unwrap_or_else(|| panic!("{lines:#?}"));
    assert!(hint.contains(&format!("`{HINT}`")), "{hint}");
    let (status, page) = http(server.addr, "GET", "/login", "", None);
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains(HINT),
        "the login page gives the command: {page}"
    );
    drop(server);

    // The hint works as printed; then there is nothing to hint.
    let words: Vec<&str> = HINT.split(' ').skip(1).collect();
    let key = ok(d, &words);
    assert!(key.trim().starts_with("sg_"), "{key}");
    let server = Server::start(d, &args);
    std::thread::sleep(std::time::Duration::from_millis(500));
    let lines = server.stderr();
    assert!(
        lines.iter().any(|l| l.contains("console at ")),
        "{lines:#?}"
    );
    assert!(
        !lines.iter().any(|l| l.contains("no admin API key yet")),
        "{lines:#?}"
    );
}
