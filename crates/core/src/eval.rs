//! Evaluation: reading labelled datasets and measuring verdicts against their labels.
//!
//! Datasets are JSON Lines with `text`, `label` and `split` (the `../shared/datasets` format).
//! Message labels are `ham`, `spam` and `scam`; URL and domain labels are `benign` (or
//! `legitimate`) against `phishing`, `malicious` or `scam`. A record may give a `host` instead of
//! a `text` (as `bench/data/crypto_domains.jsonl` does): it is then a domain. Display names labelled `impersonation` or `genuine` are
//! measured by [`names`].

pub mod names;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One labelled record.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "RawRecord")]
pub struct Record {
    /// The message, URL or domain.
    pub text: String,
    /// The gold label.
    pub label: String,
    /// `train`, `dev` or `test`.
    #[serde(default)]
    pub split: String,
    /// `zh`, `en`, `url`, `domain`, ...
    #[serde(default)]
    pub lang: String,
    /// Record id.
    #[serde(default)]
    pub id: String,
}

/// A record as written: a `text`, or a `host` that makes it a domain record.
#[derive(Deserialize)]
struct RawRecord {
    text: Option<String>,
    host: Option<String>,
    label: String,
    #[serde(default)]
    split: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    id: String,
}

impl TryFrom<RawRecord> for Record {
    type Error = String;

    fn try_from(r: RawRecord) -> Result<Self, Self::Error> {
        let (text, lang) = match (r.text, r.host) {
            (Some(text), None) => (text, r.lang),
            (None, Some(host)) if r.lang.is_empty() || r.lang == "domain" => {
                (host, "domain".to_string())
            }
            (None, Some(_)) => {
                return Err(format!(
                    "a record with a `host` is a domain, not lang {:?}",
                    r.lang
                ))
            }
            (Some(_), Some(_)) => return Err("give `text` or `host`, not both".into()),
            (None, None) => return Err("missing field `text` (or `host`)".into()),
        };
        Ok(Record {
            text,
            label: r.label,
            split: r.split,
            lang,
            id: r.id,
        })
    }
}

/// What a dataset holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Text messages.
    Messages,
    /// Web addresses.
    Urls,
}

impl Record {
    /// Whether this record is a URL or domain rather than a message.
    pub fn kind(&self) -> Kind {
        if self.lang == "url" || self.lang == "domain" {
            Kind::Urls
        } else {
            Kind::Messages
        }
    }

    /// The label folded to the three message classes (URL labels map to ham or scam).
    pub fn class(&self) -> &'static str {
        match self.label.as_str() {
            "ham" | "benign" | "legitimate" | "normal" => "ham",
            "spam" => "spam",
            _ => "scam",
        }
    }
}

/// Width of the length buckets of [`length_matched`], in characters.
const LENGTH_BUCKET: usize = 10;

/// A subset of `records` (their indices, in order) in which ham and unwanted (spam or scam)
/// texts have the same length distribution: records are put in buckets of 10 characters and
/// each bucket keeps as many of each side as the smaller side has. Which records a bucket
/// keeps is decided by a hash of the record id (or text), so the subset is the same on every
/// run. Empty when either side is missing.
///
/// Why: in some sets the length alone leaks the label (the Chinese fraud set's scam scripts
/// are twice as long as its ham), and a classifier can score well by counting characters.
pub fn length_matched(records: &[Record]) -> Vec<usize> {
    /// (hash of the id, index) of the records of one side of a bucket.
    type Side = Vec<(u64, usize)>;
    let mut buckets: BTreeMap<usize, (Side, Side)> = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        let key = if r.id.is_empty() { &r.text } else { &r.id };
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in key.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        let e = buckets
            .entry(r.text.chars().count() / LENGTH_BUCKET)
            .or_default();
        if r.class() == "ham" {
            e.0.push((h, i));
        } else {
            e.1.push((h, i));
        }
    }
    let mut keep = Vec::new();
    for (_, (mut ham, mut unwanted)) in buckets {
        let k = ham.len().min(unwanted.len());
        ham.sort_unstable();
        unwanted.sort_unstable();
        keep.extend(ham[..k].iter().chain(&unwanted[..k]).map(|x| x.1));
    }
    keep.sort_unstable();
    keep
}

/// Counts for one positive class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Predicted positive, truly positive.
    pub tp: u64,
    /// Predicted positive, truly negative.
    pub fp: u64,
    /// Predicted negative, truly positive.
    pub fn_: u64,
    /// Predicted negative, truly negative.
    pub tn: u64,
}

impl Counts {
    /// Records one outcome.
    pub fn add(&mut self, predicted: bool, actual: bool) {
        match (predicted, actual) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }

