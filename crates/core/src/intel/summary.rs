//! What an analyst reads about a campaign: the figures the store aggregates, in one shape for
//! the API, the console and the exports.

use super::indicator::IndicatorKind;
use serde::Serialize;

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// How far an analyst or the crowd has taken a campaign.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    /// Flagged sessions only.
    Open,
    /// At least one of its sessions was reported by a recipient, or one of its handles is
    /// reported.
    Reported,
    /// An analyst confirmed one of its handles as fraud.
    Confirmed,
}

impl CampaignStatus {
    /// Whether a session joining it raises `known_campaign`.
    pub fn is_known(self) -> bool {
        !matches!(self, CampaignStatus::Open)
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Open => "open",
            CampaignStatus::Reported => "reported",
            CampaignStatus::Confirmed => "confirmed",
        }
    }
}

/// Sessions on one day.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DailyCount {
    /// The day, `YYYY-MM-DD` (UTC).
    pub day: String,
    /// Sessions that joined on that day.
    pub sessions: u64,
}

/// A campaign's figures.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignSummary {
    /// `cmp_` and its number.
    pub id: String,
    /// Where it stands.
    pub status: CampaignStatus,
    /// Its first session (Unix ms).
    pub first_seen: i64,
    /// Its latest session (Unix ms).
    pub last_seen: i64,
    /// Member sessions.
    pub sessions: u64,
    /// Reports filed on its sessions.
    pub reports: u64,
    /// Distinct caller handles.
    pub handles: u64,
    /// The script stages its sessions used (signal codes), most frequent first.
    pub scripts: Vec<String>,
    /// The identities its callers claimed (lexicon ids), most frequent first.
    pub claims: Vec<String>,
    /// Sessions per day, oldest first.
    pub daily: Vec<DailyCount>,
}

/// One of a campaign's indicators with how often its sessions named it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignIndicator {
    /// What it is.
    pub kind: IndicatorKind,
    /// Its value (a keyed hash for caller handles).
    pub value: String,
    /// Member sessions that named it.
    pub sessions: u64,
    /// First named (Unix ms).
    pub first_seen: i64,
    /// Last named (Unix ms).
    pub last_seen: i64,
}

/// `YYYY-MM-DD` of a Unix time in ms (UTC).
pub fn day_of(ms: i64) -> String {
    let (y, m, d) = civil(ms.div_euclid(DAY_MS));
    format!("{y:04}-{m:02}-{d:02}")
}

/// RFC 3339 with milliseconds (UTC), as STIX wants it: `2026-12-06T08:30:00.000Z`.
pub fn rfc3339(ms: i64) -> String {
    let days = ms.div_euclid(DAY_MS);
    let rest = ms.rem_euclid(DAY_MS);
    let (y, m, d) = civil(days);
    let (h, min, s, milli) = (
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000,
    );
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{milli:03}Z")
}

/// Year, month and day of a count of days since 1970-01-01 (the proleptic Gregorian
/// calendar; the algorithm is the well-known one of converting days to a civil date via 400-year
/// eras).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(day_of(0), "1970-01-01");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        // 2024-02-29T12:34:56.789Z
        assert_eq!(rfc3339(1_709_210_096_789), "2024-02-29T12:34:56.789Z");
        assert_eq!(day_of(1_709_210_096_789), "2024-02-29");
        assert_eq!(day_of(-1), "1969-12-31");
        assert_eq!(rfc3339(1_800_000_000_000), "2027-01-15T08:00:00.000Z");
    }
}
