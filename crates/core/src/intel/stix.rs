//! Evidence export: a campaign as a STIX 2.1 bundle, and as CSV.
//!
//! The bundle holds the producer (`identity`), the `campaign`, one `indicator` with a STIX
//! pattern for each exportable indicator, an `indicates` `relationship` from each indicator
//! to the campaign, and a `sighting` of each indicator with the number of sessions that named
//! it and when. Domains and hosts use the standard `domain-name`, `ipv4-addr` and `ipv6-addr`
//! objects; phone numbers, bank accounts and meeting rooms have no standard cyber-observable
//! in STIX 2.1, so they use custom objects named under `x-scamguard-`. Caller-handle hashes
//! and text bands are keyed to this operator and mean nothing elsewhere: they are counted in
//! the campaign's description and listed in the CSV, not exported as indicators.
//!
//! Object ids are derived from the campaign's and the indicator's names, so exporting the same
//! campaign twice gives the same ids and a receiving platform can de-duplicate.

use super::indicator::IndicatorKind;
use super::summary::{rfc3339, CampaignIndicator, CampaignSummary};
use serde_json::{json, Value};
use uuid::Uuid;

/// The namespace of scamguard's STIX ids.
const NAMESPACE: Uuid = Uuid::from_u128(0x4a1c_52f0_9d3e_5b6a_8e21_6c0f_3d7b_91e4);

/// A STIX id derived from a name: the bits of a name-based UUID, laid out as a version 4 UUID
/// (what STIX recommends for domain objects), so the same name always gives the same id.
fn stix_id(kind: &str, name: &str) -> String {
    let bytes = *Uuid::new_v5(&NAMESPACE, name.as_bytes()).as_bytes();
    format!(
        "{kind}--{}",
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    )
}

/// A STIX string literal: quotes and backslashes escaped.
fn literal(v: &str) -> String {
    format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The STIX pattern for an indicator, or `None` for kinds that are not exported.
pub fn pattern(kind: IndicatorKind, value: &str) -> Option<String> {
    let v = literal(value);
    Some(match kind {
        IndicatorKind::Domain | IndicatorKind::DownloadHost => {
            match value.parse::<std::net::IpAddr>() {
                Ok(std::net::IpAddr::V4(_)) => format!("[ipv4-addr:value = {v}]"),
                Ok(std::net::IpAddr::V6(_)) => format!("[ipv6-addr:value = {v}]"),
                Err(_) => format!("[domain-name:value = {v}]"),
            }
        }
        IndicatorKind::CallbackNumber => format!("[x-scamguard-phone-number:value = {v}]"),
        IndicatorKind::BankAccount => {
            format!("[x-scamguard-bank-account:account_number = {v}]")
        }
        IndicatorKind::MeetingId => format!("[x-scamguard-meeting-room:room_id = {v}]"),
        IndicatorKind::CallerHandle | IndicatorKind::Text => return None,
    })
}

fn indicator_description(kind: IndicatorKind) -> &'static str {
    match kind {
        IndicatorKind::CallbackNumber => "A phone number the callers told victims to call or add",
        IndicatorKind::BankAccount => "An account the callers told victims to transfer money to",
        IndicatorKind::Domain => {
            "The registrable domain of links the callers sent or victims opened"
        }
        IndicatorKind::MeetingId => "A meeting room the callers moved victims into",
        IndicatorKind::DownloadHost => "A host that served apps installed outside a store",
        IndicatorKind::CallerHandle | IndicatorKind::Text => "",
    }
}

fn indicator_name(kind: IndicatorKind, value: &str) -> String {
    let what = match kind {
        IndicatorKind::CallbackNumber => "Call-back number",
        IndicatorKind::BankAccount => "Bank account for transfers",
        IndicatorKind::Domain => "Link domain",
        IndicatorKind::MeetingId => "Meeting room",
        IndicatorKind::DownloadHost => "App download host",
        IndicatorKind::CallerHandle => "Caller handle (keyed hash)",
        IndicatorKind::Text => "Script text band",
    };
    format!("{what} {value}")
}

