//! The anti-fraud loop's records: victims' reports, analysts' decisions on callers' handles,
//! the indicators flagged sessions named, and the campaigns those indicators join them into.
//!
//! [`IntelStore`] is a supertrait of [`crate::Store`]; its SQL is the same on both backends
//! (the `intel_store!` macro below). The decisions themselves are the core's
//! ([`scamguard_core::intel`]): whether a report counts, what a handle's reputation is, which
//! campaign a session joins. The store loads the facts they need and keeps the outcome; a
//! join is one transaction, so a session is never half-joined.

use crate::StoreError;
use async_trait::async_trait;
use scamguard_core::intel::reputation::ReportFact;
use scamguard_core::intel::{
    CampaignId, CampaignIndicator, CampaignStatus, CampaignSummary, Decision, Indicator,
    IndicatorCounts,
};
use serde::Serialize;

/// Most campaigns one listing returns.
pub const MAX_CAMPAIGNS: i64 = 1000;

/// One report of a call or message, as stored.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportRecord {
    /// `rpt_` and random hex.
    pub id: String,
    /// When it was filed (Unix ms).
    pub created: i64,
    /// The session reported.
    pub session_id: String,
    /// Keyed hash of the reporter's handle.
    pub reporter_hash: String,
    /// Keyed hash of the reported caller's handle.
    pub caller_hash: String,
    /// `fraud`, `impersonation`, `spam` or `other`.
    pub category: String,
    /// Whether it counts toward the caller's reputation.
    pub counted: bool,
    /// Why it counts or not (a [`scamguard_core::intel::ReportCheck`] wire name).
    pub reason: String,
    /// The reporter's note, when they wrote one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The reported message's text, only when the user chose to send it as evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The API key that filed it (the platform, on its user's behalf).
    pub key_id: String,
}

/// Which reports to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportQuery {
    /// Only reports on this session.
    pub session_id: Option<String>,
    /// Only reports on sessions of this campaign.
    pub campaign_id: Option<CampaignId>,
    /// Only reports on this caller.
    pub caller_hash: Option<String>,
    /// At most this many, newest first.
    pub limit: i64,
}

/// An analyst's decision on a handle, as stored: the audit trail of reputation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionRecord {
    /// Assigned by the database; ignored on insert.
    pub id: i64,
    /// Keyed hash of the handle.
    pub handle_hash: String,
    /// What was decided.
    pub decision: Decision,
    /// Why, in the analyst's words.
    pub reason: String,
    /// The admin key that decided (or `cli`, `console`).
    pub key_id: String,
    /// When (Unix ms).
    pub at: i64,
}

/// A flagged session to join to its campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignJoin {
    /// The session.
    pub session_id: String,
    /// Keyed hash of its caller's handle.
    pub handle_hash: String,
    /// When (Unix ms).
    pub at: i64,
    /// Every indicator it named so far, each with whether it may join sessions (those
    /// genuine traffic also carries may not; see [`scamguard_core::intel::CommonIndicators`]).
    pub indicators: Vec<(Indicator, bool)>,
    /// Its highest action so far.
    pub action: String,
    /// The script stages it showed (signal codes).
    pub scripts: Vec<String>,
    /// The identity its caller claimed (lexicon id).
    pub claim: Option<String>,
    /// The least status its campaign takes from this session: `reported` when its caller's
    /// handle is reported or the session was, `confirmed` when the handle is confirmed fraud.
    pub floor: CampaignStatus,
}

/// What a join did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    /// The campaign the session is in now.
    pub campaign: CampaignId,
    /// The campaign's status before this session joined (`open` for a new one): a session
    /// joining one already reported or confirmed raises `known_campaign`.
    pub before: CampaignStatus,
    /// Its status now.
    pub status: CampaignStatus,
    /// Whether the session started it.
    pub created: bool,
    /// Campaigns the session tied to it, merged into it now.
    pub absorbed: Vec<CampaignId>,
}

/// A campaign with everything an analyst opens it for.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignDetail {
    /// Its figures.
    #[serde(flatten)]
    pub summary: CampaignSummary,
    /// Its member sessions, oldest first.
    pub session_ids: Vec<String>,
    /// Its joinable indicators, most named first.
    pub indicators: Vec<CampaignIndicator>,
    /// Its callers' handles (keyed hashes), most sessions first.
    pub caller_hashes: Vec<String>,
}

/// The wire id of a campaign number: `cmp_` and the number.
pub fn campaign_wire_id(id: CampaignId) -> String {
    format!("cmp_{id}")
}

/// The number of a wire id made by [`campaign_wire_id`].
pub fn parse_campaign_id(id: &str) -> Option<CampaignId> {
    id.strip_prefix("cmp_")?
        .parse::<CampaignId>()
        .ok()
        .filter(|n| *n > 0)
}

