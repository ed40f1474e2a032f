//! With text retention off, no path, query, fragment or credentials of a link a sender wrote
//! or a user opened survives anywhere the service keeps or shows things: the verdicts and
//! session state in the database, the journal's segments, the audit records of scans, the
//! API's timelines and audit pages, and the console. The link's host does, since the
//! verdict's explanation names it.
//!
//! End to end: requests through the API, then every byte the service wrote — the SQLite
//! database (its compressed columns unpacked) and the journal — or, when
//! `SCAMGUARD_TEST_POSTGRES_URL` names a server, every row of every table of a fresh database.

use axum::http::StatusCode;
use scamguard_server::testing::{self, Options, TestApp};
use serde_json::json;
use std::path::Path;

#[path = "../../store/tests/common/mod.rs"]
mod pg;

/// Parts of links that must not be kept: tokens, phone and card numbers, credentials, paths.
const SECRETS: [&str; 12] = [
    "s3cretTok",
    "13800001111",
    "hunter2",
    "6222020200112233445",
    "frag-k7",
    "auth/7731",
    "claim/8841",
    "Ab7Qx9",
    "refund-9920",
    "otp=482913",
    "uid=55119",
    "pay.php",
];
/// The hosts, which are kept.
const HOSTS: [&str; 3] = ["etc-rzzx.cc", "pay-safe.top", "t.cn"];