/// The campaign as a STIX 2.1 bundle, made at `now` (Unix ms).
pub fn bundle(c: &CampaignSummary, indicators: &[CampaignIndicator], now: i64) -> Value {
    let created = rfc3339(c.first_seen.min(now));
    let modified = rfc3339(now.max(c.first_seen));
    let producer = stix_id("identity", "scamguard");
    let campaign_id = stix_id("campaign", &c.id);
    let handles = indicators
        .iter()
        .filter(|i| i.kind == IndicatorKind::CallerHandle)
        .count();
    let mut description = format!(
        "{} sessions, {} reports, {} caller handles ({} indexed), first seen {}, last seen {}.",
        c.sessions,
        c.reports,
        c.handles,
        handles,
        rfc3339(c.first_seen),
        rfc3339(c.last_seen)
    );
    if !c.claims.is_empty() {
        description.push_str(&format!(" Claimed identities: {}.", c.claims.join(", ")));
    }
    if !c.scripts.is_empty() {
        description.push_str(&format!(" Script stages: {}.", c.scripts.join(", ")));
    }
    let mut objects = vec![
        json!({
            "type": "identity", "spec_version": "2.1", "id": producer,
            "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
            "name": "scamguard", "identity_class": "system",
            "description": "Campaigns of impersonation scams joined from flagged and reported calls and messages"
        }),
        json!({
            "type": "campaign", "spec_version": "2.1", "id": campaign_id,
            "created_by_ref": producer, "created": created, "modified": modified,
            "name": format!("scamguard campaign {}", c.id),
            "description": description,
            "first_seen": rfc3339(c.first_seen), "last_seen": rfc3339(c.last_seen.max(c.first_seen)),
            "objective": "Impersonation fraud: move victims' money to accounts the ring controls"
        }),
    ];
    for i in indicators {
        let Some(p) = pattern(i.kind, &i.value) else {
            continue;
        };
        let key = format!("{}|{}:{}", c.id, i.kind.as_str(), i.value);
        let ind_id = stix_id("indicator", &key);
        objects.push(json!({
            "type": "indicator", "spec_version": "2.1", "id": ind_id,
            "created_by_ref": producer, "created": created, "modified": modified,
            "name": indicator_name(i.kind, &i.value),
            "description": indicator_description(i.kind),
            "indicator_types": ["malicious-activity"],
            "pattern": p, "pattern_type": "stix", "pattern_version": "2.1",
            "valid_from": rfc3339(i.first_seen)
        }));
        objects.push(json!({
            "type": "relationship", "spec_version": "2.1",
            "id": stix_id("relationship", &format!("{key}|indicates")),
            "created_by_ref": producer, "created": created, "modified": modified,
            "relationship_type": "indicates", "source_ref": ind_id, "target_ref": campaign_id
        }));
        objects.push(json!({
            "type": "sighting", "spec_version": "2.1",
            "id": stix_id("sighting", &format!("{key}|sighting")),
            "created_by_ref": producer, "created": created, "modified": modified,
            "sighting_of_ref": ind_id, "count": i.sessions.min(999_999_999),
            "first_seen": rfc3339(i.first_seen), "last_seen": rfc3339(i.last_seen.max(i.first_seen)),
            "where_sighted_refs": [producer]
        }));
    }
    json!({
        "type": "bundle",
        "id": stix_id("bundle", &format!("{}|{}", c.id, now)),
        "objects": objects
    })
}

/// The CSV header.
pub const CSV_HEADER: &str = "campaign_id,kind,value,sessions,first_seen,last_seen";