/// Orders statuses: open < reported < confirmed.
pub fn status_rank(s: CampaignStatus) -> u8 {
    match s {
        CampaignStatus::Open => 0,
        CampaignStatus::Reported => 1,
        CampaignStatus::Confirmed => 2,
    }
}

/// The stronger of two statuses.
pub fn stronger(a: CampaignStatus, b: CampaignStatus) -> CampaignStatus {
    if status_rank(b) > status_rank(a) {
        b
    } else {
        a
    }
}

/// Parses a stored status.
pub fn parse_status(s: &str) -> Result<CampaignStatus, StoreError> {
    match s {
        "open" => Ok(CampaignStatus::Open),
        "reported" => Ok(CampaignStatus::Reported),
        "confirmed" => Ok(CampaignStatus::Confirmed),
        other => Err(StoreError::Corrupt(format!("campaign status {other:?}"))),
    }
}

/// Parses a stored decision.
pub fn parse_decision(s: &str) -> Result<Decision, StoreError> {
    Decision::parse(s).ok_or_else(|| StoreError::Corrupt(format!("decision {s:?}")))
}

/// Sorts `items` by how often each occurs, most first (then by name), without repeats.
pub fn by_frequency(items: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut counts: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    for i in items {
        *counts.entry(i).or_default() += 1;
    }
    let mut v: Vec<(String, u64)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.into_iter().map(|(s, _)| s).collect()
}

/// Sessions per day from their join times (Unix ms), oldest day first.
pub fn daily(joined: &[i64]) -> Vec<scamguard_core::intel::DailyCount> {
    let mut days: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    for &t in joined {
        *days
            .entry(scamguard_core::intel::summary::day_of(t))
            .or_default() += 1;
    }
    days.into_iter()
        .map(|(day, sessions)| scamguard_core::intel::DailyCount { day, sessions })
        .collect()
}

/// The categories a report may have.
pub const REPORT_CATEGORIES: [&str; 4] = ["fraud", "impersonation", "spam", "other"];

/// A new report id: `rpt_` and 16 random bytes in hex.
pub fn new_report_id() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("the OS has randomness");
    format!("rpt_{}", hex::encode(b))
}

/// A report as a platform (or the command line) files it, already checked for shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    /// Keyed hash of the reporter's handle.
    pub reporter_hash: String,
    /// One of [`REPORT_CATEGORIES`].
    pub category: String,
    /// The reporter's note.
    pub note: Option<String>,
    /// The reported message's text, when the user chose to send it.
    pub text: Option<String>,
    /// Who filed it: the API key's id, or `cli`.
    pub key_id: String,
    /// When (Unix ms).
    pub at: i64,
}

/// Files a report on `session` (as stored): decides whether it counts
/// ([`scamguard_core::intel::assess_report`]: only the session's recipient, once per caller)
/// and stores it.
pub async fn file_report(
    store: &(impl IntelStore + ?Sized),
    session: &crate::SessionRecord,
    new: NewReport,
) -> Result<ReportRecord, StoreError> {
    let recipient = store.session_recipient(&session.id).await?.flatten();
    let repeat = recipient.as_deref() == Some(new.reporter_hash.as_str())
        && store
            .has_counted_report(&new.reporter_hash, &session.handle_hash)
            .await?;
    let check =
        scamguard_core::intel::assess_report(&new.reporter_hash, recipient.as_deref(), repeat);
    let report = ReportRecord {
        id: new_report_id(),
        created: new.at,
        session_id: session.id.clone(),
        reporter_hash: new.reporter_hash,
        caller_hash: session.handle_hash.clone(),
        category: new.category,
        counted: check.counted(),
        reason: check.as_str().to_string(),
        note: new.note,
        text: new.text,
        key_id: new.key_id,
    };
    store.add_report(&report).await?;
    Ok(report)
}

/// What decides whether an indicator may join sessions: the lists built from the lexicons,
/// and the policy's frequency rule over the counts kept in the store.
#[derive(Debug, Clone, Copy)]
pub struct JoinRules<'a> {
    /// Official numbers, brands' and platforms' own domains.
    pub common: &'a scamguard_core::intel::CommonIndicators,
    /// When counts make an indicator common.
    pub rule: scamguard_core::intel::FrequencyRule,
}