    /// Precision, or `None` with no predicted positives.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Recall, or `None` with no actual positives.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// F1, or `None` when precision or recall is undefined.
    pub fn f1(&self) -> Option<f64> {
        let (p, r) = (self.precision()?, self.recall()?);
        Some(if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        })
    }

    /// False-positive rate, or `None` with no actual negatives.
    pub fn fpr(&self) -> Option<f64> {
        ratio(self.fp, self.fp + self.tn)
    }

    /// Actual positives.
    pub fn support(&self) -> u64 {
        self.tp + self.fn_
    }
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Results for one dataset file.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FileResult {
    /// Records evaluated.
    pub records: u64,
    /// Records per gold label.
    pub by_label: BTreeMap<String, u64>,
    /// Unwanted (spam or scam) against ham.
    pub unwanted: Counts,
    /// Per class (`spam`, `scam`): that class against everything else.
    pub classes: BTreeMap<String, Counts>,
    /// Fraction of ham records flagged (predicted spam or scam).
    pub ham_flagged: Option<f64>,
}

impl FileResult {
    /// Adds one record and its predicted class.
    pub fn add(&mut self, gold_label: &str, gold: &str, predicted: &str) {
        self.records += 1;
        *self.by_label.entry(gold_label.to_string()).or_default() += 1;
        self.unwanted.add(predicted != "ham", gold != "ham");
        for class in ["spam", "scam"] {
            self.classes
                .entry(class.to_string())
                .or_default()
                .add(predicted == class, gold == class);
        }
        self.ham_flagged = self.unwanted.fpr();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics() {
        let mut c = Counts::default();
        for (p, a) in [
            (true, true),
            (true, true),
            (true, false),
            (false, true),
            (false, false),
            (false, false),
        ] {
            c.add(p, a);
        }
        assert_eq!(c.precision(), Some(2.0 / 3.0));
        assert_eq!(c.recall(), Some(2.0 / 3.0));
        assert!((c.f1().unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(c.fpr(), Some(1.0 / 3.0));
        assert_eq!(Counts::default().f1(), None);
    }

    #[test]
    fn file_results() {
        let mut r = FileResult::default();
        r.add("ham", "ham", "ham");
        r.add("ham", "ham", "scam");
        r.add("scam", "scam", "scam");
        r.add("spam", "spam", "scam");
        assert_eq!(r.records, 4);
        assert_eq!(r.ham_flagged, Some(0.5));
        assert_eq!(r.classes["scam"].tp, 1);
        assert_eq!(r.classes["spam"].fn_, 1);
        assert_eq!(r.unwanted.tp, 2);
    }

    #[test]
    fn length_matching_balances_each_bucket() {
        let rec = |id: usize, label: &str, len: usize| Record {
            text: "x".repeat(len),
            label: label.to_string(),
            split: "test".into(),
            lang: "en".into(),
            id: format!("r{id}"),
        };
        let mut records = Vec::new();
        for i in 0..40 {
            records.push(rec(i, "ham", 5 + i % 20));
        }
        for i in 40..60 {
            records.push(rec(i, "scam", 12 + i % 30));
        }
        let keep = length_matched(&records);
        assert_eq!(keep, length_matched(&records), "deterministic");
        let mut per_bucket: BTreeMap<usize, (i32, i32)> = BTreeMap::new();
        for &i in &keep {
            let e = per_bucket
                .entry(records[i].text.len() / LENGTH_BUCKET)
                .or_default();
            if records[i].class() == "ham" {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
        assert!(per_bucket.values().all(|(h, u)| h == u), "{per_bucket:?}");
        assert!(!keep.is_empty());
        let hams: Vec<Record> = records[..40].to_vec();
        assert!(length_matched(&hams).is_empty());
    }

    #[test]
    fn records_parse_and_classify() {
        let r: Record = serde_json::from_str(r#"{"id":"x","text":"hi","label":"phishing","lang":"url","split":"test","dataset":"d"}"#).unwrap();
        assert_eq!(r.kind(), Kind::Urls);
        assert_eq!(r.class(), "scam");
    }

    #[test]
    fn a_host_record_is_a_domain_and_legitimate_is_benign() {
        let r: Record = serde_json::from_str(
            r#"{"id":"c1","host":"metamask-claim.xyz","label":"phishing","brand":"metamask","split":"dev"}"#,
        )
        .unwrap();
        assert_eq!((r.kind(), r.class()), (Kind::Urls, "scam"));
        assert_eq!(
            (r.text.as_str(), r.lang.as_str()),
            ("metamask-claim.xyz", "domain")
        );
        let r: Record =
            serde_json::from_str(r#"{"host":"lidl.com","label":"legitimate","split":"test"}"#)
                .unwrap();
        assert_eq!((r.kind(), r.class()), (Kind::Urls, "ham"));
        for bad in [
            r#"{"label":"ham"}"#,
            r#"{"text":"a","host":"b.com","label":"ham"}"#,
            r#"{"host":"b.com","label":"ham","lang":"en"}"#,
        ] {
            assert!(serde_json::from_str::<Record>(bad).is_err(), "{bad}");
        }
        let err = serde_json::from_str::<Record>(r#"{"label":"ham"}"#).unwrap_err();
        assert!(err.to_string().contains("`text`"), "{err}");
    }
}