/// A session with links in message, speech and OTP text and in opened links, plus a message
/// scan and a URL scan; returns every text the API and the console answered afterwards.
async fn exercise(t: &TestApp) -> Vec<(String, String)> {
    let r = t
        .post(
            "/v1/sessions",
            &t.scan,
            json!({"channel": "message", "locale": "zh-Hans",
                   "from": {"handle": "+86 165 1234 0091", "display_name": "ETC服务中心"},
                   "events": [
                     {"type": "message", "direction": "in",
                      "text": "您的ETC已失效，请登录 https://etc-rzzx.cc/auth/7731?token=s3cretTok&phone=13800001111#frag-k7 认证"},
                     {"type": "link_opened",
                      "url": "https://alice:hunter2@pay-safe.top/claim/8841?card=6222020200112233445"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let id = r.body["session_id"].as_str().unwrap().to_string();
    for event in [
        json!({"type": "message", "direction": "in",
               "text": "退款请访问 pay-safe.top/refund-9920/pay.php?uid=55119 办理"}),
        json!({"type": "otp_received", "text": "【银行】验证码 482913，详见 http://t.cn/Ab7Qx9?otp=482913"}),
        json!({"type": "link_opened", "url": "http://t.cn/Ab7Qx9"}),
    ] {
        let r = t
            .post(&format!("/v1/sessions/{id}/events"), &t.scan, event)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    let call = t
        .post(
            "/v1/sessions",
            &t.scan,
            json!({"channel": "video_call", "locale": "zh-Hans",
                   "from": {"handle": "+86 171 0000 1234", "display_name": "公安局"},
                   "events": [{"type": "speech", "speaker": "remote",
                               "text": "打开 www.etc-rzzx.cc/auth/7731?token=s3cretTok 配合调查"}]}),
        )
        .await;
    assert_eq!(call.status, StatusCode::OK, "{}", call.text);
    let call_id = call.body["session_id"].as_str().unwrap().to_string();
    let r = t
        .post(
            "/v1/messages/scan",
            &t.scan,
            json!({"text": "【ETC】点击 https://etc-rzzx.cc/auth/7731?token=s3cretTok 重新认证"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = t
        .post(
            "/v1/urls/scan",
            &t.scan,
            json!({"urls": ["https://alice:hunter2@pay-safe.top/claim/8841?card=6222020200112233445#frag-k7"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    let mut shown = Vec::new();
    for (path, key) in [
        (format!("/v1/sessions/{id}"), &t.scan),
        (format!("/v1/sessions/{call_id}"), &t.scan),
        ("/v1/admin/audit".to_string(), &t.admin),
        ("/v1/admin/sessions".to_string(), &t.admin),
    ] {
        let r = t.get(&path, Some(key)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
        shown.push((path, r.text));
    }
    for path in [
        format!("/sessions/{id}"),
        format!("/sessions/{call_id}"),
        "/".to_string(),
        "/audit".to_string(),
    ] {
        let r = t.get_with(&path, &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
        shown.push((path, r.text));
    }
    shown
}

fn assert_no_secrets(place: &str, text: &str) {
    for secret in SECRETS {
        assert!(
            !text.contains(secret),
            "{secret} kept in {place}: …{}…",
            around(text, secret)
        );
    }
}

/// A little of `text` around `needle`, for the failure message.
fn around(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap_or(0);
    let start = text[..at]
        .chars()
        .rev()
        .take(80)
        .map(char::len_utf8)
        .sum::<usize>();
    text[at - start..].chars().take(160).collect()
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Every value of every row of every table of the SQLite database, as text; compressed
/// columns (`\0lz4`, the text's length, an LZ4 block) unpacked.
async fn sqlite_dump(db: &Path) -> String {
    use sqlx::{Connection, Row, ValueRef};
    let url = format!("sqlite://{}?mode=ro", db.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    let mut out = String::new();
    for table in tables {
        let sql = format!("SELECT * FROM \"{table}\"");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut conn)
            .await
            .unwrap();
        for row in rows {
            for (i, _) in row.columns().iter().enumerate() {
                if row.try_get_raw(i).unwrap().is_null() {
                    continue;
                }
                let bytes: Vec<u8> = match row.try_get::<Vec<u8>, _>(i) {
                    Ok(b) => b,
                    Err(_) => match row.try_get::<String, _>(i) {
                        Ok(s) => s.into_bytes(),
                        Err(_) => continue, // numbers
                    },
                };
                let text = match bytes.strip_prefix(b"\0lz4") {
                    Some(rest) => {
                        let len = u32::from_le_bytes(rest[..4].try_into().unwrap()) as usize;
                        lz4_flex::block::decompress(&rest[4..], len).unwrap()
                    }
                    None => bytes,
                };
                out.push_str(&String::from_utf8_lossy(&text));
                out.push('\n');
            }
        }
    }
    out
}

#[tokio::test]
async fn no_link_path_or_query_is_kept_on_sqlite_or_in_the_journal() {
    let t = TestApp::with(Options {
        journal: true,
        ..Options::default()
    })
    .await;
    assert!(!t.state.config().retain_text);
    let shown = exercise(&t).await;
    for (place, text) in &shown {
        assert_no_secrets(place, text);
    }
    // The hosts are kept and shown: the console's session page names them.
    let page = &shown
        .iter()
        .find(|(p, _)| p.starts_with("/sessions/"))
        .unwrap()
        .1;
    for host in ["etc-rzzx.cc", "pay-safe.top"] {
        assert!(page.contains(host), "{host} on the session page");
    }
    // The journal before it is applied, then the database after.
    let journal = t.dir.path().join(scamguard_store::JOURNAL_DIR);
    let mut segments = 0;
    for file in files(&journal) {
        let bytes = std::fs::read(&file).unwrap();
        segments += usize::from(!bytes.is_empty());
        assert_no_secrets(
            &file.display().to_string(),
            &String::from_utf8_lossy(&bytes),
        );
    }
    assert!(segments > 0, "the journal was written");
    t.state.shutdown().await;
    for file in files(t.dir.path()) {
        let bytes = std::fs::read(&file).unwrap();
        assert_no_secrets(
            &file.display().to_string(),
            &String::from_utf8_lossy(&bytes),
        );
    }
    let dump = sqlite_dump(&t.dir.path().join(scamguard_store::DB_FILE)).await;
    assert_no_secrets("the database", &dump);
    for host in HOSTS {
        assert!(dump.contains(host), "{host} in the database");
    }
}

#[tokio::test]
async fn no_link_path_or_query_is_kept_on_postgres() {
    let Some(url) = pg::postgres_url("no_link_path_or_query_is_kept_on_postgres") else {
        return;
    };
    use sqlx::Connection as _;
    let database = pg::fresh_postgres_database(&url, "sg_links").await;
    let t = TestApp::with(Options {
        config: Some(testing::config()),
        database_url: Some(database.clone()),
        ..Options::default()
    })
    .await;
    for (place, text) in exercise(&t).await {
        assert_no_secrets(&place, &text);
    }
    t.state.shutdown().await;
    let mut conn = sqlx::PgConnection::connect(&database).await.unwrap();
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    let mut dump = String::new();
    for table in tables {
        let sql = format!("SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM \"{table}\" t");
        let rows: String = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(&mut conn)
            .await
            .unwrap();
        dump.push_str(&rows);
    }
    assert_no_secrets("the PostgreSQL database", &dump);
    for host in HOSTS {
        assert!(dump.contains(host), "{host} in the database");
    }
    drop(conn);
    let mut admin = sqlx::PgConnection::connect(&url).await.unwrap();
    let name = database.rsplit_once('/').unwrap().1;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await
    .unwrap();
}