/// Joins a flagged (or reported) session to its campaign: its indicators and its caller's
/// handle, less those genuine traffic carries, decide where it goes.
pub async fn join_session(
    store: &(impl IntelStore + ?Sized),
    rules: JoinRules<'_>,
    session_id: &str,
    handle_hash: &str,
    session: &scamguard_core::CallSession,
    at: i64,
    floor: CampaignStatus,
) -> Result<Joined, StoreError> {
    let mut all: Vec<Indicator> = session.indicators.iter().cloned().collect();
    all.push(Indicator::caller(handle_hash));
    let keys: Vec<String> = all.iter().map(Indicator::key).collect();
    let counts: std::collections::HashMap<String, IndicatorCounts> =
        store.indicator_counts(&keys).await?.into_iter().collect();
    let indicators = all
        .into_iter()
        .zip(&keys)
        .map(|(i, k)| {
            let c = counts.get(k).copied().unwrap_or_default();
            let joins = rules.common.check(&i, c, &rules.rule).is_none();
            (i, joins)
        })
        .collect();
    let scripts = session
        .signals
        .iter()
        .map(|(code, _)| code)
        .filter(|code| {
            scamguard_core::signal::codes::index(code)
                .is_some_and(|i| scamguard_core::signal::codes::ALL[i].1 == "script")
        })
        .map(String::from)
        .collect();
    store
        .join_campaign(&CampaignJoin {
            session_id: session_id.to_string(),
            handle_hash: handle_hash.to_string(),
            at,
            indicators,
            action: session.max_action.as_str().to_string(),
            scripts,
            claim: session.claim.as_ref().map(|c| c.id.clone()),
            floor,
        })
        .await
}

/// Counts a session that ended allowed: its indicators are something genuine callers say.
pub async fn count_allowed_session(
    store: &(impl IntelStore + ?Sized),
    session: &scamguard_core::CallSession,
) -> Result<(), StoreError> {
    let keys: Vec<String> = session.indicators.iter().map(Indicator::key).collect();
    store.count_allowed(&keys).await
}

/// Persistence for reports, reputation decisions, indicator counts and campaigns.
#[async_trait]
pub trait IntelStore {
    /// Stores a report (its id must be new); a report on a session in a campaign makes that
    /// campaign at least `reported`. Returns the session's campaign, if any.
    async fn add_report(&self, report: &ReportRecord) -> Result<Option<CampaignId>, StoreError>;

    /// The keyed hash of a session's recipient (the opening's `to.handle`): `None` when no
    /// session has that id, `Some(None)` when its platform named no recipient.
    async fn session_recipient(
        &self,
        session_id: &str,
    ) -> Result<Option<Option<String>>, StoreError>;

    /// Whether `reporter_hash` has a counted report on `caller_hash` already.
    async fn has_counted_report(
        &self,
        reporter_hash: &str,
        caller_hash: &str,
    ) -> Result<bool, StoreError>;

    /// The counted reports on a caller filed at or after `since` (Unix ms): what its
    /// reputation is assessed from.
    async fn caller_reports(
        &self,
        caller_hash: &str,
        since: i64,
    ) -> Result<Vec<ReportFact>, StoreError>;

    /// Reports matching `query`, newest first.
    async fn reports(&self, query: &ReportQuery) -> Result<Vec<ReportRecord>, StoreError>;

    /// Records an analyst's decision; `fraud` confirms every campaign the handle's sessions
    /// are in. Returns its id.
    async fn add_decision(&self, decision: &DecisionRecord) -> Result<i64, StoreError>;

    /// The decisions on a handle, newest first (the first one stands).
    async fn decisions(&self, handle_hash: &str) -> Result<Vec<DecisionRecord>, StoreError>;

    /// How many allowed and flagged sessions named each of `keys` (indicator keys); keys
    /// never seen are left out.
    async fn indicator_counts(
        &self,
        keys: &[String],
    ) -> Result<Vec<(String, IndicatorCounts)>, StoreError>;

    /// Counts one more allowed session for each of `keys`.
    async fn count_allowed(&self, keys: &[String]) -> Result<(), StoreError>;

    /// Joins a flagged session to its campaign (new, found, or several merged), records its
    /// indicators (counting each once per session as flagged) and indexes the joinable ones.
    async fn join_campaign(&self, join: &CampaignJoin) -> Result<Joined, StoreError>;

    /// The campaign a session is in.
    async fn campaign_of(&self, session_id: &str) -> Result<Option<CampaignId>, StoreError>;

    /// Campaigns (merged ones left out), largest first, then most recently active.
    async fn campaigns(&self, limit: i64) -> Result<Vec<CampaignSummary>, StoreError>;

    /// One campaign; a campaign that merged into another answers with that one.
    async fn campaign(&self, id: CampaignId) -> Result<Option<CampaignDetail>, StoreError>;
}

