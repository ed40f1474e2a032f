//! Time as the store keeps it (Unix milliseconds) and as people read and type it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Now, in Unix milliseconds: the time unit of every stored column.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Unix milliseconds as `YYYY-MM-DD HH:MM:SS` in UTC (seconds, no zone letter), the one
/// format the command line and the console print times in. Times before 1970 print as
/// 1970-01-01 00:00:00.
pub fn utc(ms: i64) -> String {
    let t = UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0));
    let rfc = humantime::format_rfc3339_seconds(t).to_string();
    // 2026-11-25T17:11:18Z
    rfc.trim_end_matches('Z').replacen('T', " ", 1)
}

/// A duration as people type it: `90d`, `12h`, `30min`, `0s`, `2w` (see the humantime
/// crate for every unit). The error says what was expected.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text.trim())
        .map_err(|e| format!("{text:?} is not a duration like 90d, 12h or 0s: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_print_in_utc() {
        assert_eq!(utc(0), "1970-01-01 00:00:00");
        assert_eq!(utc(1_795_626_678_424), "2026-11-25 17:11:18");
        assert_eq!(utc(951_782_400_000), "2000-02-29 00:00:00");
        assert_eq!(utc(-5), "1970-01-01 00:00:00");
    }

    #[test]
    fn durations_parse_as_typed() {
        assert_eq!(parse_duration("90d"), Ok(Duration::from_secs(90 * 86_400)));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
        assert_eq!(parse_duration(" 12h "), Ok(Duration::from_secs(12 * 3600)));
        assert!(parse_duration("ninety").unwrap_err().contains("like 90d"));
    }
}