/// The campaign's indicators as CSV (RFC 4180, with a header row). Cells a spreadsheet would
/// run as a formula (starting `=`, `+`, `-`, `@`) are prefixed with `'`.
pub fn csv(c: &CampaignSummary, indicators: &[CampaignIndicator]) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for i in indicators {
        let row = [
            c.id.clone(),
            i.kind.as_str().to_string(),
            i.value.clone(),
            i.sessions.to_string(),
            rfc3339(i.first_seen),
            rfc3339(i.last_seen),
        ];
        let cells: Vec<String> = row.iter().map(|s| csv_cell(s)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intel::summary::{CampaignStatus, DailyCount};

    fn sample() -> (CampaignSummary, Vec<CampaignIndicator>) {
        let c = CampaignSummary {
            id: "cmp_7".into(),
            status: CampaignStatus::Reported,
            first_seen: 1_800_000_000_000,
            last_seen: 1_800_090_000_000,
            sessions: 5,
            reports: 3,
            handles: 2,
            scripts: vec!["script_safe_account".into()],
            claims: vec!["cn_police".into()],
            daily: vec![DailyCount {
                day: "2027-01-15".into(),
                sessions: 5,
            }],
        };
        let ind = |kind, value: &str, n| CampaignIndicator {
            kind,
            value: value.into(),
            sessions: n,
            first_seen: 1_800_000_000_000,
            last_seen: 1_800_050_000_000,
        };
        let inds = vec![
            ind(IndicatorKind::BankAccount, "6222021234567890123", 5),
            ind(IndicatorKind::Domain, "icbc-verify.top", 2),
            ind(IndicatorKind::DownloadHost, "1.2.3.4", 1),
            ind(IndicatorKind::CallerHandle, "abc123", 3),
            ind(IndicatorKind::Text, "b01:00ff", 4),
            ind(IndicatorKind::Domain, "o'brien.top", 1),
        ];
        (c, inds)
    }

    #[test]
    fn the_bundle_links_indicators_sightings_and_the_campaign() {
        let (c, inds) = sample();
        let b = bundle(&c, &inds, 1_800_100_000_000);
        let objs = b["objects"].as_array().unwrap();
        let count = |t: &str| objs.iter().filter(|o| o["type"] == t).count();
        assert_eq!(count("campaign"), 1);
        // Handle hashes and text bands are not exported.
        assert_eq!(count("indicator"), 4);
        assert_eq!(count("relationship"), 4);
        assert_eq!(count("sighting"), 4);
        let campaign = objs.iter().find(|o| o["type"] == "campaign").unwrap();
        for r in objs.iter().filter(|o| o["type"] == "relationship") {
            assert_eq!(r["target_ref"], campaign["id"]);
            assert!(objs
                .iter()
                .any(|o| o["id"] == r["source_ref"] && o["type"] == "indicator"));
        }
        let patterns: Vec<&str> = objs.iter().filter_map(|o| o["pattern"].as_str()).collect();
        assert!(
            patterns.contains(&"[x-scamguard-bank-account:account_number = '6222021234567890123']")
        );
        assert!(patterns.contains(&"[ipv4-addr:value = '1.2.3.4']"));
        assert!(
            patterns.contains(&"[domain-name:value = 'o\\'brien.top']"),
            "{patterns:?}"
        );
        let s = objs.iter().find(|o| o["type"] == "sighting").unwrap();
        assert_eq!(s["count"], 5);
        assert_eq!(campaign["first_seen"], "2027-01-15T08:00:00.000Z");
        // Same campaign, same ids.
        let again = bundle(&c, &inds, 1_800_200_000_000);
        assert_eq!(again["objects"][1]["id"], campaign["id"]);
    }

    #[test]
    fn csv_lists_every_indicator_and_defuses_formulas() {
        let (c, mut inds) = sample();
        inds.push(CampaignIndicator {
            kind: IndicatorKind::Domain,
            value: "=HYPERLINK(\"x\",\"y\")".into(),
            sessions: 1,
            first_seen: 0,
            last_seen: 0,
        });
        let text = csv(&c, &inds);
        let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines[0], CSV_HEADER);
        assert_eq!(lines.len(), 1 + inds.len());
        assert!(lines[1]
            .starts_with("cmp_7,bank_account,6222021234567890123,5,2027-01-15T08:00:00.000Z"));
        assert!(
            lines
                .last()
                .unwrap()
                .contains("\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""),
            "{text}"
        );
    }
}