/// Implements [`IntelStore`] for `$store`, whose field `pool` is a `sqlx::Pool<$db>` and
/// which has `begin_write()` (see `sql_store!`).
macro_rules! intel_store {
    ($store:ty, $db:ty) => {
        impl $store {
            /// A campaign's figures.
            async fn intel_summary<'c, E>(
                ex: E,
                id: i64,
                status: &str,
                first_seen: i64,
                last_seen: i64,
                sessions: i64,
            ) -> Result<scamguard_core::intel::CampaignSummary, $crate::StoreError>
            where
                E: sqlx::Executor<'c, Database = $db> + Copy,
            {
                use sqlx::Row as _;
                let reports: i64 = sqlx::query::<$db>(
                    "SELECT COUNT(*) AS n FROM reports r JOIN campaign_sessions s \
                     ON s.session_id = r.session_id WHERE s.campaign_id = $1 AND r.counted = 1",
                )
                .bind(id)
                .fetch_one(ex)
                .await?
                .try_get("n")?;
                let rows = sqlx::query::<$db>(
                    "SELECT handle_hash, joined, scripts, claim FROM campaign_sessions \
                     WHERE campaign_id = $1",
                )
                .bind(id)
                .fetch_all(ex)
                .await?;
                let mut handles = std::collections::BTreeSet::new();
                let mut joined = Vec::with_capacity(rows.len());
                let mut scripts = Vec::new();
                let mut claims = Vec::new();
                for r in &rows {
                    handles.insert(r.try_get::<String, _>("handle_hash")?);
                    joined.push(r.try_get::<i64, _>("joined")?);
                    let s: String = r.try_get("scripts")?;
                    scripts.extend(s.split(',').filter(|x| !x.is_empty()).map(String::from));
                    if let Some(c) = r.try_get::<Option<String>, _>("claim")? {
                        claims.push(c);
                    }
                }
                Ok(scamguard_core::intel::CampaignSummary {
                    id: $crate::intel::campaign_wire_id(id),
                    status: $crate::intel::parse_status(status)?,
                    first_seen,
                    last_seen,
                    sessions: sessions.max(0) as u64,
                    reports: reports.max(0) as u64,
                    handles: handles.len() as u64,
                    scripts: $crate::intel::by_frequency(scripts),
                    claims: $crate::intel::by_frequency(claims),
                    daily: $crate::intel::daily(&joined),
                })
            }
        }

        #[async_trait::async_trait]
        impl $crate::intel::IntelStore for $store {
            async fn add_report(
                &self,
                r: &$crate::intel::ReportRecord,
            ) -> Result<Option<scamguard_core::intel::CampaignId>, $crate::StoreError> {
                use sqlx::Row as _;
                let mut tx = self.begin_write().await?;
                sqlx::query::<$db>(
                    "INSERT INTO reports (id, created, session_id, reporter_hash, caller_hash, \
                     category, counted, reason, note, text, key_id) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(r.id.as_str())
                .bind(r.created)
                .bind(r.session_id.as_str())
                .bind(r.reporter_hash.as_str())
                .bind(r.caller_hash.as_str())
                .bind(r.category.as_str())
                .bind(i64::from(r.counted))
                .bind(r.reason.as_str())
                .bind(r.note.as_deref())
                .bind(r.text.as_deref())
                .bind(r.key_id.as_str())
                .execute(&mut *tx)
                .await?;
                let campaign = sqlx::query::<$db>(
                    "SELECT campaign_id FROM campaign_sessions WHERE session_id = $1",
                )
                .bind(r.session_id.as_str())
                .fetch_optional(&mut *tx)
                .await?
                .map(|row| row.try_get::<i64, _>("campaign_id"))
                .transpose()?;
                // Only a report that counts says anything about the campaign: people the
                // caller never reached cannot make it known.
                if let (Some(c), true) = (campaign, r.counted) {
                    sqlx::query::<$db>(
                        "UPDATE campaigns SET status = 'reported' WHERE id = $1 AND status = 'open'",
                    )
                    .bind(c)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(campaign)
            }

            async fn session_recipient(
                &self,
                session_id: &str,
            ) -> Result<Option<Option<String>>, $crate::StoreError> {
                use sqlx::Row as _;
                // A session acknowledged by the journal may not be in the database yet.
                self.settled().await?;
                sqlx::query::<$db>("SELECT user_hash FROM sessions WHERE id = $1")
                    .bind(session_id)
                    .fetch_optional(&self.pool)
                    .await?
                    .map(|r| r.try_get::<Option<String>, _>("user_hash"))
                    .transpose()
                    .map_err(Into::into)
            }

            async fn has_counted_report(
                &self,
                reporter_hash: &str,
                caller_hash: &str,
            ) -> Result<bool, $crate::StoreError> {
                Ok(sqlx::query::<$db>(
                    "SELECT 1 FROM reports WHERE reporter_hash = $1 AND caller_hash = $2 \
                     AND counted = 1 LIMIT 1",
                )
                .bind(reporter_hash)
                .bind(caller_hash)
                .fetch_optional(&self.pool)
                .await?
                .is_some())
            }

            async fn caller_reports(
                &self,
                caller_hash: &str,
                since: i64,
            ) -> Result<
                Vec<scamguard_core::intel::reputation::ReportFact>,
                $crate::StoreError,
            > {
                use sqlx::Row as _;
                let rows = sqlx::query::<$db>(
                    "SELECT reporter_hash, created FROM reports \
                     WHERE caller_hash = $1 AND created >= $2 AND counted = 1",
                )
                .bind(caller_hash)
                .bind(since)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(scamguard_core::intel::reputation::ReportFact {
                            reporter: r.try_get("reporter_hash")?,
                            at: r.try_get("created")?,
                            counted: true,
                        })
                    })
                    .collect()
            }

            async fn reports(
                &self,
                query: &$crate::intel::ReportQuery,
            ) -> Result<Vec<$crate::intel::ReportRecord>, $crate::StoreError> {
                use sqlx::Row as _;
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT r.id, r.created, r.session_id, r.reporter_hash, r.caller_hash, \
                     r.category, r.counted, r.reason, r.note, r.text, r.key_id FROM reports r",
                );
                if let Some(c) = query.campaign_id {
                    q.push(
                        " JOIN campaign_sessions s ON s.session_id = r.session_id \
                         WHERE s.campaign_id = ",
                    )
                    .push_bind(c);
                } else {
                    q.push(" WHERE 1 = 1");
                }
                if let Some(s) = &query.session_id {
                    q.push(" AND r.session_id = ").push_bind(s.as_str());
                }
                if let Some(h) = &query.caller_hash {
                    q.push(" AND r.caller_hash = ").push_bind(h.as_str());
                }
                q.push(" ORDER BY r.created DESC, r.id LIMIT ")
                    .push_bind(query.limit.max(0));
                let rows = q.build().fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|r| {
                        Ok($crate::intel::ReportRecord {
                            id: r.try_get("id")?,
                            created: r.try_get("created")?,
                            session_id: r.try_get("session_id")?,
                            reporter_hash: r.try_get("reporter_hash")?,
                            caller_hash: r.try_get("caller_hash")?,
                            category: r.try_get("category")?,
                            counted: r.try_get::<i64, _>("counted")? != 0,
                            reason: r.try_get("reason")?,
                            note: r.try_get("note")?,
                            text: r.try_get("text")?,
                            key_id: r.try_get("key_id")?,
                        })
                    })
                    .collect()
            }

            async fn add_decision(
                &self,
                d: &$crate::intel::DecisionRecord,
            ) -> Result<i64, $crate::StoreError> {
                use sqlx::Row as _;
                let mut tx = self.begin_write().await?;
                let id: i64 = sqlx::query::<$db>(
                    "INSERT INTO reputation_decisions (handle_hash, decision, reason, key_id, at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(d.handle_hash.as_str())
                .bind(d.decision.as_str())
                .bind(d.reason.as_str())
                .bind(d.key_id.as_str())
                .bind(d.at)
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?;
                if d.decision == scamguard_core::intel::Decision::Fraud {
                    sqlx::query::<$db>(
                        "UPDATE campaigns SET status = 'confirmed' WHERE id IN \
                         (SELECT campaign_id FROM campaign_sessions WHERE handle_hash = $1)",
                    )
                    .bind(d.handle_hash.as_str())
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(id)
            }

            async fn decisions(
                &self,
                handle_hash: &str,
            ) -> Result<Vec<$crate::intel::DecisionRecord>, $crate::StoreError> {
                use sqlx::Row as _;
                let rows = sqlx::query::<$db>(
                    "SELECT id, handle_hash, decision, reason, key_id, at \
                     FROM reputation_decisions WHERE handle_hash = $1 ORDER BY at DESC, id DESC",
                )
                .bind(handle_hash)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok($crate::intel::DecisionRecord {
                            id: r.try_get("id")?,
                            handle_hash: r.try_get("handle_hash")?,
                            decision: $crate::intel::parse_decision(
                                &r.try_get::<String, _>("decision")?,
                            )?,
                            reason: r.try_get("reason")?,
                            key_id: r.try_get("key_id")?,
                            at: r.try_get("at")?,
                        })
                    })
                    .collect()
            }

            async fn indicator_counts(
                &self,
                keys: &[String],
            ) -> Result<Vec<(String, scamguard_core::intel::IndicatorCounts)>, $crate::StoreError>
            {
                use sqlx::Row as _;
                if keys.is_empty() {
                    return Ok(Vec::new());
                }
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT key, allowed, flagged FROM indicator_counts WHERE key IN (",
                );
                let mut list = q.separated(", ");
                for k in keys {
                    list.push_bind(k.as_str());
                }
                q.push(")");
                let rows = q.build().fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|r| {
                        Ok((
                            r.try_get("key")?,
                            scamguard_core::intel::IndicatorCounts {
                                allowed: r.try_get::<i64, _>("allowed")?.max(0) as u64,
                                flagged: r.try_get::<i64, _>("flagged")?.max(0) as u64,
                            },
                        ))
                    })
                    .collect()
            }

            async fn count_allowed(&self, keys: &[String]) -> Result<(), $crate::StoreError> {
                if keys.is_empty() {
                    return Ok(());
                }
                let mut tx = self.begin_write().await?;
                for k in keys {
                    sqlx::query::<$db>(
                        "INSERT INTO indicator_counts (key, allowed, flagged) VALUES ($1, 1, 0) \
                         ON CONFLICT (key) DO UPDATE SET allowed = indicator_counts.allowed + 1",
                    )
                    .bind(k.as_str())
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn join_campaign(
                &self,
                j: &$crate::intel::CampaignJoin,
            ) -> Result<$crate::intel::Joined, $crate::StoreError> {
                use scamguard_core::intel::{campaign::assign_by, Assignment, IndicatorKind};
                use sqlx::Row as _;
                use $crate::intel::{parse_status, stronger};
                let mut tx = self.begin_write().await?;

                // The session's indicators, each counted as flagged once per session.
                for (ind, joins) in &j.indicators {
                    let key = ind.key();
                    let new = sqlx::query::<$db>(
                        "INSERT INTO session_indicators (session_id, key, at, joins) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT (session_id, key) DO NOTHING",
                    )
                    .bind(j.session_id.as_str())
                    .bind(key.as_str())
                    .bind(j.at)
                    .bind(i64::from(*joins))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                        > 0;
                    if new {
                        sqlx::query::<$db>(
                            "INSERT INTO indicator_counts (key, allowed, flagged) \
                             VALUES ($1, 0, 1) ON CONFLICT (key) \
                             DO UPDATE SET flagged = indicator_counts.flagged + 1",
                        )
                        .bind(key.as_str())
                        .execute(&mut *tx)
                        .await?;
                    }
                }

                // The campaigns its joinable indicators, and the session itself, are in.
                let joinable: Vec<(String, bool)> = j
                    .indicators
                    .iter()
                    .filter(|(_, joins)| *joins)
                    .map(|(i, _)| (i.key(), i.kind == IndicatorKind::Text))
                    .collect();
                let mut indexed: std::collections::HashMap<String, (i64, bool)> =
                    std::collections::HashMap::new();
                if !joinable.is_empty() {
                    let mut q = sqlx::QueryBuilder::<$db>::new(
                        "SELECT key, campaign_id, contested FROM campaign_indicators WHERE key IN (",
                    );
                    let mut list = q.separated(", ");
                    for (k, _) in &joinable {
                        list.push_bind(k.as_str());
                    }
                    q.push(")");
                    for r in q.build().fetch_all(&mut *tx).await? {
                        indexed.insert(
                            r.try_get("key")?,
                            (
                                r.try_get("campaign_id")?,
                                r.try_get::<i64, _>("contested")? != 0,
                            ),
                        );
                    }
                }
                let current: Option<i64> = sqlx::query::<$db>(
                    "SELECT campaign_id FROM campaign_sessions WHERE session_id = $1",
                )
                .bind(j.session_id.as_str())
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get("campaign_id"))
                .transpose()?;
                let (mut strong, mut text) = (Vec::new(), Vec::new());
                strong.extend(current);
                for (k, is_text) in &joinable {
                    match indexed.get(k) {
                        Some((c, false)) if *is_text => text.push(*c),
                        Some((c, false)) => strong.push(*c),
                        _ => {}
                    }
                }
                let tied_by_strong = !strong.is_empty();
                let assignment = assign_by(&strong, &text);

                // The campaigns concerned, as they were.
                let involved: Vec<i64> = match &assignment {
                    Assignment::New => Vec::new(),
                    Assignment::Join(c) => vec![*c],
                    Assignment::Merge { into, absorbed } => {
                        std::iter::once(*into).chain(absorbed.iter().copied()).collect()
                    }
                };
                let mut before = scamguard_core::intel::CampaignStatus::Open;
                let mut first_seen = j.at;
                let mut last_seen = j.at;
                for c in &involved {
                    let row = sqlx::query::<$db>(
                        "SELECT status, first_seen, last_seen FROM campaigns WHERE id = $1",
                    )
                    .bind(*c)
                    .fetch_one(&mut *tx)
                    .await?;
                    before = stronger(before, parse_status(&row.try_get::<String, _>("status")?)?);
                    first_seen = first_seen.min(row.try_get("first_seen")?);
                    last_seen = last_seen.max(row.try_get("last_seen")?);
                }
                let status = stronger(before, j.floor);
                let (campaign, created, absorbed) = match assignment {
                    Assignment::New => {
                        let id: i64 = sqlx::query::<$db>(
                            "INSERT INTO campaigns (status, first_seen, last_seen, sessions) \
                             VALUES ($1, $2, $2, 0) RETURNING id",
                        )
                        .bind(status.as_str())
                        .bind(j.at)
                        .fetch_one(&mut *tx)
                        .await?
                        .try_get("id")?;
                        (id, true, Vec::new())
                    }
                    Assignment::Join(c) => (c, false, Vec::new()),
                    Assignment::Merge { into, absorbed } => {
                        for a in &absorbed {
                            for sql in [
                                "UPDATE campaign_sessions SET campaign_id = $1 WHERE campaign_id = $2",
                                "UPDATE campaign_indicators SET campaign_id = $1 WHERE campaign_id = $2",
                                "UPDATE campaigns SET merged_into = $1, sessions = 0 WHERE id = $2",
                                "UPDATE campaigns SET merged_into = $1 WHERE merged_into = $2",
                            ] {
                                sqlx::query::<$db>(sql)
                                    .bind(into)
                                    .bind(*a)
                                    .execute(&mut *tx)
                                    .await?;
                            }
                        }
                        (into, false, absorbed)
                    }
                };

                // Membership, then the campaign's figures.
                sqlx::query::<$db>(
                    "INSERT INTO campaign_sessions (session_id, campaign_id, handle_hash, joined, \
                     action, scripts, claim) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (session_id) DO UPDATE SET campaign_id = excluded.campaign_id, \
                     action = excluded.action, scripts = excluded.scripts, claim = excluded.claim",
                )
                .bind(j.session_id.as_str())
                .bind(campaign)
                .bind(j.handle_hash.as_str())
                .bind(j.at)
                .bind(j.action.as_str())
                .bind(j.scripts.join(","))
                .bind(j.claim.as_deref())
                .execute(&mut *tx)
                .await?;
                sqlx::query::<$db>(
                    "UPDATE campaigns SET status = $2, first_seen = $3, last_seen = $4, \
                     sessions = (SELECT COUNT(*) FROM campaign_sessions WHERE campaign_id = $1) \
                     WHERE id = $1",
                )
                .bind(campaign)
                .bind(status.as_str())
                .bind(first_seen)
                .bind(last_seen)
                .execute(&mut *tx)
                .await?;

                // Index what is new; a script sentence another campaign's sessions carry is
                // one several rings read, and joins nothing from now on.
                for (k, is_text) in &joinable {
                    match indexed.get(k) {
                        None => {
                            sqlx::query::<$db>(
                                "INSERT INTO campaign_indicators (key, campaign_id, contested) \
                                 VALUES ($1, $2, 0) ON CONFLICT (key) DO NOTHING",
                            )
                            .bind(k.as_str())
                            .bind(campaign)
                            .execute(&mut *tx)
                            .await?;
                        }
                        Some((c, false))
                            if *is_text
                                && tied_by_strong
                                && *c != campaign
                                && !absorbed.contains(c) =>
                        {
                            sqlx::query::<$db>(
                                "UPDATE campaign_indicators SET contested = 1 WHERE key = $1",
                            )
                            .bind(k.as_str())
                            .execute(&mut *tx)
                            .await?;
                        }
                        Some(_) => {}
                    }
                }
                tx.commit().await?;
                Ok($crate::intel::Joined {
                    campaign,
                    before,
                    status,
                    created,
                    absorbed,
                })
            }

            async fn campaign_of(
                &self,
                session_id: &str,
            ) -> Result<Option<scamguard_core::intel::CampaignId>, $crate::StoreError> {
                use sqlx::Row as _;
                sqlx::query::<$db>(
                    "SELECT campaign_id FROM campaign_sessions WHERE session_id = $1",
                )
                .bind(session_id)
                .fetch_optional(&self.pool)
                .await?
                .map(|r| r.try_get("campaign_id"))
                .transpose()
                .map_err(Into::into)
            }

            async fn campaigns(
                &self,
                limit: i64,
            ) -> Result<Vec<scamguard_core::intel::CampaignSummary>, $crate::StoreError> {
                use sqlx::Row as _;
                let rows = sqlx::query::<$db>(
                    "SELECT id, status, first_seen, last_seen, sessions FROM campaigns \
                     WHERE merged_into IS NULL ORDER BY sessions DESC, last_seen DESC, id DESC \
                     LIMIT $1",
                )
                .bind(limit.clamp(0, $crate::intel::MAX_CAMPAIGNS))
                .fetch_all(&self.pool)
                .await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in &rows {
                    out.push(
                        Self::intel_summary(
                            &self.pool,
                            r.try_get("id")?,
                            &r.try_get::<String, _>("status")?,
                            r.try_get("first_seen")?,
                            r.try_get("last_seen")?,
                            r.try_get("sessions")?,
                        )
                        .await?,
                    );
                }
                Ok(out)
            }

            async fn campaign(
                &self,
                id: scamguard_core::intel::CampaignId,
            ) -> Result<Option<$crate::intel::CampaignDetail>, $crate::StoreError> {
                use sqlx::Row as _;
                let mut id = id;
                // A merged campaign answers with the one it joined (merges re-point every
                // absorbed row, so this is one step, bounded for safety).
                let mut row = None;
                for _ in 0..8 {
                    let r = sqlx::query::<$db>(
                        "SELECT id, status, first_seen, last_seen, sessions, merged_into \
                         FROM campaigns WHERE id = $1",
                    )
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                    let Some(r) = r else { return Ok(None) };
                    match r.try_get::<Option<i64>, _>("merged_into")? {
                        Some(next) => id = next,
                        None => {
                            row = Some(r);
                            break;
                        }
                    }
                }
                let Some(r) = row else {
                    return Err($crate::StoreError::Corrupt(format!(
                        "campaign {id}: merged too many times over"
                    )));
                };
                let summary = Self::intel_summary(
                    &self.pool,
                    id,
                    &r.try_get::<String, _>("status")?,
                    r.try_get("first_seen")?,
                    r.try_get("last_seen")?,
                    r.try_get("sessions")?,
                )
                .await?;
                let sessions = sqlx::query::<$db>(
                    "SELECT session_id, handle_hash FROM campaign_sessions WHERE campaign_id = $1 \
                     ORDER BY joined, session_id",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                let mut session_ids = Vec::with_capacity(sessions.len());
                let mut handles = Vec::with_capacity(sessions.len());
                for s in &sessions {
                    session_ids.push(s.try_get::<String, _>("session_id")?);
                    handles.push(s.try_get::<String, _>("handle_hash")?);
                }
                let rows = sqlx::query::<$db>(
                    "SELECT i.key, COUNT(*) AS n, MIN(i.at) AS first, MAX(i.at) AS last \
                     FROM session_indicators i JOIN campaign_sessions s \
                     ON s.session_id = i.session_id \
                     WHERE s.campaign_id = $1 AND i.joins = 1 \
                     GROUP BY i.key ORDER BY n DESC, i.key",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                let mut indicators = Vec::with_capacity(rows.len());
                for r in &rows {
                    let key: String = r.try_get("key")?;
                    let ind = scamguard_core::intel::Indicator::from_key(&key).ok_or_else(|| {
                        $crate::StoreError::Corrupt(format!("indicator key {key:?}"))
                    })?;
                    indicators.push(scamguard_core::intel::CampaignIndicator {
                        kind: ind.kind,
                        value: ind.value,
                        sessions: r.try_get::<i64, _>("n")?.max(0) as u64,
                        first_seen: r.try_get::<Option<i64>, _>("first")?.unwrap_or_default(),
                        last_seen: r.try_get::<Option<i64>, _>("last")?.unwrap_or_default(),
                    });
                }
                Ok(Some($crate::intel::CampaignDetail {
                    summary,
                    session_ids,
                    indicators,
                    caller_hashes: $crate::intel::by_frequency(handles),
                }))
            }
        }
    };
}

intel_store!(crate::SqliteStore, sqlx::Sqlite);
intel_store!(crate::PgStore, sqlx::Postgres);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_statuses_and_frequencies() {
        assert_eq!(campaign_wire_id(12), "cmp_12");
        assert_eq!(parse_campaign_id("cmp_12"), Some(12));
        for bad in ["12", "cmp_", "cmp_x", "cmp_-1", "cmp_0"] {
            assert_eq!(parse_campaign_id(bad), None, "{bad}");
        }
        assert_eq!(
            stronger(CampaignStatus::Reported, CampaignStatus::Open),
            CampaignStatus::Reported
        );
        assert_eq!(
            stronger(CampaignStatus::Reported, CampaignStatus::Confirmed),
            CampaignStatus::Confirmed
        );
        assert!(parse_status("closed").is_err());
        assert_eq!(
            by_frequency(["b", "a", "b", "c", "a", "b"].map(String::from)),
            ["b", "a", "c"]
        );
        let d = daily(&[0, 1000, 86_400_000]);
        assert_eq!((d[0].day.as_str(), d[0].sessions), ("1970-01-01", 2));
        assert_eq!(d.len(), 2);
    }
}
