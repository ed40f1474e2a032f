//! Intelligence: what victims' reports and flagged sessions teach about the rings behind them.
//!
//! The decisions of the anti-fraud loop, as pure functions fed by what the store loads:
//!
//! - [`indicator`]: which indicators a session carries (call-back numbers, bank accounts,
//!   link domains, meeting rooms, download hosts, caller handles, near-identical text);
//! - [`sketch`]: the MinHash bands that make near-identical text an indicator;
//! - [`common`]: which indicators genuine traffic carries too, so they never join sessions;
//! - [`reputation`]: when reports make a caller's handle reported, and when they do not;
//! - [`campaign`]: how a session joins a campaign and when campaigns merge;
//! - [`joiner`]: the whole loop in memory, for evaluation and benchmarks;
//! - [`summary`] and [`stix`]: a campaign's figures and its export as STIX 2.1 and CSV.
//!
//! Nothing here reads a database or the clock: the server loads the facts, calls these, and
//! hands the engine what it decided ([`crate::engine::SessionContext`]).

pub mod campaign;
pub mod common;
pub mod indicator;
pub mod joiner;
pub mod reputation;
pub mod sketch;
pub mod stix;
pub mod summary;

pub use campaign::{assign, Assignment, CampaignId, Clusterer};
pub use common::{Common, CommonIndicators, FrequencyRule, IndicatorCounts};
pub use indicator::{observe, Indicator, IndicatorKind, SessionIndicators};
pub use joiner::Joiner;
pub use reputation::{assess, assess_report, Decision, ReportCheck, Reputation, Standing};
pub use summary::{CampaignIndicator, CampaignStatus, CampaignSummary, DailyCount};
